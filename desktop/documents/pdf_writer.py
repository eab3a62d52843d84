"""Renders a ``model.Doc`` to PDF with reportlab's canvas: grid-line paragraphs, paginated tables, page numbers.

The table layout is done here rather than by platypus: every cell is measured and broken once (``pdf_text``),
so 5,000 rows take seconds, both Chinese line-breaking rules hold, and every glyph comes from a font that has
it. Tables repeat their header row on every page, never split a row (unless one row is taller than a page),
keep a task's item rows with its merged 序号/任务名称 cell together when they fit on one page, and keep a
section row with the row after it. Page numbers follow clause 7.5, and clause 8 on landscape pages.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.documents import layout
from desktop.documents.layout import mm
from desktop.documents.model import Doc, ItemRow, PageBreak, Para, SectionRow, Table
from desktop.documents.pdf_text import FontSet


class Cancelled(Exception):
    """The caller's ``cancel()`` returned True."""


@dataclass
class _Row:
    cells: list[list[str] | None]  # wrapped lines per column; None = merged into the row above
    height: float
    role: str = "fang"
    section: bool = False
    cont: bool = False


def _baseline(top: float, pitch: float, size: float) -> float:
    """Baseline of a glyph centred in a line box of height ``pitch`` whose top is ``top``."""
    return top - pitch / 2 - layout.DASH_HEIGHT_EM * size


