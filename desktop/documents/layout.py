"""Every number of the official layout (GB/T 9704-2012), in one place, read by both the .docx and the .pdf writer.

Lengths are in points unless the name ends in ``_MM``; ``mm(x)`` converts. Font sizes are the 号 of the
standard (see ``HAO``). The numbers and their sources are in ../shared/docs/official-format.md.
"""
from __future__ import annotations

from dataclasses import dataclass

MM_PER_PT = 25.4 / 72


def mm(x: float) -> float:
    """Millimetres → points."""
    return x / MM_PER_PT


# 号 → pt (doc §1.2). docx stores half-points: 三号 = sz 32.
HAO = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
    "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5,
}
SIZE_TITLE = HAO["二号"]  # 标题 2号小标宋
SIZE_BODY = HAO["三号"]  # 正文 3号仿宋, 附件 label 3号黑体
SIZE_PAGE_NUMBER = HAO["四号"]  # 页码 4号半角宋体
SIZE_TABLE = HAO["小四"]  # table cells (practice: 仿宋 四号/小四, header 黑体)


@dataclass(frozen=True)
class Margins:
    """Page margins in mm."""

    top: float
    bottom: float
    left: float
    right: float


PAGE_SHORT_MM, PAGE_LONG_MM = 210.0, 297.0  # A4
TYPE_AREA_W_MM, TYPE_AREA_H_MM = 156.0, 225.0  # 版心 (portrait)
# Portrait: 天头 37, 订口 28 (std 5.2.1); bottom and right derived (297−37−225, 210−28−156).
PORTRAIT = Margins(top=37, bottom=35, left=28, right=26)
# Landscape table pages keep the 版心 turned 90° clockwise (clause 8: the table head towards the 订口
# side of the portrait page): portrait left → top, right → bottom, bottom → left, top → right. The page
# number therefore sits in the 35 mm left margin, 7 mm off the 版心 (doc §1.3 "x ≈ 28 mm" from the left edge).
LANDSCAPE = Margins(top=PORTRAIT.left, bottom=PORTRAIT.right, left=PORTRAIT.bottom, right=PORTRAIT.top)

