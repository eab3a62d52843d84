"""The exception hook logs the traceback to the data folder and shows the clerk one Chinese sentence."""
from __future__ import annotations

import logging
import sys

from desktop.logs import install_excepthook, setup_logging


def test_uncaught_exception_is_logged_not_shown(data_dir, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        log_path = setup_logging(data_dir)
        shown: list[str] = []
        install_excepthook(log_path, shown.append)
        try:
            raise RuntimeError("模拟的程序错误")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        for h in root.handlers:
            h.flush()
        logged = log_path.read_text(encoding="utf-8")
        assert "Traceback" in logged and "模拟的程序错误" in logged
        assert len(shown) == 1
        assert "Traceback" not in shown[0] and str(log_path) in shown[0] and "意外错误" in shown[0]
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()
