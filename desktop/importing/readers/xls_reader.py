"""Old Excel workbooks (.xls, Excel 97–2003; a WPS .et saved in the same binary format) read with
python-calamine (Rust calamine: no Excel, no LibreOffice needed).

The same reading as an .xlsx (``xlsx_reader``): every visible sheet (or the one chosen) becomes one
Table, a merged range's value is carried down its rows in its first column; the parser lifts the
title lines above the header row (``parse.sheets``).
"""
from __future__ import annotations

import datetime as dt
import io

from ..errors import NoticeReadError
from ..model import SourceDocument, Table
from .xlsx_reader import _cell

DAMAGED = "无法读取文件：该文件不是有效的 .xls 表格（可能已损坏）。请在 WPS/Excel 中打开后另存为 .xlsx 再导入。"
ENCRYPTED = "无法读取文件：该表格设置了打开密码（已加密）。请在 WPS/Excel 中输入密码打开，取消密码后另存为 .xlsx 再导入。"
MAX_CELLS = 2_000_000


def _value(v) -> str:
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    if isinstance(v, dt.timedelta):
        return str(v)
    return _cell(v)


def read_xls(data: bytes, sheet: str | None = None, kind: str = "xls") -> SourceDocument:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise NoticeReadError(ENCRYPTED) from None
    except Exception:
        raise NoticeReadError(DAMAGED) from None
    try:
        names = [m.name for m in wb.sheets_metadata]
        if sheet is not None and sheet not in names:
            raise NoticeReadError(f"无法读取文件：工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(names)}）。"
                                  "请检查工作表名称后重新导入。")
        blocks: list = []
        for meta in wb.sheets_metadata:
            wanted = meta.name == sheet if sheet is not None else meta.visible == pc.SheetVisibleEnum.Visible
            if not wanted:
                continue
            try:
                ws = wb.get_sheet_by_name(meta.name)
            except Exception:
                raise NoticeReadError(DAMAGED) from None
            if ws.height * max(ws.width, 1) > MAX_CELLS:
                raise NoticeReadError(f"无法读取文件：工作表“{meta.name}”有 {ws.height} 行 × {ws.width} 列，远超一份任务表。"
                                      "请只保留任务表后另存为 .xlsx 再导入。")
            # rows and columns from A1, so the merged ranges' (0-based, absolute) coordinates line up
            rows = [[_value(v) for v in row] for row in ws.to_python(skip_empty_area=False)]
            for (r1, c1), (r2, c2) in ws.merged_cell_ranges or []:
                if r1 >= len(rows):
                    continue
                first = rows[r1]
                top = first[c1] if c1 < len(first) else ""
                for r in range(r1, min(r2, len(rows) - 1) + 1):
                    row = rows[r]
                    while len(row) <= c2:
                        row.append("")
                    row[c1] = top
                    for c in range(c1 + 1, c2 + 1):
                        row[c] = ""
            rows = [r for r in rows if any(c.strip() for c in r)]
            if rows:
                blocks.append(Table(rows, sheet="xls"))
    finally:
        wb.close()
    if not blocks:
        raise NoticeReadError("无法读取文件：该表格是空的。请确认任务分解表在工作表中后重新导入。")
    return SourceDocument(blocks, kind=kind)
