"""The schema NoticeDesk makes, and the check that a file has exactly that schema (``check_schema``).

A backup is restored only if its schema is the one ``migrations.statements`` makes at its version: the
same tables, columns, foreign keys and indexes, and no view or trigger (a trigger in a restored ledger
would run on the clerk's next edit). The reference is built once per version in an in-memory database.
Stdlib ``sqlite3`` (``migrations`` is imported only when a reference is first built).
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from desktop.storage.errors import LedgerError

# Objects SQLite keeps for itself (AUTOINCREMENT counters, ANALYZE statistics); their indexes are
# compared through the tables they belong to.
_INTERNAL_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}
_references: dict[int, dict[str, Any]] = {}
_lock = threading.Lock()


def _describe(con: sqlite3.Connection, db: str = "main") -> dict[str, Any]:
    """The schema of database ``db`` of ``con`` as comparable data: views and triggers by name, and per
    table its columns (name, declared type, not null, default, primary key, hidden), foreign keys and
    indexes (name, unique, origin, partial, columns). Only names found in the reference schema are
    put into PRAGMA statements, so a hostile name cannot inject SQL."""
    objects = con.execute(f"SELECT type, name FROM {db}.sqlite_master").fetchall()
    out: dict[str, Any] = {
        "views": sorted(str(n) for t, n in objects if t == "view"),
        "triggers": sorted(str(n) for t, n in objects if t == "trigger"),
        "other": sorted(f"{t} {n}" for t, n in objects if t not in ("table", "index", "view", "trigger")),
        "tables": {str(n) for t, n in objects if t == "table"} - _INTERNAL_TABLES,
    }
    return out


def _table_shape(con: sqlite3.Connection, db: str, table: str) -> dict[str, Any]:
    q = table.replace('"', '""')
    columns = [tuple(r[1:]) for r in con.execute(f'PRAGMA {db}.table_xinfo("{q}")')]
    fks = sorted(tuple(r[2:]) for r in con.execute(f'PRAGMA {db}.foreign_key_list("{q}")'))
    indexes = {}
    for _seq, name, unique, origin, partial in con.execute(f'PRAGMA {db}.index_list("{q}")'):
        qi = str(name).replace('"', '""')
        cols = [tuple(r[1:]) for r in con.execute(f'PRAGMA {db}.index_xinfo("{qi}")')]
        indexes[str(name)] = (unique, origin, partial, cols)
    return {"columns": columns, "fks": fks, "indexes": indexes}


def reference_schema(version: int) -> dict[str, Any]:
    """The schema NoticeDesk makes at ``version`` (built once in memory from ``migrations.statements``)."""
    with _lock:
        ref = _references.get(version)
        if ref is None:
            from desktop.storage import migrations

            con = sqlite3.connect(":memory:", isolation_level=None)
            try:
                for sql in migrations.statements(version):
                    con.execute(sql)
                ref = _describe(con)
                ref["shapes"] = {t: _table_shape(con, "main", t) for t in ref["tables"]}
            finally:
                con.close()
            _references[version] = ref
    return ref


def _schema_problems(con: sqlite3.Connection, version: int, db: str = "main") -> list[str]:
    want, got = reference_schema(version), _describe(con, db)
    problems = []
    if got["triggers"]:
        problems.append(f"含有程序不会创建的触发器（{'、'.join(got['triggers'][:5])}）")
    if got["views"]:
        problems.append(f"含有程序不会创建的视图（{'、'.join(got['views'][:5])}）")
    if got["other"]:
        problems.append(f"含有程序不会创建的对象（{'、'.join(got['other'][:5])}）")
    missing = sorted(want["tables"] - got["tables"])
    if missing:
        problems.append(f"缺少表 {'、'.join(missing)}")
    extra = sorted(got["tables"] - want["tables"])
    if extra:
        problems.append(f"多出程序不会创建的表 {'、'.join(extra[:5])}")
    for table in sorted(want["tables"] & got["tables"]):
        shape, ref = _table_shape(con, db, table), want["shapes"][table]
        names, ref_names = [c[0] for c in shape["columns"]], [c[0] for c in ref["columns"]]
        if names != ref_names:
            lost = [n for n in ref_names if n not in names]
            more = [n for n in names if n not in ref_names]
            what = "；".join(([f"缺少列 {'、'.join(lost)}"] if lost else []) + ([f"多出列 {'、'.join(more[:5])}"]
                                                                           if more else [])) or "列的顺序不同"
            problems.append(f"表 {table} {what}")
        elif shape["columns"] != ref["columns"]:
            problems.append(f"表 {table} 的列定义（类型、非空、默认值或主键）不同")
        if shape["fks"] != ref["fks"]:
            problems.append(f"表 {table} 的外键不同")
        if shape["indexes"] != ref["indexes"]:
            problems.append(f"表 {table} 的索引不同")
    return problems


def check_schema(con: sqlite3.Connection, version: int, path: Path, db: str = "main") -> None:
    """LedgerError unless the schema of ``con`` is exactly the one NoticeDesk makes at ``version``: the
    same tables, columns, foreign keys and indexes, and no view or trigger (a trigger in a restored
    ledger would run on the clerk's next edit)."""
    problems = _schema_problems(con, version, db)
    if problems:
        raise LedgerError(f"备份文件“{path.name}”的结构与 NoticeDesk 建立的台账不同：{'；'.join(problems)}。"
                          "它可能被其他程序改动过，不能用来恢复，台账未做任何修改。请换一个备份文件"
                          "（数据文件夹的 backups 中有自动备份）。", detail="; ".join(problems))
