"""Builder of the 未完成事项清单: open and overdue items grouped by unit, with days overdue as of ``today``."""
from __future__ import annotations

import datetime as dt

from desktop.documents import layout
from desktop.documents.model import (
    Doc,
    ItemRow,
    SectionRow,
    Table,
    Tree,
    clean,
    cn_date,
    days_overdue,
    doc_title,
    is_open,
)
from desktop.documents.table_doc import cell_text, head_blocks
from desktop.domain import NoticeInfo, TaskRow

KEYS = ["seq", "title", "text", "deadline", "due", "overdue", "status", "note"]
NO_UNIT = "未明确责任单位"


def owners(tree: Tree, row: TaskRow) -> list[str]:
    """The units a reminder goes to: the lead units, else the responsible ones (of the row or, failing that,
    of its nearest ancestor that names any)."""
    return tree.owners(row) or [NO_UNIT]


def build_open(notice: NoticeInfo, rows: list[TaskRow], today: dt.date) -> Doc:
    """Open items (未开始/推进中/暂缓) per unit, most overdue first; an item with two lead units is listed
    under both."""
    tree = Tree(rows)
    items = [r for r in tree.work_rows() if is_open(r)]
    by_unit: dict[str, list[TaskRow]] = {}
    for r in items:
        for u in owners(tree, r):
            by_unit.setdefault(u, []).append(r)
    order = {r.id: i for i, r in enumerate(rows)}
    lines: list[SectionRow | ItemRow] = []
    for unit, group in by_unit.items():
        group.sort(key=lambda r: (-days_overdue(r, today), r.due_date or dt.date.max, order[r.id]))
        late = sum(days_overdue(r, today) > 0 for r in group)
        lines.append(SectionRow(f"{unit}（{len(group)}项" + (f"，其中逾期{late}项）" if late else "）"), 1))
        for seq, r in enumerate(group, 1):
            task = tree.group_of(r)
            cells = []
            for k in KEYS:
                if k == "due":
                    cells.append(cn_date(r.due_date))
                elif k == "overdue":
                    n = days_overdue(r, today)
                    cells.append(f"{n}天" if n else "")
                elif k == "text" and task is not None:
                    cells.append(clean(r.text) or clean(r.title))
                else:
                    cells.append(cell_text(k, tree, seq, task, r))
            lines.append(ItemRow(cells))
    late_all = sum(days_overdue(r, today) > 0 for r in items)
    title = doc_title(notice, "未完成事项清单")
    sub = f"（截至{cn_date(today)}，共{len(items)}项，其中逾期{late_all}项）"
    return Doc(title, head_blocks(title, None, sub) + [Table([layout.COLUMNS[k] for k in KEYS], lines)])
