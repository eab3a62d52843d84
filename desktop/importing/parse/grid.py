"""Rows of a flattened table, rebuilt from the order in which the kinds of its cells come.

A table that arrived as text has lost its rows (one cell per line, pipes on lines of their own) or
kept them with cells missing (a browser copy drops the cells a rowspan covers, so a row is shorter
and its cells shift left). Both are read the same way: the columns' classes (text, units,
deadline, 序号) come from the header or, without one, from the cells; then each cell goes to the
next column of its class, and a cell that has no column left after the last one placed opens the
next row (``12月底前`` then ``启动…`` is a new row). Evidence for the rows, in this order:
  * a running 序号 (a number standing alone) opens a row once the row has its body;
  * a cell of a kind whose column is already passed opens a row;
  * an empty cell between two pipes closes a row that has reached its last column;
  * text runs fill the text columns from the right: the cells a rowspan covered are the broader
    (leftmost) ones, carried down later; a text run longer than the text columns starts with
    headings that span the table (``一、…`` rows).
Consecutive unit cells with no units column left are one cell (a unit per line); a year alone then
a deadline is one deadline (``2023年`` / ``6月底前``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import cells as K
from .columns import CONTENT, DEADLINE, GROUP, LEAD, OTHER, SEQ, UNITS

TEXT_C, UNITS_C, DEADLINE_C, SEQ_C, OTHER_C = "text", "units", "deadline", "seq", "other"
_CLASS = {SEQ: SEQ_C, GROUP: TEXT_C, CONTENT: TEXT_C, None: TEXT_C, LEAD: UNITS_C, UNITS: UNITS_C,
          DEADLINE: DEADLINE_C, OTHER: OTHER_C}
_FITS = {TEXT_C: {K.TEXT, K.HEADING}, UNITS_C: {K.UNITS, K.NONE}, DEADLINE_C: {K.DEADLINE, K.YEAR, K.NONE},
         SEQ_C: {K.SEQ}, OTHER_C: set()}
_TEXTISH = {K.TEXT, K.HEADING}


def class_of(role: str | None) -> str:
    return _CLASS.get(role, TEXT_C)


def classes_from_kinds(kinds: list[str]) -> list[str]:
    """Column classes of a table without a header, from its cells' kinds in order: the classes in the
    order they first follow text, the text band as wide as the longest run of text cells between two
    other cells (at most three)."""
    order: list[str] = []
    run = best = 0
    for k in kinds:
        if k in _TEXTISH:
            run += 1
            continue
        if k == K.SEQ and run:  # a number between a row's group and its body (序号 after 工作任务)
            continue
        if run:
            best = max(best, run)
        run = 0
        c = next((c for c, fits in _FITS.items() if k in fits and c != OTHER_C), None)
        if c and c not in order and c != SEQ_C:
            order.append(c)
    best = max(1, min(3, best))
    return [TEXT_C] * best + order


def classes_from_columns(rows: list[list[str]]) -> list[str]:
    """Column classes of a table without a header whose rows are known: each column's most common class."""
    width = max((len(r) for r in rows), default=0)
    out = []
    for c in range(width):
        votes: dict[str, int] = {}
        for r in rows:
            k = K.kind(r[c]) if c < len(r) else K.EMPTY
            cls = next((x for x, fits in _FITS.items() if k in fits), None)
            if cls:
                votes[cls] = votes.get(cls, 0) + 1
        out.append(max(votes, key=votes.get) if votes else OTHER_C)
    return out


@dataclass
class _Row:
    cells: dict[int, str] = field(default_factory=dict)
    pos: int = -1
    last_kind: str = ""
    number: str = ""
    heading: str = ""

    def has_body(self, body: int) -> bool:
        return any(c >= body for c in self.cells)