LINE_PITCH = 28.95  # pt: 22 lines fill 225 mm without a 23rd (doc §1.1, "实务推导")
LINE_PITCH_TWIPS = 579
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 28 × 16 pt = 448 pt > 156 mm = 442.2 pt: body characters are set 0.25 pt tighter (GONGWEN's choice).
BODY_CHAR_SPACING = -0.25
INDENT_CHARS = 2  # 每段左空二字

# Page numbers "— N —" (clause 7.5): 4号宋体, 一字线 7 mm below the 版心, odd right / even left, 空一字.
PAGE_NUMBER_DASH = "\u2014"
PAGE_NUMBER_GAP_MM = 7.0
PAGE_NUMBER_INDENT = SIZE_PAGE_NUMBER  # 空一字 = one 4号 character
DASH_HEIGHT_EM = 0.35  # the em dash sits ~0.35 em above the baseline
FOOTER_DISTANCE_MM = 24.7  # docx footer distance giving the 7 mm (GONGWEN's calibration)
HEADER_DISTANCE_MM = 15.0
# docx landscape page number: a 1-cell floating table in the header, text rotated clockwise (tbRl).
ROTATED_NUMBER_BOX_W_MM = 7.0  # across the text line, right edge at the 一字线 (+ half a glyph)
ROTATED_NUMBER_BOX_H_MM = 30.0  # along the text

# Attachment page (clause 7.3.7): "附件" 3号黑体 line 1 top-left, title 2号小标宋 centred on line 3.
ATTACHMENT_LABEL_LINE = 1
TITLE_LINE = 3
TITLE_MAX_CHARS_PER_LINE = 22  # long titles break into centred lines (梯形/菱形 is left to the clerk)

# Tables: 仿宋 小四 cells, 黑体 header and top-level section rows, 楷体 second-level rows.
TABLE_FONT_SIZE = SIZE_TABLE
TABLE_LEADING = 16.0  # exact line spacing of a cell line, pt
TABLE_PAD_X = 4.0  # cell padding left/right, pt (≥ the hanging room a closing mark could need)
TABLE_PAD_Y = 3.0  # cell padding top/bottom, pt
TABLE_BORDER = 0.5  # pt
TABLE_GAP_AFTER_TITLE_LINES = 1  # blank grid lines between the title and the table
LEVEL_ROLES = {1: "hei", 2: "kai"}  # section rows: 一、 黑体, （一） 楷体, deeper 仿宋

DOCX_TWIPS_PER_PT = 20


@dataclass(frozen=True)
class ColumnSpec:
    """A table column: header text, alignment, and how much room it wants (in em of the cell font)."""

    key: str
    header: str
    align: str = "left"  # left | center
    min_em: float = 2.0
    max_em: float = 40.0  # natural width is capped here; longer text wraps
    weight: float = 0.0  # share of spare width (0 = never wider than its content)


COLUMNS: dict[str, ColumnSpec] = {c.key: c for c in (
    ColumnSpec("seq", "序号", "center", 2.0, 3.0),
    ColumnSpec("title", "任务名称", "left", 5.0, 14.0, 1.0),
    ColumnSpec("text", "具体内容", "left", 8.0, 60.0, 3.0),
    ColumnSpec("lead", "牵头单位", "center", 4.0, 10.0, 0.5),
    ColumnSpec("units", "责任单位", "center", 4.0, 12.0, 0.5),
    ColumnSpec("deadline", "完成时限", "center", 4.0, 8.0, 0.3),
    ColumnSpec("owner", "责任人", "center", 3.0, 6.0, 0.2),
    ColumnSpec("completion", "完成情况", "left", 4.0, 20.0, 1.0),
    ColumnSpec("remark", "备注", "left", 2.0, 10.0, 0.3),
    ColumnSpec("role", "角色", "center", 2.0, 3.0),
    ColumnSpec("status", "状态", "center", 3.0, 3.0),
    ColumnSpec("due", "截止日期", "center", 5.0, 7.5),
    ColumnSpec("overdue", "逾期天数", "center", 3.0, 4.0),
    ColumnSpec("done_on", "完成日期", "center", 5.0, 7.5),
    ColumnSpec("note", "落实情况", "left", 6.0, 40.0, 2.0),
)}
TABLE_BASE_COLUMNS = ("seq", "title", "text", "lead", "units", "deadline")
TABLE_OPTIONAL_COLUMNS = ("owner", "completion", "remark")
MERGED_COLUMNS = ("seq", "title")  # span a task's item rows (vertical merge)


def text_em(text: str) -> float:
    """Width of the longest line of ``text`` in em, estimated: 3-byte UTF-8 characters (CJK, full-width
    marks, dashes) 1, others ½ (computed from UTF-8 lengths, fast enough for 5,000-row tables)."""
    best = 0.0
    for line in text.split("\n"):
        n, b = len(line), len(line.encode("utf-8"))
        best = max(best, n / 2 + (b - n) / 4)
    return best


def column_widths(columns: list[ColumnSpec], texts: list[list[str]], total: float,
                  size: float = TABLE_FONT_SIZE) -> list[float]:
    """Widths in pt that fit the content: each column gets its natural width (longest cell, capped), spare
    room goes to the weighted text columns, and when too wide the columns shrink towards their minimum in
    proportion to what they would give up. ``texts[i]`` are the cells of column ``i``."""
    pad = 2 * TABLE_PAD_X
    lo = [c.min_em * size + pad for c in columns]
    need = []
    for c, cells, mn in zip(columns, texts, lo, strict=True):
        natural = max([text_em(c.header) / 2] + [text_em(t) for t in cells])  # headers may wrap in two
        need.append(max(mn, min(natural, c.max_em) * size + pad))
    spare = total - sum(need)
    if spare >= 0:
        weights = [c.weight for c in columns]
        if sum(weights) == 0:
            weights = [1.0] * len(columns)
        return [n + spare * w / sum(weights) for n, w in zip(need, weights, strict=True)]
    give = [n - m for n, m in zip(need, lo, strict=True)]
    room = total - sum(lo)
    if room <= 0 or sum(give) == 0:
        return [total * m / sum(lo) for m in lo]
    return [m + g * room / sum(give) for m, g in zip(lo, give, strict=True)]
