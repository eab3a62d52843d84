"""Completion tracking in the storage service: loading across notices, status and deadlines of many tasks, the progress log.

``TrackingStore`` is the collaborator behind the "completion tracking" section of ``ledger.Ledger``
(evidence files have their own, ``evidence_store``). The rules themselves (完成日期, deadlines in force,
what is due) are plain Python in ``desktop.tracking``; here they are stored, one transaction per method
with its change-log rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from desktop.domain import DeadlineKind, ProgressEntry, Status, TaskRow, UnitRole
from desktop.storage.core import TASK_TABLE_COLUMNS, Part, log, node, refresh_latest, update_fields
from desktop.storage.engine import fix_sequences, guarded
from desktop.storage.errors import NotFoundError
from desktop.storage.models import ProgressEntry as EntryModel
from desktop.storage.models import Task, TaskUnit, Unit
from desktop.storage.quickread import group_trees, open_rows
from desktop.storage.rows import REVISION_FIELDS, as_date, clean_task_fields, entry_info, not_found, now
from desktop.storage.text import checked
from desktop.storage.unit_store import UnitDirectory, replace_units

_ENTRY = EntryModel.__table__


def _entry_row(s: Session, entry_id: int) -> Any:
    r = s.connection().execute(select(_ENTRY).where(_ENTRY.c.id == entry_id)).one_or_none()
    if r is None:
        raise NotFoundError(not_found("进展记录", entry_id))
    return r


def _revise(s: Session, task_id: int, new_due: Callable[[dt.date | None], dt.date | None], reason: str,
            when: dt.datetime, skip_undated: bool = False) -> dict[str, Any]:
    """Give a task a revised due date; the first revision keeps the due date it replaces."""
    task = Task.__table__.c
    row = s.connection().execute(select(*(task[n] for n in REVISION_FIELDS))
                                 .where(task.id == task_id)).one_or_none()
    if row is None:
        raise NotFoundError(not_found("任务", task_id))
    old = dict(zip(REVISION_FIELDS, row, strict=True))
    if skip_undated and old["due_date"] is None:
        return {}
    fields = {"due_date": new_due(old["due_date"]), "revision_reason": checked(reason, "调整理由").strip(),
              "revised_at": when}
    if old["revised_at"] is None:
        fields["original_due_date"] = old["due_date"]
    update_fields(s, task_id, fields)
    return old  # all four fields: set_fields(task_id, **old) undoes the revision


def add_entry(s: Session, notice_id: int, task_id: int, day: dt.date, text: str, who: str) -> int:
    """Add a progress-log entry in the caller's transaction, make the task repeat its latest entry and
    log ``progress:add``; returns the entry id (shared with ``exchange_store.apply_returns``)."""
    entry_id = int(s.connection().execute(insert(_ENTRY).values(
        task_id=task_id, entry_date=day, text=text, who=who, created_at=now())
        .returning(_ENTRY.c.id)).scalar_one())
    version = refresh_latest(s, task_id)
    log(s, notice_id, task_id, ("progress:add", None, f"{day.isoformat()} {text}"), version=version)
    return entry_id


class TrackingStore(Part):
    """Completion tracking without evidence files (see ``ledger.Ledger`` for the contract)."""

    # --- loading across notices ------------------------------------------------------------------
    @guarded
    def tasks_by_notice(self, notice_ids: Sequence[int] | None = None) -> dict[int, list[TaskRow]]:
        task, link, unit = Task.__table__.c, TaskUnit.__table__.c, Unit.__table__.c
        with self.core.ReadSession.begin() as s:
            conn = s.connection()
            q = select(*TASK_TABLE_COLUMNS).order_by(task.notice_id, task.position, task.id)
            lq = (select(link.task_id, link.role, unit.name).join(Unit.__table__, unit.id == link.unit_id)
                  .order_by(link.task_id, link.role, link.position))
            if notice_ids is not None:
                q = q.where(task.notice_id.in_(list(notice_ids)))
                lq = lq.join(Task.__table__, task.id == link.task_id).where(task.notice_id.in_(list(notice_ids)))
            rows, links = conn.execute(q).all(), conn.execute(lq).all()
        return group_trees(rows, links, notice_ids)

    @guarded
    def open_tasks(self, due_by: dt.date | None = None) -> dict[int, list[TaskRow]]:
        task = Task.__table__.c
        cond = task.status.in_([Status.NOT_STARTED, Status.IN_PROGRESS])
        if due_by is not None:
            cond &= or_(task.deadline_kind == DeadlineKind.RECURRING, task.due_date <= due_by,
                        task.due_date.is_(None) & (task.deadline_kind == DeadlineKind.YEAR_ROUND))
        return self._leaves(cond)

    @guarded
    def leaf_tasks(self, notice_ids: Sequence[int] | None = None) -> dict[int, list[TaskRow]]:
        if notice_ids is None:
            return self._leaves(None)
        found = self._leaves(Task.__table__.c.notice_id.in_(list(notice_ids)))
        return {n: found.get(n, []) for n in notice_ids}

    def _leaves(self, where: Any) -> dict[int, list[TaskRow]]:
        task, link, unit = Task.__table__.c, TaskUnit.__table__.c, Unit.__table__.c
        child = Task.__table__.alias("child")
        cond = ~exists().where(child.c.parent_id == task.id)
        if where is not None:
            cond &= where
        with self.core.ReadSession.begin() as s:
            conn = s.connection()
            rows = conn.execute(select(*TASK_TABLE_COLUMNS).where(cond)
                                .order_by(task.notice_id, task.position, task.id)).all()
            skeleton = conn.execute(select(task.id, task.parent_id, task.position)).all()

            def links_of(ids: list[int]) -> list[Any]:
                return conn.execute(select(link.task_id, link.role, unit.name)
                                    .join(Unit.__table__, unit.id == link.unit_id).where(link.task_id.in_(ids))
                                    .order_by(link.task_id, link.role, link.position)).all()

            return open_rows(rows, skeleton, links_of)

    # --- status, deadlines and units of many tasks -----------------------------------------------
    @guarded
    def set_status_many(self, task_ids: Sequence[int], status: Status | str,
                        done_on: dt.date | str | None = None) -> dict[int, dict[str, Any]]:
        fields = clean_task_fields({"status": status} if done_on is None else {"status": status, "done_on": done_on})
        with self.core.Session.begin() as s:
            return {tid: update_fields(s, tid, fields) for tid in dict.fromkeys(task_ids)}

    @guarded
    def revise_deadline(self, task_id: int, due_date: dt.date | str | None, reason: str) -> dict[str, Any]:
        due = as_date(due_date)
        with self.core.Session.begin() as s:
            return _revise(s, task_id, lambda _old: due, reason, now())

    @guarded
    def shift_deadlines(self, task_ids: Sequence[int], days: int, reason: str) -> dict[int, dict[str, Any]]:
        when, out = now(), {}
        with self.core.Session.begin() as s:
            for tid in dict.fromkeys(task_ids):
                old = _revise(s, tid, lambda old: None if old is None else old + dt.timedelta(days=days),
                              reason, when, skip_undated=True)
                if old:
                    out[tid] = old
        return out

    @guarded
    def set_units_many(self, task_ids: Sequence[int], role: UnitRole | str, names: list[str]) -> dict[int, list[str]]:
        return self.set_units_each(role, dict.fromkeys(task_ids, names))

    @guarded
    def set_units_each(self, role: UnitRole | str, names_by_task: dict[int, list[str]]) -> dict[int, list[str]]:
        role = UnitRole(role)
        with self.core.Session.begin() as s:
            directory = UnitDirectory(s)
            return {tid: replace_units(s, directory, tid, role, list(names)) for tid, names in names_by_task.items()}

    # --- progress log ----------------------------------------------------------------------------
    @guarded
    def progress_log(self, task_id: int) -> list[ProgressEntry]:
        e = _ENTRY.c
        with self.core.ReadSession.begin() as s:
            node(s, task_id)
            return [entry_info(r) for r in s.connection().execute(
                select(_ENTRY).where(e.task_id == task_id).order_by(e.entry_date, e.id))]

    @guarded
    def add_progress(self, task_id: int, date: dt.date | str | None, text: str, who: str = "") -> int:
        day = as_date(date) or dt.date.today()
        text, who = checked(text, "落实情况"), checked(who, "填报人")
        with self.core.Session.begin() as s:
            return add_entry(s, node(s, task_id).notice_id, task_id, day, text, who)

    @guarded
    def update_progress(self, entry_id: int, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - {"date", "text", "who"}
        if unknown:
            raise TypeError(f"unknown progress field(s): {', '.join(sorted(unknown))}")
        values = {("entry_date" if k == "date" else k):
                  (as_date(v) if k == "date" else checked(v, "落实情况" if k == "text" else "填报人"))
                  for k, v in fields.items()}
        with self.core.Session.begin() as s:
            r = _entry_row(s, entry_id)
            old = {k: getattr(r, "entry_date" if k == "date" else k) for k in fields}
            s.connection().execute(update(_ENTRY).where(_ENTRY.c.id == entry_id).values(**values))
            version = refresh_latest(s, r.task_id)
            notice_id = node(s, r.task_id).notice_id
            log(s, notice_id, r.task_id, *((f"progress.{k}", old[k], fields[k]) for k in fields if old[k] != fields[k]),
                version=version)
            return old

    @guarded
    def delete_progress(self, entry_id: int) -> dict[str, Any]:
        with self.core.Session.begin() as s:
            r = _entry_row(s, entry_id)
            s.connection().execute(delete(_ENTRY).where(_ENTRY.c.id == entry_id))
            version = refresh_latest(s, r.task_id)
            log(s, node(s, r.task_id).notice_id, r.task_id,
                ("progress:delete", f"{r.entry_date.isoformat()} {r.text}", None), version=version)
            return dict(r._mapping)

    @guarded
    def restore_progress(self, snapshot: dict[str, Any]) -> None:
        with self.core.Session.begin() as s:
            where = node(s, snapshot["task_id"])
            s.connection().execute(insert(_ENTRY).values(**snapshot))
            fix_sequences(s.connection(), ["progress_entry"])
            version = refresh_latest(s, where.id)
            log(s, where.notice_id, where.id,
                ("progress:restore", None, f"{snapshot['entry_date'].isoformat()} {snapshot['text']}"), version=version)
