"""Exports off the GUI thread: an ``ExportRequest`` run by an ``ExportWorker`` (a QThread), with progress and cancel.

The documents package is plain Python and safe to call from a worker thread (one export per call).
The worker ends with exactly one outcome — ``outcome`` is "ok" (``result`` is the ExportResult),
"cancelled" or "failed" (``error`` is a Chinese sentence for the clerk, see ``describe_error``) — and then
emits ``done(worker)``. Signals carry the worker so a window can ignore a job it has since replaced. ``export`` writes to a temporary
file beside the target and renames it at the end, so a cancelled or failed export leaves nothing behind.
Excel (``fmt`` 'xlsx') is written by ``desktop.spreadsheets.writer.export_xlsx`` in one go (about a second for
thousands of rows): 取消 stops it before the workbook is written, not half way.
"""
from __future__ import annotations

import datetime as dt
import errno
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from desktop.documents import ExportCancelled, ExportResult, export
from desktop.domain import NoticeInfo, TaskRow

log = logging.getLogger(__name__)


@dataclass
class ExportRequest:
    """Everything ``desktop.documents.export`` needs, frozen at the moment the job starts."""

    kind: str
    notice: NoticeInfo
    rows: list[TaskRow]
    fmt: str
    out: Path
    unit: str | None = None
    columns: list[str] | None = None
    today: dt.date | None = None
    report: Any = None
    tag: dict = field(default_factory=dict)  # the caller's bookkeeping (e.g. which options it reflects)


def describe_error(exc: BaseException, out: Path) -> str:
    """A Chinese sentence for a failed export (never a traceback)."""
    name = out.name
    if isinstance(exc, PermissionError):
        return (f"无法写入“{name}”：文件可能正在被 WPS、Word 或 Excel 打开，或没有保存到该文件夹的权限。"
                "请关闭该文件后重试，或换一个文件名/位置。")
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or getattr(exc, "winerror", None) in (39, 112):
            return f"磁盘空间不足，无法保存“{name}”。请清理磁盘或换一个位置后重试；没有写入任何文件。"
        if exc.errno == errno.ENOENT:
            return f"保存位置不存在：{out.parent}。请换一个位置。"
        reason = exc.strerror or str(exc)
        return f"无法保存“{name}”：{reason}。没有写入任何文件。"
    if isinstance(exc, ValueError):
        return f"无法生成文档：{exc}"
    return f"生成文档时出错（{type(exc).__name__}：{exc}）。没有写入任何文件。"


class ExportWorker(QThread):
    """Runs one ``ExportRequest``; ``cancel()`` asks it to stop at the next row."""

    progressed = Signal(object, int, int)  # worker, rows laid out, all rows
    done = Signal(object)  # worker, after ``outcome`` is set

    def __init__(self, request: ExportRequest, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._stop = threading.Event()
        self._last = -1
        self.result = None  # the ExportResult once succeeded
        self.error = ""  # the clerk's message when failed
        self.outcome: str | None = None  # "ok" | "cancelled" | "failed", set before ``done`` fires

    def cancel(self) -> None:
        self._stop.set()

    def _progress(self, done: int, total: int) -> None:
        step = (100 * done // total) if total else 0
        if step != self._last:  # at most ~100 queued signals per export
            self._last = step
            self.progressed.emit(self, done, total)

    def run(self) -> None:
        r = self.request
        try:
            if self._stop.is_set():
                raise ExportCancelled
            if r.fmt == "xlsx":
                result = self._export_xlsx()
            else:
                result = export(r.kind, r.notice, r.rows, r.fmt, r.out, unit=r.unit, columns=r.columns,
                                today=r.today, report=r.report, progress=self._progress, cancel=self._stop.is_set)
        except ExportCancelled:
            self.outcome = "cancelled"
        except Exception as e:  # reported to the clerk in Chinese, logged with the traceback
            log.warning("export of %s to %s failed", r.kind, r.out, exc_info=True)
            self.error = describe_error(e, Path(r.out))
            self.outcome = "failed"
        else:
            self.result = result
            self.outcome = "ok"
        self.done.emit(self)

    def _export_xlsx(self) -> ExportResult:
        from desktop.spreadsheets.writer import export_xlsx

        r = self.request
        self._progress(0, len(r.rows))
        path = export_xlsx(r.kind, r.notice, r.rows, r.out, unit=r.unit, columns=r.columns, today=r.today)
        self._progress(len(r.rows), len(r.rows))
        return ExportResult(Path(path))
