"""Renders a ``model.Doc`` to PDF with reportlab's canvas: grid-line paragraphs, paginated tables, page numbers.

The table layout is done here rather than by platypus: every cell is measured and broken once (``pdf_text``),
so 5,000 rows take seconds, both Chinese line-breaking rules hold, and every glyph comes from a font that has
it. Tables repeat their header row on every page and fill each page: a task's item rows may break between
any two rows (the merged 序号/任务名称 text is repeated on the continuation), a section row stays with the row
after it, and a row that does not fit in the space left moves to the next page only when it fits on a fresh
one (otherwise it is split where it stands). Page numbers follow clause 7.5, and clause 8 on landscape pages.
A document may change orientation (``NewSection``: the landscape 附件 of a portrait report); the 版头
(``Masthead``) and 版记 (``Imprint``) follow clauses 7.2 and 7.4. A ``Grid`` (cells merged over rows and
columns) is drawn cell by cell, its header rows repeated on each page; a heading paragraph marked
``keep_with_next`` moves to the next page with what follows it (a chain of such paragraphs moves whole,
as LibreOffice and Word move it: the report's last lines with its 署名 and date).

Without an output file (``PdfWriter(doc, None)``) nothing is drawn: ``paginate()`` returns where every table
row went, page by page (``TablePlan``), which the .docx writer follows so that the .docx has the PDF's pages.
Table rows are measured as tall as Word and LibreOffice make them (text, padding and the rule above the
row) and broken ``layout.TABLE_WRAP_SLACK`` short of the cell, so that each page's rows fit there too.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.documents import layout
from desktop.documents.layout import mm
from desktop.documents.model import (
    Doc,
    Grid,
    Imprint,
    Masthead,
    NewSection,
    PageBreak,
    Para,
    SectionRow,
    Table,
    table_layout,
)
from desktop.documents.pdf_text import HANGING, FontSet


class Cancelled(Exception):
    """The caller's ``cancel()`` returned True."""


MIN_SPLIT_LINES = 3  # a row too tall for a page is split where it stands if this many lines fit
# Room left at the foot of every table page: the .docx starts a continuation page with a 1 pt paragraph (its
# page break) and ends each table with another; Word's and LibreOffice's rounding stays within the rest.
TABLE_PAGE_RESERVE = 2.0
MIN_SHRINK_SIZE = 5.0  # a merged label too long for the part of its cell on a page is set down to this size


@dataclass
class PlanRow:
    """One table row as placed on a page: ``kind`` "section" or "item"; ``src`` its index in ``Table.rows``;
    ``head`` the index of its task's first row (merged 序号/任务名称); ``texts`` the cells of a row split
    across pages (this page's part), else None (the whole row); ``page`` the page it is on."""

    kind: str
    src: int
    head: int = -1
    texts: list[str] | None = None
    page: int = 0


TablePlan = list[list[PlanRow]]  # pages → rows on the page


@dataclass
class _Row:
    cells: list[list[str] | None]  # wrapped lines per column; None = merged into the row above
    height: float  # without the merged columns (their text spans the task's rows on a page)
    role: str = "fang"
    section: bool = False
    cont: bool = False
    src: int = -1  # index in Table.rows
    split: bool = False  # a part of a row cut across pages


@dataclass
class _Unit:
    """A section row, or a task: its item rows and the height its merged cells' text needs."""

    rows: list[_Row]
    section: bool = False
    need: float = 0.0
    count: int = 1  # table rows it stands for (progress)


def _baseline(top: float, pitch: float, size: float) -> float:
    """Baseline of a glyph centred in a line box of height ``pitch`` whose top is ``top``."""
    return top - pitch / 2 - layout.DASH_HEIGHT_EM * size


