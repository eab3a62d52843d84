"""Task tables (任务分解表): one task per row, wherever the table came from.

The header row is found by its labels; grouping cells (一级标题, 任务名称) and merged-away cells are
carried down; a row holding only a heading updates the section.  Units come from the 牵头/责任
columns (a cell that says 牵头 or 配合 is read as an attribution), the deadline from 完成时限.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.domain import section_path, section_text

from ..model import ParsedTask
from . import cells as K
from .columns import (
    CONTENT,
    DEADLINE,
    GROUP,
    LEAD,
    OTHER,
    PARTNER,
    SEQ,
    TITLE,
    UNITS,
    assign_roles,
    header_roles,
    is_header,
)
from .deadlines import clean as clean_deadline
from .layout import Layout, TablePos
from .patterns import first_clause, match_enum
from .units import parse_attribution, split_names

PARTNER_AS = {PARTNER: UNITS}  # 配合单位 rows go to units


def _heading(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip().rstrip("。：:")


def _title(text: str) -> str:
    e = match_enum(text)
    return _heading(text[e.end:] if e else text)


def _units(cell: str, lead_column: bool = False) -> tuple[list[str], list[str]]:
    """(lead, units) of a units cell: by the column's label, unless the cell says 牵头/配合 itself."""
    if not cell.strip() or K.NO_UNIT.match(cell.strip()):
        return [], []
    att = parse_attribution(cell, plain_list=True)
    if att and att.explicit and (att.lead or att.units):  # the cell's own 牵头/配合 words override the column
        return att.lead, att.units
    return (split_names(cell), []) if lead_column else ([], split_names(cell))


def _find_header(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:12]):
        if is_header(row):
            return i
    return None


def looks_like_task_table(roles: list[str], rows: list[list[str]]) -> bool:
    """A table without a header is a task table when its cells give it a body and units or deadlines,
    over at least two rows."""
    return CONTENT in roles and bool({UNITS, LEAD, DEADLINE} & set(roles)) and len(rows) >= 2


@dataclass
class Reading:
    """How one table was read: its header row (-1: none), the role of each column, the tasks it gave."""

    header: int
    roles: list[str]
    tasks: list[ParsedTask]


def _clerk_roles(columns: list[str], width: int) -> list[str]:
    roles = [PARTNER_AS.get(r, r) for r in columns[:width]] + [OTHER] * (width - len(columns))
    if TITLE in roles:  # 任务名称 is the narrowest grouping level: the groups left of it stay groups
        roles = [GROUP if r == TITLE else r for r in roles]
    return roles


def read_table(tp: TablePos, layout: Layout) -> Reading:
    """Tasks of one table, by the clerk's word where given (``Table.header``/``Table.columns``), else by
    the header's labels and the cells (``columns.assign_roles``)."""
    table = tp.table
    rows = table.rows
    width = max(len(r) for r in rows)
    h = _find_header(rows) if table.header is None else (None if table.header < 0 else table.header)
    data = [r + [""] * (width - len(r)) for r in rows[(h + 1 if h is not None else 0):]]
    header = rows[h] + [""] * (width - len(rows[h])) if h is not None else None
    if table.columns is not None:
        roles = _clerk_roles(table.columns, width)
    else:
        roles = assign_roles(header, data)
        if h is None and not looks_like_task_table(roles, data):
            return Reading(-1, roles, [])
    return Reading(-1 if h is None else h, roles, tasks_from_table(tp, layout, h, roles))


