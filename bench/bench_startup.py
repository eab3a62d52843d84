"""Start-up to a ready window: `python -m desktop --quit-when-ready` against a bare PySide6 window.

Prints medians of 5 whole-process runs of each, measured alternately in one run so the ratio is fair
on a noisy shared machine. Goal (issue 2): NoticeDesk ≤ 2× the bare window. Two NoticeDesk figures:
the splash on screen (the program visibly answers) and the ready window (ledger open, main window
shown, event loop idle: what `--quit-when-ready` waits for).
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


def wall(cmd: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Whole-process wall time and the app's start-up milestones, both from the spawn."""
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True, text=True)
    total = time.time() - t0
    marks = {}
    for line in proc.stderr.splitlines():
        if line.startswith("timing "):
            _, event, stamp = line.split()
            marks[event] = float(stamp) - t0
    return total, marks


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   NOTICEDESK_DATA_DIR=data, NOTICEDESK_TIMING="1")
        app_cmd = [sys.executable, "-m", "desktop", "--quit-when-ready", "--no-err-windows"]
        bare_cmd = [sys.executable, "-c", BARE]
        wall(app_cmd, env)  # first run creates the ledger file; not counted
        wall(bare_cmd, env)
        app_t, splash_t, ready_t, bare_t = [], [], [], []
        for _ in range(runs):
            bare_t.append(wall(bare_cmd, env)[0])
            total, marks = wall(app_cmd, env)
            app_t.append(total)
            splash_t.append(marks["splash_visible"])
            ready_t.append(marks["ready"])
    b = statistics.median(bare_t)
    print(f"start-up, median of {runs} whole processes (bare PySide6 window: {b * 1000:.0f} ms):")
    for label, values in (("splash on screen", splash_t), ("window ready (--quit-when-ready)", ready_t),
                          ("process exit", app_t)):
        m = statistics.median(values)
        print(f"  NoticeDesk {label}: {m * 1000:.0f} ms = {m / b:.2f}× bare (goal ≤ 2×)")


if __name__ == "__main__":
    main()
