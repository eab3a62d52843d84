"""Every number of the official layout (GB/T 9704-2012), in one place, read by both the .docx and the .pdf writer.

Lengths are in points unless the name ends in ``_MM``; ``mm(x)`` converts. Font sizes are the 号 of the
standard (see ``HAO``). The numbers and their sources are in ../shared/docs/official-format.md.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

MM_PER_PT = 25.4 / 72


def mm(x: float) -> float:
    """Millimetres → points."""
    return x / MM_PER_PT


def twips_mm(x: float) -> int:
    """Millimetres → twips as the .docx stores a length (python-docx: whole EMU, then rounded twips). Both
    writers place the type area on these values, so that Word and LibreOffice have the PDF's line width."""
    return int(round(int(x * 36000) / 635))


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

# 版头 (clause 7.2): red 发文机关标志 (小标宋, size not fixed by the standard: 小初, smaller if it would not fit
# one line), top edge 35 mm below the 版心's; 发文字号 after two blank lines; red rule 4 mm below it; the
# title two blank lines below the rule. Red = Y80% M80% in print (std 6.2); on screen pure red as in practice.
SIZE_MASTHEAD = HAO["小初"]
MASTHEAD_TOP_MM = 35.0
MASTHEAD_GAP_LINES = 2
MASTHEAD_RULE_GAP_MM = 4.0
MASTHEAD_RULE_WIDTH = 1.0  # pt (not fixed by the standard; practice 0.35–1.5 pt)
MASTHEAD_TITLE_GAP_LINES = 2
RED_HEX = "FF0000"
RED_PDF = "1 0 0"
GLYPH_ASCENT_EM, GLYPH_DESCENT_EM = 0.88, 0.12  # CJK ideographic box around the baseline

# 版记 (clause 7.4): 4号仿宋 rows between rules as wide as the 版心, first and last 0.35 mm, inner 0.25 mm;
# the last rule on the 版心's lower edge; 抄送/印发机关 空一字 from the left, 印发日期 空一字 from the right.
SIZE_IMPRINT = HAO["四号"]
IMPRINT_RULE_THICK = round(0.35 / MM_PER_PT, 2)  # pt
IMPRINT_RULE_THIN = round(0.25 / MM_PER_PT, 2)

# Tables: 仿宋 小四 cells, 黑体 header and top-level section rows, 楷体 second-level rows.
TABLE_FONT_SIZE = SIZE_TABLE
TABLE_LEADING = 16.0  # exact line spacing of a cell line, pt
TABLE_PAD_X = 4.0  # cell padding left/right, pt (≥ the hanging room a closing mark could need)
TABLE_PAD_Y = 3.0  # cell padding top/bottom, pt
TABLE_BORDER = 0.5  # pt
TABLE_GAP_AFTER_TITLE_LINES = 1  # blank grid lines between the title and the table
LEVEL_ROLES = {1: "hei", 2: "kai"}  # section rows: 一、 黑体, （一） 楷体, deeper 仿宋
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def heading_role(line: str) -> str:
    """The font of a body line: 黑体 for a "一、" heading, 楷体 for a "（一）" heading (short, no full stop
    inside), else 仿宋 (clause 7.3.3's heading levels, as ``LEVEL_ROLES``)."""
    heading = len(line) <= 40 and "。" not in line[:-1]
    if heading and _LEVEL1.match(line):
        return LEVEL_ROLES[1]
    if heading and _LEVEL2.match(line):
        return LEVEL_ROLES[2]
    return "fang"

# Grids drawn cell by cell with merged headers (the annual report's tables 二/三/四): 五号 cells so that 表四's
# fifteen value columns fit the portrait 版心 (two characters a line), header 黑体, body 仿宋.
GRID_FONT_SIZE = HAO["五号"]
GRID_LEADING = 13.5  # pt, exact
GRID_PAD_X = 2.0  # pt
GRID_PAD_Y = 2.0  # pt

DOCX_TWIPS_PER_PT = 20
APPLICATION = "NoticeDesk"  # the files' Application / Creator / Producer


@dataclass(frozen=True)
class ColumnSpec:
    """A table column: header text, alignment, and how much room it wants (in em of the cell font).

    ``nowrap_em``: values up to this long never wrap (dates, deadlines): the column is at least as wide as
    its longest such value. ``weight``: share of the width no column needs (0 = never wider than its
    content); ``min_em`` is the least width."""

    key: str
    header: str
    align: str = "left"  # left | center (a centred column whose texts wrap is set flush left)
    min_em: float = 2.0
    max_em: float = 40.0  # natural width is capped here; longer text wraps
    weight: float = 0.0  # share of spare width (0 = never wider than its content)
    nowrap_em: float = 0.0
    most_lines: int = 0  # a text column at least so wide that its longest value takes no more lines (up to 12 em)


