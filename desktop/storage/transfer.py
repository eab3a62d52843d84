"""Moving a whole ledger between engines: a server ledger to a SQLite backup file, and a SQLite backup
into a server, without loss.

Every table is copied row by row with SQLAlchemy Core (the models' column types convert dates, enums,
booleans and JSON both ways), in primary-key order, in batches; task rows whose parent comes later in
id order (a task moved under a newer one) get their parent in a second pass, so foreign keys hold at
every statement. The id counters travel too (SQLite's ``sqlite_sequence``, PostgreSQL's identity
sequences): an id handed out once is never handed out again on the other side, so undo snapshots and
the change log keep meaning the same rows.

Evidence: a server keeps the bytes in ``evidence_blob``; a SQLite ledger keeps them in its data folder.
A backup of a server carries the blobs inside the file (a SQLite ledger opened from it serves them from
there, ``EvidenceStore.evidence_path``); a restore into a server takes the bytes from the backup's
blobs or from the evidence folder of a data folder (``evidence_dir``).

``python -m desktop backup --out FILE --db-url URL`` and ``restore FILE --db-url URL [--replace]``
(``desktop/cli/server.py``) call these.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from desktop.storage import evidence_files, migrations
from desktop.storage.engine import make_engine, sqlite_url, translate_error, write_engine
from desktop.storage.errors import LedgerError
from desktop.storage.models import Base

# Parents before children (foreign keys), then the tables nothing refers to.
TABLES = ("schema_meta", "unit", "notice", "task", "task_unit", "change_log", "progress_entry", "evidence",
          "evidence_blob", "annual_report")
BATCH = 500


def _table(name: str) -> Any:
    return Base.metadata.tables[name]


def _batches(conn: Connection, table: Any) -> Any:
    q = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=BATCH).execute(q)
    for part in result.mappings().partitions(BATCH):
        yield [dict(r) for r in part]


def copy_rows(src: Connection, dst: Connection) -> dict[str, int]:
    """Copy every row of every ledger table from ``src`` to ``dst`` (same schema version, ``dst``
    empty); returns the row count per table. Sequences: ``copy_sequences``."""
    counts: dict[str, int] = {}
    for name in TABLES:
        table = _table(name)
        n = 0
        later: list[dict[str, Any]] = []  # task rows whose parent is not inserted yet
        seen: set[int] = set()
        for rows in _batches(src, table):
            if name == "task":
                for r in rows:
                    if r["parent_id"] is not None and r["parent_id"] not in seen:
                        later.append({"b_id": r["id"], "b_parent": r["parent_id"]})
                        r["parent_id"] = None
                    seen.add(r["id"])
            dst.execute(insert(table), rows)
            n += len(rows)
        if later:
            dst.execute(update(table).where(table.c.id == bindparam("b_id")).values(parent_id=bindparam("b_parent")), later)
        counts[name] = n
    return counts


def read_sequences(conn: Connection) -> dict[str, int]:
    """table → the last id its counter handed out (0 when none)."""
    out = dict.fromkeys(migrations.ID_TABLES, 0)
    if conn.dialect.name == "sqlite":
        for name, seq in conn.exec_driver_sql("SELECT name, seq FROM sqlite_sequence"):
            if name in out:
                out[name] = int(seq or 0)
    else:
        for name in out:
            value = conn.exec_driver_sql(
                f"SELECT pg_sequence_last_value(pg_get_serial_sequence('{name}', 'id')::regclass)").scalar()
            out[name] = int(value or 0)
    return out


def copy_sequences(src: Connection, dst: Connection) -> None:
    """Make ``dst``'s id counters at least ``src``'s (and past every id present)."""
    wanted = read_sequences(src)
    for name, last in wanted.items():
        top = max(last, int(dst.execute(select(func.coalesce(func.max(_table(name).c.id), 0))).scalar_one()))
        if dst.dialect.name == "sqlite":
            dst.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
            if top:
                dst.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, top))
        else:
            dst.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {max(top, 1)}, {top > 0})")


def _count_rows(conn: Connection) -> dict[str, int]:
    return {name: int(conn.execute(select(func.count()).select_from(_table(name))).scalar_one())
            for name in TABLES if name != "schema_meta"}


def _guard(exc: BaseException) -> LedgerError | None:
    return translate_error(exc)


# --- server → SQLite file ------------------------------------------------------------------------
def backup_server(db_url: str, out: Path) -> Path:
    """Write the whole server ledger to the SQLite file ``out`` (a folder: a dated file in it),
    through a hidden partial file renamed into place. Returns the file written. The server must be
    at the current schema version (else: run migrate)."""
    from desktop.storage.backup_files import AUTO_PREFIX, file_stamp, free_name, fsync_dir, partial_name

    out = Path(out)
    if out.is_dir():
        out = free_name(out / f"{AUTO_PREFIX}{file_stamp()}.sqlite")
    if not out.parent.is_dir():
        raise LedgerError(f"保存位置不存在：{out.parent}。请先建立该文件夹或换一个位置。")
    migrations.check(db_url)
    tmp = partial_name(out)
    tmp.unlink(missing_ok=True)
    src = make_engine(db_url)
    dst = make_engine(sqlite_url(tmp), wal=False)
    try:
        migrations.create_at_version(dst, migrations.CURRENT_VERSION)
        with src.connect().execution_options(isolation_level="REPEATABLE READ") as sc, sc.begin():
            found = migrations.read_version(sc)
            if found != migrations.CURRENT_VERSION:
                raise LedgerError(migrations.server_needs_migrate_message(found))
            with write_engine(dst).begin() as dc:
                dc.execute(delete(_table("schema_meta")))
                copy_rows(sc, dc)
                copy_sequences(sc, dc)
    except LedgerError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise LedgerError(f"无法写入备份文件 {out}：{e.strerror or e}。请检查磁盘空间和写入权限，或换一个位置；"
                          "台账未受影响。", detail=str(e)) from e
    except Exception as e:
        tmp.unlink(missing_ok=True)
        err = _guard(e)
        if err is None:
            raise
        raise err from e
    finally:
        src.dispose()
        dst.dispose()
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, out)
    fsync_dir(out.parent)
    return out


# --- SQLite file → server ------------------------------------------------------------------------
@dataclass
class ServerRestore:
    counts: dict[str, int]  # rows written per table
    from_version: int  # the backup's schema version (migrated on the way when older)
    replaced: dict[str, int]  # rows the server held before (deleted with --replace)
    evidence_missing: int  # evidence rows whose bytes were found neither in the backup nor in evidence_dir

    def describe(self) -> str:
        c = self.counts
        lines = [f"已把备份恢复到数据库服务器：{c.get('notice', 0)} 份通知、{c.get('task', 0)} 项任务、"
                 f"{c.get('unit', 0)} 个单位、{c.get('change_log', 0)} 条修改记录、{c.get('evidence', 0)} 个佐证材料、"
                 f"{c.get('annual_report', 0)} 份年度报告。"]
        if self.from_version < migrations.CURRENT_VERSION:
            lines.append(f"（备份是版本 {self.from_version}，已升级到版本 {migrations.CURRENT_VERSION}）")
        if any(self.replaced.values()):
            lines.append(f"服务器上原有的 {self.replaced.get('notice', 0)} 份通知、{self.replaced.get('task', 0)} 项任务已被替换。")
        if self.evidence_missing:
            lines.append(f"注意：有 {self.evidence_missing} 个佐证材料的文件在备份和数据文件夹中都找不到，"
                         "它们在服务器上只有名称、打不开。请用 --data-dir 指明原来的数据文件夹后重新恢复，或之后重新添加。")
        return "\n".join(lines)


def restore_to_server(db_url: str, src: Path, *, replace: bool = False,
                      evidence_dir: Path | None = None) -> ServerRestore:
    """Load the SQLite backup ``src`` into the server ledger, in one transaction. An empty server (no
    tables yet, or no rows) is filled; a server holding a ledger is refused unless ``replace``. An
    older backup is migrated on a temporary copy first; the server must be empty of tables or at the
    current version (else: run migrate). ``evidence_dir``: a data folder whose ``evidence/`` files
    supply the bytes the backup does not carry."""
    from desktop.storage.backup_files import remove_db
    from desktop.storage.backup_rebuild import rebuilt_copy
    from desktop.storage.backup_summary import inspect_backup

    src = Path(src)
    inspect_backup(src)  # refuses foreign, damaged and newer files before anything else
    found = migrations.check(db_url)
    if 0 < found < migrations.CURRENT_VERSION:
        raise LedgerError(migrations.server_needs_migrate_message(found))
    work = Path(tempfile.mkdtemp(prefix="noticedesk-restore-"))
    try:
        tmp, from_version = rebuilt_copy(src, work)
        source = make_engine(sqlite_url(tmp), wal=False)
        target = make_engine(db_url)
        try:
            if found == 0:
                migrations.upgrade(target, None, migrate_server=True)
            with source.connect() as sc, write_engine(target).begin() as dc:
                before = _count_rows(dc)
                if any(before.values()) and not replace:
                    raise LedgerError(
                        f"数据库服务器上已经有台账（{before['notice']} 份通知、{before['task']} 项任务），为免覆盖，"
                        "没有恢复。如确实要用备份替换服务器上的全部内容，请加 --replace（建议先用 backup --out 保存一份）。")
                for name in reversed(TABLES):
                    dc.execute(delete(_table(name)))
                counts = copy_rows(sc, dc)
                copy_sequences(sc, dc)
                missing = _fill_blobs(dc, evidence_dir)
        finally:
            source.dispose()
            target.dispose()
        remove_db(tmp)
    except LedgerError:
        raise
    except Exception as e:
        err = _guard(e)
        if err is None:
            raise
        raise err from e
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ServerRestore(counts, from_version, before, missing)


def _fill_blobs(conn: Connection, evidence_dir: Path | None) -> int:
    """Give every evidence row's content a blob (from ``evidence_dir``'s files); returns how many
    contents were found nowhere."""
    from desktop.storage.models import Evidence, EvidenceBlob

    ev, blob = Evidence.__table__, EvidenceBlob.__table__
    have = {sha for (sha,) in conn.execute(select(blob.c.sha256))}
    wanted = {}
    for sha, ext, added in conn.execute(select(ev.c.sha256, ev.c.ext, ev.c.added_at).order_by(ev.c.id)):
        if sha not in have:
            wanted.setdefault(sha, (ext, added))
    missing = 0
    for sha, (ext, added) in wanted.items():
        path = evidence_files.blob_path(Path(evidence_dir), sha, ext) if evidence_dir is not None else None
        if path is None or not path.is_file():
            missing += 1
            continue
        content = path.read_bytes()
        conn.execute(insert(blob).values(sha256=sha, content=content, size=len(content), added_at=added))
    return missing
