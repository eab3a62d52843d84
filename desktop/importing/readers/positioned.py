"""Text placed on pages (PDF characters, OFD text runs, OCR boxes) turned into paragraphs and tables.

Every fixed-layout reader hands over ``Piece``s — a text with its box on a page — and gets back the
blocks of a ``SourceDocument``: lines of text in reading order and ``Table`` grids. The steps:

1. Lines: pieces whose vertical middles agree form a line; a line splits into *segments* where a
   gap is wider than about a character (table cells, a signature beside its date).
2. Page furniture: page-number lines (``— 3 —``, ``-3-``, ``第 3 页``) at the top or bottom of a page,
   and running headers/footers (the same one-segment line first or last on several pages) are dropped.
3. Tables without rules: from a line of two or more segments, the following lines belong to the
   table while each of their segments stays inside one column (a one-segment line across two columns
   — a paragraph, a title — ends it). A table may run on over a page break. Columns are the
   vertical strips of white space that (almost) no line crosses.
4. Rows: in each column, lines close together form a cell block; blocks that overlap vertically are
   one row (so a label centred beside a two-line value pairs with it); a block running past a line
   where two other columns start a cell together (a table with no padding) is cut there.
5. Page breaks: a header repeated at the top of a page is dropped, and a row split by the break (the
   next page opens with a row whose first cell and one of the always-filled cells are empty) joins
   the row above. Ruled tables (``Grid``, found by the reader, e.g. pdfplumber) get the same two rules.

Coordinates are in any unit (PDF points, OFD millimetres, image pixels) with y growing downwards;
every tolerance is a multiple of the text size.

Steps 1–2 are ``positioned_lines``', steps 3–5 ``positioned_tables``'; this module puts them together
and joins the lines of running text that the page width wrapped.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from .positioned_lines import Line, Piece, drop_furniture, page_lines
from .positioned_tables import TableItem, merge_tables, table_regions, table_rows

__all__ = ["Grid", "Page", "Piece", "layout_blocks"]

PARAGRAPH_GAP = 1.0  # a wider vertical gap between two lines of text is a paragraph break


@dataclass
class Grid:
    """A ruled table found by the reader: its rows (None or "" for merged-away cells) and box."""

    rows: list[list[str | None]]
    top: float
    bottom: float
    x0: float = 0.0
    x1: float = 0.0


@dataclass
class Page:
    """What a reader found on one page."""

    pieces: list[Piece]
    width: float
    height: float
    grids: list[Grid] = field(default_factory=list)


def layout_blocks(pages: list[Page]) -> list:
    """Paragraph lines and Tables of the pages, in reading order (module docstring)."""
    all_lines: list[list[Line]] = []
    for n, page in enumerate(pages):
        pieces = page.pieces
        if page.grids:
            pieces = [p for p in pieces if not any(g.top - 1 <= (p.top + p.bottom) / 2 <= g.bottom + 1
                                                   and g.x0 - 1 <= (p.x0 + p.x1) / 2 <= g.x1 + 1 for g in page.grids)]
        all_lines.append(page_lines(n, pieces))
    drop_furniture(all_lines, [p.height for p in pages])
    items: list[Line | TableItem] = []
    offset = 0.0
    for n, (lines, page) in enumerate(zip(all_lines, pages, strict=False)):
        here: list[Line | TableItem] = []
        for ln in lines:
            ln.gy, ln.gb = offset + ln.top, offset + ln.bottom
            here.append(ln)
        for g in page.grids:
            rows = [["" if c is None else str(c).strip() for c in r] for r in g.rows]
            here.append(TableItem(n, g.top, rows, [n] * len(rows), n))
        here.sort(key=lambda it: it.top)
        items.extend(here)
        offset += page.height + 1000.0
    lines_only = [it for it in items if isinstance(it, Line)]
    # regions are found over the lines; a ruled table between two lines stops a region
    barrier_after = set()
    pos = {id(it): k for k, it in enumerate(lines_only)}
    for k, it in enumerate(items):
        if isinstance(it, TableItem):
            nxt = next((x for x in items[k + 1:] if isinstance(x, Line)), None)
            if nxt is not None:
                barrier_after.add(pos[id(nxt)])
    regions = table_regions(lines_only, barrier_after)
    region_at = {s: e for s, e in regions}
    in_table = {k for s, e in regions for k in range(s, e)}
    edges = _text_edges([ln for k, ln in enumerate(lines_only) if k not in in_table])
    out_items: list[str | TableItem] = []
    skip_until = -1
    prev: Line | None = None
    for it in items:
        if isinstance(it, TableItem):
            out_items.append(it)
            prev = None
            continue
        k = pos[id(it)]
        if k < skip_until:
            continue
        if k in region_at:
            end = region_at[k]
            region = lines_only[k:end]
            rows, row_pages = table_rows(region)
            out_items.append(TableItem(region[0].page, region[0].top, rows, row_pages, region[-1].page))
            skip_until = end
            prev = None
            continue
        if prev is not None and prev.page == it.page and it.top - prev.bottom > PARAGRAPH_GAP * max(it.size, prev.size):
            out_items.append("")  # paragraph spacing: keeps the parser from joining the lines as one wrapped text
        elif prev is not None and _wraps(prev, it, edges) and isinstance(out_items[-1], str) and out_items[-1]:
            out_items[-1] = _join_wrapped(out_items[-1], it.text)  # a line broken by the text width
            prev = it
            continue
        out_items.append(it.text)
        prev = it
    return merge_tables(out_items)


_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,3}\s*[、.．](?!\d)"
                   r"|第[一二三四五六七八九十百\d]+[条章节]|[①-⑳]|附\s*件)")


def _text_edges(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """Left and right edges of the running text of each page (where wrapped lines start and end)."""
    by: dict[int, list[Line]] = {}
    for ln in lines:
        by.setdefault(ln.page, []).append(ln)
    out = {}
    for page, ls in by.items():
        wide = [ln for ln in ls if len(ln.text) >= 8] or ls
        rights = sorted(ln.x1 for ln in wide)
        right = rights[-1]
        size = statistics.median(ln.size for ln in ls)
        if sum(1 for x in rights if x >= right - 1.5 * size) >= 2:  # an edge that wrapped lines share
            out[page] = (min(ln.x0 for ln in wide), right)
    return out


def _wraps(prev: Line, ln: Line, edges: dict[int, tuple[float, float]]) -> bool:
    """Whether ``ln`` continues ``prev``: same page, ``prev`` runs to the right edge of the text and
    ``ln`` starts at its left edge, not with a numbered item."""
    if prev.page != ln.page or prev.page not in edges or len(prev.segs) > 1 or len(ln.segs) > 1:
        return False
    left, right = edges[prev.page]
    size = max(prev.size, ln.size)
    return prev.x1 >= right - 1.5 * size and ln.x0 <= left + 0.5 * size and not _ITEM.match(ln.text)


def _join_wrapped(a: str, b: str) -> str:
    if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return f"{a} {b}"
    return a + b
