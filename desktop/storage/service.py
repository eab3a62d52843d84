"""The SQLAlchemy implementation behind ``ledger.Ledger``: one method = one user action = one transaction.

``ledger.py`` is the documented contract and imports this module only when a ledger is opened, so
the ~0.6 s import of SQLAlchemy is not paid before the main window shows. Every public method here
runs in exactly one ``with self._Session.begin() as s:`` block (writes) or ``self._ReadSession``
(reads), writes its change-log rows inside that block, and returns plain domain objects.

Tree invariants kept by every method: siblings' ``position`` values are 0..n-1 (dense), a parent
always belongs to the same notice, and a task is never moved under its own subtree.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from desktop.domain import (
    TASK_FIELDS,
    TASK_TEXT_FIELDS,
    ChangeEntry,
    DeadlineKind,
    NoticeInfo,
    Status,
    TaskRow,
    UnitCategory,
    UnitInfo,
    UnitRole,
)
from desktop.numbering import number_for
from desktop.storage import column_maps, migrations
from desktop.storage.engine import fix_sequences, guarded, make_engine, make_sessions, sqlite_url
from desktop.storage.errors import ConflictError, LedgerError, NotFoundError
from desktop.storage.ledger import TaskSnapshot
from desktop.storage.models import (
    ChangeLog,
    Evidence,
    Notice,
    ProgressEntry,
    SchemaMeta,
    Task,
    TaskUnit,
    Unit,
)
from desktop.storage.paths import BACKUP_DIR_NAME, DB_FILE_NAME, default_data_dir
from desktop.storage.quickread import build_tree, changes_since
from desktop.storage.text import checked, plain
from desktop.tracking.status import settle

_guarded = guarded  # the decorator every public method wears (name kept for the subclasses)


# --- columns and values --------------------------------------------------------------------------
_TASK_COLUMNS = (
    Task.id, Task.notice_id, Task.parent_id, Task.position, Task.title, Task.text, Task.owner,
    Task.deadline_text, Task.due_date, Task.deadline_kind, Task.status, Task.done_on,
    Task.progress_note, Task.remark, Task.source_start, Task.source_end, Task.original_due_date,
    Task.revision_reason, Task.revised_at, Task.progress_on, Task.version,
)
_TASK_TABLE_COLUMNS = tuple(Task.__table__.c[c.key] for c in _TASK_COLUMNS)
_EXTRA_TASK_FIELDS = ("source_start", "source_end")
# A revised deadline's bookkeeping: set by revise_deadline / shift_deadlines, and by set_fields on undo.
_REVISION_FIELDS = ("due_date", "original_due_date", "revision_reason", "revised_at")
_EDITABLE_TASK_FIELDS = frozenset(TASK_FIELDS) | frozenset(_EXTRA_TASK_FIELDS) | frozenset(_REVISION_FIELDS)
_TASK_DEFAULTS: dict[str, Any] = {
    **{name: "" for name in TASK_TEXT_FIELDS},
    "due_date": None, "deadline_kind": DeadlineKind.NONE, "status": Status.NOT_STARTED, "done_on": None,
    "source_start": None, "source_end": None,
    "original_due_date": None, "revision_reason": "", "revised_at": None,
}
# What split_task copies to the new sibling besides the units (deadline and status fields).
_SPLIT_COPIED = ("owner", "deadline_text", "due_date", "deadline_kind", "status", "done_on")
_NOTICE_FIELDS = ("title", "doc_number", "issuer", "date", "year", "recipients", "source_name",
                  "source_text", "source_bytes")
_UNIT_FIELDS = frozenset({"name", "short_name", "aliases", "category", "order", "collective"})
_NOTICE_TEXTS = {"title": "标题", "doc_number": "文号", "issuer": "发文机关", "recipients": "主送机关",
                 "source_name": "原文件名"}


def _notice_texts(*values: str | None) -> list[str | None]:
    """title, 文号, 发文机关, 主送, 原文件名 as stored (text.checked; None stays None)."""
    labels = _NOTICE_TEXTS.values()
    return [None if v is None else checked(v, label) for v, label in zip(values, labels, strict=True)]


def _now() -> dt.datetime:
    return dt.datetime.now()  # local wall time: the clerk reads the history in local time


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise TypeError(f"expected a date, got {value!r}")


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value.strip())
    raise TypeError(f"expected a date and time, got {value!r}")


def _as_status(value: Any) -> Status:
    return value if isinstance(value, Status) else Status.parse(str(value))


def _as_kind(value: Any) -> DeadlineKind:
    if isinstance(value, DeadlineKind):
        return value
    try:
        return DeadlineKind(value)
    except ValueError:
        return DeadlineKind[str(value).upper()]


def _clean_task_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Check names (a wrong name is a bug: TypeError) and bring values to their stored types."""
    unknown = set(fields) - _EDITABLE_TASK_FIELDS
    if unknown:
        raise TypeError(f"unknown task field(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TASK_TEXT_FIELDS or name == "revision_reason":
            out[name] = checked(value, TASK_TEXT_FIELDS.get(name, "调整理由"))
        elif name in ("due_date", "done_on", "original_due_date"):
            out[name] = _as_date(value)
        elif name == "revised_at":
            out[name] = _as_datetime(value)
        elif name == "status":
            out[name] = _as_status(value)
        elif name == "deadline_kind":
            out[name] = _as_kind(value)
        else:
            out[name] = None if value is None else int(value)
    return out


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _fmt(value: Any) -> str | None:
    """A value as the change log shows it."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"（{len(value)} 字节）"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _describe(values: Any) -> str:
    """A task's name for the history: its title, or the start of its text."""
    title = (values["title"] or "").strip()
    if title:
        return title
    body = (values["text"] or "").strip()
    return body[:40] + ("…" if len(body) > 40 else "")


def _place(parent_id: int | None, index: int) -> str:
    where = "顶层" if parent_id is None else f"任务 #{parent_id} 下"
    return f"{where}第 {index + 1} 项"


_CLAUSE_END = re.compile(r"[，。；,;\n]")


def _first_clause(text: str) -> str:
    m = _CLAUSE_END.search(text)
    return (text[:m.start()] if m else text).strip()


_HEADING_NUMBER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+(?:部分|章|节|条)|[一二三四五六七八九十百零〇]+[、.．]|"
    r"[（(][一二三四五六七八九十百零〇\d]+[）)]|\d+[、.．](?!\d)|[①-⑳])\s*"
)


_BRACKETS = str.maketrans("〔【〖(〕】〗)", "[[[[]]]]")  # after NFKC: （ is (, ［ is [


def _same_text_key(text: str | None) -> str:
    """A 文号 or title as duplicates are compared: full-width forms folded (NFKC), no whitespace, and
    the brackets of a 文号's year (〔〕 [] 【】 （）) made one kind."""
    s = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", s).translate(_BRACKETS)


