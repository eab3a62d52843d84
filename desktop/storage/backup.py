"""Backups of the ledger file: the automatic daily copy, a backup to a chosen file, the backup list,
and (re-exported from its own module) restore.

Stdlib ``sqlite3`` only, so the daily backup can run in a background thread of the window without
touching SQLAlchemy. The parts, each in its module:

- ``backup_files``: the names backups are stored under and consistent, crash-safe copies of a ledger;
- ``backup_schema``: the schema NoticeDesk makes, and ``check_schema`` (exactly that schema, no view or
  trigger);
- ``backup_summary``: ``inspect_backup`` — what a file holds, read without changing it, refused if it is
  not a sound NoticeDesk ledger this program can use;
- ``backup_rebuild``: a new ledger built from a backup's rows, checked and migrated;
- ``backup_restore``: ``restore`` — the rebuilt ledger written in place of the live one;
- this module: making and listing backups, and the automatic daily backup.

Names in ``<data>/backups/``:

- ``noticedesk-YYYYmmdd-HHMMSS.sqlite``: automatic, at most one a day, the newest ``KEEP_AUTOMATIC``
  kept (older ones are deleted by ``prune``);
- ``noticedesk-before-v{N}-….sqlite``: made by a migration (``migrations.py``), never deleted here;
- ``noticedesk-before-restore-….sqlite``: the ledger as it was before a restore, never deleted here.

A backup holds the database only — the notices, tasks, units and history, and the annual reports (table
``annual_report`` since schema v5; a restored older backup has none, and the restore leaves the
``annual-reports`` folder of the data folder alone); evidence files (``<data>/evidence``) stay in the data folder,
stored by content, and a restore does not remove any.

Backups of a damaged ledger are not made: the copy is checked before it takes the place of a file, so
a broken ledger never pushes good automatic backups out, and ``backup`` says the ledger is damaged and
which backup to restore.
"""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.storage.backup_files import (
    AUTO_NAME,
    AUTO_PREFIX,
    backups_dir,
    copy_database,
    file_stamp,
    free_name,
    sqlite_uri,
    stamp_in_name,
)
from desktop.storage.backup_restore import RestoreResult, restore
from desktop.storage.backup_summary import BackupSummary, inspect_backup, when_text
from desktop.storage.errors import LedgerError
from desktop.storage.paths import DB_FILE_NAME

# What callers use from ``backup``: its own functions, and the names of the backup dialog and the command line
# (``inspect_backup``, ``restore`` and their results) re-exported from the modules that make them.
__all__ = [
    "AUTO_NAME", "KEEP_AUTOMATIC", "BackupEntry", "BackupSummary", "RestoreResult", "automatic_backups",
    "backup_to", "backups_dir", "copy_database", "daily_backup", "damaged_message", "inspect_backup",
    "list_backups", "prune", "restore", "start_daily_backup",
]

_log = logging.getLogger(__name__)

KEEP_AUTOMATIC = 30


@dataclass
class BackupEntry:
    """One file in ``backups/`` as the backup dialog lists it."""

    path: Path
    kind: str  # "auto", "migration", "restore", "other"
    taken_at: dt.datetime
    size: int

    @property
    def kind_text(self) -> str:
        return {"auto": "自动备份", "migration": "升级前备份", "restore": "恢复前备份"}.get(self.kind, "其他")


def damaged_message(data_dir: Path) -> str:
    """The ledger of ``data_dir`` is damaged: say so and name the backup to restore."""
    live = Path(data_dir) / DB_FILE_NAME
    autos = list_backups(data_dir)  # newest first
    if autos:
        where = (f"请从备份恢复：最近的一份是 {autos[0].path}（{when_text(autos[0].taken_at)}），"
                 f"在“文件 → 备份与恢复”中选择它，或运行 python -m desktop restore \"{autos[0].path}\"。")
    else:
        where = f"{backups_dir(data_dir)} 中没有备份；请保留这个文件，交给技术支持尝试修复。"
    return f"台账文件 {live} 已损坏（完整性检查未通过），不能用它做备份，没有写入任何备份文件。{where}"


def _must_be_sound(data_dir: Path) -> Callable[[Path], None]:
    """A ``copy_database`` check: the copy of the ledger passes SQLite's quick_check."""

    def check(copy: Path) -> None:
        try:
            con = sqlite3.connect(sqlite_uri(copy, "ro"), uri=True)
            try:
                ok = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            finally:
                con.close()
        except sqlite3.DatabaseError:
            ok = False
        if not ok:
            raise LedgerError(damaged_message(data_dir))

    return check


