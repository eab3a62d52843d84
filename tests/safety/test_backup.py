"""Automatic daily backups, backup to a file, and restore (storage/backup.py, CLI backup/restore)."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.storage import backup
from desktop.storage.backup import (
    AUTO_NAME,
    automatic_backups,
    backup_to,
    daily_backup,
    inspect_backup,
    list_backups,
    prune,
    restore,
)
from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.paths import DB_FILE_NAME
from tests.safety.conftest import assert_refused

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS_NOTICE = "000_songming_2021.txt"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def titles(data_dir: Path) -> list[str]:
    with Ledger(data_dir) as led:
        return [n.title for n in led.notices()]


def make_ledger(data_dir: Path, *names: str) -> None:
    with Ledger(data_dir) as led:
        for name in names:
            nid = led.create_notice(name, year=2024)
            led.add_task(nid, title=f"{name}的任务")


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


# --- automatic backups ---------------------------------------------------------------------------
def test_daily_backup_once_a_day_consistent_plain_file(data_dir):
    make_ledger(data_dir, "通知甲", "通知乙")
    day = dt.datetime(2024, 5, 6, 8, 30, 0)
    made = daily_backup(data_dir, now=day)
    assert made == data_dir / "backups" / "noticedesk-20240506-083000.sqlite"
    assert daily_backup(data_dir, now=day.replace(hour=17)) is None  # once a day
    summary = inspect_backup(made)
    assert [t for _i, t, _n in summary.notices] == ["通知乙", "通知甲"] and summary.task_count == 2
    assert summary.taken_at == day
    con = sqlite3.connect(made)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    con.close()
    assert not Path(f"{made}-wal").exists() and not list(made.parent.glob(".*partial"))
    assert daily_backup(data_dir, now=day + dt.timedelta(days=1)).name == "noticedesk-20240507-083000.sqlite"


def test_no_ledger_yet_means_no_backup(data_dir):
    assert daily_backup(data_dir) is None and not (data_dir / "backups").exists()


def test_the_last_30_automatic_backups_are_kept_and_nothing_else_is_deleted(data_dir):
    make_ledger(data_dir, "通知")
    folder = data_dir / "backups"
    start = dt.datetime(2024, 1, 1, 9, 0, 0)
    for i in range(34):
        daily_backup(data_dir, now=start + dt.timedelta(days=i))
    others = [folder / "noticedesk-before-v3-20230101-100000.sqlite",
              folder / "noticedesk-before-restore-20230102-100000.sqlite", folder / "我的手工备份.sqlite"]
    for p in others:
        shutil.copyfile(data_dir / DB_FILE_NAME, p)
    daily_backup(data_dir, now=start + dt.timedelta(days=34))
    autos = automatic_backups(folder)
    assert len(autos) == 30
    assert autos[0].name == "noticedesk-20240106-090000.sqlite"  # the 5 oldest went
    assert autos[-1].name == "noticedesk-20240204-090000.sqlite"
    assert all(p.exists() for p in others)
    kinds = {e.path.name: e.kind for e in list_backups(data_dir)}
    assert kinds["noticedesk-before-v3-20230101-100000.sqlite"] == "migration"
    assert kinds["noticedesk-before-restore-20230102-100000.sqlite"] == "restore"
    assert kinds["我的手工备份.sqlite"] == "other"
    assert prune(folder, keep=30) == []


def test_backup_while_another_thread_writes_is_consistent(data_dir):
    make_ledger(data_dir, "通知")
    led = Ledger(data_dir)
    nid = led.notices()[0].id
    stop = threading.Event()

    def edit() -> None:
        i = 0
        while not stop.is_set():
            led.add_task(nid, title=f"并发{i}")
            i += 1

    writer = threading.Thread(target=edit)
    writer.start()
    try:
        copies = [backup.copy_database(data_dir / DB_FILE_NAME, data_dir / "backups" / f"c{i}.sqlite")
                  for i in range(5)]
    finally:
        stop.set()
        writer.join()
        led.close()
    for c in copies:
        assert integrity(c) == "ok"
        con = sqlite3.connect(c)
        count = con.execute("SELECT count(*) FROM task").fetchone()[0]
        positions = [r[0] for r in con.execute("SELECT position FROM task WHERE parent_id IS NULL ORDER BY position")]
        con.close()
        assert positions == list(range(count))  # a snapshot between transactions, never inside one


def test_start_daily_backup_runs_in_a_daemon_thread(data_dir):
    make_ledger(data_dir, "通知")
    thread = backup.start_daily_backup(data_dir)
    assert thread.daemon
    thread.join(30)
    (made,) = automatic_backups(data_dir / "backups")
    assert AUTO_NAME.match(made.name) and made.name[11:19] == dt.date.today().strftime("%Y%m%d")


def test_the_window_starts_the_daily_backup(tmp_path):
    """The running program makes today's automatic backup by itself, after the window shows."""
    import os
    import subprocess
    import sys
    import time

    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", str(data), "--no-err-windows"],
                            cwd=Path(__file__).resolve().parents[2], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        made: list = []
        while time.monotonic() < deadline and not made:
            time.sleep(0.5)
            made = automatic_backups(data / "backups") if (data / "backups").is_dir() else []
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert len(made) == 1 and AUTO_NAME.match(made[0].name)


