"""Status rules: which statuses count as done/open, the 完成日期 rule, and a parent's derived progress.

- 已完成 always has a 完成日期 (today when none is given); any other status has none.
- 不适用 leaves the count altogether (neither done nor open); 暂缓 is open but never overdue.
- A parent's progress is derived from its leaves (done/total, 不适用 excluded), never stored.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from desktop.domain import Status, TaskRow

DONE = Status.DONE
COUNTED = frozenset(s for s in Status if s is not Status.NOT_APPLICABLE)  # in totals
OPEN = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.PAUSED})
CAN_BE_OVERDUE = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS})  # 暂缓: the deadline is on hold


def settle(old_status: Status, old_done_on: dt.date | None, fields: Mapping[str, Any],
           today: dt.date | None = None) -> dict[str, Any]:
    """``fields`` (already typed: Status, date) with the 完成日期 rule applied.

    The resulting status is ``fields['status']`` or the old one. If it is 已完成 the done date is the
    one given, else the old one, else ``today``; otherwise it is None. ``done_on`` is added to the
    result only when it differs from ``old_done_on`` or was given."""
    out = dict(fields)
    if "status" not in fields and "done_on" not in fields:
        return out
    status = fields.get("status", old_status)
    if status == DONE:
        done_on = fields.get("done_on") or old_done_on or (today or dt.date.today())
    else:
        done_on = None
    if "done_on" in fields or done_on != old_done_on:
        out["done_on"] = done_on
    return out


def progress_of(rows: Iterable[TaskRow]) -> dict[int, tuple[int, int]]:
    """(done, total) for every node that has children, counting the leaves below it; 不适用
    leaves are left out of both. ``rows`` is one notice's tree (any order)."""
    rows = list(rows)
    parent = {r.id: r.parent_id for r in rows}
    out: dict[int, list[int]] = {r.id: [0, 0] for r in rows if r.child_count}
    for r in rows:
        if r.child_count or r.status not in COUNTED:
            continue
        done = r.status == DONE
        p = r.parent_id
        while p is not None:
            counts = out.get(p)
            if counts is not None:
                counts[0] += done
                counts[1] += 1
            p = parent.get(p)
    return {k: (v[0], v[1]) for k, v in out.items()}


def progress_text(done: int, total: int) -> str:
    """'3/5' as the table shows it."""
    return f"{done}/{total}"
