"""The published layout of tables 二, 三 and 四: every cell with its place, merges and label, as a grid.

One description serves the documents (``desktop.documents.annual_report_doc``) and the window's grids
(``desktop.ui.annual_grid``), so both draw the merged headers exactly like the template in annual-report.md:

* 二 — 4 columns; per block a full-width row (第二十条第（一）项 …), a header row (信息内容 | columns; a
  single value column spans three), then its rows.
* 三 — 10 columns: 3 label columns and 7 value columns. The corner cell (rowspan 3, colspan 3) holds the
  勾稽关系 note; 申请人情况 spans the 7 value columns; 自然人 and 总计 span two header rows; 法人或其他组织
  spans its five kinds. 一、/二、/四、 span the three label columns; 三、本年度办理结果 spans 22 rows, its
  （三）–（六） span their items, （一）（二）（七） span two label columns.
* 四 — 15 columns: 行政复议 (5) | 行政诉讼 (10); 结果维持 … 总计 of 复议 span two header rows; 未经复议直接起诉
  and 复议后起诉 span five columns each over their own 结果维持 … 总计; one data row.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.annual.labels import T2_BLOCKS, T3_COLS, T3_CORNER_NOTE, T3_GROUP, T3_SUBGROUPS, T3_TOP, T4_COLS

HEAD, HEADING, LABEL, VALUE, TOTAL = "head", "heading", "label", "value", "total"


@dataclass(frozen=True)
class GridCell:
    """One cell of the grid. ``kind``: head (column header), heading (二's block rows), label (row label),
    value (an input cell) or total (computed); ``key`` = (row key, column key) for value and total cells."""

    row: int
    col: int
    text: str = ""
    kind: str = LABEL
    rowspan: int = 1
    colspan: int = 1
    key: tuple[str, str] | None = None
    align: str = "center"


@dataclass(frozen=True)
class GridLayout:
    """A table's grid: size, relative column widths, header rows (repeated on each page), cells."""

    table_id: str
    n_rows: int
    n_cols: int
    widths: tuple[float, ...]
    header_rows: int
    cells: tuple[GridCell, ...]


def _t2() -> GridLayout:
    cells: list[GridCell] = []
    r = 0
    for heading, cols, rows in T2_BLOCKS:
        cells.append(GridCell(r, 0, heading, HEADING, colspan=4))
        r += 1
        cells.append(GridCell(r, 0, "信息内容", HEAD))
        span = 3 if len(cols) == 1 else 1
        for i, (_k, label) in enumerate(cols):
            cells.append(GridCell(r, 1 + i, label, HEAD, colspan=span))
        r += 1
        for rkey, label in rows:
            cells.append(GridCell(r, 0, label, LABEL))
            for i, (ckey, _l) in enumerate(cols):
                cells.append(GridCell(r, 1 + i, "", VALUE, colspan=span, key=(rkey, ckey)))
            r += 1
    return GridLayout("T2", r, 4, (0.31, 0.23, 0.23, 0.23), 0, tuple(cells))


def _value_row(r: int, rkey: str, first_col: int = 3) -> list[GridCell]:
    return [GridCell(r, first_col + i, "", TOTAL if ckey == "total" else VALUE, key=(rkey, ckey))
            for i, (ckey, _l) in enumerate(T3_COLS)]


def _t3() -> GridLayout:
    cells = [
        GridCell(0, 0, T3_CORNER_NOTE, HEAD, rowspan=3, colspan=3),
        GridCell(0, 3, "申请人情况", HEAD, colspan=7),
        GridCell(1, 3, "自然人", HEAD, rowspan=2),
        GridCell(1, 4, "法人或其他组织", HEAD, colspan=5),
        GridCell(1, 9, "总计", HEAD, rowspan=2),
    ]
    cells += [GridCell(2, 4 + i, label, HEAD) for i, (_k, label) in enumerate(T3_COLS[1:6])]
    r = 3
    for key in ("new_received", "carried_in"):
        cells.append(GridCell(r, 0, T3_TOP[key], LABEL, colspan=3, align="left"))
        cells += _value_row(r, key)
        r += 1
    group_top = r
    for key in ("granted", "partial"):
        cells.append(GridCell(r, 1, T3_TOP[key], LABEL, colspan=2, align="left"))
        cells += _value_row(r, key)
        r += 1
    for group, glabel, items in T3_SUBGROUPS:
        cells.append(GridCell(r, 1, glabel, LABEL, rowspan=len(items)))
        for k, label in items:
            cells.append(GridCell(r, 2, label, LABEL, align="left"))
            cells += _value_row(r, f"{group}.{k}")
            r += 1
    cells.append(GridCell(r, 1, T3_TOP["total_processed"], LABEL, colspan=2, align="left"))
    cells += [GridCell(r, 3 + i, "", TOTAL, key=("total_processed", ckey)) for i, (ckey, _l) in enumerate(T3_COLS)]
    r += 1
    cells.append(GridCell(group_top, 0, T3_GROUP, LABEL, rowspan=r - group_top))
    cells.append(GridCell(r, 0, T3_TOP["carried_out"], LABEL, colspan=3, align="left"))
    cells += _value_row(r, "carried_out")
    r += 1
    value_w = 0.07  # two characters a line at 五号: the headers wrap like the template's ("商业/企业")
    widths = (0.062, 0.105, 1 - 0.062 - 0.105 - 7 * value_w) + (value_w,) * 7
    return GridLayout("T3", r, 10, widths, 3, tuple(sorted(cells, key=lambda c: (c.row, c.col))))


def _t4() -> GridLayout:
    cells = [GridCell(0, 0, "行政复议", HEAD, colspan=5), GridCell(0, 5, "行政诉讼", HEAD, colspan=10)]
    cells += [GridCell(1, i, label, HEAD, rowspan=2) for i, (_k, label) in enumerate(T4_COLS)]
    cells += [GridCell(1, 5, "未经复议直接起诉", HEAD, colspan=5), GridCell(1, 10, "复议后起诉", HEAD, colspan=5)]
    for base in (5, 10):
        cells += [GridCell(2, base + i, label, HEAD) for i, (_k, label) in enumerate(T4_COLS)]
    for base, rkey in ((0, "review"), (5, "direct"), (10, "after_review")):
        cells += [GridCell(3, base + i, "", TOTAL if ckey == "total" else VALUE, key=(rkey, ckey))
                  for i, (ckey, _l) in enumerate(T4_COLS)]
    return GridLayout("T4", 4, 15, (1.0,) * 15, 3, tuple(sorted(cells, key=lambda c: (c.row, c.col))))


LAYOUTS: dict[str, GridLayout] = {"T2": _t2(), "T3": _t3(), "T4": _t4()}


def format_value(v: int | float | None) -> str:
    """A cell as printed: blank stays blank, 0 is "0", decimals without trailing zeros."""
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)
