"""The ledger file: pragmas, one transaction per action, reopening, and driver errors → LedgerError."""
from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import event

from desktop.domain import Status
from desktop.storage import engine as engine_mod
from desktop.storage import notice_store
from desktop.storage.engine import translate_error
from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.paths import DB_FILE_NAME, default_data_dir


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_data_dir_follows_the_environment(data_dir, monkeypatch):
    assert default_data_dir() == data_dir
    monkeypatch.delenv("NOTICEDESK_DATA_DIR")
    assert default_data_dir().name == "NoticeDesk"


def test_data_dir_none_uses_the_default_and_is_created(data_dir, monkeypatch):
    target = data_dir / "sub" / "folder"
    monkeypatch.setenv("NOTICEDESK_DATA_DIR", str(target))
    with Ledger() as led:
        assert led.path == target / DB_FILE_NAME
        assert led.path.exists()


@pytest.mark.sqlite_only  # about the SQLite file / data folder itself
def test_pragmas_on_every_connection(ledger: Ledger):
    engine = ledger._impl.core.engine
    with engine.connect() as a, engine.connect() as b:  # two pooled connections, both set up
        for conn in (a, b):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL (power cuts)
    raw = sqlite3.connect(ledger.path)  # WAL is a property of the file, seen by any program
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def count_commits(ledger: Ledger) -> list[str]:
    seen: list[str] = []
    engine = ledger._impl.core.engine
    event.listen(engine, "commit", lambda conn: seen.append("commit"))
    event.listen(engine, "rollback", lambda conn: seen.append("rollback"))
    return seen


def test_each_action_is_exactly_one_transaction(ledger: Ledger, sample):
    seen = count_commits(ledger)
    nid, a1 = sample["notice"], sample["A1"]
    actions = [
        lambda: ledger.set_fields(a1, status=Status.DONE, progress_note="好"),
        lambda: ledger.set_units(a1, "responsible", ["县财政局", "新单位"]),
        lambda: ledger.add_task(nid, sample["A"], 0, title="x", units=["另一个新单位"]),
        lambda: ledger.indent(sample["A2"]),
        lambda: ledger.split_task(sample["B"], 0),
        lambda: ledger.merge_with_next(sample["B"]),
        lambda: ledger.delete_task(sample["C"]),
        lambda: ledger.create_notice_with_tasks({"title": "t"}, [{"section": "一、甲", "title": "x"}]),
    ]
    for action in actions:
        seen.clear()
        action()
        assert seen == ["commit"]


def test_failure_midway_through_an_import_leaves_nothing(ledger: Ledger, monkeypatch):
    units_before = ledger.units()
    tasks = [{"section": "一、总体要求", "title": "t1", "units": ["县新单位甲"]},
             {"section": "二、重点任务", "title": "t2", "lead_units": ["县新单位乙"], "children": [{"title": "i"}]}]
    # The change-log row is the last write of the action: fail there, after every other INSERT ran.
    monkeypatch.setattr(notice_store, "log", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk gone")))
    with pytest.raises(RuntimeError):
        ledger.create_notice_with_tasks({"title": "会失败的通知"}, tasks)
    monkeypatch.undo()
    assert ledger.notices() == []
    assert ledger.units() == units_before
    assert ledger.changes() == []
    # A bad value part-way through the list fails the same way.
    with pytest.raises(ValueError):
        ledger.create_notice_with_tasks({"title": "会失败的通知"}, tasks + [{"title": "t3", "status": "差不多"}])
    assert ledger.notices() == [] and ledger.units() == units_before


def test_failed_tree_action_changes_nothing(ledger: Ledger, sample):
    nid = sample["notice"]
    before, log = ledger.tasks(nid), ledger.changes()
    with pytest.raises(ValueError):
        ledger.move_task(sample["A"], sample["A1b"], 0)
    assert ledger.tasks(nid) == before and ledger.changes() == log


@pytest.mark.sqlite_only  # about the SQLite file / data folder itself
def test_reopen_gives_the_same_data(data_dir, sample, ledger: Ledger):
    nid = sample["notice"]
    ledger.set_fields(sample["A1"], status="已完成", done_on="2024-05-01")
    state = (ledger.notices(), ledger.tasks(nid), ledger.units(), ledger.changes(limit=1000))
    ledger.close()
    assert not (data_dir / (DB_FILE_NAME + "-wal")).exists()  # checkpointed on close
    with Ledger(data_dir) as again:
        assert (again.notices(), again.tasks(nid), again.units(), again.changes(limit=1000)) == state


def test_tasks_loads_with_two_queries(ledger: Ledger, sample):
    statements: list[str] = []
    engine = ledger._impl.core.engine
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cur, stmt, *a: statements.append(stmt.split()[0].upper()))
    ledger.tasks(sample["notice"])
    assert [s for s in statements if s == "SELECT"] == ["SELECT", "SELECT"]


