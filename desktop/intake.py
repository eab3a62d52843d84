"""Turns a parsed notice into the notice fields and task rows the ledger stores.

Plain data in, plain data out: the importer knows nothing of storage and storage nothing of the
parser; this is the one place where the two shapes meet.
"""
from __future__ import annotations

import re
from typing import Any

from desktop.domain import section_path, section_text
from desktop.importing.parse.patterns import match_enum


def _bare(heading: str) -> str:
    """A heading without its number (一、 (一) 1. (1) …, read by the importer's own patterns) or final 。."""
    found = match_enum(heading)
    return (heading[found.end:] if found else heading).rstrip("。").strip()


def ledger_rows(parsed: Any, source_name: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(notice fields, task rows)`` for ``Ledger.create_notice_with_tasks``.

    An item whose own heading ends its section path (嵩明 "(一)调整完善标准目录" → one task of that
    title) becomes one row, not a heading holding a single row; a heading shared by several rows
    (an item split at its attributions) stays a heading above them.
    """
    meta = {
        "title": parsed.title or "（无标题通知）",
        "doc_number": parsed.doc_number,
        "issuer": parsed.issuer,
        "date": parsed.date,
        "year": parsed.year,
        "recipients": parsed.recipients,
        "source_name": source_name,
        "source_text": parsed.source_text,
    }
    sections = [t.section or "" for t in parsed.tasks]
    rows = []
    for i, t in enumerate(parsed.tasks):
        path = [p.strip() for p in section_path(sections[i])]
        shared = sections.count(sections[i]) > 1
        if path and not shared and _bare(path[-1]) == (t.title or "").rstrip("。").strip():
            path = path[:-1]
        span = getattr(t, "source_span", None) or (None, None)
        rows.append({
            "section": section_text(path),
            "title": t.title or "",
            "text": t.text or "",
            "lead_units": list(t.lead_units),
            "units": list(t.units),
            "deadline_text": t.deadline or "",
            "due_date": t.due_date,
            "deadline_kind": t.deadline_kind,
            "source_start": span[0],
            "source_end": span[1],
        })
    return meta, rows


def nested_rows(rows: list[Any]) -> list[dict[str, Any]]:
    """A notice's tree (``Ledger.tasks()`` rows in pre-order) as nested task dicts with ``children``,
    the shape ``create_notice_with_tasks`` takes: how the import window hands the reviewed table over."""
    from desktop.domain import TASK_FIELDS

    made: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for r in rows:
        item = {name: getattr(r, name) for name in TASK_FIELDS}
        item.update(lead_units=list(r.lead_units), units=list(r.units), source_start=r.source_start,
                    source_end=r.source_end, children=[])
        made[r.id] = item
        (made[r.parent_id]["children"] if r.parent_id in made else roots).append(item)
    return roots


# --- the clerk's reading of a table, remembered under its header's labels ------------------------

def header_labels(grid: Any) -> list[str] | None:
    """The labels a table's reading is remembered under: the cells of its header row (``TableGrid``),
    whitespace removed; None when the table was read without a header (nothing to remember it by)."""
    if not grid.header_row or grid.header_row > len(grid.rows):
        return None
    labels = [re.sub(r"\s+", "", c or "") for c in grid.rows[grid.header_row - 1]]
    return labels if any(labels) else None


def remembered_reading(tables: list[Any], maps: list[tuple[list[str], list[str]]], table: int | None = None,
                       header_row: int | None = None) -> tuple[int, int, list[str], list[str]] | None:
    """Where a remembered setting (``Ledger.column_maps()``) fits the notice's tables: (1-based table, its
    1-based header row, the labels, the roles) of the first row, in table order, whose cells are the
    remembered labels; None when no table has such a row. ``table``/``header_row`` restrict the search to
    that table / that row (0: no header row, so nothing can fit)."""
    known = {tuple(labels): roles for labels, roles in maps}
    if not known or header_row == 0:
        return None
    for k, grid in enumerate(tables, 1):
        if table is not None and k != table:
            continue
        for r, row in enumerate(grid.rows, 1):
            if header_row is not None and r != header_row:
                continue
            labels = tuple(re.sub(r"\s+", "", c or "") for c in row)
            if any(labels) and labels in known:
                return k, r, list(labels), list(known[labels])
    return None


def describe_columns(labels: list[str], roles: list[str]) -> str:
    """``序号：序号，重点任务：分组，…`` — each column's label (or its place) with the role it is read as."""
    from desktop.importing.parse.columns import NAME_OF

    parts = []
    for c, role in enumerate(roles):
        label = labels[c] if c < len(labels) and labels[c] else f"第{c + 1}列"
        parts.append(f"{label}：{NAME_OF.get(role, role)}")
    return "，".join(parts)