def heading_title(heading: str) -> str:
    """The heading text without its printed 序号: '（一）加强组织领导' → '加强组织领导'."""
    return _HEADING_NUMBER.sub("", heading, count=1).strip()


# --- the change log ------------------------------------------------------------------------------
def _log(s: Session, notice_id: int | None, task_id: int | None, *changes: tuple[str, Any, Any],
         version: int | None = None) -> None:
    """Write change-log rows (what, old, new) in the caller's transaction; touches the notice's
    updated_at so the notice list can show when it last changed. ``version``: the row version the
    change produced (the task's; for ``notice.<field>`` rows the notice's), which ConflictError uses
    to name what another client changed."""
    if not changes:
        return
    now = _now()
    # Core statements on the session's connection: this runs on every edit, and the ORM layer
    # would add about as much time again as the SQL itself.
    conn = s.connection()
    conn.execute(insert(ChangeLog.__table__), [
        {"changed_at": now, "notice_id": notice_id, "task_id": task_id, "what": what,
         "old_value": _fmt(old), "new_value": _fmt(new), "task_version": version}
        for what, old, new in changes
    ])
    if notice_id is not None:
        notice = Notice.__table__.c
        conn.execute(update(Notice.__table__).where(notice.id == notice_id).values(updated_at=now))


