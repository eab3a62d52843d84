"""Drawing a ``Grid`` (cells merged over rows and columns: the annual report's tables) on PDF pages.

Rows go on a page while they fit and the header rows repeat on every page; a merged cell cut by a page
break is drawn on both pages with its whole text, set smaller where it does not fit. A grid marked
``keep_together`` that fits on a page starts on a fresh page rather than being cut. ``GridDrawing``'s
methods are ``PdfWriter``'s (``pdf_writer``): they draw on its page state (``y``, ``_line``, ``_rule``).
"""
from __future__ import annotations

import math

from desktop.documents import layout
from desktop.documents.layout import baseline
from desktop.documents.model import Grid


class GridDrawing:
    """The grid methods of ``PdfWriter``."""

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
                self._line(ln, c.role, size, c.align, x0 + pad_x, x1 - pad_x, baseline(ty, step, size))
                ty -= step
        self.y = y
