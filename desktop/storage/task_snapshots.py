"""What a tree edit keeps to undo it: a snapshot of tasks (rows, unit links, progress entries, evidence
rows) and putting its parts back, with the same ids so later undo steps still find them.

Used by ``task_tree.TaskTree`` (delete/restore, merge/unmerge, split/unsplit); the snapshot type itself is
``rows.TaskSnapshot``. Each function works inside the caller's session (one transaction).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from desktop.domain import UnitRole
from desktop.storage.core import TASK_COLUMNS, insert_links, link_rows, links, rows_of
from desktop.storage.models import Evidence, ProgressEntry, Task, TaskUnit
from desktop.storage.rows import TaskSnapshot, preorder
from desktop.storage.unit_store import UnitDirectory


def task_values(s: Session, task_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The task rows of ``task_ids`` as dicts of their columns, in that order."""
    rows = {r["id"]: dict(r) for r in s.execute(select(*TASK_COLUMNS).where(Task.id.in_(task_ids))).mappings()}
    return [rows[i] for i in task_ids]


def subtree_ids(s: Session, root: Row[Any]) -> list[int]:
    """The ids of ``root`` and its descendants, parents first, siblings in order."""
    pairs = s.execute(select(Task.id, Task.parent_id).where(Task.notice_id == root.notice_id)
                      .order_by(Task.position, Task.id))
    return preorder(((tid, pid) for tid, pid in pairs), [root.id])


def take_snapshot(s: Session, task_ids: list[int]) -> TaskSnapshot:
    """The tasks ``task_ids`` (of one notice) with their unit links, progress entries and evidence rows."""
    rows = task_values(s, task_ids)
    order = {tid: i for i, tid in enumerate(task_ids)}
    wanted = set(task_ids)
    nid = rows[0]["notice_id"]
    found = [r for r in links(s, TaskUnit.task_id.in_(select(Task.id).where(Task.notice_id == nid)))
             if r.task_id in wanted]
    found.sort(key=lambda r: order[r.task_id])  # stable: keeps role and position order per task
    return TaskSnapshot(rows=rows, units=[(r.task_id, r.role.value, r.name) for r in found],
                        progress=rows_of(s, ProgressEntry, task_ids), evidence=rows_of(s, Evidence, task_ids))


def restore_attached(s: Session, snapshot: TaskSnapshot) -> None:
    """Put back the progress entries and evidence rows of a snapshot (same ids; the files never left)."""
    conn = s.connection()
    if snapshot.progress:
        conn.execute(insert(ProgressEntry.__table__), snapshot.progress)
    if snapshot.evidence:
        conn.execute(insert(Evidence.__table__), snapshot.evidence)


def restore_links(s: Session, units: list[tuple[int, str, str]]) -> None:
    """Put back a snapshot's unit links (task id, role, unit name); a name no longer in the directory enters it again."""
    if not units:
        return
    directory = UnitDirectory(s)
    per_list: dict[tuple[int, UnitRole], list[int]] = defaultdict(list)
    for task_id, role, name in units:
        uid = directory.id_for(name)
        if uid not in per_list[task_id, UnitRole(role)]:
            per_list[task_id, UnitRole(role)].append(uid)
    insert_links(s, [row for (tid, role), ids in per_list.items() for row in link_rows(tid, role, ids)])
