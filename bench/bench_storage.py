"""Storage figures at 5,000 tasks: import one notice, open + load its tree, and single-field edits.

Prints numbers only (no pass/fail). Goals (issue 2): open + tasks() ≤ 1 s; p99 of one stored
set_fields edit ≤ 20 ms. Runs in a temporary data folder.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.domain import Status  # noqa: E402
from desktop.numbering import chinese_numeral  # noqa: E402

SECTIONS, SUBSECTIONS, TASKS, ITEMS = 20, 5, 1220, 3  # 20 + 100 + 1,220 + 3,660 = 5,000 nodes
UNITS = ["县发改局", "县财政局", "县住建局", "县自然资源局", "县交通运输局", "各乡镇人民政府", "县教育局", "县卫健局"]


def parsed_tasks() -> list[dict]:
    """What importing would hand over: tasks under a two-level heading path, each with 3 items."""
    out = []
    for i in range(TASKS):
        sec, sub = divmod(i % (SECTIONS * SUBSECTIONS), SUBSECTIONS)
        out.append({
            "section": f"{chinese_numeral(sec + 1)}、第{sec + 1}方面工作 > （{chinese_numeral(sub + 1)}）第{sub + 1}项重点",
            "title": f"任务{i + 1}",
            "text": f"围绕第{i + 1}项任务，细化工作措施，明确责任分工，确保按期完成。" * 2,
            "lead_units": [UNITS[i % len(UNITS)]],
            "units": [UNITS[(i + 3) % len(UNITS)]],
            "deadline_text": "9月底前", "due_date": "2024-09-30", "deadline_kind": "date",
            "children": [{"text": f"第{j + 1}项具体措施", "lead_units": [UNITS[j]], "units": [UNITS[j + 4]]}
                         for j in range(ITEMS)],
        })
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    t0 = time.perf_counter()
    from desktop.storage.ledger import Ledger
    t_import_light = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        tasks = parsed_tasks()
        t0 = time.perf_counter()
        led = Ledger(data)  # first open: pays the SQLAlchemy import and creates the file
        t_first_open = time.perf_counter() - t0
        t0 = time.perf_counter()
        nid = led.create_notice_with_tasks({"title": "关于印发2024年重点工作任务分解表的通知", "date": "2024-03-01"}, tasks)
        t_create = time.perf_counter() - t0
        n_rows = len(led.tasks(nid))
        led.close()
        print(f"import `desktop.storage.ledger` (no SQLAlchemy): {ms(t_import_light)}; "
              f"first Ledger() incl. SQLAlchemy import + new file: {ms(t_first_open)}")
        print(f"create_notice_with_tasks, {n_rows} nodes (sections + tasks + items, 2 units each): {ms(t_create)}")

        # An existing up-to-date file: the start-up reads go through quickread (stdlib sqlite3), and
        # the same with the SQLAlchemy implementation built first (what every read after an edit uses).
        for label, warm in (("start-up path, quickread", False), ("SQLAlchemy path, after warm_up()", True)):
            opens, loads, both = [], [], []
            for _ in range(5):
                t0 = time.perf_counter()
                led = Ledger(data)
                if warm:
                    led.warm_up()
                t1 = time.perf_counter()
                rows = led.tasks(nid)
                t2 = time.perf_counter()
                led.close()
                assert len(rows) == n_rows
                opens.append(t1 - t0)
                loads.append(t2 - t1)
                both.append(t2 - t0)
            print(f"open ledger + tasks() of {n_rows} ({label}), median of 5: {ms(statistics.median(both))} "
                  f"(open {ms(statistics.median(opens))}, tasks() {ms(statistics.median(loads))}; goal ≤ 1 s)")

        led = Ledger(data)
        led.warm_up()  # time the edits themselves, not the one-off build of the implementation
        ids = [r.id for r in rows if r.depth >= 3]
        statuses = [Status.IN_PROGRESS, Status.DONE, Status.NOT_STARTED]
        times = []
        for i in range(1000):
            t0 = time.perf_counter()
            if i % 2:
                led.set_fields(ids[i % len(ids)], status=statuses[i % 3])
            else:
                led.set_fields(ids[i % len(ids)], progress_note=f"第{i}次更新落实情况")
            times.append(time.perf_counter() - t0)
        led.close()
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        print(f"set_fields, 1 field stored + logged, 1,000 edits: median {ms(statistics.median(times))}, "
              f"p99 {ms(p99)}, max {ms(times[-1])} (goal p99 ≤ 20 ms)")
        size = (data / "noticedesk.sqlite").stat().st_size
        print(f"ledger file after the run: {size / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
