"""Guards against a ledger file that vanishes while open (network drive gone, file moved or deleted).

On Linux/macOS an open SQLite file that is deleted or moved away keeps working: every later edit
would go into a file nobody can find again, and the clerk would lose it when the window closes. On
Windows a vanished network drive shows as an I/O error, which ``engine.translate_error`` already
words. ``watch`` checks, before each write transaction, that the ledger path still names the file
that was opened (same device and inode); if not, the write is refused with a LedgerError before
anything is written, so the edit is not silently lost and the file that was moved is not touched.
The check is one ``stat`` (microseconds) per edit.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from desktop.storage.engine import WRITE_OPTION
from desktop.storage.errors import LedgerError

GONE = ("找不到台账文件 {path}：它可能已被移动或删除，或者所在的网络盘、U 盘已断开。刚才的修改没有保存。"
        "请把文件放回原处（或重新连接网络盘）后重新打开程序；若文件已丢失，可从 backups 文件夹中的备份恢复。")
REPLACED = ("台账文件 {path} 已被其他程序替换或移动。为避免写错文件，刚才的修改没有保存。"
            "请关闭并重新打开程序。")


def file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def check(path: Path, identity: tuple[int, int] | None) -> None:
    """Raise LedgerError if ``path`` no longer names the file with ``identity``."""
    now = file_identity(path)
    if now is None:
        raise LedgerError(GONE.format(path=path))
    if identity is not None and os.name != "nt" and now != identity:
        raise LedgerError(REPLACED.format(path=path))


def watch(engine: Engine, path: Path) -> None:
    """Check the file before every write transaction of ``engine`` (see the module docstring)."""
    identity = file_identity(path)

    def before_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION, False):
            check(path, identity)

    # insert=True: before engine.py's hook issues BEGIN, so a refusal leaves no transaction open.
    event.listen(engine, "begin", before_begin, insert=True)
