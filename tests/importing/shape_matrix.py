"""Shape matrix: the task tables of the corpus, re-rendered in every carrier and flattening a clerk meets.

For each corpus notice whose tasks come from a table (chosen from the corpus README, see
``table_notices``), the *reference* is ``parse_path(corpus/NAME.txt)``: the tasks as the parser
reads them from the original file. ``build_grid`` turns those tasks back into a logical task table
(grouping columns from the section path, a body column holding the task text, unit columns, a
deadline column), ``render`` writes that table as .docx / .html / .xlsx or as one of five plain-text
flattenings, and the test parses the rendering and expects the reference tasks again, compared on
(title, text, sorted lead_units, sorted units, deadline) with whitespace normalised.

Only the public API is used (``desktop.importing.parse_path``); nothing of the parser's internals.

Dimensions of a variant (``Variant``):
  carrier   docx (Word table, vertically merged grouping cells), html (saved page, rowspan), xlsx
            (merged cells; the notice title in a merged first row or in A1), and text flattenings:
            tabs (one row per line, tab between cells), pipes (``a | b | c |``), pipe-lines (every
            ``|`` on its own line between cells), cells-blank (one cell per line, a blank line between
            rows), cells (one cell per line, nothing between rows);
  merge     how a merged grouping cell arrives: native (a real merge: vMerge / rowspan / merged
            range), repeat (its text in every row it covers), blank (an empty cell in the covered
            rows), absent (the covered cells are missing, as in a browser copy of a rowspan table: the
            row is shorter and its remaining cells shift left); none when the table has no grouping
            column;
  header    usual labels, synonyms, topic words for the text columns, or no header row;
  order     standard, seq-late (序号 right of the grouping columns), deadline-early (完成时限 before
            the unit columns, 责任单位 before 牵头单位);
  seq       a 序号 column with a running number, or none;
  units     split (牵头单位 and 责任单位 columns), combined (one 责任单位 cell saying "A牵头，B配合"),
            plain (the notice has no lead units: one 责任单位 column);
  midheader the header row repeated in the middle of the table (a table that ran over pages);
  title     paragraph (a title paragraph / line above the table), or for xlsx merged-row / cell.

Which combinations are generated is decided by ``unfair`` (combinations a clerk could not read
unambiguously either are left out, each with its reason) and ``plan_cases`` (a deterministic
all-pairs sample per notice and carrier, so every value of every dimension meets every value of
every other at least once, instead of the full cross product).
"""
from __future__ import annotations

import html
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations, product
from pathlib import Path

from desktop.domain import section_path

RICH = ("docx", "html", "xlsx")
TEXTS = ("tabs", "pipes", "pipe-lines", "cells-blank", "cells")
CARRIERS = RICH + TEXTS
UNMARKED_ROWS = ("pipe-lines", "cells")  # flattenings where nothing shows where a row ends
FALLBACK_TITLE = "重点工作任务分解表"  # caption above the table when the reference has no notice title


# ---------------------------------------------------------------------------------------------
# Which notices carry a table: read from the corpus README, not listed here.

_TABLE_WORDS = re.compile(r"\btables?\b|\bpipes?\b|\bcells?\b", re.I)
_NEGATIVE = re.compile(r"negative case", re.I)


def table_notices(readme: str, stems: Iterable[str]) -> list[str]:
    """Corpus notices whose README row describes a table (a table, its cells or its pipes), except a
    negative case (a table that is not in the text). The gold tasks of those come from table rows
    (README, "Grain": one task per table row)."""
    stems = set(stems)
    found = []
    for line in readme.splitlines():
        if not line.startswith("|"):
            continue
        first = line.strip("|").split("|", 1)[0].strip()
        if first in stems and _TABLE_WORDS.search(line) and not _NEGATIVE.search(line):
            found.append(first)
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# The logical grid rebuilt from the reference tasks.

def norm(s: str | None) -> str | None:
    """Whitespace normalised: runs of whitespace become one space, ends stripped."""
    return None if s is None else " ".join(s.split())


_NUMERAL = "一二三四五六七八九十百零〇"
_ENUM = re.compile(rf"^\s*(?:[（(]\s*[{_NUMERAL}\d]+\s*[）)]|[{_NUMERAL}]+\s*[、.．]"
                   r"|\d+\s*[、.．](?!\d)|[①-⑳])\s*")


