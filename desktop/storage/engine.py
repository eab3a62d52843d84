"""Engine and sessions for one ledger, SQLite connection settings, and driver-error translation.

SQLite specifics live here and only here: the pragmas set on every connection (WAL, synchronous=
NORMAL, foreign_keys=ON), real transactions (pysqlite's own BEGIN handling is switched off so DDL and
reads are transactional too) and ``BEGIN IMMEDIATE`` for write sessions. Another engine (PostgreSQL,
via ``db_url``) gets a plain engine and the same sessions.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from desktop.storage.errors import LedgerError

# Execution option carried by the write engine: its transactions start with BEGIN IMMEDIATE.
_WRITE_OPTION = "noticedesk_write"
BUSY_TIMEOUT_S = 5.0


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(path))


def make_engine(url: str | URL, *, wal: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get the pragmas and transaction handling described above.

    ``wal=False`` is for looking at a file before it is known to be a ledger this program may open:
    switching to WAL rewrites the file header, and a refused file must stay byte-for-byte as it was.
    """
    url = make_url(url)
    # pysqlite waits this long for another writer's lock before giving up with "database is locked".
    connect_args = {"timeout": BUSY_TIMEOUT_S} if url.get_backend_name() == "sqlite" else {}
    engine = create_engine(url, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, wal)
    return engine


def _configure_sqlite(engine: Engine, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Autocommit at the driver level; the "begin" hook below issues BEGIN itself. Without this,
        # pysqlite (Python < 3.12) only begins before INSERT/UPDATE/DELETE, so DDL in migrations and
        # the reads of a read-then-write action would run outside the transaction.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            if wal:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.fetchall()
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-write action can then not fail
        # half-way with SQLITE_BUSY when another window or the command line writes at the same time.
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def write_engine(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take the write lock at once."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def make_sessions(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(write sessions, read sessions). Objects stay usable after commit: the service returns plain
    domain objects, but a method may read attributes after its ``with`` block."""
    return (sessionmaker(write_engine(engine), expire_on_commit=False),
            sessionmaker(engine, expire_on_commit=False))


# --- driver errors -------------------------------------------------------------------------------
_MESSAGES: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    # (SQLite error names, words of the message, what the clerk reads)
    (("SQLITE_BUSY", "SQLITE_LOCKED"), ("locked", "busy"),
     "台账文件正被另一个程序占用（数据库已锁定）。请关闭其他正在使用台账的 NoticeDesk 窗口或命令，稍后重试。"),
    (("SQLITE_FULL",), ("disk is full", "database or disk is full"),
     "磁盘空间已满，无法保存台账。请清理磁盘空间后重试。"),
    (("SQLITE_READONLY",), ("readonly", "read-only"),
     "台账文件是只读的，无法保存修改。请检查台账文件及其所在文件夹的权限。"),
    (("SQLITE_NOTADB", "SQLITE_CORRUPT"), ("not a database", "malformed", "corrupt"),
     "台账文件已损坏，或者不是 NoticeDesk 台账文件。文件未做任何修改；可从数据文件夹的 backups 中找回备份。"),
    (("SQLITE_IOERR",), ("disk i/o error",),
     "读写台账文件时发生磁盘错误。请检查磁盘或 U 盘是否已拔出、是否损坏，然后重试。"),
    (("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"), ("unable to open", "permission denied"),
     "无法打开台账文件。请检查数据文件夹是否存在以及是否有访问权限。"),
]


def _is_environment_error(exc: BaseException) -> bool:
    # Integrity, programming, data and interface errors are bugs in our code: let them crash loudly.
    if isinstance(exc, sa_exc.DBAPIError):
        return isinstance(exc, sa_exc.OperationalError) or type(exc) is sa_exc.DatabaseError
    # Raised by the pragmas in the connect hook before SQLAlchemy could wrap them.
    return isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError


def translate_error(exc: BaseException) -> LedgerError | None:
    """The LedgerError to show for a driver error, or None if ``exc`` is a programming error."""
    if not _is_environment_error(exc):
        return None
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorname", "") or ""
    text = str(orig)
    low = text.lower()
    for codes, words, message in _MESSAGES:
        if code.startswith(codes) or any(w in low for w in words):
            return LedgerError(f"{message}\n（{text}）", detail=text)
    return LedgerError(f"访问台账数据库时出错。\n（{text}）", detail=text)
