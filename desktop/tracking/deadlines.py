"""Due-date rules per deadline kind, as of a given ``today``: the date in force and whether it has passed.

=============  ===============================================================================
kind           due date in force (``due_of``) and overdue (``is_overdue``)
=============  ===============================================================================
revised        any kind whose deadline was revised (``row.revised_at`` set): the revised
               ``due_date``; overdue the day after it.
date           ``due_date`` (9月底前 → Sep 30); overdue the day after it.
year_round     全年: ``due_date`` as imported, else Dec 31 of the notice year; overdue after it.
long_term      长期坚持 / 持续推进: no due date, never overdue.
recurring      每月 / 每季度 / 每半年 / 每年（至少1次）: the period is read from the printed text
               (``period_of``). Due: the end of the current period (month, quarter, half-year or
               year end), or of the next one once the current period already has a progress-log
               entry (``row.progress_on`` in it). Overdue: the previous period has ended and no
               progress-log entry is dated on or after its start (a late entry still counts);
               periods that end before the notice year began are not asked for.
none           no deadline: the ``due_date`` a clerk typed, if any; else none, never overdue.
=============  ===============================================================================

Only 未开始 / 推进中 tasks can be overdue (``status.CAN_BE_OVERDUE``); the due date is still shown for
the others. ``days`` in ``Due`` counts calendar days: how late (overdue) or how many left.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desktop.domain import DeadlineKind, TaskRow
from desktop.tracking.status import CAN_BE_OVERDUE

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
_MONTHS_IN = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
_MONTHLY = re.compile(r"每月|每个月|按月|月度|逐月")


def period_of(deadline_text: str) -> str:
    """The period of a recurring deadline as printed: 每半年 → half, 每季度 → quarter, 每月 → month,
    anything else (每年, 每年至少1次, 年度) → year."""
    text = deadline_text or ""
    if "半年" in text:
        return HALF
    if "季" in text:
        return QUARTER
    if _MONTHLY.search(text):
        return MONTH
    return YEAR


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def period_bounds(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the month / quarter / half-year / year containing ``day``."""
    n = _MONTHS_IN[period]
    first_month = (day.month - 1) // n * n + 1
    return dt.date(day.year, first_month, 1), _month_end(day.year, first_month + n - 1)


@dataclass(frozen=True)
class Due:
    """The due date in force as of ``today`` and where the task stands against it."""

    date: dt.date | None
    overdue: bool = False
    days: int = 0  # overdue: days late (≥ 1); else days left until ``date`` (0 = due today)


def is_revised(row: TaskRow) -> bool:
    return row.revised_at is not None


def due_of(row: TaskRow, today: dt.date, year: int | None = None) -> Due:
    """The due date of ``row`` in force on ``today`` (``year``: the notice's 年度, for 全年 and
    recurring tasks). See the module docstring for the rules."""
    kind = row.deadline_kind
    if is_revised(row) or kind == DeadlineKind.DATE or kind == DeadlineKind.NONE:
        return _fixed(row, row.due_date, today)
    if kind == DeadlineKind.YEAR_ROUND:
        date = row.due_date or (dt.date(year, 12, 31) if year else None)
        return _fixed(row, date, today)
    if kind == DeadlineKind.RECURRING:
        return _recurring(row, today, year)
    return Due(None)  # long_term


def is_overdue(row: TaskRow, today: dt.date, year: int | None = None) -> bool:
    return due_of(row, today, year).overdue


def _fixed(row: TaskRow, date: dt.date | None, today: dt.date) -> Due:
    if date is None:
        return Due(None)
    if date < today and row.status in CAN_BE_OVERDUE:
        return Due(date, True, (today - date).days)
    return Due(date, False, (date - today).days)


def _recurring(row: TaskRow, today: dt.date, year: int | None) -> Due:
    period = period_of(row.deadline_text)
    start, end = period_bounds(today, period)
    prev_start, prev_end = period_bounds(start - dt.timedelta(days=1), period)
    logged = row.progress_on
    if logged is not None and logged >= start:  # this period is reported: the next one is due
        end = period_bounds(end + dt.timedelta(days=1), period)[1]
    asked = year is None or prev_end.year >= year
    if asked and row.status in CAN_BE_OVERDUE and (logged is None or logged < prev_start):
        return Due(end, True, (today - prev_end).days)
    return Due(end, False, (end - today).days)
