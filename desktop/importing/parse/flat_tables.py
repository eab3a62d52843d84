"""Tables that arrive flattened into text, found and rebuilt into the same grid a Word table gives.

The flattenings read (each a shape of the text, not a list of words):
  * one row per line, cells split by tabs, pipes (``a | b | c |``) or wide spaces — under a header
    line, or a run of at least three such lines that hold units or deadlines;
  * every pipe on a line of its own between cells (``|`` / ``a`` / ``|`` / ``b``), with or without
    empty cells where a row's leading and trailing pipes meet;
  * one cell per line under a header of one label per line: rows led by a tab and separated by
    blank lines, or nothing marking rows at all (blank lines between every cell, or none).
Where the rows are lost, ``grid.RowBuilder`` rebuilds them from the kinds of the cells; where a row
lost its covered cells, ``grid.place_row`` puts the rest back in their columns. A header is a run
of label-shaped cells ending with a label the parser knows (see ``columns.is_header``), so a column
named after its topic (民生实事) still stands in the header between known ones.
"""
from __future__ import annotations

import re

from ..model import Table
from ..normalise import join_pieces
from . import cells as K
from .columns import header_roles, is_header, label_like, role_of
from .flat_cells import cell_lines, cycled_cells, label_run, numbered_cells, tab_led
from .flat_common import (
    MAX_CELL_LINES,
    PIPE,
    RULE_LINE,
    SPLITTERS,
    explicit_rows,
    header_prefix,
    split_cells,
    stop_line,
    stream_table,
)
from .grid import class_of
from .patterns import TITLE_END

# ---------------------------------------------------------------- one row per line

def _single_line_header(line: str) -> re.Pattern | None:
    for rx in SPLITTERS:
        cells = split_cells(line, rx)
        if len(cells) >= 2 and is_header(cells) and (rx is not SPLITTERS[3] or all(role_of(c) for c in cells)):
            return rx
    return None


def _delimited(blocks: list, start: int, rx: re.Pattern, header: list[str] | None) -> tuple[Table, int]:
    rows: list[list[str]] = []
    j = start
    blank = False
    while j < len(blocks) and isinstance(blocks[j], str):
        line = blocks[j]
        if not line.strip():
            blank = True
            j += 1
            continue
        if RULE_LINE.match(line):
            j += 1
            continue
        cells = split_cells(line, rx)
        if len(cells) >= 2:
            rows.append(cells)
        elif rows and not blank and not stop_line(line):
            last = rows[-1]
            k = max((n for n, c in enumerate(last) if c), default=len(last) - 1)
            last[k] = join_pieces(last[k], line.strip())
        else:
            break
        blank = False
        j += 1
    how = {0: "制表符分隔", 1: "竖线分隔"}.get(SPLITTERS.index(rx), "空格分隔")
    return explicit_rows(header, rows, f"由{how}的文字重建"), j


def _rows_run(blocks: list, i: int) -> tuple[int, re.Pattern | None]:
    """Lines from ``i`` that are rows of a table without a header, split by pipes or tabs: at least three
    lines of two cells or more, most of them holding a units or deadline cell."""
    for rx in SPLITTERS[:2]:
        j, hits, n = i, 0, 0
        while j < len(blocks) and isinstance(blocks[j], str):
            line = blocks[j]
            if rx is SPLITTERS[1] and line.count("|") + line.count("｜") < 2 or rx is SPLITTERS[0] and "\t" not in line:
                break
            cells = split_cells(line, rx)
            if len([c for c in cells if c]) < 2:
                break
            n += 1
            hits += any(K.kind(c) in (K.UNITS, K.DEADLINE) for c in cells)
            j += 1
        if n >= 3 and hits >= 0.6 * n:
            return j, rx
    return i, None


# ---------------------------------------------------------------- every pipe on its own line

def _pipe_stream(blocks: list, i: int) -> tuple[list[str], int]:
    """Cells between pipe lines from ``i`` (a lone pipe line, or a cell line followed by one)."""
    tokens: list[str] = []
    buf: list[str] = []
    buf_start = i
    prev_pipe = False
    j = i
    while j < len(blocks) and isinstance(blocks[j], str):
        line = blocks[j]
        if PIPE.match(line):
            if buf:
                tokens.append(join_lines(buf))
                buf = []
            elif prev_pipe:
                tokens.append("")
            prev_pipe = True
        elif line.strip():
            if stop_line(line):
                break
            if not buf:
                buf_start = j
            buf.append(line.strip())
            prev_pipe = False
            if len(buf) > MAX_CELL_LINES:
                return tokens, buf_start
        j += 1
    if buf and len(buf) == 1 and not stop_line(buf[0]):
        tokens.append(buf[0])
        return tokens, j
    return tokens, (buf_start if buf else j)


def join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out = join_pieces(out, line)
    return out


def recognise(blocks: list) -> list:
    """Replace flattened tables in a block list (paragraph lines, "" for blank lines) by Table blocks."""
    out: list = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if not isinstance(b, str) or not b.strip():
            out.append(b)
            i += 1
            continue
        found = _at(blocks, i)
        if found is not None:
            table, i = found
            out.append(table)
            continue
        out.append(b)
        i += 1
    return out


def _next_line(blocks: list, i: int) -> str:
    j = i + 1
    while j < len(blocks) and isinstance(blocks[j], str) and not blocks[j].strip():
        j += 1
    return blocks[j] if j < len(blocks) and isinstance(blocks[j], str) else ""


def _at(blocks: list, i: int) -> tuple[Table, int] | None:
    """A flattened table starting at line ``i``, and the index after it."""
    line = blocks[i]
    if len(line) > 300:
        return None
    if PIPE.match(line) or PIPE.match(_next_line(blocks, i)) and len(line.strip()) <= 40:
        tokens, j = _pipe_stream(blocks, i)
        if len(tokens) >= 6:
            start = next((n for n, t in enumerate(tokens) if t.strip()), 0)
            n = header_prefix(tokens[start:])
            if not PIPE.match(line) and not n and (header_prefix(tokens[start + 1:]) or TITLE_END.search(line)):
                # the line before the first pipe is the table's title, not a cell: start at the pipe
                return None
            header = tokens[start:start + n] if n else None
            table = stream_table(header, tokens[start + n:] if n else tokens, "由竖线各占一行的文字重建")
            if table is not None and len(table.rows) > 2:
                return table, j
    rx = _single_line_header(line)
    if rx is not None:
        table, j = _delimited(blocks, i + 1, rx, split_cells(line, rx))
        if len(table.rows) > 1:
            return table, j
    end, rx = _rows_run(blocks, i)
    if rx is not None:
        table, _ = _delimited(blocks[:end], i, rx, None)
        return table, end
    if label_like(line):
        run = label_run(blocks, i)
        if run:
            labels, j, tabbed = run
            if tabbed:
                table, k = tab_led(blocks, labels, j)
            else:
                classes = [class_of(r) for r in header_roles(labels)]
                tokens, k = cell_lines(blocks, j, classes)
                table = stream_table(labels, tokens, "由每格一行的文字重建")
            if table is not None and len(table.rows) > 1:
                return table, k
    return numbered_cells(blocks, i) or cycled_cells(blocks, i)
