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

This module has the pages, the text and the paragraphs, the 版头 and the 版记; tables are ``pdf_table``'s,
grids ``pdf_grid``'s (methods of ``PdfWriter`` on its page state).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.documents import layout
from desktop.documents.layout import baseline, mm
from desktop.documents.model import Doc, Grid, Imprint, Masthead, NewSection, PageBreak, Para, Table
from desktop.documents.pdf_grid import GridDrawing
from desktop.documents.pdf_table import PlanRow, TableDrawing, TablePlan
from desktop.documents.pdf_text import HANGING, FontSet
from desktop.documents.progress import Cancelled, Progress

__all__ = ["Cancelled", "PdfWriter", "PlanRow", "TablePlan"]


class PdfWriter(TableDrawing, GridDrawing):
    """One export: ``render()`` writes the file and returns the page count. Its tables are drawn by
    ``TableDrawing`` (``pdf_table``), its grids by ``GridDrawing`` (``pdf_grid``), on this page state."""

    def __init__(self, doc: Doc, out: Path | None, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.doc, self.out = doc, out
        self.dry = out is None  # lay out only (``paginate()``)
        self.fonts = FontSet()
        self._orient(doc.landscape)
        self.ticks = Progress(2 * doc.row_count(), progress, cancel, every=64)
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
        self.ticks.tick(n, force)

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
                self._line(line, p.role, size, p.align, start, x1, baseline(self.y, pitch, size),
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
                       baseline(self.y, pitch, layout.SIZE_BODY), base_cs=layout.BODY_CHAR_SPACING)
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
                base = baseline(y, pitch, size)
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

