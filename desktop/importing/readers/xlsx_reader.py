"""Existing decomposition tables in .xlsx: every visible sheet becomes one Table block.

Merged cells are carried down: the value of a merged range is copied into every row of the
range (in its first column); the header row is found later by its labels (序号, 任务名称, 具体内容,
牵头单位, 责任单位, 完成时限 …), wherever it sits.
"""
from __future__ import annotations

import datetime as dt
import io
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


def read_xlsx(data: bytes) -> SourceDocument:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        except Exception as exc:
            raise NoticeReadError("无法读取文件：该文件不是有效的 .xlsx（可能已损坏）。请在 WPS/Excel 中打开后另存为 .xlsx 再导入。") from exc
    blocks: list = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else ""
            for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
                row = rows[r - 1]
                while len(row) < rng.max_col:
                    row.append("")
                row[rng.min_col - 1] = top
                for c in range(rng.min_col + 1, rng.max_col + 1):
                    row[c - 1] = ""
        rows = [r for r in rows if any(r)]
        if rows:
            blocks.append(Table(rows))
    if not blocks:
        raise NoticeReadError("无法读取文件：该 .xlsx 工作簿是空的。请确认任务分解表在工作表中后重新导入。")
    return SourceDocument(blocks, kind="xlsx")
