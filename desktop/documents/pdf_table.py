"""Drawing a ``Table`` (a task table: header, section rows, tasks with merged 序号/任务名称) on PDF pages.

Every cell is measured and broken once (``pdf_text``). The header row repeats on every page and each
page is filled: a task's item rows may break between any two rows (the merged 序号/任务名称 text is
repeated on the continuation), a section row stays with the row after it, and a row that does not fit in
the space left moves to the next page only when it fits on a fresh one (otherwise it is split where it
stands). Where every row went is kept as a ``TablePlan``, which the .docx writer follows.
``TableDrawing``'s methods are ``PdfWriter``'s (``pdf_writer``): they draw on its page state.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.documents import layout
from desktop.documents.layout import baseline
from desktop.documents.model import SectionRow, Table, table_layout

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




def _height(cells: list[list[str] | None]) -> float:
    """A row as tall as Word and LibreOffice make it: its lines, the padding and the rule above it."""
    n = max([len(c) for c in cells if c is not None] + [1])
    return n * layout.TABLE_LEADING + 2 * layout.TABLE_PAD_Y + layout.TABLE_BORDER


class TableDrawing:
    """The table methods of ``PdfWriter``."""

    def _wrap_cells(self, texts: list[str], widths: list[float], role: str) -> list[list[str]]:
        size = layout.TABLE_FONT_SIZE
        return [self.fonts.wrap(t, role, size, layout.cell_text_width(w, size)) if t else []
                for t, w in zip(texts, widths, strict=True)]

    _height = staticmethod(_height)

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
        h = _height
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
            self._line(ln, role, size, align, xs[col] + pad, xs[col + 1] - pad, baseline(y, lead, size))
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
