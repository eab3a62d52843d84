"""Fixtures for the storage tests: an open ledger and a small sample notice, on BOTH engines.

Every test that uses ``ledger`` (or ``store``) runs twice: on a SQLite file in a temporary data folder
and on the PostgreSQL server named by ``$NOTICEDESK_TEST_PG_URL`` (``.ci/start-postgres.sh`` starts
one and prints it; ``make test`` and ``.ci/run`` do that), each PostgreSQL case in a fresh schema of
its own (``search_path`` set per connection, dropped afterwards). Without the variable the
PostgreSQL cases FAIL with the instruction; ``-m "not postgresql"`` deselects them explicitly.
A test that is about the SQLite file itself is marked ``sqlite_only``.
"""
from __future__ import annotations

import os
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.domain import DeadlineKind, Status, TaskRow, UnitCategory
from desktop.storage.ledger import Ledger

PG_ENV = "NOTICEDESK_TEST_PG_URL"
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("engine_name", ["sqlite"] if sqlite_only else ENGINES)


def pg_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"{PG_ENV} is not set, so the PostgreSQL half of the storage tests cannot run. Start the test "
                    f"server and export its URL: export {PG_ENV}=$(.ci/start-postgres.sh)  (make test does this); "
                    "to run the SQLite half only, deselect explicitly with -m 'not postgresql'.", pytrace=False)
    return url


@pytest.fixture(scope="session")
def pg_admin():
    """An engine on the test database, for creating and dropping the per-test schemas."""
    from sqlalchemy import create_engine

    engine = create_engine(pg_base_url(), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def pg_schema_url(base: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def pg_url(pg_admin) -> Iterator[str]:
    """The URL of a fresh, empty schema of the test server (dropped after the test)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with pg_admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    yield pg_schema_url(str(pg_admin.url.render_as_string(hide_password=False)), schema)
    with pg_admin.connect() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(engine_name: str, data_dir: Path, request: pytest.FixtureRequest) -> str | None:
    """Where the ledger lives: None for the SQLite file of ``data_dir``, else a migrated server schema's URL."""
    if engine_name == "sqlite":
        return None
    from desktop.storage import migrations

    url = request.getfixturevalue("pg_url")
    migrations.migrate(url)
    return url


@pytest.fixture
def open_ledger(store: str | None, data_dir: Path) -> Iterator[Callable[[], Ledger]]:
    """Opens another Ledger on the same store (a second window, or a second client of the server)."""
    opened: list[Ledger] = []

    def make() -> Ledger:
        led = Ledger(data_dir, db_url=store)
        opened.append(led)
        return led

    yield make
    for led in opened:
        led.close()


@pytest.fixture
def ledger(open_ledger) -> Ledger:
    return open_ledger()


@pytest.fixture
def sample(ledger: Ledger) -> dict[str, int]:
    """A notice with this tree (ids by name in the returned dict, plus 'notice'):

        A            lead 县政数局, responsible 各乡镇人民政府
          A1         text with three clauses, lead 县发改局
            A1a
            A1b
          A2
            A2a
        B
          B1
        C
    """
    ledger.add_unit("X县政务服务和数据管理局", short_name="县政数局", aliases=["政数局"],
                    category=UnitCategory.COUNTY_DEPT)
    ledger.add_unit("X县发展和改革局", short_name="县发改局", category=UnitCategory.COUNTY_DEPT)
    nid = ledger.create_notice("关于印发工作要点的通知", doc_number="X政办发〔2024〕1号", year=2024)
    ids = {"notice": nid}
    ids["A"] = ledger.add_task(nid, title="A", text="甲", lead_units=["政数局"], units=["各乡镇人民政府"])
    ids["A1"] = ledger.add_task(nid, ids["A"], title="A1", text="第一句，第二句。第三句", lead_units=["县发改局"],
                                deadline_text="9月底前", due_date="2024-09-30", deadline_kind=DeadlineKind.DATE,
                                status=Status.IN_PROGRESS, owner="张三", progress_note="已启动")
    ids["A1a"] = ledger.add_task(nid, ids["A1"], title="A1a")
    ids["A1b"] = ledger.add_task(nid, ids["A1"], title="A1b")
    ids["A2"] = ledger.add_task(nid, ids["A"], title="A2", text="乙", units=["X县发展和改革局", "县政数局"],
                                remark="备注乙")
    ids["A2a"] = ledger.add_task(nid, ids["A2"], title="A2a")
    ids["B"] = ledger.add_task(nid, title="B")
    ids["B1"] = ledger.add_task(nid, ids["B"], title="B1")
    ids["C"] = ledger.add_task(nid, title="C")
    return ids


def outline(rows: list[TaskRow]) -> list[str]:
    """'  A1a' style lines: the tree shape by title, for readable assertions."""
    return ["  " * (r.depth - 1) + r.title for r in rows]


def assert_dense(rows: list[TaskRow]) -> None:
    """Positions are 0..n-1 per parent, and pre-order matches the stored parents."""
    by_parent: dict[int | None, list[int]] = defaultdict(list)
    for r in rows:
        by_parent[r.parent_id].append(r.position)
    for parent, positions in by_parent.items():
        assert positions == list(range(len(positions))), (parent, positions)


def content(rows):
    """TaskRows (a list, or a dict of them) without their ``version``: what undo puts back (the
    version keeps counting up, so other clients see the undo as a change)."""
    from dataclasses import replace

    if isinstance(rows, dict):
        return {k: replace(r, version=0) for k, r in rows.items()}
    return [replace(r, version=0) for r in rows]
