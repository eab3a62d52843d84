"""Builders of the two whole-notice tables: the 任务分解表 (an attachment) and the 落实情况汇总表.

The unit columns show the units in force on a row (``tracking.rules``: its own, else both lists of its
nearest ancestor that names any); 牵头单位/责任单位 of the 汇总表: the lead units, else the responsible ones."""
from __future__ import annotations

import datetime as dt

from desktop.documents import layout
from desktop.documents.model import (
    Doc,
    Para,
    Table,
    TaskRow,
    Tree,
    clean,
    cn_date,
    content,
    doc_title,
    task_lines,
)
from desktop.domain import NoticeInfo, Status


def completion(row: TaskRow) -> str:
    """完成情况: status, completion date, and the 落实情况 note."""
    s = row.status.value
    if row.status == Status.DONE and row.done_on:
        s += f"（{cn_date(row.done_on)}）"
    note = clean(row.progress_note)
    return f"{s}。{note}" if note else s


def cell_text(key: str, tree: Tree, seq: int, task: TaskRow | None, item: TaskRow) -> str:
    """The text of column ``key`` for an item row (merged columns come from the task)."""
    if key == "seq":
        return str(seq)
    if key == "title":
        return clean((task or item).title) or content(task or item)[:30]
    if key == "text":
        if task is None:
            return content(item)
        return content(item, with_number=True, parent=task) if item is not task else clean(item.text)
    values = {
        "lead": lambda: "、".join(tree.lead(item)),
        "owners": lambda: "、".join(tree.answerable(item)),
        "units": lambda: "、".join(tree.responsible(item)),
        "deadline": lambda: tree.deadline(item),
        "owner": lambda: clean(item.owner),
        "completion": lambda: completion(item),
        "remark": lambda: clean(item.remark),
        "status": lambda: item.status.value,
        "done_on": lambda: cn_date(item.done_on),
        "note": lambda: clean(item.progress_note),
    }
    return values[key]()


def _table(tree: Tree, keys: list[str]) -> Table:
    cols = [layout.COLUMNS[k] for k in keys]
    lines = task_lines(tree, lambda seq, task, item: [cell_text(k, tree, seq, task, item) for k in keys])
    merged = tuple(i for i, k in enumerate(keys) if k in layout.MERGED_COLUMNS)
    return Table(cols, lines, merged)


def head_blocks(title: str, label: str | None, sub: str | None = None) -> list[Para]:
    """附件 label on line 1 (3号黑体, top-left), blank, title on line 3 (2号小标宋, centred), blank."""
    blocks = [Para(label or "", "hei", layout.SIZE_BODY), Para("")] if label else []
    blocks.append(Para(title, "title", layout.SIZE_TITLE, "center", keep_with_next=True))
    if sub:
        blocks.append(Para(sub, "kai", layout.SIZE_BODY, "center", keep_with_next=True))
    blocks += [Para("", keep_with_next=True)] * layout.TABLE_GAP_AFTER_TITLE_LINES
    return blocks


def build_table(notice: NoticeInfo, rows: list[TaskRow], columns: list[str] | None = None,
                label: str = "附件") -> Doc:
    """任务分解表: 序号 任务名称 具体内容 牵头单位 责任单位 完成时限 [+ 责任人 完成情况 备注]."""
    extra = [c for c in layout.TABLE_OPTIONAL_COLUMNS if c in (columns or [])]
    unknown = set(columns or []) - set(layout.TABLE_BASE_COLUMNS) - set(extra)
    if unknown:
        raise ValueError(f"未知的列：{'、'.join(sorted(unknown))}")
    tree = Tree(rows, notice.year)
    base = list(layout.TABLE_BASE_COLUMNS)
    if not any(r.lead_units for r in rows) and any(r.units for r in rows):
        base.remove("lead")  # the notice's own table has only a 责任单位 column: no empty 牵头单位 column
    title = doc_title(notice, "任务分解表")
    return Doc(title, head_blocks(title, label) + [_table(tree, base + extra)])


def progress_note(row: TaskRow) -> str:
    """落实情况 of the 汇总表: the completion date of a finished task first, then the note."""
    note = clean(row.progress_note)
    if row.status == Status.DONE and row.done_on:
        return f"{cn_date(row.done_on)}完成。{note}" if note else f"{cn_date(row.done_on)}完成。"
    return note


def build_progress(notice: NoticeInfo, rows: list[TaskRow], today: dt.date, label: str | None = None) -> Doc:
    """落实情况汇总表: each task with its lead (else responsible) units, deadline (as the notice wrote it), status
    and 落实情况 (a finished task's date first: a date column of its own would take the text columns' room).
    ``label``: "附件" when it is appended to the 落实情况报告."""
    tree = Tree(rows, notice.year)
    work = tree.work_rows()
    done = sum(r.status == Status.DONE for r in work)
    title = doc_title(notice, "落实情况汇总表")
    sub = f"（截至{cn_date(today)}，共{len(work)}项，已完成{done}项）"
    keys = ["seq", "title", "text", "owners", "deadline", "status", "note"]
    lines = task_lines(tree, lambda seq, task, item: [progress_note(item) if k == "note" else
                                                      cell_text(k, tree, seq, task, item) for k in keys])
    merged = tuple(i for i, k in enumerate(keys) if k in layout.MERGED_COLUMNS)
    return Doc(title, head_blocks(title, label, sub) + [Table([layout.COLUMNS[k] for k in keys], lines, merged)])