COLUMNS: dict[str, ColumnSpec] = {c.key: c for c in (
    ColumnSpec("seq", "序号", "center", 2.0, 3.0, nowrap_em=3.0),
    ColumnSpec("title", "任务名称", "left", 5.0, 14.0, 1.0),
    ColumnSpec("text", "具体内容", "left", 8.0, 60.0, 3.0, most_lines=8),
    ColumnSpec("lead", "牵头单位", "center", 4.0, 10.0, 0.5),
    ColumnSpec("units", "责任单位", "center", 4.0, 12.0, 0.5),
    ColumnSpec("owners", "责任单位", "center", 4.0, 12.0, 0.5),
    ColumnSpec("deadline", "完成时限", "center", 4.0, 8.0, 0.0, nowrap_em=9.0),
    ColumnSpec("owner", "责任人", "center", 3.0, 6.0, 0.2),
    ColumnSpec("completion", "完成情况", "left", 4.0, 20.0, 1.0, most_lines=4),
    ColumnSpec("remark", "备注", "left", 2.0, 10.0, 0.3),
    ColumnSpec("role", "角色", "center", 2.0, 3.0, nowrap_em=3.0),
    ColumnSpec("status", "状态", "center", 3.0, 3.0, nowrap_em=6.0),
    ColumnSpec("due", "截止日期", "center", 4.0, 7.5, nowrap_em=8.0),
    ColumnSpec("overdue", "逾期天数", "center", 3.0, 4.0, nowrap_em=5.0),
    ColumnSpec("done_on", "完成日期", "center", 4.0, 7.5, nowrap_em=8.0),
    ColumnSpec("note", "落实情况", "left", 4.0, 40.0, 2.0, most_lines=4),
)}
TABLE_BASE_COLUMNS = ("seq", "title", "text", "lead", "units", "deadline")
TABLE_OPTIONAL_COLUMNS = ("owner", "completion", "remark")
MERGED_COLUMNS = ("seq", "title")  # span a task's item rows (vertical merge)
# Room a cell keeps beyond its text (pt): the PDF breaks lines this much short of the cell, so that Word,
# WPS and LibreOffice, measuring a little differently, never need a line more than the PDF (doc §3.5).
TABLE_WRAP_SLACK = 1.5


def baseline(top: float, pitch: float, size: float) -> float:
    """Baseline of a glyph centred in a line box of height ``pitch`` whose top is ``top``."""
    return top - pitch / 2 - DASH_HEIGHT_EM * size


def cell_text_width(width: float, size: float = SIZE_TABLE) -> float:
    """The width (pt) the PDF fills with a cell's text in a column ``width`` pt wide."""
    return width - 2 * TABLE_PAD_X - TABLE_WRAP_SLACK


AUTOSPACE_EM = 0.2  # LibreOffice's room between a Chinese character and a Latin letter or digit (pdf_text)
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_BOUNDARY = re.compile(f"(?<=[{_HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{_HAN}])")


def _line_em(line: str) -> float:
    n, b = len(line), len(line.encode("utf-8"))
    em = n / 2 + (b - n) / 4
    if n < b < 3 * n:  # Chinese and Latin together: LibreOffice's autospace between them
        em += AUTOSPACE_EM * len(_BOUNDARY.findall(line))
    return em


def text_em(text: str) -> float:
    """Width of the longest line of ``text`` in em, estimated: 3-byte UTF-8 characters (CJK, full-width
    marks, dashes) 1, others ½, and the autospace between Chinese and Latin (computed from UTF-8 lengths,
    fast enough for 5,000-row tables)."""
    return max(_line_em(line) for line in text.split("\n"))


MOST_LINES_CAP_EM = 12.0
WIDTH_SAMPLE_ROWS = 240  # rows the width search looks at (evenly spaced); enough to see a column's texts
WIDTH_STEPS = 48  # the spare width is handed out in about this many steps


def _cell_ems(text: str) -> tuple[float, ...]:
    """Length in em of each hard line of a cell ("" → no lines)."""
    if not text:
        return ()
    return tuple(_line_em(line) for line in text.split("\n"))


def _lines(ems: tuple[float, ...], avail: float) -> tuple[int, float]:
    """(lines, fractional lines) a cell needs at ``avail`` em of text width."""
    whole, frac = 0, 0.0
    for e in ems:
        q = e / avail
        whole += max(1, math.ceil(q - 1e-9))
        frac += max(1.0, q)
    return whole, frac


def _top2(values: list[float]) -> tuple[float, int, float]:
    """(largest, its index, second largest) of ``values`` (a row's cells; an empty cell counts 1 line)."""
    first, at, second = 1.0, -1, 1.0
    for i, v in enumerate(values):
        if v > first:
            first, at, second = v, i, first
        elif v > second:
            second = v
    return first, at, second


