"""What a ledger file holds, read without changing it: ``inspect_backup`` and ``BackupSummary``.

A file is accepted only if it is a NoticeDesk ledger, not newer than this program, passes SQLite's
``quick_check`` and has exactly the schema NoticeDesk makes at its version (``backup_schema``). The
backup list, the confirmation before a restore and the command line all show its ``describe()``.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from desktop.storage.backup_files import AUTO_NAME, BUSY_TIMEOUT_S, sqlite_uri, stamp_in_name
from desktop.storage.backup_schema import check_schema
from desktop.storage.errors import LedgerError
from desktop.storage.quickread import CURRENT_VERSION, VERSION_KEY


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
                 f"备份时间：{when_text(self.taken_at)}；大小 {_size(self.size)}；台账版本 {self.schema_version}"
                 + ("" if self.schema_version >= CURRENT_VERSION else f"（较旧，恢复时将升级到版本 {CURRENT_VERSION}）"),
                 f"最后一次修改：{when_text(self.last_change)}"]
        if self.annual_years:
            lines.append(f"政府信息公开工作年度报告：{'、'.join(str(y) for y in self.annual_years)}年")
        lines.append(f"共 {len(self.notices)} 份通知，{self.task_count} 项任务：")
        for nid, title, count in self.notices[:limit]:
            lines.append(f"  {nid}  {title}（{count} 项）")
        if len(self.notices) > limit:
            lines.append(f"  ……另有 {len(self.notices) - limit} 份通知")
        return "\n".join(lines)


def when_text(t: dt.datetime | None) -> str:
    """A time as the clerk reads it in backup messages (未知 when not known)."""
    return t.strftime("%Y-%m-%d %H:%M") if t else "未知"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def not_a_ledger(path: Path) -> LedgerError:
    """The refusal of a file that is not a NoticeDesk ledger (or is damaged beyond reading)."""
    return LedgerError(f"“{path.name}”不是 NoticeDesk 台账文件（或已损坏），未做任何修改。请选择 NoticeDesk 的备份文件（.sqlite）。")


def too_new(found: int) -> LedgerError:
    """The refusal of a file made by a newer NoticeDesk."""
    return LedgerError(f"备份文件由更新版本的 NoticeDesk 创建（台账版本 {found}），当前程序只支持到版本 {CURRENT_VERSION}。"
                       "请升级程序后再恢复，未做任何修改。")


def read_summary(con: sqlite3.Connection, path: Path, verify: bool = True,
                 schema: bool = True) -> BackupSummary:
    """Check that ``con`` is a NoticeDesk ledger this program can use and read what it holds
    (``verify``: also run SQLite's ``quick_check`` and, with ``schema``, ``check_schema``)."""
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_meta" not in tables or "notice" not in tables or "task" not in tables:
            raise not_a_ledger(path)
        row = con.execute("SELECT value FROM schema_meta WHERE name = ?", (VERSION_KEY,)).fetchone()
        try:
            version = int(row[0]) if row else -1
        except (TypeError, ValueError):
            version = -1
        if version < 1:
            raise not_a_ledger(path)
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
        raise not_a_ledger(path) from e
    st = path.stat()
    taken = stamp_in_name(path.name) if AUTO_NAME.match(path.name) else None
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
        raise not_a_ledger(path)
    try:
        con = sqlite3.connect(sqlite_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as e:
        raise not_a_ledger(path) from e
    try:
        con.execute("PRAGMA trusted_schema = OFF")  # nothing of the file's schema may call functions
        return read_summary(con, path, verify, schema)
    except sqlite3.OperationalError as e:  # a WAL file that cannot be read read-only, a locked file
        raise LedgerError(f"无法读取备份文件“{path.name}”：{e}。请把它复制到本机文件夹后再试。", detail=str(e)) from e
    finally:
        con.close()
