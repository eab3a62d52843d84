"""Schema versions: a version-1 file is backed up and migrated with every row kept, a newer file is
refused untouched, and the schema the migrations build is exactly the ORM's (so a model change
without a migration step fails here)."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from desktop.domain import DeadlineKind, Status, UnitRole
from desktop.storage import migrations
from desktop.storage.engine import make_engine, sqlite_url
from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.models import Base
from desktop.storage.paths import DB_FILE_NAME

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ledger_v1.sqlite"
V1_TABLES = ("schema_meta", "notice", "task", "unit", "task_unit", "change_log")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path, columns_of: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of the version-1 tables (only the version-1 columns), in primary-key order."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in V1_TABLES:
            cols = (columns_of or {}).get(table) or [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1, 2").fetchall()
        return out
    finally:
        con.close()


def v1_columns() -> dict[str, list[str]]:
    con = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        return {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in V1_TABLES}
    finally:
        con.close()


@pytest.fixture
def v1_file(data_dir) -> Path:
    assert FIXTURE.exists(), "run tests/fixtures/make_ledger_v1.py"
    path = data_dir / DB_FILE_NAME
    shutil.copyfile(FIXTURE, path)
    return path


def test_fixture_is_version_1():
    assert dump(FIXTURE)["schema_meta"] == [("schema_version", "1")]
    assert len(dump(FIXTURE)["task"]) == 6


def test_v1_file_is_backed_up_then_migrated_keeping_every_row(data_dir, v1_file):
    original = dump(FIXTURE)
    with Ledger(data_dir) as led:
        assert led.schema_version == migrations.CURRENT_VERSION == 5
        backups = list((data_dir / "backups").iterdir())
        assert len(backups) == 1 and backups[0].name.startswith("noticedesk-before-v5-")
        # The backup is the file as it was: still version 1, same rows.
        assert dump(backups[0]) == original
        migrated = dump(v1_file, v1_columns())
        assert {t: rows for t, rows in migrated.items() if t != "schema_meta"} == \
               {t: rows for t, rows in original.items() if t != "schema_meta"}
        assert migrated["schema_meta"] == [("schema_version", "5")]
        # And the service reads the old rows correctly.
        rows = led.tasks(1)
        assert [(r.id, r.depth, r.number, r.title) for r in rows] == [
            (1, 1, "一、", "优化政务服务"), (2, 2, "（一）", "推进“一网通办”"), (3, 3, "1.", "梳理事项清单"),
            (4, 3, "2.", "上线办件系统"), (5, 1, "二、", "强化要素保障"), (6, 2, "（一）", "保障用地")]
        t2 = rows[1]
        assert t2.lead_units == ["X县政务服务和数据管理局"]
        assert t2.units == ["各乡镇人民政府", "X县发展和改革局"]
        assert (t2.status, t2.deadline_kind, str(t2.due_date), t2.owner) == (
            Status.IN_PROGRESS, DeadlineKind.DATE, "2024-09-30", "张三")
        assert rows[5].status is Status.PAUSED and rows[4].deadline_kind is DeadlineKind.YEAR_ROUND
        assert led.resolve_unit("县数据局").short_name == "县政数局"
        assert [u.collective for u in led.units()] == [False, False, False]  # v2 column, default
        assert led.notice_source(1)[1] == b"PK\x03\x04 fake docx bytes"
        assert len(led.changes(1)) == 2
        led.set_units(2, UnitRole.LEAD, ["发改局"])  # and it takes edits
    with Ledger(data_dir) as again:  # the second open finds it current: no new backup
        assert again.task(2).lead_units == ["X县发展和改革局"]
        assert len(list((data_dir / "backups").iterdir())) == 1


def test_failed_migration_leaves_the_file_at_its_old_version(data_dir, v1_file, monkeypatch):
    monkeypatch.setattr(migrations, "V2", migrations.V2 + ("CREATE INDEX broken ON no_such_table (x)",))
    with pytest.raises(LedgerError):
        Ledger(data_dir)
    con = sqlite3.connect(v1_file)
    assert con.execute("SELECT value FROM schema_meta").fetchone() == ("1",)
    assert "collective" not in [r[1] for r in con.execute("PRAGMA table_info(unit)")]  # DDL rolled back
    con.close()
    monkeypatch.undo()
    with Ledger(data_dir) as led:
        assert led.schema_version == 5


def test_newer_file_is_refused_and_left_untouched(data_dir):
    Ledger(data_dir).close()
    path = data_dir / DB_FILE_NAME
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_meta SET value = '7' WHERE name = 'schema_version'")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(LedgerError) as err:
        Ledger(data_dir)
    assert str(err.value) == ("台账文件由更新版本的 NoticeDesk 创建（版本 7），当前程序只支持到版本 5。"
                              "请升级程序后再打开。")
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]  # no backup, no -wal left


def test_an_empty_file_is_not_taken_for_a_new_ledger(data_dir):
    """A 0-byte ledger file may be a failed copy (issue 17): refused with a message, left as it is."""
    (data_dir / DB_FILE_NAME).write_bytes(b"")
    with pytest.raises(LedgerError, match="是空的（0 字节），可能是复制或保存没有完成"):
        Ledger(data_dir)
    assert (data_dir / DB_FILE_NAME).read_bytes() == b""
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]
    (data_dir / DB_FILE_NAME).unlink()  # deleted by the clerk: a new ledger
    with Ledger(data_dir) as led:
        assert led.schema_version == 5 and led.notices() == []


def schema(engine) -> dict:
    """Tables → columns (type as this dialect spells it, nullable), primary key, foreign keys,
    indexes and unique constraints, as the database reports them."""
    insp = inspect(engine)
    dialect = engine.dialect
    out = {}
    for t in sorted(insp.get_table_names()):
        pk = insp.get_pk_constraint(t)["constrained_columns"]
        out[t] = {
            "columns": {c["name"]: (c["type"].compile(dialect=dialect), c["nullable"] and c["name"] not in pk)
                        for c in insp.get_columns(t)},
            "pk": pk,
            "fks": sorted((tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]),
                           (fk.get("options") or {}).get("ondelete")) for fk in insp.get_foreign_keys(t)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(t)),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
        }
    return out


def orm_schema(dialect) -> dict:
    """The same description from the ORM metadata."""
    from sqlalchemy import UniqueConstraint

    out = {}
    for t in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
        pk = [c.name for c in t.primary_key.columns]
        out[t.name] = {
            "columns": {c.name: (c.type.compile(dialect=dialect), bool(c.nullable) and not c.primary_key)
                        for c in t.columns},
            "pk": pk,
            "fks": sorted(((fk.parent.name,), fk.column.table.name, (fk.column.name,), fk.ondelete)
                          for fk in t.foreign_keys),
            "indexes": sorted((i.name, tuple(c.name for c in i.columns), bool(i.unique)) for i in t.indexes),
            "unique": sorted(tuple(c.name for c in u.columns) for u in t.constraints
                             if isinstance(u, UniqueConstraint)),
        }
    return out


def test_migrated_schema_matches_the_orm_for_new_and_old_files(tmp_path, data_dir, v1_file):
    Ledger(data_dir).close()  # migrates the v1 copy
    Ledger(tmp_path / "fresh").close()  # a new file, made by the steps from empty
    migrated = make_engine(sqlite_url(v1_file))
    fresh = make_engine(sqlite_url(tmp_path / "fresh" / DB_FILE_NAME))
    try:
        expected = orm_schema(fresh.dialect)
        assert schema(fresh) == expected
        assert schema(migrated) == expected
    finally:
        migrated.dispose()
        fresh.dispose()


def test_every_orm_server_default_exists_in_the_ddl(tmp_path):
    Ledger(tmp_path / "fresh").close()
    eng = make_engine(sqlite_url(tmp_path / "fresh" / DB_FILE_NAME))
    try:
        insp = inspect(eng)
        for t in Base.metadata.tables.values():
            reflected = {c["name"]: c["default"] for c in insp.get_columns(t.name)}
            for c in t.columns:
                assert (c.server_default is None) == (reflected[c.name] is None), (t.name, c.name)
    finally:
        eng.dispose()


def test_v1_progress_notes_become_the_first_log_entries(data_dir, v1_file):
    con = sqlite3.connect(FIXTURE)
    updated = con.execute("SELECT updated_at FROM notice WHERE id = 1").fetchone()[0]
    con.close()
    with Ledger(data_dir) as led:
        (entry,) = led.progress_log(2)
        assert (entry.text, entry.date.isoformat(), entry.who) == ("已完成方案", updated[:10], "")
        t2 = led.task(2)
        assert (t2.progress_note, t2.progress_on, t2.original_due_date, t2.revision_reason) == (
            "已完成方案", entry.date, None, "")
        assert all(led.progress_log(i) == [] for i in (1, 3, 4, 5, 6)) and led.evidence(2) == []


def make_v2_file(path: Path) -> None:
    """A version-2 ledger as the previous release wrote it: the steps up to 2, then rows by SQL."""
    engine = make_engine(sqlite_url(path))
    try:
        migrations.create_at_version(engine, 2)
    finally:
        engine.dispose()
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT INTO notice (id, title, year, created_at, updated_at) VALUES "
                    "(1, '通知', 2024, '2024-03-01 09:00:00.000000', '2024-04-02 10:30:00.000000')")
        con.executemany(
            "INSERT INTO task (id, notice_id, parent_id, position, title, status, done_on, progress_note, due_date, "
            "deadline_kind) VALUES (?, 1, NULL, ?, ?, ?, ?, ?, ?, ?)",
            [(1, 0, "已完成的", "已完成", "2024-03-15", "已办结", "2024-03-31", "date"),
             (2, 1, "推进中的", "推进中", None, "正在推进", None, "year_round"),
             (3, 2, "没写进展", "未开始", None, "", None, "none")])
        con.execute("INSERT INTO unit (id, name, collective) VALUES (1, '各乡镇人民政府', 1)")
        con.execute("INSERT INTO task_unit VALUES (2, 'lead', 1, 0)")
    con.close()


def test_v2_file_from_an_earlier_release_migrates_to_the_current_version(tmp_path, data_dir):
    path = data_dir / DB_FILE_NAME
    make_v2_file(path)
    assert dump(path, {"schema_meta": ["name", "value"]})["schema_meta"] == [("schema_version", "2")]
    with Ledger(data_dir) as led:
        assert led._sql.found_version == 2 and led.schema_version == 5
        (backup,) = (data_dir / "backups").iterdir()
        assert backup.name.startswith("noticedesk-before-v5-")
        rows = {r.id: r for r in led.tasks(1)}
        assert [(e.date.isoformat(), e.text) for e in led.progress_log(1)] == [("2024-03-15", "已办结")]
        assert [(e.date.isoformat(), e.text) for e in led.progress_log(2)] == [("2024-04-02", "正在推进")]
        assert led.progress_log(3) == []
        assert (rows[1].progress_on.isoformat(), rows[2].progress_on.isoformat(), rows[3].progress_on) == (
            "2024-03-15", "2024-04-02", None)
        assert rows[2].lead_units == ["各乡镇人民政府"] and rows[1].status is Status.DONE
        led.add_progress(3, None, "新进展")  # and it takes the new kinds of edit
    migrated = make_engine(sqlite_url(path))
    try:
        assert schema(migrated) == orm_schema(migrated.dialect)
    finally:
        migrated.dispose()
    with Ledger(data_dir) as again:
        assert again._quick is not None and [r.progress_note for r in again.tasks(1)] == ["已办结", "正在推进", "新进展"]


def test_failed_v3_step_leaves_a_v2_file_as_it_was(data_dir, monkeypatch):
    path = data_dir / DB_FILE_NAME
    make_v2_file(path)
    before = dump(path)
    monkeypatch.setattr(migrations, "V3", migrations.V3 + ("CREATE INDEX broken ON no_such_table (x)",))
    with pytest.raises(LedgerError):
        Ledger(data_dir)
    assert dump(path) == before
    con = sqlite3.connect(path)
    assert "progress_entry" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
