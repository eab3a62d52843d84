"""The shared core of the storage service: the open ledger (engine, sessions), the change log, row versions, task-row statements.

``Core`` opens one ledger (a SQLite file in a data folder, or ``db_url``): it refuses a newer, foreign or
empty file, backs up and migrates an older one, and holds the engine and the two session makers. Every
collaborator of the service (``notice_store``, ``task_tree``, ``tracking_store``, ``evidence_store``,
``exchange_store``, ``settings_store``, ``unit_store``, ``History`` below) is a ``Part`` over the one
``Core``; ``service.SqlLedger`` composes them.

The functions here run inside the caller's transaction (``s``) and are what several collaborators
share: ``log`` writes change-log rows, ``check_version`` / ``task_conflict`` raise ConflictError for a
stale edit, ``update_fields`` is the one way task fields are written (the 完成日期 rule applied),
``refresh_latest`` makes a task repeat its latest progress entry, and the unit-link and node lookups.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from desktop.domain import ChangeEntry, UnitRole
from desktop.storage import migrations
from desktop.storage.engine import guarded, make_engine, make_sessions, sqlite_url
from desktop.storage.errors import ConflictError, LedgerError, NotFoundError
from desktop.storage.models import ChangeLog, Notice, ProgressEntry, Task, TaskUnit, Unit
from desktop.storage.paths import BACKUP_DIR_NAME, DB_FILE_NAME, default_data_dir
from desktop.storage.quickread import changes_since
from desktop.storage.rows import EDITABLE_TASK_FIELDS, field_of, fmt, not_found, now
from desktop.tracking.status import settle

# The task columns every reader of task rows selects, in ``TaskRow`` field order.
TASK_COLUMNS = (
    Task.id, Task.notice_id, Task.parent_id, Task.position, Task.title, Task.text, Task.owner,
    Task.deadline_text, Task.due_date, Task.deadline_kind, Task.status, Task.done_on,
    Task.progress_note, Task.remark, Task.source_start, Task.source_end, Task.original_due_date,
    Task.revision_reason, Task.revised_at, Task.progress_on, Task.version,
)
TASK_TABLE_COLUMNS = tuple(Task.__table__.c[c.key] for c in TASK_COLUMNS)


# --- the open ledger -----------------------------------------------------------------------------
def empty_file_message(path: Path) -> str:
    return (f"台账文件 {path} 是空的（0 字节），可能是复制或保存没有完成。为免把它当作新台账使用而忘了原来的内容，"
            "程序没有打开它。请把原来的台账文件重新复制过来，或从 backups 文件夹中的备份恢复"
            "（文件 → 备份与恢复，或 python -m desktop restore 备份文件）；确实要新建台账时，请先删除这个空文件。")


def _remove_if_empty(path: Path) -> None:
    """Remove the ledger file this process began to create, if nothing was written to it (nor to its -wal)."""
    try:
        sides = [Path(f"{path}-wal"), Path(f"{path}-journal")]
        if path.stat().st_size == 0 and all(not p.exists() or p.stat().st_size == 0 for p in sides):
            for p in sides:
                p.unlink(missing_ok=True)
            path.unlink()
    except OSError:
        pass


class Core:
    """One open ledger: ``engine``, the write and read session makers, where it lives and its versions.

    ``found_version`` is the schema version the file had when opened (before any migration),
    ``schema_version`` the one it has now."""

    @guarded
    def __init__(self, data_dir: Path | None = None, db_url: str | None = None) -> None:
        if db_url is None:
            data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise LedgerError(f"无法创建数据文件夹 {data_dir}，请检查权限。\n（{e}）", detail=str(e)) from e
            self.path: Path | None = data_dir / DB_FILE_NAME
            url: Any = sqlite_url(self.path)
        else:
            self.path = None
            url = db_url
        self.data_dir = data_dir
        self.on_server = db_url is not None  # evidence bytes then live in the database (evidence_blob)
        created = self.path is not None and not self.path.exists()
        if self.path is not None and not created and self.path.is_file() and self.path.stat().st_size == 0:
            raise LedgerError(empty_file_message(self.path))
        try:
            migrations.check(url)  # refuse a newer or foreign file before anything could touch it
            self.engine = make_engine(url)
            try:
                backups = data_dir / BACKUP_DIR_NAME if data_dir is not None else None
                self.found_version, self.schema_version = migrations.upgrade(self.engine, backups)
            except BaseException:
                self.engine.dispose()  # a refused file must not stay open (and locked) behind the error
                raise
        except BaseException:
            if created:  # a ledger this call began to create and could not: no empty file left behind
                _remove_if_empty(self.path)
            raise
        # Session: one write transaction per action (``with core.Session.begin() as s``); ReadSession: reads.
        self.Session, self.ReadSession = make_sessions(self.engine)
        if self.path is not None:  # refuse writes into a file that vanished under us (fsguard.py)
            from desktop.storage import fsguard

            fsguard.watch(self.engine, self.path)

    def close(self) -> None:
        # Closing the last connection checkpoints the WAL into the main file and removes -wal/-shm.
        self.engine.dispose()


class Part:
    """A collaborator of the service: one concern's methods over the shared ``Core``. ``path`` is what
    ``engine.guarded`` reads to call an I/O error on a nearly full disk a full disk."""

    def __init__(self, core: Core) -> None:
        self.core = core

    @property
    def path(self) -> Path | None:
        return self.core.path


class History(Part):
    """The change log as the UI reads it: what changed since a token, and the newest entries."""

    @guarded
    def changed_since(self, token: int | None) -> tuple[int, set[int | None]]:
        c = ChangeLog.__table__.c
        with self.core.ReadSession.begin() as s:
            conn = s.connection()
            newest = int(conn.execute(select(func.coalesce(func.max(c.id), 0))).scalar_one())
            return changes_since(token, newest, lambda lo, hi: [r[0] for r in conn.execute(
                select(c.notice_id).distinct().where(c.id > lo, c.id <= hi))])

    @guarded
    def changes(self, notice_id: int | None = None, limit: int = 200) -> list[ChangeEntry]:
        with self.core.ReadSession.begin() as s:
            q = select(ChangeLog).order_by(ChangeLog.id.desc()).limit(limit)
            if notice_id is not None:
                q = q.where(ChangeLog.notice_id == notice_id)
            return [ChangeEntry(when=c.changed_at, notice_id=c.notice_id, task_id=c.task_id, what=c.what,
                                old=c.old_value, new=c.new_value) for c in s.scalars(q)]


# --- the change log and row versions -------------------------------------------------------------
def log(s: Session, notice_id: int | None, task_id: int | None, *changes: tuple[str, Any, Any],
        version: int | None = None) -> None:
    """Write change-log rows (what, old, new) in the caller's transaction; touches the notice's
    updated_at so the notice list can show when it last changed. ``version``: the row version the
    change produced (the task's; for ``notice.<field>`` rows the notice's), which ConflictError uses
    to name what another client changed."""
    if not changes:
        return
    when = now()
    # Core statements on the session's connection: this runs on every edit, and the ORM layer
    # would add about as much time again as the SQL itself.
    conn = s.connection()
    conn.execute(insert(ChangeLog.__table__), [
        {"changed_at": when, "notice_id": notice_id, "task_id": task_id, "what": what,
         "old_value": fmt(old), "new_value": fmt(new), "task_version": version}
        for what, old, new in changes
    ])
    if notice_id is not None:
        notice = Notice.__table__.c
        conn.execute(update(Notice.__table__).where(notice.id == notice_id).values(updated_at=when))


def bump(s: Session, task_id: int) -> int:
    """Count a change of the task's content (split, merge …): its version + 1; returns the new one."""
    t = Task.__table__
    return int(s.connection().execute(update(t).where(t.c.id == task_id).values(version=t.c.version + 1)
                                      .returning(t.c.version)).scalar_one())


