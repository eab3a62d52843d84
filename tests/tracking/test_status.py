"""Status rules: the 完成日期 rule and a parent's progress derived from its leaves."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import Status, TaskRow
from desktop.tracking.status import progress_of, progress_text, settle

D = dt.date
TODAY = D(2024, 5, 20)


@pytest.mark.parametrize("old, fields, expected", [
    # marking done: the date given, else the stored one, else today
    ((Status.IN_PROGRESS, None), {"status": Status.DONE}, {"status": Status.DONE, "done_on": TODAY}),
    ((Status.IN_PROGRESS, None), {"status": Status.DONE, "done_on": D(2024, 5, 1)},
     {"status": Status.DONE, "done_on": D(2024, 5, 1)}),
    ((Status.DONE, D(2024, 4, 2)), {"status": Status.DONE}, {"status": Status.DONE}),
    ((Status.DONE, D(2024, 4, 2)), {"done_on": None}, {"done_on": D(2024, 4, 2)}),  # required while done
    ((Status.DONE, D(2024, 4, 2)), {"done_on": D(2024, 4, 9)}, {"done_on": D(2024, 4, 9)}),
    # leaving 已完成 clears the date, whatever was given
    ((Status.DONE, D(2024, 4, 2)), {"status": Status.PAUSED}, {"status": Status.PAUSED, "done_on": None}),
    ((Status.DONE, D(2024, 4, 2)), {"status": Status.NOT_APPLICABLE, "done_on": D(2024, 4, 3)},
     {"status": Status.NOT_APPLICABLE, "done_on": None}),
    ((Status.NOT_STARTED, None), {"done_on": D(2024, 4, 3)}, {"done_on": None}),
    # fields without status or date pass untouched
    ((Status.NOT_STARTED, None), {"title": "x"}, {"title": "x"}),
    ((Status.IN_PROGRESS, None), {"status": Status.NOT_STARTED}, {"status": Status.NOT_STARTED}),
])
def test_settle(old, fields, expected):
    assert settle(*old, fields, today=TODAY) == expected


def row(tid: int, parent: int | None, status: Status = Status.NOT_STARTED, kids: int = 0) -> TaskRow:
    return TaskRow(id=tid, notice_id=1, parent_id=parent, position=0, status=status, child_count=kids)


def test_progress_counts_leaves_and_leaves_out_not_applicable():
    rows = [
        row(1, None, kids=5),
        row(2, 1, Status.DONE), row(3, 1, Status.DONE), row(4, 1, Status.NOT_APPLICABLE),
        row(5, 1, Status.PAUSED),
        row(6, 1, Status.DONE, kids=2),  # a parent's own status does not count
        row(7, 6, Status.DONE), row(8, 6, Status.IN_PROGRESS),
        row(9, None, kids=1), row(10, 9, Status.NOT_APPLICABLE),
        row(11, None, Status.DONE),
    ]
    progress = progress_of(rows)
    assert progress == {1: (3, 5), 6: (1, 2), 9: (0, 0)}
    assert progress_text(*progress[1]) == "3/5"
