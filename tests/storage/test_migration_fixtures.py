"""Every released schema version migrates forward, from a stored fixture file of that version
(``tests/fixtures/ledger_v{N}.sqlite``, made by ``make_ledger_v{N}.py``): rows kept, a backup made,
the schema equal to a new file's, and the file usable afterwards."""
from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.storage import migrations
from desktop.storage.engine import make_engine, sqlite_url
from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.paths import DB_FILE_NAME
from tests.storage.test_migrations import orm_schema, schema

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OLD_VERSIONS = list(range(1, migrations.CURRENT_VERSION))


def rows_of(path: Path, tables_and_columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if tables_and_columns is None:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                                " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            tables_and_columns = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in tables}
        return {t: con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1, 2").fetchall()
                for t, cols in tables_and_columns.items()}
    finally:
        con.close()


def columns_of(path: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in tables}
    finally:
        con.close()


def test_there_is_a_fixture_and_a_generator_for_every_old_version():
    assert migrations.CURRENT_VERSION == 5  # a new version needs ledger_v5.sqlite made before it ships
    for v in OLD_VERSIONS:
        assert (FIXTURES / f"ledger_v{v}.sqlite").is_file(), f"missing ledger_v{v}.sqlite"
        assert (FIXTURES / f"make_ledger_v{v}.py").is_file(), f"missing make_ledger_v{v}.py"
        assert rows_of(FIXTURES / f"ledger_v{v}.sqlite", {"schema_meta": ["name", "value"]})["schema_meta"] == [
            ("schema_version", str(v))]


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_the_generator_reproduces_the_stored_fixture(tmp_path, version):
    spec = importlib.util.spec_from_file_location(f"make_v{version}", FIXTURES / f"make_ledger_v{version}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.main(tmp_path / "made.sqlite")
    assert rows_of(made) == rows_of(FIXTURES / f"ledger_v{version}.sqlite")


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_each_old_version_migrates_to_the_current_one(data_dir, version):
    fixture = FIXTURES / f"ledger_v{version}.sqlite"
    path = data_dir / DB_FILE_NAME
    shutil.copyfile(fixture, path)
    before, old_columns = rows_of(fixture), columns_of(fixture)
    with Ledger(data_dir) as led:
        assert led._sql.found_version == version and led.schema_version == migrations.CURRENT_VERSION
        (backup,) = (data_dir / "backups").iterdir()
        assert backup.name.startswith(f"noticedesk-before-v{migrations.CURRENT_VERSION}-")
        assert rows_of(backup) == before  # the backup is the file as it was
        # Every old row is kept, column for column (new columns and tables come on top).
        after = rows_of(path, old_columns)
        assert {t: r for t, r in after.items() if t != "schema_meta"} == \
               {t: r for t, r in before.items() if t != "schema_meta"}
        notices = led.notices()
        assert len(notices) == len(before["notice"])
        assert sum(n.task_count for n in notices) == len(before["task"])
        for n in notices:
            rows = led.tasks(n.id)
            assert len(rows) == n.task_count and all(r.number for r in rows)
        first = notices[-1].id
        tid = led.tasks(first)[0].id
        led.set_fields(tid, remark="迁移后可编辑")
        led.add_progress(tid, None, "迁移后的进展")
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    engine = make_engine(sqlite_url(path))
    try:
        assert schema(engine) == orm_schema(engine.dialect)
    finally:
        engine.dispose()
    with Ledger(data_dir) as again:  # current now: opened by the quick reader, no second backup
        assert again._quick is not None and again.schema_version == migrations.CURRENT_VERSION
    assert len(list((data_dir / "backups").iterdir())) == 1


def test_v2_fixture_progress_notes_become_log_entries(data_dir):
    shutil.copyfile(FIXTURES / "ledger_v2.sqlite", data_dir / DB_FILE_NAME)
    with Ledger(data_dir) as led:
        assert [(e.date.isoformat(), e.text) for e in led.progress_log(2)] == [("2025-03-28", "已在门户网站公开")]
        assert [(e.date.isoformat(), e.text) for e in led.progress_log(3)] == [("2025-04-02", "已公开12个项目")]
        assert led.progress_log(6) == []
        assert {u.name: u.collective for u in led.units()}["各乡镇人民政府"] is True
        assert led.resolve_unit("各乡镇").name == "各乡镇人民政府"


def test_v3_fixture_gains_versions_and_keeps_its_tracking_rows(data_dir):
    shutil.copyfile(FIXTURES / "ledger_v3.sqlite", data_dir / DB_FILE_NAME)
    with Ledger(data_dir) as led:
        rows = {r.id: r for r in led.tasks(1)}
        assert {r.version for r in rows.values()} == {1} and {n.version for n in led.notices()} == {1}
        t2 = rows[2]
        assert (t2.original_due_date.isoformat(), t2.revision_reason, t2.progress_note) == (
            "2026-02-28", "春节假期顺延", "已签订18份")
        assert [e.text for e in led.progress_log(2)] == ["已签订10份", "已签订18份"]
        assert [e.name for e in led.evidence(2)] == ["责任书扫描件.pdf"]
        assert [c.what for c in led.changes(1)][:1] == ["evidence:add"]
        led.set_fields(2, remark="迁移后")
        assert led.task(2).version == 2
        with pytest.raises(LedgerError):  # the v3 file's evidence lived in its data folder, not here
            led.evidence_path(1)
