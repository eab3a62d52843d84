"""PostgreSQL over loopback against SQLite, at 5,000 tasks (issue 9): one stored edit's round trip
(set_fields with the version check, p50/p99 over 500) and opening a 5,000-task notice (Ledger() +
tasks()), on each engine.

Prints numbers only. The server: ``--db-url URL`` or ``$NOTICEDESK_TEST_PG_URL`` (``.ci/start-postgres.sh``
prints one); the bench works in a schema of its own and drops it. Without a server it says so and exits 0.

    NOTICEDESK_TEST_PG_URL=$(.ci/start-postgres.sh) .venv/bin/python bench/bench_pg.py
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_storage import parsed_tasks  # noqa: E402

EDITS = 500
OPENS = 7


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def measure(label: str, open_ledger) -> None:
    from desktop.domain import Status

    led = open_ledger()
    t0 = time.perf_counter()
    nid = led.create_notice_with_tasks({"title": "关于印发2024年重点工作任务分解表的通知", "date": "2024-03-01"},
                                       parsed_tasks())
    t_import = time.perf_counter() - t0
    rows = [r for r in led.tasks(nid) if not r.child_count]
    versions = {r.id: r.version for r in rows}
    edits = []
    statuses = [Status.IN_PROGRESS, Status.NOT_STARTED]
    for i in range(EDITS):
        r = rows[(i * 7) % len(rows)]
        t0 = time.perf_counter()
        led.set_fields(r.id, expected_version=versions[r.id], remark=f"第{i}次修改", status=statuses[i % 2])
        edits.append(time.perf_counter() - t0)
        versions[r.id] += 1
    led.close()
    opens, loads = [], []
    for _ in range(OPENS):
        t0 = time.perf_counter()
        led = open_ledger()
        t1 = time.perf_counter()
        n = len(led.tasks(nid))
        t2 = time.perf_counter()
        led.close()
        opens.append(t1 - t0)
        loads.append(t2 - t1)
    print(f"{label}:")
    print(f"  import of the 5,000-node notice (one transaction): {ms(t_import)}")
    print(f"  set_fields(expected_version=…) round trip, {EDITS} edits: p50 {ms(statistics.median(edits))}, "
          f"p99 {ms(pct(edits, 0.99))}, max {ms(max(edits))}")
    print(f"  open a {n}-node notice, median of {OPENS}: Ledger() {ms(statistics.median(opens))} + tasks() "
          f"{ms(statistics.median(loads))} = {ms(statistics.median([a + b for a, b in zip(opens, loads, strict=True)]))}")


def main() -> int:
    url = sys.argv[sys.argv.index("--db-url") + 1] if "--db-url" in sys.argv else os.environ.get("NOTICEDESK_TEST_PG_URL")
    from desktop.storage.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sqlite"
        measure("SQLite file (WAL, synchronous=FULL; re-opened through the stdlib start-up reader)",
                lambda: Ledger(data))
    if not url:
        print("PostgreSQL: skipped (no server: pass --db-url or set NOTICEDESK_TEST_PG_URL=$(.ci/start-postgres.sh))")
        return 0
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from desktop.storage import migrations

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        schema_url = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
        migrations.migrate(schema_url)
        with tempfile.TemporaryDirectory() as tmp:
            measure(f"PostgreSQL over loopback ({make_url(url).host}:{make_url(url).port}, psycopg 3)",
                    lambda: Ledger(Path(tmp), db_url=schema_url))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
