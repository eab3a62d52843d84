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

This module is the window: the report shown, its edits and live checks. Its collaborators:
``annual_report_layout`` builds the widgets, ``annual_report_keeping`` keeps the report in the ledger (load,
autosave, conflicts), ``annual_report_drafting`` and ``annual_report_files`` are the buttons.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
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
    QWidget,
)

from desktop.annual.checks import Problem, check
from desktop.annual.model import AnnualReport, parse_value

from . import annual_report_drafting as drafting
from . import annual_report_files as files
from . import annual_report_layout as layout
from .annual_grid import AnnualGrid
from .annual_report_keeping import LATER, OVERWRITE, RELOAD, SAVE_DELAY_MS, AnnualReportKeeper
from .annual_report_layout import TAB_NAMES
from .messages import MessageBridge
from .window_fit import fit_to_screen

__all__ = ["AnnualReportWindow", "CHECK_DELAY_MS", "LATER", "OVERWRITE", "RELOAD", "SAVE_DELAY_MS", "TAB_NAMES"]

CHECK_DELAY_MS = 250
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1


class AnnualReportWindow(QMainWindow):
    """The annual report window over ``ledger`` (reports stored in it, notices for drafting); ``data_dir`` is
    where the file dialogs start."""

    saved = Signal(int)  # the year stored in the ledger

    # the widgets, made by annual_report_layout.build
    year_spin: QSpinBox
    organ_edit: QLineEdit
    title_label: QLabel
    saved_label: QLabel
    draft_button: QPushButton
    copy_button: QPushButton
    import_button: QPushButton
    save_button: QPushButton
    word_button: QPushButton
    pdf_button: QPushButton
    tabs: QTabWidget
    intro_edit: QPlainTextEdit
    editors: dict[str, QPlainTextEdit]  # "intro" and the text sections 一/五/六
    grids: dict[str, AnnualGrid]  # by table id
    tab_of: dict[str, int]  # section or table id → its tab
    check_label: QLabel
    check_list: QListWidget
    split: QSplitter

    def __init__(self, data_dir: Path, ledger=None, year: int | None = None,
                 messages: MessageBridge | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import datetime as dt

        self.setObjectName("annualReportWindow")
        self.data_dir = Path(data_dir)
        self.ledger = ledger
        self.messages = messages if messages is not None else MessageBridge(self)
        self.ask_open_path: Callable[[], Path | None] = lambda: files.ask_open_path(self)
        self.ask_save_path: Callable[[str, str], Path | None] = lambda fmt, name: files.ask_save_path(self, fmt, name)
        self.confirm: Callable[[str, str], bool] = self.messages.confirm
        self.report = AnnualReport.empty(year or dt.date.today().year - 1)
        self.last_year: AnnualReport | None = None
        self.problems: list[Problem] = []
        self.keeper = AnnualReportKeeper(self)
        self._loading = False
        self._shown = False
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS, timeout=self.refresh_checks)
        layout.build(self)
        self.keeper.take_in_files()
        self.load_year(self.report.year)
        fit_to_screen(self, 1240, 860)
        layout.size_split(self)

    @classmethod
    def for_ledger(cls, ledger, messages: MessageBridge | None = None, parent: QWidget | None = None):
        """The window over ``ledger``; file dialogs start in its data folder (the user's when it has none)."""
        data_dir = getattr(ledger, "data_dir", None)
        if data_dir is None:
            from desktop.storage.paths import default_data_dir

            data_dir = default_data_dir()
        return cls(Path(data_dir), ledger, messages=messages, parent=parent)

    @property
    def version(self) -> int | None:
        """The stored report's version as last read or written (0: not stored; None: no ledger)."""
        return self.keeper.version

    @property
    def _dirty(self) -> bool:
        """Edits not yet stored in the ledger."""
        return self.keeper.dirty

    # ---- loading and showing --------------------------------------------------------------------

    def load_year(self, year: int, force: bool = False) -> None:
        """Store the year shown, then show ``year``: its saved report, else an empty one (organ kept).
        ``force``: read it again even when it is the year shown."""
        if year == self.report.year and not self._dirty and self._shown and not force:
            return
        if not self.flush():  # the year shown could not be stored: stay on it, nothing lost
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(self.report.year)
            self.year_spin.blockSignals(False)
            return
        organ = self.report.organ
        report = self.keeper.read(year)
        self.report = report or AnnualReport.empty(year, organ)
        self.last_year = self.keeper.stored(year - 1)[0]
        self._shown = True
        self._show_report()
        self._update_saved_label(saved=report is not None)

    def replace_report(self, report: AnnualReport) -> None:
        """Show ``report`` in place of the year's (drafted or opened from a file) and store it at once."""
        self.report = report
        self._show_report()
        self._changed(checks_now=True)
        self.flush()

    def has_content(self) -> bool:
        """Whether the report has any text of a section or any number typed."""
        r = self.report
        return any(t.strip() for t in r.texts.values()) or any(not t.is_blank() for t in r.tables.values())

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

    def info(self, text: str) -> None:
        """Good news goes to the status bar (no box to click away)."""
        self.statusBar().showMessage(text, 15000)

    # ---- edits ----------------------------------------------------------------------------------

    def _changed(self, checks_now: bool = False) -> None:
        self.keeper.changed()
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
        return self.keeper.flush()

    def report_saved(self) -> None:
        """The keeper stored the report: say so, and tell who listens (``saved``)."""
        self._update_saved_label(saved=True)
        self.saved.emit(self.report.year)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.flush()
        super().closeEvent(event)

    # ---- buttons (annual_report_drafting, annual_report_files) ----------------------------------

    def draft_from_ledger(self) -> bool:
        """从台账起草: sections 一 and 六's 要点落实情况 from the ledger's notices of this year."""
        return drafting.draft_from_ledger(self)

    def start_from_last_year(self) -> bool:
        """以上年报告为基础新建: last year's texts, every number cleared."""
        return drafting.start_from_last_year(self)

    def import_json(self) -> bool:
        """打开已存的报告数据…: a .json file's report in place of the year's."""
        return files.import_json(self)

    def save_json_as(self) -> Path | None:
        """另存报告数据…: the report as a .json file."""
        return files.save_json_as(self)

    def export(self, fmt: str) -> Path | None:
        """导出 Word/PDF: the open problems first (the clerk may go on), then the file."""
        return files.export(self, fmt)
