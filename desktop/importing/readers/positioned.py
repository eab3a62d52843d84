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
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..model import Table

SEGMENT_GAP = 0.9  # a horizontal gap wider than this many text sizes splits a line into segments
BLOCK_GAP = 0.8  # lines of one column further apart than this many sizes are different cells
PARAGRAPH_GAP = 1.0  # a wider vertical gap between two lines of text is a paragraph break
REGION_GAP = 4.0  # a table ends at a vertical gap of this many sizes
HEADER_ZONE = 0.14  # page-number lines are looked for in this share of the page at top and bottom

_PAGE_NO = re.compile(r"^\s*(?:[-—–－]{1,2}\s*\d{1,4}\s*[-—–－]{1,2}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
                      r"|\d{1,4}\s*/\s*\d{1,4}|共\s*\d+\s*页\s*第\s*\d+\s*页)\s*$")
_BARE_NO = re.compile(r"^\s*\d{1,4}\s*$")
_ASCII = re.compile(r"[0-9A-Za-z.,:;%/()\-+]")


@dataclass
class Piece:
    """Text with its box on a page (y grows downwards)."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)


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


@dataclass
class _Seg:
    x0: float
    x1: float
    text: str


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    size: float
    segs: list[_Seg]
    gy: float = 0.0  # top in document coordinates (pages stacked)
    gb: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1


@dataclass
class _TableItem:
    page: int
    top: float
    rows: list[list[str]]
    row_pages: list[int]
    last_page: int


# --------------------------------------------------------------------------- lines


def _join(pieces: list[Piece], size: float) -> str:
    out = pieces[0].text
    for prev, p in zip(pieces, pieces[1:], strict=False):
        gap = p.x0 - prev.x1
        ascii_edge = bool(_ASCII.match(prev.text[-1:]) or _ASCII.match(p.text[:1]))
        if gap > (0.25 if ascii_edge else 0.6) * size and not out.endswith(" "):
            out += " "
        out += p.text
    return re.sub(r"\s+", " ", out).strip()


def _lines(page_no: int, pieces: list[Piece]) -> list[_Line]:
    pieces = [p for p in pieces if p.text and p.text.strip()]
    pieces.sort(key=lambda p: (p.top + p.bottom) / 2)
    groups: list[list[Piece]] = []
    mid = 0.0
    for p in pieces:
        c = (p.top + p.bottom) / 2
        if groups:
            g = groups[-1]
            h = max(statistics.median(q.height for q in g[:9]), p.height)
            if abs(c - mid) <= 0.4 * h:
                g.append(p)
                mid = (mid * (len(g) - 1) + c) / len(g)
                continue
        groups.append([p])
        mid = c
    lines = []
    for g in groups:
        g.sort(key=lambda p: p.x0)
        size = statistics.median(p.height for p in g)
        segs: list[list[Piece]] = [[g[0]]]
        reach = g[0].x1
        for p in g[1:]:
            if p.x0 - reach > SEGMENT_GAP * size:
                segs.append([p])
                reach = p.x1
            else:
                segs[-1].append(p)
                reach = max(reach, p.x1)
        out = [_Seg(s[0].x0, max(q.x1 for q in s), _join(s, size)) for s in segs]
        out = [s for s in out if s.text]
        if out:
            lines.append(_Line(page_no, min(p.top for p in g), max(p.bottom for p in g), size, out))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _furniture_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _drop_furniture(pages: list[list[_Line]], heights: list[float]) -> None:
    """Page numbers at the top or bottom of a page, and running headers/footers, removed in place."""
    for lines, height in zip(pages, heights, strict=False):
        keep = []
        for k, ln in enumerate(lines):
            edge = k < 2 or k >= len(lines) - 2
            in_zone = ln.bottom <= HEADER_ZONE * height or ln.top >= (1 - HEADER_ZONE) * height
            if len(ln.segs) == 1 and edge and (_PAGE_NO.match(ln.text) and (in_zone or k in (0, len(lines) - 1))
                                               or _BARE_NO.match(ln.text) and in_zone and k == len(lines) - 1):
                continue
            keep.append(ln)
        lines[:] = keep
    if len(pages) < 2:
        return
    seen: dict[str, set[int]] = {}
    for n, lines in enumerate(pages):
        for ln in lines[:2] + lines[-2:]:
            if len(ln.segs) == 1:
                seen.setdefault(_furniture_key(ln), set()).add(n)
    running = {k for k, on in seen.items() if len(on) >= max(2, (len(pages) + 1) // 2)}
    if running:
        for lines in pages:
            edges = {id(ln) for ln in lines[:2] + lines[-2:]}
            lines[:] = [ln for ln in lines if not (id(ln) in edges and len(ln.segs) == 1
                                                   and _furniture_key(ln) in running)]


# --------------------------------------------------------------------------- tables without rules


def _overlaps(seg: _Seg, col: list[float], tol: float) -> bool:
    return seg.x0 < col[1] - tol and seg.x1 > col[0] + tol


def _fits(line: _Line, cols: list[list[float]], grow: bool) -> bool:
    """Whether the line's segments each stay inside one column (adding columns in the gaps when
    ``grow``); a line of one segment over two columns does not fit."""
    tol = 0.2 * line.size
    placed: dict[int, _Seg] = {}
    for seg in line.segs:
        hit = [i for i, c in enumerate(cols) if _overlaps(seg, c, tol)]
        if len(hit) >= 2:
            if len(line.segs) == 1:
                return False
            continue  # a cell spanning columns in a row of several cells
        if not hit:
            if grow:
                cols.append([seg.x0, seg.x1])
                cols.sort()
            continue
        i = hit[0]
        if i in placed:  # two segments in one column: the column is two columns
            if not grow:
                return False
            other = placed[i]
            cut = (other.x1 + seg.x0) / 2 if other.x0 < seg.x0 else (seg.x1 + other.x0) / 2
            c = cols[i]
            cols[i:i + 1] = [[c[0], cut - tol], [cut + tol, c[1]]]
            return _fits(line, cols, grow)
        placed[i] = seg
        if grow:
            cols[i] = [min(cols[i][0], seg.x0), max(cols[i][1], seg.x1)]
    return True


def _regions(lines: list[_Line], barriers: set[int]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of lines that form a table without rules."""
    out = []
    i = 0
    n = len(lines)
    while i < n:
        if len(lines[i].segs) < 2 or i in barriers:
            i += 1
            continue
        cols = [[s.x0, s.x1] for s in lines[i].segs]
        j = i + 1
        while j < n and j not in barriers:
            prev, ln = lines[j - 1], lines[j]
            if ln.page == prev.page and ln.top - prev.bottom > REGION_GAP * max(ln.size, prev.size):
                break
            if ln.page != prev.page and not (_last_on_page(lines, j - 1) and _first_on_page(lines, j)):
                break
            if abs(ln.size - prev.size) > 0.35 * max(ln.size, prev.size) and len(ln.segs) == 1:
                break  # a title in another type size
            trial = [c[:] for c in cols]
            if not _fits(ln, trial, grow=True):
                inner = _inner_run(lines, j, cols, barriers)
                if not inner:
                    break
                j = inner
                continue
            cols = trial
            j += 1
        start = i
        while start > 0 and start - 1 not in barriers and _out_end(out) <= start - 1:
            ln, nxt = lines[start - 1], lines[start]
            if ln.page != nxt.page or nxt.top - ln.bottom > 1.5 * ln.size or len(ln.segs) != 1:
                break
            if ln.x0 <= cols[0][1] or not _fits(ln, [c[:] for c in cols], grow=False):
                break
            start -= 1
        multi = sum(1 for ln in lines[start:j] if len(ln.segs) >= 2)
        if multi >= 2 and len(cols) >= 2:
            out.append((start, j))
            i = j
        else:
            i += 1
    return out