def current_version(s: Session, task_id: int) -> int:
    t = Task.__table__.c
    return int(s.connection().execute(select(t.version).where(t.id == task_id)).scalar_one())


def their_fields(s: Session, notice_id: int | None, task_id: int | None, since: int) -> set[str]:
    """The fields changed by the saves after version ``since`` of a task (or of a notice's own fields)."""
    c = ChangeLog.__table__.c
    q = select(c.what).where(c.task_version > since)
    q = q.where(c.task_id == task_id) if task_id is not None else q.where(c.notice_id == notice_id,
                                                                           c.task_id.is_(None))
    return {field_of(w) for (w,) in s.connection().execute(q)} - {"returns"}


def task_conflict(s: Session, task_id: int, expected: int, current: int, yours: dict[str, Any]) -> ConflictError:
    """The ConflictError for an edit of ``yours`` made on version ``expected`` of a task now at ``current``."""
    task = Task.__table__.c
    names = [n for n in yours if n in EDITABLE_TASK_FIELDS]
    row = s.connection().execute(select(*(task[n] for n in names)).where(task.id == task_id)).one() if names else ()
    theirs = dict(zip(names, row, strict=True))
    if "lead_units" in yours or "units" in yours:
        units = role_names(s, task_id)
        theirs.update(lead_units=units[UnitRole.LEAD], units=units[UnitRole.RESPONSIBLE])
    return ConflictError("task", task_id, expected, current, yours, theirs, their_fields(s, None, task_id, expected))


def check_version(s: Session, task_id: int, expected: int | None, yours: dict[str, Any]) -> int:
    """The task's stored version; ConflictError when ``expected`` is given and differs."""
    t = Task.__table__.c
    current = s.connection().execute(select(t.version).where(t.id == task_id)).scalar()
    if current is None:
        raise NotFoundError(not_found("任务", task_id))
    if expected is not None and int(expected) != current:
        raise task_conflict(s, task_id, int(expected), current, yours)
    return current


