"""The page-independent description of a document that the builders produce and both writers render.

A ``Doc`` is a list of blocks: grid-line paragraphs (``Para``), tables (``Table``), grids with merged cells
(``Grid``) and page breaks. Table
rows are either full-width section rows (``SectionRow``) or ``ItemRow``s; an item row with ``cont=True``
continues the task above it, so its merged columns (序号, 任务名称) are one cell with the row above.
Also here: the tree layout every builder uses (task grouping, sections, work rows, dates); the rules on the
tree (open, overdue, units in force) are ``tracking.rules``'.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.documents import layout
from desktop.domain import TaskRow
from desktop.notice_titles import (  # noqa: F401 - the builders' names for the title rules
    PLACEHOLDER_TITLES,
    core_subject,
    doc_title,
    has_title,
    report_title,
    subject,
    subject_of,
    table_title,
)
from desktop.plaintext import clean
from desktop.tracking.rules import TaskTree


@dataclass
class Para:
    """A paragraph set on the line grid (every line one ``layout.LINE_PITCH``)."""

    text: str
    role: str = "fang"
    size: float = layout.SIZE_BODY
    align: str = "left"  # left | center | right | justify
    indent: float = 0.0  # first-line indent, in characters
    left: float = 0.0  # left indent of all lines, in characters
    right: float = 0.0  # right indent, in characters
    keep_with_next: bool = False


@dataclass
class SectionRow:
    """A full-width row: a section heading (level 1 黑体, 2 楷体, deeper 仿宋) or a unit heading."""

    text: str
    level: int = 1


@dataclass
class ItemRow:
    """One table row; ``cont`` = continues the task above (merged columns are blank here)."""

    cells: list[str]
    cont: bool = False


@dataclass
class Table:
    """A table with a repeated header row; ``merged`` are column indexes merged over a task's rows."""

    columns: list[layout.ColumnSpec]
    rows: list[SectionRow | ItemRow]
    merged: tuple[int, ...] = ()


@dataclass
class PageBreak:
    """Start a new page."""


@dataclass
class NewSection:
    """Start a new page in the given orientation (the landscape 附件 after a portrait report, and back)."""

    landscape: bool


@dataclass
class Masthead:
    """版头 (clause 7.2): the red 发文机关标志 35 mm below the top of the 版心, the 发文字号 two lines below it,
    the red rule 4 mm under the 发文字号. The title follows two blank lines below the rule."""

    organ: str
    number: str = ""


@dataclass
class Imprint:
    """版记 (clause 7.4) at the bottom of the last page: 抄送 and 印发机关/印发日期 between the rules."""

    cc: str = ""
    printed_by: str = ""
    printed_on: str = ""  # already formatted: 2023年7月20日


@dataclass
class GridCell:
    """One cell of a ``Grid``, at (row, col), spanning ``rowspan`` rows and ``colspan`` columns."""

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    role: str = "fang"
    align: str = "center"  # left | center | right


@dataclass
class Grid:
    """A table drawn cell by cell, with cells merged over rows and columns (multi-row headers, row groups):
    the annual report's tables. ``widths`` are relative (the grid fills the 版心's width); the first
    ``header_rows`` rows repeat on every page. Every (row, col) position must belong to exactly one cell."""

    widths: list[float]
    cells: list[GridCell]
    n_rows: int
    header_rows: int = 0
    size: float = layout.GRID_FONT_SIZE
    leading: float = layout.GRID_LEADING
    keep_together: bool = False  # start on a new page rather than break (when it fits on one)


Block = Para | Table | PageBreak | NewSection | Masthead | Imprint | Grid


@dataclass
class Doc:
    """A whole document: orientation, blocks, and the title and author (the office) for the file's metadata."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = True
    author: str = ""

    def row_count(self) -> int:
        return sum(len(b.rows) if isinstance(b, Table) else b.n_rows for b in self.blocks if isinstance(b, Table | Grid))


def _measured_rows(table: Table) -> list[list[str]]:
    merged = set(table.merged)
    return [[("" if r.cont and i in merged else t) for i, t in enumerate(r.cells)]
            for r in table.rows if isinstance(r, ItemRow)]


def table_widths(table: Table, total: float) -> list[float]:
    """Column widths in pt of ``table`` on a type area ``total`` pt wide: the one routine both writers use.
    A task's merged cells count once (on its first row)."""
    return layout.column_widths(table.columns, _measured_rows(table), total)


