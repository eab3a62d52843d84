"""Start-up to a ready window: `python -m desktop --quit-when-ready` against a bare PySide6 window.

Prints medians of 5 whole-process runs of each, measured alternately in one run so the ratio is fair
on a noisy shared machine. Goal (issue 2): NoticeDesk ≤ 2× the bare window.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QTableView()); w.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   NOTICEDESK_DATA_DIR=data)
        app_cmd = [sys.executable, "-m", "desktop", "--quit-when-ready", "--no-err-windows"]
        bare_cmd = [sys.executable, "-c", BARE]
        wall(app_cmd, env)  # first run creates the ledger file; not counted
        wall(bare_cmd, env)
        app_t, bare_t = [], []
        for _ in range(runs):
            bare_t.append(wall(bare_cmd, env))
            app_t.append(wall(app_cmd, env))
    a, b = statistics.median(app_t), statistics.median(bare_t)
    print(f"start-up, median of {runs}: NoticeDesk {a * 1000:.0f} ms, bare PySide6 window {b * 1000:.0f} ms, "
          f"ratio {a / b:.2f}× (goal ≤ 2×)")


if __name__ == "__main__":
    main()
