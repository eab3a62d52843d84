"""Start-up to a ready window: `python -m desktop --quit-when-ready` against a bare PySide6 window.

Prints medians of 5 whole-process runs of each, measured alternately in one run so the ratio is fair
on a noisy shared machine. Goal (issue 2): NoticeDesk ≤ 2× the bare window. NoticeDesk figures: the
main window shown, and the ready window (ledger open, main window shown, event loop idle: what
`--quit-when-ready` waits for), and the whole process including its exit.

By default the app opens an empty ledger in a temporary folder. ``--data-dir DIR`` (or
``$BENCH_DATA_DIR``) copies DIR's ledger file into the temporary folder first, to time the start-up
on a ledger with notices in it (the original is never opened).
"""
from __future__ import annotations

import argparse
import os
import shutil
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


def main(runs: int = 5, source: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as data:
        if source is not None:
            shutil.copyfile(source / "noticedesk.sqlite", Path(data) / "noticedesk.sqlite")
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   NOTICEDESK_DATA_DIR=data, NOTICEDESK_TIMING="1")
        app_cmd = [sys.executable, "-m", "desktop", "--quit-when-ready", "--no-err-windows"]
        bare_cmd = [sys.executable, "-c", BARE]
        wall(app_cmd, env)  # first run creates the ledger file; not counted
        wall(bare_cmd, env)
        app_t, shown_t, ready_t, bare_t = [], [], [], []
        for _ in range(runs):
            bare_t.append(wall(bare_cmd, env)[0])
            total, marks = wall(app_cmd, env)
            app_t.append(total)
            shown_t.append(marks["window_shown"])
            ready_t.append(marks["ready"])
    b = statistics.median(bare_t)
    ledger = f"copy of {source}" if source is not None else "empty ledger"
    print(f"start-up, median of {runs} whole processes, {ledger} (bare PySide6 window: {b * 1000:.0f} ms):")
    for label, values in (("window shown", shown_t), ("window ready (--quit-when-ready)", ready_t),
                          ("process exit", app_t)):
        m = statistics.median(values)
        print(f"  NoticeDesk {label}: {m * 1000:.0f} ms = {m / b:.2f}× bare (goal ≤ 2×)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=os.environ.get("BENCH_DATA_DIR") or None,
                        help="time the start-up on a copy of this folder's noticedesk.sqlite")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    main(args.runs, Path(args.data_dir) if args.data_dir else None)
