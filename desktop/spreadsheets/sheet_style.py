"""Cell styles, safe text cells, column widths and row heights for the workbooks NoticeDesk writes.

Styles are built once per workbook (``Styles``) and copied onto cells as style arrays: assigning
``font``/``border``/``alignment`` objects cell by cell costs several times as much on 5,000-row sheets.
Text goes in through ``put`` only: it is always stored as text (``data_type 's'``), and text that Excel
would take for a formula (= + - @) also gets the quote prefix, so no cell is ever evaluated.

Sizes: Excel measures column widths in characters of the default font (宋体 11 here: 7 px each at 96 dpi)
and row heights in points; CJK characters are one em wide, others half (``layout.text_em``'s rule).
"""
from __future__ import annotations

import copy
import math

from desktop.documents import layout

FONT_BODY = "宋体"
FONT_HEAD = "黑体"
FONT_KAI = "楷体"
SIZE_BODY = 11.0
SIZE_TITLE = 20.0  # 2号 is 22 pt; the sheet is scaled to the page width when printed
SIZE_SUB = 12.0
LINE_FACTOR = 1.32  # line pitch / font size of 宋体 in Excel, WPS and LibreOffice
CELL_PAD_PT = 4.0  # top + bottom room of a wrapped cell
INSET_PT = 7.0  # left + right text inset of a cell, with room for a hanging mark
PX_PER_CHAR = 7.0  # 宋体 11 digit width at 96 dpi, the unit of column widths (see new_workbook)
MAX_ROW_PT = 409.0  # Excel's limit

# A4 landscape, margins in inches (Excel's "normal" margins narrowed left/right for wide tables).
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.7, "header": 0.3, "footer": 0.3}
PRINT_WIDTH_PT = (297 / 25.4 - MARGINS["left"] - MARGINS["right"]) * 72
FOOTER = "第 &P 页 共 &N 页"
FORMULA_START = ("=", "+", "-", "@")


def width_chars(pt: float) -> float:
    """Excel column width (characters) for a column ``pt`` points wide."""
    return round(pt * 96 / 72 / PX_PER_CHAR, 2)


def text_lines(text: str, width_pt: float, size: float = SIZE_BODY) -> int:
    """Lines ``text`` wraps into in a cell ``width_pt`` wide (hard line breaks kept)."""
    if not text:
        return 1
    avail = max(1.0, (width_pt - INSET_PT) / size)
    n = 0
    for line in text.split("\n"):
        chars, size_b = len(line), len(line.encode("utf-8"))
        em = chars / 2 + (size_b - chars) / 4
        # a line broken between words or before a closing mark wastes part of its last em: 6 % spare
        n += max(1, math.ceil(em * 1.06 / avail - 1e-9))
    return n


def row_height(lines: int, size: float = SIZE_BODY) -> float:
    return min(MAX_ROW_PT, round(lines * size * LINE_FACTOR + CELL_PAD_PT, 2))


def put(ws, row: int, col: int, text: str | None, style=None):
    """Write ``text`` as a text cell (never a formula) with a style array from ``Styles``; returns the cell."""
    cell = ws.cell(row=row, column=col)
    if text:
        cell._value = text
        cell.data_type = "s"
    if style is not None:
        cell._style = copy.copy(style)
        if text and text.startswith(FORMULA_START):
            cell._style.quotePrefix = 1
    elif text and text.startswith(FORMULA_START):
        cell._style.quotePrefix = 1
    return cell


def cell_text(value) -> str:
    """What a unit sees in a cell, as text: a formula stays its text, numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def new_workbook():
    """An empty Workbook whose default font (the unit of column widths) is 宋体 11, not Calibri: WPS on the
    domestic Linux desktops has no Calibri, and with a substitute the columns come out a third wider."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    wb = openpyxl.Workbook()
    normal = Font(name=FONT_BODY, size=SIZE_BODY, family=3, charset=134)
    wb._fonts = IndexedList([normal])
    wb._named_styles["Normal"].font = normal
    return wb


