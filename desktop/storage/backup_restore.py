"""Restore: the ledger of a data folder replaced by a backup (``restore``).

The ledger is first rebuilt from the backup's rows in the data folder (``backup_rebuild.rebuilt_copy``:
checked, migrated if older). Only then is the ledger replaced: the current ledger is first copied to
``backups/noticedesk-before-restore-….sqlite``, then the rebuilt file is written INTO the live database
with the backup API (one transaction; windows and connections that have the file open see the restored
content, the file keeps its identity). A live file too damaged for that is moved aside and replaced by
the copy instead. Anything refused leaves the ledger as it was (LedgerError, a Chinese line; the command
line exits 2).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.storage.backup_files import (
    BUSY_TIMEOUT_S,
    backups_dir,
    copy_database,
    file_stamp,
    free_name,
    fsync_dir,
    remove_db,
)
from desktop.storage.backup_rebuild import ANNUAL_VERSION, rebuilt_copy
from desktop.storage.backup_summary import BackupSummary, not_a_ledger, read_summary
from desktop.storage.errors import LedgerError
from desktop.storage.paths import DB_FILE_NAME
from desktop.storage.quickread import CURRENT_VERSION


@dataclass
class RestoreResult:
    """What a restore did: shown to the clerk (dialog, command line)."""

    summary: BackupSummary  # what the ledger now holds (after any migration)
    from_version: int
    ledger_path: Path
    kept: Path | None  # the replaced ledger, or None when there was none

    def describe(self) -> str:
        migrated = (f"（已从版本 {self.from_version} 升级到版本 {CURRENT_VERSION}）"
                    if self.from_version < CURRENT_VERSION else "")
        if self.from_version < ANNUAL_VERSION and self.summary.annual_years:
            migrated += "；这份较旧的备份中没有年度报告，已保留台账中原有的年度报告"
        kept = f"原台账已保存为：{self.kept}" if self.kept else "原来没有台账文件，无需保存。"
        annual = f"、{len(self.summary.annual_years)} 份年度报告" if self.summary.annual_years else ""
        return (f"已恢复 {len(self.summary.notices)} 份通知、{self.summary.task_count} 项任务{annual}到 {self.ledger_path}"
                f"{migrated}。\n{kept}")


def _keep_current(live: Path, folder: Path) -> Path:
    """Copy the ledger about to be replaced into ``backups/`` (consistently if SQLite can read it,
    else byte for byte with its -wal)."""
    dest = free_name(folder / f"noticedesk-before-restore-{file_stamp()}.sqlite")
    try:
        return copy_database(live, dest)
    except sqlite3.DatabaseError:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(live, dest)
        wal = Path(f"{live}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{dest}-wal"))
        return dest


def _page_size(con: sqlite3.Connection) -> int:
    return int(con.execute("PRAGMA page_size").fetchone()[0])


def _write_into(tmp: Path, live: Path) -> bool:
    """Replace the content of the live database by ``tmp`` in one transaction (backup API); False
    when the live file is too damaged to be written that way."""
    try:
        dest = sqlite3.connect(str(live), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.DatabaseError:
        return False
    try:
        try:
            wanted = _page_size(dest)
            dest.execute("PRAGMA schema_version").fetchone()  # reads page 1: fails on a non-database
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError) and "locked" in str(e).lower():
                raise
            return False
        src = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            if _page_size(src) != wanted:  # a WAL destination needs equal page sizes
                src.execute(f"PRAGMA page_size = {wanted}")
                src.execute("VACUUM")
            src.backup(dest)
        finally:
            src.close()
        if dest.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise LedgerError("恢复后的台账未通过完整性检查。原台账已保存在 backups 文件夹中，请从那里再次恢复。")
        return True
    finally:
        dest.close()


def restore(data_dir: Path, src: Path, *, check_lock: bool = True) -> RestoreResult:
    """Replace the ledger of ``data_dir`` by the backup ``src`` (see the module docstring).

    ``check_lock``: refuse while a NoticeDesk window of another process has the ledger open (the
    window that restores passes False: it holds the lock itself and reloads afterwards).
    LedgerError (Chinese) for everything the clerk can act on; the ledger is then as it was.
    """
    data_dir, src = Path(data_dir), Path(src)
    live = data_dir / DB_FILE_NAME
    if src.resolve() == live.resolve():
        raise LedgerError("这就是当前的台账文件，不能用它自己来恢复。请选择 backups 文件夹中的备份或其他备份文件。")
    if check_lock:
        from desktop.storage.lock import holder

        other = holder(data_dir)
        if other is not None:
            raise LedgerError(f"台账正在另一个窗口中打开（{other.describe()}）。请先关闭程序再恢复，未做任何修改。")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp, found = rebuilt_copy(src, data_dir)
    except sqlite3.Error as e:
        raise not_a_ledger(src) from e
    except OSError as e:
        raise LedgerError(f"无法准备恢复：{e.strerror or e}。请检查磁盘空间和数据文件夹的写入权限；台账未做修改。",
                          detail=str(e)) from e
    try:
        kept = None
        if live.exists() and live.stat().st_size > 0:
            try:
                kept = _keep_current(live, backups_dir(data_dir))
            except (OSError, sqlite3.Error) as e:
                raise LedgerError(f"无法保存当前台账的副本（{e}），因此没有恢复。请检查磁盘空间后重试。",
                                  detail=str(e)) from e
        try:
            replaced = live.exists() and _write_into(tmp, live)
        except sqlite3.OperationalError as e:
            from desktop.storage.engine import translate_error

            raise (translate_error(e) or LedgerError(str(e))) from e
        if not replaced:  # no ledger yet, or one SQLite cannot write into: swap the files
            for side in ("-wal", "-shm", "-journal"):
                Path(f"{live}{side}").unlink(missing_ok=True)
            os.replace(tmp, live)
            fsync_dir(data_dir)
        con = sqlite3.connect(str(live), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:  # read-write but query-only: closing it tidies -wal/-shm away, as the app's reader does
            con.execute("PRAGMA query_only = ON")
            summary = read_summary(con, live)
        finally:
            con.close()
    finally:
        remove_db(tmp)
    return RestoreResult(summary=summary, from_version=found, ledger_path=live, kept=kept)
