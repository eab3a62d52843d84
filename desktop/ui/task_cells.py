"""The cells of the task table: the columns, and what each cell shows in each Qt item role — its text,
tooltip, colour (overdue red, done green, filter context grey, import-review tint) and alignment.

``TaskCells`` is the display half of ``TaskTreeModel`` (``task_model``): ``data()`` formats one row's cell
from the state the model derives (parents' progress, overdue items, parents with an overdue item); the
tree structure, edits and drag and drop stay in the model. What is open or overdue, and the due date
in force, come from ``tracking.rules`` (through ``task_filter.due``); nothing here decides them.
The words for a due date (``due_state``, ``due_text``) are shared with the detail panel.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.domain import DeadlineKind, Status, TaskRow, UnitRole
from desktop.tracking.rules import is_overdue
from desktop.tracking.status import CAN_BE_OVERDUE, progress_text

from .task_filter import due

COL_NUMBER, COL_TITLE, COL_TEXT, COL_LEAD, COL_UNITS, COL_DEADLINE, COL_STATUS, COL_PROGRESS = range(8)
HEADERS = ("序号", "任务名称", "具体内容", "牵头单位", "责任单位", "完成时限", "状态", "落实情况")
# column → TaskRow field (text columns), or the unit role for unit columns
TEXT_COLUMNS = {COL_TITLE: "title", COL_TEXT: "text", COL_DEADLINE: "deadline_text"}
UNIT_COLUMNS = {COL_LEAD: UnitRole.LEAD, COL_UNITS: UnitRole.RESPONSIBLE}
UNIT_SEPARATOR = "、"

TaskIdRole = Qt.ItemDataRole.UserRole + 1
TaskRowRole = Qt.ItemDataRole.UserRole + 2

_CONTEXT_BRUSH = QBrush(QColor(150, 150, 150))  # ancestors shown only for context while filtering
_OVERDUE_BRUSH = QBrush(QColor(192, 32, 32))
_DONE_BRUSH = QBrush(QColor(40, 120, 40))
_DOUBT_BRUSH = QBrush(QColor(255, 244, 206))  # import review: a row the parser was not sure of

_TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_AnyIndex = QModelIndex | QPersistentModelIndex


class TaskCells:
    """The item roles of the task table's cells, over the state ``TaskTreeModel`` keeps."""

    _by_id: dict[int, TaskRow]
    _matched: set[int] | None
    _progress: dict[int, tuple[int, int]]  # parent id → (done, total) of its items
    _late_parents: set[int]  # parents with an overdue item below them
    _overdue: set[int]  # overdue items
    _notes: dict[int, str]  # task id → why the row should be checked (import review)
    today: dt.date
    year: int | None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._by_id.get(index.internalId())
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_STATUS and r.id in self._progress:
                return progress_text(*self._progress[r.id])
            if col == COL_DEADLINE and r.revised_at is not None and r.due_date is not None:
                return f"{r.deadline_text}（调整至{r.due_date.month}月{r.due_date.day}日）" if r.deadline_text \
                    else f"{r.due_date.isoformat()}（已调整）"
            if col == COL_PROGRESS:
                return latest_progress(r)
            return self._cell_text(r, col)
        if role == Qt.ItemDataRole.EditRole:
            return self._cell_text(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(r, col)
            if r.id in self._notes:
                return f"请核对：{self._notes[r.id]}" + (f"\n\n{tip}" if tip else "")
            return tip
        if role == Qt.ItemDataRole.BackgroundRole and r.id in self._notes:
            return _DOUBT_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._matched is not None and r.id not in self._matched:
                return _CONTEXT_BRUSH
            if col == COL_STATUS and r.id in self._progress:
                if r.id in self._late_parents:
                    return _OVERDUE_BRUSH
                done, total = self._progress[r.id]
                return _DONE_BRUSH if total and done == total else None
            if col in (COL_DEADLINE, COL_STATUS) and r.id in self._overdue:
                return _OVERDUE_BRUSH
            if col == COL_STATUS and r.status == Status.DONE:
                return _DONE_BRUSH
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _TOP_LEFT  # every cell starts at the row's first line (rows of wrapped text)
        if role == TaskIdRole:
            return r.id
        if role == TaskRowRole:
            return r
        return None

    def _tooltip(self, r: TaskRow, col: int) -> str | None:
        if col == COL_TEXT and r.text:
            return r.text
        if col == COL_DEADLINE:
            return due_text(r, self.today, self.year) or None
        if col == COL_STATUS and r.id in self._progress:
            done, total = self._progress[r.id]
            late = "；其中有逾期事项" if r.id in self._late_parents else ""
            return f"下级事项完成 {done} 项，共 {total} 项（不适用的不计）{late}"
        if col == COL_STATUS and r.id in self._overdue:
            return due_text(r, self.today, self.year)
        if col == COL_PROGRESS and r.progress_note:
            return latest_progress(r)
        return None

    @staticmethod
    def _cell_text(r: TaskRow, col: int) -> str:
        if col == COL_NUMBER:
            return r.number
        if col == COL_TITLE:
            return r.title
        if col == COL_TEXT:
            return r.text
        if col == COL_LEAD:
            return UNIT_SEPARATOR.join(r.lead_units)
        if col == COL_UNITS:
            return UNIT_SEPARATOR.join(r.units)
        if col == COL_DEADLINE:
            return r.deadline_text
        if col == COL_STATUS:
            return r.status.value
        if col == COL_PROGRESS:
            return r.progress_note
        return ""


def split_unit_names(text: str) -> list[str]:
    """'县财政局、县教育局，各乡镇' → ['县财政局', '县教育局', '各乡镇'] (dupes and blanks dropped)."""
    for sep in "，,；;/\n":
        text = text.replace(sep, UNIT_SEPARATOR)
    out: list[str] = []
    for part in text.split(UNIT_SEPARATOR):
        name = part.strip()
        if name and name not in out:
            out.append(name)
    return out


def latest_progress(r: TaskRow) -> str:
    """The 落实情况 cell: the latest log entry, dated."""
    if not r.progress_note:
        return ""
    return f"{r.progress_on.isoformat()}：{r.progress_note}" if r.progress_on else r.progress_note


def due_state(r: TaskRow, today: dt.date, year: int | None) -> str:
    """已逾期 5 天 / 还有 3 天 / 今天到期 / 上一期未报送落实情况 for an open item; "" otherwise."""
    if r.child_count or r.status not in CAN_BE_OVERDUE:
        return ""
    d = due(r, today, year)
    if d.date is None:
        return ""
    recurring = r.deadline_kind == DeadlineKind.RECURRING and r.revised_at is None
    if is_overdue(r, today, year):
        return "上一期未报送落实情况，已逾期" if recurring else f"已逾期 {d.days} 天"
    return "今天到期" if d.days == 0 else f"还有 {d.days} 天"


def due_text(r: TaskRow, today: dt.date, year: int | None) -> str:
    """Where a task stands against its due date in force, in words (tooltips, the detail panel)."""
    if r.deadline_kind == DeadlineKind.LONG_TERM and r.revised_at is None:
        return "长期坚持，不设到期日"
    d = due(r, today, year)
    if d.date is None:
        return ""
    label = "下次到期" if r.deadline_kind == DeadlineKind.RECURRING and r.revised_at is None else "截止日期"
    state = due_state(r, today, year)
    return f"{label}：{d.date.isoformat()}" + (f"（{state}）" if state else "")
