"""A spreadsheet's sheet as the readers give it (one Table, ``sheet`` set): where its header row is.

The header row is found by its labels (序号, 任务名称, 具体内容, 牵头单位, 责任单位, 完成时限 …,
``columns.is_header``) within the first ``HEADER_SEARCH_ROWS`` rows; the rows above it (the sheet's
title, 填报单位 …) become paragraphs before the table. This runs first, before anything else reads the
blocks, so a sheet reads as if its title had been a paragraph all along. ``list_sheets`` names the
sheets of a workbook that look like task tables, for the import window to offer when there are several.
"""
from __future__ import annotations

from ..model import Table
from .columns import is_header

HEADER_SEARCH_ROWS = 60


def header_row(rows: list[list[str]]) -> int | None:
    """Index of the header row among the first ``HEADER_SEARCH_ROWS`` rows, or None."""
    return next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if is_header(row)), None)


def lift_sheet_titles(blocks: list) -> list:
    """The blocks with each sheet's title rows (above its header row) made paragraphs before its table;
    an .xls sheet's rows are then padded to one width."""
    out: list = []
    for b in blocks:
        if not isinstance(b, Table) or not b.sheet:
            out.append(b)
            continue
        rows = b.rows
        h = header_row(rows)
        if h:
            out += ["  ".join(dict.fromkeys(c.strip() for c in row if c.strip())) for row in rows[:h]]
            rows = rows[h:]
        if b.sheet == "xls":
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
        out.append(Table(rows, b.rebuilt, b.index, b.header, b.columns))
    return out


def list_sheets(sheets: list[tuple[str, list[list[str]]]]) -> list[tuple[str, int]]:
    """(name, task rows below the header) of each sheet whose rows have a task-table header row."""
    out = []
    for name, rows in sheets:
        h = header_row(rows)
        if h is not None:
            out.append((name, sum(1 for r in rows[h + 1:] if any(r))))
    return out
