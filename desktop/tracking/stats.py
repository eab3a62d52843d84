"""Who is behind: per-unit counts (total, done, open, overdue, done on time) over notices, as lead and as responsible.

Counted, open, overdue and the units in force follow ``rules.TaskTree`` (the one set of task-tree
rules): the table rows (leaves of each tree) count, 不适用 rows are left out. A row counts for the units
in force on it (its own, else both lists of its nearest ancestor naming any), once per unit and role.
``open`` = 未开始 + 推进中 + 暂缓; ``overdue`` ⊂ open, as of ``today``;
``done_on_time`` ⊂ done: 完成日期 on or before the due date in force on that day (a task without a due
date cannot be late; a done task without a 完成日期 is not counted on time). With ``members``
(``units.collective_members``) a collective unit is counted as each of its members instead.
No rankings or scores: rows come in the order units first appear, lead before responsible.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass

from desktop.domain import Status, TaskRow, UnitRole
from desktop.tracking.rules import TaskTree
from desktop.tracking.units import expand


@dataclass
class Counts:
    total: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    done_on_time: int = 0


@dataclass
class UnitStats(Counts):
    unit: str = ""
    role: UnitRole = UnitRole.LEAD

    def as_json(self) -> dict[str, object]:
        d = asdict(self)
        return {"unit": self.unit, "role": self.role.value,
                **{k: d[k] for k in ("total", "done", "open", "overdue", "done_on_time")}}


def _classify(tree: TaskTree, r: TaskRow, today: dt.date) -> tuple[int, int, int, int]:
    """(done, open, overdue, done_on_time) flags of one counted row."""
    if r.status == Status.DONE:
        if r.done_on is None:
            return 1, 0, 0, 0
        due = tree.due(r, r.done_on).date
        return 1, 0, 0, int(due is None or r.done_on <= due)
    return 0, 1, int(tree.is_overdue(r, today)), 0


def _counted(rows_by_notice: Mapping[int, Sequence[TaskRow]], today: dt.date,
             years: Mapping[int, int | None] | None) -> Iterator[tuple[TaskTree, TaskRow, tuple[int, int, int, int]]]:
    """(tree, row, its flags) for every counted row of the notices given: the one walk both counts make."""
    for notice_id, rows in rows_by_notice.items():
        tree = TaskTree(rows, (years or {}).get(notice_id))
        for r in tree.rows:
            if tree.is_counted(r):
                yield tree, r, _classify(tree, r, today)


def _add(c: Counts, flags: tuple[int, int, int, int]) -> None:
    done, open_, overdue, on_time = flags
    c.total += 1
    c.done += done
    c.open += open_
    c.overdue += overdue
    c.done_on_time += on_time


def unit_stats(rows_by_notice: Mapping[int, Sequence[TaskRow]], today: dt.date,
               years: Mapping[int, int | None] | None = None,
               members: Mapping[str, list[str]] | None = None) -> list[UnitStats]:
    """Per unit and role counts over the notices given (one notice, or all of a year)."""
    table: dict[tuple[str, UnitRole], UnitStats] = {}
    for tree, r, flags in _counted(rows_by_notice, today, years):
        lead, resp = tree.in_force(r)
        for role, names in ((UnitRole.LEAD, lead), (UnitRole.RESPONSIBLE, resp)):
            for name in (expand(names, members) if members else names):
                s = table.get((name, role))
                if s is None:
                    s = table[name, role] = UnitStats(unit=name, role=role)
                _add(s, flags)
    first = {}
    for name, _role in table:
        first.setdefault(name, len(first))
    return sorted(table.values(), key=lambda s: (first[s.unit], s.role != UnitRole.LEAD))


def overall(rows_by_notice: Mapping[int, Sequence[TaskRow]], today: dt.date,
            years: Mapping[int, int | None] | None = None) -> Counts:
    """The same counts over every counted row, whoever its units (each row once)."""
    c = Counts()
    for _tree, _r, flags in _counted(rows_by_notice, today, years):
        _add(c, flags)
    return c