def heading_title(cell: str) -> str:
    """The task title a task-name cell gives (README "title": the cell without its number, a final
    。 dropped)."""
    return _ENUM.sub("", cell, count=1).strip().rstrip("。").strip()


def first_clause(text: str) -> str:
    """The title of a row without a task-name column (README: first clause of the content cell)."""
    return re.split(r"[，,。；;]", text, maxsplit=1)[0].strip()


@dataclass(frozen=True)
class Row:
    groups: tuple[str, ...]  # grouping cells, broadest first; the last is the task-name cell
    content: str
    lead: tuple[str, ...]
    units: tuple[str, ...]
    deadline: str  # "" when the task has none


@dataclass
class Grid:
    """The task table behind a reference parse."""

    name: str
    title: str | None  # the notice title, None when the reference has none
    rows: list[Row]
    depth: int  # number of grouping columns
    title_source: str  # group (task-name cell) | clause (first clause of the body) | title-column
    title_gaps: dict[int, str] = field(default_factory=dict)  # task index -> why its title cannot be carried
    caveats: list[str] = field(default_factory=list)  # where the grid is not a faithful rebuild

    @property
    def has_lead(self) -> bool:
        return any(r.lead for r in self.rows)

    @property
    def has_units(self) -> bool:
        return any(r.units for r in self.rows)

    @property
    def has_deadline(self) -> bool:
        return any(r.deadline for r in self.rows)


def build_grid(name: str, parsed) -> Grid:
    """Rebuild the task table from a ParsedNotice's tasks.

    Grouping columns are the section path's parts (README "section": the grouping cells joined with
    ' > '). The title must come back out of the table: from the narrowest grouping cell when every
    task's title is that cell without its number; from the first clause of the body when there is no
    section path and every title is that clause; otherwise a task-name column holding the reference
    title is added as the narrowest grouping column. A title that even a task-name cell cannot carry
    (it would lose a leading number or a final 。) is listed in ``title_gaps``: the tests compare a
    marker for it instead, and ``test_reference_rebuildable`` fails on it, so the gap is never silent.
    """
    tasks = list(parsed.tasks)
    caveats: list[str] = []
    paths = [tuple(p.strip() for p in section_path(t.section)) for t in tasks]
    depth = max((len(p) for p in paths), default=0)
    if len({len(p) for p in paths}) > 1:
        depths = sorted({len(p) for p in paths})
        caveats.append(f"section paths of different depths {depths}: the shorter ones "
                       "are left-padded with empty grouping cells, which a reader takes for merged cells")
        paths = [("",) * (depth - len(p)) + p for p in paths]
    titles = [norm(t.title) or "" for t in tasks]
    texts = [norm(t.text) or "" for t in tasks]
    gaps: dict[int, str] = {}
    if depth and all(heading_title(p[-1]) == ti for p, ti in zip(paths, titles, strict=True)):
        source = "group"
    elif not depth and all(first_clause(x) == ti for x, ti in zip(texts, titles, strict=True)):
        source = "clause"
    else:
        source = "title-column"
        paths = [p + (ti,) for p, ti in zip(paths, titles, strict=True)]
        depth += 1
        for i, ti in enumerate(titles):
            if heading_title(ti) != ti:
                gaps[i] = f"title {ti!r} reads back from a task-name cell as {heading_title(ti)!r}"
    rows = [Row(groups=p, content=x, lead=tuple(norm(u) for u in t.lead_units),
                units=tuple(norm(u) for u in t.units), deadline=norm(t.deadline) or "")
            for p, x, t in zip(paths, texts, tasks, strict=True)]
    for i, r in enumerate(rows):
        if not r.content:
            caveats.append(f"task {i} has an empty text: its body cell would be empty")
    return Grid(name=name, title=norm(parsed.title), rows=rows, depth=depth, title_source=source,
                title_gaps=gaps, caveats=caveats)