def _inner_run(lines: list[_Line], j: int, cols: list[list[float]], barriers: set[int]) -> int:
    """Lines from ``j`` that start right of the first column (a value cell spanning columns, as in a
    form) belong to the table when they run on to a row that fits the columns, or to the table's end;
    the index after them, or 0 when they do not (a paragraph after the table)."""
    k = j
    while k < len(lines) and k not in barriers:
        ln = lines[k]
        if k > j:
            prev = lines[k - 1]
            if ln.page != prev.page or ln.top - prev.bottom > REGION_GAP * max(ln.size, prev.size):
                return k
            if len(ln.segs) >= 2 and _fits(ln, [c[:] for c in cols], grow=False) or len(ln.segs) >= 2 \
                    and _fits(ln, [c[:] for c in cols], grow=True):
                return k
        if ln.x0 < cols[0][1] + 0.5 * ln.size or k - j >= 8:
            return 0
        k += 1
    return k


def _out_end(out: list[tuple[int, int]]) -> int:
    return out[-1][1] if out else 0


def _last_on_page(lines: list[_Line], k: int) -> bool:
    return k + 1 >= len(lines) or lines[k + 1].page != lines[k].page


def _first_on_page(lines: list[_Line], k: int) -> bool:
    return k == 0 or lines[k - 1].page != lines[k].page


