"""A ledger on a full disk, in a read-only folder, or on a drive that vanishes: a clear Chinese
message, no corruption, nothing half-written, and the window keeps running."""
from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from desktop.storage import backup
from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.paths import DB_FILE_NAME
from tests.safety.conftest import assert_refused

BIG_NOTICE = [{"section": f"{i + 1}、方面", "title": f"任务{i}", "text": "具体内容。" * 200,
               "lead_units": [f"单位{i % 7}"]} for i in range(300)]


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- full disk -----------------------------------------------------------------------------------
def test_full_disk_refuses_the_write_cleanly_and_recovers(data_dir):
    """SQLite's max_page_count makes the file unable to grow: exactly SQLITE_FULL, 'database or disk is full'."""
    led = Ledger(data_dir)
    nid = led.create_notice("已有的通知", year=2024)
    tid = led.add_task(nid, title="已有的任务")
    engine = led._impl._engine
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()

    def limit(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    engine.dispose()
    event.listen(engine, "connect", limit)
    try:
        with pytest.raises(LedgerError) as err:
            led.create_notice_with_tasks({"title": "放不下的通知"}, BIG_NOTICE)
        assert str(err.value).startswith("磁盘空间已满，无法保存台账：刚才的修改没有保存")
        assert [n.title for n in led.notices()] == ["已有的通知"]  # nothing half-imported
        led.set_fields(tid, remark="小的修改仍可保存")  # fits in the pages left
    finally:
        event.remove(engine, "connect", limit)
        engine.dispose()
    assert integrity(data_dir / DB_FILE_NAME) == "ok"
    led.create_notice_with_tasks({"title": "清理磁盘后"}, BIG_NOTICE)  # space again: works
    assert led.task(tid).remark == "小的修改仍可保存" and len(led.notices()) == 2
    led.close()


def test_full_disk_while_writing_a_backup_leaves_no_partial_file(data_dir, tmp_path, monkeypatch):
    with Ledger(data_dir) as led:
        led.create_notice("通知")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # every copy is flushed with os.fsync (backup_files.py)
    with pytest.raises(LedgerError, match="No space left on device|磁盘空间"):
        backup.backup_to(data_dir, tmp_path / "b.sqlite")
    assert not list(tmp_path.glob(".*partial")) and not (tmp_path / "b.sqlite").exists()


# --- read-only folder ----------------------------------------------------------------------------
def _read_only_runner():
    """preexec_fn making the child unable to write where its permissions say so. As root (these
    tests run as root in CI) permissions are not checked at all, so the child drops the
    capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) from its
    bounding set: root without them is held to the owner's permission bits like anyone else."""
    if os.geteuid() != 0:
        return None
    if not sys.platform.startswith("linux"):
        pytest.skip("running as root on a system where the test cannot drop root's file-permission override")
    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        for cap in (1, 2, 3):
            if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                os._exit(99)

    return drop


def test_read_only_folder_gives_a_clear_message_and_stays_untouched(run_cli, data_dir, tmp_path, corpus_dir):
    assert run_cli("import", str(corpus_dir / "000_songming_2021.txt"), data_dir=data_dir).returncode == 0
    db = data_dir / DB_FILE_NAME
    before = sha(db)
    db.chmod(0o444)
    data_dir.chmod(0o555)
    runner = _read_only_runner()
    try:
        probe = run_cli("notices", data_dir=data_dir, preexec_fn=runner)
        # Make sure the folder really is read-only for the child before judging the program.
        import subprocess

        check = subprocess.run([sys.executable, "-c", f"open({str(data_dir / 'probe')!r}, 'w')"],
                               preexec_fn=runner, capture_output=True)
        assert check.returncode != 0, "the child could still write into the read-only folder"
        assert_refused(probe, "只读")
        assert_refused(run_cli("task", "3", "--status", "已完成", data_dir=data_dir, preexec_fn=runner), "只读")
        assert_refused(run_cli("import", str(corpus_dir / "000_songming_2021.txt"), data_dir=data_dir,
                               preexec_fn=runner), "只读")
        # The clerk can still copy the work out of the folder.
        out = tmp_path / "copy.sqlite"
        saved = run_cli("backup", "--out", str(out), data_dir=data_dir, preexec_fn=runner)
        assert saved.returncode == 0, saved.stderr
        assert "1 份通知，25 项任务" in saved.stdout
        # A window on it: refused with the message, no traceback.
        gui = run_cli("--quit-when-ready", "--no-err-windows", data_dir=data_dir, preexec_fn=runner)
        assert_refused(gui, "只读")
    finally:
        data_dir.chmod(0o755)
        db.chmod(0o644)
    assert sha(db) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]


# --- vanishing file ------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["moved", "deleted", "replaced"])
def test_ledger_file_that_vanishes_while_open_refuses_edits(data_dir, tmp_path, how):
    led = Ledger(data_dir)
    nid = led.create_notice("通知")
    tid = led.add_task(nid, title="任务")
    led.set_fields(tid, remark="消失前的修改")
    db = data_dir / DB_FILE_NAME
    away = tmp_path / "elsewhere"
    away.mkdir()
    if how == "deleted":
        keep = away / "copy.sqlite"
        backup.copy_database(db, keep)
        for p in data_dir.glob(DB_FILE_NAME + "*"):
            p.unlink()
    else:
        for p in data_dir.glob(DB_FILE_NAME + "*"):
            shutil.move(p, away / p.name)
        keep = away / DB_FILE_NAME
        if how == "replaced":
            shutil.copyfile(keep, db)
    try:
        with pytest.raises(LedgerError) as err:
            led.set_fields(tid, remark="消失后的修改")
        text = str(err.value)
        assert "刚才的修改没有保存" in text and ("找不到台账文件" in text or "已被其他程序替换或移动" in text)
        with pytest.raises(LedgerError):
            led.add_task(nid, title="也不能新增")
    finally:
        led.close()
    assert integrity(keep) == "ok"
    con = sqlite3.connect(keep)
    assert con.execute("SELECT remark FROM task WHERE id = ?", (tid,)).fetchone() == ("消失前的修改",)
    con.close()


def test_window_reports_a_vanished_ledger_and_keeps_running(qtbot, tmp_path):
    from desktop.ui.main_window import MainWindow
    from desktop.ui.messages import MessageBridge

    data = tmp_path / "ledger"
    led = Ledger(data)
    nid = led.create_notice("通知")
    tid = led.add_task(nid, title="任务")
    messages = MessageBridge(show_boxes=False)
    w = MainWindow(led, settings=tmp_path / "ui.ini", messages=messages)
    qtbot.addWidget(w)
    w.show()
    w.notice_list.select(nid)
    w.controller.set_notice(nid)
    w.controller.edit_cell(tid, "title", "改名一次")
    assert led.task(tid).title == "改名一次"
    moved = tmp_path / "moved"
    moved.mkdir()
    for p in data.glob(DB_FILE_NAME + "*"):
        shutil.move(p, moved / p.name)
    w.controller.edit_cell(tid, "title", "改名两次")
    level, _title, text = messages.log[-1]
    assert level == "error" and "找不到台账文件" in text and "刚才的修改没有保存" in text
    assert w.isVisible()
    w.close()
    led.close()
    assert integrity(moved / DB_FILE_NAME) == "ok"
