"""Due-date rules for every deadline kind, with fixed dates (year ends, quarter boundaries, leap years)."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import DeadlineKind, Status, TaskRow
from desktop.tracking.deadlines import Due, due_of, period_bounds, period_of

D = dt.date
K = DeadlineKind


def task(kind: DeadlineKind, due: dt.date | None = None, text: str = "", status: Status = Status.NOT_STARTED,
         progress_on: dt.date | None = None, revised: bool = False) -> TaskRow:
    return TaskRow(id=1, notice_id=1, parent_id=None, position=0, deadline_kind=kind, due_date=due,
                   deadline_text=text, status=status, progress_on=progress_on,
                   revised_at=dt.datetime(2024, 1, 5, 9, 0) if revised else None)


def test_date_kind_falls_due_on_the_day_and_is_overdue_the_day_after():
    t = task(K.DATE, D(2024, 9, 30), "9月底前")
    assert due_of(t, D(2024, 9, 23)) == Due(D(2024, 9, 30), False, 7)
    assert due_of(t, D(2024, 9, 30)) == Due(D(2024, 9, 30), False, 0)
    assert due_of(t, D(2024, 10, 1)) == Due(D(2024, 9, 30), True, 1)


@pytest.mark.parametrize("status, overdue", [
    (Status.NOT_STARTED, True), (Status.IN_PROGRESS, True), (Status.DONE, False), (Status.PAUSED, False),
    (Status.NOT_APPLICABLE, False)])
def test_only_open_active_tasks_fall_overdue(status, overdue):
    assert due_of(task(K.DATE, D(2024, 3, 31), status=status), D(2024, 6, 1)).overdue is overdue


def test_year_round_falls_due_at_the_end_of_the_notice_year():
    t = task(K.YEAR_ROUND, None, "全年")
    assert due_of(t, D(2024, 12, 31), 2024) == Due(D(2024, 12, 31), False, 0)
    assert due_of(t, D(2025, 1, 1), 2024) == Due(D(2024, 12, 31), True, 1)
    assert due_of(t, D(2024, 2, 29), 2024).days == 306  # leap year: Feb 29 → Dec 31
    assert due_of(t, D(2024, 6, 1), None) == Due(None)  # no year known, no date stored
    assert due_of(task(K.YEAR_ROUND, D(2023, 12, 31), "全年"), D(2024, 1, 1), 2024).date == D(2023, 12, 31)


def test_long_term_never_falls_due():
    t = task(K.LONG_TERM, None, "长期坚持")
    assert due_of(t, D(2030, 1, 1), 2023) == Due(None)
    assert due_of(task(K.LONG_TERM, D(2023, 1, 1), "持续推进"), D(2030, 1, 1), 2023) == Due(None)


def test_none_has_no_due_date_unless_a_clerk_typed_one():
    assert due_of(task(K.NONE), D(2024, 1, 1), 2023) == Due(None)
    assert due_of(task(K.NONE, D(2024, 1, 10)), D(2024, 1, 11)) == Due(D(2024, 1, 10), True, 1)


def test_a_revised_deadline_wins_over_the_kind():
    t = task(K.LONG_TERM, D(2024, 8, 31), "长期坚持", revised=True)
    assert due_of(t, D(2024, 9, 1), 2024) == Due(D(2024, 8, 31), True, 1)
    assert due_of(task(K.YEAR_ROUND, D(2025, 3, 31), "全年", revised=True), D(2025, 1, 2), 2024).overdue is False


@pytest.mark.parametrize("text, period", [
    ("每季度", "quarter"), ("每季度末", "quarter"), ("按季度报送", "quarter"), ("每月", "month"),
    ("每月10日前", "month"), ("按月更新", "month"), ("每半年", "half"), ("每年至少1次", "year"),
    ("每年", "year"), ("", "year")])
def test_period_of(text, period):
    assert period_of(text) == period


@pytest.mark.parametrize("day, period, bounds", [
    (D(2024, 2, 10), "month", (D(2024, 2, 1), D(2024, 2, 29))),  # leap year
    (D(2023, 2, 10), "month", (D(2023, 2, 1), D(2023, 2, 28))),
    (D(1900, 2, 10), "month", (D(1900, 2, 1), D(1900, 2, 28))),  # not a leap year
    (D(2024, 12, 31), "month", (D(2024, 12, 1), D(2024, 12, 31))),
    (D(2024, 3, 31), "quarter", (D(2024, 1, 1), D(2024, 3, 31))),
    (D(2024, 4, 1), "quarter", (D(2024, 4, 1), D(2024, 6, 30))),
    (D(2024, 9, 30), "quarter", (D(2024, 7, 1), D(2024, 9, 30))),
    (D(2024, 10, 1), "quarter", (D(2024, 10, 1), D(2024, 12, 31))),
    (D(2024, 6, 30), "half", (D(2024, 1, 1), D(2024, 6, 30))),
    (D(2024, 7, 1), "half", (D(2024, 7, 1), D(2024, 12, 31))),
    (D(2024, 7, 1), "year", (D(2024, 1, 1), D(2024, 12, 31))),
])
def test_period_bounds(day, period, bounds):
    assert period_bounds(day, period) == bounds


def test_recurring_is_due_at_the_end_of_the_current_period():
    t = task(K.RECURRING, None, "每季度")  # Q4 of 2023 is before the notice year: not asked
    assert due_of(t, D(2024, 2, 29), 2024) == Due(D(2024, 3, 31), False, 31)
    assert due_of(task(K.RECURRING, None, "每月", progress_on=D(2024, 1, 31)), D(2024, 2, 1), 2024) == \
        Due(D(2024, 2, 29), False, 28)
    assert due_of(task(K.RECURRING, None, "每半年"), D(2024, 5, 2), 2024) == Due(D(2024, 6, 30), False, 59)
    assert due_of(task(K.RECURRING, None, "每年至少1次"), D(2024, 5, 2), 2024) == Due(D(2024, 12, 31), False, 243)


def test_recurring_is_overdue_when_the_last_period_passed_without_a_log_entry():
    quarterly = dict(kind=K.RECURRING, text="每季度")
    # Q1 ended on Mar 31 with no entry at all: overdue from Apr 1, counted from the period end
    assert due_of(task(**quarterly), D(2024, 4, 1), 2024) == Due(D(2024, 6, 30), True, 1)
    # an entry in Q1: fine
    assert due_of(task(**quarterly, progress_on=D(2024, 3, 31)), D(2024, 4, 1), 2024).overdue is False
    # an entry in Q4 of the year before does not cover Q1
    assert due_of(task(**quarterly, progress_on=D(2023, 12, 31)), D(2024, 4, 1), 2024).overdue is True
    # a late entry (in Q2) still counts, and Q2 is then reported: the next due date is Sep 30
    assert due_of(task(**quarterly, progress_on=D(2024, 4, 3)), D(2024, 4, 5), 2024) == \
        Due(D(2024, 9, 30), False, 178)
    # a period that ended before the notice year began is not asked for
    assert due_of(task(**quarterly), D(2024, 1, 1), 2024) == Due(D(2024, 3, 31), False, 90)
    assert due_of(task(**quarterly), D(2024, 1, 1), None).overdue is True  # no year: every period counts
    # the year end: reported in Q4 → next due is the end of Q1 of the next year
    assert due_of(task(**quarterly, progress_on=D(2024, 12, 1)), D(2024, 12, 31), 2024) == \
        Due(D(2025, 3, 31), False, 90)
    assert due_of(task(**quarterly, status=Status.PAUSED), D(2024, 4, 1), 2024).overdue is False
