"""Tracking figures at 5,000 tasks: statistics (goal ≤ 200 ms) and the start-up digest (goal: adds ≤ 100 ms).

Prints numbers only (no pass/fail). One notice of 5,000 nodes (bench_storage's shape) with mixed
deadline kinds, statuses, done dates and progress entries, in a temporary data folder. "digest on
start" is what the main window would add after its first paint: load every notice's tree through the
start-up reader (``Ledger.digest``: ``open_tasks`` on stdlib sqlite3, no SQLAlchemy) and compute the digest.
"""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_storage import parsed_tasks  # noqa: E402

KINDS = [("9月底前", "2024-09-30", "date"), ("全年", "2024-12-31", "year_round"), ("长期坚持", None, "long_term"),
         ("每季度", None, "recurring"), ("6月底前", "2024-06-30", "date")]
STATUSES = ["未开始", "推进中", "已完成", "暂缓", "不适用", "推进中"]
TODAY = dt.date(2024, 7, 3)
YEAR_END = dt.date(2024, 12, 28)  # the worst case: every 全年 task is due within the week


def tasks() -> list[dict]:
    out = parsed_tasks()
    for i, t in enumerate(out):
        text, due, kind = KINDS[i % len(KINDS)]
        t.update(deadline_text=text, due_date=due, deadline_kind=kind)
        for j, item in enumerate(t["children"]):
            status = STATUSES[(i + j) % len(STATUSES)]
            item.update(deadline_text=text, due_date=due, deadline_kind=kind, status=status)
            if status == "已完成":
                item["done_on"] = "2024-06-15" if (i + j) % 2 else "2024-10-08"
    return out


def best_of(n: int, fn) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def ms(t: float) -> str:
    return f"{t * 1000:.1f} ms"


def main() -> None:
    from desktop.storage.ledger import Ledger
    from desktop.tracking.digest import digest
    from desktop.tracking.stats import unit_stats
    from desktop.tracking.units import collective_members

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        with Ledger(data) as led:
            nid = led.create_notice_with_tasks({"title": "关于印发2024年重点工作任务分解表的通知", "date": "2024-03-01"},
                                               tasks())
            rows = led.tasks(nid)
            leaves = [r.id for r in rows if not r.child_count][:1000]
            for k, tid in enumerate(leaves):  # progress entries on a fifth of the items
                if k % 5 == 0:
                    led.add_progress(tid, dt.date(2024, 4 + k % 3, 10), f"第{k}条进展")
        with Ledger(data) as led:  # reopen: the start-up path
            assert led._quick is not None

            t_cold = best_of(1, lambda: led.digest(TODAY))[0]
            d = led.digest(TODAY)
            assert led._sql is None, "the digest needed SQLAlchemy"
            t_digest_all = best_of(5, lambda: led.digest(TODAY))
            t_year_end = best_of(5, lambda: led.digest(YEAR_END))
            n_year_end = led.digest(YEAR_END).count()
            trees = led.tasks_by_notice()
            members = collective_members(led.units())
            n_rows = sum(len(v) for v in trees.values())
            t_load = best_of(5, led.tasks_by_notice)
            t_digest = best_of(10, lambda: digest(trees, TODAY, 7, {nid: 2024}))
            t_stats = best_of(10, lambda: unit_stats(trees, TODAY, {nid: 2024}))
            t_stats_exp = best_of(10, lambda: unit_stats(trees, TODAY, {nid: 2024}, members))
            t_ledger_stats = best_of(5, lambda: led.stats(TODAY, notice_id=nid))
        print(f"{n_rows} nodes; digest: {len(d.overdue)} overdue, {len(d.due_soon)} due soon, "
              f"{len(d.by_unit())} units")
        print(f"statistics over {n_rows} nodes (compute): best {ms(t_stats[0])}, median {ms(t_stats[1])} "
              f"[goal ≤ 200 ms]; with collective units expanded: median {ms(t_stats_exp[1])}")
        print(f"Ledger.stats (load + compute): median {ms(t_ledger_stats[1])}")
        print(f"digest compute: best {ms(t_digest[0])}, median {ms(t_digest[1])}")
        print(f"tasks_by_notice via start-up reader: median {ms(t_load[1])}")
        print(f"Ledger.digest on start (open_tasks + compute, no SQLAlchemy): first {ms(t_cold)}, "
              f"median {ms(t_digest_all[1])}; on {YEAR_END} ({n_year_end} items): median {ms(t_year_end[1])} "
              f"[goal ≤ 100 ms]")


if __name__ == "__main__":
    main()
