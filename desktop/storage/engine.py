"""Engine and sessions for one ledger, SQLite connection settings, and driver-error translation.

SQLite specifics live here and only here: the pragmas set on every connection (WAL, synchronous=
FULL, foreign_keys=ON), real transactions (pysqlite's own BEGIN handling is switched off so DDL and
reads are transactional too) and ``BEGIN IMMEDIATE`` for write sessions.

PostgreSQL (``db_url``, psycopg 3) gets the same two kinds of session: a write transaction first
takes a transaction-scoped advisory lock (``pg_advisory_xact_lock``), the server's counterpart of
BEGIN IMMEDIATE: writers of all clients run one at a time, so a read-then-write action (tree
positions, version checks) never interleaves with another client's, and change-log ids are handed
out in commit order (``Ledger.changed_since`` relies on it). Read sessions run REPEATABLE READ so
the two queries of ``tasks()`` see one state. ``fix_sequences`` moves identity sequences past ids
inserted explicitly (undo, restore).
"""
from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from desktop.storage.errors import LedgerError

# Execution option carried by the write engine: its transactions start with BEGIN IMMEDIATE.
WRITE_OPTION = "noticedesk_write"
BUSY_TIMEOUT_S = 5.0
# The advisory lock key of ledger writers on PostgreSQL ("NDLW"); one per database.
PG_WRITE_LOCK = 0x4E444C57
PG_CONNECT_TIMEOUT_S = 10


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(path))


