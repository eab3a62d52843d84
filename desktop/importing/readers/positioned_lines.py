"""Steps 1 and 2 of laying out positioned text (``positioned``): pieces into lines, page furniture dropped.

Pieces whose vertical middles agree form a ``Line``; a line splits into segments (``Seg``) where a gap is
wider than about a character (table cells, a signature beside its date). Page-number lines (``— 3 —``,
``-3-``, ``第 3 页``) at the top or bottom of a page, and running headers/footers (the same one-segment
line first or last on several pages) are dropped.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

SEGMENT_GAP = 0.9  # a horizontal gap wider than this many text sizes splits a line into segments
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
class Seg:
    x0: float
    x1: float
    text: str


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    size: float
    segs: list[Seg]
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




def _join(pieces: list[Piece], size: float) -> str:
    out = pieces[0].text
    for prev, p in zip(pieces, pieces[1:], strict=False):
        gap = p.x0 - prev.x1
        ascii_edge = bool(_ASCII.match(prev.text[-1:]) or _ASCII.match(p.text[:1]))
        if gap > (0.25 if ascii_edge else 0.6) * size and not out.endswith(" "):
            out += " "
        out += p.text
    return re.sub(r"\s+", " ", out).strip()


def page_lines(page_no: int, pieces: list[Piece]) -> list[Line]:
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
        out = [Seg(s[0].x0, max(q.x1 for q in s), _join(s, size)) for s in segs]
        out = [s for s in out if s.text]
        if out:
            lines.append(Line(page_no, min(p.top for p in g), max(p.bottom for p in g), size, out))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def drop_furniture(pages: list[list[Line]], heights: list[float]) -> None:
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
