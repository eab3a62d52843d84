"""导出公文 dialog: choose the document, format, columns, rows and as-of date; preview it; export or print it.

Formats: PDF and Word for every document; Excel (.xlsx, ``desktop.spreadsheets.writer`` — the same tables the
command line's ``export --format xlsx`` writes) for the documents that are tables (``XLSX_KINDS``: not the
落实情况报告, a 公文). The radio button is disabled for the report, and the clerk's Excel choice comes back
when another table is chosen again.

The preview is the PDF export itself, written to a temporary folder by a worker thread (progress bar,
取消) a moment after the options last changed, and shown page by page (``PdfPreview``). 打印 and 打印预览
paint the pages of that same PDF (``printing``). 导出 writes the chosen format to the chosen path, again in
a worker; the result — or a Chinese error from the MessageBridge — is shown when it ends. Nothing here
touches the ledger: the window hands over an ``ExportSource`` (the notice, its rows, the filter result
and the selection) when it opens the dialog.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.documents import KINDS
from desktop.documents.model import has_title, subject
from desktop.domain import NoticeInfo, TaskRow
from desktop.settings import (
    EXPORT_COLUMNS,
    EXPORT_FORMAT,
    EXPORT_KIND,
    EXPORT_LAST_DIR,
    REPORT_OFFICE,
    Settings,
)
from desktop.spreadsheets.writer import XLSX_KINDS

from .export_worker import ExportRequest, ExportWorker
from .messages import MessageBridge
from .pdf_pages import PdfPages, PdfPagesError
from .pdf_preview import PdfPreview
from .printing import ROTATE_OPTION_TEXT, PrintHelper
from .report_editor import ReportEditor, draft_report

SCOPE_ALL, SCOPE_FILTERED, SCOPE_SELECTED = "all", "filtered", "selected"
SCOPE_LABELS = {SCOPE_ALL: "整份通知", SCOPE_FILTERED: "当前筛选结果", SCOPE_SELECTED: "选中的行及其下级"}
COLUMN_LABELS = {"owner": "责任人", "completion": "完成情况", "remark": "备注"}
DATED_KINDS = ("open", "progress", "report")
FORMAT_FILTERS = {"pdf": "PDF 文件 (*.pdf)", "docx": "Word 文档 (*.docx)", "xlsx": "Excel 工作簿 (*.xlsx)"}
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}
XLSX_TIP = "导出为 Excel 表格（.xlsx），可在 Excel 或 WPS 表格中继续编辑；内容与预览相同，已设好 A4 横向打印"
XLSX_NOT_FOR_REPORT = "落实情况报告是公文，不能导出为 Excel 表格；请选 PDF 或 Word"
ROW_UNIT, ROW_COLUMNS, ROW_DATE = 1, 4, 5  # rows of the options form
_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def subset_rows(rows: list[TaskRow], ids: set[int] | list[int], *, descendants: bool = False) -> list[TaskRow]:
    """The rows ``ids`` (with their subtrees when ``descendants``) plus all their ancestors, in the
    original pre-order, with ``child_count`` recounted — a valid tree for the document builders."""
    by_id = {r.id: r for r in rows}
    keep: set[int] = set()
    for tid in ids:
        node = by_id.get(tid)
        while node is not None and node.id not in keep:
            keep.add(node.id)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
    if descendants:
        chosen = set(ids)
        inside: set[int] = set()
        for r in rows:  # pre-order: a parent comes before its children
            if r.id in chosen or r.parent_id in inside:
                inside.add(r.id)
        keep |= inside
    kids: dict[int, int] = {}
    for r in rows:
        if r.id in keep and r.parent_id is not None:
            kids[r.parent_id] = kids.get(r.parent_id, 0) + 1
    return [dataclasses.replace(r, child_count=kids.get(r.id, 0)) for r in rows if r.id in keep]


@dataclass
class ExportSource:
    """What the window hands the dialog: the notice, all its rows (pre-order), the filter, the selection."""

    notice: NoticeInfo
    rows: list[TaskRow]
    shown_ids: set[int] | None = None  # rows the table shows under the current filter (None: no filter)
    selected_ids: list[int] = field(default_factory=list)
    today: dt.date | None = None

    def available(self, scope: str) -> bool:
        if scope == SCOPE_FILTERED:
            return self.shown_ids is not None
        if scope == SCOPE_SELECTED:
            return bool(self.selected_ids)
        return True

    def rows_for(self, scope: str) -> list[TaskRow]:
        if scope == SCOPE_FILTERED and self.shown_ids is not None:
            return subset_rows(self.rows, self.shown_ids)
        if scope == SCOPE_SELECTED and self.selected_ids:
            return subset_rows(self.rows, self.selected_ids, descendants=True)
        return list(self.rows)


def safe_file_name(title: str, fmt: str) -> str:
    """A Windows-safe file name from a document title."""
    name = _BAD_FILE_CHARS.sub("", title).strip(" .") or "导出文档"
    return f"{name[:80]}.{fmt}"


class ExportDialog(QDialog):
    """The 导出公文 window over one ``ExportSource``."""

    preview_ready = Signal(int)  # pages
    preview_failed = Signal(str)
    exported = Signal(object)  # ExportResult
    export_failed = Signal(str)
    export_cancelled = Signal()
    title_given = Signal(str)  # the title the clerk typed for a notice stored without one

    def __init__(self, source: ExportSource, messages: MessageBridge, settings: Settings | None = None,
                 parent: QWidget | None = None, *, print_mode: bool = False, preview_delay: int = 350) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("打印公文" if print_mode else "导出公文")
        self.source = source
        self.messages = messages
        self.settings = settings if settings is not None else Settings(None)  # None: remembered nowhere
        self.print_mode = print_mode
        self.printing = PrintHelper(self, messages)
        self._tmp = Path(tempfile.mkdtemp(prefix="noticedesk-preview-"))
        # removed when the dialog is done, and in any case when it is collected or the program ends
        weakref.finalize(self, shutil.rmtree, str(self._tmp), True)
        self._job: ExportWorker | None = None
        self._job_kind = ""
        self._workers: set[ExportWorker] = set()
        self._version = 0  # bumped on every option change
        self._preview_version = -1  # options the shown preview reflects
        self._preview_paused = False  # the clerk cancelled the preview: wait for the next change
        self._previews = 0
        self._rotate_touched = False
        self.last_result = None  # the last successful export's ExportResult
        self.preview_result = None  # the shown preview's ExportResult (font notes)
        self._title_asked = False  # the preview asks for a missing title once; export asks again

        self._timer = QTimer(self, singleShot=True, interval=preview_delay, timeout=self.start_preview)
        self.report_editor = ReportEditor()
        self.preview = PdfPreview()
        options = self._build_options()
        right = self._build_preview_side()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(options)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([390, 800])

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._build_banner())
        layout.addLayout(self._build_buttons())

        self._restore_options()
        self._kind_changed()
        self._fit_to_screen()
        self._options_changed()

    # --- building --------------------------------------------------------------------------------
    def _build_options(self) -> QWidget:
        self.kind_combo = QComboBox()
        for kind, label in KINDS.items():
            self.kind_combo.addItem(label, kind)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(12)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.pdf_radio = QRadioButton("PDF")
        self.docx_radio = QRadioButton("Word（.docx）")
        self.xlsx_radio = QRadioButton("Excel（.xlsx）")
        self.xlsx_radio.setToolTip(XLSX_TIP)
        self.pdf_radio.setChecked(True)
        self._chosen_fmt = "pdf"  # the clerk's choice, kept while a kind cannot have it (the report: no Excel)
        self.format_group = QButtonGroup(self)
        fmt_row = QHBoxLayout()
        for b in (self.pdf_radio, self.docx_radio, self.xlsx_radio):
            self.format_group.addButton(b)
            fmt_row.addWidget(b)
        fmt_row.addStretch(1)

        self.scope_buttons: dict[str, QRadioButton] = {}
        self.scope_group = QButtonGroup(self)
        scope_box = QVBoxLayout()
        scope_box.setSpacing(2)
        for scope, label in SCOPE_LABELS.items():
            b = QRadioButton()
            available = self.source.available(scope)
            count = len(self.source.rows_for(scope)) if available else 0
            b.setText(f"{label}（{count} 条）" if available else label)
            b.setEnabled(available)
            if not available:
                b.setToolTip("主窗口中没有设置筛选条件" if scope == SCOPE_FILTERED else "主窗口中没有选中任务")
            self.scope_buttons[scope] = b
            self.scope_group.addButton(b)
            scope_box.addWidget(b)
        self.scope_buttons[SCOPE_ALL].setChecked(True)

        self.column_checks: dict[str, QCheckBox] = {}
        col_row = QHBoxLayout()
        for key, label in COLUMN_LABELS.items():
            c = QCheckBox(label)
            self.column_checks[key] = c
            col_row.addWidget(c)
        col_row.addStretch(1)

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        today = self.source.today or dt.date.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setToolTip("按这一天计算是否逾期、逾期天数（默认今天）")

        self.rotate_check = QCheckBox(ROTATE_OPTION_TEXT)
        self.rotate_check.setToolTip("打印时把横向的表格页转90°印在纵向纸上，表头一律朝左侧装订边，\n"
                                     "双面打印时正反面方向一致。纵横混排的文档默认勾选；\n"
                                     "Windows 打印机不能在一份文档中逐页切换纸张方向，混排文档总会这样旋转。")
        self.rotate_check.toggled.connect(self._rotate_toggled)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("文档", self.kind_combo)
        self.form.addRow("单位", self.unit_combo)
        self.form.addRow("格式", fmt_row)
        self.form.addRow("范围", scope_box)
        self.form.addRow("增加列", col_row)
        self.form.addRow("统计日期", self.date_edit)

        self.report_group = QGroupBox("报告内容（可修改）")
        QVBoxLayout(self.report_group).addWidget(self.report_editor)
        print_group = QGroupBox("打印")
        QVBoxLayout(print_group).addWidget(self.rotate_check)

        panel = QWidget()
        box = QVBoxLayout(panel)
        box.addLayout(self.form)
        box.addWidget(self.report_group)
        box.addWidget(print_group)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(340)
        self.options_panel = panel

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.unit_combo.currentIndexChanged.connect(self._unit_changed)
        self.scope_group.buttonToggled.connect(self._scope_toggled)
        for c in self.column_checks.values():
            c.toggled.connect(self._options_changed)
        self.date_edit.dateChanged.connect(self._date_changed)
        self.format_group.buttonToggled.connect(self._format_toggled)
        self.report_editor.edited.connect(self._options_changed)
        self.report_editor.redraft_requested.connect(self._redraft_clicked)
        return scroll

    def _build_preview_side(self) -> QWidget:
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setToolTip("停止正在生成的预览或导出")
        self.cancel_button.clicked.connect(self.cancel_job)
        self.refresh_button = QPushButton("刷新预览")
        self.refresh_button.clicked.connect(self._refresh_clicked)
        row = QHBoxLayout()
        row.addWidget(self.status_label, 1)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addWidget(self.refresh_button)
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.preview, 1)
        box.addLayout(row)
        self.progress.hide()
        self.cancel_button.hide()
        self.refresh_button.hide()
        return side

    def _build_banner(self) -> QWidget:
        self.banner = QFrame()
        self.banner.setObjectName("exportBanner")
        self.banner.setStyleSheet("QFrame#exportBanner { background: #eaf5ea; border: 1px solid #9cc79c; "
                                  "border-radius: 3px; }")
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton("打开文件所在位置")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_file_button = QPushButton("打开文件")
        self.open_file_button.clicked.connect(self.open_file)
        box = QHBoxLayout(self.banner)
        box.addWidget(self.banner_label, 1)
        box.addWidget(self.open_file_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addWidget(self.open_folder_button, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()
        return self.banner

    def _build_buttons(self) -> QHBoxLayout:
        self.print_preview_button = QPushButton("打印预览…")
        self.print_preview_button.clicked.connect(self.print_preview)
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("打印预览中的这份文档（Ctrl+P）")
        self.print_button.clicked.connect(self.print_document)
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("选择保存位置并写出文件")
        self.export_button.clicked.connect(self.choose_path_and_export)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        (self.print_button if self.print_mode else self.export_button).setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.print_preview_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.close_button)
        return row

    def _fit_to_screen(self) -> None:
        from .window_fit import fit_to_screen

        fit_to_screen(self, 1240, 820)

    # --- options ---------------------------------------------------------------------------------
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def _format_buttons(self) -> dict[str, QRadioButton]:
        return {"pdf": self.pdf_radio, "docx": self.docx_radio, "xlsx": self.xlsx_radio}

    def fmt(self) -> str:
        return next((f for f, b in self._format_buttons().items() if b.isChecked()), "pdf")

    def set_format(self, fmt: str) -> None:
        """Choose ``fmt`` ('pdf' | 'docx' | 'xlsx'); Excel for the report falls back to PDF (and comes
        back when a table is chosen)."""
        self._chosen_fmt = fmt if fmt in FORMAT_FILTERS else "pdf"
        self._show_format()

    def _show_format(self) -> None:
        fmt = self._chosen_fmt
        if fmt == "xlsx" and self.kind() not in XLSX_KINDS:
            fmt = "pdf"
        button = self._format_buttons()[fmt]
        if not button.isChecked():
            self.format_group.blockSignals(True)
            button.setChecked(True)
            self.format_group.blockSignals(False)
        self._update_buttons()

    def _format_toggled(self, button, checked: bool) -> None:
        if checked:
            self._chosen_fmt = next(f for f, b in self._format_buttons().items() if b is button)
        self._update_buttons()

    def scope(self) -> str:
        return next((s for s, b in self.scope_buttons.items() if b.isChecked()), SCOPE_ALL)

    def set_scope(self, scope: str) -> None:
        self.scope_buttons[scope].setChecked(True)

    def rows(self) -> list[TaskRow]:
        return self.source.rows_for(self.scope())

    def unit(self) -> str | None:
        return self.unit_combo.currentData() or None

    def columns(self) -> list[str]:
        return [k for k, c in self.column_checks.items() if c.isChecked()]

    def as_of(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def request(self, fmt: str, out: Path) -> ExportRequest:
        """The export of the current options as ``fmt`` to ``out``."""
        kind = self.kind()
        return ExportRequest(
            kind, self.source.notice, self.rows(), fmt, out,
            unit=self.unit() if kind == "units" else None,
            columns=self.columns() if kind == "table" else None,
            today=self.as_of(),
            report=self.report_editor.info() if kind == "report" else None,
            tag={"version": self._version})

    def _fill_units(self) -> None:
        keep = self.unit()
        names: list[str] = []
        for r in self.rows():
            for n in r.lead_units + r.units:
                if n and n not in names:
                    names.append(n)
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem("全部单位（每个单位一份清单）" if self.kind() == "units" else "不指定（全部任务）", None)
        for n in names:
            self.unit_combo.addItem(n, n)
        i = self.unit_combo.findData(keep) if keep else 0
        self.unit_combo.setCurrentIndex(max(0, i))
        self.unit_combo.blockSignals(False)

    def _kind_changed(self, *_args) -> None:
        kind = self.kind()
        self.form.setRowVisible(ROW_UNIT, kind in ("units", "report"))
        label = self.form.labelForField(self.unit_combo)
        if label is not None:
            label.setText("报告单位" if kind == "report" else "单位")
        self.unit_combo.setToolTip("选定后，报告只写该单位牵头或负责的任务，并用作署名、版头和印发机关"
                                   if kind == "report" else "只导出这个单位的任务清单，或每个单位各一份")
        self.form.setRowVisible(ROW_COLUMNS, kind == "table")
        self.form.setRowVisible(ROW_DATE, kind in DATED_KINDS)
        self.report_group.setVisible(kind == "report")
        self.xlsx_radio.setEnabled(kind in XLSX_KINDS)
        self.xlsx_radio.setToolTip(XLSX_TIP if kind in XLSX_KINDS else XLSX_NOT_FOR_REPORT)
        self._show_format()
        if kind in ("units", "report"):
            self._fill_units()
        if kind == "report" and not self.report_editor.has_draft():
            self.redraft()
        self._options_changed()

    def _scope_toggled(self, _button, checked: bool) -> None:
        if not checked:
            return
        if self.kind() in ("units", "report"):
            self._fill_units()
        if self.kind() == "report" and not self.report_editor.touched:
            self.redraft()
        self._options_changed()

    def _unit_changed(self, *_args) -> None:
        if self.kind() == "report" and not self.report_editor.touched:
            self.redraft()
        self._options_changed()

    def _date_changed(self, *_args) -> None:
        if self.kind() == "report" and not self.report_editor.touched:
            self.redraft()
        self._options_changed()

    def redraft(self) -> None:
        """Fill the report editor with a fresh draft for the current rows and date (署名: the reporting unit,
        else the office's own name)."""
        info = draft_report(self.source.notice, self.rows(), self.as_of(), self.unit())
        if not (info.signer or "").strip() and self.office():
            info = dataclasses.replace(info, signer=self.office())
        self.report_editor.set_info(info)

    # --- what every document needs: the notice's title, the report's 署名 -------------------------------------
    def ask_title(self) -> str | None:
        """The notice's title, typed by the clerk (None: cancelled)."""
        text, ok = QInputDialog.getText(self, "填写通知标题", "这份通知没有读到标题，导出的文档要用它作标题，报告正文也要引用它。\n"
                                        "请输入通知的标题：")
        return text.strip() if ok and text.strip() else None

    def ensure_title(self) -> bool:
        """True when the notice has a title to print; a notice stored without one (or with the placeholder
        "（无标题通知）") gets the one the clerk types now (``title_given``), never a placeholder."""
        if has_title(self.source.notice):
            return True
        self._title_asked = True
        title = self.ask_title()
        if not title:
            return False
        self.source.notice = dataclasses.replace(self.source.notice, title=title)
        self.title_given.emit(title)
        if self.kind() == "report" and not self.report_editor.touched:
            self.redraft()
        self._options_changed()
        return True

    def office(self) -> str:
        """The office's own name (the report's 署名), a setting asked once."""
        return self.settings.get(REPORT_OFFICE).strip()

    def ask_office(self) -> str | None:
        text, ok = QInputDialog.getText(self, "本单位名称", "落实情况报告以本单位名称署名（只需填写一次，以后自动使用）。\n"
                                        "请输入本单位名称：")
        return text.strip() if ok and text.strip() else None

    def ensure_signer(self) -> bool:
        """For the report: True when it has a 署名, asking for the office's name (once) when it has none."""
        if self.kind() != "report" or (self.report_editor.info().signer or "").strip():
            return True
        if not self.office():
            name = self.ask_office()
            if not name:
                return False
            self.settings.set(REPORT_OFFICE, name)
        touched = self.report_editor.touched
        self.report_editor.set_info(dataclasses.replace(self.report_editor.info(), signer=self.office()))
        self.report_editor.touched = touched
        self._options_changed()
        return True

    def _redraft_clicked(self) -> None:
        if self.report_editor.touched and not self.messages.confirm(
                "重新起草", "将按当前范围和统计日期重新生成报告草稿，已修改的内容会被替换。继续吗？"):
            return
        self.redraft()
        self._options_changed()

    def _rotate_toggled(self, _on: bool) -> None:
        self._rotate_touched = True

    def _options_changed(self, *_args) -> None:
        """Any option changed: the preview is out of date; regenerate it shortly."""
        self._version += 1
        self._preview_paused = False
        self.banner.hide()
        self._update_buttons()
        if self._job is None:
            self._set_status("正在准备预览…" if self._preview_version < 0 else "选项已更改，正在更新预览…")
        self._timer.start()

    def _update_buttons(self) -> None:
        fresh = self.preview_is_current()
        exporting = self._job is not None and self._job_kind == "export"
        self.print_button.setEnabled(fresh and not exporting)
        self.print_preview_button.setEnabled(fresh and not exporting)
        self.export_button.setEnabled(not exporting and bool(self.source.rows or self.kind() == "report"))
        self.options_panel.setEnabled(not exporting)
        self.export_button.setText(f"导出 {FORMAT_NAMES[self.fmt()]}…")

    def preview_is_current(self) -> bool:
        return self._preview_version == self._version and self.preview.page_count() > 0

    # --- jobs ------------------------------------------------------------------------------------
    def _start(self, request: ExportRequest, kind: str) -> ExportWorker:
        worker = ExportWorker(request, self)
        worker.progressed.connect(self._job_progress)
        worker.done.connect(self._job_done)
        self._job, self._job_kind = worker, kind
        self._workers.add(worker)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.refresh_button.hide()
        self._update_buttons()
        worker.start()
        return worker

    def _stop_job(self) -> None:
        """Cancel the running job and wait for it (its late ``done`` is ignored)."""
        worker, self._job = self._job, None
        if worker is not None:
            worker.cancel()
            worker.wait()
        self.progress.hide()
        self.cancel_button.hide()

    def is_busy(self) -> bool:
        return self._job is not None

    @Slot()
    def start_preview(self) -> None:
        """Regenerate the preview now (normally a moment after the last option change)."""
        self._timer.stop()
        if self._job is not None:
            if self._job_kind == "preview":
                self._job.cancel()  # its end starts the preview of the new options
            return
        if self._preview_paused or self.preview_is_current():
            return
        if not has_title(self.source.notice):
            if not self._title_asked and self.ensure_title():
                return  # the options changed: the timer starts the preview
            self.preview.set_pages(None)
            self.preview.set_message("这份通知没有标题。点“导出…”时填写标题，预览随后生成。")
            self._set_status("需要通知的标题。")
            return
        self._previews += 1
        out = self._tmp / f"preview-{self._previews}.pdf"
        self._set_status("正在生成预览…")
        self._start(self.request("pdf", out), "preview")

    def cancel_job(self) -> None:
        """取消: stop the running preview or export (no file is left)."""
        if self._job is None:
            return
        if self._job_kind == "preview":
            self._preview_paused = True
        self._job.cancel()
        self._set_status("正在取消…")

    def _refresh_clicked(self) -> None:
        self._preview_paused = False
        self._preview_version = -1
        self.start_preview()

    @Slot(object, int, int)
    def _job_progress(self, worker: ExportWorker, done: int, total: int) -> None:
        if worker is not self._job:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    @Slot(object)
    def _job_done(self, worker: ExportWorker) -> None:
        worker.wait()
        self._workers.discard(worker)
        if worker is not self._job:
            if worker.outcome == "ok" and worker.request.fmt == "pdf" and worker.result is not None \
                    and worker.result.path.parent == self._tmp:
                worker.result.path.unlink(missing_ok=True)
            worker.deleteLater()
            return
        kind = self._job_kind
        self._job = None
        self.progress.hide()
        self.cancel_button.hide()
        if kind == "preview":
            self._preview_done(worker)
        else:
            self._export_done(worker)
        worker.deleteLater()
        self._update_buttons()
        if self._job is None and not self._preview_paused and self._preview_version != self._version \
                and not self._timer.isActive():
            self.start_preview()

    def _preview_done(self, worker: ExportWorker) -> None:
        if worker.outcome == "cancelled":
            if self._preview_paused:
                self._set_status("已取消预览。更改选项或点“刷新预览”可重新生成。")
                self.refresh_button.show()
            return
        if worker.outcome == "failed":
            self.preview.set_pages(None)
            self.preview.set_message(worker.error)
            self._set_status("无法生成预览。")
            self.refresh_button.show()
            self.preview_failed.emit(worker.error)
            return
        try:
            pages = PdfPages(worker.result.path)
        except PdfPagesError as e:
            self._set_status(str(e))
            self.preview_failed.emit(str(e))
            return
        self.preview.set_pages(pages)
        for old in self._tmp.glob("preview-*.pdf"):
            if old != worker.result.path:
                old.unlink(missing_ok=True)
        self._preview_version = worker.request.tag["version"]
        self.preview_result = worker.result
        if not self._rotate_touched:
            self.rotate_check.blockSignals(True)
            self.rotate_check.setChecked(pages.is_mixed())
            self.rotate_check.blockSignals(False)
        self._set_status(self._preview_status(pages))
        self.preview_ready.emit(pages.page_count)

    def _preview_status(self, pages: PdfPages) -> str:
        text = f"预览：共 {pages.page_count} 页（{len(self.rows())} 条任务）。"
        notes = self.preview_result.messages() if self.preview_result is not None else []
        if notes:
            text += "本机缺少部分公文字体，已用替代字体显示。"
            self.status_label.setToolTip("\n".join(notes))
        else:
            self.status_label.setToolTip("")
        return text

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)

    # --- export ----------------------------------------------------------------------------------
    def document_title(self) -> str:
        if self.preview_is_current() and self.preview.pages is not None and self.preview.pages.title:
            return self.preview.pages.title
        if self.kind() == "report":
            return self.report_editor.info().title or f"关于{subject(self.source.notice)}落实情况的报告"
        return f"{subject(self.source.notice)}{KINDS[self.kind()]}"

    def default_path(self) -> Path:
        folder = self.settings.get(EXPORT_LAST_DIR)
        if not folder or not Path(folder).is_dir():
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) \
                or str(Path.home())
        return Path(str(folder)) / safe_file_name(self.document_title(), self.fmt())

    def choose_path_and_export(self) -> None:
        """导出…: ask where (last-used folder, name from the title), then write."""
        if not self.ensure_title() or not self.ensure_signer():
            return
        fmt = self.fmt()
        path, _ = QFileDialog.getSaveFileName(self, "导出公文", str(self.default_path()), FORMAT_FILTERS[fmt])
        if not path:
            return
        out = Path(path)
        if out.suffix.lower() != f".{fmt}":
            out = out.with_name(out.name + f".{fmt}")
        self.export_to(out)

    def export_to(self, out: Path | str) -> bool:
        """Write the document in the chosen format to ``out`` in a worker; False when busy exporting."""
        out = Path(out)
        if not self.ensure_title():
            return False
        if self._job is not None:
            if self._job_kind == "export":
                return False
            self._stop_job()
        if not out.parent.is_dir():
            self.messages.error(f"保存位置不存在：{out.parent}。请换一个位置。", "导出失败")
            return False
        self.banner.hide()
        self._set_status(f"正在导出“{out.name}”…")
        self._start(self.request(self.fmt(), out), "export")
        return True

    def _export_done(self, worker: ExportWorker) -> None:
        out = Path(worker.request.out)
        if worker.outcome == "cancelled":
            self._set_status("已取消导出，没有写入文件。")
            self.export_cancelled.emit()
            return
        if worker.outcome == "failed":
            self._set_status("导出失败，没有写入文件。")
            self.messages.error(worker.error, "导出失败")
            self.export_failed.emit(worker.error)
            return
        result = worker.result
        self.last_result = result
        self.settings.set(EXPORT_LAST_DIR, str(out.parent))
        pages = f"，共 {result.pages} 页" if result.pages else ""
        lines = [f"已导出：{result.path}{pages}。"]
        notes = result.messages()
        if notes:
            lines.append("注意（字体）：")
            lines += [f"· {n}" for n in notes]
        self.banner_label.setText("\n".join(lines))
        self.banner.show()
        self._set_status(f"已导出“{out.name}”。")
        self.exported.emit(result)

    def open_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.last_result.path).parent)))

    def open_file(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.path)))

    # --- printing --------------------------------------------------------------------------------
    def print_document(self) -> bool:
        """打印…: the print dialog, then the preview's pages."""
        if not self.preview_is_current():
            self.messages.warning("预览还没有生成完，请稍候再打印。", "打印")
            return False
        printed = self.printing.print_dialog(self.preview.pages, self.rotate_check.isChecked())
        if printed:
            self._set_status("已发送到打印机。")
        return printed

    def print_preview(self):
        if not self.preview_is_current():
            self.messages.warning("预览还没有生成完，请稍候。", "打印预览")
            return None
        return self.printing.preview_dialog(self.preview.pages, self.rotate_check.isChecked())

    # --- settings / closing ----------------------------------------------------------------------
    def _restore_options(self) -> None:
        s = self.settings
        kind = s.get(EXPORT_KIND)
        if kind in KINDS:
            self.set_kind(kind)
        self.set_format(s.get(EXPORT_FORMAT))
        cols = s.get(EXPORT_COLUMNS)
        for key, c in self.column_checks.items():
            c.setChecked(key in cols)

    def _save_options(self) -> None:
        s = self.settings
        s.set(EXPORT_KIND, self.kind())
        s.set(EXPORT_FORMAT, self.fmt())
        s.set(EXPORT_COLUMNS, list(self.columns()))

    def done(self, result: int) -> None:  # noqa: D102 - QDialog.done
        self._timer.stop()
        self._stop_job()
        for w in list(self._workers):
            w.cancel()
            w.wait()
        self._save_options()
        self.preview.set_pages(None)
        shutil.rmtree(self._tmp, ignore_errors=True)
        super().done(result)