def tasks_from_table(tp: TablePos, layout: Layout, h: int | None, roles: list[str]) -> list[ParsedTask]:
    """One task per row of the body column under header row ``h`` (None: no header), by ``roles``."""
    rows = tp.table.rows
    width = max(len(r) for r in rows)
    header = rows[h] + [""] * (width - len(rows[h])) if h is not None else [""] * width
    h = -1 if h is None else h
    group_cols = [c for c, r in enumerate(roles) if r == GROUP]
    content_col = roles.index(CONTENT) if CONTENT in roles else None
    if content_col is None and not group_cols:
        return []
    if content_col is None:
        content_col, group_cols = group_cols[-1], group_cols[:-1]
    unit_cols = [c for c, r in enumerate(roles) if r == UNITS]
    lead_cols = [c for c, r in enumerate(roles) if r == LEAD]
    dl_col = roles.index(DEADLINE) if DEADLINE in roles else None
    seq_col = roles.index(SEQ) if SEQ in roles else None
    carried = {c: "" for c in group_cols}
    carry_attr: dict[int, str] = {}
    sections: list[tuple[str, str]] = []  # (numbering style, heading)
    header_norm = [re.sub(r"\s+", "", c) for c in header]
    named = header_roles(header)
    why = _ColumnWhy(header, named, roles, tp.table.rebuilt, tp.table.columns is not None)
    tasks: list[ParsedTask] = []
    for r in range(h + 1, len(rows)):
        row = rows[r] + [""] * (width - len(rows[r]))
        if not any(c.strip() for c in row) or [re.sub(r"\s+", "", c) for c in row] == header_norm:
            continue
        content = row[content_col].strip()
        attr_cells = [row[c] for c in unit_cols + lead_cols + ([dl_col] if dl_col is not None else [])]
        if not content and not any(c.strip() for c in attr_cells):
            texts = [c.strip() for c in row if c.strip()]
            first_col = next(c for c, v in enumerate(row) if v.strip())
            if len(set(texts)) == 1 and (first_col not in group_cols or len(texts) > 1 or _is_top(texts[0])):
                _push_section(sections, texts[0])
                continue
            for c in group_cols:
                if row[c].strip():
                    _set_group(carried, group_cols, c, row[c])
            continue
        group_changed = False
        for c in group_cols:
            if row[c].strip():
                group_changed = group_changed or row[c].strip() != carried[c]
                _set_group(carried, group_cols, c, row[c])
        carried_from_above = []
        # a row that names units of its own has no merged unit cell: its empty 牵头 (or 配合) cell is empty
        own_units = any(row[c].strip() for c in unit_cols + lead_cols)
        for c in unit_cols + lead_cols + ([dl_col] if dl_col is not None else []):
            if row[c].strip():
                carry_attr[c] = row[c]
            elif group_changed or own_units and c != dl_col:
                carry_attr.pop(c, None)
            elif carry_attr.get(c):
                carried_from_above.append(c)
        if not content:
            continue
        lead: list[str] = []
        units: list[str] = []
        for c in lead_cols + unit_cols:
            cl, cu = _units(carry_attr.get(c, ""), lead_column=c in lead_cols)
            lead += [n for n in cl if n not in lead]
            units += [n for n in cu if n not in units and n not in lead]
        groups = [carried[c] for c in group_cols if carried[c]]
        section = section_text([s for _, s in sections] + [_heading(g) for g in groups])
        e = match_enum(content)
        seq = row[seq_col].strip() if seq_col is not None else ""
        title = _title(groups[-1]) if groups else first_clause(content[e.end:] if e else content)
        spans = [s for s, v in zip(layout_cells(tp, r), row, strict=False) if v.strip()]
        evidence, confidence = why.row(r - h, unit_cols + lead_cols, dl_col, carried_from_above, carry_attr,
                                       bool(lead or units), content)
        tasks.append(ParsedTask(
            level=max(1, len(section_path(section))),
            number=e.label if e else (seq or None), section=section, title=title,
            text=(content[e.end:] if e else content).strip(), lead_units=lead, units=units,
            deadline=clean_deadline(carry_attr.get(dl_col, "")) if dl_col is not None else None,
            source_span=(spans[0][0], spans[-1][1]) if spans else (tp.start, tp.end),
            confidence=confidence, evidence=evidence))
    return tasks


class _ColumnWhy:
    """The evidence a table row carries: which column gave its units and deadline and how that column's
    role was known (its label, or only its cells), how the table was rebuilt from text."""

    def __init__(self, header: list[str], named: list[str | None], roles: list[str], rebuilt: str, clerk: bool):
        self.header, self.named, self.roles, self.rebuilt, self.clerk = header, named, roles, rebuilt, clerk

    def _col(self, c: int) -> tuple[str, float]:
        label = self.header[c].strip()
        if self.clerk:
            return (f"“{label}”列" if label else f"第 {c + 1} 列") + "（按文书指定的列）", 0.0
        if label and self.named[c] == self.roles[c]:
            return f"“{label}”列", 0.0
        where = f"“{label}”列" if label else f"第 {c + 1} 列"
        return f"{where}（按单元格内容判断）", 0.1

    def row(self, n: int, unit_cols: list[int], dl_col: int | None, carried: list[int], cells: dict,
            has_units: bool, content: str) -> tuple[list[str], float]:
        ev = [f"表格第 {n} 行" + (f"（{self.rebuilt}）" if self.rebuilt else "")]
        conf = 0.95 if self.rebuilt else 1.0
        for c in unit_cols:
            if cells.get(c):
                where, doubt = self._col(c)
                said = "，单元格写明牵头/配合" if re.search(r"牵头|配合", cells[c]) else ""
                ev.append(f"单位取自{where}{said}" + ("，沿用上一行（合并单元格）" if c in carried else ""))
                conf -= doubt + (0.05 if c in carried else 0.0)
        if dl_col is not None and cells.get(dl_col):
            where, doubt = self._col(dl_col)
            ev.append(f"完成时限取自{where}" + ("，沿用上一行（合并单元格）" if dl_col in carried else ""))
            conf -= doubt
        if not has_units:
            ev.append("这一行没有责任单位")
            conf -= 0.25
        if len(content) < 6:
            ev.append("具体内容很短，可能不是完整的任务")
            conf -= 0.3
        return ev, max(0.0, min(1.0, conf))


def layout_cells(tp: TablePos, r: int) -> list[tuple[int, int]]:
    return tp.cells[r] if r < len(tp.cells) else []


def _is_top(text: str) -> bool:
    e = match_enum(text)
    return bool(e and e.style == "cn")


def _set_group(carried: dict[int, str], group_cols: list[int], col: int, value: str) -> None:
    carried[col] = value.strip()
    for deeper in group_cols:
        if deeper > col:
            carried[deeper] = ""


def _push_section(sections: list[tuple[str, str]], text: str) -> None:
    e = match_enum(text)
    style = e.style if e else "plain"
    for i, (s, _) in enumerate(sections):
        if s == style:
            del sections[i:]
            break
    sections.append((style, _heading(text)))


def tasks_from_tables(layout: Layout, only: int | None = None) -> tuple[list[ParsedTask], dict[int, Reading]]:
    """Tasks of every table (or only of the ``only``-th), and how each table was read, by its index."""
    tasks: list[ParsedTask] = []
    readings: dict[int, Reading] = {}
    for tp in layout.tables:
        if only is not None and tp.table.index != only:
            continue
        reading = read_table(tp, layout)
        readings[tp.table.index] = reading
        tasks += reading.tasks
    return tasks, readings