def backup_to(data_dir: Path, out: Path) -> tuple[Path, BackupSummary]:
    """Back the ledger of ``data_dir`` up to ``out`` (a file, replaced if it exists, or a folder:
    a dated file in it). Returns (file written, what it holds). LedgerError for the clerk."""
    live = Path(data_dir) / DB_FILE_NAME
    if not live.is_file() or live.stat().st_size == 0:
        raise LedgerError(f"数据文件夹 {data_dir} 中还没有台账文件，无需备份。")
    out = Path(out)
    if out.is_dir():
        out = free_name(out / f"{AUTO_PREFIX}{file_stamp()}.sqlite")
    if out.resolve() == live.resolve():
        raise LedgerError("不能把台账备份到它自己。请选择另一个文件名或文件夹。")
    if not out.parent.is_dir():
        raise LedgerError(f"保存位置不存在：{out.parent}。请先建立该文件夹或换一个位置。")
    try:
        written = copy_database(live, out, overwrite=True, check=_must_be_sound(data_dir))
    except sqlite3.Error as e:
        if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
            raise LedgerError(damaged_message(data_dir), detail=str(e)) from e  # malformed, not a database
        from desktop.storage.engine import translate_error

        raise (translate_error(e, live) or LedgerError(str(e))) from e
    except OSError as e:
        raise LedgerError(f"无法写入备份文件 {out}：{e.strerror or e}。请检查磁盘空间和写入权限，"
                          "或换一个位置；台账未受影响。", detail=str(e)) from e
    return written, inspect_backup(written, schema=False)  # a backup of whatever the ledger is


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if AUTO_NAME.match(p.name)),
                  key=lambda p: (AUTO_NAME.match(p.name).groups(), p.name))


def prune(folder: Path, keep: int = KEEP_AUTOMATIC) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep`` (and stale ``.partial`` files); returns
    what was deleted. Migration and before-restore backups, and any other file, are never touched."""
    removed = []
    autos = automatic_backups(folder)
    for p in autos[: max(0, len(autos) - keep)]:
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            _log.warning("could not delete old backup %s", p, exc_info=True)
    for p in folder.glob(".noticedesk-*.partial") if folder.is_dir() else ():
        try:
            if dt.datetime.now().timestamp() - p.stat().st_mtime > 3600:  # left by a crash
                p.unlink()
        except OSError:
            pass
    return removed


def daily_backup(data_dir: Path, now: dt.datetime | None = None, keep: int = KEEP_AUTOMATIC) -> Path | None:
    """Make today's automatic backup if there is none yet; returns it (None: not needed). Raises
    like ``copy_database``; ``start_daily_backup`` runs it in the background and logs failures."""
    now = now or dt.datetime.now()
    live = Path(data_dir) / DB_FILE_NAME
    if not live.is_file() or live.stat().st_size == 0:
        return None
    folder = backups_dir(data_dir)
    today = now.strftime("%Y%m%d")
    if any(AUTO_NAME.match(p.name).group(1) == today for p in automatic_backups(folder)):
        return None
    # a damaged ledger is not backed up: its copies would push the good backups out of the 30 kept
    dest = folder / f"{AUTO_PREFIX}{file_stamp(now)}.sqlite"
    written = copy_database(live, dest, check=_must_be_sound(data_dir))
    prune(folder, keep)
    return written


def start_daily_backup(data_dir: Path) -> threading.Thread:
    """Run ``daily_backup`` in a daemon thread (the window calls this once it is shown)."""

    def run() -> None:
        try:
            made = daily_backup(data_dir)
            if made is not None:
                _log.info("automatic backup written: %s", made)
        except Exception:  # a failed backup must never disturb the clerk's work; it is logged
            _log.warning("automatic backup failed", exc_info=True)

    thread = threading.Thread(target=run, name="ledger-daily-backup", daemon=True)
    thread.start()
    return thread


def list_backups(data_dir: Path) -> list[BackupEntry]:
    """Every backup file in ``backups/``, newest first."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.iterdir():
        if not p.is_file() or p.name.startswith(".") or p.suffix != ".sqlite":
            continue
        if AUTO_NAME.match(p.name):
            kind = "auto"
        elif p.name.startswith("noticedesk-before-restore-"):
            kind = "restore"
        elif p.name.startswith("noticedesk-before-v"):
            kind = "migration"
        else:
            kind = "other"
        st = p.stat()
        out.append(BackupEntry(p, kind, stamp_in_name(p.name) or dt.datetime.fromtimestamp(st.st_mtime), st.st_size))
    return sorted(out, key=lambda e: (e.taken_at, e.path.name), reverse=True)