class Styles:
    """The style arrays of one workbook, by name: title, sub, label, head, section1/2/3, body, center,
    and the feedback sheet's unlocked 'edit' / 'edit_center' / 'edit_date'."""

    def __init__(self, wb) -> None:
        from openpyxl.cell.cell import Cell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        ws = wb.active
        thin = Side(style="thin", color="000000")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = {"wrap_text": True, "vertical": "center"}
        head_fill = PatternFill("solid", fgColor="F2F2F2")
        edit_fill = PatternFill("solid", fgColor="FFF9E5")
        specs = {
            "title": (Font(name=FONT_BODY, size=SIZE_TITLE, bold=True), Alignment(horizontal="center", **wrap), None, None),
            "sub": (Font(name=FONT_KAI, size=SIZE_SUB), Alignment(horizontal="center", **wrap), None, None),
            "label": (Font(name=FONT_HEAD, size=SIZE_SUB), Alignment(horizontal="left", **wrap), None, None),
            "head": (Font(name=FONT_HEAD, size=SIZE_BODY), Alignment(horizontal="center", **wrap), box, head_fill),
            "section1": (Font(name=FONT_HEAD, size=SIZE_BODY), Alignment(horizontal="left", **wrap), box, None),
            "section2": (Font(name=FONT_KAI, size=SIZE_BODY, bold=True), Alignment(horizontal="left", **wrap), box, None),
            "section3": (Font(name=FONT_BODY, size=SIZE_BODY, bold=True), Alignment(horizontal="left", **wrap), box, None),
            "body": (Font(name=FONT_BODY, size=SIZE_BODY), Alignment(horizontal="left", **wrap), box, None),
            "center": (Font(name=FONT_BODY, size=SIZE_BODY), Alignment(horizontal="center", **wrap), box, None),
            "edit": (Font(name=FONT_BODY, size=SIZE_BODY), Alignment(horizontal="left", **wrap), box, edit_fill),
            "edit_center": (Font(name=FONT_BODY, size=SIZE_BODY), Alignment(horizontal="center", **wrap), box, edit_fill),
            "edit_date": (Font(name=FONT_BODY, size=SIZE_BODY), Alignment(horizontal="center", **wrap), box, edit_fill),
        }
        self.arrays = {}
        for name, (font, align, border, fill) in specs.items():
            c = Cell(ws, row=1, column=1)
            c.font, c.alignment = font, align
            if border is not None:
                c.border = border
            if fill is not None:
                c.fill = fill
            if name.startswith("edit"):
                c.protection = Protection(locked=False)
                c.number_format = "yyyy-mm-dd" if name == "edit_date" else "@"
            self.arrays[name] = copy.copy(c._style)

    def __getitem__(self, name: str):
        return self.arrays[name]


def page_setup(ws, header_row: int | None, last_col: int) -> None:
    """A4 landscape, fit to one page wide, header row repeated on every page, page numbers in the footer."""
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 10
    ws.evenFooter.center.text = FOOTER
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.freeze_panes = f"A{header_row + 1}"
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(ws.max_row, 1)}"


def widths_fit(columns: list[layout.ColumnSpec], rows: list[list[str]], total: float = PRINT_WIDTH_PT) -> list[float]:
    """Column widths in pt filling ``total``: the documents' own fitting (``layout.column_widths``)."""
    return layout.column_widths(columns, rows, total)


def merge(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    """``ws.merge_cells`` without its costs: cells already styled keep their borders (no re-formatting) and
    ranges are not checked against each other (callers never overlap them). openpyxl's own check is
    quadratic in the number of merges: 10 s for a 5,000-row table."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    mcr = MergedCellRange(ws, f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
    ws.merged_cells.ranges.add(mcr)
    cells = ws._cells
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            if r == r1 and c == c1:
                continue
            old = cells.get((r, c))
            m = MergedCell(ws, r, c)
            if old is not None:
                m._style = copy.copy(old._style)
            cells[r, c] = m
