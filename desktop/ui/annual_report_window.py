"""AnnualReportWindow: the 政府信息公开工作年度报告 of one year, edited and checked live, saved as you go.

A year picker and the organ's name on top; tabs with the opening paragraph, the six sections (一/五/六 as
text, 二/三/四 as ``AnnualGrid``s with the official labels and shaded computed totals); below them the list of
open problems (``desktop.annual.checks``), where a click jumps to the cell or section. Buttons: 从台账起草
(sections 一 and 六's 要点落实情况 from the ledger's notices of the year), 以上年报告为基础新建, 打开已存的报告数据… /
另存报告数据… (the report's data as a .json file, e.g. to carry to another PC), 导出 Word/PDF (the open problems are listed first; export is never refused).

Every change is stored in the ledger (``Ledger.save_annual_report``: a moment after the last change, and at
once on closing or changing the year), so backups, restores and a server ledger carry the reports. On opening,
the ``annual-reports/YEAR.json`` files an earlier NoticeDesk kept are taken into the ledger
(``Ledger.import_annual_files``); a file that cannot be is named in a warning and left in place. Two clerks
saving the same year on a server: the save carries the version last read, and when the other clerk saved in
between the clerk chooses to reload theirs, overwrite it with this window's, or not save yet (as for tasks,
nothing is overwritten silently). Without a ledger (``ledger=None``) the window edits and exports but stores
nothing. The file dialogs and confirmations are attributes (``ask_open_path``, ``ask_save_path``,
``confirm``) so tests can replace them.

Size: one window of six tabs and its buttons (load, store, conflicts, drafting, files, export); the grids
are ``annual_grid.py`` and the rules ``desktop.annual``, what is left is the wiring of one window.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.annual import store
from desktop.annual.checks import Problem, check
from desktop.annual.drafting import draft_section_one, draft_section_six, from_last_year
from desktop.annual.model import SECTIONS, AnnualReport, ReportFormatError, parse_value
from desktop.storage.ledger import ConflictError, LedgerError

from .annual_grid import AnnualGrid
from .messages import MessageBridge
from .window_fit import fit_to_screen

SAVE_DELAY_MS = 600
TAB_NAMES = {"一": "一、总体情况", "二": "二、主动公开", "三": "三、依申请公开", "四": "四、复议诉讼",
             "五": "五、问题和改进", "六": "六、其他事项"}
CHECK_DELAY_MS = 250
RELOAD, OVERWRITE, LATER = "重新加载对方保存的内容", "用我的内容覆盖", "暂不保存"
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1


class AnnualReportWindow(QMainWindow):
    """The annual report window over ``ledger`` (reports stored in it, notices for drafting); ``data_dir`` is
    where the file dialogs start."""

    saved = Signal(int)  # the year stored in the ledger

    def __init__(self, data_dir: Path, ledger=None, year: int | None = None,
                 messages: MessageBridge | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import datetime as dt

        self.setObjectName("annualReportWindow")
        self.data_dir = Path(data_dir)
        self.ledger = ledger
        self.version: int | None = None  # the stored row's version as last read or written (0: not stored)
        self.messages = messages if messages is not None else MessageBridge(self)
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self.ask_save_path: Callable[[str, str], Path | None] = self._ask_save_path
        self.confirm: Callable[[str, str], bool] = self.messages.confirm
        self.report = AnnualReport.empty(year or dt.date.today().year - 1)
        self.last_year: AnnualReport | None = None
        self.problems: list[Problem] = []
        self._dirty = False
        self._loading = False
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS, timeout=self.flush)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS, timeout=self.refresh_checks)
        self._build()
        self._take_in_files()
        self.load_year(self.report.year)
        fit_to_screen(self, 1240, 860)
        self._size_split()

    @classmethod
    def for_ledger(cls, ledger, messages: MessageBridge | None = None, parent: QWidget | None = None):
        """The window over ``ledger``; file dialogs start in its data folder (the user's when it has none)."""
        data_dir = getattr(ledger, "data_dir", None)
        if data_dir is None:
            from desktop.storage.paths import default_data_dir

            data_dir = default_data_dir()
        return cls(Path(data_dir), ledger, messages=messages, parent=parent)

    # ---- widgets --------------------------------------------------------------------------------

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("annualYear")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self.report.year)
        self.year_spin.setKeyboardTracking(False)
        self.year_spin.valueChanged.connect(self.load_year)
        top.addWidget(self.year_spin)
        top.addSpacing(16)
        top.addWidget(QLabel("机关名称："))
        self.organ_edit = QLineEdit()
        self.organ_edit.setObjectName("annualOrgan")
        self.organ_edit.setPlaceholderText("例如：某某县某某镇人民政府")
        self.organ_edit.textChanged.connect(self._organ_changed)
        top.addWidget(self.organ_edit, 1)
        self.title_label = QLabel()
        self.title_label.setObjectName("annualTitle")
        top.addWidget(self.title_label, 2)

        buttons = QHBoxLayout()
        self.draft_button = self._button(buttons, "从台账起草", self.draft_from_ledger,
                                         "根据台账中本年度的通知和任务，起草第一部分和第六部分的“年度政务公开工作要点落实情况”")
        self.copy_button = self._button(buttons, "以上年报告为基础新建", self.start_from_last_year,
                                        "保留上年报告的文字，清空全部数字")
        buttons.addSpacing(12)
        self.import_button = self._button(buttons, "打开已存的报告数据…", self.import_json,
                                          "打开以前用“另存报告数据…”保存的文件（.json），替换本年度报告的内容")
        self.save_button = self._button(buttons, "另存报告数据…", self.save_json_as,
                                        "把本年度报告的全部内容另存为一个文件（.json），可拷到其他电脑上继续填写。\n"
                                        "报告本身随时自动保存，不必另存。")
        buttons.addSpacing(12)
        self.word_button = self._button(buttons, "导出 Word…", lambda: self.export("docx"), "导出为 .docx 公文")
        self.pdf_button = self._button(buttons, "导出 PDF…", lambda: self.export("pdf"), "导出为 .pdf 公文")
        buttons.addStretch(1)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("annualSaved")
        buttons.addWidget(self.saved_label)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("annualTabs")
        self.editors: dict[str, QPlainTextEdit] = {}
        self.grids: dict[str, AnnualGrid] = {}
        self.tab_of: dict[str, int] = {}
        self.intro_edit = self._text_tab("intro", "开头", "开头段落（编制依据、统计期限）")
        for s in SECTIONS:
            label = f"{s.no}、{s.title}"
            if s.kind == "text":
                self._text_tab(s.no, TAB_NAMES[s.no], label)
            else:
                grid = AnnualGrid(s.table_id)
                grid.value_edited.connect(self._cell_edited)
                page = QWidget()
                lay = QVBoxLayout(page)
                lay.addWidget(QLabel(label))
                lay.addWidget(grid, 1)
                self.grids[s.table_id] = grid
                self.tab_of[s.table_id] = self.tabs.addTab(page, TAB_NAMES[s.no])

        self.check_label = QLabel()
        self.check_label.setObjectName("annualCheckCount")
        self.check_list = QListWidget()
        self.check_list.setObjectName("annualChecks")
        self.check_list.setWordWrap(True)
        self.check_list.itemClicked.connect(self.jump_to)
        self.check_list.itemActivated.connect(self.jump_to)
        checks = QWidget()
        cl = QVBoxLayout(checks)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.check_label)
        cl.addWidget(self.check_list, 1)

        # the problems stay in sight on a 1366×768 screen: never collapsed, at least a few lines tall
        checks.setMinimumHeight(self.check_label.sizeHint().height() + self.fontMetrics().lineSpacing() * 3 + 16)
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("annualSplit")
        split.addWidget(self.tabs)
        split.addWidget(checks)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.addLayout(top)
        lay.addLayout(buttons)
        lay.addWidget(split, 1)
        self.setCentralWidget(central)

    def _size_split(self) -> None:
        """About a quarter of the height for the problems below the tabs (more than their minimum)."""
        total = max(self.split.height(), self.height() - 120)
        checks = max(self.split.widget(1).minimumHeight(), total // 4)
        self.split.setSizes([max(1, total - checks), checks])

    def _button(self, layout: QHBoxLayout, text: str, slot, tip: str) -> QPushButton:
        b = QPushButton(text)
        b.setToolTip(tip)
        b.clicked.connect(lambda _checked=False: slot())
        layout.addWidget(b)
        return b

    def _text_tab(self, key: str, tab: str, label: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(f"annualText{key}")
        edit.textChanged.connect(lambda k=key: self._text_changed(k))
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(QLabel(label + ("" if key == "intro" else "（每段一行；“（一）……”单独一行为小标题）")))
        lay.addWidget(edit, 1)
        self.editors[key] = edit
        self.tab_of[key] = self.tabs.addTab(page, tab)
        return edit

    # ---- loading and showing --------------------------------------------------------------------

    def load_year(self, year: int, force: bool = False) -> None:
        """Store the year shown, then show ``year``: its saved report, else an empty one (organ kept).
        ``force``: read it again even when it is the year shown."""
        if year == self.report.year and self._dirty is False and hasattr(self, "_shown") and not force:
            return
        if not self.flush():  # the year shown could not be stored: stay on it, nothing lost
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(self.report.year)
            self.year_spin.blockSignals(False)
            return
        organ = self.report.organ
        report, version = self._stored(year, report_errors=True)
        self.report = report or AnnualReport.empty(year, organ)
        self.version = version
        self.last_year = self._stored(year - 1)[0]
        self._shown = True
        self._show_report()
        self._dirty = False
        self._update_saved_label(saved=report is not None)

    def _stored(self, year: int, report_errors: bool = False) -> tuple[AnnualReport | None, int | None]:
        """(the ledger's report of ``year`` or None, its version: 0 when none is stored; None without a
        ledger or when it cannot be read). ``report_errors``: tell the clerk why it could not be read."""
        if self.ledger is None:
            return None, None
        try:
            found = self.ledger.annual_report(year)
        except (ReportFormatError, LedgerError) as exc:
            if report_errors:
                self.messages.error(f"{year}年的报告无法从台账读取：{exc}")
            return None, None
        return (None, 0) if found is None else (found.report, found.version)

    def _take_in_files(self) -> None:
        """The ``annual-reports/YEAR.json`` files of an earlier NoticeDesk go into the ledger; those that cannot
        are named (they stay where they are)."""
        if self.ledger is None:
            return
        try:
            result = self.ledger.import_annual_files()
        except LedgerError as exc:
            self.messages.error(f"无法把年度报告文件导入台账：{exc}")
            return
        if result.left:
            self.messages.warning("以下年度报告文件没有导入台账，仍留在原处：\n" + "\n".join(result.messages()))

    def _show_report(self) -> None:
        self._loading = True
        try:
            r = self.report
            if self.year_spin.value() != r.year:
                self.year_spin.blockSignals(True)
                self.year_spin.setValue(r.year)
                self.year_spin.blockSignals(False)
            self.organ_edit.setText(r.organ)
            self.intro_edit.setPlainText(r.intro)
            for no, edit in self.editors.items():
                if no != "intro":
                    edit.setPlainText(r.texts.get(no, ""))
            for tid, grid in self.grids.items():
                grid.show_values(r.tables[tid])
                grid.resizeRowsToContents()
        finally:
            self._loading = False
        self.copy_button.setEnabled(True)
        self._update_title()
        self.refresh_checks()

    def _update_title(self) -> None:
        self.title_label.setText(f"标题：{self.report.title}")
        self.setWindowTitle(f"{self.report.year}年政府信息公开工作年度报告 - 要点台账")

    def _update_saved_label(self, saved: bool) -> None:
        if self.ledger is None:
            self.saved_label.setText("没有打开台账，修改不会保存（可用“另存报告数据…”保存）")
        else:
            self.saved_label.setText("已自动保存到台账" if saved else "尚未保存（修改后自动保存到台账）")

    # ---- edits ----------------------------------------------------------------------------------

    def _changed(self, checks_now: bool = False) -> None:
        self._dirty = True
        self._save_timer.start()
        if checks_now:
            self.refresh_checks()
        else:
            self._check_timer.start()

    def _organ_changed(self, text: str) -> None:
        if self._loading:
            return
        self.report.organ = text.strip()
        self._update_title()
        self._changed()

    def _text_changed(self, key: str) -> None:
        if self._loading:
            return
        text = self.editors[key].toPlainText()
        if key == "intro":
            self.report.intro = text
        else:
            self.report.texts[key] = text
        self._changed()

    def _cell_edited(self, table: str, row: str, col: str, text: str) -> None:
        grid = self.grids[table]
        try:
            value = parse_value(text)
        except ValueError:
            self.messages.warning(f"“{text.strip()}”不是数字。请填写数字（没有发生的事项填 0），或清空表示未填。")
            grid.show_values(self.report.tables[table])
            return
        self.report.set(table, row, col, value)
        grid.show_values(self.report.tables[table])
        self._changed(checks_now=True)

    def set_cell(self, table: str, row: str, col: str, text: str) -> None:
        """Type ``text`` into a cell as the clerk would (tests, scripts)."""
        self.grids[table].item_at_key(row, col).setText(text)

    # ---- checks ---------------------------------------------------------------------------------

    def refresh_checks(self) -> None:
        self._check_timer.stop()
        self.problems = check(self.report, self.last_year)
        self.check_list.clear()
        tips: dict[str, dict[tuple[str, str], str]] = {tid: {} for tid in self.grids}
        for p in self.problems:
            item = QListWidgetItem(p.message)
            item.setData(PROBLEM_ROLE, p)
            self.check_list.addItem(item)
            if p.cell and p.kind != "blank":
                tips[p.table].setdefault((p.row, p.col), p.message)
        for tid, grid in self.grids.items():
            grid.mark(tips[tid])
        n = len(self.problems)
        self.check_label.setText(f"待处理的问题：{n} 项（点击可跳到相应位置）" if n else "检查通过：没有发现问题。")

    def jump_to(self, item: QListWidgetItem | Problem) -> None:
        """Show the cell or section a problem points at."""
        p = item if isinstance(item, Problem) else item.data(PROBLEM_ROLE)
        if p is None:
            return
        if p.cell:
            self.tabs.setCurrentIndex(self.tab_of[p.table])
            self.grids[p.table].go_to(p.row, p.col)
        elif p.section:
            self.tabs.setCurrentIndex(self.tab_of[p.section])
            self.editors[p.section].setFocus()
        elif p.kind == "organ":
            self.organ_edit.setFocus()

    # ---- saving ---------------------------------------------------------------------------------

    def flush(self) -> bool:
        """Store the report in the ledger now if anything changed since the last save; False when it could not
        be (the clerk was told; the edits stay in the window and the next change tries again)."""
        self._save_timer.stop()
        if not self._dirty or self.ledger is None:  # without a ledger nothing is stored (the label says so)
            return True
        try:
            self.version = self.ledger.save_annual_report(self.report, expected_version=self.version)
        except ConflictError as exc:
            return self._conflict(exc)
        except (LedgerError, ReportFormatError) as exc:
            self.messages.error(f"年度报告无法自动保存到台账：{exc}")
            return False
        self._saved()
        return True

    def _saved(self) -> None:
        self._dirty = False
        self._update_saved_label(saved=True)
        self.saved.emit(self.report.year)

    def _conflict(self, exc: ConflictError) -> bool:
        """Another clerk saved this year since it was read: reload theirs, overwrite with ours, or not yet."""
        answer = self.messages.choose("年度报告已被其他人修改", str(exc), [RELOAD, OVERWRITE, LATER], proceed=OVERWRITE)
        if answer == OVERWRITE:
            try:
                self.version = self.ledger.save_annual_report(self.report)  # last writer wins, by choice
            except (LedgerError, ReportFormatError) as again:
                self.messages.error(f"年度报告无法保存到台账：{again}")
                return False
            self._saved()
            return True
        if answer == RELOAD:
            self._dirty = False
            self.load_year(self.report.year, force=True)
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.flush()
        super().closeEvent(event)

    # ---- buttons --------------------------------------------------------------------------------

    def _has_content(self) -> bool:
        r = self.report
        return any(t.strip() for t in r.texts.values()) or any(not t.is_blank() for t in r.tables.values())

    def draft_from_ledger(self) -> bool:
        """Sections 一 and 六's 要点落实情况 from the ledger's notices of this year."""
        if self.ledger is None:
            self.messages.warning("没有打开台账，无法起草。")
            return False
        year = self.report.year
        try:
            items = [(n, self.ledger.tasks(n.id)) for n in self.ledger.notices() if n.year == year]
        except Exception as exc:  # LedgerError and the like: shown, nothing changed
            self.messages.error(f"读取台账失败：{exc}")
            return False
        one = self.report.texts.get("一", "")
        if one.strip() and not self.confirm("从台账起草", "第一部分“总体情况”已有内容，起草的文字将替换它。继续吗？"):
            return False
        self.editors["一"].setPlainText(draft_section_one(items, year, self.report.organ))
        self.editors["六"].setPlainText(draft_section_six(items, year, self.report.texts.get("六", ""), self.report.organ))
        self._info(f"已根据台账中{year}年度的{len(items)}份通知起草第一部分和第六部分的要点落实情况，请修改完善。")
        self.tabs.setCurrentIndex(self.tab_of["一"])
        return True

    def start_from_last_year(self) -> bool:
        year = self.report.year
        if self.ledger is None:
            self.messages.warning("没有打开台账，无法读取上年报告。")
            return False
        last = self._stored(year - 1, report_errors=True)[0]
        if last is None:
            self.messages.warning(f"没有找到{year - 1}年的报告。请先在{year - 1}年度中填写或导入上年报告。")
            return False
        if self._has_content() and not self.confirm(
                "以上年报告为基础新建", f"{year}年的报告已有内容，将被上年报告的文字替换，全部数字清空。继续吗？"):
            return False
        self.report = from_last_year(last, year)
        self.last_year = last
        self._show_report()
        self._changed(checks_now=True)
        self.flush()
        self._info("已复制上年报告的文字，数字已清空。请逐段按本年实际改写（未改动的段落会在下方提示）。")
        return True

    def import_json(self) -> bool:
        path = self.ask_open_path()
        if path is None:
            return False
        try:
            report = store.load(path)
        except ReportFormatError as exc:
            self.messages.error(str(exc))
            return False
        year = self.report.year
        if report.year != year and not self.confirm(
                "打开已存的报告数据", f"文件中是{report.year}年的报告，当前年度是{year}年。作为{year}年的报告打开吗？"):
            return False
        if self._has_content() and not self.confirm("打开已存的报告数据",
                                                    f"{year}年的报告已有内容，将被文件中的内容替换。继续吗？"):
            return False
        report.year = year
        self.report = report
        self._show_report()
        self._changed(checks_now=True)
        self.flush()
        self._info(f"已打开 {Path(path).name} 中的报告数据。")
        return True

    def save_json_as(self) -> Path | None:
        path = self.ask_save_path("json", f"{self.report.title}.json")
        if path is None:
            return None
        try:
            store.save(self.report, path)
        except OSError as exc:
            self.messages.error(f"无法保存到 {path}：{exc.strerror or exc}")
            return None
        self._info(f"已保存：{path}")
        return Path(path)

    def export(self, fmt: str) -> Path | None:
        """导出 Word/PDF: the open problems first (the clerk may go on), then the file."""
        self.flush()
        self.refresh_checks()
        if self.problems:
            shown = "\n".join(f"· {p.message}" for p in self.problems[:12])
            more = f"\n……另有 {len(self.problems) - 12} 项" if len(self.problems) > 12 else ""
            if not self.confirm("导出前请核对", f"还有 {len(self.problems)} 项问题没有处理：\n{shown}{more}\n\n仍要导出吗？"):
                return None
        path = self.ask_save_path(fmt, f"{self.report.title}.{fmt}")
        if path is None:
            return None
        path = Path(path)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        from desktop.documents.annual_report_doc import export_annual

        try:
            result = export_annual(self.report, fmt, path)
        except OSError as exc:
            self.messages.error(f"无法写入 {path}：文件可能正在被 WPS/Word 打开，或没有写入权限（{exc.strerror or exc}）。")
            return None
        pages = f"，共 {result.pages} 页" if result.pages else ""
        notes = result.messages()
        self._info(f"已导出：{path}{pages}" + ("。" + "；".join(notes[:3]) if notes else ""))
        return path

    def _info(self, text: str) -> None:
        """Good news goes to the status bar (no box to click away)."""
        self.statusBar().showMessage(text, 15000)

    # ---- default dialogs ------------------------------------------------------------------------

    def _ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "打开已存的报告数据", str(self.data_dir), "年度报告数据 (*.json)")
        return Path(name) if name else None

    def _ask_save_path(self, fmt: str, suggested: str) -> Path | None:
        filters = {"json": "年度报告数据 (*.json)", "docx": "Word 文档 (*.docx)", "pdf": "PDF 文档 (*.pdf)"}
        title = {"json": "另存报告数据", "docx": "导出 Word", "pdf": "导出 PDF"}.get(fmt, "保存")
        name, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / suggested), filters[fmt])
        return Path(name) if name else None
