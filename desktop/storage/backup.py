"""Backups of the ledger file: the automatic daily copy, a backup to a chosen file, and restore.

Stdlib ``sqlite3`` only, so the daily backup can run in a background thread of the window without
touching SQLAlchemy (restore imports the migrations when the file it restores is from an older
NoticeDesk). Every copy is made with SQLite's online backup API (consistent even while the window
writes in WAL mode), written to a hidden ``.partial`` file in the target folder, flushed to disk and
renamed into place, so a copy interrupted by a crash or power cut never looks like a backup.

Names in ``<data>/backups/``:

- ``noticedesk-YYYYmmdd-HHMMSS.sqlite``: automatic, at most one a day, the newest ``KEEP_AUTOMATIC``
  kept (older ones are deleted by ``prune``);
- ``noticedesk-before-v{N}-….sqlite``: made by a migration (``migrations.py``), never deleted here;
- ``noticedesk-before-restore-….sqlite``: the ledger as it was before a restore, never deleted here.

A backup holds the database only — the notices, tasks, units and history, and the annual reports (table
``annual_report`` since schema v5; a restored older backup has none, and the restore leaves the
``annual-reports`` folder of the data folder alone); evidence files (``<data>/evidence``) stay in the data folder,
stored by content, and a restore does not remove any.

Restore: the file is checked (a NoticeDesk ledger, not newer than this program, ``quick_check`` ok,
and its schema exactly the one NoticeDesk makes at its version: the same tables, columns, foreign keys
and indexes, no view or trigger — ``check_schema``), then the ledger is REBUILT from the backup's data:
a new file gets the schema from ``migrations.statements`` (never the backup's own DDL), the rows are
copied table by table, checked (every value of the type and kind the program reads, no dangling
reference, no task under its own subtree) and migrated if older. Nothing of the backup but its rows can
reach the ledger, so a trigger or view hidden in a backup never runs. Only then is the ledger replaced:
the current ledger is first copied to ``backups/noticedesk-before-restore-….sqlite``, then the rebuilt
file is written INTO the live database with the backup API (one transaction; windows and connections
that have the file open see the restored content, the file keeps its identity). A live file too
damaged for that is moved aside and replaced by the copy instead. Anything refused leaves the ledger
as it was (LedgerError, a Chinese line; the command line exits 2).

Backups of a damaged ledger are not made: the copy is checked before it takes the place of a file, so
a broken ledger never pushes good automatic backups out, and ``backup`` says the ledger is damaged and
which backup to restore.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from desktop.storage.errors import LedgerError
from desktop.storage.paths import BACKUP_DIR_NAME, DB_FILE_NAME
from desktop.storage.quickread import CURRENT_VERSION, VERSION_KEY

_log = logging.getLogger(__name__)

KEEP_AUTOMATIC = 30
AUTO_PREFIX = "noticedesk-"
AUTO_NAME = re.compile(r"^noticedesk-(\d{8})-(\d{6})(?:~\d+)?\.sqlite$")
_ANY_STAMP = re.compile(r"(\d{8})-(\d{6})")
BUSY_TIMEOUT_S = 5.0
_ANNUAL_VERSION = 5  # migrations.ANNUAL_VERSION: the first schema with the annual_report table


# --- what a backup holds -------------------------------------------------------------------------
@dataclass
class BackupSummary:
    """What a ledger file holds: shown before a restore, and in the backup list."""

    path: Path
    schema_version: int
    notices: list[tuple[int, str, int]] = field(default_factory=list)  # (id, title, task count)
    size: int = 0
    taken_at: dt.datetime | None = None  # from an automatic backup's name, else the file's time
    last_change: dt.datetime | None = None  # the newest change-log entry
    annual_years: list[int] = field(default_factory=list)  # years with an annual report (schema v5)

    @property
    def task_count(self) -> int:
        return sum(n for _i, _t, n in self.notices)

    def describe(self, limit: int = 50) -> str:
        """Several lines of Chinese for the clerk (confirm box, command line)."""
        lines = [f"备份文件：{self.path}",
                 f"备份时间：{_when(self.taken_at)}；大小 {_size(self.size)}；台账版本 {self.schema_version}"
                 + ("" if self.schema_version >= CURRENT_VERSION else f"（较旧，恢复时将升级到版本 {CURRENT_VERSION}）"),
                 f"最后一次修改：{_when(self.last_change)}"]
        if self.annual_years:
            lines.append(f"政府信息公开工作年度报告：{'、'.join(str(y) for y in self.annual_years)}年")
        lines.append(f"共 {len(self.notices)} 份通知，{self.task_count} 项任务：")
        for nid, title, count in self.notices[:limit]:
            lines.append(f"  {nid}  {title}（{count} 项）")
        if len(self.notices) > limit:
            lines.append(f"  ……另有 {len(self.notices) - limit} 份通知")
        return "\n".join(lines)


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


@dataclass
class RestoreResult:
    summary: BackupSummary  # what the ledger now holds (after any migration)
    from_version: int
    ledger_path: Path
    kept: Path | None  # the replaced ledger, or None when there was none

    def describe(self) -> str:
        migrated = (f"（已从版本 {self.from_version} 升级到版本 {CURRENT_VERSION}）"
                    if self.from_version < CURRENT_VERSION else "")
        if self.from_version < _ANNUAL_VERSION and self.summary.annual_years:
            migrated += "；这份较旧的备份中没有年度报告，已保留台账中原有的年度报告"
        kept = f"原台账已保存为：{self.kept}" if self.kept else "原来没有台账文件，无需保存。"
        annual = f"、{len(self.summary.annual_years)} 份年度报告" if self.summary.annual_years else ""
        return (f"已恢复 {len(self.summary.notices)} 份通知、{self.summary.task_count} 项任务{annual}到 {self.ledger_path}"
                f"{migrated}。\n{kept}")


def _when(t: dt.datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t else "未知"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def file_stamp(now: dt.datetime | None = None) -> str:
    """The time stamp in backup file names (YYYYmmdd-HHMMSS; also used by transfer.py)."""
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


def _stamp_of(name: str) -> dt.datetime | None:
    m = _ANY_STAMP.search(name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def _not_a_ledger(path: Path) -> LedgerError:
    return LedgerError(f"“{path.name}”不是 NoticeDesk 台账文件（或已损坏），未做任何修改。请选择 NoticeDesk 的备份文件（.sqlite）。")


def too_new(found: int) -> LedgerError:
    return LedgerError(f"备份文件由更新版本的 NoticeDesk 创建（台账版本 {found}），当前程序只支持到版本 {CURRENT_VERSION}。"
                       "请升级程序后再恢复，未做任何修改。")


def _read_summary(con: sqlite3.Connection, path: Path, verify: bool = True,
                  schema: bool = True) -> BackupSummary:
    """Check that ``con`` is a NoticeDesk ledger this program can use and read what it holds
    (``verify``: also run SQLite's ``quick_check`` and, with ``schema``, ``check_schema``)."""
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_meta" not in tables or "notice" not in tables or "task" not in tables:
            raise _not_a_ledger(path)
        row = con.execute("SELECT value FROM schema_meta WHERE name = ?", (VERSION_KEY,)).fetchone()
        try:
            version = int(row[0]) if row else -1
        except (TypeError, ValueError):
            version = -1
        if version < 1:
            raise _not_a_ledger(path)
        if version > CURRENT_VERSION:
            raise too_new(version)
        if verify and con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise LedgerError(f"备份文件“{path.name}”已损坏（完整性检查未通过），不能用来恢复。请换一个备份文件。")
        if verify and schema:
            check_schema(con, version, path)
        notices = [(int(i), str(t), int(n)) for i, t, n in con.execute(
            "SELECT notice.id, notice.title, (SELECT count(*) FROM task WHERE task.notice_id = notice.id) "
            "FROM notice ORDER BY notice.year DESC, notice.date DESC, notice.id DESC")]
        last = None
        if "change_log" in tables:
            value = con.execute("SELECT max(changed_at) FROM change_log").fetchone()[0]
            try:
                last = dt.datetime.fromisoformat(str(value)) if value else None
            except ValueError:
                last = None
        annual = [int(y) for (y,) in con.execute("SELECT year FROM annual_report ORDER BY year")
                  if isinstance(y, int)] if "annual_report" in tables else []
    except sqlite3.DatabaseError as e:
        raise _not_a_ledger(path) from e
    st = path.stat()
    taken = _stamp_of(path.name) if AUTO_NAME.match(path.name) else None
    return BackupSummary(path=path, schema_version=version, notices=notices, size=st.st_size,
                         taken_at=taken or dt.datetime.fromtimestamp(st.st_mtime), last_change=last,
                         annual_years=annual)


def inspect_backup(path: Path, verify: bool = True, schema: bool = True) -> BackupSummary:
    """What the file holds, read without changing it; LedgerError if it is not a NoticeDesk ledger,
    is damaged (``verify``: SQLite's quick_check, skipped for quick listings), has a schema NoticeDesk
    did not make (``verify`` and ``schema``: ``check_schema``), or comes from a newer NoticeDesk."""
    path = Path(path)
    if not path.is_file():
        raise LedgerError(f"找不到备份文件：{path}。请检查路径是否正确。")
    with open(path, "rb") as f:
        head = f.read(16)
    if head != b"SQLite format 3\x00":
        raise _not_a_ledger(path)
    try:
        con = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as e:
        raise _not_a_ledger(path) from e
    try:
        con.execute("PRAGMA trusted_schema = OFF")  # nothing of the file's schema may call functions
        return _read_summary(con, path, verify, schema)
    except sqlite3.OperationalError as e:  # a WAL file that cannot be read read-only, a locked file
        raise LedgerError(f"无法读取备份文件“{path.name}”：{e}。请把它复制到本机文件夹后再试。", detail=str(e)) from e
    finally:
        con.close()


# --- copies --------------------------------------------------------------------------------------
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
        _backup_pages(sqlite3.connect(_uri(src, "ro") + "&immutable=1", uri=True, isolation_level=None), tmp)
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


def damaged_message(data_dir: Path) -> str:
    """The ledger of ``data_dir`` is damaged: say so and name the backup to restore."""
    live = Path(data_dir) / DB_FILE_NAME
    autos = list_backups(data_dir)  # newest first
    if autos:
        where = (f"请从备份恢复：最近的一份是 {autos[0].path}（{_when(autos[0].taken_at)}），"
                 f"在“文件 → 备份与恢复”中选择它，或运行 python -m desktop restore \"{autos[0].path}\"。")
    else:
        where = f"{backups_dir(data_dir)} 中没有备份；请保留这个文件，交给技术支持尝试修复。"
    return f"台账文件 {live} 已损坏（完整性检查未通过），不能用它做备份，没有写入任何备份文件。{where}"


def _must_be_sound(data_dir: Path) -> Callable[[Path], None]:
    """A ``copy_database`` check: the copy of the ledger passes SQLite's quick_check."""

    def check(copy: Path) -> None:
        try:
            con = sqlite3.connect(_uri(copy, "ro"), uri=True)
            try:
                ok = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            finally:
                con.close()
        except sqlite3.DatabaseError:
            ok = False
        if not ok:
            raise LedgerError(damaged_message(data_dir))

    return check


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


# --- automatic backups ---------------------------------------------------------------------------
def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR_NAME


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
        out.append(BackupEntry(p, kind, _stamp_of(p.name) or dt.datetime.fromtimestamp(st.st_mtime), st.st_size))
    return sorted(out, key=lambda e: (e.taken_at, e.path.name), reverse=True)


# --- the schema NoticeDesk makes -----------------------------------------------------------------
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


# --- restore -------------------------------------------------------------------------------------
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
        con.execute("ATTACH DATABASE ? AS src", (_uri(raw, "ro"),))
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

    con = sqlite3.connect(_uri(tmp, "ro"), uri=True)
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
        if summary.schema_version < _ANNUAL_VERSION:
            _keep_annual_reports(Path(data_dir) / DB_FILE_NAME, tmp)
        _check_values(tmp, src)
        con = sqlite3.connect(_uri(tmp, "ro"), uri=True)
        try:
            _read_summary(con, tmp)  # the rebuilt copy passes the same checks
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
            con.execute("ATTACH DATABASE ? AS live", (_uri(live, "ro"),))
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


def remove_db(path: Path) -> None:
    """Remove a SQLite file with its -wal, -shm and -journal companions (errors ignored)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


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
        raise _not_a_ledger(src) from e
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
            summary = _read_summary(con, live)
        finally:
            con.close()
    finally:
        remove_db(tmp)
    return RestoreResult(summary=summary, from_version=found, ledger_path=live, kept=kept)