def task_keys(tasks, gaps: dict[int, str]) -> list[tuple]:
    """What is compared for each task; a title the table cannot carry is replaced by a marker."""
    keys = []
    for i, t in enumerate(tasks):
        title = f"<title not carried: {gaps[i]}>" if i in gaps else norm(t.title)
        keys.append((title, norm(t.text), tuple(sorted(norm(u) for u in t.lead_units)),
                     tuple(sorted(norm(u) for u in t.units)), norm(t.deadline)))
    return keys


FIELDS = ("title", "text", "lead_units", "units", "deadline")


def describe_difference(expected: list[tuple], got: list[tuple]) -> str:
    """One line on how two task key lists differ: counts and the first differing task."""
    lines = [f"expected {len(expected)} tasks, got {len(got)}"]
    for i, (e, g) in enumerate(zip(expected, got, strict=False)):
        if e != g:
            diffs = [f"{f}: expected {ev!r} got {gv!r}"
                     for f, ev, gv in zip(FIELDS, e, g, strict=True) if ev != gv]
            lines.append(f"first difference at task {i}: " + "; ".join(diffs))
            break
    else:
        if len(got) > len(expected):
            lines.append(f"extra task {len(expected)}: {got[len(expected)]!r}")
        elif len(expected) > len(got):
            lines.append(f"missing task {len(got)}: {expected[len(got)]!r}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Variants and their layout.

@dataclass(frozen=True)
class Variant:
    carrier: str
    merge: str  # native | repeat | blank | absent | none
    header: str  # usual | synonyms | topic | none
    order: str  # standard | seq-late | deadline-early
    seq: bool
    units: str  # split | combined | plain
    midheader: bool
    title: str  # paragraph | merged-row | cell

    @property
    def id(self) -> str:
        parts = [self.carrier, f"merge-{self.merge}", f"hdr-{self.header}", self.order,
                 "seq" if self.seq else "noseq", f"units-{self.units}"]
        if self.midheader:
            parts.append("midhdr")
        if self.carrier == "xlsx":
            parts.append(f"title-{self.title}")
        return "-".join(parts)


def columns(grid: Grid, v: Variant) -> list[str]:
    """Column roles left to right: seq, g0..gN (grouping, broadest first), content, lead, units, deadline."""
    groups = [f"g{i}" for i in range(grid.depth)]
    seq = ["seq"] if v.seq else []
    if v.units == "combined":
        units = ["units"]
    else:
        units = (["lead"] if grid.has_lead else []) + (["units"] if grid.has_units else [])
    dl = ["deadline"] if grid.has_deadline else []
    if v.order == "seq-late":
        return groups + seq + ["content"] + units + dl
    if v.order == "deadline-early":
        return seq + groups + ["content"] + dl + units[::-1]
    return seq + groups + ["content"] + units + dl


_GROUP_LABELS = {  # narrowest first
    "usual": ["任务名称", "重点任务", "工作领域"],
    "synonyms": ["工作任务", "主要任务", "工作重点"],
}
_SYNONYMS = {
    "seq": ["编号"],
    "content": ["工作措施", "具体措施", "工作内容", "主要内容", "任务要求"],
    "lead": ["牵头部门", "牵头科室"],
    "units": ["责任部门", "责任科室", "负责科室"],
    "deadline": ["时间要求", "时限要求", "完成时间", "时间节点"],
}
_USUAL = {"seq": "序号", "content": "具体内容", "lead": "牵头单位", "units": "责任单位",
          "deadline": "完成时限"}
_TOPIC_CONTENT = ["民生实事", "重点项目", "改革事项", "具体要求"]
_TOPIC_GROUPS = ["改革事项", "重点项目", "民生实事"]


def header_labels(grid: Grid, v: Variant, cols: list[str]) -> list[str] | None:
    """The header row's labels for the columns, or None (no header). Synonyms and topic words are
    picked deterministically from short lists (seeded by notice and variant)."""
    if v.header == "none":
        return None
    rng = random.Random(f"{grid.name}|{v.id}")
    labels = dict(_USUAL)
    groups = list(_GROUP_LABELS["usual"])
    if v.header == "synonyms":
        labels = {role: rng.choice(choices) for role, choices in _SYNONYMS.items()}
        groups = list(_GROUP_LABELS["synonyms"])
    elif v.header == "topic":
        labels["content"] = rng.choice(_TOPIC_CONTENT)
        groups = [w for w in _TOPIC_GROUPS if w != labels["content"]]
        rng.shuffle(groups)
        groups += ["重点领域", "工作板块"]
    out = []
    for c in cols:
        if c.startswith("g"):
            level = int(c[1:])
            out.append(groups[grid.depth - 1 - level])
        else:
            out.append(labels[c])
    return out


def units_cell(row: Row, role: str, v: Variant) -> str:
    if role == "lead":
        return "、".join(row.lead)
    if v.units != "combined":
        return "、".join(row.units)
    lead, units = "、".join(row.lead), "、".join(row.units)
    if lead and units:
        return f"{lead}牵头，{units}配合"
    if lead:
        return f"{lead}牵头"
    return units


@dataclass
class Cell:
    text: str
    span: int = 1  # rows a merged grouping cell covers (on its first row)
    covered: bool = False  # merged away under the cell above


@dataclass
class Layout:
    title: str
    header: list[str] | None
    rows: list[tuple[str, list[Cell]]]  # ("header" | "body", cells)
    width: int


def midpoint(grid: Grid) -> int:
    """Where a repeated header goes: the boundary between two task-name groups nearest the middle (so
    the task-name cell is never split by the page), else the middle row. A broader grouping cell that
    runs on past the header is shown again below it, as on the next page of a table pasted together."""
    n = len(grid.rows)
    if grid.depth:
        bounds = [r for r in range(1, n) if grid.rows[r].groups != grid.rows[r - 1].groups]
        if bounds:
            return min(bounds, key=lambda r: (abs(r - n / 2), r))
    return n // 2


def layout(grid: Grid, v: Variant) -> Layout:
    """The table as written: header rows and body rows of cells, merges marked."""
    cols = columns(grid, v)
    header = header_labels(grid, v, cols)
    cut = midpoint(grid) if v.midheader else None
    body: list[list[Cell]] = []
    for r, row in enumerate(grid.rows):
        cells = []
        for c in cols:
            if c == "seq":
                cells.append(Cell(str(r + 1)))
            elif c.startswith("g"):
                cells.append(Cell(row.groups[int(c[1:])]))
            elif c == "content":
                cells.append(Cell(row.content))
            elif c in ("lead", "units"):
                cells.append(Cell(units_cell(row, c, v)))
            else:
                cells.append(Cell(row.deadline))
        body.append(cells)
    # merged runs of grouping cells: a run of a narrower level ends where the broader one changes,
    # and every run ends at the repeated header (a new page starts new runs)
    for ci, c in enumerate(cols):
        if not c.startswith("g"):
            continue
        level = int(c[1:])
        top = 0
        for r in range(1, len(grid.rows) + 1):
            key = grid.rows[top].groups[:level + 1]
            same = (r < len(grid.rows) and r != cut and grid.rows[r].groups[:level + 1] == key
                    and key[-1] != "")
            if same:
                body[r][ci].covered = True
                continue
            body[top][ci].span = r - top
            top = r
    rows: list[tuple[str, list[Cell]]] = []
    if header:
        rows.append(("header", [Cell(x) for x in header]))
    for r, cells in enumerate(body):
        if r == cut and header:
            rows.append(("header", [Cell(x) for x in header]))
        rows.append(("body", cells))
    return Layout(title=grid.title or FALLBACK_TITLE, header=header, rows=rows, width=len(cols))


def flat_rows(lay: Layout, merge: str) -> list[list[str]]:
    """Rows of cell strings after the merge policy: repeat fills covered cells with the text above,
    blank leaves them empty, absent drops them (the row gets shorter, later cells shift left)."""
    out = []
    for _kind, cells in lay.rows:
        row = []
        for cell in cells:
            if not cell.covered:
                row.append(cell.text)
            elif merge != "absent":
                row.append("" if merge in ("blank", "native") else above_text(lay, cells, cell))
        out.append(row)
    return out


def above_text(lay: Layout, cells: list[Cell], cell: Cell) -> str:
    """The text of the merged cell covering ``cell`` (the nearest uncovered cell above it)."""
    ci = cells.index(cell)
    at = next(i for i, (_k, cs) in enumerate(lay.rows) if cs is cells)
    for i in range(at - 1, -1, -1):
        kind, cs = lay.rows[i]
        if kind == "body" and not cs[ci].covered:
            return cs[ci].text
    raise AssertionError("covered cell without a merged cell above it")


# ---------------------------------------------------------------------------------------------
# Fairness: combinations that are not generated, and why.

def unfair(grid: Grid, v: Variant) -> str | None:
    """Why a combination is not a table a clerk could read unambiguously (or does not apply), else None."""
    if v.merge == "native" and v.carrier not in RICH:
        return "a text flattening has no merged cells: its covered cells are repeated, blank or absent"
    if v.merge == "absent" and v.carrier in RICH:
        # in html the rowspan *is* the absent shape (the covered <td> are missing); docx and xlsx
        # always have a cell at every position
        return "absent cells exist only in text copied out of a rowspan table"
    if (v.merge == "none") != (grid.depth == 0):
        return "merge policy applies exactly when there is a grouping column"
    if v.order == "seq-late" and not (v.seq and grid.depth):
        return "seq-late needs a 序号 column and a grouping column to move it behind"
    if v.order == "deadline-early" and not (grid.has_deadline and (grid.has_lead or grid.has_units)):
        return "deadline-early needs a deadline column and a unit column"
    if (v.units == "plain") == grid.has_lead:
        return "units split/combined apply when some task has a lead unit, plain when none has"
    if v.midheader and (v.header == "none" or len(grid.rows) < 4):
        return "a repeated header needs a header and a table long enough to run over a page"
    if (v.carrier == "xlsx") != (v.title in ("merged-row", "cell")):
        return "title rows are a worksheet's; other carriers have a title paragraph"
    if v.header == "none" and v.merge == "absent" and v.order != "standard":
        # rows of different lengths with no header and a non-standard order: which cell a shorter row
        # lacks (and so which column each remaining cell belongs to) cannot be told
        return "no header + absent merged cells + reordered columns is ambiguous"
    if v.header == "none" and v.units == "split":
        # a 牵头单位 column without its label is a column of unit names like any 责任单位 column:
        # nothing says it holds the lead units (README: an unlabelled unit column goes to units)
        return "no header + a separate 牵头单位 column: nothing says the column leads"
    lay = layout(grid, v)
    cells = [x for row in flat_rows(lay, v.merge) for x in row]
    if v.carrier in ("pipes", "pipe-lines") and any("|" in x or "｜" in x for x in cells):
        return "a cell holds a pipe: the pipe flattenings would split it"
    if v.merge == "blank" and any(not c.text.strip() for _k, row in lay.rows for c in row if not c.covered):
        # merged cells arrive as empty cells, so an empty unit or deadline cell could be one more merged
        # cell: "none" and "same as above" look the same (a real merge, repeated text or an absent cell
        # keeps them apart)
        return "blank merged cells + a genuinely empty cell: 'none' and 'as above' look the same"
    if v.carrier == "cells-blank" and any(not x.strip() for x in cells):
        # one cell per line with a blank line between rows: an empty cell is an empty line, the same
        # as the row separator
        return "cells-blank with an empty cell: the empty line reads as the end of the row"
    if v.carrier in UNMARKED_ROWS and v.merge == "absent" and not (v.seq and v.header != "none"):
        # nothing marks where a row ends and rows have different lengths: only a running 序号 (and a
        # header giving the full width) shows where each row starts, as in corpus 106
        return "rowless flattening + absent cells needs a header and a running 序号"
    if v.carrier in UNMARKED_ROWS and v.header == "none" and not v.seq:
        # neither a header giving the row width nor a running number marking each row
        return "rowless flattening without header or 序号: the row width cannot be told"
    return None


DIMENSIONS = ("merge", "header", "order", "seq", "units", "midheader", "title")


def domains(carrier: str) -> dict[str, tuple]:
    return {
        "merge": (("native" if carrier in RICH else "absent"), "repeat", "blank", "none"),
        "header": ("usual", "synonyms", "topic", "none"),
        "order": ("standard", "seq-late", "deadline-early"),
        "seq": (True, False),
        "units": ("split", "combined", "plain"),
        "midheader": (False, True),
        "title": ("merged-row", "cell") if carrier == "xlsx" else ("paragraph",),
    }


def fair_variants(grid: Grid, carrier: str) -> list[Variant]:
    doms = domains(carrier)
    out = []
    for values in product(*(doms[d] for d in DIMENSIONS)):
        v = Variant(carrier, **dict(zip(DIMENSIONS, values, strict=True)))
        if unfair(grid, v) is None:
            out.append(v)
    return out


def _pairs(v: Variant) -> set[tuple]:
    items = [(d, getattr(v, d)) for d in DIMENSIONS]
    return set(combinations(items, 2))


def plan_cases(grids: dict[str, Grid]) -> list[tuple[str, Variant]]:
    """Per notice and carrier, a greedy all-pairs sample of the fair variants: every pair of values
    of two dimensions that occurs in some fair variant occurs in a chosen one. Deterministic (ties
    broken by a shuffle seeded with notice and carrier)."""
    cases = []
    for name in sorted(grids):
        grid = grids[name]
        if not grid.rows:
            continue
        for carrier in CARRIERS:
            pool = fair_variants(grid, carrier)
            random.Random(f"{name}|{carrier}").shuffle(pool)
            pairs = {v: _pairs(v) for v in pool}
            needed = set().union(*pairs.values()) if pairs else set()
            while needed:
                best = max(pool, key=lambda v: len(pairs[v] & needed))
                needed -= pairs[best]
                cases.append((name, best))
    return cases


# ---------------------------------------------------------------------------------------------
# Rendering.

def render(grid: Grid, v: Variant, directory: Path) -> tuple[Path, str]:
    """Write the variant into ``directory``; returns the file and a text preview of what was written."""
    lay = layout(grid, v)
    stem = re.sub(r"[^0-9A-Za-z_-]+", "_", f"{grid.name}-{v.id}")[:120]
    if v.carrier == "docx":
        return _docx(lay, v, directory / f"{stem}.docx"), _preview(lay, v)
    if v.carrier == "html":
        page = _html(lay, v)
        path = directory / f"{stem}.html"
        path.write_text(page, encoding="utf-8")
        return path, _excerpt(page)
    if v.carrier == "xlsx":
        return _xlsx(lay, v, directory / f"{stem}.xlsx"), _preview(lay, v)
    text = flatten(lay, v)
    path = directory / f"{stem}.txt"
    path.write_text(text, encoding="utf-8")
    return path, _excerpt(text)


def flatten(lay: Layout, v: Variant) -> str:
    """The text flattenings: the title line, a blank line, then the table."""
    rows = flat_rows(lay, v.merge)
    lines: list[str] = [lay.title, ""]
    for row in rows:
        if v.carrier == "tabs":
            lines.append("\t".join(row))
        elif v.carrier == "pipes":
            lines.append(" | ".join(row) + " |")
        elif v.carrier == "pipe-lines":
            for cell in row:
                if cell:
                    lines.append(cell)
                lines.append("|")
        elif v.carrier == "cells-blank":
            lines.extend(row)
            lines.append("")
        elif v.carrier == "cells":
            lines.extend(row)
        else:
            raise ValueError(v.carrier)
    return "\n".join(lines).rstrip("\n") + "\n"


def _excerpt(text: str, limit: int = 900) -> str:
    return text if len(text) <= limit else text[:limit] + "\n…"


def _preview(lay: Layout, v: Variant) -> str:
    """A readable dump of a .docx/.xlsx table: cells split by ' ¦ ', a merged-away cell shown as ↑."""
    lines = [lay.title]
    for _kind, cells in lay.rows:
        lines.append(" ¦ ".join("↑" if c.covered and v.merge == "native" else
                                ("" if c.covered and v.merge == "blank" else c.text) for c in cells))
    return _excerpt("\n".join(lines))


def _cell_text(lay: Layout, cells: list[Cell], cell: Cell, merge: str) -> str:
    if not cell.covered:
        return cell.text
    return above_text(lay, cells, cell) if merge == "repeat" else ""


def _docx(lay: Layout, v: Variant, path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(lay.title)
    t = d.add_table(rows=len(lay.rows), cols=lay.width)
    t.style = "Table Grid"
    for r, (_kind, cells) in enumerate(lay.rows):
        for c, cell in enumerate(cells):
            text = _cell_text(lay, cells, cell, v.merge)
            if text:
                t.cell(r, c).text = text
    if v.merge == "native":
        for r, (_kind, cells) in enumerate(lay.rows):
            for c, cell in enumerate(cells):
                if not cell.covered and cell.span > 1:
                    t.cell(r, c).merge(t.cell(r + cell.span - 1, c))
    d.add_paragraph("")
    d.save(path)
    return path


def _html(lay: Layout, v: Variant) -> str:
    title = html.escape(lay.title)
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8">', f"<title>{title}</title></head>",
           f'<body><div class="article"><h2>{title}</h2>', '<table border="1" cellspacing="0">']
    for _kind, cells in lay.rows:
        tag = "th" if _kind == "header" else "td"
        out.append("<tr>")
        for cell in cells:
            if cell.covered and v.merge == "native":
                continue
            span = f' rowspan="{cell.span}"' if v.merge == "native" and cell.span > 1 else ""
            out.append(f"<{tag}{span}>{html.escape(_cell_text(lay, cells, cell, v.merge))}</{tag}>")
        out.append("</tr>")
    out.append("</table></div></body></html>")
    return "\n".join(out)


def _xlsx(lay: Layout, v: Variant, path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.cell(1, 1, lay.title)
    if v.title == "merged-row" and lay.width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=lay.width)
    first = 2
    for r, (_kind, cells) in enumerate(lay.rows):
        for c, cell in enumerate(cells):
            if cell.covered and v.merge == "native":
                continue
            text = _cell_text(lay, cells, cell, v.merge)
            if text:
                ws.cell(first + r, c + 1, text)
    if v.merge == "native":
        for r, (_kind, cells) in enumerate(lay.rows):
            for c, cell in enumerate(cells):
                if not cell.covered and cell.span > 1:
                    ws.merge_cells(start_row=first + r, start_column=c + 1,
                                   end_row=first + r + cell.span - 1, end_column=c + 1)
    wb.save(path)
    return path


def read_back(path: Path, v: Variant) -> tuple[str | None, list[list[str]]]:
    """A .docx/.html/.xlsx rendering read back with its format's own library, merged cells filled from
    the merged cell: (the text above the table, the table's rows). Checks the generator, not the parser."""
    if v.carrier == "docx":
        import docx

        d = docx.Document(str(path))
        above = next((p.text for p in d.paragraphs if p.text.strip()), None)
        return above, [[c.text for c in row.cells] for row in d.tables[0].rows]
    if v.carrier == "html":
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        grid: dict[tuple[int, int], str] = {}
        for r, tr in enumerate(soup.find("table").find_all("tr")):
            c = 0
            for td in tr.find_all(["td", "th"]):
                while (r, c) in grid:
                    c += 1
                for k in range(int(td.get("rowspan", 1))):
                    grid[(r + k, c)] = td.get_text()
                c += 1
        widths: dict[int, int] = {}
        for r, c in grid:
            widths[r] = max(widths.get(r, 0), c + 1)
        return soup.find("h2").get_text(), [[grid[(r, c)] for c in range(widths[r])] for r in sorted(widths)]
    if v.carrier == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        ws = wb.active
        values = {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if rng.min_row > 1:  # the title row's merge is not a table cell
                        values[(r, c)] = values[(rng.min_row, rng.min_col)]
        title_merged = any(rng.min_row == rng.max_row == 1 for rng in ws.merged_cells.ranges)
        above = f"{values.get((1, 1))}{' (merged row)' if title_merged else ''}"
        rows = [[str(values.get((r, c)) or "") for c in range(1, ws.max_column + 1)]
                for r in range(2, ws.max_row + 1)]
        return above, rows
    raise ValueError(v.carrier)


def expected_read_back(grid: Grid, v: Variant) -> tuple[str, list[list[str]]]:
    """What ``read_back`` must give for a faithful rendering."""
    lay = layout(grid, v)
    above = lay.title + (" (merged row)" if v.title == "merged-row" and lay.width > 1 else "")
    return above, flat_rows(lay, "repeat" if v.merge in ("native", "repeat") else "blank")
