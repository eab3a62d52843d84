"""AnnualReportKeeper: how the annual report window keeps its report in the ledger.

It reads a year's report (``Ledger.annual_report``) with the version it carries, stores the window's report
a moment after the last change and at once when asked (``flush``: on closing or changing the year), and takes
the ``annual-reports/YEAR.json`` files of an earlier NoticeDesk into the ledger (``Ledger.import_annual_files``;
a file that cannot be is named in a warning and left in place). Two clerks saving the same year on a server:
the save carries the version last read, and on ``ConflictError`` the clerk chooses to reload the other
clerk's report (``RELOAD``), overwrite it with this window's (``OVERWRITE``), or not save yet (``LATER``) —
nothing is overwritten silently. Without a ledger nothing is stored and every flush succeeds.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from desktop.annual.model import AnnualReport, ReportFormatError
from desktop.storage.ledger import ConflictError, LedgerError

if TYPE_CHECKING:
    from .annual_report_window import AnnualReportWindow

SAVE_DELAY_MS = 600
RELOAD, OVERWRITE, LATER = "重新加载对方保存的内容", "用我的内容覆盖", "暂不保存"


class AnnualReportKeeper:
    """The ledger side of ``window``: reading, autosaving and settling conflicts of its report."""

    def __init__(self, window: AnnualReportWindow) -> None:
        self.window = window
        self.ledger = window.ledger
        self.messages = window.messages
        self.version: int | None = None  # the stored row's version as last read or written (0: not stored)
        self.dirty = False
        self.timer = QTimer(window, singleShot=True, interval=SAVE_DELAY_MS, timeout=self.flush)

    def stored(self, year: int, report_errors: bool = False) -> tuple[AnnualReport | None, int | None]:
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

    def read(self, year: int) -> AnnualReport | None:
        """The stored report of ``year`` (None when there is none or it cannot be read, the clerk told why);
        its version is the one the next save carries, and nothing is left to store."""
        report, self.version = self.stored(year, report_errors=True)
        self.dirty = False
        return report

    def take_in_files(self) -> None:
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

    def changed(self) -> None:
        """The report was edited: store it a moment after the last change."""
        self.dirty = True
        self.timer.start()

    def flush(self) -> bool:
        """Store the report in the ledger now if anything changed since the last save; False when it could not
        be (the clerk was told; the edits stay in the window and the next change tries again)."""
        self.timer.stop()
        if not self.dirty or self.ledger is None:  # without a ledger nothing is stored (the label says so)
            return True
        try:
            self.version = self.ledger.save_annual_report(self.window.report, expected_version=self.version)
        except ConflictError as exc:
            return self._conflict(exc)
        except (LedgerError, ReportFormatError) as exc:
            self.messages.error(f"年度报告无法自动保存到台账：{exc}")
            return False
        self._saved()
        return True

    def _saved(self) -> None:
        self.dirty = False
        self.window.report_saved()

    def _conflict(self, exc: ConflictError) -> bool:
        """Another clerk saved this year since it was read: reload theirs, overwrite with ours, or not yet."""
        answer = self.messages.choose("年度报告已被其他人修改", str(exc), [RELOAD, OVERWRITE, LATER], proceed=OVERWRITE)
        if answer == OVERWRITE:
            try:
                self.version = self.ledger.save_annual_report(self.window.report)  # last writer wins, by choice
            except (LedgerError, ReportFormatError) as again:
                self.messages.error(f"年度报告无法保存到台账：{again}")
                return False
            self._saved()
            return True
        if answer == RELOAD:
            self.dirty = False
            self.window.load_year(self.window.report.year, force=True)
            return True
        return False
