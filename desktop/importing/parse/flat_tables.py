"""Tables that arrive flattened into lines, recognised and rebuilt as Table blocks.

Three shapes are read, each starting at a header whose labels are known (see ``columns``):
  * one row per line, cells separated by tabs, pipes or wide spaces;
  * one cell per line, each cell led by a tab, rows separated by blank lines (lines without the
    tab continue the cell above: a cell wrapped mid-phrase);
  * one cell per line with nothing marking rows: rows are rebuilt from what the cells are
    (a heading, the task text, a list of units, a deadline — "2023年" / "6月底前" is one cell).
"""
from __future__ import annotations

import re
from collections import Counter

from ..model import Table
from ..normalise import join_pieces
from .columns import CONTENT, DEADLINE, GROUP, LEAD, UNITS, is_header, role_of
from .deadlines import is_deadline_cell
from .patterns import match_enum
from .units import parse_attribution

_SPLITTERS = [re.compile(r"\t"), re.compile(r"\s*[|｜]\s*"), re.compile(r"[ \u3000]{2,}"), re.compile(r"\s+")]
_RULE_LINE = re.compile(r"^[\s|｜:：\-—=+]+$")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年度?$")
_MAX_BUFFER = 8


def _split(line: str, rx: re.Pattern) -> list[str]:
    s = line.strip()
    if rx.pattern.startswith(r"\s*[|"):
        s = s.strip("|｜")
    return [c.strip() for c in rx.split(s)]


def _single_line_header(line: str) -> re.Pattern | None:
    for rx in _SPLITTERS:
        cells = _split(line, rx)
        if len(cells) >= 3 and is_header(cells) and (rx is not _SPLITTERS[3] or all(role_of(c) for c in cells)):
            return rx
    return None


def _label_run(blocks: list, i: int) -> tuple[list[str], int, bool] | None:
    """Consecutive one-label lines starting at ``i``: (labels, index after them, tab-led)."""
    labels, j, tabbed = [], i, True
    while j < len(blocks) and isinstance(blocks[j], str):
        line = blocks[j]
        if not line.strip():
            j += 1
            continue
        if role_of(line) is None:
            break
        labels.append(line.strip())
        tabbed = tabbed and line.startswith("\t")
        j += 1
    if len(labels) >= 3 and is_header(labels):
        return labels, j, tabbed
    return None


def _align(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Give header and rows one width; a header shorter than the rows had a label spanning columns."""
    counts = Counter(len(r) for r in rows if any(r))
    width = max(len(header), counts.most_common(1)[0][0] if counts else 0)
    if width > len(header):
        roles = [role_of(h) for h in header]
        at = roles.index(GROUP) + 1 if GROUP in roles else len(header)
        header = header[:at] + [""] * (width - len(header)) + header[at:]
    fixed = []
    for r in rows:
        if len(r) > width:
            r = r[:width - 1] + ["".join(r[width - 1:])]
        fixed.append(r + [""] * (width - len(r)))
    return header, fixed


def _delimited(blocks: list, start: int, rx: re.Pattern) -> tuple[Table, int]:
    header = _split(blocks[start], rx)
    rows: list[list[str]] = []
    j = start + 1
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
        elif rows and not blank:
            last = rows[-1]
            k = max((n for n, c in enumerate(last) if c), default=len(last) - 1)
            last[k] = join_pieces(last[k], line.strip())
        else:
            break
        blank = False
        j += 1
    header, rows = _align(header, rows)
    return Table([header, *rows]), j


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
    header, rows = _align(labels, rows)
    return Table([header, *rows]), j


def _kind(cell: str) -> str:
    if is_deadline_cell(cell):
        return "D"
    e = match_enum(cell)
    if e and e.style == "cn" and len(cell) <= 40 and "。" not in cell.rstrip("。"):
        return "H"
    att = parse_attribution(cell, plain_list=True)
    if att and (att.units or att.lead) and not att.deadline and len(cell) <= 300:
        return "U"
    return "T"


def _stream(blocks: list, labels: list[str], j: int) -> tuple[Table | None, int]:
    """Rebuild rows from one-cell-per-line text by what each cell is."""
    roles = [role_of(h) for h in labels]
    has_deadline = DEADLINE in roles
    col = {r: roles.index(r) for r in (GROUP, CONTENT, UNITS, LEAD, DEADLINE) if r in roles}
    rows: list[list[str]] = []
    buf: list[tuple[str, str, int]] = []
    end = j
    while j < len(blocks) and isinstance(blocks[j], str):
        cell = blocks[j].strip()
        j += 1
        if not cell:
            continue
        kind = _kind(cell)
        if kind == "D" and buf and buf[-1][0] == "D" and _YEAR_ONLY.match(buf[-1][1]):
            buf[-1] = ("D", buf[-1][1] + cell, j)
            end = j
            rows[-1][col[DEADLINE]] = buf[-1][1]
            continue
        if kind == "D" and not any(k == "T" for k, _, _ in buf):
            kind = "T"
        buf.append((kind, cell, j))
        closes = kind == "D" or (kind == "U" and not has_deadline)
        if closes:
            row = _make_row(buf, roles, col)
            if row is None:
                buf = []
                break
            rows.extend(row)
            end = j
            buf = [buf[-1]] if kind == "D" else []
        elif len(buf) > _MAX_BUFFER:
            break
    if not rows:
        return None, j
    return Table([labels, *rows]), end


def _make_row(buf, roles, col) -> list[list[str]] | None:
    cells = [b for b in buf if not (b[0] == "D" and b is buf[0] and len(buf) > 1)]
    width = len(roles)
    deadline = cells[-1][1] if cells[-1][0] == "D" else ""
    rest = cells[:-1] if deadline else cells
    units = ""
    if rest and rest[-1][0] == "U":
        units = rest[-1][1]
        rest = rest[:-1]
    if not rest:
        return None
    content = rest[-1][1]
    out: list[list[str]] = []
    group = ""
    for kind, text, _ in rest[:-1]:
        if kind == "H" or GROUP not in col:
            heading = [""] * width
            heading[0] = text
            out.append(heading)
        else:
            group = text
    row = [""] * width
    if GROUP in col:
        row[col[GROUP]] = group
    if CONTENT in col:
        row[col[CONTENT]] = content
    elif GROUP in col:
        row[col[GROUP]] = content
    unit_col = col.get(UNITS, col.get(LEAD))
    if unit_col is not None:
        row[unit_col] = units
    if DEADLINE in col:
        row[col[DEADLINE]] = deadline
    out.append(row)
    return out


_HINT = re.compile(r"序号|任务|内容|单位|时限|时间|措施|要求|部门|科室|事项")


def recognise(blocks: list) -> list:
    """Replace flattened tables in a block list (paragraph lines, "" for blank lines) by Table blocks."""
    out: list = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, str) and b.strip() and len(b) <= 300 and _HINT.search(b):
            rx = _single_line_header(b)
            if rx is not None:
                table, i = _delimited(blocks, i, rx)
                out.append(table)
                continue
            run = _label_run(blocks, i) if role_of(b) is not None else None
            if run:
                labels, j, tabbed = run
                table, k = _tab_led(blocks, labels, j) if tabbed else _stream(blocks, labels, j)
                if table is not None and len(table.rows) > 1:
                    out.append(table)
                    i = k
                    continue
        out.append(b)
        i += 1
    return out