def update_fields(s: Session, task_id: int, clean: dict[str, Any], expected_version: int | None = None
                  ) -> dict[str, Any]:
    """Set cleaned task fields (the 完成日期 rule of tracking.status applied) and log the changes;
    returns the old values of the fields set (done_on included when the rule changed it).
    ``expected_version``: the version the caller last saw; ConflictError (nothing written) if the
    stored row has another one."""
    task = Task.__table__.c
    # Core on the session's connection: the clerk's most frequent edit, kept to 3 statements.
    conn = s.connection()
    names = list(dict.fromkeys([*clean, "status", "done_on"]))
    row = conn.execute(select(task.notice_id, task.version, *(task[name] for name in names))
                       .where(task.id == task_id)).one_or_none()
    if row is None:
        raise NotFoundError(not_found("任务", task_id))
    if expected_version is not None and int(expected_version) != row[1]:
        raise task_conflict(s, task_id, int(expected_version), row[1], clean)
    current = dict(zip(names, row[2:], strict=True))
    clean = settle(current["status"], current["done_on"], clean)
    old = {name: current[name] for name in clean}
    changes = [(name, old[name], value) for name, value in clean.items() if old[name] != value]
    if changes:
        conn.execute(update(Task.__table__).where(task.id == task_id)
                     .values({**{name: value for name, _old, value in changes}, "version": task.version + 1}))
    log(s, row[0], task_id, *changes, version=row[1] + 1)
    return old


def refresh_latest(s: Session, task_id: int) -> int:
    """Make the task's progress_note / progress_on repeat its latest log entry (by date, then id);
    with no entries left both are cleared. A change of the task's content: returns its new version."""
    e = ProgressEntry.__table__.c
    conn = s.connection()
    latest = conn.execute(select(e.entry_date, e.text).where(e.task_id == task_id)
                          .order_by(e.entry_date.desc(), e.id.desc()).limit(1)).one_or_none()
    date, text = (latest[0], latest[1]) if latest is not None else (None, "")
    t = Task.__table__
    return int(conn.execute(update(t).where(t.c.id == task_id)
                            .values(progress_note=text, progress_on=date, version=t.c.version + 1)
                            .returning(t.c.version)).scalar_one())


# --- task rows and their unit links --------------------------------------------------------------
def node(s: Session, task_id: int) -> Row[Any]:
    """(id, notice_id, parent_id, position) of a task; NotFoundError if it was deleted."""
    row = s.execute(select(Task.id, Task.notice_id, Task.parent_id, Task.position)
                    .where(Task.id == task_id)).one_or_none()
    if row is None:
        raise NotFoundError(not_found("任务", task_id))
    return row


def require_notice(s: Session, notice_id: int) -> None:
    if s.execute(select(Notice.id).where(Notice.id == notice_id)).scalar() is None:
        raise NotFoundError(not_found("通知", notice_id))


def rows_of(s: Session, model: Any, task_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every column of the ``model`` rows attached to ``task_ids`` (for snapshots), by id."""
    table = model.__table__
    return [dict(r) for r in s.connection().execute(
        select(table).where(table.c.task_id.in_(task_ids)).order_by(table.c.id)).mappings()]


def links(s: Session, where: ColumnElement[bool]) -> list[Row[Any]]:
    """(task_id, role, unit name) rows matching ``where``, in printed order per task and role."""
    return list(s.execute(
        select(TaskUnit.task_id, TaskUnit.role, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(where)
        .order_by(TaskUnit.task_id, TaskUnit.role, TaskUnit.position)
    ))


def role_names(s: Session, task_id: int) -> dict[UnitRole, list[str]]:
    """The task's own units by role, in printed order."""
    out: dict[UnitRole, list[str]] = {UnitRole.LEAD: [], UnitRole.RESPONSIBLE: []}
    for _tid, role, name in links(s, TaskUnit.task_id == task_id):
        out[role].append(name)
    return out


def role_ids(s: Session, task_id: int) -> dict[UnitRole, list[int]]:
    """The ids of the task's own units by role, in printed order."""
    out: dict[UnitRole, list[int]] = {role: [] for role in UnitRole}
    for role, uid in s.execute(select(TaskUnit.role, TaskUnit.unit_id).where(TaskUnit.task_id == task_id)
                               .order_by(TaskUnit.role, TaskUnit.position)):
        out[role].append(uid)
    return out


def insert_links(s: Session, rows: list[dict[str, Any]]) -> None:
    if rows:  # Core executemany: an import inserts ~10,000 of these
        s.connection().execute(insert(TaskUnit.__table__), rows)


def link_rows(task_id: int, role: UnitRole, unit_ids: Sequence[int] | Any) -> list[dict[str, Any]]:
    return [{"task_id": task_id, "role": role, "unit_id": uid, "position": i} for i, uid in enumerate(unit_ids)]
