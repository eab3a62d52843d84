"""The normalised source text and where each paragraph and table cell sits in it.

Paragraphs are joined by newlines; a table is rendered row by row, cells separated by tabs (line
breaks inside a cell shown as spaces, so offsets stay exact).  Task source spans index this text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Table


@dataclass
class Para:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class TablePos:
    table: Table
    cells: list[list[tuple[int, int]]] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class Layout:
    items: list[Para | TablePos]
    text: str

    @property
    def paras(self) -> list[Para]:
        return [p for p in self.items if isinstance(p, Para)]

    @property
    def tables(self) -> list[TablePos]:
        return [t for t in self.items if isinstance(t, TablePos)]


def build_layout(blocks: list) -> Layout:
    parts: list[str] = []
    items: list[Para | TablePos] = []
    pos = 0
    for b in blocks:
        if isinstance(b, Table):
            tp = TablePos(b, start=pos)
            for r, row in enumerate(b.rows):
                spans = []
                for c, cell in enumerate(row):
                    text = cell.replace("\n", " ")
                    spans.append((pos, pos + len(text)))
                    parts.append(text)
                    pos += len(text)
                    if c < len(row) - 1:
                        parts.append("\t")
                        pos += 1
                tp.cells.append(spans)
                if r < len(b.rows) - 1:
                    parts.append("\n")
                    pos += 1
            tp.end = pos
            items.append(tp)
        else:
            items.append(Para(b, pos))
            parts.append(b)
            pos += len(b)
        parts.append("\n")
        pos += 1
    return Layout(items, "".join(parts))
