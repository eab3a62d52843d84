"""A notice's task tree in the storage service: reading it and the clerk's tree edits (add, delete, move, split, merge, fields, units).

``TaskTree`` is the collaborator behind the "tasks" section of ``ledger.Ledger``. Tree invariants kept
by every method: siblings' ``position`` values are 0..n-1 (dense), a parent always belongs to the same
notice, and a task is never moved under its own subtree. Each method is one transaction and writes
its change-log rows in it (``core.log``). What an edit keeps to undo it (snapshots) is in ``task_snapshots``.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from desktop.domain import TaskRow, UnitRole
from desktop.importing.parse.patterns import first_clause
from desktop.numbering import number_for
from desktop.storage.core import (
    TASK_COLUMNS,
    TASK_TABLE_COLUMNS,
    Part,
    current_version,
    insert_links,
    link_rows,
    log,
    node,
    refresh_latest,
    require_notice,
    role_ids,
    role_names,
    update_fields,
)
from desktop.storage.engine import fix_sequences, guarded
from desktop.storage.errors import NotFoundError
from desktop.storage.models import Evidence, ProgressEntry, Task, TaskUnit, Unit
from desktop.storage.quickread import build_tree
from desktop.storage.rows import (
    SPLIT_COPIED,
    TASK_DEFAULTS,
    TaskSnapshot,
    clean_task_fields,
    describe,
    names,
    not_found,
    place,
)
from desktop.storage.task_snapshots import (
    restore_attached,
    restore_links,
    subtree_ids,
    take_snapshot,
    task_values,
)
from desktop.storage.unit_store import UnitDirectory, replace_units


# --- siblings ------------------------------------------------------------------------------------
def _siblings(notice_id: int, parent_id: int | None) -> ColumnElement[bool]:
    parent = Task.parent_id.is_(None) if parent_id is None else Task.parent_id == parent_id
    return (Task.notice_id == notice_id) & parent


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


def _next_sibling(s: Session, where: Row[Any]) -> int | None:
    return s.execute(select(Task.id).where(_siblings(where.notice_id, where.parent_id),
                                           Task.position == where.position + 1)).scalar()


def _adopt_children(s: Session, where: Row[Any], from_id: int) -> list[tuple[int, int, int]]:
    """Move the children of ``from_id`` to the end of ``where``'s children; returns what moved as
    (task_id, old parent_id, old position)."""
    moved = [(tid, from_id, pos) for tid, pos in s.execute(
        select(Task.id, Task.position).where(Task.parent_id == from_id).order_by(Task.position))]
    if moved:
        k = _child_count(s, where.notice_id, where.id)
        s.execute(update(Task).where(Task.parent_id == from_id)
                  .values(parent_id=where.id, position=Task.position + k),
                  execution_options={"synchronize_session": False})
    return moved


def _move(s: Session, task: Row[Any], parent_id: int | None, index: int, what: str) -> tuple[int | None, int]:
    if parent_id is not None:
        if node(s, parent_id).notice_id != task.notice_id:
            raise ValueError(f"task {parent_id} is not in the notice of task {task.id}")
        ancestor: int | None = parent_id
        while ancestor is not None:
            if ancestor == task.id:
                raise ValueError("不能把任务移到它自己的下级中")
            ancestor = s.execute(select(Task.parent_id).where(Task.id == ancestor)).scalar()
    old = (task.parent_id, task.position)
    _shift(s, task.notice_id, task.parent_id, task.position + 1, -1, exclude=task.id)
    index = max(0, min(index, _child_count(s, task.notice_id, parent_id, exclude=task.id)))
    _shift(s, task.notice_id, parent_id, index, +1, exclude=task.id)
    s.execute(update(Task).where(Task.id == task.id).values(parent_id=parent_id, position=index),
              execution_options={"synchronize_session": False})
    if (parent_id, index) != old:
        log(s, task.notice_id, task.id, (what, place(*old), place(parent_id, index)))
    return old


class TaskTree(Part):
    """A notice's tree and its edits (see ``ledger.Ledger`` for the contract)."""

    @guarded
    def tasks(self, notice_id: int) -> list[TaskRow]:
        task, link, unit = Task.__table__.c, TaskUnit.__table__.c, Unit.__table__.c
        with self.core.ReadSession.begin() as s:
            # Two queries whatever the size: every node, then every unit link; the tree is built here.
            # Table columns on the session's connection skip the ORM's row processing (half the time
            # at 5,000 rows); rows are read by index for the same reason.
            conn = s.connection()
            rows = conn.execute(select(*TASK_TABLE_COLUMNS).where(task.notice_id == notice_id)
                                .order_by(task.position, task.id)).all()
            found = conn.execute(
                select(link.task_id, link.role, unit.name)
                .join(Task.__table__, task.id == link.task_id).join(Unit.__table__, unit.id == link.unit_id)
                .where(task.notice_id == notice_id)
                .order_by(link.task_id, link.role, link.position)).all()
        return build_tree(rows, found)

    @guarded
    def task(self, task_id: int) -> TaskRow:
        with self.core.ReadSession.begin() as s:
            r = s.execute(select(*TASK_COLUMNS).where(Task.id == task_id)).one_or_none()
            if r is None:
                raise NotFoundError(not_found("任务", task_id))
            depth, parent = 1, r.parent_id
            while parent is not None:
                depth += 1
                parent = s.execute(select(Task.parent_id).where(Task.id == parent)).scalar()
            kids = _child_count(s, r.notice_id, r.id)
            units = role_names(s, task_id)
        values = {k: getattr(r, k) for k in r._fields}
        return TaskRow(**values, depth=depth, number=number_for(depth, r.position + 1),
                       lead_units=units[UnitRole.LEAD], units=units[UnitRole.RESPONSIBLE], child_count=kids)

    @guarded
    def add_task(self, notice_id: int, parent_id: int | None = None, index: int | None = None, *,
                 new_id: int | None = None, **fields: Any) -> int:
        lead = names(fields.pop("lead_units", None))
        resp = names(fields.pop("units", None))
        values = {**TASK_DEFAULTS, **clean_task_fields(fields)}
        with self.core.Session.begin() as s:
            require_notice(s, notice_id)
            if parent_id is not None and node(s, parent_id).notice_id != notice_id:
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
                units = UnitDirectory(s)
                insert_links(s, link_rows(task_id, UnitRole.LEAD, units.ids_for(lead))
                             + link_rows(task_id, UnitRole.RESPONSIBLE, units.ids_for(resp)))
            log(s, notice_id, task_id, ("add", place(parent_id, index), describe(values)))
            return task_id

    @guarded
    def delete_task(self, task_id: int) -> TaskSnapshot:
        with self.core.Session.begin() as s:
            where = node(s, task_id)
            snapshot = take_snapshot(s, subtree_ids(s, where))
            # ON DELETE CASCADE takes the descendants and all their unit links.
            s.execute(delete(Task).where(Task.id == task_id), execution_options={"synchronize_session": False})
            _shift(s, where.notice_id, where.parent_id, where.position + 1, -1)
            below = len(snapshot.rows) - 1
            log(s, where.notice_id, task_id, ("delete", describe(snapshot.rows[0])
                                              + (f"（含 {below} 个下级）" if below else ""), None))
            return snapshot

    @guarded
    def restore_tasks(self, snapshot: TaskSnapshot) -> None:
        if not snapshot.rows:
            return
        root = snapshot.rows[0]
        with self.core.Session.begin() as s:
            require_notice(s, root["notice_id"])
            _shift(s, root["notice_id"], root["parent_id"], root["position"], +1)
            # Same ids as before, so later undo steps that name these tasks still find them.
            # (PostgreSQL: fix_sequences moves the identity sequence past them; SQLite's AUTOINCREMENT follows.)
            s.execute(insert(Task), [dict(r) for r in snapshot.rows])
            restore_links(s, snapshot.units)
            restore_attached(s, snapshot)
            fix_sequences(s.connection(), ["task", "progress_entry", "evidence"])
            log(s, root["notice_id"], root["id"], ("restore", None, describe(root)))

    @guarded
    def set_fields(self, task_id: int, expected_version: int | None = None, **fields: Any) -> dict[str, Any]:
        clean = clean_task_fields(fields)
        with self.core.Session.begin() as s:
            return update_fields(s, task_id, clean, expected_version)

    @guarded
    def set_fields_many(self, changes: dict[int, dict[str, Any]],
                        expected_versions: dict[int, int] | None = None) -> dict[int, dict[str, Any]]:
        cleaned = {tid: clean_task_fields(f) for tid, f in changes.items()}
        versions = expected_versions or {}
        with self.core.Session.begin() as s:
            return {tid: update_fields(s, tid, clean, versions.get(tid)) for tid, clean in cleaned.items()}

    @guarded
    def set_units(self, task_id: int, role: UnitRole | str, unit_names: list[str],
                  expected_version: int | None = None) -> list[str]:
        with self.core.Session.begin() as s:
            return replace_units(s, UnitDirectory(s), task_id, UnitRole(role), unit_names, expected_version)

    @guarded
    def move_task(self, task_id: int, parent_id: int | None, index: int) -> tuple[int | None, int]:
        with self.core.Session.begin() as s:
            return _move(s, node(s, task_id), parent_id, index, "move")

    @guarded
    def indent(self, task_id: int) -> tuple[int | None, int]:
        with self.core.Session.begin() as s:
            where = node(s, task_id)
            if where.position == 0:
                raise ValueError("第一项没有上一个同级任务，不能降级")
            prev = s.execute(select(Task.id).where(_siblings(where.notice_id, where.parent_id),
                                                   Task.position == where.position - 1)).scalar_one()
            return _move(s, where, prev, _child_count(s, where.notice_id, prev), "indent")

    @guarded
    def outdent(self, task_id: int) -> tuple[int | None, int]:
        with self.core.Session.begin() as s:
            where = node(s, task_id)
            if where.parent_id is None:
                raise ValueError("顶层任务不能再升级")
            parent = node(s, where.parent_id)
            return _move(s, where, parent.parent_id, parent.position + 1, "outdent")

    @guarded
    def split_task(self, task_id: int, at: int, new_id: int | None = None) -> int:
        with self.core.Session.begin() as s:
            where = node(s, task_id)
            (values,) = task_values(s, [task_id])
            text = values["text"]
            if not 0 <= at <= len(text):
                raise ValueError(f"split position {at} outside the text (0..{len(text)})")
            rest = text[at:].strip()
            _shift(s, where.notice_id, where.parent_id, where.position + 1, +1)
            copied = {k: values[k] for k in SPLIT_COPIED}
            ids = {} if new_id is None else {"id": new_id}
            new = int(s.execute(insert(Task).values(
                notice_id=where.notice_id, parent_id=where.parent_id, position=where.position + 1, **ids,
                title=first_clause(rest) or values["title"], text=rest, **copied).returning(Task.id)).scalar_one())
            if new_id is not None:
                fix_sequences(s.connection(), ["task"])
            s.execute(update(Task).where(Task.id == task_id).values(text=text[:at], version=Task.version + 1),
                      execution_options={"synchronize_session": False})
            insert_links(s, [row for role, ids in role_ids(s, task_id).items()
                             for row in link_rows(new, role, ids)])
            log(s, where.notice_id, task_id, ("split", text, f"{text[:at]} | #{new} {rest}"),
                version=values["version"] + 1)
            return new

    @guarded
    def unsplit(self, task_id: int, new_id: int, text: str | None = None) -> None:
        """Undo of split_task: fold the split-off sibling back and restore the original ``text``
        (if None, the two texts are joined as they are)."""
        with self.core.Session.begin() as s:
            where, other = node(s, task_id), node(s, new_id)
            if (other.notice_id, other.parent_id, other.position) != (where.notice_id, where.parent_id,
                                                                      where.position + 1):
                raise ValueError(f"task {new_id} is not the next sibling of task {task_id}")
            a, b = task_values(s, [task_id, new_id])
            _adopt_children(s, where, new_id)
            merged = a["text"] + b["text"] if text is None else text
            s.execute(delete(Task).where(Task.id == new_id), execution_options={"synchronize_session": False})
            _shift(s, where.notice_id, where.parent_id, other.position + 1, -1)
            s.execute(update(Task).where(Task.id == task_id).values(text=merged, version=Task.version + 1),
                      execution_options={"synchronize_session": False})
            log(s, where.notice_id, task_id, ("unsplit", f"{a['text']} | #{new_id} {b['text']}", merged),
                version=a["version"] + 1)

    @guarded
    def merge_with_next(self, task_id: int) -> TaskSnapshot:
        with self.core.Session.begin() as s:
            where = node(s, task_id)
            next_id = _next_sibling(s, where)
            if next_id is None:
                raise ValueError("没有下一个同级任务，不能合并")
            snapshot = take_snapshot(s, [task_id, next_id])
            a, b = snapshot.rows
            snapshot.moved = _adopt_children(s, where, next_id)
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
            have, other = role_ids(s, task_id), role_ids(s, next_id)
            gained = {role: [uid for uid in other[role] if uid not in have[role]] for role in UnitRole}
            # The other task's progress log and evidence go with its text (unmerge moves them back).
            for table in (ProgressEntry.__table__, Evidence.__table__):
                s.connection().execute(update(table).where(table.c.task_id == next_id).values(task_id=task_id))
            version = a["version"] + 1
            if any(e["task_id"] == next_id for e in snapshot.progress):
                version = refresh_latest(s, task_id)
            s.execute(delete(Task).where(Task.id == next_id), execution_options={"synchronize_session": False})
            insert_links(s, [{"task_id": task_id, "role": role, "unit_id": uid, "position": len(have[role]) + i}
                             for role in UnitRole for i, uid in enumerate(gained[role])])
            _shift(s, where.notice_id, where.parent_id, where.position + 2, -1)
            log(s, where.notice_id, task_id, ("merge", f"{describe(a)} + #{next_id} {describe(b)}",
                                              describe({**a, **merged})), version=version)
            return snapshot

    @guarded
    def unmerge(self, task_id: int, snapshot: TaskSnapshot) -> None:
        a, b = snapshot.rows
        if a["id"] != task_id:
            raise ValueError(f"snapshot is for task {a['id']}, not {task_id}")
        with self.core.Session.begin() as s:
            where = node(s, task_id)
            fields = {k: v for k, v in a.items() if k not in ("id", "notice_id", "parent_id", "position", "version")}
            s.execute(update(Task).where(Task.id == task_id).values(**fields, version=Task.version + 1),
                      execution_options={"synchronize_session": False})
            # The other task comes back right after this one, wherever this one is now.
            _shift(s, where.notice_id, where.parent_id, where.position + 1, +1)
            s.execute(insert(Task), [{**b, "parent_id": where.parent_id, "position": where.position + 1}])
            fix_sequences(s.connection(), ["task"])
            for child_id, parent_id, position in snapshot.moved:
                s.execute(update(Task).where(Task.id == child_id).values(parent_id=parent_id, position=position),
                          execution_options={"synchronize_session": False})
            s.execute(delete(TaskUnit).where(TaskUnit.task_id == task_id),
                      execution_options={"synchronize_session": False})
            restore_links(s, snapshot.units)
            for table, kept in ((ProgressEntry.__table__, snapshot.progress), (Evidence.__table__, snapshot.evidence)):
                ids = [e["id"] for e in kept if e["task_id"] == b["id"]]
                if ids:
                    s.connection().execute(update(table).where(table.c.id.in_(ids)).values(task_id=b["id"]))
            log(s, where.notice_id, task_id, ("unmerge", describe(a), f"{describe(a)} + #{b['id']} {describe(b)}"),
                version=current_version(s, task_id))