def test_file_that_is_not_a_database_is_refused_and_left_untouched(data_dir):
    path = data_dir / DB_FILE_NAME
    path.write_bytes(random.Random(7).randbytes(64 * 1024))
    before = digest(path)
    with pytest.raises(LedgerError) as err:
        Ledger(data_dir)
    assert "损坏" in str(err.value) and "not a database" in err.value.detail
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]  # no backup, no -wal


def test_a_sqlite_file_of_another_program_is_refused(data_dir):
    path = data_dir / DB_FILE_NAME
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(LedgerError, match="不是 NoticeDesk 台账"):
        Ledger(data_dir)
    assert digest(path) == before


@pytest.mark.sqlite_only  # about the SQLite file / data folder itself
def test_locked_file_gives_a_ledger_error_and_loses_nothing(data_dir, monkeypatch, sample, ledger: Ledger):
    ledger.close()
    monkeypatch.setattr(engine_mod, "BUSY_TIMEOUT_S", 0.05)
    led = Ledger(data_dir)
    other = sqlite3.connect(led.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(LedgerError, match="占用"):
            led.set_fields(sample["A"], title="改不了")
        assert led.task(sample["A"]).title == "A"  # reading still works in WAL mode
    finally:
        other.execute("ROLLBACK")
        other.close()
    led.set_fields(sample["A"], title="现在可以")
    assert led.task(sample["A"]).title == "现在可以"
    led.close()


@pytest.mark.parametrize("exc, words", [
    (sqlite3.OperationalError("database is locked"), "占用"),
    (sqlite3.OperationalError("disk I/O error"), "磁盘错误"),
    (sqlite3.DatabaseError("file is not a database"), "损坏"),
    (sqlite3.DatabaseError("database disk image is malformed"), "损坏"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "只读"),
    (sqlite3.OperationalError("database or disk is full"), "磁盘空间已满"),
    (sqlite3.OperationalError("unable to open database file"), "无法打开"),
    (sqlite3.OperationalError("something new"), "出错"),
])
def test_driver_errors_become_chinese_ledger_errors(exc, words):
    wrapped = sqlalchemy.exc.DBAPIError.instance("SELECT 1", {}, exc, sqlite3.Error)
    for e in (exc, wrapped):
        err = translate_error(e)
        assert isinstance(err, LedgerError) and words in str(err) and str(exc) in err.detail


@pytest.mark.parametrize("exc", [
    sqlite3.IntegrityError("UNIQUE constraint failed: unit.name"),
    sqlite3.ProgrammingError("Cannot operate on a closed database."),
    sqlite3.InterfaceError("bad parameter"),
    ValueError("not a driver error"),
])
def test_programming_errors_are_not_translated(exc):
    assert translate_error(exc) is None
    if isinstance(exc, sqlite3.Error):
        assert translate_error(sqlalchemy.exc.DBAPIError.instance("x", {}, exc, sqlite3.Error)) is None


def test_programming_errors_reach_the_caller_unwrapped(ledger: Ledger, sample):
    snap = ledger.delete_task(sample["C"])
    ledger.restore_tasks(snap)
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        ledger.restore_tasks(snap)  # the same ids twice: a bug in the caller, not the disk


def test_importing_the_contract_does_not_import_sqlalchemy():
    # The UI imports desktop.storage.ledger at start-up; SQLAlchemy (~0.6 s) must wait for Ledger().
    import subprocess
    import sys

    # Nor the parser's package (rows.py, which ledger.py takes TaskSnapshot from, imports it when used).
    code = "import sys, desktop.storage.ledger; print('sqlalchemy' in sys.modules, 'desktop.importing' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False False"
