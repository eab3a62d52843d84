"""The window at 5,000 tasks: opening the notice, filtering as the clerk types, and one edit end to end.

Prints numbers only. Goals (issue 2): filter ≤ 100 ms per keystroke; one edit stored ≤ 20 ms (p99,
storage alone — here also with the table refresh). Runs offscreen in a temporary data folder, with
the same 5,000-node notice as bench_storage.py, in a 1366×768 window.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_storage import parsed_tasks  # noqa: E402


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.storage.ledger import Ledger
    from desktop.ui.main_window import MainWindow
    from desktop.ui.messages import MessageBridge
    from desktop.ui.task_filter import TaskFilter

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        led = Ledger(Path(tmp))
        nid = led.create_notice_with_tasks({"title": "关于印发2024年重点工作任务分解表的通知"}, parsed_tasks())
        t0 = time.perf_counter()
        win = MainWindow(led, settings=Path(tmp) / "ui.ini", messages=MessageBridge(show_boxes=False))
        win.resize(1366, 768)
        win.show()
        win.controller.set_notice(nid)
        app.processEvents()
        print(f"window + notice of {len(led.tasks(nid))} nodes on screen: {(time.perf_counter() - t0) * 1000:.0f} ms")

        def timed(flt: TaskFilter) -> float:
            t = time.perf_counter()
            win.controller.set_filter(flt)
            app.processEvents()  # includes the repaint
            return (time.perf_counter() - t) * 1000

        for query in ("任", "任务1", "任务12", "任务123"):
            times = [timed(TaskFilter(text=query)) for _ in range(3)]
            shown = win.model.rowCount()
            print(f"filter '{query}': median {statistics.median(times):.0f} ms incl. repaint "
                  f"(top-level rows shown: {shown}) (goal ≤ 100 ms)")
        clear = [timed(TaskFilter()) for _ in range(3)]
        print(f"clear the filter (all 5,000 rows back): median {statistics.median(clear):.0f} ms")

        leaves = [r for r in led.tasks(nid) if not r.child_count][:200]
        edits = []
        for i, row in enumerate(leaves):
            t = time.perf_counter()
            win.controller.edit_cell(row.id, "owner", f"张三{i}")
            app.processEvents()
            edits.append((time.perf_counter() - t) * 1000)
        edits.sort()
        print(f"one cell edit through the undo stack, stored + row refreshed, {len(edits)} edits: "
              f"median {statistics.median(edits):.1f} ms, p99 {edits[int(len(edits) * 0.99) - 1]:.1f} ms")
        win.close()
        led.close()


if __name__ == "__main__":
    main()