class PdfWriter:
    """One export: ``render()`` writes the file and returns the page count."""

    def __init__(self, doc: Doc, out: Path | None, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.doc, self.out = doc, out
        self.dry = out is None  # lay out only (``paginate()``)
        self.progress, self.cancel = progress, cancel
        self.fonts = FontSet()
        self._orient(doc.landscape)
        self.done, self.total = 0, max(1, 2 * doc.row_count())
        self.page = 0
        self._enc: dict[tuple[str, str], tuple[str, int]] = {}
        self.plans: dict[int, TablePlan] = {}  # block index → where its rows went
        self._block = -1
        self._prepared: dict[int, tuple] = {}
        self.grid_pages: list[tuple[int, int, list[int]]] = []  # (block index, page, grid rows drawn there)

    # ---- pages and text ------------------------------------------------------------------------

    def _orient(self, landscape: bool) -> None:
        """Page size and type area of the pages from the next one on."""
        self.landscape = landscape
        m = layout.LANDSCAPE if landscape else layout.PORTRAIT
        short, long_ = mm(layout.PAGE_SHORT_MM), mm(layout.PAGE_LONG_MM)
        self.page_w, self.page_h = (long_, short) if landscape else (short, long_)
        tw = layout.twips_mm
        w_tw, h_tw = (tw(layout.PAGE_LONG_MM), tw(layout.PAGE_SHORT_MM)) if landscape else \
            (tw(layout.PAGE_SHORT_MM), tw(layout.PAGE_LONG_MM))
        t = layout.DOCX_TWIPS_PER_PT
        # the type area as the .docx has it (whole twips): Word and LibreOffice break lines at this width
        self.x0 = tw(m.left) / t
        self.x1 = self.x0 + (w_tw - tw(m.left) - tw(m.right)) / t
        self.top = self.page_h - tw(m.top) / t
        self.bottom = self.top - (h_tw - tw(m.top) - tw(m.bottom)) / t

    def paginate(self) -> dict[int, TablePlan]:
        """Lay the document out without drawing it: for every ``Table`` block (by index in ``doc.blocks``)
        its rows page by page."""
        self._render()
        return self.plans

    def render(self) -> int:
        from reportlab import rl_config

        saved = rl_config.useA85
        rl_config.useA85 = 0  # ASCII85 of compressed streams is pure Python here: the slowest step
        try:
            return self._render()
        finally:
            rl_config.useA85 = saved

    def _render(self) -> int:
        if not self.dry:
            from reportlab.pdfgen.canvas import Canvas

            base = self.fonts.chain("fang")[0].name
            self.c = Canvas(str(self.out), pagesize=(self.page_w, self.page_h), initialFontName=base,
                            initialFontSize=layout.SIZE_BODY, pageCompression=1)
            self.c.setTitle(self.doc.title)
            self.c.setAuthor(self.doc.author or layout.APPLICATION)
            self.c.setCreator(layout.APPLICATION)
            self.c.setSubject(self.doc.title)
            self.c.setProducer(layout.APPLICATION)
        self._new_page()
        blocks = self.doc.blocks
        for k, block in enumerate(blocks):
            self._block = k
            if isinstance(block, Para) and block.keep_with_next:
                self._keep_chain(k)
            if isinstance(block, Grid):
                self._grid(block)
            elif isinstance(block, Para):
                self._para(block)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, PageBreak):
                self._end_page()
                self._new_page()
            elif isinstance(block, NewSection):
                self._end_page()
                self._orient(block.landscape)
                self._new_page()
            elif isinstance(block, Masthead):
                self._masthead(block)
            elif isinstance(block, Imprint):
                self._imprint(block)
        self._end_page()
        if not self.dry:
            self.c.save()
        self._tick(0, force=True)
        return self.page

    def _keep_chain(self, k: int) -> None:
        """Paragraph ``k`` keeps with the next: the chain of such paragraphs from ``k`` on and the start of the
        block after it go to the next page together when they do not fit here (and do fit on a page)."""
        blocks = self.doc.blocks
        need, j = 0.0, k
        while j < len(blocks) and isinstance(blocks[j], Para) and blocks[j].keep_with_next:
            need += self._para_height(blocks[j])
            j += 1
        nxt = blocks[j] if j < len(blocks) else None
        if isinstance(nxt, Para):
            need += layout.LINE_PITCH
        elif isinstance(nxt, Grid):
            need += self._grid_start(nxt)
        elif isinstance(nxt, Table):
            need += self._table_start(nxt)
        if self.y - need < self.bottom - 0.5 and self.y < self.top - 0.5 and need <= self.top - self.bottom:
            self._end_page()
            self._new_page()

    def _tick(self, n: int, force: bool = False) -> None:
        self.done += n
        if force or self.done % 64 < n:
            if self.cancel is not None and self.cancel():
                raise Cancelled
            if self.progress is not None:
                self.progress(min(self.done, self.total), self.total)

    def _new_page(self) -> None:
        self.page += 1
        if not self.dry:
            self.c.setPageSize((self.page_w, self.page_h))
        self.y = self.top
        self.rules: list[str] = []  # raw PDF path operators (reportlab's number formatting is slow)
        self.extra: list[str] = []  # red rules, 版记 rules: complete path operators with their own width/colour
        self.ops: list[str] = []  # raw PDF text operators
        self.cur_font: tuple[str, float] | None = None

    def _end_page(self) -> None:
        if self.dry:
            return
        c = self.c
        if self.rules:
            c._code.append(f"{layout.TABLE_BORDER} w 0 G " + " ".join(self.rules) + " S")
        c._code.extend(self.extra)
        if self.ops:
            c._code.append("BT 0 g " + " ".join(self.ops) + " ET")
        self._page_number()
        c.showPage()

    def _rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        if self.dry:
            return
        self.rules.append(f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l")

    def _encode(self, font: str, text: str) -> list[tuple[str, bytes]]:
        """(PDF subset font name, bytes) pieces of ``text`` in reportlab's subset encoding of ``font``."""
        enc = self._enc
        out: list[tuple[str, bytes]] = []
        cur_name, cur = None, bytearray()
        for ch in text:
            hit = enc.get((font, ch))
            if hit is None:
                from reportlab.pdfbase import pdfmetrics

                f = pdfmetrics.getFont(font)
                ((subset, b),) = f.splitString(ch, self.c._doc)
                hit = enc[(font, ch)] = (f.getSubsetInternalName(subset, self.c._doc), b[0])
            if hit[0] != cur_name:
                if cur:
                    out.append((cur_name, bytes(cur)))
                cur_name, cur = hit[0], bytearray()
            cur.append(hit[1])
        if cur:
            out.append((cur_name, bytes(cur)))
        return out

    def _text(self, x: float, y: float, text: str, role: str, size: float, char_space: float = 0.0) -> None:
        if self.dry:
            return
        ops = self.ops
        ops.append(f"{char_space:.3f} Tc 1 0 0 1 {x:.2f} {y:.2f} Tm")
        for name, s in self.fonts.runs(text, role):
            for pdf_name, b in self._encode(name, s):
                if self.cur_font != (pdf_name, size):
                    ops.append(f"{pdf_name} {size:g} Tf")
                    self.cur_font = (pdf_name, size)
                ops.append(f"<{b.hex()}> Tj")

    def _line(self, text: str, role: str, size: float, align: str, x0: float, x1: float, y: float,
              last: bool = True, base_cs: float = 0.0) -> None:
        if self.dry:
            return
        w = self.fonts.width(text, role, size) + base_cs * len(text)
        if align == "center":
            x = x0 + (x1 - x0 - w) / 2
        elif align == "right":
            x = x1 - w
        else:
            x = x0
        cs = base_cs
        if align == "justify" and not last and len(text) > 1:
            body, gaps = w, len(text) - 1
            if w > x1 - x0 + 0.01 and text[-1] in HANGING and gaps > 1:  # the hanging mark stays outside
                body -= self.fonts.width(text[-1], role, size) + base_cs
                gaps -= 1
            cs += (x1 - x0 - body) / gaps
        self._text(x, y, text, role, size, cs)

    def _page_number(self) -> None:
        n, size, role = self.page, layout.SIZE_PAGE_NUMBER, "song"
        dash = layout.PAGE_NUMBER_DASH
        s = f"{dash} {n} {dash}"
        w = self.fonts.width(s, role, size)
        gap = mm(layout.PAGE_NUMBER_GAP_MM) + layout.DASH_HEIGHT_EM * size  # 版心 edge → baseline
        odd = n % 2 == 1
        if not self.landscape:
            y = self.bottom - gap
            x = self.x1 - layout.PAGE_NUMBER_INDENT - w if odd else self.x0 + layout.PAGE_NUMBER_INDENT
            t = self.c.beginText(x, y)
        else:  # clause 8: rotated clockwise in the left margin; odd at the bottom, even at the top
            m = layout.LANDSCAPE
            x = mm(m.left) - gap
            y = mm(m.bottom) + layout.PAGE_NUMBER_INDENT + w if odd else self.page_h - mm(m.top) - layout.PAGE_NUMBER_INDENT
            t = self.c.beginText()
            t.setTextTransform(0, -1, 1, 0, x, y)
        for name, part in self.fonts.runs(s, role):
            t.setFont(name, size)
            t.textOut(part)
        self.c.drawText(t)

    # ---- paragraphs ----------------------------------------------------------------------------

    def _para(self, p: Para) -> None:
        pitch, size = layout.LINE_PITCH, p.size
        x0 = self.x0 + p.left * size
        x1 = self.x1 - p.right * size
        # portrait 3号 text is set 0.25 pt tighter so that 28 characters fill the 156 mm line
        base_cs = layout.BODY_CHAR_SPACING if (size == layout.SIZE_BODY and not self.landscape) else 0.0
        lines = self._para_lines(p)
        for i, line in enumerate(lines):
            if self.y - pitch < self.bottom - 0.5:
                self._end_page()
                self._new_page()
            if line:
                start = x0 + (p.indent * size if i == 0 else 0)
                self._line(line, p.role, size, p.align, start, x1, _baseline(self.y, pitch, size),
                           last=i == len(lines) - 1, base_cs=base_cs)
            self.y -= pitch

    def _para_lines(self, p: Para) -> list[str]:
        """The lines of a paragraph as ``_para`` sets them."""
        size = p.size
        x0, x1 = self.x0 + p.left * size, self.x1 - p.right * size
        cs = layout.BODY_CHAR_SPACING if (size == layout.SIZE_BODY and not self.landscape) else 0.0
        if not p.text:
            return [""]
        first = p.indent * size
        lines = self.fonts.wrap(p.text, p.role, size, x1 - x0 - first, char_space=cs)
        if len(lines) > 1 and p.align == "center":  # balance a multi-line title: no lone last character
            total = self.fonts.width(p.text, p.role, size)
            n = len(lines)
            for slack in (1.0, 1.5, 2.0):
                even = self.fonts.wrap(p.text, p.role, size, min(x1 - x0, total / n + slack * size), char_space=cs)
                if len(even) == n:
                    lines = even
                    break
        if len(lines) > 1 and first:  # re-break the rest at full width
            rest = self.fonts.wrap(p.text[len(lines[0]):].lstrip(), p.role, size, x1 - x0, char_space=cs)
            lines = [lines[0]] + rest
        return lines

    def _para_height(self, p: Para) -> float:
        return len(self._para_lines(p)) * layout.LINE_PITCH

    # ---- grids (cells merged over rows and columns) ---------------------------------------------------

    def _grid_prepare(self, g: Grid) -> tuple[list[float], dict[int, list[str]], list[float]]:
        """Column edges, each cell's wrapped lines (by index in ``g.cells``) and row heights: a row is as tall
        as its tallest one-row cell; a merged cell that needs more spreads the extra over its rows."""
        total = self.x1 - self.x0
        xs = [self.x0]
        for w in g.widths:
            xs.append(xs[-1] + total * w / sum(g.widths))
        pad_x, pad_y = layout.GRID_PAD_X, layout.GRID_PAD_Y
        lines = {i: self.fonts.wrap(c.text, c.role, g.size, xs[c.col + c.colspan] - xs[c.col] - 2 * pad_x)
                 if c.text else [] for i, c in enumerate(g.cells)}
        h = [g.leading + 2 * pad_y] * g.n_rows
        for i, c in enumerate(g.cells):
            if c.rowspan == 1:
                h[c.row] = max(h[c.row], len(lines[i]) * g.leading + 2 * pad_y)
        for i, c in sorted(enumerate(g.cells), key=lambda ic: ic[1].rowspan):
            if c.rowspan > 1:
                need = len(lines[i]) * g.leading + 2 * pad_y
                have = sum(h[c.row:c.row + c.rowspan])
                if need > have:
                    for r in range(c.row, c.row + c.rowspan):
                        h[r] += (need - have) / c.rowspan
        return xs, lines, h

    def _grid_start(self, g: Grid) -> float:
        """Height of the grid's header rows and first body row (what must fit below a heading)."""
        _xs, _lines, h = self._grid_prepare(g)
        whole = sum(h)
        if g.keep_together and whole <= self.top - self.bottom:
            return whole
        return sum(h[:g.header_rows + 1])

    def _grid(self, g: Grid) -> None:
        """Rows go on the page while they fit; the header rows repeat on every page. A merged cell cut by a
        page break is drawn on both pages with its whole text, set smaller where it does not fit."""
        xs, lines, h = self._grid_prepare(g)
        head = list(range(g.header_rows))
        head_h = sum(h[r] for r in head)
        body = list(range(g.header_rows, g.n_rows))
        need = sum(h) if g.keep_together and sum(h) <= self.top - self.bottom else head_h + (h[body[0]] if body else 0)
        if body and self.y - need < self.bottom - 0.5 and self.y < self.top - 0.5:
            self._end_page()
            self._new_page()
        i = 0
        while True:
            rows, used = list(head), head_h
            while i < len(body) and (self.y - used - h[body[i]] >= self.bottom - 0.5 or len(rows) == len(head)):
                rows.append(body[i])
                used += h[body[i]]
                i += 1
            self._grid_page(g, rows, xs, lines, h)
            self._tick(len(rows) - len(head))
            if i >= len(body):
                # text below goes on the next line of the page's grid
                pitch = layout.LINE_PITCH
                self.y = self.top - math.ceil((self.top - self.y) / pitch - 1e-6) * pitch
                break
            self._end_page()
            self._new_page()

    def _grid_page(self, g: Grid, rows: list[int], xs: list[float], lines: dict[int, list[str]],
                   h: list[float]) -> None:
        self.grid_pages.append((self._block, self.page, list(rows)))
        top: dict[int, float] = {}
        y = self.y
        for r in rows:
            top[r] = y
            y -= h[r]
        pad_x, pad_y, lead = layout.GRID_PAD_X, layout.GRID_PAD_Y, g.leading
        for i, c in enumerate(g.cells):
            shown = [r for r in range(c.row, c.row + c.rowspan) if r in top]
            if not shown:
                continue
            y0, y1 = top[shown[0]], top[shown[-1]] - h[shown[-1]]
            x0, x1 = xs[c.col], xs[c.col + c.colspan]
            self._rule(x0, y0, x1, y0)
            self._rule(x0, y1, x1, y1)
            self._rule(x0, y0, x0, y1)
            self._rule(x1, y0, x1, y1)
            text, size, step = lines[i], g.size, lead
            if len(text) * lead > y0 - y1 - 2 * pad_y + 0.01:  # a merged cell cut by the page: set smaller
                text, size = self._shrink(c.text, c.role, g.size, lead, x1 - x0 - 2 * pad_x, y0 - y1 - 2 * pad_y)
                step = lead * size / g.size
            ty = y0 - (y0 - y1 - len(text) * step) / 2
            for ln in text:
                self._line(ln, c.role, size, c.align, x0 + pad_x, x1 - pad_x, _baseline(ty, step, size))
                ty -= step
        self.y = y

    # ---- 版头 and 版记 ---------------------------------------------------------------------------

    def _masthead(self, m: Masthead) -> None:
        """Red 发文机关标志 (top edge 35 mm below the 版心's), 发文字号 two lines below, red rule 4 mm under it,
        then two blank lines before the title (clauses 7.2.4, 7.2.5, 7.2.7, 7.3.1)."""
        pitch, width = layout.LINE_PITCH, self.x1 - self.x0
        organ = m.organ
        size = min(layout.SIZE_MASTHEAD, width / max(self.fonts.width(organ, "title", 1.0), 1e-6))
        base = self.top - mm(layout.MASTHEAD_TOP_MM) - layout.GLYPH_ASCENT_EM * size
        self.ops.append(layout.RED_PDF + " rg")
        self._line(organ, "title", size, "center", self.x0, self.x1, base)
        self.ops.append("0 g")
        self.y = base - layout.GLYPH_DESCENT_EM * size - layout.MASTHEAD_GAP_LINES * pitch
        if m.number:
            self._line(m.number, "fang", layout.SIZE_BODY, "center", self.x0, self.x1,
                       _baseline(self.y, pitch, layout.SIZE_BODY), base_cs=layout.BODY_CHAR_SPACING)
            self.y -= pitch
        rule = self.y - mm(layout.MASTHEAD_RULE_GAP_MM) + (pitch - layout.SIZE_BODY) / 2
        self.extra.append(f"q {layout.MASTHEAD_RULE_WIDTH} w {layout.RED_PDF} RG {self.x0:.2f} {rule:.2f} m "
                          f"{self.x1:.2f} {rule:.2f} l S Q")
        self.y = rule - layout.MASTHEAD_TITLE_GAP_LINES * pitch

    def _imprint(self, im: Imprint) -> None:
        """版记 on the bottom of the page: thick rule, 抄送, thin rule, 印发机关 … 印发日期印发, thick rule on the
        版心's lower edge (clause 7.4); on a new page if the space left is too small."""
        pitch, size, ind = layout.LINE_PITCH, layout.SIZE_IMPRINT, layout.SIZE_IMPRINT
        rows: list[list[tuple[str, str]]] = []  # per row: (text, align) pieces per line
        if im.cc:
            label = "抄送："
            lw = self.fonts.width(label, "fang", size)
            text = im.cc.rstrip("。.，,；;") + "。"
            lines = self.fonts.wrap(text, "fang", size, self.x1 - self.x0 - 2 * ind - lw)
            rows.append([(("" if k else label) + ln, "cc") for k, ln in enumerate(lines)])
        if im.printed_by or im.printed_on:
            on = f"{im.printed_on}印发" if im.printed_on else ""
            rows.append([(im.printed_by, on)])
        if not rows:
            return
        h = sum(len(r) for r in rows) * pitch
        if self.y - h < self.bottom - 0.5:
            self._end_page()
            self._new_page()
        y = self.bottom + h
        ops = [f"q 0 G {layout.IMPRINT_RULE_THICK} w {self.x0:.2f} {y:.2f} m {self.x1:.2f} {y:.2f} l S"]
        for k, row in enumerate(rows):
            if k:
                ops.append(f"{layout.IMPRINT_RULE_THIN} w {self.x0:.2f} {y:.2f} m {self.x1:.2f} {y:.2f} l S")
            for n, (a, b) in enumerate(row):
                base = _baseline(y, pitch, size)
                if b == "cc":
                    x0 = self.x0 + ind + (self.fonts.width("抄送：", "fang", size) if n else 0)
                    self._line(a, "fang", size, "left", x0, self.x1 - ind, base)
                else:
                    self._line(a, "fang", size, "left", self.x0 + ind, self.x1 - ind, base)
                    self._line(b, "fang", size, "right", self.x0 + ind, self.x1 - ind, base)
                y -= pitch
        ops.append(f"{layout.IMPRINT_RULE_THICK} w {self.x0:.2f} {self.bottom:.2f} m {self.x1:.2f} {self.bottom:.2f} l S Q")
        self.extra.append(" ".join(ops))
        self.y = self.bottom

    # ---- tables --------------------------------------------------------------------------------

    def _wrap_cells(self, texts: list[str], widths: list[float], role: str) -> list[list[str]]:
        size = layout.TABLE_FONT_SIZE
        return [self.fonts.wrap(t, role, size, layout.cell_text_width(w, size)) if t else []
                for t, w in zip(texts, widths, strict=True)]

    @staticmethod
    def _height(cells: list[list[str] | None]) -> float:
        """A row as tall as Word and LibreOffice make it: its lines, the padding and the rule above it."""
        n = max([len(c) for c in cells if c is not None] + [1])
        return n * layout.TABLE_LEADING + 2 * layout.TABLE_PAD_Y + layout.TABLE_BORDER

    def _prepare(self, table: Table) -> tuple[list[float], list[str], _Row, list[_Unit]]:
        """Column widths and alignments, the header row and the table's units of pagination (a section row,
        or a task's rows); computed once per table."""
        key = id(table)
        hit = self._prepared.get(key)
        if hit is not None:
            return hit
        widths, aligns = table_layout(table, self.x1 - self.x0)
        header = self._wrap_cells([c.header for c in table.columns], widths, "hei")
        head = _Row(list(header), self._height(header), "hei")
        merged = set(table.merged)
        units: list[_Unit] = []
        for k, r in enumerate(table.rows):
            if isinstance(r, SectionRow):
                role = layout.LEVEL_ROLES.get(r.level, "fang")
                lines = self.fonts.wrap(r.text, role, layout.TABLE_FONT_SIZE,
                                        layout.cell_text_width(self.x1 - self.x0))
                units.append(_Unit([_Row([lines], self._height([lines]), role, section=True, src=k)], section=True))
            else:
                cells: list[list[str] | None] = self._wrap_cells(r.cells, widths, "fang")
                cont = r.cont and bool(units) and not units[-1].section
                if cont:
                    for i in merged:
                        cells[i] = None
                row = _Row(cells, self._height([c for i, c in enumerate(cells) if i not in merged]), cont=cont,
                           src=k)
                if cont:
                    units[-1].rows.append(row)
                    units[-1].count += 1
                else:
                    need = self._height([cells[i] for i in sorted(merged)]) if merged else 0.0
                    units.append(_Unit([row], need=need))
            self._tick(1)
        self._prepared[key] = widths, aligns, head, units
        return self._prepared[key]

    def _table_start(self, table: Table) -> float:
        """Height of the header and the first task (what must fit below the title paragraphs)."""
        _w, _a, head, units = self._prepare(table)
        if not units:
            return head.height
        cap = self.top - self.bottom - TABLE_PAGE_RESERVE - head.height
        first = units[0]
        h = max(first.rows[0].height, first.need)
        if first.section and len(units) > 1:
            h += max(units[1].rows[0].height, units[1].need)
        return head.height + min(h, cap)

    @staticmethod
    def _split(row: _Row, k: int, merged: tuple[int, ...]) -> tuple[_Row, _Row]:
        """``row`` cut after ``k`` lines: the part on this page, and the rest (a continuation row)."""
        first = [c if c is None or i in merged else c[:k] for i, c in enumerate(row.cells)]
        rest = [None if c is None or i in merged else c[k:] for i, c in enumerate(row.cells)]
        h = PdfWriter._height
        return (_Row(first, h([c for i, c in enumerate(first) if i not in merged]), cont=row.cont, src=row.src,
                     split=True),
                _Row(rest, h([c for i, c in enumerate(rest) if i not in merged]), cont=True, src=row.src, split=True))

    def _table(self, table: Table) -> None:
        widths, aligns, head, units = self._prepare(table)
        xs = [self.x0]
        for w in widths:
            xs.append(xs[-1] + w)
        merged = table.merged
        bottom = self.bottom + TABLE_PAGE_RESERVE
        cap = self.top - bottom - head.height  # room for rows on a fresh page
        pad_y, lead = layout.TABLE_PAD_Y, layout.TABLE_LEADING
        min_split = MIN_SPLIT_LINES * lead + 2 * pad_y + layout.TABLE_BORDER
        plan: TablePlan = [[]]
        self.plans[self._block] = plan

        def first_need(u: _Unit) -> float:
            """What a unit needs on the page where it starts (a row taller than a page only its first lines)."""
            h = max(u.rows[0].height, u.need)
            return h if h <= cap else min(max(min_split, u.need), cap)

        def next_page() -> None:
            self._close(xs)
            self._end_page()
            self._new_page()
            plan.append([])
            self._draw_row(head, xs, table, aligns, header=True)

        def placed(r: _Row, head_src: int) -> None:
            texts = None
            if r.split:
                texts = ["" if c is None else "".join(c) for c in r.cells]
            plan[-1].append(PlanRow("item", r.src, head_src, texts, self.page))

        if units and self.y - head.height - first_need(units[0]) < bottom:
            self._end_page()
            self._new_page()
        self._draw_row(head, xs, table, aligns, header=True)
        fresh = True  # nothing but the header (and section rows) on this page yet
        for k, unit in enumerate(units):
            if unit.section:
                h, n = unit.rows[0].height, k + 1
                while n < len(units) and units[n].section:  # "一、" "（一）" and the task below them
                    h += units[n].rows[0].height
                    n += 1
                if n < len(units):
                    h += first_need(units[n])
                if h > self.y - bottom and not fresh:
                    next_page()
                self._draw_row(unit.rows[0], xs, table, aligns)
                plan[-1].append(PlanRow("section", unit.rows[0].src, page=self.page))
                self._tick(1)
                continue
            rows, need = unit.rows, unit.need
            head_src = rows[0].src
            i = 0
            while i < len(rows):
                room = self.y - bottom
                j, span = i, 0.0
                while j < len(rows) and max(span + rows[j].height, need) <= room:
                    span += rows[j].height
                    j += 1
                if j == i:
                    r = rows[i]
                    if fresh and r.height <= room:  # only the merged text is too long: it is set smaller
                        j, span = i + 1, r.height
                    elif not fresh and max(r.height, need) <= cap:
                        next_page()  # fits on a fresh page
                        fresh = True
                        continue
                    else:
                        lines = int((room - 2 * pad_y - layout.TABLE_BORDER + 0.01) // lead)
                        if lines < MIN_SPLIT_LINES and not fresh:
                            next_page()
                            fresh = True
                            continue
                        rows[i:i + 1] = self._split(r, max(1, lines), merged)
                        continue
                if need > span and need <= room:  # the merged cells' text sets the height of the rows here
                    rows[j - 1].height += need - span
                    span = need
                for c in merged:  # the task's 序号/任务名称 over its rows on this page (again if continued)
                    self._merged_text(rows[0].cells[c] or [], table.rows[head_src].cells[c], c, xs, span, table,
                                      aligns)
                for r in rows[i:j]:
                    self._draw_row(r, xs, table, aligns, skip=merged)
                    placed(r, head_src)
                fresh = False
                i = j
                if i < len(rows):
                    next_page()
                    fresh = True
            self._tick(unit.count)
        self._close(xs)

    def _merged_text(self, lines: list[str], text: str, col: int, xs: list[float], span: float, table: Table,
                     aligns: list[str]) -> None:
        """A task's merged cell over ``span`` pt of rows from the current y: its whole text, set smaller
        when it does not fit (never cut)."""
        pad_y, lead, size = layout.TABLE_PAD_Y, layout.TABLE_LEADING, layout.TABLE_FONT_SIZE
        room = span - 2 * pad_y - layout.TABLE_BORDER
        if len(lines) * lead <= room + 0.01:
            self._cell_text(lines, col, xs, self.y, span, table, "fang", aligns[col])
            return
        width = layout.cell_text_width(xs[col + 1] - xs[col])
        lines, s = self._shrink(text, "fang", size, lead, width, room)
        self._cell_text(lines, col, xs, self.y, span, table, "fang", aligns[col], size=s)

    def _shrink(self, text: str, role: str, size: float, lead: float, width: float,
                room: float) -> tuple[list[str], float]:
        """(lines, size): ``text`` set at the largest size down to ``MIN_SHRINK_SIZE`` whose lines fit ``room``
        pt (leading scaled with the size)."""
        s = size
        while True:
            lines = self.fonts.wrap(text, role, s, width)
            if len(lines) * lead * s / size <= room + 0.01 or s <= MIN_SHRINK_SIZE:
                return lines, s
            s = max(MIN_SHRINK_SIZE, s - 0.5)

    def _close(self, xs: list[float]) -> None:
        """The rule under the last row drawn."""
        self._rule(xs[0], self.y, xs[-1], self.y)

    def _cell_text(self, lines: list[str], col: int, xs: list[float], top: float, height: float,
                   table: Table, role: str, align: str, size: float = layout.TABLE_FONT_SIZE) -> None:
        if self.dry:
            return
        lead, pad = layout.TABLE_LEADING * size / layout.TABLE_FONT_SIZE, layout.TABLE_PAD_X
        y = top - layout.TABLE_BORDER - (height - layout.TABLE_BORDER - len(lines) * lead) / 2
        for ln in lines:
            self._line(ln, role, size, align, xs[col] + pad, xs[col + 1] - pad, _baseline(y, lead, size))
            y -= lead

    def _draw_row(self, row: _Row, xs: list[float], table: Table, aligns: list[str], header: bool = False,
                  skip: tuple[int, ...] = ()) -> None:
        """Rules and text of one row; columns in ``skip`` get their rules but not their text."""
        top, bottom = self.y, self.y - row.height
        if row.section:
            self._rule(xs[0], top, xs[-1], top)
            self._cell_text(row.cells[0], 0, [xs[0], xs[-1]], top, row.height, table, row.role, "left")
            for x in (xs[0], xs[-1]):
                self._rule(x, top, x, bottom)
        else:
            for i, lines in enumerate(row.cells):
                if lines is not None or not row.cont:  # a merged cell has no rule above it
                    self._rule(xs[i], top, xs[i + 1], top)
                if lines and i not in skip:
                    self._cell_text(lines, i, xs, top, row.height, table, row.role,
                                    "center" if header else aligns[i])
            for x in xs:
                self._rule(x, top, x, bottom)
        self.y = bottom
        if header:
            self._close(xs)
