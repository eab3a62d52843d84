"""What the readers of flattened tables share: splitting a line into cells, the lines that end a table,
the header found at the head of a run of cells, and the Table built from rows known one per line
(``explicit_rows``: short rows put back in their columns) or from a stream of cells (``stream_table``:
rows rebuilt by ``grid.RowBuilder``)."""
from __future__ import annotations

import re
from collections import Counter

from ..model import Table
from ..normalise import is_chrome
from . import cells as K
from .columns import GROUP, header_roles, is_header, label_like, role_of
from .grid import RowBuilder, class_of, classes_from_columns, classes_from_kinds, place_row
from .patterns import match_enum

SPLITTERS = [re.compile(r"\t"), re.compile(r"\s*[|｜]\s*"), re.compile(r"[ \u3000]{2,}"), re.compile(r"\s+")]
RULE_LINE = re.compile(r"^[\s|｜:：\-—=+]+$")
PIPE = re.compile(r"^\s*[|｜]\s*$")
STOP = re.compile(r"^\s*(?:附\s*件|抄送|抄报|印发|联系人|联系电话)|^[（(]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
MAX_CELL_LINES = 6


def stop_line(line: str) -> bool:
    """A line that ends a table: 附件/抄送/a date line, or the web page's frame (关闭窗口, 分享到)."""
    return bool(STOP.match(line)) or is_chrome(line)


def split_cells(line: str, rx: re.Pattern) -> list[str]:
    # tabs that open or close a line are empty cells (merged cells left blank), not indentation
    s = line.strip(" \u3000\r\n") if rx is SPLITTERS[0] else line.strip()
    if rx is SPLITTERS[1]:
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


def widen(header: list[str], width: int) -> list[str]:
    """A header narrower than its rows had a grouping label spanning two columns."""
    if width <= len(header):
        return header
    roles = [role_of(h) for h in header]
    at = roles.index(GROUP) + 1 if GROUP in roles else len(header)
    return header[:at] + [""] * (width - len(header)) + header[at:]


def explicit_rows(header: list[str] | None, rows: list[list[str]], how: str) -> Table:
    """Rows known one per line: one width, cells that shifted left put back by kind."""
    counts = Counter(len(r) for r in rows if any(c.strip() for c in r))
    if header is not None:
        width = max(len(header), counts.most_common(1)[0][0] if counts else 0)
    else:  # rows that lost covered cells are shorter: the first row (it opens every merged group) and
        # the widest rows (two at least) give the width
        width = max(len(rows[0]) if rows else 0,
                    next((n for n in sorted(counts, reverse=True) if counts[n] >= 2), max(counts, default=0)))
    if header is not None:
        header = widen(header, width)
        classes = [class_of(r) for r in header_roles(header)]
    else:
        classes = classes_from_columns([r for r in rows if len(r) == width])
    labels = [re.sub(r"\s+", "", h) for h in header] if header is not None else None
    placed = [r + [""] * (width - len(r)) if labels and [re.sub(r"\s+", "", c) for c in r if c.strip()]
              == [x for x in labels if x] else place_row(r, classes) for r in rows]  # the header again: kept
    return Table(([header] if header is not None else []) + placed, how)


def stream_table(header: list[str] | None, tokens: list[str], how: str) -> Table | None:
    """Rows rebuilt from a stream of cells (see ``grid``)."""
    if header is not None:
        classes = [class_of(r) for r in header_roles(header)]
    else:
        classes = classes_from_kinds([K.kind(t) for t in tokens])
    if len(classes) < 2:
        return None
    builder = RowBuilder(classes)
    builder.feed(without_repeats(header, tokens))
    rows, numbered = builder.grid()
    if len([r for r in rows if any(r)]) < 1:
        return None
    how += "，行按单元格的种类和顺序划分"
    if header is None:  # no header row is made up: the cells give the columns their roles
        return Table(rows, how)
    return Table([["序号", *header] if numbered else header, *rows], how)


def without_repeats(header: list[str] | None, tokens: list[str]) -> list[str]:
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
