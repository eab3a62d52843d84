"""Backup files: the names they are stored under, and consistent copies of a SQLite ledger.

Stdlib ``sqlite3`` only, so the daily backup can run in a background thread of the window without
touching SQLAlchemy. Every copy is made with SQLite's online backup API (consistent even while the
window writes in WAL mode), written to a hidden ``.partial`` file in the target folder, flushed to disk
and renamed into place, so a copy interrupted by a crash or power cut never looks like a backup.

Used by ``backup`` (making and listing backups), ``backup_rebuild`` and ``backup_restore`` (restore),
and ``transfer`` (a server ledger to a file).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from desktop.storage.paths import BACKUP_DIR_NAME

AUTO_PREFIX = "noticedesk-"
AUTO_NAME = re.compile(r"^noticedesk-(\d{8})-(\d{6})(?:~\d+)?\.sqlite$")
_ANY_STAMP = re.compile(r"(\d{8})-(\d{6})")
BUSY_TIMEOUT_S = 5.0


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR_NAME


def file_stamp(now: dt.datetime | None = None) -> str:
    """The time stamp in backup file names (YYYYmmdd-HHMMSS; also used by transfer.py)."""
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


def stamp_in_name(name: str) -> dt.datetime | None:
    """The time stamp in a backup file's name (any NoticeDesk backup), or None."""
    m = _ANY_STAMP.search(name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def sqlite_uri(path: Path, mode: str) -> str:
    """A ``sqlite3.connect(…, uri=True)`` address of ``path`` opened in ``mode`` (ro, rw …)."""
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; elsewhere nothing to do)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def free_name(dest: Path) -> Path:
    """``dest``, or ``dest`` with ~2, ~3 … when a file of that name exists."""
    n = 1
    while dest.exists():  # two backups within one second must not overwrite each other
        n += 1
        dest = dest.with_name(f"{dest.stem.rsplit('~', 1)[0]}~{n}{dest.suffix}")
    return dest


def partial_name(dest: Path) -> Path:
    """The hidden name a copy is written under until it is complete."""
    return dest.with_name(f".{dest.name}.partial")


def copy_database(src: Path, dest: Path, *, overwrite: bool = False,
                  check: Callable[[Path], None] | None = None) -> Path:
    """A consistent copy of the SQLite file ``src`` at ``dest`` (a plain rollback-journal file
    without -wal/-shm); returns the path written (``dest``, or ``dest~2`` … when it exists and
    ``overwrite`` is False). ``check(copy)`` runs on the finished copy before it takes its place (it
    raises to refuse it). Raises sqlite3.Error for a file SQLite cannot read, OSError when the
    copy cannot be written; ``dest`` is then untouched."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite:
        dest = free_name(dest)
    tmp = partial_name(dest)
    tmp.unlink(missing_ok=True)
    try:
        _backup_pages(sqlite3.connect(str(src), timeout=BUSY_TIMEOUT_S, isolation_level=None), tmp)
    except sqlite3.OperationalError:
        # A ledger in a read-only folder (WAL needs to create -shm there): with nothing in a -wal
        # beside it, the main file is the whole database and can be read as immutable.
        wal = Path(f"{src}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            tmp.unlink(missing_ok=True)
            raise
        _backup_pages(sqlite3.connect(sqlite_uri(src, "ro") + "&immutable=1", uri=True, isolation_level=None), tmp)
    try:
        if check is not None:
            check(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(dest.parent)
    return dest


def _backup_pages(source: sqlite3.Connection, tmp: Path) -> None:
    try:
        source.execute("PRAGMA query_only = ON")  # never writes; may still tidy -wal/-shm on close
        target = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            source.backup(target)  # all pages in one step: one consistent snapshot
            target.execute("PRAGMA journal_mode=DELETE").fetchall()
        finally:
            target.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        source.close()


def remove_db(path: Path) -> None:
    """Remove a SQLite file with its -wal, -shm and -journal companions (errors ignored)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass
