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
from collections import Counter

from ..model import Table
from ..normalise import is_chrome, join_pieces
from . import cells as K
from .columns import GROUP, header_roles, is_header, label_like, role_of
from .grid import RowBuilder, class_of, classes_from_columns, classes_from_kinds, place_row
from .patterns import TITLE_END, match_enum

_SPLITTERS = [re.compile(r"\t"), re.compile(r"\s*[|｜]\s*"), re.compile(r"[ \u3000]{2,}"), re.compile(r"\s+")]
_RULE_LINE = re.compile(r"^[\s|｜:：\-—=+]+$")
_PIPE = re.compile(r"^\s*[|｜]\s*$")
_STOP = re.compile(r"^\s*(?:附\s*件|抄送|抄报|印发|联系人|联系电话)|^[（(]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_MAX_CELL_LINES = 6


def _stop(line: str) -> bool:
    """A line that ends a table: 附件/抄送/a date line, or the web page's frame (关闭窗口, 分享到)."""
    return bool(_STOP.match(line)) or is_chrome(line)


def _split(line: str, rx: re.Pattern) -> list[str]:
    # tabs that open or close a line are empty cells (merged cells left blank), not indentation
    s = line.strip(" \u3000\r\n") if rx is _SPLITTERS[0] else line.strip()
    if rx is _SPLITTERS[1]:
        s = re.sub(r"^[|｜]\s*|\s*[|｜]$", "", s)
    return [c.strip() for c in rx.split(s)]


def header_prefix(tokens: list[str]) -> int:
    """How many leading tokens form a header: label-shaped cells up to the last one the parser knows
    (0 when they do not make a header)."""
    n = 0
    while n < len(tokens) and tokens[n].strip() and label_like(tokens[n]) and not match_enum(tokens[n]):
        n += 1
    while n and role_of(tokens[n - 1]) is None:
        n -= 1
    return n if n >= 2 and is_header(tokens[:n]) else 0


def _widen(header: list[str], width: int) -> list[str]:
    """A header narrower than its rows had a grouping label spanning two columns."""
    if width <= len(header):
        return header
    roles = [role_of(h) for h in header]
    at = roles.index(GROUP) + 1 if GROUP in roles else len(header)
    return header[:at] + [""] * (width - len(header)) + header[at:]


def _explicit_rows(header: list[str] | None, rows: list[list[str]], how: str) -> Table:
    """Rows known one per line: one width, cells that shifted left put back by kind."""
    counts = Counter(len(r) for r in rows if any(c.strip() for c in r))
    if header is not None:
        width = max(len(header), counts.most_common(1)[0][0] if counts else 0)
    else:  # rows that lost covered cells are shorter: the first row (it opens every merged group) and
        # the widest rows (two at least) give the width
        width = max(len(rows[0]) if rows else 0,
                    next((n for n in sorted(counts, reverse=True) if counts[n] >= 2), max(counts, default=0)))
    if header is not None:
        header = _widen(header, width)
        classes = [class_of(r) for r in header_roles(header)]
    else:
        classes = classes_from_columns([r for r in rows if len(r) == width])
    labels = [re.sub(r"\s+", "", h) for h in header] if header is not None else None
    placed = [r + [""] * (width - len(r)) if labels and [re.sub(r"\s+", "", c) for c in r if c.strip()]
              == [x for x in labels if x] else place_row(r, classes) for r in rows]  # the header again: kept
    return Table(([header] if header is not None else []) + placed, how)


def _stream_table(header: list[str] | None, tokens: list[str], how: str) -> Table | None:
    """Rows rebuilt from a stream of cells (see ``grid``)."""
    if header is not None:
        classes = [class_of(r) for r in header_roles(header)]
    else:
        classes = classes_from_kinds([K.kind(t) for t in tokens])
    if len(classes) < 2:
        return None
    builder = RowBuilder(classes)
    builder.feed(_without_repeats(header, tokens))
    rows, numbered = builder.grid()
    if len([r for r in rows if any(r)]) < 1:
        return None
    how += "，行按单元格的种类和顺序划分"
    if header is None:  # no header row is made up: the cells give the columns their roles
        return Table(rows, how)
    return Table([["序号", *header] if numbered else header, *rows], how)


def _without_repeats(header: list[str] | None, tokens: list[str]) -> list[str]:
    """The stream without the header repeated where the table ran over a page."""
    if not header:
        return tokens
    labels = [re.sub(r"\s+", "", h) for h in header]
    norm = [re.sub(r"\s+", "", t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if norm[i:i + len(labels)] == labels:
            i += len(labels)
            continue
        out.append(tokens[i])
        i += 1
    return out


# ---------------------------------------------------------------- one row per line

def _single_line_header(line: str) -> re.Pattern | None:
    for rx in _SPLITTERS:
        cells = _split(line, rx)
        if len(cells) >= 2 and is_header(cells) and (rx is not _SPLITTERS[3] or all(role_of(c) for c in cells)):
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
        if _RULE_LINE.match(line):
            j += 1
            continue
        cells = _split(line, rx)
        if len(cells) >= 2:
            rows.append(cells)
        elif rows and not blank and not _stop(line):
            last = rows[-1]
            k = max((n for n, c in enumerate(last) if c), default=len(last) - 1)
            last[k] = join_pieces(last[k], line.strip())
        else:
            break
        blank = False
        j += 1
    how = {0: "制表符分隔", 1: "竖线分隔"}.get(_SPLITTERS.index(rx), "空格分隔")
    return _explicit_rows(header, rows, f"由{how}的文字重建"), j


def _rows_run(blocks: list, i: int) -> tuple[int, re.Pattern | None]:
    """Lines from ``i`` that are rows of a table without a header, split by pipes or tabs: at least three
    lines of two cells or more, most of them holding a units or deadline cell."""
    for rx in _SPLITTERS[:2]:
        j, hits, n = i, 0, 0
        while j < len(blocks) and isinstance(blocks[j], str):
            line = blocks[j]
            if rx is _SPLITTERS[1] and line.count("|") + line.count("｜") < 2 or rx is _SPLITTERS[0] and "\t" not in line:
                break
            cells = _split(line, rx)
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
        if _PIPE.match(line):
            if buf:
                tokens.append(_join(buf))
                buf = []
            elif prev_pipe:
                tokens.append("")
            prev_pipe = True
        elif line.strip():
            if _stop(line):
                break
            if not buf:
                buf_start = j
            buf.append(line.strip())
            prev_pipe = False
            if len(buf) > _MAX_CELL_LINES:
                return tokens, buf_start
        j += 1
    if buf and len(buf) == 1 and not _stop(buf[0]):
        tokens.append(buf[0])
        return tokens, j
    return tokens, (buf_start if buf else j)


def _join(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out = join_pieces(out, line)
    return out


# ---------------------------------------------------------------- one cell per line

def _label_run(blocks: list, i: int) -> tuple[list[str], int, bool] | None:
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


def _tab_led(blocks: list, labels: list[str], j: int) -> tuple[Table, int]:
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
    return _explicit_rows(labels, rows, "由每格一行的文字重建"), j


def _cell_lines(blocks: list, j: int, classes: list[str]) -> tuple[list[str], int]:
    """Cells of a one-cell-per-line table from ``j``: up to a stop line, another table, or a run of
    text longer than the text columns can hold with room for headings (prose after the table). Blank
    lines separate cells when they stand between nearly every two cells; otherwise a blank line is an
    empty cell (one whose 牵头 unit, say, is not given)."""
    end = j
    while end < len(blocks) and isinstance(blocks[end], str) and not _stop(blocks[end]) \
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


def _numbered_cells(blocks: list, i: int) -> tuple[Table, int] | None:
    """A one-cell-per-line table without a header whose rows carry a running 序号 (1, 2, 3 on lines of
    their own, units or deadlines between them), starting at ``i``: the number itself, or the short
    grouping cell before it when rows put the number after their group."""
    lines = [(n, b.strip()) for n, b in enumerate(blocks[i:i + 400], i) if isinstance(b, str) and b.strip()]
    if len(lines) < 6 or TITLE_END.search(lines[0][1]) or any(_PIPE.match(t) for _, t in lines[:12]):
        return None
    first = 0 if lines[0][1] == "1" else 1 if lines[1][1] == "1" and K.kind(lines[0][1]) == K.TEXT \
        and len(lines[0][1]) <= 40 else None
    if first is None:
        return None
    cells = [t for _, t in lines]
    expected, marks = 1, []
    for k, t in enumerate(cells[first:], first):
        if _stop(t):
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
    tokens, k = _cell_lines(blocks, lines[0][0], classes)
    table = _stream_table(None, tokens, "由每格一行、带连续序号的文字重建")
    if table is None or len(table.rows) < 3:
        return None
    return table, k


_LABELLED_LINE = re.compile(r"^[^:：]{1,8}[:：]|[:：]$")


def _cycled_cells(blocks: list, i: int) -> tuple[Table, int] | None:
    """A one-cell-per-line table with neither header nor numbers, starting at ``i``: bare cells (no
    ``牵头单位：`` label, no line ending in a colon) where a units or deadline cell closes every few
    lines — at least three rows, each with its text, none with more than four text cells."""
    if TITLE_END.search(blocks[i].strip()) or K.kind(blocks[i]) not in (K.TEXT, K.HEADING) or _PIPE.match(blocks[i]):
        return None
    cells: list[str] = []
    j = i
    while j < len(blocks) and isinstance(blocks[j], str) and len(cells) < 2000:
        line = blocks[j].strip()
        if line:
            if _stop(line) or _LABELLED_LINE.search(line) or len(line) > 600 or _PIPE.match(line) \
                    or label_like(line) and _label_run(blocks, j):
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
    tokens, k = _cell_lines(blocks, i, classes)
    table = _stream_table(None, tokens, "由每格一行的文字重建（无表头）")
    if table is None or len(table.rows) < 4:
        return None
    return table, k


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
    if _PIPE.match(line) or _PIPE.match(_next_line(blocks, i)) and len(line.strip()) <= 40:
        tokens, j = _pipe_stream(blocks, i)
        if len(tokens) >= 6:
            start = next((n for n, t in enumerate(tokens) if t.strip()), 0)
            n = header_prefix(tokens[start:])
            if not _PIPE.match(line) and not n and (header_prefix(tokens[start + 1:]) or TITLE_END.search(line)):
                # the line before the first pipe is the table's title, not a cell: start at the pipe
                return None
            header = tokens[start:start + n] if n else None
            table = _stream_table(header, tokens[start + n:] if n else tokens, "由竖线各占一行的文字重建")
            if table is not None and len(table.rows) > 2:
                return table, j
    rx = _single_line_header(line)
    if rx is not None:
        table, j = _delimited(blocks, i + 1, rx, _split(line, rx))
        if len(table.rows) > 1:
            return table, j
    end, rx = _rows_run(blocks, i)
    if rx is not None:
        table, _ = _delimited(blocks[:end], i, rx, None)
        return table, end
    if label_like(line):
        run = _label_run(blocks, i)
        if run:
            labels, j, tabbed = run
            if tabbed:
                table, k = _tab_led(blocks, labels, j)
            else:
                classes = [class_of(r) for r in header_roles(labels)]
                tokens, k = _cell_lines(blocks, j, classes)
                table = _stream_table(labels, tokens, "由每格一行的文字重建")
            if table is not None and len(table.rows) > 1:
                return table, k
    return _numbered_cells(blocks, i) or _cycled_cells(blocks, i)