def _rows_of(s: Session, model: Any, task_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every column of the ``model`` rows attached to ``task_ids`` (for snapshots), by id."""
    table = model.__table__
    return [dict(r) for r in s.connection().execute(
        select(table).where(table.c.task_id.in_(task_ids)).order_by(table.c.id)).mappings()]


def _refresh_latest(s: Session, task_id: int) -> int:
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


def _bump(s: Session, task_id: int) -> int:
    """Count a change of the task's content (split, merge …): its version + 1; returns the new one."""
    t = Task.__table__
    return int(s.connection().execute(update(t).where(t.c.id == task_id).values(version=t.c.version + 1)
                                      .returning(t.c.version)).scalar_one())


def _field_of(what: str) -> str:
    """The field a change-log row changed, as ConflictError names it ("*": not a single field)."""
    if what in _EDITABLE_TASK_FIELDS:
        return what
    if what.startswith("units:"):
        return "lead_units" if what == "units:lead" else "units"
    if what.startswith("progress"):
        return "progress_note"
    if what.startswith("notice."):
        return what[len("notice."):]
    return "*"


def _their_fields(s: Session, notice_id: int | None, task_id: int | None, since: int) -> set[str]:
    """The fields changed by the saves after version ``since`` of a task (or of a notice's own fields)."""
    c = ChangeLog.__table__.c
    q = select(c.what).where(c.task_version > since)
    q = q.where(c.task_id == task_id) if task_id is not None else q.where(c.notice_id == notice_id,
                                                                           c.task_id.is_(None))
    return {_field_of(w) for (w,) in s.connection().execute(q)} - {"returns"}


def _task_conflict(s: Session, task_id: int, expected: int, current: int, yours: dict[str, Any]) -> ConflictError:
    task = Task.__table__.c
    names = [n for n in yours if n in _EDITABLE_TASK_FIELDS]
    row = s.connection().execute(select(*(task[n] for n in names)).where(task.id == task_id)).one() if names else ()
    theirs = dict(zip(names, row, strict=True))
    if "lead_units" in yours or "units" in yours:
        units = _role_names(s, task_id)
        theirs.update(lead_units=units[UnitRole.LEAD], units=units[UnitRole.RESPONSIBLE])
    return ConflictError("task", task_id, expected, current, yours, theirs, _their_fields(s, None, task_id, expected))


def _check_version(s: Session, task_id: int, expected: int | None, yours: dict[str, Any]) -> int:
    """The task's stored version; ConflictError when ``expected`` is given and differs."""
    t = Task.__table__.c
    current = s.connection().execute(select(t.version).where(t.id == task_id)).scalar()
    if current is None:
        raise NotFoundError(f"找不到任务（编号 {task_id}），它可能已在其他窗口中被删除。")
    if expected is not None and int(expected) != current:
        raise _task_conflict(s, task_id, int(expected), current, yours)
    return current


def _update_fields(s: Session, task_id: int, clean: dict[str, Any], expected_version: int | None = None
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
        raise NotFoundError(f"找不到任务（编号 {task_id}），它可能已在其他窗口中被删除。")
    if expected_version is not None and int(expected_version) != row[1]:
        raise _task_conflict(s, task_id, int(expected_version), row[1], clean)
    current = dict(zip(names, row[2:], strict=True))
    clean = settle(current["status"], current["done_on"], clean)
    old = {name: current[name] for name in clean}
    changes = [(name, old[name], value) for name, value in clean.items() if old[name] != value]
    if changes:
        conn.execute(update(Task.__table__).where(task.id == task_id)
                     .values({**{name: value for name, _old, value in changes}, "version": task.version + 1}))
    _log(s, row[0], task_id, *changes, version=row[1] + 1)
    return old


# --- tree helpers --------------------------------------------------------------------------------
def _siblings(notice_id: int, parent_id: int | None) -> ColumnElement[bool]:
    parent = Task.parent_id.is_(None) if parent_id is None else Task.parent_id == parent_id
    return (Task.notice_id == notice_id) & parent


def _node(s: Session, task_id: int) -> Row[Any]:
    row = s.execute(select(Task.id, Task.notice_id, Task.parent_id, Task.position)
                    .where(Task.id == task_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"找不到任务（编号 {task_id}），它可能已在其他窗口中被删除。")
    return row


def _require_notice(s: Session, notice_id: int) -> None:
    if s.execute(select(Notice.id).where(Notice.id == notice_id)).scalar() is None:
        raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")


def _child_count(s: Session, notice_id: int, parent_id: int | None, exclude: int | None = None) -> int:
    q = select(func.count()).select_from(Task).where(_siblings(notice_id, parent_id))
    if exclude is not None:
        q = q.where(Task.id != exclude)
    return int(s.execute(q).scalar_one())


def _shift(s: Session, notice_id: int, parent_id: int | None, start: int, by: int,
           exclude: int | None = None) -> None:
    """Add ``by`` to the position of the siblings at ``start`` and after (opens or closes a gap)."""
    q = update(Task).where(_siblings(notice_id, parent_id), Task.position >= start)
    if exclude is not None:
        q = q.where(Task.id != exclude)
    s.execute(q.values(position=Task.position + by), execution_options={"synchronize_session": False})


def _next_sibling(s: Session, node: Row[Any]) -> int | None:
    return s.execute(select(Task.id).where(_siblings(node.notice_id, node.parent_id),
                                           Task.position == node.position + 1)).scalar()


def _task_values(s: Session, task_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = {r["id"]: dict(r) for r in s.execute(select(*_TASK_COLUMNS).where(Task.id.in_(task_ids))).mappings()}
    return [rows[i] for i in task_ids]


def _links(s: Session, where: ColumnElement[bool]) -> list[Row[Any]]:
    """(task_id, role, unit name) rows matching ``where``, in printed order per task and role."""
    return list(s.execute(
        select(TaskUnit.task_id, TaskUnit.role, Unit.name)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(where)
        .order_by(TaskUnit.task_id, TaskUnit.role, TaskUnit.position)
    ))


def _role_names(s: Session, task_id: int) -> dict[UnitRole, list[str]]:
    out: dict[UnitRole, list[str]] = {UnitRole.LEAD: [], UnitRole.RESPONSIBLE: []}
    for _tid, role, name in _links(s, TaskUnit.task_id == task_id):
        out[role].append(name)
    return out


def _role_ids(s: Session, task_id: int) -> dict[UnitRole, list[int]]:
    out: dict[UnitRole, list[int]] = {role: [] for role in UnitRole}
    for role, uid in s.execute(select(TaskUnit.role, TaskUnit.unit_id).where(TaskUnit.task_id == task_id)
                               .order_by(TaskUnit.role, TaskUnit.position)):
        out[role].append(uid)
    return out


def _insert_links(s: Session, rows: list[dict[str, Any]]) -> None:
    if rows:  # Core executemany: an import inserts ~10,000 of these
        s.connection().execute(insert(TaskUnit.__table__), rows)


def _link_rows(task_id: int, role: UnitRole, unit_ids: Iterable[int]) -> list[dict[str, Any]]:
    return [{"task_id": task_id, "role": role, "unit_id": uid, "position": i} for i, uid in enumerate(unit_ids)]


def _replace_units(s: Session, directory: Any, task_id: int, role: UnitRole, names: list[str],
                   expected_version: int | None = None) -> list[str]:
    """Replace a task's units of one role (unknown names enter the directory); returns the old names."""
    node = _node(s, task_id)
    if expected_version is not None:
        _check_version(s, task_id, expected_version,
                       {"lead_units" if role == UnitRole.LEAD else "units": [n for n in names if n and n.strip()]})
    old = _role_names(s, task_id)[role]
    ids = directory.ids_for(names)
    new = [directory.names[i] for i in ids]
    if new != old:
        s.execute(delete(TaskUnit).where(TaskUnit.task_id == task_id, TaskUnit.role == role),
                  execution_options={"synchronize_session": False})
        _insert_links(s, _link_rows(task_id, role, ids))
        _log(s, node.notice_id, task_id, (f"units:{role.value}", old, new), version=_bump(s, task_id))
    return old


# --- the unit directory --------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def _unit_key(name: str) -> str:
    # Notices mix half- and full-width brackets and stray spaces in unit names; match through both.
    return _SPACES.sub("", plain(name)).replace("(", "（").replace(")", "）")


class _UnitDirectory:
    """The 单位库 as one transaction sees it, loaded once so a whole import resolves without a query
    per name. Resolution order: full name, then short name, then aliases."""

    def __init__(self, s: Session) -> None:
        self._s = s
        self.names: dict[int, str] = {}
        self._by_name: dict[str, int] = {}
        self._by_short: dict[str, int] = {}
        self._by_alias: dict[str, int] = {}
        self._next_order = 0
        for uid, name, short, aliases, order in s.execute(
                select(Unit.id, Unit.name, Unit.short_name, Unit.aliases, Unit.sort_order)
                .order_by(Unit.sort_order, Unit.id)):
            self._remember(uid, name, short, aliases)
            self._next_order = max(self._next_order, order + 1)

    def _remember(self, uid: int, name: str, short: str, aliases: list[str]) -> None:
        self.names[uid] = name
        self._by_name.setdefault(_unit_key(name), uid)
        if short:
            self._by_short.setdefault(_unit_key(short), uid)
        for alias in aliases:
            self._by_alias.setdefault(_unit_key(alias), uid)

    def find(self, name: str) -> int | None:
        key = _unit_key(name)
        if not key:
            return None
        return self._by_name.get(key) or self._by_short.get(key) or self._by_alias.get(key)

    def find_full_name(self, name: str) -> int | None:
        return self._by_name.get(_unit_key(name))

    def add(self, name: str, **values: Any) -> int:
        values.setdefault("sort_order", self._next_order)
        unit = Unit(name=name, **values)
        self._s.add(unit)
        self._s.flush()
        self._remember(unit.id, unit.name, unit.short_name or "", list(unit.aliases or []))
        self._next_order = max(self._next_order, unit.sort_order + 1)
        return unit.id

    def id_for(self, name: str) -> int:
        """The unit for a printed name; an unknown name enters the directory (category 其他)."""
        found = self.find(name)
        if found is not None:
            return found
        clean = checked(name, "单位名称").strip()
        # 各乡镇人民政府, 县级各部门 …: a name with 各 stands for a group of units.
        return self.add(clean, short_name="", aliases=[], category=UnitCategory.OTHER, collective="各" in clean)

    def ids_for(self, names: Iterable[str]) -> list[int]:
        out: list[int] = []
        for name in names:
            if name and name.strip():
                uid = self.id_for(name)
                if uid not in out:
                    out.append(uid)
        return out


def _clean_unit_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - _UNIT_FIELDS
    if unknown:
        raise TypeError(f"unknown unit field(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "name":
            text = checked(value, "单位名称").strip()
            if not text:
                raise ValueError("单位名称不能为空")
            out["name"] = text
        elif name == "short_name":
            out["short_name"] = checked(value, "简称").strip()
        elif name == "aliases":
            out["aliases"] = [a for a in (checked(a, "别名").strip() for a in _names(value)) if a]
        elif name == "category":
            out["category"] = UnitCategory(value)
        elif name == "order":
            out["sort_order"] = int(value)
        else:
            out["collective"] = bool(value)
    return out


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


def _unit_info(u: Unit) -> UnitInfo:
    return UnitInfo(id=u.id, name=u.name, short_name=u.short_name, aliases=list(u.aliases),
                    category=u.category, order=u.sort_order, collective=bool(u.collective))


# --- the ledger ----------------------------------------------------------------------------------
class SqlLedger:
    """See ``desktop.storage.ledger.Ledger`` for what each method promises."""

    @_guarded
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
            self._engine = make_engine(url)
            try:
                backups = data_dir / BACKUP_DIR_NAME if data_dir is not None else None
                self.found_version, self.schema_version = migrations.upgrade(self._engine, backups)
            except BaseException:
                self._engine.dispose()  # a refused file must not stay open (and locked) behind the error
                raise
        except BaseException:
            if created:  # a ledger this call began to create and could not: no empty file left behind
                _remove_if_empty(self.path)
            raise
        self._Session, self._ReadSession = make_sessions(self._engine)
        if self.path is not None:  # refuse writes into a file that vanished under us (fsguard.py)
            from desktop.storage import fsguard

            fsguard.watch(self._engine, self.path)

    def close(self) -> None:
        # Closing the last connection checkpoints the WAL into the main file and removes -wal/-shm.
        self._engine.dispose()

    # --- notices ---------------------------------------------------------------------------------
    def _notice_query(self) -> Any:
        counts = (select(Task.notice_id, func.count().label("n")).group_by(Task.notice_id).subquery())
        return (select(Notice.id, Notice.title, Notice.doc_number, Notice.issuer, Notice.date, Notice.year,
                       Notice.recipients, Notice.source_name, func.coalesce(counts.c.n, 0), Notice.version)
                .outerjoin(counts, counts.c.notice_id == Notice.id))

    @staticmethod
    def _notice_info(r: Row[Any]) -> NoticeInfo:
        return NoticeInfo(id=r[0], title=r[1], doc_number=r[2], issuer=r[3], date=r[4], year=r[5],
                          recipients=r[6], source_name=r[7], task_count=int(r[8]), version=r[9])

    @_guarded
    def notices(self) -> list[NoticeInfo]:
        with self._ReadSession.begin() as s:
            q = self._notice_query().order_by(Notice.year.desc().nulls_last(), Notice.date.desc().nulls_last(),
                                              Notice.id.desc())
            return [self._notice_info(r) for r in s.execute(q)]

    @_guarded
    def notice(self, notice_id: int) -> NoticeInfo:
        with self._ReadSession.begin() as s:
            r = s.execute(self._notice_query().where(Notice.id == notice_id)).one_or_none()
            if r is None:
                raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")
            return self._notice_info(r)

    @_guarded
    def notice_source(self, notice_id: int) -> tuple[str | None, bytes | None, str | None]:
        with self._ReadSession.begin() as s:
            r = s.execute(select(Notice.source_name, Notice.source_bytes, Notice.source_text)
                          .where(Notice.id == notice_id)).one_or_none()
            if r is None:
                raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")
            return r[0], r[1], r[2]

    @staticmethod
    def _insert_notice(s: Session, title: str, *, doc_number: str | None = None, issuer: str | None = None,
                       date: dt.date | str | None = None, year: int | None = None,
                       recipients: str | None = None, source_name: str | None = None,
                       source_text: str | None = None, source_bytes: bytes | None = None) -> int:
        date = _as_date(date)
        if year is None and date is not None:
            year = date.year  # 年度 defaults to the year the notice was written
        title, doc_number, issuer, recipients, source_name = _notice_texts(title, doc_number, issuer, recipients,
                                                                           source_name)
        now = _now()
        nid = s.execute(insert(Notice).values(
            title=title, doc_number=doc_number, issuer=issuer, date=date, year=year, recipients=recipients,
            source_name=source_name, source_text=source_text, source_bytes=source_bytes,
            created_at=now, updated_at=now).returning(Notice.id)).scalar_one()
        return int(nid)

    @_guarded
    def create_notice(self, title: str, **meta: Any) -> int:
        with self._Session.begin() as s:
            nid = self._insert_notice(s, title, **meta)
            _log(s, nid, None, ("create_notice", None, title))
            return nid

    @_guarded
    def find_duplicate(self, *, doc_number: str | None, title: str | None, year: int | None,
                       source_bytes: bytes | None) -> int | None:
        doc_key, title_key = _same_text_key(doc_number), _same_text_key(title)
        digest = hashlib.sha256(source_bytes).digest() if source_bytes else None
        found: list[int] = []
        with self._ReadSession.begin() as s:
            conn = s.connection()
            n = Notice.__table__.c
            for nid, doc, name, when in conn.execute(select(n.id, n.doc_number, n.title, n.year)):
                if doc_key and _same_text_key(doc) == doc_key:
                    found.append(nid)
                elif title_key and year is not None and when == year and _same_text_key(name) == title_key:
                    found.append(nid)
            if digest is not None:  # only files of the same size are read and hashed
                same_size = conn.execute(select(n.id, n.source_bytes).where(
                    n.source_bytes.is_not(None), func.length(n.source_bytes) == len(source_bytes or b"")))
                found += [nid for nid, data in same_size if hashlib.sha256(bytes(data)).digest() == digest]
        return min(found) if found else None

    @_guarded
    def update_notice(self, notice_id: int, expected_version: int | None = None, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - set(_NOTICE_FIELDS)
        if unknown:
            raise TypeError(f"unknown notice field(s): {', '.join(sorted(unknown))}")
        if "date" in fields:
            fields["date"] = _as_date(fields["date"])
        for name in _NOTICE_TEXTS:
            if fields.get(name) is not None:
                fields[name] = checked(fields[name], _NOTICE_TEXTS[name])
        with self._Session.begin() as s:
            n = s.get(Notice, notice_id)
            if n is None:
                raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")
            old = {name: getattr(n, name) for name in fields}
            if expected_version is not None and int(expected_version) != n.version:
                raise ConflictError("notice", notice_id, int(expected_version), n.version, fields, old,
                                    _their_fields(s, notice_id, None, int(expected_version)))
            changes = [(f"notice.{k}", old[k], v) for k, v in fields.items() if old[k] != v]
            for k, v in fields.items():
                setattr(n, k, v)
            if changes:
                n.version = n.version + 1
            _log(s, notice_id, None, *changes, version=n.version)
            return old

    @_guarded
    def delete_notice(self, notice_id: int) -> None:
        with self._Session.begin() as s:
            title = s.execute(select(Notice.title).where(Notice.id == notice_id)).scalar()
            if title is None:
                raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")
            count = _child_count_all(s, notice_id)
            # ON DELETE CASCADE removes the tasks and their unit links with the notice.
            s.execute(delete(Notice).where(Notice.id == notice_id),
                      execution_options={"synchronize_session": False})
            _log(s, notice_id, None, ("delete_notice", f"{title}（{count} 项）", None))

    # --- tasks -----------------------------------------------------------------------------------
    @_guarded
    def tasks(self, notice_id: int) -> list[TaskRow]:
        task, link, unit = Task.__table__.c, TaskUnit.__table__.c, Unit.__table__.c
        with self._ReadSession.begin() as s:
            # Two queries whatever the size: every node, then every unit link; the tree is built here.
            # Table columns on the session's connection skip the ORM's row processing (half the time
            # at 5,000 rows); rows are read by index for the same reason.
            conn = s.connection()
            rows = conn.execute(select(*_TASK_TABLE_COLUMNS).where(task.notice_id == notice_id)
                                .order_by(task.position, task.id)).all()
            links = conn.execute(
                select(link.task_id, link.role, unit.name)
                .join(Task.__table__, task.id == link.task_id).join(Unit.__table__, unit.id == link.unit_id)
                .where(task.notice_id == notice_id)
                .order_by(link.task_id, link.role, link.position)).all()
        return build_tree(rows, links)

    @_guarded
    def task(self, task_id: int) -> TaskRow:
        with self._ReadSession.begin() as s:
            r = s.execute(select(*_TASK_COLUMNS).where(Task.id == task_id)).one_or_none()
            if r is None:
                raise NotFoundError(f"找不到任务（编号 {task_id}），它可能已在其他窗口中被删除。")
            depth, parent = 1, r.parent_id
            while parent is not None:
                depth += 1
                parent = s.execute(select(Task.parent_id).where(Task.id == parent)).scalar()
            kids = _child_count(s, r.notice_id, r.id)
            names = _role_names(s, task_id)
        values = {k: getattr(r, k) for k in r._fields}
        return TaskRow(**values, depth=depth, number=number_for(depth, r.position + 1),
                       lead_units=names[UnitRole.LEAD], units=names[UnitRole.RESPONSIBLE], child_count=kids)

    @_guarded
    def add_task(self, notice_id: int, parent_id: int | None = None, index: int | None = None, *,
                 new_id: int | None = None, **fields: Any) -> int:
        lead = _names(fields.pop("lead_units", None))
        resp = _names(fields.pop("units", None))
        values = {**_TASK_DEFAULTS, **_clean_task_fields(fields)}
        with self._Session.begin() as s:
            _require_notice(s, notice_id)
            if parent_id is not None and _node(s, parent_id).notice_id != notice_id:
                raise ValueError(f"task {parent_id} is not in notice {notice_id}")
            n = _child_count(s, notice_id, parent_id)
            index = n if index is None else max(0, min(index, n))
            _shift(s, notice_id, parent_id, index, +1)
            ids = {} if new_id is None else {"id": new_id}
            task_id = int(s.execute(insert(Task).values(notice_id=notice_id, parent_id=parent_id, position=index,
                                                        **ids, **values).returning(Task.id)).scalar_one())
            if new_id is not None:
                fix_sequences(s.connection(), ["task"])
            if lead or resp:
                units = _UnitDirectory(s)
                _insert_links(s, _link_rows(task_id, UnitRole.LEAD, units.ids_for(lead))
                              + _link_rows(task_id, UnitRole.RESPONSIBLE, units.ids_for(resp)))
            _log(s, notice_id, task_id, ("add", _place(parent_id, index), _describe(values)))
            return task_id

    def _subtree(self, s: Session, node: Row[Any]) -> list[int]:
        """The ids of ``node`` and its descendants, parents first, siblings in order."""
        children: dict[int | None, list[int]] = defaultdict(list)
        for tid, pid in s.execute(select(Task.id, Task.parent_id).where(Task.notice_id == node.notice_id)
                                  .order_by(Task.position, Task.id)):
            children[pid].append(tid)
        out, stack = [], [node.id]
        while stack:
            tid = stack.pop()
            out.append(tid)
            stack.extend(reversed(children.get(tid, ())))
        return out

    def _snapshot(self, s: Session, task_ids: list[int]) -> TaskSnapshot:
        rows = _task_values(s, task_ids)
        order = {tid: i for i, tid in enumerate(task_ids)}
        wanted = set(task_ids)
        nid = rows[0]["notice_id"]
        links = [r for r in _links(s, TaskUnit.task_id.in_(select(Task.id).where(Task.notice_id == nid)))
                 if r.task_id in wanted]
        links.sort(key=lambda r: order[r.task_id])  # stable: keeps role and position order per task
        return TaskSnapshot(rows=rows, units=[(r.task_id, r.role.value, r.name) for r in links],
                            progress=_rows_of(s, ProgressEntry, task_ids), evidence=_rows_of(s, Evidence, task_ids))

    @staticmethod
    def _restore_attached(s: Session, snapshot: TaskSnapshot) -> None:
        """Put back the progress entries and evidence rows of a snapshot (same ids; the files never left)."""
        conn = s.connection()
        if snapshot.progress:
            conn.execute(insert(ProgressEntry.__table__), snapshot.progress)
        if snapshot.evidence:
            conn.execute(insert(Evidence.__table__), snapshot.evidence)

    def _restore_links(self, s: Session, units: list[tuple[int, str, str]]) -> None:
        if not units:
            return
        directory = _UnitDirectory(s)
        per_list: dict[tuple[int, UnitRole], list[int]] = defaultdict(list)
        for task_id, role, name in units:
            uid = directory.id_for(name)
            if uid not in per_list[task_id, UnitRole(role)]:
                per_list[task_id, UnitRole(role)].append(uid)
        _insert_links(s, [row for (tid, role), ids in per_list.items() for row in _link_rows(tid, role, ids)])

    @_guarded
    def delete_task(self, task_id: int) -> TaskSnapshot:
        with self._Session.begin() as s:
            node = _node(s, task_id)
            snapshot = self._snapshot(s, self._subtree(s, node))
            # ON DELETE CASCADE takes the descendants and all their unit links.
            s.execute(delete(Task).where(Task.id == task_id), execution_options={"synchronize_session": False})
            _shift(s, node.notice_id, node.parent_id, node.position + 1, -1)
            below = len(snapshot.rows) - 1
            _log(s, node.notice_id, task_id, ("delete", _describe(snapshot.rows[0])
                                              + (f"（含 {below} 个下级）" if below else ""), None))
            return snapshot

    @_guarded
    def restore_tasks(self, snapshot: TaskSnapshot) -> None:
        if not snapshot.rows:
            return
        root = snapshot.rows[0]
        with self._Session.begin() as s:
            _require_notice(s, root["notice_id"])
            _shift(s, root["notice_id"], root["parent_id"], root["position"], +1)
            # Same ids as before, so later undo steps that name these tasks still find them.
            # (PostgreSQL: fix_sequences moves the identity sequence past them; SQLite's AUTOINCREMENT follows.)
            s.execute(insert(Task), [dict(r) for r in snapshot.rows])
            self._restore_links(s, snapshot.units)
            self._restore_attached(s, snapshot)
            fix_sequences(s.connection(), ["task", "progress_entry", "evidence"])
            _log(s, root["notice_id"], root["id"], ("restore", None, _describe(root)))

    @_guarded
    def set_fields(self, task_id: int, expected_version: int | None = None, **fields: Any) -> dict[str, Any]:
        clean = _clean_task_fields(fields)
        with self._Session.begin() as s:
            return _update_fields(s, task_id, clean, expected_version)

    @_guarded
    def set_fields_many(self, changes: dict[int, dict[str, Any]],
                        expected_versions: dict[int, int] | None = None) -> dict[int, dict[str, Any]]:
        cleaned = {tid: _clean_task_fields(f) for tid, f in changes.items()}
        versions = expected_versions or {}
        with self._Session.begin() as s:
            return {tid: _update_fields(s, tid, clean, versions.get(tid)) for tid, clean in cleaned.items()}

    @_guarded
    def set_status_many(self, task_ids: Sequence[int], status: Status | str,
                        done_on: dt.date | str | None = None) -> dict[int, dict[str, Any]]:
        fields = _clean_task_fields({"status": status} if done_on is None else {"status": status, "done_on": done_on})
        with self._Session.begin() as s:
            return {tid: _update_fields(s, tid, fields) for tid in dict.fromkeys(task_ids)}

    @_guarded
    def revise_deadline(self, task_id: int, due_date: dt.date | str | None, reason: str) -> dict[str, Any]:
        due = _as_date(due_date)
        with self._Session.begin() as s:
            return self._revise(s, task_id, lambda _old: due, reason, _now())

    @_guarded
    def shift_deadlines(self, task_ids: Sequence[int], days: int, reason: str) -> dict[int, dict[str, Any]]:
        when, out = _now(), {}
        with self._Session.begin() as s:
            for tid in dict.fromkeys(task_ids):
                old = self._revise(s, tid, lambda old: None if old is None else old + dt.timedelta(days=days),
                                   reason, when, skip_undated=True)
                if old:
                    out[tid] = old
        return out

    @staticmethod
    def _revise(s: Session, task_id: int, new_due: Callable[[dt.date | None], dt.date | None], reason: str,
                when: dt.datetime, skip_undated: bool = False) -> dict[str, Any]:
        """Give a task a revised due date; the first revision keeps the due date it replaces."""
        task = Task.__table__.c
        row = s.connection().execute(select(*(task[n] for n in _REVISION_FIELDS))
                                     .where(task.id == task_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"找不到任务（编号 {task_id}），它可能已在其他窗口中被删除。")
        old = dict(zip(_REVISION_FIELDS, row, strict=True))
        if skip_undated and old["due_date"] is None:
            return {}
        fields = {"due_date": new_due(old["due_date"]), "revision_reason": checked(reason, "调整理由").strip(),
                  "revised_at": when}
        if old["revised_at"] is None:
            fields["original_due_date"] = old["due_date"]
        _update_fields(s, task_id, fields)
        return old  # all four fields: set_fields(task_id, **old) undoes the revision

    @_guarded
    def set_units(self, task_id: int, role: UnitRole | str, names: list[str],
                  expected_version: int | None = None) -> list[str]:
        with self._Session.begin() as s:
            return _replace_units(s, _UnitDirectory(s), task_id, UnitRole(role), names, expected_version)

    def _move(self, s: Session, node: Row[Any], parent_id: int | None, index: int, what: str
              ) -> tuple[int | None, int]:
        if parent_id is not None:
            if _node(s, parent_id).notice_id != node.notice_id:
                raise ValueError(f"task {parent_id} is not in the notice of task {node.id}")
            ancestor: int | None = parent_id
            while ancestor is not None:
                if ancestor == node.id:
                    raise ValueError("不能把任务移到它自己的下级中")
                ancestor = s.execute(select(Task.parent_id).where(Task.id == ancestor)).scalar()
        old = (node.parent_id, node.position)
        _shift(s, node.notice_id, node.parent_id, node.position + 1, -1, exclude=node.id)
        index = max(0, min(index, _child_count(s, node.notice_id, parent_id, exclude=node.id)))
        _shift(s, node.notice_id, parent_id, index, +1, exclude=node.id)
        s.execute(update(Task).where(Task.id == node.id).values(parent_id=parent_id, position=index),
                  execution_options={"synchronize_session": False})
        if (parent_id, index) != old:
            _log(s, node.notice_id, node.id, (what, _place(*old), _place(parent_id, index)))
        return old

    @_guarded
    def move_task(self, task_id: int, parent_id: int | None, index: int) -> tuple[int | None, int]:
        with self._Session.begin() as s:
            return self._move(s, _node(s, task_id), parent_id, index, "move")

    @_guarded
    def indent(self, task_id: int) -> tuple[int | None, int]:
        with self._Session.begin() as s:
            node = _node(s, task_id)
            if node.position == 0:
                raise ValueError("第一项没有上一个同级任务，不能降级")
            prev = s.execute(select(Task.id).where(_siblings(node.notice_id, node.parent_id),
                                                   Task.position == node.position - 1)).scalar_one()
            return self._move(s, node, prev, _child_count(s, node.notice_id, prev), "indent")

    @_guarded
    def outdent(self, task_id: int) -> tuple[int | None, int]:
        with self._Session.begin() as s:
            node = _node(s, task_id)
            if node.parent_id is None:
                raise ValueError("顶层任务不能再升级")
            parent = _node(s, node.parent_id)
            return self._move(s, node, parent.parent_id, parent.position + 1, "outdent")

    @_guarded
    def split_task(self, task_id: int, at: int, new_id: int | None = None) -> int:
        with self._Session.begin() as s:
            node = _node(s, task_id)
            (values,) = _task_values(s, [task_id])
            text = values["text"]
            if not 0 <= at <= len(text):
                raise ValueError(f"split position {at} outside the text (0..{len(text)})")
            rest = text[at:].strip()
            _shift(s, node.notice_id, node.parent_id, node.position + 1, +1)
            copied = {k: values[k] for k in _SPLIT_COPIED}
            ids = {} if new_id is None else {"id": new_id}
            new = int(s.execute(insert(Task).values(
                notice_id=node.notice_id, parent_id=node.parent_id, position=node.position + 1, **ids,
                title=_first_clause(rest) or values["title"], text=rest, **copied).returning(Task.id)).scalar_one())
            if new_id is not None:
                fix_sequences(s.connection(), ["task"])
            s.execute(update(Task).where(Task.id == task_id).values(text=text[:at], version=Task.version + 1),
                      execution_options={"synchronize_session": False})
            _insert_links(s, [row for role, ids in _role_ids(s, task_id).items()
                              for row in _link_rows(new, role, ids)])
            _log(s, node.notice_id, task_id, ("split", text, f"{text[:at]} | #{new} {rest}"),
                 version=values["version"] + 1)
            return new

    @_guarded
    def unsplit(self, task_id: int, new_id: int, text: str | None = None) -> None:
        """Undo of split_task: fold the split-off sibling back and restore the original ``text``
        (if None, the two texts are joined as they are)."""
        with self._Session.begin() as s:
            node, other = _node(s, task_id), _node(s, new_id)
            if (other.notice_id, other.parent_id, other.position) != (node.notice_id, node.parent_id,
                                                                      node.position + 1):
                raise ValueError(f"task {new_id} is not the next sibling of task {task_id}")
            a, b = _task_values(s, [task_id, new_id])
            self._adopt_children(s, node, new_id)
            merged = a["text"] + b["text"] if text is None else text
            s.execute(delete(Task).where(Task.id == new_id), execution_options={"synchronize_session": False})
            _shift(s, node.notice_id, node.parent_id, other.position + 1, -1)
            s.execute(update(Task).where(Task.id == task_id).values(text=merged, version=Task.version + 1),
                      execution_options={"synchronize_session": False})
            _log(s, node.notice_id, task_id, ("unsplit", f"{a['text']} | #{new_id} {b['text']}", merged),
                 version=a["version"] + 1)

    def _adopt_children(self, s: Session, node: Row[Any], from_id: int) -> list[tuple[int, int, int]]:
        """Move the children of ``from_id`` to the end of ``node``'s children; returns what moved as
        (task_id, old parent_id, old position)."""
        moved = [(tid, from_id, pos) for tid, pos in s.execute(
            select(Task.id, Task.position).where(Task.parent_id == from_id).order_by(Task.position))]
        if moved:
            k = _child_count(s, node.notice_id, node.id)
            s.execute(update(Task).where(Task.parent_id == from_id)
                      .values(parent_id=node.id, position=Task.position + k),
                      execution_options={"synchronize_session": False})
        return moved

    @_guarded
    def merge_with_next(self, task_id: int) -> TaskSnapshot:
        with self._Session.begin() as s:
            node = _node(s, task_id)
            next_id = _next_sibling(s, node)
            if next_id is None:
                raise ValueError("没有下一个同级任务，不能合并")
            snapshot = self._snapshot(s, [task_id, next_id])
            a, b = snapshot.rows
            snapshot.moved = self._adopt_children(s, node, next_id)
            merged: dict[str, Any] = {"text": a["text"] + b["text"]}
            for name in ("progress_note", "remark"):  # keep the clerk's notes of both
                if b[name] and b[name] != a[name]:
                    merged[name] = f"{a[name]}\n{b[name]}" if a[name] else b[name]
            for name in ("owner", "deadline_text", "due_date"):
                if not a[name] and b[name]:
                    merged[name] = b[name]
            if a["source_start"] is None:  # the merged text covers both spans of the notice
                merged["source_start"] = b["source_start"]
            if b["source_end"] is not None and (a["source_end"] is None or b["source_end"] > a["source_end"]):
                merged["source_end"] = b["source_end"]
            s.execute(update(Task).where(Task.id == task_id).values(**merged, version=Task.version + 1),
                      execution_options={"synchronize_session": False})
            # The merged task keeps its own units and gains those of the other it did not have.
            have, other = _role_ids(s, task_id), _role_ids(s, next_id)
            gained = {role: [uid for uid in other[role] if uid not in have[role]] for role in UnitRole}
            # The other task's progress log and evidence go with its text (unmerge moves them back).
            for table in (ProgressEntry.__table__, Evidence.__table__):
                s.connection().execute(update(table).where(table.c.task_id == next_id).values(task_id=task_id))
            version = a["version"] + 1
            if any(e["task_id"] == next_id for e in snapshot.progress):
                version = _refresh_latest(s, task_id)
            s.execute(delete(Task).where(Task.id == next_id), execution_options={"synchronize_session": False})
            _insert_links(s, [{"task_id": task_id, "role": role, "unit_id": uid, "position": len(have[role]) + i}
                              for role in UnitRole for i, uid in enumerate(gained[role])])
            _shift(s, node.notice_id, node.parent_id, node.position + 2, -1)
            _log(s, node.notice_id, task_id, ("merge", f"{_describe(a)} + #{next_id} {_describe(b)}",
                                              _describe({**a, **merged})), version=version)
            return snapshot

    @_guarded
    def unmerge(self, task_id: int, snapshot: TaskSnapshot) -> None:
        a, b = snapshot.rows
        if a["id"] != task_id:
            raise ValueError(f"snapshot is for task {a['id']}, not {task_id}")
        with self._Session.begin() as s:
            node = _node(s, task_id)
            fields = {k: v for k, v in a.items() if k not in ("id", "notice_id", "parent_id", "position", "version")}
            s.execute(update(Task).where(Task.id == task_id).values(**fields, version=Task.version + 1),
                      execution_options={"synchronize_session": False})
            # The other task comes back right after this one, wherever this one is now.
            _shift(s, node.notice_id, node.parent_id, node.position + 1, +1)
            s.execute(insert(Task), [{**b, "parent_id": node.parent_id, "position": node.position + 1}])
            fix_sequences(s.connection(), ["task"])
            for child_id, parent_id, position in snapshot.moved:
                s.execute(update(Task).where(Task.id == child_id).values(parent_id=parent_id, position=position),
                          execution_options={"synchronize_session": False})
            s.execute(delete(TaskUnit).where(TaskUnit.task_id == task_id),
                      execution_options={"synchronize_session": False})
            self._restore_links(s, snapshot.units)
            for table, kept in ((ProgressEntry.__table__, snapshot.progress), (Evidence.__table__, snapshot.evidence)):
                ids = [e["id"] for e in kept if e["task_id"] == b["id"]]
                if ids:
                    s.connection().execute(update(table).where(table.c.id.in_(ids)).values(task_id=b["id"]))
            _log(s, node.notice_id, task_id, ("unmerge", _describe(a), f"{_describe(a)} + #{b['id']} {_describe(b)}"),
                 version=_current_version(s, task_id))

    # --- import ----------------------------------------------------------------------------------
    @_guarded
    def create_notice_with_tasks(self, meta: dict[str, Any], tasks: list[dict[str, Any]]) -> int:
        with self._Session.begin() as s:
            meta = dict(meta)
            title = meta.pop("title")
            nid = self._insert_notice(s, title, **meta)
            directory = _UnitDirectory(s)
            top = _Pending({})
            sections: dict[tuple[str, ...], _Pending] = {}
            for item in tasks:
                item = dict(item)
                path = _section_path(item.pop("section", None))
                parent = top
                for depth in range(1, len(path) + 1):
                    key = path[:depth]
                    if key not in sections:
                        heading = _clean_task_fields({"title": heading_title(key[-1]) or key[-1]})
                        sections[key] = _Pending(heading)
                        parent.children.append(sections[key])
                    parent = sections[key]
                parent.children.append(_Pending.from_dict(item, directory))
            count = _insert_forest(s, nid, top.children)
            _log(s, nid, None, ("create_notice", None, f"{title}（{count} 项）"))
            return nid

    # --- units -----------------------------------------------------------------------------------
    @_guarded
    def units(self) -> list[UnitInfo]:
        with self._ReadSession.begin() as s:
            return [_unit_info(u) for u in s.scalars(select(Unit).order_by(Unit.sort_order, Unit.id))]

    @_guarded
    def add_unit(self, name: str, **fields: Any) -> int:
        values = _clean_unit_fields({"name": name, **fields})
        with self._Session.begin() as s:
            directory = _UnitDirectory(s)
            if directory.find_full_name(values["name"]) is not None:
                raise LedgerError(f"单位库中已有“{values['name']}”。")
            uid = directory.add(values.pop("name"), **values)
            _log(s, None, None, ("unit:add", None, directory.names[uid]))
            return uid

    @_guarded
    def update_unit(self, unit_id: int, **fields: Any) -> dict[str, Any]:
        values = _clean_unit_fields(fields)
        with self._Session.begin() as s:
            u = s.get(Unit, unit_id)
            if u is None:
                raise NotFoundError(f"找不到单位（编号 {unit_id}），它可能已被删除。")
            if "name" in values:
                other = _UnitDirectory(s).find_full_name(values["name"])
                if other is not None and other != unit_id:
                    raise LedgerError(f"单位库中已有“{values['name']}”。")
            old_info = _unit_info(u)
            old = {name: getattr(old_info, name) for name in fields}
            changes = []
            for name, value in values.items():
                label = "order" if name == "sort_order" else name
                if getattr(u, name) != value:
                    changes.append((f"unit.{label}", getattr(u, name), value))
                    setattr(u, name, value)
            _log(s, None, None, *changes)
            return old

    @_guarded
    def resolve_unit(self, name: str) -> UnitInfo | None:
        with self._ReadSession.begin() as s:
            uid = _UnitDirectory(s).find(name)
            return None if uid is None else _unit_info(s.get_one(Unit, uid))

    # --- remembered column settings (schema_meta rows, see column_maps.py) -----------------------
    @_guarded
    def remember_columns(self, labels: list[str], roles: list[str]) -> None:
        key, value = column_maps.key_of(labels), column_maps.value_of(roles)
        if len(key.encode("utf-8")) > column_maps.MAX_KEY_BYTES:
            raise LedgerError("表头行的文字太长，不像表头，无法按它记住列设置。请确认表头所在的行。")
        shown = column_maps.clean_labels(labels)
        with self._Session.begin() as s:
            row = s.get(SchemaMeta, key)
            if row is not None and row.value == value:
                return
            old = None if row is None else _described_map(key, row.value)
            if row is None:
                s.add(SchemaMeta(name=key, value=value))
            else:
                row.value = value
            _log(s, None, None, ("columns:remember", old, column_maps.describe(shown, list(roles))))

    @_guarded
    def remembered_columns(self, labels: list[str]) -> list[str] | None:
        key = column_maps.key_of(labels)
        with self._ReadSession.begin() as s:
            value = s.execute(select(SchemaMeta.value).where(SchemaMeta.name == key)).scalar()
        found = column_maps.decode([(key, value)]) if value is not None else []
        return found[0][1] if found else None

    @_guarded
    def column_maps(self) -> list[tuple[list[str], list[str]]]:
        with self._ReadSession.begin() as s:
            rows = s.execute(select(SchemaMeta.name, SchemaMeta.value)
                             .where(SchemaMeta.name.startswith(column_maps.PREFIX, autoescape=True)))
            return column_maps.decode((r[0], r[1]) for r in rows)

    @_guarded
    def forget_columns(self, labels: list[str]) -> None:
        key = column_maps.key_of(labels)
        with self._Session.begin() as s:
            row = s.get(SchemaMeta, key)
            if row is None:
                return
            old = _described_map(key, row.value)
            s.delete(row)
            _log(s, None, None, ("columns:forget", old, None))

    # --- history ---------------------------------------------------------------------------------
    @_guarded
    def changed_since(self, token: int | None) -> tuple[int, set[int | None]]:
        c = ChangeLog.__table__.c
        with self._ReadSession.begin() as s:
            conn = s.connection()
            newest = int(conn.execute(select(func.coalesce(func.max(c.id), 0))).scalar_one())
            return changes_since(token, newest, lambda lo, hi: [r[0] for r in conn.execute(
                select(c.notice_id).distinct().where(c.id > lo, c.id <= hi))])

    @_guarded
    def changes(self, notice_id: int | None = None, limit: int = 200) -> list[ChangeEntry]:
        with self._ReadSession.begin() as s:
            q = select(ChangeLog).order_by(ChangeLog.id.desc()).limit(limit)
            if notice_id is not None:
                q = q.where(ChangeLog.notice_id == notice_id)
            return [ChangeEntry(when=c.changed_at, notice_id=c.notice_id, task_id=c.task_id, what=c.what,
                                old=c.old_value, new=c.new_value) for c in s.scalars(q)]


def _described_map(key: str, value: str) -> str:
    """A stored column setting as the change log shows it (the raw value if it does not decode)."""
    found = column_maps.decode([(key, value)])
    return column_maps.describe(*found[0]) if found else value


def _current_version(s: Session, task_id: int) -> int:
    return int(s.connection().execute(select(Task.__table__.c.version).where(Task.__table__.c.id == task_id)).scalar_one())


def _child_count_all(s: Session, notice_id: int) -> int:
    return int(s.execute(select(func.count()).select_from(Task).where(Task.notice_id == notice_id)).scalar_one())


def _section_path(section: Any) -> tuple[str, ...]:
    """'一、… > (一)…' (or a list of headings) → the tuple of heading texts."""
    if not section:
        return ()
    parts = section.split(">") if isinstance(section, str) else list(section)
    return tuple(p.strip() for p in parts if p and p.strip())


class _Pending:
    """A node of an import not yet inserted: its column values, unit ids and children."""

    __slots__ = ("values", "lead", "resp", "children")

    def __init__(self, values: dict[str, Any], lead: list[int] | None = None, resp: list[int] | None = None):
        self.values = {**_TASK_DEFAULTS, **values}
        self.lead = lead or []
        self.resp = resp or []
        self.children: list[_Pending] = []

    @classmethod
    def from_dict(cls, item: dict[str, Any], directory: _UnitDirectory) -> _Pending:
        children = item.pop("children", None) or []
        lead = directory.ids_for(_names(item.pop("lead_units", None)))
        resp = directory.ids_for(_names(item.pop("units", None)))
        node = cls(_clean_task_fields(item), lead, resp)
        node.children = [cls.from_dict(dict(c), directory) for c in children]
        return node


def _insert_forest(s: Session, notice_id: int, roots: list[_Pending]) -> int:
    """Insert the nodes level by level: one multi-row INSERT … RETURNING per depth gives the ids the
    next level needs as parents (the same on SQLite and PostgreSQL). Returns the number of nodes."""
    level: list[tuple[int | None, list[_Pending]]] = [(None, roots)]
    total = 0
    while level:
        params: list[dict[str, Any]] = []
        nodes: list[_Pending] = []
        for parent_id, kids in level:
            for position, node in enumerate(kids):
                params.append({"notice_id": notice_id, "parent_id": parent_id, "position": position, **node.values})
                nodes.append(node)
        if not params:
            break
        table = Task.__table__
        ids = s.connection().execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                     params).scalars().all()
        links: list[dict[str, Any]] = []
        for task_id, node in zip(ids, nodes, strict=True):
            links += _link_rows(task_id, UnitRole.LEAD, node.lead) + _link_rows(task_id, UnitRole.RESPONSIBLE, node.resp)
        _insert_links(s, links)
        total += len(ids)
        level = [(task_id, node.children) for task_id, node in zip(ids, nodes, strict=True) if node.children]
    return total