# --- backup to a file and restore ----------------------------------------------------------------
def test_backup_and_restore_round_trip_keeps_the_replaced_ledger(data_dir, tmp_path):
    make_ledger(data_dir, "通知甲")
    out, summary = backup_to(data_dir, tmp_path / "备份.sqlite")
    assert out == tmp_path / "备份.sqlite" and summary.task_count == 1
    make_ledger(data_dir, "通知乙")
    before = sha(out)
    result = restore(data_dir, out)
    assert titles(data_dir) == ["通知甲"]
    assert result.kept.name.startswith("noticedesk-before-restore-") and result.kept.parent == data_dir / "backups"
    assert sorted(t for _i, t, _n in inspect_backup(result.kept).notices) == ["通知乙", "通知甲"]
    assert sha(out) == before  # the backup file itself is not changed
    assert "已恢复 1 份通知" in result.describe() and str(result.kept) in result.describe()
    assert integrity(data_dir / DB_FILE_NAME) == "ok"
    assert not list(data_dir.glob(".restore-*"))


def test_restore_under_an_open_ledger_is_seen_by_it(data_dir, tmp_path):
    """The window restores with its Ledger open: the content is written into the live file."""
    make_ledger(data_dir, "通知甲")
    out, _ = backup_to(data_dir, tmp_path / "b.sqlite")
    led = Ledger(data_dir)
    try:
        led.create_notice("通知乙")
        led.warm_up()
        assert len(led.notices()) == 2
        restore(data_dir, out, check_lock=False)
        assert [n.title for n in led.notices()] == ["通知甲"]
        nid = led.notices()[0].id
        led.add_task(nid, title="恢复后新增")  # and it takes edits
        assert [r.title for r in led.tasks(nid)] == ["通知甲的任务", "恢复后新增"]
    finally:
        led.close()


def test_restore_migrates_an_older_backup(data_dir, tmp_path):
    make_ledger(data_dir, "现在的通知")
    old = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "ledger_v1.sqlite", old)
    before = sha(old)
    summary = inspect_backup(old)
    assert summary.schema_version == 1 and "恢复时将升级到版本 5" in summary.describe()
    result = restore(data_dir, old)
    assert result.from_version == 1 and result.summary.schema_version == 5
    assert "已从版本 1 升级到版本 5" in result.describe()
    assert sha(old) == before
    with Ledger(data_dir) as led:
        assert led._quick is not None  # current now
        assert [r.title for r in led.tasks(1)][:2] == ["优化政务服务", "推进“一网通办”"]
        assert led.progress_log(2)[0].text == "已完成方案"


@pytest.mark.parametrize("content, words", [
    (b"", "不是 NoticeDesk 台账"),
    (b"random bytes, not a database at all" * 50, "不是 NoticeDesk 台账"),
    ("sqlite-foreign", "不是 NoticeDesk 台账"),
    ("sqlite-newer", "更新版本"),
    ("sqlite-corrupt", "损坏"),
])
def test_restore_refuses_what_is_not_a_usable_ledger_and_changes_nothing(data_dir, tmp_path, content, words):
    make_ledger(data_dir, "通知甲")
    bad = tmp_path / "bad.sqlite"
    if content == "sqlite-foreign":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
    elif content == "sqlite-newer":
        shutil.copyfile(FIXTURES / "ledger_v1.sqlite", bad)
        con = sqlite3.connect(bad)
        con.execute("UPDATE schema_meta SET value = '9'")
        con.commit()
        con.close()
    elif content == "sqlite-corrupt":
        shutil.copyfile(FIXTURES / "ledger_v1.sqlite", bad)
        data = bytearray(bad.read_bytes())
        for i in range(4096 * 3, len(data), 7):  # damage pages after the schema, keep the header
            data[i] = 0xAB
        bad.write_bytes(bytes(data))
    else:
        bad.write_bytes(content)
    live = data_dir / DB_FILE_NAME
    before = sha(live)
    with pytest.raises(LedgerError) as err:
        restore(data_dir, bad)
    assert words in str(err.value)
    assert sha(live) == before and not (data_dir / "backups").exists()
    assert not list(data_dir.glob(".restore-*"))


