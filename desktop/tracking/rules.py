"""The task-tree rules in one place: what is open, counted and overdue, the units in force, 下级完成 n/m.

Every layer asks these questions here — the digest, the statistics, the documents (未完成事项清单,
落实情况报告, 单位任务清单, 任务分解表), the spreadsheets (exports, 反馈表, comparison) and the window
(filter, table tint, detail panel) — so a task is overdue, or belongs to a unit, in all of them or in
none. The rules themselves:

- **table rows**: only the leaves of a tree carry work that is counted; a parent shows its derived
  progress (``progress``: 下级完成 done/total of the leaves below it, 不适用 left out,
  ``status.progress_of``) and is never overdue itself.
- **counted**: a leaf that is not 不适用 (``status.COUNTED``); **open**: 未开始 / 推进中 / 暂缓
  (``status.OPEN``).
- **due date in force** as of ``today``: ``deadlines.due_of`` with the notice's 年度 (全年 without a
  stored date: Dec 31 of that year; recurring: the current period).
- **overdue**: a leaf, 未开始 or 推进中 (暂缓 never: ``status.CAN_BE_OVERDUE``), past its due date in force.
- **units in force**: a row's own lead and responsible units, or — when it names neither — BOTH lists
  of its nearest ancestor that names any (``units.inherited_units``); **owners** (who a reminder goes
  to): the lead units in force, else the responsible ones, else ``units.NO_UNIT``.

Plain Python on ``TaskRow``s: no Qt, no SQL. ``TaskTree(rows, year)`` answers per row for one
notice's tree; ``due`` / ``is_overdue`` answer for a single row when no tree is at hand, and
``nearest_named`` applies the inheritance rule to ids when only part of a tree is loaded.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from desktop.domain import TaskRow
from desktop.tracking.deadlines import Due, due_of
from desktop.tracking.status import CAN_BE_OVERDUE, COUNTED, OPEN, progress_of
from desktop.tracking.units import NO_UNIT, inherited_units, nearest_named
from desktop.tracking.units import owners as _owners

__all__ = ["NO_UNIT", "Due", "TaskTree", "due", "is_counted", "is_open", "is_overdue", "days_overdue", "nearest_named"]


def is_open(row: TaskRow) -> bool:
    """未开始 / 推进中 / 暂缓 (whether or not it is a leaf)."""
    return row.status in OPEN


def is_counted(row: TaskRow) -> bool:
    """A table row (leaf, by its ``child_count``) that counts in totals: anything but 不适用."""
    return not row.child_count and row.status in COUNTED


def due(row: TaskRow, today: dt.date, year: int | None = None) -> Due:
    """The due date of ``row`` in force on ``today`` (``year``: the notice's 年度)."""
    return due_of(row, today, year)


def is_overdue(row: TaskRow, today: dt.date, year: int | None = None) -> bool:
    """A table row (leaf, by its ``child_count``) still 未开始/推进中 and past its due date in force."""
    return not row.child_count and row.status in CAN_BE_OVERDUE and due_of(row, today, year).overdue


def days_overdue(row: TaskRow, today: dt.date, year: int | None = None) -> int:
    """How many days late an overdue row is (0 when it is not overdue)."""
    return due_of(row, today, year).days if is_overdue(row, today, year) else 0


class TaskTree:
    """One notice's task tree (its rows in any order; ``year``: the notice's 年度) and the rules on it.

    A row is a leaf when its ``child_count`` is 0 and no row of the tree names it as parent."""

    def __init__(self, rows: Iterable[TaskRow], year: int | None = None) -> None:
        self.rows: list[TaskRow] = list(rows)
        self.year = year
        self.by_id: dict[int, TaskRow] = {r.id: r for r in self.rows}
        self.children: dict[int | None, list[TaskRow]] = {}
        for r in self.rows:
            self.children.setdefault(r.parent_id, []).append(r)
        self._units: dict[int, tuple[list[str], list[str]]] | None = None
        self._progress: dict[int, tuple[int, int]] | None = None

    # ---- shape ----------------------------------------------------------------------------------

    def kids(self, row: TaskRow) -> list[TaskRow]:
        return self.children.get(row.id, [])

    def is_leaf(self, row: TaskRow) -> bool:
        return not row.child_count and row.id not in self.children

    def leaves(self) -> list[TaskRow]:
        return [r for r in self.rows if self.is_leaf(r)]

    # ---- status and dates -----------------------------------------------------------------------

    def is_open(self, row: TaskRow) -> bool:
        return is_open(row)

    def is_counted(self, row: TaskRow) -> bool:
        return self.is_leaf(row) and row.status in COUNTED

    def due(self, row: TaskRow, today: dt.date) -> Due:
        return due_of(row, today, self.year)

    def is_overdue(self, row: TaskRow, today: dt.date) -> bool:
        return self.is_leaf(row) and row.status in CAN_BE_OVERDUE and due_of(row, today, self.year).overdue

    def days_overdue(self, row: TaskRow, today: dt.date) -> int:
        return due_of(row, today, self.year).days if self.is_overdue(row, today) else 0

    def overdue(self, today: dt.date) -> list[TaskRow]:
        """The overdue rows, in the tree's order."""
        return [r for r in self.rows if self.is_overdue(r, today)]

    def progress(self, row: TaskRow) -> tuple[int, int] | None:
        """下级完成 (done, total) of a parent's leaves (不适用 left out); None for a leaf."""
        if self._progress is None:
            self._progress = self.progress_all()
        return self._progress.get(row.id)

    def progress_all(self) -> dict[int, tuple[int, int]]:
        """parent id → (done, total) for every parent of the tree."""
        if any(r.id in self.children and not r.child_count for r in self.rows):
            # child_count not filled (rows built by hand): count children from the tree itself
            from dataclasses import replace

            rows = [replace(r, child_count=len(self.kids(r))) if r.id in self.children else r for r in self.rows]
            return progress_of(rows)
        return progress_of(self.rows)

    # ---- units ----------------------------------------------------------------------------------

    def in_force(self, row: TaskRow) -> tuple[list[str], list[str]]:
        """(lead units, responsible units) in force on ``row``: its own, or both lists of its nearest
        ancestor that names any."""
        if self._units is None:
            self._units = inherited_units(self.rows)
        lead, resp = self._units.get(row.id, ([], []))
        return list(lead), list(resp)

    def lead(self, row: TaskRow) -> list[str]:
        return self.in_force(row)[0]

    def responsible(self, row: TaskRow) -> list[str]:
        return self.in_force(row)[1]

    def names(self, row: TaskRow) -> list[str]:
        """Every unit in force on ``row``, lead first, each once."""
        lead, resp = self.in_force(row)
        return list(dict.fromkeys(lead + resp))

    def answerable(self, row: TaskRow) -> list[str]:
        """The units answerable for ``row``: the lead units in force, else the responsible ones ([] if none)."""
        lead, resp = self.in_force(row)
        return list(lead or resp)

    def owners(self, row: TaskRow) -> list[str]:
        """Who a reminder about ``row`` goes to: ``answerable``, else ``[NO_UNIT]``."""
        return _owners(*self.in_force(row))