def _separators(lines: list[_Line]) -> list[float]:
    """x positions between columns: the middles of white strips that lines with text on both sides show
    and fewer rows of several cells cross (a lone value or title spanning columns does not count)."""
    segs = [s for ln in lines for s in ln.segs]
    size = statistics.median(ln.size for ln in lines)
    events = sorted({x for s in segs for x in (s.x0, s.x1)})
    spans = [(min(s.x0 for s in ln.segs), max(s.x1 for s in ln.segs), ln.segs) for ln in lines]
    marks = []
    for a, b in zip(events, events[1:], strict=False):
        m = (a + b) / 2
        crossing = sum(1 for lo, hi, ss in spans if len(ss) >= 2 and any(s.x0 < m < s.x1 for s in ss))
        sides = sum(1 for lo, hi, ss in spans if lo < m < hi and not any(s.x0 < m < s.x1 for s in ss))
        marks.append((a, b, crossing, sides >= 2 and crossing <= 0.75 * sides))
    seps = []
    k = 0
    while k < len(marks):
        if not marks[k][3]:
            k += 1
            continue
        j = k
        while j + 1 < len(marks) and marks[j + 1][3]:
            j += 1
        run = marks[k:j + 1]
        least = min(c for _, _, c, _ in run)
        best = [(a, b) for a, b, c, _ in run if c == least]
        lo, hi = best[0][0], best[-1][1]
        if run[-1][1] - run[0][0] >= 0.3 * size:
            seps.append((lo + hi) / 2)
        k = j + 1
    return seps


def _column_of(seg: _Seg, seps: list[float]) -> int:
    x = seg.x0 + min(0.5 * (seg.x1 - seg.x0), 1.0)
    return sum(1 for s in seps if x > s)


