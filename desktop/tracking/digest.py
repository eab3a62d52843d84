"""What is due: overdue tasks and tasks due within N days across notices, grouped by unit, as plain data.

Only table rows (leaves of a tree) that are 未开始 or 推进中 are listed: 已完成 and 不适用 are finished,
暂缓 is on hold. Due dates, overdue and owners follow ``rules.TaskTree`` (the one set of task-tree
rules): each item goes to its owners (lead units in force, else responsible units, else NO_UNIT), so a
task led by two units appears under both in ``by_unit()`` but once in ``overdue`` / ``due_soon``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from desktop.domain import TaskRow
from desktop.tracking.deadlines import Due
from desktop.tracking.rules import TaskTree
from desktop.tracking.status import CAN_BE_OVERDUE


@dataclass
class DueItem:
    notice_id: int
    row: TaskRow
    due: Due
    owners: list[str]  # who the reminder goes to (TaskTree.owners, inherited where the row has none)


@dataclass
class Digest:
    today: dt.date
    days: int
    overdue: list[DueItem] = field(default_factory=list)  # most days late first
    due_soon: list[DueItem] = field(default_factory=list)  # soonest first

    def count(self) -> int:
        """What the status bar shows: overdue + due soon."""
        return len(self.overdue) + len(self.due_soon)

    def by_unit(self) -> list[tuple[str, list[DueItem], list[DueItem]]]:
        """(unit, its overdue items, its due-soon items), units with overdue items first, then by
        the number of items and the unit's first appearance."""
        groups: dict[str, tuple[list[DueItem], list[DueItem]]] = {}
        for which, items in ((0, self.overdue), (1, self.due_soon)):
            for item in items:
                for unit in item.owners:
                    groups.setdefault(unit, ([], []))[which].append(item)
        order = {u: i for i, u in enumerate(groups)}
        ranked = sorted(groups.items(), key=lambda kv: (not kv[1][0], order[kv[0]]))
        return [(unit, over, soon) for unit, (over, soon) in ranked]


def digest(rows_by_notice: Mapping[int, Sequence[TaskRow]], today: dt.date, days: int = 7,
           years: Mapping[int, int | None] | None = None) -> Digest:
    """Overdue tasks and tasks due within ``days`` days (today included) of every notice given.
    ``years``: notice id → 年度, for 全年 tasks without a stored date and for recurring ones."""
    out = Digest(today, days)
    for notice_id, rows in rows_by_notice.items():
        tree = TaskTree(rows, (years or {}).get(notice_id))
        for r in tree.rows:
            if not tree.is_leaf(r) or r.status not in CAN_BE_OVERDUE:
                continue
            due = tree.due(r, today)
            overdue = tree.is_overdue(r, today)
            if due.date is None or not (overdue or due.days <= days):
                continue
            (out.overdue if overdue else out.due_soon).append(DueItem(notice_id, r, due, tree.owners(r)))
    out.overdue.sort(key=lambda i: -i.due.days)
    out.due_soon.sort(key=lambda i: i.due.days)
    return out