def table_layout(table: Table, total: float) -> tuple[list[float], list[str]]:
    """(column widths in pt, column alignments) of ``table``, as both writers set it."""
    rows = _measured_rows(table)
    widths = layout.column_widths(table.columns, rows, total)
    return widths, layout.column_aligns(table.columns, rows, widths)


# ---- tree helpers -------------------------------------------------------------------------------


def cn_date(d: dt.date | None) -> str:
    """2024年3月1日 (clause 7.3.5.4: no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


class Tree(TaskTree):
    """The task tree of one notice as the documents lay it out: ``Tree(rows, year)`` (``year``: the
    notice's 年度). Which rows are open or overdue and which units a row has (``lead``, ``responsible``,
    ``answerable``) are the task-tree rules of ``tracking.rules.TaskTree``; here only the layout: task
    groups and their items, sections, the work rows, the deadline as printed."""

    def is_task_group(self, row: TaskRow) -> bool:
        """A task whose children are its item rows (all leaves, below the top level)."""
        kids = self.kids(row)
        return bool(kids) and row.depth >= 2 and not any(self.kids(k) for k in kids)

    def is_section(self, row: TaskRow) -> bool:
        return bool(self.kids(row)) and not self.is_task_group(row)

    def deadline(self, row: TaskRow) -> str:
        r: TaskRow | None = row
        while r is not None:
            if r.deadline_text:
                return clean(r.deadline_text)
            r = self.by_id.get(r.parent_id) if r.parent_id is not None else None
        return ""

    def group_of(self, row: TaskRow) -> TaskRow | None:
        """The task a leaf is an item of, if any."""
        p = self.by_id.get(row.parent_id) if row.parent_id is not None else None
        return p if p is not None and self.is_task_group(p) else None

    def work_rows(self) -> list[TaskRow]:
        """The rows that carry work: leaves, plus task groups whose own text is more than a title."""
        return [r for r in self.rows if not self.kids(r) or (self.is_task_group(r) and own_text(r))]

    def sections_above(self, row: TaskRow) -> list[TaskRow]:
        out = []
        r = self.by_id.get(row.parent_id) if row.parent_id is not None else None
        while r is not None:
            if self.is_section(r):
                out.append(r)
            r = self.by_id.get(r.parent_id) if r.parent_id is not None else None
        return out[::-1]


def own_text(row: TaskRow) -> str:
    """A group task's own body beyond its title ("" if none)."""
    text, title = clean(row.text), clean(row.title)
    return "" if not text or text == title else text


def content(row: TaskRow, with_number: bool = False, parent: TaskRow | None = None) -> str:
    """具体内容 of a row: its text (with the title in front when the text does not repeat it; an item's title
    that only repeats its task's title is left out)."""
    text, title = clean(row.text), clean(row.title)
    if parent is not None and title == clean(parent.title):
        title = ""
    body = text if not title or title in text else (f"{title}。{text}" if text else title)
    return f"{clean(row.number)}{body}" if with_number and row.number else body


def heading(row: TaskRow) -> str:
    return f"{clean(row.number)}{clean(row.title) or clean(row.text)}"


def task_lines(tree: Tree, cells: Callable[[int, TaskRow | None, TaskRow], list[str]],
               keep: Callable[[TaskRow], bool] = lambda r: True) -> list[SectionRow | ItemRow]:
    """Table rows in tree order for the work rows ``keep`` accepts: section rows above them, and one
    task per 序号 whose items continue it. ``cells(seq, task, item)`` gives the cells of an item row
    (``task`` is the group, or None for a task without items; for a group's own text ``item is task``)."""
    out: list[SectionRow | ItemRow] = []
    shown: set[int] = set()
    seq = 0
    last_group: int | None = None
    for r in tree.work_rows():
        if not keep(r):
            continue
        for s in tree.sections_above(r):
            if s.id not in shown:
                shown.add(s.id)
                out.append(SectionRow(heading(s), s.depth))
                last_group = None
        group = r if tree.is_task_group(r) else tree.group_of(r)
        cont = group is not None and group.id == last_group
        if not cont:
            seq += 1
        out.append(ItemRow(cells(seq, group, r), cont))
        last_group = group.id if group is not None else None
    return out
