"""Logging to a file in the data folder, and the exception hook that keeps tracebacks away from clerks.

Unexpected errors are written with their traceback to ``logs/noticedesk.log``; the clerk sees one
short Chinese sentence (through ``notify``, a callable the GUI replaces with a message box).
"""
from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("noticedesk")

CRASH_MESSAGE = "程序遇到意外错误，已记录到日志文件：{path}。您的数据已自动保存。如问题反复出现，请将该日志发给技术支持。"


def setup_logging(data_dir: Path, debug: bool = False) -> Path:
    """Send the app's log to ``data_dir/logs/noticedesk.log`` (rotated); returns the file path."""
    try:
        path = data_dir / "logs" / "noticedesk.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:  # a read-only data folder: log to the temporary folder, the ledger says what is wrong
        import tempfile

        path = Path(tempfile.gettempdir()) / "NoticeDesk-logs" / "noticedesk.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    return path


def install_excepthook(log_path: Path, notify: Callable[[str], None], show_traceback: bool = False) -> None:
    """Log every uncaught exception with its traceback and tell the clerk in one Chinese sentence."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("未处理的异常：\n%s", text)
        if show_traceback:
            sys.stderr.write(text)
        try:
            notify(CRASH_MESSAGE.format(path=log_path))
        except Exception:  # the notifier itself failed: the log already has the details
            log.exception("无法显示错误提示")

    sys.excepthook = hook