def make_engine(url: str | URL, *, wal: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get the pragmas and transaction handling described above.

    ``wal=False`` is for looking at a file before it is known to be a ledger this program may open:
    switching to WAL rewrites the file header, and a refused file must stay byte-for-byte as it was.
    """
    url = make_url(url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        # pysqlite waits this long for another writer's lock before giving up with "database is locked".
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        _configure_sqlite(engine, wal)
    elif backend == "postgresql":
        if url.get_driver_name() != "psycopg":
            raise LedgerError(f"数据库地址应以 postgresql+psycopg:// 开头（使用 psycopg 3 驱动），而不是“{url.drivername}”。")
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
        engine = create_engine(url, connect_args=connect_args, pool_recycle=1800)
        _configure_postgresql(engine)
    else:
        raise LedgerError(f"不支持的数据库类型：{url.drivername}。请使用 SQLite 文件或 postgresql+psycopg:// 数据库服务器。")
    return engine


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION, False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


def fix_sequences(conn: Connection, tables: tuple[str, ...] | list[str]) -> None:
    """After rows were inserted with explicit ids: move each table's id sequence past its largest id
    (PostgreSQL identity columns do not follow explicit ids; SQLite's AUTOINCREMENT does). Never
    moves a sequence backwards, so an id is not handed out twice."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        seq = f"pg_get_serial_sequence('{table}', 'id')"
        conn.exec_driver_sql(
            f"SELECT setval({seq}, GREATEST((SELECT coalesce(max(id), 0) FROM {table}),"
            f" coalesce(pg_sequence_last_value({seq}::regclass), 0), 1))")


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
            # FULL, not NORMAL: in WAL mode NORMAL survives a killed process but may lose the last
            # commits (never consistency) when the power goes or the OS crashes, and these PCs get
            # switched off at the wall. FULL syncs the WAL at each commit: ~0.4 ms here, ~10 ms on
            # an office hard disk, once per clerk action (tests/safety/test_kill.py, issue 8).
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-write action can then not fail
        # half-way with SQLITE_BUSY when another window or the command line writes at the same time.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def write_engine(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take the write lock at once."""
    return engine.execution_options(**{WRITE_OPTION: True})


def make_sessions(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(write sessions, read sessions). Objects stay usable after commit: the service returns plain
    domain objects, but a method may read attributes after its ``with`` block."""
    reads = engine.execution_options(isolation_level="REPEATABLE READ") if engine.dialect.name == "postgresql" \
        else engine
    return (sessionmaker(write_engine(engine), expire_on_commit=False),
            sessionmaker(reads, expire_on_commit=False))


# --- driver errors -------------------------------------------------------------------------------
_MESSAGES: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    # (SQLite error names, words of the message, what the clerk reads)
    (("SQLITE_BUSY", "SQLITE_LOCKED"), ("locked", "busy"),
     "台账文件正被另一个程序占用（数据库已锁定）。请关闭其他正在使用台账的 NoticeDesk 窗口或命令，稍后重试。"),
    (("SQLITE_FULL",), ("disk is full", "database or disk is full"),
     "磁盘空间已满，无法保存台账：刚才的修改没有保存，已保存的内容不受影响。请清理磁盘空间后重试。"),
    (("SQLITE_READONLY",), ("readonly", "read-only"),
     "台账文件或它所在的文件夹是只读的（只读的共享文件夹、光盘或没有写入权限），无法打开或保存台账，台账未被修改。"
     "请检查权限，或把整个数据文件夹复制到可以写入的位置后再打开。"),
    (("SQLITE_NOTADB", "SQLITE_CORRUPT"), ("not a database", "malformed", "corrupt"),
     "台账文件已损坏，或者不是 NoticeDesk 台账文件。文件未做任何修改；可从数据文件夹的 backups 中找回备份。"),
    (("SQLITE_IOERR",), ("disk i/o error",),
     "读写台账文件时发生磁盘错误。请检查磁盘或 U 盘是否已拔出、是否损坏，然后重试。"),
    (("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"), ("unable to open", "permission denied"),
     "无法打开台账文件。请检查数据文件夹是否存在以及是否有访问权限。"),
]


# PostgreSQL (psycopg) errors: (words of the message, what the clerk reads)
_PG_MESSAGES: list[tuple[tuple[str, ...], str]] = [
    (("password authentication failed", "no pg_hba.conf entry", "role \"", "authentication"),
     "数据库服务器拒绝登录（用户名或密码不对，或这台电脑未获准连接）。请联系信息技术管理员检查数据库地址和权限。"),
    (("does not exist",),
     "数据库服务器上找不到指定的数据库。请检查数据库地址（--db-url 或设置中的服务器地址），或联系信息技术管理员。"),
    (("connection refused", "could not connect", "timeout expired", "could not translate host name",
      "no route to host", "network is unreachable", "connection timed out", "name or service not known"),
     "无法连接数据库服务器。请检查网络是否连通、服务器地址和端口是否正确，或联系信息技术管理员确认服务器已启动。"),
    (("server closed the connection", "terminating connection", "connection is closed", "consuming input failed",
      "ssl syscall", "connection to server", "the connection is lost"),
     "与数据库服务器的连接中断了：刚才的操作没有保存。请检查网络后重试。"),
    (("deadlock detected", "could not serialize"),
     "与其他电脑同时保存发生冲突，刚才的操作没有保存。请重试。"),
    (("could not extend file", "no space left on device", "disk full"),
     "数据库服务器的磁盘空间已满，刚才的修改没有保存。请联系信息技术管理员。"),
    (("permission denied",),
     "数据库账号没有操作台账表的权限。请联系信息技术管理员授权。"),
    (("read-only transaction", "recovery is in progress"),
     "数据库服务器当前只读（可能正在维护或是备用服务器），刚才的修改没有保存。请联系信息技术管理员。"),
]


def _is_environment_error(exc: BaseException) -> bool:
    # Integrity, programming, data and interface errors are bugs in our code: let them crash loudly.
    if isinstance(exc, sa_exc.DBAPIError):
        if type(exc.orig).__module__.startswith("psycopg"):  # the server's own troubles count too
            name = type(exc.orig).__name__
            if isinstance(exc, sa_exc.InternalError) or name in ("InsufficientPrivilege", "ReadOnlySqlTransaction"):
                return True
        return isinstance(exc, sa_exc.OperationalError) or type(exc) is sa_exc.DatabaseError
    # Raised by the pragmas in the connect hook before SQLAlchemy could wrap them.
    return isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError


# An I/O error with less free space than this beside the ledger is a full disk: SQLite reports a disk
# that cannot grow the shared-memory file (-shm) of WAL mode as SQLITE_IOERR_SHMSIZE, not SQLITE_FULL.
LOW_SPACE_BYTES = 1024 * 1024


def _nearly_full(path: Path | None) -> bool:
    if path is None:
        return False
    import shutil

    try:
        return shutil.disk_usage(Path(path).parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def translate_error(exc: BaseException, path: Path | None = None) -> LedgerError | None:
    """The LedgerError to show for a driver error, or None if ``exc`` is a programming error.
    ``path``: the SQLite file, so that an I/O error on a (nearly) full disk is called a full disk."""
    if not _is_environment_error(exc):
        return None
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorname", "") or ""
    text = str(orig)
    low = text.lower()
    if type(orig).__module__.startswith("psycopg"):
        for words, message in _PG_MESSAGES:
            if any(w in low for w in words):
                return LedgerError(f"{message}\n（{text.strip()}）", detail=text)
        return LedgerError(f"访问数据库服务器时出错。\n（{text.strip()}）", detail=text)
    for codes, words, message in _MESSAGES:
        if code.startswith(codes) or any(w in low for w in words):
            if codes == ("SQLITE_IOERR",) and _nearly_full(path):
                message = next(m for c, _w, m in _MESSAGES if c == ("SQLITE_FULL",))
            return LedgerError(f"{message}\n（{text}）", detail=text)
    return LedgerError(f"访问台账数据库时出错。\n（{text}）", detail=text)


P = ParamSpec("P")
R = TypeVar("R")


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn driver 'environment' errors into LedgerError; programming errors pass untouched."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except LedgerError:
            raise
        except Exception as e:
            where = getattr(args[0], "path", None) if args else None  # a storage collaborator's file (core.Part.path)
            err = translate_error(e, where if isinstance(where, Path) else None)
            if err is None:
                raise
            raise err from e

    return wrapper
