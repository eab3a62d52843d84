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
from .grid import RowBuilder, class_of, classes_from_kinds, place_row
from .patterns import match_enum

_SPLITTERS = [re.compile(r"\t"), re.compile(r"\s*[|｜]\s*"), re.compile(r"[ \u3000]{2,}"), re.compile(r"\s+")]
_RULE_LINE = re.compile(r"^[\s|｜:：\-—=+]+$")
_PIPE = re.compile(r"^\s*[|｜]\s*$")
_STOP = re.compile(r"^\s*(?:附\s*件|抄送|抄报|印发|联系人|联系电话)|^[（(]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_MAX_CELL_LINES = 6


def _stop(line: str) -> bool:
    """A line that ends a table: 附件/抄送/a date line, or the web page's frame (关闭窗口, 分享到)."""
    return bool(_STOP.match(line)) or is_chrome(line)


def _split(line: str, rx: re.Pattern) -> list[str]:
    s = line.strip()
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
    width = max(len(header or []), counts.most_common(1)[0][0] if counts else 0)
    if header is not None:
        header = _widen(header, width)
        classes = [class_of(r) for r in header_roles(header)]
    else:
        full = [r for r in rows if len(r) == width]
        classes = classes_from_kinds([K.kind(c) for r in full[:1] for c in r])
        if len(classes) != width:
            return Table(rows, how)
    placed = [place_row(r, classes) for r in rows]
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
    head = header if header is not None else [""] * len(classes)
    if numbered:
        head = ["序号", *head]
    return Table([head, *rows], how + "，行按单元格的种类和顺序划分")


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


def _pipe_rows_run(blocks: list, i: int) -> int:
    """Lines from ``i`` that are rows of an inline pipe table without a header (≥3 lines of ≥3
    cells, most holding a units or deadline cell)."""
    j, hits, n = i, 0, 0
    while j < len(blocks) and isinstance(blocks[j], str) and blocks[j].count("|") + blocks[j].count("｜") >= 2:
        cells = _split(blocks[j], _SPLITTERS[1])
        if len(cells) < 2:
            break
        n += 1
        hits += any(K.kind(c) in (K.UNITS, K.DEADLINE) for c in cells)
        j += 1
    return j if n >= 3 and hits >= 0.6 * n else i


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
    text longer than the text columns can hold with room for headings (prose after the table)."""
    text_cols = sum(1 for c in classes if c == "text")
    limit = text_cols + 2 if len(set(classes) - {"text"}) else 10 ** 6
    tokens: list[str] = []
    ends: list[int] = []
    run_start = None
    while j < len(blocks) and isinstance(blocks[j], str):
        line = blocks[j].strip()
        j += 1
        if not line:
            continue
        if _stop(line) or len(line) > 600:
            j -= 1
            break
        if K.kind(line) in (K.TEXT, K.HEADING):
            run_start = len(tokens) if run_start is None else run_start
            if len(tokens) + 1 - run_start > limit:
                j = ends[run_start - 1] if run_start else j
                tokens = tokens[:run_start]
                return tokens, j
        else:
            run_start = None
        tokens.append(line)
        ends.append(j)
    return tokens, j


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
            if not n and not _PIPE.match(line) and header_prefix(tokens[start + 1:]):
                return None  # the line before a row's leading pipe is not a cell (a title): start at the pipe
            header = tokens[start:start + n] if n else None
            table = _stream_table(header, tokens[start + n:] if n else tokens, "由竖线各占一行的文字重建")
            if table is not None and len(table.rows) > 2:
                return table, j
    rx = _single_line_header(line)
    if rx is not None:
        table, j = _delimited(blocks, i + 1, rx, _split(line, rx))
        if len(table.rows) > 1:
            return table, j
    end = _pipe_rows_run(blocks, i)
    if end > i:
        table, _ = _delimited(blocks[:end], i, _SPLITTERS[1], None)
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
    return None
