"""What the 导出公文 dialog exports from: the notice and its rows as the window hands them over (``ExportSource``),
the scopes it offers (整份通知 / 当前筛选结果 / 选中的行及其下级, ``subset_rows``) and a file name from a title.

No widget here and no ledger: the window reads the notice and builds the source, the dialog only chooses.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from desktop.domain import NoticeInfo, TaskRow

SCOPE_ALL, SCOPE_FILTERED, SCOPE_SELECTED = "all", "filtered", "selected"
SCOPE_LABELS = {SCOPE_ALL: "整份通知", SCOPE_FILTERED: "当前筛选结果", SCOPE_SELECTED: "选中的行及其下级"}
_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def subset_rows(rows: list[TaskRow], ids: set[int] | list[int], *, descendants: bool = False) -> list[TaskRow]:
    """The rows ``ids`` (with their subtrees when ``descendants``) plus all their ancestors, in the
    original pre-order, with ``child_count`` recounted — a valid tree for the document builders."""
    by_id = {r.id: r for r in rows}
    keep: set[int] = set()
    for tid in ids:
        node = by_id.get(tid)
        while node is not None and node.id not in keep:
            keep.add(node.id)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
    if descendants:
        chosen = set(ids)
        inside: set[int] = set()
        for r in rows:  # pre-order: a parent comes before its children
            if r.id in chosen or r.parent_id in inside:
                inside.add(r.id)
        keep |= inside
    kids: dict[int, int] = {}
    for r in rows:
        if r.id in keep and r.parent_id is not None:
            kids[r.parent_id] = kids.get(r.parent_id, 0) + 1
    return [dataclasses.replace(r, child_count=kids.get(r.id, 0)) for r in rows if r.id in keep]


@dataclass
class ExportSource:
    """What the window hands the dialog: the notice, all its rows (pre-order), the filter, the selection."""

    notice: NoticeInfo
    rows: list[TaskRow]
    shown_ids: set[int] | None = None  # rows the table shows under the current filter (None: no filter)
    selected_ids: list[int] = field(default_factory=list)
    today: dt.date | None = None

    def available(self, scope: str) -> bool:
        if scope == SCOPE_FILTERED:
            return self.shown_ids is not None
        if scope == SCOPE_SELECTED:
            return bool(self.selected_ids)
        return True

    def rows_for(self, scope: str) -> list[TaskRow]:
        if scope == SCOPE_FILTERED and self.shown_ids is not None:
            return subset_rows(self.rows, self.shown_ids)
        if scope == SCOPE_SELECTED and self.selected_ids:
            return subset_rows(self.rows, self.selected_ids, descendants=True)
        return list(self.rows)


def safe_file_name(title: str, fmt: str) -> str:
    """A Windows-safe file name from a document title."""
    name = _BAD_FILE_CHARS.sub("", title).strip(" .") or "导出文档"
    return f"{name[:80]}.{fmt}"
