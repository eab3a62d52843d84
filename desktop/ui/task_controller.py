"""TaskController: turns table, panel and action requests into undo commands and keeps the views in step.

It owns the per-notice undo stacks (one QUndoStack per notice in a QUndoGroup, so switching
notices keeps each notice's history and 撤销 only ever touches the notice on screen), applies the
filter in Python, and refreshes after each command: one row (``dataChanged``) for a field edit,
a reload from ``Ledger.tasks()`` plus restored selection/expansion for a structural edit.
``today`` (a callable, the real clock by default) dates overdue marks and new 完成日期; tests fix it.
The rules — what the selection allows, the moves an order takes, the counts — are ``task_edit_rules``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from desktop.domain import Status, TaskRow, UnitRole
from desktop.storage.ledger import Ledger, LedgerError

from .detail_panel import DetailPanel
from .messages import MessageBridge
from .task_edit_rules import after_delete, capabilities, counts_text, plan_moves, reordered
from .task_filter import TaskFilter, apply_filter
from .task_model import COL_TITLE, TaskTreeModel
from .task_view import HINT_EMPTY, HINT_NO_MATCH, HINT_NO_NOTICE, TaskView
from .undo_commands import (
    AddTaskCommand,
    DeleteTasksCommand,
    IndentCommand,
    LedgerCommand,
    MergeCommand,
    MoveTasksCommand,
    SetFieldsCommand,
    SetUnitsCommand,
    SplitCommand,
)
from .unit_picker import UnitDirectory

#: the table's hint on an empty ledger (first start): import is the first thing to do
HINT_EMPTY_LEDGER = ("台账中还没有通知。\n\n请点工具栏最左边的“导入通知”（Ctrl+O），\n"
                     "选择收到的通知文件（Word、PDF、网页、Excel 或文本），程序会自动生成任务分解表。\n"
                     "也可以把文件直接拖到这个窗口。")

class TaskController(QObject):
    """The edit logic of one window's task table."""

    counts_changed = Signal(str)
    task_count_changed = Signal(int, int)  # notice id, number of tasks
    capabilities_changed = Signal(dict)

    def __init__(self, ledger: Ledger, messages: MessageBridge, view: TaskView, panel: DetailPanel,
                 directory: UnitDirectory, parent: QObject | None = None, *,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.today = today
        self.year: int | None = None  # the notice's 年度
        self.ledger = ledger
        self.messages = messages
        self.view = view
        self.model: TaskTreeModel = view.task_model()
        self.panel = panel
        self.directory = directory
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._collapsed: dict[int, set[int]] = {}
        self.notice_id: int | None = None
        self.filter = TaskFilter()
        self._busy = 0  # >0 while a command runs: no panel commits, no nested pushes

        self.model.edit_requested.connect(self.edit_cell)
        self.model.move_requested.connect(self.move_to)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.indent_requested.connect(self.indent)
        self.view.outdent_requested.connect(self.outdent)
        panel.fields_edited.connect(self.edit_fields)
        panel.units_edited.connect(self.edit_units)

    # --- notices ------------------------------------------------------------------------------
    def stack(self) -> QUndoStack | None:
        return self._stacks.get(self.notice_id) if self.notice_id is not None else None

    def set_notice(self, notice_id: int | None) -> None:
        """Show a notice's tasks (None = none). Each notice keeps its own undo stack."""
        self.commit_pending()
        if notice_id == self.notice_id:
            if notice_id is None:  # still none (the window's start on an empty ledger): the right hint
                self.view.hint = self._no_notice_hint()
            return
        if self.notice_id is not None:
            self._collapsed[self.notice_id] = set(self.view.collapsed_ids)
        self.notice_id = notice_id
        if notice_id is None:
            self.undo_group.setActiveStack(None)
        else:
            stack = self._stacks.get(notice_id)
            if stack is None:
                stack = self._stacks[notice_id] = QUndoStack(self.undo_group)
                stack.setUndoLimit(500)
                self.undo_group.addStack(stack)
            self.undo_group.setActiveStack(stack)
        self.view.collapsed_ids = self._collapsed.get(notice_id, set()) if notice_id is not None else set()
        self.reload(select_first=True)

    def forget_notice(self, notice_id: int) -> None:
        """The notice was deleted: drop its undo history."""
        if notice_id == self.notice_id:
            self.set_notice(None)
        stack = self._stacks.pop(notice_id, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self._collapsed.pop(notice_id, None)

    def reload_units(self) -> None:
        with self.messages.guard("读取单位库"):
            self.directory.set_units(self.ledger.units())

    # --- refresh hooks (called by the undo commands) ------------------------------------------
    def row_changed(self, task_id: int) -> None:
        try:
            row = self.ledger.task(task_id)
        except LedgerError as e:
            self.messages.error(str(e))
            return
        self.model.update_row(row)
        if self.panel.task_id() == task_id:
            self.panel.set_task(self.model.row_by_id(task_id), self.model.progress(task_id))
        self._update_counts()

    def tree_changed(self, select_ids: list[int], current: int | None = None) -> None:
        self.reload(select_ids)

    def units_changed(self) -> None:
        self.reload_units()

    def reload(self, select_ids: list[int] | None = None, select_first: bool = False) -> None:
        """Reload the notice's tree from the Ledger, re-apply the filter, restore selection/expansion."""
        keep = select_ids if select_ids else ([] if select_first else self.view.selected_ids())
        current = keep[0] if keep else None
        column = self.view.currentIndex().column() if self.view.currentIndex().isValid() else COL_TITLE
        rows: list[TaskRow] = []
        if self.notice_id is not None:
            try:
                self.year = next((n.year for n in self.ledger.notices() if n.id == self.notice_id), None)
                rows = self.ledger.tasks(self.notice_id)
            except LedgerError as e:
                self.messages.error(f"读取任务失败：{e}")
        self._show(rows)
        if select_first and not keep and self.model.rowCount():
            keep = [self.model.task_id(self.model.index(0, 0))]
            current = keep[0]
        self.view.select_ids([k for k in keep if k], current, column)
        self._current_changed()
        if self.notice_id is not None:
            self.task_count_changed.emit(self.notice_id, len(rows))

    def _show(self, rows: list[TaskRow]) -> None:
        self.model.today = self.today()
        self.model.year = self.panel.year = self.year
        result = apply_filter(rows, self.filter, self.model.today, self.year)
        self.view.set_row_count_hint(len(rows))
        self.model.set_rows(rows, *(result or (None, None)))
        if self.notice_id is None:
            self.view.hint = self._no_notice_hint()
        else:
            self.view.hint = HINT_NO_MATCH if rows else HINT_EMPTY
        self.view.restore_expanded()
        self._update_counts()

    def _no_notice_hint(self) -> str:
        """No notice shown: choose one, or — the ledger is empty — import the first."""
        try:
            empty = not self.ledger.notices()
        except LedgerError:
            empty = False  # not knowing, keep the usual hint
        return HINT_EMPTY_LEDGER if empty else HINT_NO_NOTICE

    def set_filter(self, flt: TaskFilter) -> None:
        """Filter in Python over the loaded rows (ancestors of matches stay), then reset the model."""
        keep = self.view.selected_ids()
        self.filter = flt
        self._show(self.model.rows())
        self.view.select_ids(keep)
        self._current_changed()

    def _update_counts(self) -> None:
        rows = self.model.rows()
        if self.notice_id is None:
            self.counts_changed.emit("")
            return
        matched = self.model.matched_count() if self.model.is_filtered() else None
        # overdue: task_filter.is_overdue, kept by the model
        self.counts_changed.emit(counts_text(rows, self.model.overdue_count(), matched))

    # --- selection ----------------------------------------------------------------------------
    def _current_changed(self, *_args: QModelIndex) -> None:
        tid = self.view.current_id()
        if self.panel.task_id() != tid and not self._busy:
            self.panel.commit_pending()  # a click elsewhere already did; keyboard moves may not have
        self.panel.set_task(self.model.row_by_id(tid) if tid else None, self.model.progress(tid) if tid else None)
        self._emit_capabilities()

    def _selection_changed(self, _sel: QItemSelection | None = None, _desel: QItemSelection | None = None) -> None:
        self._emit_capabilities()

    def capabilities(self) -> dict[str, bool]:
        has_notice = self.notice_id is not None
        ids = self.model.top_level_only(self.view.selected_ids()) if has_notice else []
        return capabilities(has_notice, ids, self.view.current_id(), self.model.siblings_of,
                            lambda i: self.model.row_by_id(i).parent_id)

    def _emit_capabilities(self) -> None:
        self.capabilities_changed.emit(self.capabilities())

    def _same_parent(self, ids: list[int]) -> bool:
        parents = {self.model.row_by_id(i).parent_id for i in ids}
        return len(parents) == 1

    # --- pushing commands ---------------------------------------------------------------------
    def commit_pending(self) -> None:
        """Store what is still being typed (an open cell editor, the detail panel) before anything else."""
        if self._busy:
            return
        self.view.commit_open_editor()
        self.panel.commit_pending()

    def push(self, command: LedgerCommand) -> bool:
        """Run a command through the notice's undo stack; False when it failed (and was dropped)."""
        stack = self.stack()
        if stack is None:
            return False
        self._busy += 1
        try:
            stack.push(command)
        finally:
            self._busy -= 1
        return not command.failed

    def undo(self) -> None:
        self.commit_pending()
        if self.stack() is not None:
            self.stack().undo()

    def redo(self) -> None:
        self.commit_pending()
        if self.stack() is not None:
            self.stack().redo()

    # --- field edits --------------------------------------------------------------------------
    def edit_cell(self, task_id: int, name: str, value: Any) -> None:
        if name in ("lead_units", "units"):
            self.edit_units(task_id, UnitRole.LEAD if name == "lead_units" else UnitRole.RESPONSIBLE, value)
        else:
            self.edit_fields(task_id, {name: value})

    def edit_fields(self, task_id: int, fields: dict[str, Any]) -> bool:
        row = self.model.row_by_id(task_id)
        if row is None:
            return False
        fields = {k: v for k, v in fields.items() if getattr(row, k, object()) != v}
        if not fields:
            return False
        if fields.get("status") == Status.DONE and row.done_on is None and "done_on" not in fields:
            fields["done_on"] = self.today()
        return self.push(SetFieldsCommand(self, task_id, fields, version=getattr(row, "version", None)))

    def edit_units(self, task_id: int, role: UnitRole, names: list[str]) -> bool:
        row = self.model.row_by_id(task_id)
        if row is None or names == (row.lead_units if role == UnitRole.LEAD else row.units):
            return False
        return self.push(SetUnitsCommand(self, task_id, role, names, version=getattr(row, "version", None)))

    # --- structure ----------------------------------------------------------------------------
    def _selected_top(self) -> list[int]:
        return self.model.top_level_only(self.view.selected_ids())

    def insert_sibling(self, fields: dict[str, Any] | None = None, edit: bool = True) -> int | None:
        """插入同级: a new task right after the current one (or the first task of an empty notice)."""
        self.commit_pending()
        if self.notice_id is None:
            return None
        cur = self.view.current_id()
        if cur is None:
            parent_id, index = None, None
        else:
            parent_id = self.model.row_by_id(cur).parent_id
            index = self.model.sibling_index(cur) + 1
        return self._add(parent_id, index, fields, "插入同级任务", edit)

    def insert_child(self, fields: dict[str, Any] | None = None, edit: bool = True) -> int | None:
        """插入下级: a new last child of the current task."""
        self.commit_pending()
        cur = self.view.current_id()
        if self.notice_id is None or cur is None:
            return None
        self.view.collapsed_ids.discard(cur)
        return self._add(cur, None, fields, "插入下级任务", edit)

    def _add(self, parent_id: int | None, index: int | None, fields: dict[str, Any] | None, text: str,
             edit: bool) -> int | None:
        assert self.notice_id is not None
        cmd = AddTaskCommand(self, self.notice_id, parent_id, index, fields, text)
        if not self.push(cmd):
            return None
        if edit:
            self.view.setFocus()
            self.view.edit(self.model.index_for_id(cmd.task_id, COL_TITLE))
        return cmd.task_id

    def delete_selected(self) -> bool:
        """删除: the selected tasks with their subtrees (one undo step)."""
        self.commit_pending()
        ids = self._selected_top()
        if not ids:
            return False
        select_after = after_delete(self.model.rows(), ids, self.model.is_ancestor)
        return self.push(DeleteTasksCommand(self, ids, select_after))

    def _reorder(self, up: bool) -> bool:
        self.commit_pending()
        ids = self._selected_top()
        if not ids or not self._same_parent(ids):
            return False
        sibs = list(self.model.siblings_of(ids[0]))
        final = reordered(sibs, set(ids), up)
        if final == sibs:
            return False
        parent_id = self.model.row_by_id(ids[0]).parent_id
        moves = plan_moves(sibs, final, ids, parent_id)
        return self.push(MoveTasksCommand(self, moves, "上移任务" if up else "下移任务"))

    def move_up(self) -> bool:
        return self._reorder(up=True)

    def move_down(self) -> bool:
        return self._reorder(up=False)

    def move_to(self, ids: list[int], parent_id: int, index: int) -> bool:
        """Drag-and-drop / moveRows: put ``ids`` (in order) at ``index`` under ``parent_id`` (0 = top)."""
        self.commit_pending()
        ids = self.model.top_level_only(ids)
        pid = parent_id or None
        if not ids or any(self.model.is_ancestor(i, pid) for i in ids):
            return False
        current = list(self.model.children_of(pid))
        final = [c for c in current if c not in ids]
        index = max(0, min(index, len(final)))
        final[index:index] = ids
        if final == current:
            return False
        return self.push(MoveTasksCommand(self, plan_moves(current, final, ids, pid), "拖动任务"))

    def indent(self) -> bool:
        """降级: each selected task becomes the last child of its previous sibling."""
        self.commit_pending()
        if not self.capabilities()["indent"]:
            return False
        for i in self._selected_top():
            self.view.collapsed_ids.discard(self.model.siblings_of(i)[self.model.sibling_index(i) - 1])
        return self.push(IndentCommand(self, self._selected_top()))

    def outdent(self) -> bool:
        """升级: each selected task becomes the next sibling of its parent."""
        self.commit_pending()
        if not self.capabilities()["outdent"]:
            return False
        return self.push(IndentCommand(self, self._selected_top(), outdent=True))

    def split_at_cursor(self) -> bool:
        """在光标处拆分: cut the panel's 具体内容 at the cursor into this task and a new next sibling."""
        task_id = self.panel.task_id()
        if task_id is None:
            return False
        text, at = self.panel.split_point()
        if at <= 0 or at >= len(text) or not text[at:].strip() or not text[:at].strip():
            self.messages.warning("请先在右侧“具体内容”中把光标放到要拆分的位置（不能在开头或末尾）。")
            return False
        fields = self.panel.pending_fields()
        fields.pop("text", None)
        if fields:
            self.edit_fields(task_id, fields)
        self.view.commit_open_editor()
        ok = self.push(SplitCommand(self, task_id, at, typed_text=text))
        if ok:
            self.panel.text_edit.setFocus()
        return ok

    def merge_with_next(self) -> bool:
        """与下一条合并: the next sibling's text (and children) join the current task."""
        self.commit_pending()
        if not self.capabilities()["merge"]:
            return False
        return self.push(MergeCommand(self, self.view.current_id()))