class PdfWriter:
    """One export: ``render()`` writes the file and returns the page count."""

    def __init__(self, doc: Doc, out: Path, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.doc, self.out = doc, out
        self.progress, self.cancel = progress, cancel
        self.fonts = FontSet()
        m = layout.LANDSCAPE if doc.landscape else layout.PORTRAIT
        short, long_ = mm(layout.PAGE_SHORT_MM), mm(layout.PAGE_LONG_MM)
        self.page_w, self.page_h = (long_, short) if doc.landscape else (short, long_)
        self.x0, self.x1 = mm(m.left), self.page_w - mm(m.right)
        self.top, self.bottom = self.page_h - mm(m.top), mm(m.bottom)
        self.done, self.total = 0, max(1, 2 * doc.row_count())
        self.page = 0
        self._enc: dict[tuple[str, str], tuple[str, int]] = {}

    # ---- pages and text ------------------------------------------------------------------------

    def render(self) -> int:
        from reportlab import rl_config

        saved = rl_config.useA85
        rl_config.useA85 = 0  # ASCII85 of compressed streams is pure Python here: the slowest step
        try:
            return self._render()
        finally:
            rl_config.useA85 = saved

    def _render(self) -> int:
        from reportlab.pdfgen.canvas import Canvas

        base = self.fonts.chain("fang")[0].name
        self.c = Canvas(str(self.out), pagesize=(self.page_w, self.page_h), initialFontName=base,
                        initialFontSize=layout.SIZE_BODY, pageCompression=1)
        self.c.setTitle(self.doc.title)
        self.c.setAuthor("NoticeDesk 要点台账")
        self.c.setCreator("NoticeDesk 要点台账")
        self._new_page()
        for block in self.doc.blocks:
            if isinstance(block, Para):
                self._para(block)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, PageBreak):
                self._end_page()
                self._new_page()
        self._end_page()
        self.c.save()
        self._tick(0, force=True)
        return self.page

    def _tick(self, n: int, force: bool = False) -> None:
        self.done += n
        if force or self.done % 64 < n:
            if self.cancel is not None and self.cancel():
                raise Cancelled
            if self.progress is not None:
                self.progress(min(self.done, self.total), self.total)

    def _new_page(self) -> None:
        self.page += 1
        self.y = self.top
        self.rules: list[str] = []  # raw PDF path operators (reportlab's number formatting is slow)
        self.ops: list[str] = []  # raw PDF text operators
        self.cur_font: tuple[str, float] | None = None

    def _end_page(self) -> None:
        c = self.c
        if self.rules:
            c._code.append(f"{layout.TABLE_BORDER} w 0 G " + " ".join(self.rules) + " S")
        if self.ops:
            c._code.append("BT 0 g " + " ".join(self.ops) + " ET")
        self._page_number()
        c.showPage()

    def _rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
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
        w = self.fonts.width(text, role, size) + base_cs * len(text)
        if align == "center":
            x = x0 + (x1 - x0 - w) / 2
        elif align == "right":
            x = x1 - w
        else:
            x = x0
        cs = base_cs
        if align == "justify" and not last and len(text) > 1:
            cs += (x1 - x0 - w) / (len(text) - 1)
        self._text(x, y, text, role, size, cs)

    def _page_number(self) -> None:
        n, size, role = self.page, layout.SIZE_PAGE_NUMBER, "song"
        dash = layout.PAGE_NUMBER_DASH
        s = f"{dash} {n} {dash}"
        w = self.fonts.width(s, role, size)
        gap = mm(layout.PAGE_NUMBER_GAP_MM) + layout.DASH_HEIGHT_EM * size  # 版心 edge → baseline
        odd = n % 2 == 1
        if not self.doc.landscape:
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
        base_cs = layout.BODY_CHAR_SPACING if (size == layout.SIZE_BODY and not self.doc.landscape) else 0.0
        scale = size / (size + base_cs)
        if not p.text:
            lines = [""]
        else:
            first = p.indent * size
            lines = self.fonts.wrap(p.text, p.role, size, (x1 - x0 - first) * scale)
            if len(lines) > 1 and p.align == "center":  # balance a multi-line title: no lone last character
                total = self.fonts.width(p.text, p.role, size)
                n = len(lines)
                for slack in (1.0, 1.5, 2.0):
                    even = self.fonts.wrap(p.text, p.role, size, min(x1 - x0, total / n + slack * size) * scale)
                    if len(even) == n:
                        lines = even
                        break
            if len(lines) > 1 and first:  # re-break the rest at full width
                rest = self.fonts.wrap(p.text[len(lines[0]):].lstrip(), p.role, size, (x1 - x0) * scale)
                lines = [lines[0]] + rest
        for i, line in enumerate(lines):
            if self.y - pitch < self.bottom - 0.5:
                self._end_page()
                self._new_page()
            if line:
                start = x0 + (p.indent * size if i == 0 else 0)
                self._line(line, p.role, size, p.align, start, x1, _baseline(self.y, pitch, size),
                           last=i == len(lines) - 1, base_cs=base_cs)
            self.y -= pitch

    # ---- tables --------------------------------------------------------------------------------

    def _wrap_cells(self, texts: list[str], widths: list[float], role: str) -> list[list[str]]:
        pad, size = layout.TABLE_PAD_X, layout.TABLE_FONT_SIZE
        return [self.fonts.wrap(t, role, size, w - 2 * pad) if t else [] for t, w in zip(texts, widths, strict=True)]

    @staticmethod
    def _height(cells: list[list[str] | None]) -> float:
        n = max([len(c) for c in cells if c is not None] + [1])
        return n * layout.TABLE_LEADING + 2 * layout.TABLE_PAD_Y

    def _prepare(self, table: Table, widths: list[float]) -> tuple[_Row, list[list[_Row]]]:
        """The header row and the table's units of pagination (a section row, or a task's rows)."""
        header = self._wrap_cells([c.header for c in table.columns], widths, "hei")
        head = _Row(list(header), self._height(header), "hei")
        cap = self.top - self.bottom - head.height
        units: list[list[_Row]] = []
        for r in table.rows:
            if isinstance(r, SectionRow):
                role = layout.LEVEL_ROLES.get(r.level, "fang")
                lines = self.fonts.wrap(r.text, role, layout.TABLE_FONT_SIZE, self.x1 - self.x0 - 2 * layout.TABLE_PAD_X)
                units.append([_Row([lines], self._height([lines]), role, section=True)])
            else:
                cells: list[list[str] | None] = self._wrap_cells(r.cells, widths, "fang")
                merged_cont = r.cont and bool(units) and not units[-1][0].section
                if merged_cont:
                    for i in table.merged:
                        cells[i] = None
                row = _Row(cells, self._height(cells), cont=merged_cont)
                units[-1].append(row) if merged_cont else units.append([row])
                for piece in self._split_tall(row, cap, table.merged)[1:]:
                    units[-1].append(piece)
            self._tick(1)
        for unit in units:  # the merged cells' text must fit the rows it spans
            if len(unit) > 1 and not unit[0].section:
                need = self._height([unit[0].cells[i] for i in table.merged])
                have = sum(r.height for r in unit)
                if need > have:
                    unit[-1].height += need - have
        return head, units

    def _split_tall(self, row: _Row, cap: float, merged: tuple[int, ...]) -> list[_Row]:
        """A row taller than a page, cut into page-high pieces (the only case a row is split)."""
        if row.height <= cap:
            return [row]
        k = max(1, int((cap - 2 * layout.TABLE_PAD_Y) // layout.TABLE_LEADING))
        n = max(len(c) for c in row.cells if c is not None)
        pieces = []
        for start in range(0, n, k):
            cells = [None if c is None or (start and i in merged) else c[start:start + k]
                     for i, c in enumerate(row.cells)]
            pieces.append(_Row(cells, self._height(cells), cont=bool(start) or row.cont))
        row.cells, row.height = pieces[0].cells, pieces[0].height
        return pieces

    def _table(self, table: Table) -> None:
        cols = table.columns
        texts = [[r.cells[i] for r in table.rows if isinstance(r, ItemRow)] for i in range(len(cols))]
        widths = layout.column_widths(cols, texts, self.x1 - self.x0)
        xs = [self.x0]
        for w in widths:
            xs.append(xs[-1] + w)
        head, units = self._prepare(table, widths)

        def next_page() -> None:
            self._close(xs)
            self._end_page()
            self._new_page()
            self._draw_row(head, xs, table, header=True)

        if self.y - head.height - (units[0][0].height if units else 0) < self.bottom - 0.5:
            self._end_page()
            self._new_page()
        self._draw_row(head, xs, table, header=True)
        fresh = True  # nothing but the header on this page yet
        for k, unit in enumerate(units):
            h = sum(r.height for r in unit)
            if unit[0].section and k + 1 < len(units):
                h += units[k + 1][0].height  # keep a section row with the row below it
            elif len(unit) > 1:
                h = sum(r.height for r in unit[:2])  # a task's rows may split, but not after its first row
            if self.y - h < self.bottom - 0.5 and not fresh:
                next_page()
            merged = table.merged if len(unit) > 1 and not unit[0].section else ()
            i = 0
            while i < len(unit):
                j, room = i, self.y - self.bottom + 0.5
                while j < len(unit) and (unit[j].height <= room or (j == i and fresh)):
                    room -= unit[j].height
                    j += 1
                if j == i:
                    next_page()
                    fresh = True
                    continue
                span = sum(r.height for r in unit[i:j])
                for c in merged:  # the task's 序号/任务名称 over its rows on this page (again if continued)
                    lines = unit[0].cells[c] or []
                    fit = max(1, int((span - 2 * layout.TABLE_PAD_Y + 0.01) // layout.TABLE_LEADING))
                    self._cell_text(lines[:fit], c, xs, self.y, span, table, "fang")
                for r in unit[i:j]:
                    self._draw_row(r, xs, table, skip=merged)
                fresh = False
                i = j
                if i < len(unit):
                    next_page()
                    fresh = True
            self._tick(len(unit))
        self._close(xs)

    def _close(self, xs: list[float]) -> None:
        """The rule under the last row drawn."""
        self._rule(xs[0], self.y, xs[-1], self.y)

    def _cell_text(self, lines: list[str], col: int, xs: list[float], top: float, height: float,
                   table: Table, role: str, align: str | None = None) -> None:
        size, lead, pad = layout.TABLE_FONT_SIZE, layout.TABLE_LEADING, layout.TABLE_PAD_X
        align = align or table.columns[col].align
        y = top - (height - len(lines) * lead) / 2
        for ln in lines:
            self._line(ln, role, size, align, xs[col] + pad, xs[col + 1] - pad, _baseline(y, lead, size))
            y -= lead

    def _draw_row(self, row: _Row, xs: list[float], table: Table, header: bool = False,
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
                    self._cell_text(lines, i, xs, top, row.height, table, row.role, "center" if header else None)
            for x in xs:
                self._rule(x, top, x, bottom)
        self.y = bottom
        if header:
            self._close(xs)
