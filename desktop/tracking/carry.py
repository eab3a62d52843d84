"""Rules of carrying a notice forward into a new year (结转): what moves, what is reset.

A task keeps its place in the tree, its texts, units, owner and remark; its printed deadline and due date
move by the number of years between the two notices (``2023年6月底前`` → ``2024年6月底前``; 29 February
becomes 28 February); its status, done date, 落实情况, revised deadline and evidence start afresh.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from desktop.domain import Status

KEPT = ("title", "text", "owner", "remark", "deadline_text", "deadline_kind")
RESET: dict[str, Any] = {"status": Status.NOT_STARTED, "done_on": None, "progress_note": "", "progress_on": None,
                         "original_due_date": None, "revision_reason": "", "revised_at": None,
                         "source_start": None, "source_end": None}


def move_date(d: dt.date | None, years: int) -> dt.date | None:
    if d is None or not years:
        return d
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def move_years_in_text(text: str, old: int | None, new: int) -> str:
    """Years written in ``text`` moved from ``old`` to ``new`` (2023年 → 2024年, 2023-2025 untouched when
    ``old`` is not its start). Only four-digit years equal to ``old`` (and old+1, old+2 … as ranges) move."""
    if not text or old is None or old == new:
        return text
    shift = new - old

    def repl(m: re.Match) -> str:
        y = int(m.group(0))
        return str(y + shift) if old <= y <= old + 5 else m.group(0)

    return re.sub(r"(?<!\d)(?:19|20)\d{2}(?=\s*(?:年|-|—|－|至|/|\.|$))", repl, text)


def carried_title(title: str, old: int | None, new: int) -> str:
    moved = move_years_in_text(title, old, new)
    if moved != title:
        return moved
    return f"{title}（{new}年）"


def carried_values(row: Any, old: int | None, new: int) -> dict[str, Any]:
    """The column values of a task carried from year ``old`` to ``new`` (``row``: a task row with the
    fields of ``KEPT`` and ``due_date``)."""
    years = new - old if old is not None else 0
    out = {k: getattr(row, k) for k in KEPT}
    out["deadline_text"] = move_years_in_text(out["deadline_text"] or "", old, new)
    # a revised deadline is not carried: the year starts from the deadline as printed
    base = row.original_due_date if getattr(row, "revised_at", None) else row.due_date
    out["due_date"] = move_date(base, years)
    out.update(RESET)
    return out
