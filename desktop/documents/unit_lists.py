"""Builder of the per-unit task lists: for each unit (or one), the tasks it leads or shares, a page each.

A row's units are those in force on it (``tracking.rules``: its own, else both lists of its nearest
ancestor that names any)."""
from __future__ import annotations

from desktop.documents import layout
from desktop.documents.model import Doc, PageBreak, Para, Table, Tree, doc_title, task_lines
from desktop.documents.table_doc import cell_text, head_blocks
from desktop.domain import NoticeInfo, TaskRow

KEYS = ["seq", "title", "text", "role", "deadline", "status"]


def all_units(tree: Tree) -> list[str]:
    """Every unit named (lead or responsible, inherited), in order of first appearance."""
    seen: dict[str, None] = {}
    for r in tree.work_rows():
        for u in tree.names(r):
            seen.setdefault(u, None)
    return list(seen)


def _unit_table(tree: Tree, unit: str) -> tuple[Table, int, int]:
    def has(r: TaskRow) -> bool:
        return unit in tree.names(r)

    def cells(seq: int, task: TaskRow | None, item: TaskRow) -> list[str]:
        role = "牵头" if unit in tree.lead(item) else "责任"
        return [role if k == "role" else cell_text(k, tree, seq, task, item) for k in KEYS]

    rows = [r for r in tree.work_rows() if has(r)]
    leads = sum(unit in tree.lead(r) for r in rows)
    cols = [layout.COLUMNS[k] for k in KEYS]
    return Table(cols, task_lines(tree, cells, has), (0, 1)), leads, len(rows) - leads


def build_units(notice: NoticeInfo, rows: list[TaskRow], unit: str | None = None) -> Doc:
    """One section per unit (a new page each), or only ``unit``."""
    tree = Tree(rows, notice.year)
    units = all_units(tree)
    if unit is not None:
        if unit not in units:
            raise ValueError(f"该通知中没有“{unit}”的任务。请检查单位名称。")
        units = [unit]
    title = doc_title(notice, "任务清单")
    doc = Doc(title if unit is None else f"{title}（{unit}）")
    for i, u in enumerate(units):
        table, leads, shares = _unit_table(tree, u)
        if i:
            doc.blocks.append(PageBreak())
        doc.blocks += head_blocks(title, None)[:-1]
        counts = "，".join(([f"牵头{leads}项"] if leads else []) + ([f"参与{shares}项"] if shares or not leads else []))
        doc.blocks.append(Para(f"{u}（{counts}）", "hei", layout.SIZE_BODY, keep_with_next=True))
        doc.blocks.append(table)
    if not units:
        doc.blocks += head_blocks(title, None) + [Para("该通知的任务尚未指定单位。")]
    return doc