def column_widths(columns: list[ColumnSpec], rows: list[list[str]], total: float,
                  size: float = TABLE_FONT_SIZE) -> list[float]:
    """Widths in pt that fit the content: the column widths that make the table shortest.

    Every column first gets its minimum, room for its header (headers of more than four characters may
    take two lines) and room for its longest value of at most ``nowrap_em`` (dates and deadlines never
    wrap); the spare width then goes, a step at a time, to the column whose widening saves the most
    lines over the rows (a row is as tall as its tallest cell; fractional lines break ties, so two
    columns that must both widen before a row shrinks still attract width). What no column can use goes
    to the text columns by weight.
    ``rows`` are the item rows' cells (a task's merged cells only on its first row); at most
    ``WIDTH_SAMPLE_ROWS`` evenly spaced rows are measured for the search (all rows for the no-wrap widths).
    Every width keeps ``TABLE_WRAP_SLACK`` beyond the text it is measured for.
    """
    n = len(columns)
    pad = (2 * TABLE_PAD_X + TABLE_WRAP_SLACK) / size  # em
    width = total / size
    lo, fixed, want = [], [], []
    for i, c in enumerate(columns):
        head = text_em(c.header)
        need = max(c.min_em, head if len(c.header) <= 4 else -(-len(c.header) // 2))
        nowrap = 0.0
        if c.nowrap_em:
            nowrap = max((e for r in rows for e in _cell_ems(r[i]) if e <= c.nowrap_em), default=0.0)
        lo.append(max(need, nowrap) + pad)
        fixed.append(nowrap > need)
        more = 0.0
        if c.most_lines:
            longest = max((e for r in rows for e in _cell_ems(r[i])), default=0.0)
            more = max(0.0, min(MOST_LINES_CAP_EM, math.ceil(longest / c.most_lines)) + pad - lo[-1])
        want.append(more)
    if sum(lo) > width:  # too many columns: the ones that may wrap give way first, then all alike
        free = [x for x, f in zip(lo, fixed, strict=True) if not f]
        over = sum(lo) - width
        if free and sum(free) - pad * len(free) > over:
            k = over / (sum(free) - pad * len(free))
            lo = [x if f else x - (x - pad) * k for x, f in zip(lo, fixed, strict=True)]
        else:
            return [total * m / sum(lo) for m in lo]
    room = width - sum(lo)
    if sum(want) and room > 0:  # text columns wide enough that their longest value is not a long strip
        k = min(1.0, room / 2 / sum(want))
        lo = [x + m * k for x, m in zip(lo, want, strict=True)]
    room = width - sum(lo)
    if room <= 1e-9:
        return [total * m / sum(lo) for m in lo]
    if len(rows) > WIDTH_SAMPLE_ROWS:
        k = len(rows) / WIDTH_SAMPLE_ROWS
        rows = [rows[int(i * k)] for i in range(WIDTH_SAMPLE_ROWS)]
    cells = [[_cell_ems(t) for t in r] for r in rows]
    w = list(lo)
    # lines[r][c] = (whole, fractional) at the current widths
    lines = [[_lines(e, w[c] - pad) for c, e in enumerate(row)] for row in cells]
    step = max(room / WIDTH_STEPS, 0.5)
    widened: dict[int, tuple[float, list[tuple[int, float]]]] = {}  # column → (avail, its lines one step wider)
    while room > 1e-6:
        d = min(step, room)
        best, best_gain, best_new = -1, (0, 0.0), None
        tops = [(_top2([x[0] for x in cur]), _top2([x[1] for x in cur])) for cur in lines]
        for c in range(n):
            avail = w[c] + d - pad
            if c not in widened or widened[c][0] != avail:  # only the column widened last step changes
                widened[c] = (avail, [_lines(row[c], avail) for row in cells])
            new_col = widened[c][1]
            gain_w, gain_f = 0, 0.0
            for (tw, tf), (nw, nf) in zip(tops, new_col, strict=True):
                if tw[1] == c:  # only the tallest cell of a row makes it shorter
                    gain_w += tw[0] - max(tw[2], nw)
                if tf[1] == c:
                    gain_f += tf[0] - max(tf[2], nf)
            if (gain_w, gain_f) > best_gain:
                best, best_gain, best_new = c, (gain_w, gain_f), new_col
        if best < 0 or best_gain[1] <= 1e-9 and best_gain[0] <= 0:
            break
        w[best] += d
        room -= d
        for r, cur in enumerate(lines):
            cur[best] = best_new[r]
    if room > 1e-6:  # no column needs more: the text columns take the rest
        weights = [c.weight for c in columns]
        if not sum(weights):
            weights = [1.0] * n
        w = [x + room * wt / sum(weights) for x, wt in zip(w, weights, strict=True)]
    return [x * size for x in w]


def column_aligns(columns: list[ColumnSpec], rows: list[list[str]], widths: list[float],
                  size: float = TABLE_FONT_SIZE) -> list[str]:
    """Each column's alignment: as specified, but a centred column with a value that wraps is set flush
    left (a centred list of units would leave a lone character on its last line)."""
    out = []
    for i, (c, w) in enumerate(zip(columns, widths, strict=True)):
        avail = cell_text_width(w, size) / size + 0.01
        if c.align == "center" and any(e > avail for r in rows for e in _cell_ems(r[i])):
            out.append("left")
        else:
            out.append(c.align)
    return out
