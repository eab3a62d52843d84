"""Tables flattened one cell per line: under a header of one label per line (rows led by a tab and
separated by blank lines, or nothing marking rows — blank lines between every cell, or none), and
without a header when a running 序号 or a regular cycle of unit/deadline cells shows the rows."""
from __future__ import annotations

import re

from ..model import Table
from ..normalise import join_pieces
from . import cells as K
from .columns import label_like
from .flat_common import PIPE, explicit_rows, header_prefix, stop_line, stream_table
from .grid import classes_from_kinds
from .patterns import TITLE_END, match_enum


def label_run(blocks: list, i: int) -> tuple[list[str], int, bool] | None:
    """A header of one label per line from ``i``: (labels, index after them, tab-led)."""
    labels: list[str] = []
    ends: list[int] = []
    j, tabbed = i, True
    while j < len(blocks) and isinstance(blocks[j], str) and len(labels) < 12:
        line = blocks[j]
        if not line.strip():
            j += 1
            continue
        if not label_like(line) or match_enum(line.strip()):
            break
        labels.append(line.strip())
        tabbed = tabbed and line.startswith("\t")
        j += 1
        ends.append(j)
    n = header_prefix(labels)
    if n < 3:
        return None
    return labels[:n], ends[n - 1], tabbed


def tab_led(blocks: list, labels: list[str], j: int) -> tuple[Table, int]:
    rows: list[list[str]] = []
    cur: list[str] | None = None
    while j < len(blocks) and isinstance(blocks[j], str):
        line = blocks[j]
        if not line.strip() and not line.startswith("\t"):
            if cur is not None:
                rows.append(cur)
            cur = None
        elif line.startswith("\t"):
            cur = [] if cur is None else cur
            cur.append(line.strip())
        elif cur:
            cur[-1] = join_pieces(cur[-1], line.strip())
        else:
            break
        j += 1
    if cur is not None:
        rows.append(cur)
    return explicit_rows(labels, rows, "由每格一行的文字重建"), j


def cell_lines(blocks: list, j: int, classes: list[str]) -> tuple[list[str], int]:
    """Cells of a one-cell-per-line table from ``j``: up to a stop line, another table, or a run of
    text longer than the text columns can hold with room for headings (prose after the table). Blank
    lines separate cells when they stand between nearly every two cells; otherwise a blank line is an
    empty cell (one whose 牵头 unit, say, is not given)."""
    end = j
    while end < len(blocks) and isinstance(blocks[end], str) and not stop_line(blocks[end]) \
            and len(blocks[end].strip()) <= 600:
        end += 1
    lines = [b.strip() for b in blocks[j:end]]
    filled = [n for n, x in enumerate(lines) if x]
    spaced = sum(1 for a, b in zip(filled, filled[1:], strict=False) if b > a + 1)
    blank_is_cell = len(filled) > 2 and spaced < 0.8 * (len(filled) - 1)
    text_cols = sum(1 for c in classes if c == "text")
    limit = text_cols + 2 if len(set(classes) - {"text"}) else 10 ** 6
    tokens: list[str] = []
    ends: list[int] = []
    run_start = None
    for n, line in enumerate(lines):
        if not line:
            if blank_is_cell and tokens and n < (filled[-1] if filled else 0):
                tokens.append("")
                ends.append(j + n + 1)
            continue
        if K.kind(line) in (K.TEXT, K.HEADING):
            run_start = len(tokens) if run_start is None else run_start
            if len(tokens) + 1 - run_start > limit:
                return tokens[:run_start], ends[run_start - 1] if run_start else j + n
        else:
            run_start = None
        tokens.append(line)
        ends.append(j + n + 1)
    return tokens, (ends[-1] if ends else j)


def numbered_cells(blocks: list, i: int) -> tuple[Table, int] | None:
    """A one-cell-per-line table without a header whose rows carry a running 序号 (1, 2, 3 on lines of
    their own, units or deadlines between them), starting at ``i``: the number itself, or the short
    grouping cell before it when rows put the number after their group."""
    lines = [(n, b.strip()) for n, b in enumerate(blocks[i:i + 400], i) if isinstance(b, str) and b.strip()]
    if len(lines) < 6 or TITLE_END.search(lines[0][1]) or any(PIPE.match(t) for _, t in lines[:12]):
        return None
    first = 0 if lines[0][1] == "1" else 1 if lines[1][1] == "1" and K.kind(lines[0][1]) == K.TEXT \
        and len(lines[0][1]) <= 40 else None
    if first is None:
        return None
    cells = [t for _, t in lines]
    expected, marks = 1, []
    for k, t in enumerate(cells[first:], first):
        if stop_line(t):
            break
        if t == str(expected):
            marks.append(k)
            expected += 1
    if len(marks) < 3 or any(not any(K.kind(c) in (K.UNITS, K.DEADLINE) for c in cells[a:b])
                             for a, b in zip(marks, marks[1:], strict=False)):
        return None
    if first == 1:  # a group cell before the number: rows must show it (a text cell right after a row's end)
        grouped = sum(1 for m in marks[1:] if K.kind(cells[m - 1]) == K.TEXT
                      and K.kind(cells[m - 2]) in (K.UNITS, K.DEADLINE, K.NONE))
        if not grouped:
            return None
    body = cells[first + 1:marks[1]]
    classes = classes_from_kinds([K.kind(c) for c in ([cells[0]] if first else []) + body])
    tokens, k = cell_lines(blocks, lines[0][0], classes)
    table = stream_table(None, tokens, "由每格一行、带连续序号的文字重建")
    if table is None or len(table.rows) < 3:
        return None
    return table, k


_LABELLED_LINE = re.compile(r"^[^:：]{1,8}[:：]|[:：]$")


def cycled_cells(blocks: list, i: int) -> tuple[Table, int] | None:
    """A one-cell-per-line table with neither header nor numbers, starting at ``i``: bare cells (no
    ``牵头单位：`` label, no line ending in a colon) where a units or deadline cell closes every few
    lines — at least three rows, each with its text, none with more than four text cells."""
    if TITLE_END.search(blocks[i].strip()) or K.kind(blocks[i]) not in (K.TEXT, K.HEADING) or PIPE.match(blocks[i]):
        return None
    cells: list[str] = []
    j = i
    while j < len(blocks) and isinstance(blocks[j], str) and len(cells) < 2000:
        line = blocks[j].strip()
        if line:
            if stop_line(line) or _LABELLED_LINE.search(line) or len(line) > 600 or PIPE.match(line) \
                    or label_like(line) and label_run(blocks, j):
                break  # (a header further down starts a table of its own)
            cells.append(line)
        j += 1
    kinds = [K.kind(c) for c in cells]
    rows, texts, closed = 0, 0, False
    for k in kinds:
        if k in (K.TEXT, K.HEADING):
            if closed:
                rows, texts, closed = rows + 1, 0, False
            texts += 1
            if texts > 4:
                break
        elif k in (K.UNITS, K.DEADLINE, K.NONE, K.YEAR):
            if not texts:
                return None
            closed = True
    rows += closed
    if rows < 3:
        return None
    classes = classes_from_kinds(kinds)
    if len(classes) < 2:
        return None
    tokens, k = cell_lines(blocks, i, classes)
    table = stream_table(None, tokens, "由每格一行的文字重建（无表头）")
    if table is None or len(table.rows) < 4:
        return None
    return table, k
