"""The options side of the 导出公文 dialog: document, unit, format, scope, extra columns, as-of date, the report's
text and the print rotation — the widgets, what each choice shows or hides, and the choices remembered.

``ExportOptions`` only chooses: it emits ``kind_changed``, ``scope_changed``, ``unit_changed``,
``date_changed`` (the report's draft may follow) and ``changed`` (any other option: the preview is out of
date); the dialog decides what follows. Excel (.xlsx) is offered for the documents that are tables
(``XLSX_KINDS``): the clerk's Excel choice is kept while the 落实情况报告 is shown and comes back after.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.documents import KINDS
from desktop.domain import NoticeInfo, TaskRow
from desktop.notice_titles import subject
from desktop.settings import EXPORT_COLUMNS, EXPORT_FORMAT, EXPORT_KIND, Settings
from desktop.spreadsheets.writer import XLSX_KINDS

from .export_source import SCOPE_ALL, SCOPE_FILTERED, SCOPE_LABELS, ExportSource
from .export_worker import ExportRequest
from .printing import ROTATE_OPTION_TEXT
from .report_editor import ReportEditor, draft_report

COLUMN_LABELS = {"owner": "责任人", "completion": "完成情况", "remark": "备注"}
DATED_KINDS = ("open", "progress", "report")
FORMAT_FILTERS = {"pdf": "PDF 文件 (*.pdf)", "docx": "Word 文档 (*.docx)", "xlsx": "Excel 工作簿 (*.xlsx)"}
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}
XLSX_TIP = "导出为 Excel 表格（.xlsx），可在 Excel 或 WPS 表格中继续编辑；内容与预览相同，已设好 A4 横向打印"
XLSX_NOT_FOR_REPORT = "落实情况报告是公文，不能导出为 Excel 表格；请选 PDF 或 Word"
ROW_UNIT, ROW_COLUMNS, ROW_DATE = 1, 4, 5  # rows of the options form


class ExportOptions(QScrollArea):
    """The export options over one ``ExportSource`` (scrolls on a small screen)."""

    kind_changed = Signal()
    scope_changed = Signal()
    unit_changed = Signal()
    date_changed = Signal()
    changed = Signal()  # columns, format or the report's text
    format_changed = Signal()  # the format shown (the dialog's 导出 button names it)

    def __init__(self, source: ExportSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.rotate_touched = False  # the clerk set the rotation: a preview no longer sets it
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
            available = source.available(scope)
            count = len(source.rows_for(scope)) if available else 0
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
        today = source.today or dt.date.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setToolTip("按这一天计算是否逾期、逾期天数（默认今天）")

        self.rotate_check = QCheckBox(ROTATE_OPTION_TEXT)
        self.rotate_check.setToolTip("打印时把横向的表格页转90°印在纵向纸上，表头一律朝左侧装订边，\n"
                                     "双面打印时正反面方向一致。纵横混排的文档默认勾选；\n"
                                     "Windows 打印机不能在一份文档中逐页切换纸张方向，混排文档总会这样旋转。")

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("文档", self.kind_combo)
        self.form.addRow("单位", self.unit_combo)
        self.form.addRow("格式", fmt_row)
        self.form.addRow("范围", scope_box)
        self.form.addRow("增加列", col_row)
        self.form.addRow("统计日期", self.date_edit)

        self.report_editor = ReportEditor()
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
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(340)
        self.panel = panel

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.unit_combo.currentIndexChanged.connect(lambda *_: self.unit_changed.emit())
        self.scope_group.buttonToggled.connect(self._scope_toggled)
        for c in self.column_checks.values():
            c.toggled.connect(lambda *_: self.changed.emit())
        self.date_edit.dateChanged.connect(lambda *_: self.date_changed.emit())
        self.format_group.buttonToggled.connect(self._format_toggled)
        self.report_editor.edited.connect(self.changed)
        self.rotate_check.toggled.connect(self._rotate_toggled)

    # --- the choices -----------------------------------------------------------------------------
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def format_buttons(self) -> dict[str, QRadioButton]:
        return {"pdf": self.pdf_radio, "docx": self.docx_radio, "xlsx": self.xlsx_radio}

    def fmt(self) -> str:
        return next((f for f, b in self.format_buttons().items() if b.isChecked()), "pdf")

    def set_format(self, fmt: str) -> None:
        """Choose ``fmt`` ('pdf' | 'docx' | 'xlsx'); Excel for the report falls back to PDF (and comes
        back when a table is chosen)."""
        self._chosen_fmt = fmt if fmt in FORMAT_FILTERS else "pdf"
        self._show_format()

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

    def request(self, notice: NoticeInfo, fmt: str, out: Path, tag: dict) -> ExportRequest:
        """The export of ``notice`` with the current options as ``fmt`` to ``out``."""
        kind = self.kind()
        return ExportRequest(
            kind, notice, self.rows(), fmt, out,
            unit=self.unit() if kind == "units" else None,
            columns=self.columns() if kind == "table" else None,
            today=self.as_of(),
            report=self.report_editor.info() if kind == "report" else None,
            tag=tag)

    def document_title(self, notice: NoticeInfo) -> str:
        """The chosen document's title: the report's own title, else 〈subject〉〈document〉."""
        if self.kind() == "report":
            return self.report_editor.info().title or f"关于{subject(notice)}落实情况的报告"
        return f"{subject(notice)}{KINDS[self.kind()]}"

    def redraft(self, notice: NoticeInfo, office: str) -> None:
        """A fresh draft of the report for the rows and date chosen (署名: the reporting unit, else ``office``)."""
        info = draft_report(notice, self.rows(), self.as_of(), self.unit())
        if not (info.signer or "").strip() and office:
            info = dataclasses.replace(info, signer=office)
        self.report_editor.set_info(info)

    def needs_signer(self) -> bool:
        """The report is chosen and has no 署名."""
        return self.kind() == "report" and not (self.report_editor.info().signer or "").strip()

    def sign(self, name: str) -> None:
        """The report signed ``name`` (the clerk's edits still count as the clerk's)."""
        touched = self.report_editor.touched
        self.report_editor.set_info(dataclasses.replace(self.report_editor.info(), signer=name))
        self.report_editor.touched = touched

    def set_rotation(self, on: bool) -> None:
        """The rotation a preview suggests (mixed orientations), unless the clerk has set it."""
        if not self.rotate_touched:
            self.rotate_check.blockSignals(True)
            self.rotate_check.setChecked(on)
            self.rotate_check.blockSignals(False)

    # --- remembered --------------------------------------------------------------------------------
    def restore(self, settings: Settings) -> None:
        kind = settings.get(EXPORT_KIND)
        if kind in KINDS:
            self.set_kind(kind)
        self.set_format(settings.get(EXPORT_FORMAT))
        cols = settings.get(EXPORT_COLUMNS)
        for key, c in self.column_checks.items():
            c.setChecked(key in cols)

    def save(self, settings: Settings) -> None:
        settings.set(EXPORT_KIND, self.kind())
        settings.set(EXPORT_FORMAT, self.fmt())
        settings.set(EXPORT_COLUMNS, self.columns())

    # --- what a choice shows -----------------------------------------------------------------------
    def show_for_kind(self) -> None:
        """The rows, tips and formats the current document has."""
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
            self.fill_units()

    def fill_units(self) -> None:
        """The units named in the rows in scope (the choice kept when it is still there)."""
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

    def _show_format(self) -> None:
        fmt = self._chosen_fmt
        if fmt == "xlsx" and self.kind() not in XLSX_KINDS:
            fmt = "pdf"
        button = self.format_buttons()[fmt]
        if not button.isChecked():
            self.format_group.blockSignals(True)
            button.setChecked(True)
            self.format_group.blockSignals(False)
        self.format_changed.emit()

    def _kind_changed(self, *_args) -> None:
        self.show_for_kind()
        self.kind_changed.emit()

    def _scope_toggled(self, _button, checked: bool) -> None:
        if not checked:
            return
        if self.kind() in ("units", "report"):
            self.fill_units()
        self.scope_changed.emit()

    def _format_toggled(self, button, checked: bool) -> None:
        if checked:
            self._chosen_fmt = next(f for f, b in self.format_buttons().items() if b is button)
        self.format_changed.emit()

    def _rotate_toggled(self, _on: bool) -> None:
        self.rotate_touched = True
