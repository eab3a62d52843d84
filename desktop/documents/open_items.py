"""Builder of the 未完成事项清单: the open items (未开始/推进中/暂缓) as of ``today``, one row per item.

Open, overdue and the units in force (the owners: lead units, else responsible, else （未明确单位）) follow
``tracking.rules`` as of ``today`` and the notice's 年度, as in the digest. Rows follow the notice's order under their section rows (no ranking by lateness); a task's items share its
merged 序号/任务名称, and its units are in their column once (not one list per unit, which repeated an
item under each of its units). The deadline is printed as the notice wrote it; an item past its deadline
says so in its 状态 cell ("已超期"), without day counts. The 落实情况 column appears when any item has a note.
"""
from __future__ import annotations

import datetime as dt

from desktop.documents import layout
from desktop.documents.model import (
    Doc,
    Table,
    Tree,
    clean,
    cn_date,
    doc_title,
    task_lines,
)
from desktop.documents.table_doc import cell_text, head_blocks
from desktop.domain import NoticeInfo, TaskRow

KEYS = ["seq", "title", "text", "owners", "deadline", "status", "note"]


def _status(tree: Tree, row: TaskRow, today: dt.date) -> str:
    late = tree.is_overdue(row, today)
    return f"{row.status.value}\n已超期" if late else row.status.value


def build_open(notice: NoticeInfo, rows: list[TaskRow], today: dt.date) -> Doc:
    """Open items in the notice's order, one row each, with their units, deadline and status."""
    tree = Tree(rows, notice.year)
    items = [r for r in tree.work_rows() if tree.is_open(r)]
    open_ids = {r.id for r in items}
    keys = [k for k in KEYS if k != "note" or any(clean(r.progress_note) for r in items)]

    def cells(seq: int, task: TaskRow | None, item: TaskRow) -> list[str]:
        out = []
        for k in keys:
            if k == "status":
                out.append(_status(tree, item, today))
            elif k == "owners":
                out.append("、".join(tree.owners(item)))
            elif k == "text" and task is None:  # the task's own text; its title is in the 任务名称 column
                out.append(clean(item.text) if clean(item.title) and clean(item.text) else cell_text(k, tree, seq, task, item))
            else:
                out.append(cell_text(k, tree, seq, task, item))
        return out

    lines = task_lines(tree, cells, lambda r: r.id in open_ids)
    merged = tuple(i for i, k in enumerate(keys) if k in layout.MERGED_COLUMNS)
    late_all = sum(tree.is_overdue(r, today) for r in items)
    title = doc_title(notice, "未完成事项清单")
    sub = f"（截至{cn_date(today)}，共{len(items)}项" + (f"，其中{late_all}项已超过完成时限）" if late_all else "）")
    return Doc(title, head_blocks(title, None, sub) + [Table([layout.COLUMNS[k] for k in keys], lines, merged)])
