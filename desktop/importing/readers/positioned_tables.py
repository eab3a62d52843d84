"""Steps 3 to 5 of laying out positioned text (``positioned``): tables without rules, their rows, page breaks.

From a line of two or more segments, the following lines belong to the table while each of their
segments stays inside one column (a one-segment line across two columns — a paragraph, a title — ends
it); a table may run on over a page break. Columns are the vertical strips of white space that (almost)
no line crosses. In each column, lines close together form a cell block; blocks that overlap vertically
are one row; a block running past a line where two other columns start a cell together is cut there.
At a page break a repeated header is dropped and a row split by the break joins the row above; ruled
tables (``Grid``) get the same two rules (``merge_tables``).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ..model import Table
from .positioned_lines import Line, Seg

BLOCK_GAP = 0.8  # lines of one column further apart than this many sizes are different cells
REGION_GAP = 4.0  # a table ends at a vertical gap of this many sizes


@dataclass
class TableItem:
    page: int
    top: float
    rows: list[list[str]]
    row_pages: list[int]
    last_page: int


def _overlaps(seg: Seg, col: list[float], tol: float) -> bool:
    return seg.x0 < col[1] - tol and seg.x1 > col[0] + tol


def _fits(line: Line, cols: list[list[float]], grow: bool) -> bool:
    """Whether the line's segments each stay inside one column (adding columns in the gaps when
    ``grow``); a line of one segment over two columns does not fit."""
    tol = 0.2 * line.size
    placed: dict[int, Seg] = {}
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


def table_regions(lines: list[Line], barriers: set[int]) -> list[tuple[int, int]]:
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


def _inner_run(lines: list[Line], j: int, cols: list[list[float]], barriers: set[int]) -> int:
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


def _last_on_page(lines: list[Line], k: int) -> bool:
    return k + 1 >= len(lines) or lines[k + 1].page != lines[k].page


def _first_on_page(lines: list[Line], k: int) -> bool:
    return k == 0 or lines[k - 1].page != lines[k].page


def _separators(lines: list[Line]) -> list[float]:
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


def _column_of(seg: Seg, seps: list[float]) -> int:
    x = seg.x0 + min(0.5 * (seg.x1 - seg.x0), 1.0)
    return sum(1 for s in seps if x > s)


def table_rows(lines: list[Line]) -> tuple[list[list[str]], list[int]]:
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


def merge_tables(items: list) -> list:
    """Consecutive table items across a page break become one Table (ruled tables split by pages);
    every table gets the page-break rules."""
    merged: list = []
    for it in items:
        if isinstance(it, TableItem) and merged and isinstance(merged[-1], TableItem):
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
        if isinstance(it, TableItem):
            rows = _join_breaks(it.rows, it.row_pages)
            if rows:
                out.append(Table(rows))
        else:
            out.append(it)
    return out