class RowBuilder:
    """Places a stream of cells into rows of ``classes`` (module docstring)."""

    def __init__(self, classes: list[str]):
        self.classes = classes
        self.width = len(classes)
        self.text_cols = [c for c, k in enumerate(classes) if k == TEXT_C]
        self.body = max(self.text_cols) if self.text_cols else 0
        core = [c for c, k in enumerate(classes) if k != OTHER_C]
        self.last_core = max(core) if core else self.width - 1
        self.rows: list[_Row] = []
        self.cur: _Row | None = None
        self.numbers_seen = False

    # -- rows
    def _close(self) -> None:
        if self.cur is not None and (self.cur.cells or self.cur.heading):
            self.rows.append(self.cur)
        self.cur = None

    def _open(self) -> _Row:
        self._close()
        self.cur = _Row()
        return self.cur

    def _band(self, after: int) -> list[int]:
        """The contiguous text columns right after position ``after``."""
        out: list[int] = []
        for c in range(after + 1, self.width):
            if self.classes[c] == TEXT_C:
                out.append(c)
            elif out:
                break
        return out

    # -- cells
    def feed(self, tokens: list[str]) -> None:
        kinds = [K.kind(t) for t in tokens]
        i = 0
        while i < len(tokens):
            k = kinds[i]
            if k == K.EMPTY:
                self._empty()
                i += 1
            elif k == K.SEQ and SEQ_C not in self.classes:
                self._number(tokens[i])
                i += 1
            elif k in _TEXTISH:
                i = self._text_run(tokens, kinds, i)
            else:
                self._place(tokens[i], k)
                i += 1
        self._close()

    def _empty(self) -> None:
        row = self.cur
        if row is None:
            return
        if row.pos >= self.last_core:
            self._close()
        elif row.cells:
            row.pos += 1

    def _number(self, token: str) -> None:
        row = self.cur
        if row is None or row.has_body(self.body) or row.number:
            row = self._open()
        row.number = token.strip().rstrip(".、．")
        self.numbers_seen = True

    def _text_run(self, tokens: list[str], kinds: list[str], i: int) -> int:
        row = self.cur
        if row is None or not self._band(row.pos) or row.has_body(self.body):
            row = self._open()
        band = self._band(row.pos) or self.text_cols
        texts: list[str] = []
        j = i
        while j < len(tokens):
            if kinds[j] in _TEXTISH:
                texts.append(tokens[j])
            elif kinds[j] == K.SEQ and len(texts) < len(band) and SEQ_C not in self.classes:
                row.number = row.number or tokens[j].strip().rstrip(".、．")
                self.numbers_seen = True
            else:
                break
            j += 1
        extra = len(texts) - len(band)
        while extra > 0 and K.kind(texts[0]) == K.HEADING:
            row.heading = texts.pop(0).strip()
            row = self._open()
            extra -= 1
        if extra > 0:  # more text than columns: paragraphs of one cell
            texts = texts[:-extra - 1] + ["\n".join(texts[-extra - 1:])]
        for col, text in zip(band[-len(texts):], texts, strict=True):
            row.cells[col] = text.strip()
            row.pos = col
        row.last_kind = K.TEXT
        return j

    def _place(self, token: str, k: str) -> None:
        row = self.cur or self._open()
        if k == K.DEADLINE and row.last_kind == K.YEAR and self.classes[row.pos] == DEADLINE_C:
            row.cells[row.pos] += token.strip()
            row.last_kind = K.DEADLINE
            return
        cls = next((c for c, fits in _FITS.items() if k in fits and c in self.classes), None)
        if cls is None:  # no column of this kind: read it as text
            self._text_run([token], [K.TEXT], 0)
            return
        later = [c for c in range(row.pos + 1, self.width) if self.classes[c] == cls]
        if not later and k == K.UNITS and row.last_kind == K.UNITS and self.classes[row.pos] == UNITS_C:
            row.cells[row.pos] += "、" + token.strip()
            return
        if not later:
            row = self._open()
            later = [c for c in range(self.width) if self.classes[c] == cls]
        row.cells[later[0]] = token.strip()
        row.pos = later[0]
        row.last_kind = k

    # -- result
    def grid(self) -> tuple[list[list[str]], bool]:
        """Rows as lists of cells (heading rows hold their text in the first cell); True when the
        rows carry running numbers the columns had no place for (give the grid a 序号 column)."""
        out: list[list[str]] = []
        numbered = self.numbers_seen and SEQ_C not in self.classes
        for r in self.rows:
            if r.heading:
                out.append(([""] if numbered else []) + [r.heading] + [""] * (self.width - 1))
            if r.cells:
                cells = [r.cells.get(c, "") for c in range(self.width)]
                out.append(([r.number] if numbered else []) + cells)
        return out, numbered


def place_row(cells: list[str], classes: list[str]) -> list[str]:
    """One row of a table whose rows are known (a line each) but whose cells may have shifted left.
    Candidates: the cells with the lost ones (a shorter row lost its covered cells) put back at each
    place, and the cells placed by kind (``RowBuilder``); the one whose cells fit their columns best
    wins, the leftmost gap first when they tie (covered cells are the leading, broader ones), placed by
    kind last (it loses the row's own empty cells)."""
    width = len(classes)
    if len(cells) > width:
        cells = cells[:width - 1] + ["".join(cells[width - 1:])]
    filled = [v for v in cells if v.strip()]
    as_is = cells + [""] * (width - len(cells))
    if len(cells) == width and _fit(as_is, classes) == len(filled):
        return as_is
    # the lost cells put back at each place, leftmost first (after a leading 序号, say); the row's own
    # empty cells stay where they are
    missing = width - len(cells)
    candidates = [cells[:k] + [""] * missing + cells[k:] for k in range(len(cells) + 1)] if missing else [as_is]
    b = RowBuilder(classes)
    b.feed(filled)
    rows, _ = b.grid()
    if len(rows) == 1:
        candidates.append(rows[0])
    return max(candidates, key=lambda c: _fit(c, classes))


def _fit(cells: list[str], classes: list[str]) -> int:
    return sum(1 for c, v in enumerate(cells) if v.strip() and _fits(v, classes[c]))


def _fits(value: str, cls: str) -> bool:
    k = K.kind(value)
    return k in _FITS[cls] or cls == OTHER_C
