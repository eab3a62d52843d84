"""The task table's search and filter rules, in plain Python over loaded TaskRows (no Qt).

Filtering in Python and resetting the model is 10–200× faster than a QSortFilterProxyModel
(performance-notes §7). A match keeps its ancestors visible so the tree context stays readable.

Overdue, due dates and the units in force follow ``tracking.rules`` (the rules the digest, the statistics,
the documents and the status bar use), and like them count the table rows (leaves): a parent shows its derived
progress, so the status, deadline and unit-less conditions ask its items, and the parent stays
visible as their context.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain import DeadlineKind, Status, TaskRow
from desktop.tracking import rules
from desktop.tracking.deadlines import Due
from desktop.tracking.status import CAN_BE_OVERDUE, OPEN

OPEN_STATUSES = OPEN
UNFINISHED = "未完成"  # status choice: everything not 已完成 / 不适用
DUE_SOON_DAYS = 7  # "7 天内到期", as the digest counts


class DeadlineFilter(StrEnum):
    """Choices of the filter bar's 时限 combo."""

    ANY = "全部时限"
    OVERDUE = "已逾期"
    DUE_SOON = "7天内到期"
    THIS_WEEK = "本周到期"
    THIS_MONTH = "本月到期"
    LONG_TERM = "长期/常态"
    NO_DEADLINE = "无时限"


@dataclass(frozen=True)
class TaskFilter:
    """What the clerk asked to see. Empty values mean 'no condition'.

    ``unit_names`` holds every spelling of one directory unit (full name, short name, aliases), matched
    against the units in force on a row (its own, else its nearest ancestor's that names any);
    ``no_unit`` asks for rows with no lead and no responsible unit in force (their own or a
    parent's); ``status`` is a Status, the string UNFINISHED, or None.
    """

    text: str = ""
    unit_names: frozenset[str] = frozenset()
    status: Status | str | None = None
    deadline: DeadlineFilter = DeadlineFilter.ANY
    no_unit: bool = False

    def is_empty(self) -> bool:
        return not self.text.strip() and not self.unit_names and self.status is None \
            and self.deadline == DeadlineFilter.ANY and not self.no_unit


def due(row: TaskRow, today: dt.date, year: int | None = None) -> Due:
    """The due date in force (``tracking.rules.due``)."""
    return rules.due(row, today, year)


def is_overdue(row: TaskRow, today: dt.date, year: int | None = None) -> bool:
    """A table row (leaf) past its due date in force and still 未开始/推进中 (``tracking.rules.is_overdue``;
    长期坚持 and 暂缓 never are). Parents are never overdue themselves: their items are."""
    return rules.is_overdue(row, today, year)


_SEARCH_CACHE: dict[int, tuple[TaskRow, str]] = {}


def _search_text(row: TaskRow) -> str:
    """Everything searchable in a row, case-folded; cached per row object (rows are replaced, not
    changed in place, after an edit — a re-loaded row gets a new entry)."""
    hit = _SEARCH_CACHE.get(row.id)
    if hit is not None and hit[0] is row:
        return hit[1]
    text = _join(row)
    if len(_SEARCH_CACHE) > 50_000:
        _SEARCH_CACHE.clear()
    _SEARCH_CACHE[row.id] = (row, text)
    return text


def _join(row: TaskRow) -> str:
    return "\n".join((row.number, row.title, row.text, "、".join(row.lead_units), "、".join(row.units),
                      row.owner, row.deadline_text, row.progress_note, row.remark)).casefold()


def _deadline_matches(row: TaskRow, d: DeadlineFilter, today: dt.date, year: int | None) -> bool:
    if d == DeadlineFilter.LONG_TERM:
        return row.deadline_kind in (DeadlineKind.LONG_TERM, DeadlineKind.RECURRING, DeadlineKind.YEAR_ROUND)
    if d == DeadlineFilter.NO_DEADLINE:
        return row.due_date is None and not row.deadline_text.strip() and row.deadline_kind == DeadlineKind.NONE
    if row.child_count or row.status not in OPEN_STATUSES:
        return False
    when = rules.due(row, today, year)
    if d == DeadlineFilter.OVERDUE:
        return rules.is_overdue(row, today, year)
    if when.date is None or when.overdue:
        return d == DeadlineFilter.THIS_MONTH and when.date is not None \
            and (when.date.year, when.date.month) == (today.year, today.month)
    if d == DeadlineFilter.DUE_SOON:
        return row.status in CAN_BE_OVERDUE and when.days <= DUE_SOON_DAYS
    if d == DeadlineFilter.THIS_WEEK:
        monday = today - dt.timedelta(days=today.weekday())
        return monday <= when.date <= monday + dt.timedelta(days=6)
    if d == DeadlineFilter.THIS_MONTH:
        return (when.date.year, when.date.month) == (today.year, today.month)
    return True


def _matches(row: TaskRow, flt: TaskFilter, terms: list[str], today: dt.date, year: int | None,
             units: list[str]) -> bool:
    if flt.status is not None:
        if row.child_count:
            return False  # a parent's status is its items' progress: they match, it stays as context
        if flt.status == UNFINISHED:
            if row.status not in OPEN_STATUSES:
                return False
        elif row.status != flt.status:
            return False
    if flt.unit_names and flt.unit_names.isdisjoint(units):
        return False
    d = flt.deadline
    if d != DeadlineFilter.ANY and not _deadline_matches(row, d, today, year):
        return False
    if terms:
        hay = _search_text(row)
        if not all(t in hay for t in terms):
            return False
    return True


def apply_filter(rows: Iterable[TaskRow], flt: TaskFilter, today: dt.date | None = None,
                 year: int | None = None) -> tuple[set[int], set[int]] | None:
    """Return ``(shown_ids, matched_ids)`` for ``rows`` in pre-order, or None when nothing is filtered.

    ``shown_ids`` is the matches plus all their ancestors (the tree context). ``year``: the notice's
    年度 (全年 and recurring deadlines).
    """
    if flt.is_empty():
        return None
    today = today or dt.date.today()
    terms = [t for t in flt.text.casefold().split() if t]
    rows = list(rows)
    parent_of = {r.id: r.parent_id for r in rows}
    # the units in force (``tracking.rules``: own, else both lists of the nearest ancestor naming any)
    tree = rules.TaskTree(rows, year) if flt.no_unit or flt.unit_names else None
    matched: set[int] = set()
    shown: set[int] = set()
    for r in rows:
        units = tree.names(r) if tree is not None else []
        if flt.no_unit and (r.child_count or units):
            continue
        if _matches(r, flt, terms, today, year, units):
            matched.add(r.id)
            node: int | None = r.id
            while node is not None and node not in shown:
                shown.add(node)
                node = parent_of.get(node)
    return shown, matched