def _rows(lines: list[_Line]) -> tuple[list[list[str]], list[int]]:
    """The grid of a table region, and the page of each row."""
    seps = _separators(lines)
    ncol = len(seps) + 1
    size = statistics.median(ln.size for ln in lines)
    # cells of each line by column
    cells: list[dict[int, str]] = []
    for ln in lines:
        by: dict[int, list[str]] = {}
        for s in ln.segs:
            by.setdefault(_column_of(s, seps), []).append(s.text)
        cells.append({c: " ".join(t) for c, t in by.items()})
    # blocks: runs of close lines in one column
    blocks: list[tuple[int, list[int]]] = []  # (column, line indexes)
    for c in range(ncol):
        idx = [k for k in range(len(lines)) if c in cells[k]]
        cur: list[int] = []
        for k in idx:
            if cur:
                p = lines[cur[-1]]
                if lines[k].page != p.page or lines[k].top - p.bottom > BLOCK_GAP * size:
                    blocks.append((c, cur))
                    cur = []
            cur.append(k)
        if cur:
            blocks.append((c, cur))
    # strong row starts: two or more columns start a block on the same line
    starts: dict[int, set[int]] = {}
    for c, ks in blocks:
        starts.setdefault(ks[0], set()).add(c)
    strong = {k for k, cs in starts.items() if len(cs) >= 2}
    cut: list[tuple[int, list[int]]] = []
    for c, ks in blocks:
        cur = [ks[0]]
        for k in ks[1:]:
            if k in strong and c not in starts.get(k, set()):
                cut.append((c, cur))
                cur = []
            cur.append(k)
        cut.append((c, cur))
    # rows: blocks that overlap vertically
    parent = list(range(len(cut)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    spans = [(lines[ks[0]].gy, lines[ks[-1]].gb) for _, ks in cut]
    order = sorted(range(len(cut)), key=lambda b: spans[b][0])
    reach_end, reach_block = -1e18, -1
    for b in order:
        top, bottom = spans[b]
        if reach_block >= 0 and reach_end - top > 0.15 * size:
            parent[find(b)] = find(reach_block)
        if bottom > reach_end:
            reach_end, reach_block = bottom, b
    groups: dict[int, list[int]] = {}
    for b in order:
        groups.setdefault(find(b), []).append(b)
    rows, pages = [], []
    for members in sorted(groups.values(), key=lambda m: min(spans[b][0] for b in m)):
        row = [""] * ncol
        for b in sorted(members, key=lambda b: spans[b][0]):
            c, ks = cut[b]
            text = "\n".join(cells[k][c] for k in ks)
            row[c] = f"{row[c]}\n{text}" if row[c] else text
        rows.append(row)
        pages.append(lines[cut[members[0]][1][0]].page)
    return rows, pages


# --------------------------------------------------------------------------- page breaks


def _norm(row: list[str]) -> str:
    return re.sub(r"\s+", "", "|".join(row))


def _dense(rows: list[list[str]]) -> set[int]:
    width = max((len(r) for r in rows), default=0)
    return {c for c in range(1, width) if sum(1 for r in rows if c < len(r) and r[c].strip()) >= 0.6 * len(rows)}


def _join_breaks(rows: list[list[str]], pages: list[int]) -> list[list[str]]:
    """Repeated headers at the top of a page dropped; a row split by a page break joined to the row above."""
    if not rows:
        return rows
    header = [_norm(r) for r in rows[:3]]
    dense = _dense(rows)
    out: list[list[str]] = []
    out_pages: list[int] = []
    k = 0
    while k < len(rows):
        row = rows[k]
        if out and pages[k] != out_pages[-1]:
            h = 0
            while k < len(rows) and h < len(header) and _norm(rows[k]) == header[h] and header[h]:
                k += 1
                h += 1
            if k >= len(rows):
                break
            row = rows[k]
            prev = out[-1]
            if pages[k] != out_pages[-1] and not row[0].strip() and any(c < len(prev) and prev[c].strip()
                                                                       and not row[c].strip() for c in dense):
                out[-1] = [f"{a}\n{b}" if a.strip() and b.strip() else (a or b)
                           for a, b in zip(prev, row, strict=False)]
                out_pages[-1] = pages[k]
                k += 1
                continue
        out.append(list(row))
        out_pages.append(pages[k])
        k += 1
    return out


# --------------------------------------------------------------------------- the document


def layout_blocks(pages: list[Page]) -> list:
    """Paragraph lines and Tables of the pages, in reading order (module docstring)."""
    all_lines: list[list[_Line]] = []
    for n, page in enumerate(pages):
        pieces = page.pieces
        if page.grids:
            pieces = [p for p in pieces if not any(g.top - 1 <= (p.top + p.bottom) / 2 <= g.bottom + 1
                                                   and g.x0 - 1 <= (p.x0 + p.x1) / 2 <= g.x1 + 1 for g in page.grids)]
        all_lines.append(_lines(n, pieces))
    _drop_furniture(all_lines, [p.height for p in pages])
    items: list[_Line | _TableItem] = []
    offset = 0.0
    for n, (lines, page) in enumerate(zip(all_lines, pages, strict=False)):
        here: list[_Line | _TableItem] = []
        for ln in lines:
            ln.gy, ln.gb = offset + ln.top, offset + ln.bottom
            here.append(ln)
        for g in page.grids:
            rows = [["" if c is None else str(c).strip() for c in r] for r in g.rows]
            here.append(_TableItem(n, g.top, rows, [n] * len(rows), n))
        here.sort(key=lambda it: it.top)
        items.extend(here)
        offset += page.height + 1000.0
    lines_only = [it for it in items if isinstance(it, _Line)]
    # regions are found over the lines; a ruled table between two lines stops a region
    barrier_after = set()
    pos = {id(it): k for k, it in enumerate(lines_only)}
    for k, it in enumerate(items):
        if isinstance(it, _TableItem):
            nxt = next((x for x in items[k + 1:] if isinstance(x, _Line)), None)
            if nxt is not None:
                barrier_after.add(pos[id(nxt)])
    regions = _regions(lines_only, barrier_after)
    region_at = {s: e for s, e in regions}
    in_table = {k for s, e in regions for k in range(s, e)}
    edges = _text_edges([ln for k, ln in enumerate(lines_only) if k not in in_table])
    out_items: list[str | _TableItem] = []
    skip_until = -1
    prev: _Line | None = None
    for it in items:
        if isinstance(it, _TableItem):
            out_items.append(it)
            prev = None
            continue
        k = pos[id(it)]
        if k < skip_until:
            continue
        if k in region_at:
            end = region_at[k]
            region = lines_only[k:end]
            rows, row_pages = _rows(region)
            out_items.append(_TableItem(region[0].page, region[0].top, rows, row_pages, region[-1].page))
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
    return _merge_tables(out_items)


_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,3}\s*[、.．](?!\d)"
                   r"|第[一二三四五六七八九十百\d]+[条章节]|[①-⑳]|附\s*件)")


def _text_edges(lines: list[_Line]) -> dict[int, tuple[float, float]]:
    """Left and right edges of the running text of each page (where wrapped lines start and end)."""
    by: dict[int, list[_Line]] = {}
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


def _wraps(prev: _Line, ln: _Line, edges: dict[int, tuple[float, float]]) -> bool:
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


def _merge_tables(items: list) -> list:
    """Consecutive table items across a page break become one Table (ruled tables split by pages);
    every table gets the page-break rules."""
    merged: list = []
    for it in items:
        if isinstance(it, _TableItem) and merged and isinstance(merged[-1], _TableItem):
            prev = merged[-1]
            width = max(len(r) for r in prev.rows)
            if it.page == prev.last_page + 1 and max(len(r) for r in it.rows) == width:
                prev.rows += it.rows
                prev.row_pages += it.row_pages
                prev.last_page = it.last_page
                continue
        merged.append(it)
    out: list = []
    for it in merged:
        if isinstance(it, _TableItem):
            rows = _join_breaks(it.rows, it.row_pages)
            if rows:
                out.append(Table(rows))
        else:
            out.append(it)
    return out

