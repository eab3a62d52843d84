"""Writing the statistics view out: .xlsx (openpyxl, imported on first use) and .csv (UTF-8 with BOM).

Text cells are always text: in .xlsx a value starting with "=" is stored as a string, never as a
formula; in .csv such a value gets a leading apostrophe so a spreadsheet does not evaluate it.
Numbers stay numbers.
"""
from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from desktop.storage.ledger import LedgerError

Cell = str | int | float | None
_FORMULA_START = ("=", "+", "-", "@")


def write_xlsx(path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """One sheet: the title in A1, the headers in row 3, the rows below."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "完成情况统计"
    _put(ws, 1, 1, title).font = Font(bold=True, size=13)
    for c, h in enumerate(headers, start=1):
        _put(ws, 3, c, h).font = Font(bold=True)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value)
    ws.column_dimensions["A"].width = 30
    for letter in "BCDEFGHIJ":
        ws.column_dimensions[letter].width = 11
    ws.freeze_panes = "A4"
    try:
        wb.save(path)
    except OSError as e:
        raise LedgerError(f"无法写入文件 {path.name}：{e.strerror or e}") from e


def _put(ws, row: int, col: int, value: Cell):
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # "=…" stays text
    return cell


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """Headers and rows, UTF-8 with a BOM (Excel on Chinese Windows reads it right)."""
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow([_csv_text(h) for h in headers])
            for row in rows:
                w.writerow([_csv_text(v) for v in row])
    except OSError as e:
        raise LedgerError(f"无法写入文件 {path.name}：{e.strerror or e}") from e


def _csv_text(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
