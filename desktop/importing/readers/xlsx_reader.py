"""Existing decomposition tables in .xlsx: every visible sheet (or the one chosen) becomes one Table block.

Merged cells are carried down: the value of a merged range is copied into every row of the
range (in its first column). Each sheet's Table is marked ``sheet="xlsx"``: finding its header row
by the labels and lifting the rows above it (the sheet's title, 填报单位 …) is the parser's
(``parse.sheets``), as is ``list_sheets``; ``sheet_rows`` gives it the rows of the visible sheets.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings

from ..errors import NoticeReadError
from ..model import SourceDocument, Table


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    return str(v).strip()


DAMAGED = "无法读取文件：该文件不是有效的 .xlsx（可能已损坏）。请在 WPS/Excel 中打开后另存为 .xlsx 再导入。"


def _load(data: bytes, read_only: bool = False):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=read_only)
        except Exception as exc:
            raise NoticeReadError(DAMAGED) from exc


def sheet_rows(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """(name, rows) of each visible sheet, in workbook order (no merged ranges carried down)."""
    wb = _load(data, read_only=True)
    try:
        return [(ws.title, [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)])
                for ws in wb.worksheets if ws.sheet_state == "visible"]
    finally:
        wb.close()


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of the sheet's merged ranges. A read-only sheet does not parse
    them, so they are read from its XML (openpyxl's own merge bookkeeping is quadratic: ~6 s at 5,000 rows)."""
    from openpyxl.utils import column_index_from_string as col

    with ws._get_source() as src:  # the sheet's XML part in the archive
        xml = src.read()
    out = []
    for c1, r1, c2, r2 in _MERGE.findall(xml):
        c2, r2 = c2 or c1, r2 or r1
        out.append((int(r1), col(c1.decode()), int(r2), col(c2.decode())))
    return out


def read_xlsx(data: bytes, sheet: str | None = None) -> SourceDocument:
    wb = _load(data, read_only=True)
    try:
        return _read(wb, sheet)
    finally:
        wb.close()


def _read(wb, sheet: str | None) -> SourceDocument:
    if sheet is not None and sheet not in wb.sheetnames:
        raise NoticeReadError(f"无法读取文件：工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(wb.sheetnames)}）。"
                              "请检查工作表名称后重新导入。")
    blocks: list = []
    for ws in wb.worksheets:
        wanted = ws.title == sheet if sheet is not None else ws.sheet_state == "visible"
        if not wanted:
            continue
        ws.reset_dimensions()  # a wrong <dimension> written by some programs must not cut rows off
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for min_row, min_col, max_row, max_col in _merged_ranges(ws):
            if min_row - 1 >= len(rows):
                continue
            first = rows[min_row - 1]
            top = first[min_col - 1] if min_col - 1 < len(first) else ""
            for r in range(min_row, min(max_row, len(rows)) + 1):
                row = rows[r - 1]
                while len(row) < max_col:
                    row.append("")
                row[min_col - 1] = top
                for c in range(min_col + 1, max_col + 1):
                    row[c - 1] = ""
        rows = [r for r in rows if any(r)]
        if rows:
            blocks.append(Table(rows, sheet="xlsx"))
    if not blocks:
        raise NoticeReadError("无法读取文件：该 .xlsx 工作簿是空的。请确认任务分解表在工作表中后重新导入。")
    return SourceDocument(blocks, kind="xlsx")
