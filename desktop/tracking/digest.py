"""What is due: overdue tasks and tasks due within N days across notices, grouped by unit, as plain data.

Only table rows (leaves of a tree) that are 未开始 or 推进中 are listed: 已完成 and 不适用 are finished,
暂缓 is on hold. Due dates follow ``deadlines.due_of``. Each item goes to its owners
(``units.owners``: lead units, else responsible units, else its parent's), so a task led by two
units appears under both in ``by_unit()`` but once in ``overdue`` / ``due_soon``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from desktop.domain import TaskRow
from desktop.tracking.deadlines import Due, due_of
from desktop.tracking.status import CAN_BE_OVERDUE
from desktop.tracking.units import inherited_units, owners


@dataclass
class DueItem:
    notice_id: int
    row: TaskRow
    due: Due
    owners: list[str]  # who the reminder goes to (units.owners, inherited where the row has none)


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
        year = (years or {}).get(notice_id)
        inherited: dict[int, tuple[list[str], list[str]]] | None = None
        for r in rows:
            if r.child_count or r.status not in CAN_BE_OVERDUE:
                continue
            due = due_of(r, today, year)
            if due.date is None or not (due.overdue or due.days <= days):
                continue
            if r.lead_units or r.units:
                who = owners(r.lead_units, r.units)
            else:
                if inherited is None:
                    inherited = inherited_units(rows)
                who = owners(*inherited[r.id])
            (out.overdue if due.overdue else out.due_soon).append(DueItem(notice_id, r, due, who))
    out.overdue.sort(key=lambda i: -i.due.days)
    out.due_soon.sort(key=lambda i: i.due.days)
    return out
