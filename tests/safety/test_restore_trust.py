"""A backup is data, never code (issue 17): restore rebuilds the ledger from the backup's rows into the
schema NoticeDesk makes itself, and refuses a backup whose schema is not exactly that one (a trigger, a
view in place of a table, a missing column) or whose rows the program cannot read — exit 2 with a Chinese
line, the current ledger untouched. On both engines: a SQLite data folder and a database server."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from desktop.storage.backup import backup_to, restore
from desktop.storage.ledger import Ledger
from desktop.storage.paths import DB_FILE_NAME
from tests.safety.trust_fixtures import refused, run

# What a tampered backup carries. The triggers are the ones found: the next status edit deletes the
# sibling tasks; every new history line empties the history; any edit renames every notice.
TAMPERED = {
    "trigger deleting siblings": ("CREATE TRIGGER wipe AFTER UPDATE ON task BEGIN DELETE FROM task WHERE "
                                  "notice_id = NEW.notice_id AND id <> NEW.id; END", "触发器"),
    "trigger emptying the log": ("CREATE TRIGGER forget AFTER INSERT ON change_log BEGIN DELETE FROM change_log; END",
                                 "触发器"),
    "trigger renaming notices": ("CREATE TRIGGER rename AFTER UPDATE ON task BEGIN UPDATE notice SET title = '已篡改'; "
                                 "END", "触发器"),
    "view in place of a table": ("CREATE TABLE change_log_rows AS SELECT * FROM change_log; DROP TABLE change_log; "
                                 "CREATE VIEW change_log AS SELECT * FROM change_log_rows", "视图"),
    "table missing a column": ("DROP INDEX ix_change_log_notice; ALTER TABLE task DROP COLUMN remark", "缺少列 remark"),
    "an index removed": ("DROP INDEX ix_task_parent", "索引"),
    "a table added": ("CREATE TABLE notes (x TEXT)", "多出"),
}
# Rows the program could not read, or trees that are not trees.
BAD_ROWS = {
    "unknown status": ("UPDATE task SET status = '差不多了' WHERE id = (SELECT max(id) FROM task)", "status"),
    "a date that is not one": ("UPDATE task SET due_date = '下个月' WHERE id = (SELECT max(id) FROM task)", "due_date"),
    "text in an id column": ("UPDATE change_log SET task_id = 'x' WHERE id = (SELECT max(id) FROM change_log)",
                             "task_id"),
    "a task under its own subtree": ("UPDATE task SET parent_id = CASE id WHEN (SELECT min(id) FROM task) "
                                     "THEN (SELECT max(id) FROM task) ELSE (SELECT min(id) FROM task) END",
                                     "上级任务"),
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(led: Ledger) -> list:
    """What the clerk sees: notices, each notice's tasks, units, and the history."""
    return [led.notices(), [led.tasks(n.id) for n in led.notices()], led.units(), led.changes(limit=10_000)]


@pytest.fixture
def source_backup(tmp_path) -> Path:
    """A backup of another SQLite ledger with a notice, a status change and a progress entry."""
    src = tmp_path / "elsewhere"
    with Ledger(src) as led:
        nid = led.create_notice_with_tasks({"title": "备份中的通知", "year": 2024},
                                           [{"title": "甲", "lead_units": ["县财政局"]}, {"title": "乙"}])
        tid = led.tasks(nid)[0].id
        led.set_fields(tid, status="推进中")
        led.add_progress(tid, "2024-05-06", "已部署", "县财政局")
    written, _ = backup_to(src, tmp_path / "backup.sqlite")
    return written


def tamper(path: Path, sql: str) -> Path:
    con = sqlite3.connect(path)
    try:
        con.executescript(sql)
        con.commit()
    finally:
        con.close()
    return path


def try_restore(capsys, path: Path, store: str | None, data_dir: Path) -> tuple[int, str, str]:
    if store:
        return run(capsys, "restore", str(path), "--db-url", store, "--replace")
    return run(capsys, "restore", str(path), "--data-dir", str(data_dir))


@pytest.mark.parametrize("case", list(TAMPERED) + list(BAD_ROWS))
def test_a_tampered_backup_is_refused_and_the_ledger_stays(case, capsys, ledger, notice_id, store, data_dir,
                                                            source_backup):
    sql, words = {**TAMPERED, **BAD_ROWS}[case]
    tamper(source_backup, sql)
    before = contents(ledger)
    ledger.close()
    live = data_dir / DB_FILE_NAME
    digest = sha(live) if not store else None
    listing = sorted(p.name for p in data_dir.iterdir())
    code, out, err = try_restore(capsys, source_backup, store, data_dir)
    text = refused(code, out, err, words)
    assert "不能用来恢复" in text and "台账未做任何修改" in text
    with Ledger(data_dir, db_url=store) as led:
        assert contents(led) == before
    if not store:
        assert sha(live) == digest
    assert sorted(p.name for p in data_dir.iterdir()) == listing  # no copy, no before-restore file left


@pytest.mark.parametrize("case", ["trigger deleting siblings", "view in place of a table"])
def test_restore_dry_run_already_says_so(case, capsys, data_dir, source_backup):
    tamper(source_backup, TAMPERED[case][0])
    refused(*run(capsys, "restore", str(source_backup), "--dry-run", "--data-dir", str(data_dir)), TAMPERED[case][1])


def test_a_sound_backup_is_rebuilt_row_for_row(capsys, ledger, notice_id, store, data_dir, source_backup,
                                               tmp_path):
    """The rebuild loses nothing: every row, and the id counters (an id handed out once is never reused)."""
    with Ledger(tmp_path / "elsewhere") as led:
        nid = led.notices()[0].id
        gone = led.add_task(nid, title="删掉的")
        led.delete_task(gone)  # the id counter runs ahead of the largest id
        expected = contents(led)
    backup_to(tmp_path / "elsewhere", source_backup)
    ledger.close()
    code, out, err = try_restore(capsys, source_backup, store, data_dir)
    assert code == 0, (out, err)
    with Ledger(data_dir, db_url=store) as led:
        assert contents(led) == expected
        new = led.add_task(nid, title="新的")
        assert new > gone  # an id handed out once is not handed out again
        led.set_fields(new, status="推进中")  # an ordinary edit after the restore works
        assert [t.title for t in led.tasks(nid)] == ["甲", "乙", "新的"]


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_restore_function_refuses_before_replacing_anything(engine_name, data_dir, source_backup, ledger, notice_id):
    """The library call the window makes (backup dialog): same refusal, same untouched file."""
    from desktop.storage.ledger import LedgerError

    ledger.close()
    tamper(source_backup, TAMPERED["trigger deleting siblings"][0])
    digest = sha(data_dir / DB_FILE_NAME)
    with pytest.raises(LedgerError, match="触发器"):
        restore(data_dir, source_backup)
    assert sha(data_dir / DB_FILE_NAME) == digest
    assert not list(data_dir.glob(".restore-*")) and not (data_dir / "backups").exists()
