"""A ledger rebuilt from a backup's rows (``rebuilt_copy``): what a restore puts in place of the ledger.

The backup is first checked (``inspect_backup``: a NoticeDesk ledger, not newer than this program,
``quick_check`` ok, its schema exactly the one NoticeDesk makes at its version), then copied
consistently. A new file gets the schema from ``migrations.statements`` (never the backup's own DDL),
the rows are copied table by table, checked (every value of the type and kind the program reads, no
dangling reference, no task under its own subtree) and migrated if older. Nothing of the backup but its
rows can reach the ledger, so a trigger or view hidden in a backup never runs.

A backup older than schema v5 holds no annual reports: the rebuilt ledger keeps those of the live ledger.
Used by ``backup_restore`` (a local ledger) and ``transfer`` (a server ledger).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.storage.backup_files import copy_database, file_stamp, partial_name, remove_db, sqlite_uri
from desktop.storage.backup_schema import check_schema, reference_schema
from desktop.storage.backup_summary import inspect_backup, read_summary
from desktop.storage.errors import LedgerError
from desktop.storage.paths import DB_FILE_NAME
from desktop.storage.quickread import CURRENT_VERSION, VERSION_KEY

_log = logging.getLogger(__name__)

ANNUAL_VERSION = 5  # migrations.ANNUAL_VERSION: the first schema with the annual_report table


def _unusable(path: Path, what: str) -> LedgerError:
    return LedgerError(f"备份文件“{path.name}”中的数据有问题：{what}。它可能被其他程序改动过，不能用来恢复，"
                       "台账未做任何修改。请换一个备份文件（数据文件夹的 backups 中有自动备份）。", detail=what)


def _rebuild(raw: Path, tmp: Path, version: int, name: Path) -> None:
    """Make ``tmp`` a new ledger of ``version`` with NoticeDesk's own schema and copy into it every row
    of the checked copy ``raw`` (read-only, attached; nothing of its schema runs). ``name``: the
    backup file the clerk chose, for messages."""
    from desktop.storage import migrations

    con = sqlite3.connect(str(tmp), isolation_level=None, uri=True)
    try:
        con.execute("PRAGMA trusted_schema = OFF")
        con.execute("ATTACH DATABASE ? AS src", (sqlite_uri(raw, "ro"),))
        check_schema(con, version, name, "src")  # the copy is what is read: check it, not only the file
        con.execute("BEGIN IMMEDIATE")
        for sql in migrations.statements(version):
            con.execute(sql)
        tables = sorted(reference_schema(version)["tables"])
        con.execute("DELETE FROM main.schema_meta")
        for table in tables:
            cols = ", ".join(f'"{r[1]}"' for r in con.execute(f'PRAGMA main.table_info("{table}")'))
            con.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM src."{table}"')
        counters = dict(con.execute("SELECT name, seq FROM main.sqlite_sequence").fetchall())
        has_counters = con.execute("SELECT 1 FROM src.sqlite_master WHERE type = 'table' "
                                   "AND name = 'sqlite_sequence'").fetchone()
        src_counters = con.execute("SELECT name, seq FROM src.sqlite_sequence").fetchall() if has_counters else []
        for t, seq in src_counters:
            if t in tables and t in migrations.ID_TABLES and type(seq) is int and seq > counters.get(t, 0):
                if t in counters:
                    con.execute("UPDATE main.sqlite_sequence SET seq = ? WHERE name = ?", (seq, t))
                else:
                    con.execute("INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)", (t, seq))
        dangling = con.execute("PRAGMA main.foreign_key_check").fetchall()
        if dangling:
            raise _unusable(name, f"有 {len(dangling)} 条记录指向不存在的记录（如表 {dangling[0][0]} 第 {dangling[0][1]} 行）")
        con.execute("UPDATE main.schema_meta SET value = ? WHERE name = ?", (str(version), VERSION_KEY))
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def _check_values(tmp: Path, name: Path) -> None:
    """Every value of the rebuilt ledger ``tmp`` (at the current version) is of the type and kind the
    program reads (models.py: enums by value, dates ISO, aliases a JSON list …), and the task trees are
    trees: a parent in the same notice, no task under its own subtree (that would loop for ever)."""
    import json

    from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, Text

    from desktop.storage.models import Base, EnumText, JsonList

    def kind(column: Any) -> Callable[[Any], bool]:
        t = column.type
        if isinstance(t, EnumText):
            values = {m.value for m in t.enum_cls}
            return lambda v: isinstance(v, str) and v in values
        if isinstance(t, JsonList):
            def aliases(v: Any) -> bool:
                try:
                    found = json.loads(v) if isinstance(v, str) else None
                except ValueError:
                    return False
                return isinstance(found, list) and all(isinstance(a, str) for a in found)
            return aliases
        if isinstance(t, Boolean):
            return lambda v: type(v) is int and v in (0, 1)
        if isinstance(t, Integer):
            return lambda v: type(v) is int
        if isinstance(t, DateTime):
            return lambda v: isinstance(v, str) and _parses(dt.datetime.fromisoformat, v)
        if isinstance(t, Date):
            return lambda v: isinstance(v, str) and _parses(dt.date.fromisoformat, v)
        if isinstance(t, LargeBinary):
            return lambda v: isinstance(v, bytes)
        if isinstance(t, Text):
            return lambda v: isinstance(v, str)
        raise TypeError(f"no check for {t!r}")

    con = sqlite3.connect(sqlite_uri(tmp, "ro"), uri=True)
    try:
        for table in Base.metadata.sorted_tables:
            checks = [(c.name, c.nullable, kind(c)) for c in table.columns]
            blobs = [c for c, _n, _k in checks if isinstance(table.c[c].type, LargeBinary)]
            for c in blobs:  # only their type: the bytes themselves are not loaded
                bad = con.execute(f'SELECT rowid FROM "{table.name}" WHERE typeof("{c}") NOT IN '
                                  "('blob', 'null') LIMIT 1").fetchone()
                if bad:
                    raise _unusable(name, f"表 {table.name} 第 {bad[0]} 行的 {c} 不是文件内容")
            checks = [x for x in checks if x[0] not in blobs]
            cols = ", ".join(f'"{c}"' for c, _n, _k in checks)
            for row in con.execute(f'SELECT rowid, {cols} FROM "{table.name}"'):
                for (c, nullable, ok), v in zip(checks, row[1:], strict=True):
                    if (nullable if v is None else ok(v)):
                        continue
                    shown = repr(v) if not isinstance(v, str) else f"“{v[:20]}”"
                    raise _unusable(name, f"表 {table.name} 第 {row[0]} 行的 {c} 为 {shown}，不是程序能读的值")
        parent: dict[int, tuple[int, int | None]] = {
            tid: (nid, pid) for tid, nid, pid in con.execute("SELECT id, notice_id, parent_id FROM task")}
        for tid, (nid, pid) in parent.items():
            seen = {tid}
            while pid is not None:
                if pid in seen or parent[pid][0] != nid:
                    raise _unusable(name, f"任务（编号 {tid}）的上级任务不在同一份通知中，或排在它自己的下级里")
                seen.add(pid)
                pid = parent[pid][1]
    finally:
        con.close()


def _parses(parse: Callable[[str], Any], value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def rebuilt_copy(src: Path, data_dir: Path) -> tuple[Path, int]:
    """A ledger rebuilt from ``src``'s rows in the data folder (checked, migrated): (its path, the
    version ``src`` had). See the module docstring."""
    summary = inspect_backup(src)  # refuses foreign, damaged, altered and newer files before copying anything
    stamp = f"{file_stamp()}-{os.getpid()}"
    raw = Path(data_dir) / f".restore-{stamp}-raw.sqlite"
    tmp = Path(data_dir) / f".restore-{stamp}.sqlite"
    for p in (raw, partial_name(raw), tmp, partial_name(tmp)):
        p.unlink(missing_ok=True)
    try:
        copy_database(src, raw, overwrite=True)  # consistent even if the backup is in WAL mode
        _rebuild(raw, tmp, summary.schema_version, src)
        remove_db(raw)
        if summary.schema_version < CURRENT_VERSION:
            from desktop.storage import migrations
            from desktop.storage.engine import make_engine, sqlite_url

            engine = make_engine(sqlite_url(tmp))
            try:
                migrations.upgrade(engine, None)  # the source file itself stays as it was
            finally:
                engine.dispose()
            con = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                con.execute("PRAGMA journal_mode=DELETE").fetchall()
            finally:
                con.close()
        if summary.schema_version < ANNUAL_VERSION:
            _keep_annual_reports(Path(data_dir) / DB_FILE_NAME, tmp)
        _check_values(tmp, src)
        con = sqlite3.connect(sqlite_uri(tmp, "ro"), uri=True)
        try:
            read_summary(con, tmp)  # the rebuilt copy passes the same checks
        finally:
            con.close()
    except BaseException:
        remove_db(raw)
        remove_db(tmp)
        raise
    return tmp, summary.schema_version


def _keep_annual_reports(live: Path, tmp: Path) -> int:
    """A backup older than schema v5 holds no annual reports (an earlier NoticeDesk kept them in files that a
    restore did not touch): the rebuilt ledger ``tmp`` keeps those of the live ledger, as a restore kept the
    files then. Returns how many rows were kept; a live file that cannot be read keeps none (logged)."""
    if not live.is_file() or live.stat().st_size == 0:
        return 0
    try:
        con = sqlite3.connect(str(tmp), isolation_level=None, uri=True)
        try:
            con.execute("PRAGMA trusted_schema = OFF")
            con.execute("ATTACH DATABASE ? AS live", (sqlite_uri(live, "ro"),))
            if not con.execute("SELECT 1 FROM live.sqlite_master WHERE type = 'table' AND name = 'annual_report'"
                               ).fetchone():
                return 0
            con.execute("BEGIN IMMEDIATE")
            n = con.execute("INSERT INTO main.annual_report (year, content, version, updated_at) "
                            "SELECT year, content, version, updated_at FROM live.annual_report "
                            "WHERE typeof(year) = 'integer' AND typeof(content) = 'text' "
                            "AND typeof(version) = 'integer' AND typeof(updated_at) = 'text'").rowcount
            con.execute("COMMIT")
            return max(0, n)
        finally:
            con.close()
    except sqlite3.Error:
        _log.warning("the annual reports of %s could not be kept in the restored ledger", live, exc_info=True)
        return 0