def test_restore_replaces_a_damaged_ledger_and_keeps_its_bytes(data_dir, tmp_path):
    make_ledger(data_dir, "通知甲")
    out, _ = backup_to(data_dir, tmp_path / "b.sqlite")
    live = data_dir / DB_FILE_NAME
    live.write_bytes(b"garbage after a disk failure" * 100)
    result = restore(data_dir, out)
    assert titles(data_dir) == ["通知甲"]
    assert result.kept.read_bytes() == b"garbage after a disk failure" * 100


def test_restore_into_an_empty_folder(tmp_path):
    src = tmp_path / "src"
    make_ledger(src, "通知甲")
    out, _ = backup_to(src, tmp_path / "b.sqlite")
    fresh = tmp_path / "fresh"
    result = restore(fresh, out)
    assert result.kept is None and titles(fresh) == ["通知甲"]


def test_backup_to_a_folder_names_the_file_by_date(data_dir, tmp_path):
    make_ledger(data_dir, "通知甲")
    out, _ = backup_to(data_dir, tmp_path)
    assert out.parent == tmp_path and AUTO_NAME.match(out.name)
    with pytest.raises(LedgerError, match="保存位置不存在"):
        backup_to(data_dir, tmp_path / "no" / "such" / "x.sqlite")
    with pytest.raises(LedgerError, match="它自己"):
        backup_to(data_dir, data_dir / DB_FILE_NAME)


# --- command line --------------------------------------------------------------------------------
def test_cli_backup_and_restore(run_cli, data_dir, tmp_path, corpus_dir):
    assert run_cli("import", str(corpus_dir / CORPUS_NOTICE), data_dir=data_dir).returncode == 0
    out = tmp_path / "nightly.sqlite"
    done = run_cli("backup", "--out", str(out), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"已备份：{out}（1 份通知，25 项任务")
    assert run_cli("import", str(corpus_dir / CORPUS_NOTICE), "--as-new", data_dir=data_dir).returncode == 0
    dry = run_cli("restore", str(out), "--dry-run", data_dir=data_dir)
    assert dry.returncode == 0 and "共 1 份通知，25 项任务" in dry.stdout and "未做任何修改" in dry.stdout
    assert len(titles(data_dir)) == 2
    back = run_cli("restore", str(out), data_dir=data_dir)
    assert back.returncode == 0, back.stderr
    assert "共 1 份通知，25 项任务" in back.stdout  # what it holds, printed first
    assert "已恢复 1 份通知、25 项任务" in back.stdout and "原台账已保存为：" in back.stdout
    assert len(titles(data_dir)) == 1
    kept = Path(back.stdout.split("原台账已保存为：")[1].strip())
    assert len(inspect_backup(kept).notices) == 2


def test_cli_restore_refusals(run_cli, data_dir, tmp_path):
    make_ledger(data_dir, "通知甲")
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(FIXTURES / "ledger_v2.sqlite", newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE schema_meta SET value = '6'")
    con.commit()
    con.close()
    assert_refused(run_cli("restore", str(newer), data_dir=data_dir), "更新版本", "版本 6")
    text = tmp_path / "notes.txt"
    text.write_text("不是台账", encoding="utf-8")
    assert_refused(run_cli("restore", str(text), data_dir=data_dir), "不是 NoticeDesk 台账")
    assert_refused(run_cli("restore", str(tmp_path / "missing.sqlite"), data_dir=data_dir), "找不到备份文件")
    assert_refused(run_cli("backup", "--out", str(tmp_path / "x.sqlite"), data_dir=tmp_path / "empty"), "还没有台账")
    assert titles(data_dir) == ["通知甲"] and not (data_dir / "backups").exists()


def test_restore_refused_while_a_window_holds_the_ledger(data_dir, tmp_path):
    import subprocess
    import sys

    make_ledger(data_dir, "通知甲")
    out, _ = backup_to(data_dir, tmp_path / "b.sqlite")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from desktop.storage.lock import acquire; "
        "acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)"), str(data_dir)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LedgerError, match="另一个窗口"):
            restore(data_dir, out)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    restore(data_dir, out)  # the window is gone: its lock is stale
