"""Undo commands: one QUndoCommand class per kind of task edit, each calling the Ledger (which stores at once).

Every command gets a ``TaskContext`` (the controller): the Ledger to call, the message bridge
for errors, and two refresh hooks — ``row_changed(task_id)`` after a field edit (one row is
updated) and ``tree_changed(select_ids)`` after a structural edit (the tree is reloaded).

A LedgerError in redo/undo is reported through the bridge, the part already done is rolled back
where possible, the command is marked obsolete (QUndoStack then drops it) and the view reloads.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from desktop.domain import TASK_FIELDS, UnitRole
from desktop.storage.ledger import ConflictError, Ledger, LedgerError, TaskSnapshot

from .messages import MessageBridge

UNIT_ROLE_LABELS = {UnitRole.LEAD: "牵头单位", UnitRole.RESPONSIBLE: "责任单位"}


class TaskContext(Protocol):
    ledger: Ledger
    messages: MessageBridge

    def row_changed(self, task_id: int) -> None: ...

    def tree_changed(self, select_ids: list[int], current: int | None = None) -> None: ...

    def units_changed(self) -> None: ...


class LedgerCommand(QUndoCommand):
    """Base: runs ``do``/``undo_`` and turns a LedgerError into a message and an obsolete command."""

    def __init__(self, ctx: TaskContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.failed = False

    def do(self) -> None:
        raise NotImplementedError

    def undo_(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        self._run(self.do, "")

    def undo(self) -> None:
        self._run(self.undo_, "撤销")

    def _resolve(self, err: ConflictError, task_id: int) -> bool:
        """Another clerk saved this row first: 合并 (True, the merged save went through) or 重新加载
        (False: this edit is dropped and the row shows what they saved)."""
        from .conflict_dialog import resolve_conflict

        if resolve_conflict(None, self.ctx.ledger, err):
            return True
        self.failed = True
        self.setObsolete(True)
        self.ctx.messages.info("已重新加载：这条任务刚被其他同事修改，已显示最新内容。")
        self.ctx.tree_changed([task_id], task_id)
        return False

    def _run(self, step: Callable[[], None], prefix: str) -> None:
        try:
            step()
        except LedgerError as e:
            self.failed = True
            self.setObsolete(True)
            self.ctx.messages.error(f"{prefix}“{self.text()}”没有完成：{e}")
            self.ctx.tree_changed([])


class KeepOldCommand(LedgerCommand):
    """Base of the "call the Ledger, keep the old values, undo puts them back" commands: ``apply``
    makes the change and returns the old values (None: the step was dropped, nothing is kept or
    refreshed); they are kept the first time only, so a redo after undo does not overwrite them.
    ``restore(old)`` puts them back; ``refresh(undone)`` runs after either."""

    old: Any = None

    def apply(self) -> Any:
        raise NotImplementedError

    def restore(self, old: Any) -> None:
        raise NotImplementedError

    def refresh(self, undone: bool) -> None:
        raise NotImplementedError

    def do(self) -> None:
        old = self.apply()
        if old is None:
            return
        if self.old is None:
            self.old = old
        self.refresh(False)

    def undo_(self) -> None:
        assert self.old is not None
        self.restore(self.old)
        self.refresh(True)


class SetFieldsCommand(KeepOldCommand):
    """修改任务名称 / 修改状态 …: set task fields; undo sets the old values back."""

    def __init__(self, ctx: TaskContext, task_id: int, fields: dict[str, Any], version: int | None = None) -> None:
        names = [TASK_FIELDS.get(f, f) for f in fields]
        super().__init__(ctx, "修改" + ("、".join(names) if len(names) <= 2 else "任务"))
        self.task_id = task_id
        self.fields = dict(fields)
        self.version = version  # the row as the clerk saw it: a save over someone else's newer one is refused
        self.old: dict[str, Any] | None = None

    def apply(self) -> dict[str, Any] | None:
        try:
            return self.ctx.ledger.set_fields(self.task_id, expected_version=self.version if self.old is None
                                              else None, **self.fields)
        except ConflictError as err:
            if not self._resolve(err, self.task_id):
                return None
            return {k: err.theirs.get(k) for k in self.fields}  # undo goes back to what they had saved

    def restore(self, old: dict[str, Any]) -> None:
        self.ctx.ledger.set_fields(self.task_id, **old)

    def refresh(self, undone: bool) -> None:
        self.ctx.row_changed(self.task_id)


class SetUnitsCommand(KeepOldCommand):
    """修改牵头单位 / 修改责任单位: replace a role's units; undo puts the old names back."""

    def __init__(self, ctx: TaskContext, task_id: int, role: UnitRole, names: list[str],
                 version: int | None = None) -> None:
        super().__init__(ctx, "修改" + UNIT_ROLE_LABELS[role])
        self.task_id, self.role, self.names = task_id, role, list(names)
        self.version = version  # the row as the clerk saw it (see SetFieldsCommand)
        self.old: list[str] | None = None

    def apply(self) -> list[str] | None:
        try:
            return list(self.ctx.ledger.set_units(self.task_id, self.role, self.names,
                                                  expected_version=self.version if self.old is None else None))
        except ConflictError as err:
            if not self._resolve(err, self.task_id):
                return None
            return list(err.theirs.get("lead_units" if self.role == UnitRole.LEAD else "units") or [])

    def restore(self, old: list[str]) -> None:
        self.ctx.ledger.set_units(self.task_id, self.role, old)

    def refresh(self, undone: bool) -> None:
        self.ctx.row_changed(self.task_id)
        if not undone:
            self.ctx.units_changed()


class AddTaskCommand(LedgerCommand):
    """插入任务: add a task; undo deletes it; redo adds it again with the same id."""

    def __init__(self, ctx: TaskContext, notice_id: int, parent_id: int | None, index: int | None,
                 fields: dict[str, Any] | None = None, text: str = "插入任务") -> None:
        super().__init__(ctx, text)
        self.notice_id, self.parent_id, self.index = notice_id, parent_id, index
        self.fields = dict(fields or {})
        self.task_id: int | None = None

    def do(self) -> None:
        self.task_id = self.ctx.ledger.add_task(self.notice_id, self.parent_id, self.index,
                                                new_id=self.task_id, **self.fields)
        self.ctx.tree_changed([self.task_id])

    def undo_(self) -> None:
        assert self.task_id is not None
        self.ctx.ledger.delete_task(self.task_id)
        self.ctx.tree_changed([self.parent_id] if self.parent_id else [])


class DeleteTasksCommand(LedgerCommand):
    """删除任务: delete tasks with their subtrees; undo restores the kept snapshots."""

    def __init__(self, ctx: TaskContext, task_ids: list[int], select_after: int | None = None) -> None:
        super().__init__(ctx, f"删除任务（{len(task_ids)} 条）" if len(task_ids) > 1 else "删除任务")
        self.task_ids = list(task_ids)
        self.select_after = select_after
        self.snapshots: list[TaskSnapshot] = []

    def do(self) -> None:
        self.snapshots = []
        try:
            for tid in self.task_ids:
                self.snapshots.append(self.ctx.ledger.delete_task(tid))
        except LedgerError:
            self._restore()
            raise
        self.ctx.tree_changed([self.select_after] if self.select_after else [])

    def _restore(self) -> None:
        for snap in reversed(self.snapshots):
            self.ctx.ledger.restore_tasks(snap)
        self.snapshots = []

    def undo_(self) -> None:
        self._restore()
        self.ctx.tree_changed(self.task_ids)


Place = tuple[int | None, int]


class MoveTasksCommand(LedgerCommand):
    """上移 / 下移 / 拖动: move tasks one after another; undo moves them back in reverse order."""

    def __init__(self, ctx: TaskContext, moves: list[tuple[int, int | None, int]], text: str = "移动任务") -> None:
        super().__init__(ctx, text)
        self.moves = list(moves)
        self.old: list[tuple[int, Place]] = []

    def do(self) -> None:
        self.old = []
        try:
            for tid, parent_id, index in self.moves:
                self.old.append((tid, self.ctx.ledger.move_task(tid, parent_id, index)))
        except LedgerError:
            self._move_back()
            raise
        self.ctx.tree_changed([m[0] for m in self.moves])

    def _move_back(self) -> None:
        for tid, (parent_id, index) in reversed(self.old):
            self.ctx.ledger.move_task(tid, parent_id, index)
        self.old = []

    def undo_(self) -> None:
        ids = [m[0] for m in self.moves]
        self._move_back()
        self.ctx.tree_changed(ids)


class IndentCommand(LedgerCommand):
    """降级 (indent) / 升级 (outdent) tasks; undo moves each back to the place the Ledger returned."""

    def __init__(self, ctx: TaskContext, task_ids: list[int], outdent: bool = False) -> None:
        super().__init__(ctx, "升级任务" if outdent else "降级任务")
        self.selected = list(task_ids)
        # outdenting siblings last-first keeps their order under the grandparent
        self.task_ids = list(reversed(task_ids)) if outdent else list(task_ids)
        self.outdent = outdent
        self.old: list[tuple[int, Place]] = []

    def do(self) -> None:
        self.old = []
        step = self.ctx.ledger.outdent if self.outdent else self.ctx.ledger.indent
        try:
            for tid in self.task_ids:
                self.old.append((tid, step(tid)))
        except LedgerError:
            self._move_back()
            raise
        self.ctx.tree_changed(self.selected)

    def _move_back(self) -> None:
        for tid, (parent_id, index) in reversed(self.old):
            self.ctx.ledger.move_task(tid, parent_id, index)
        self.old = []

    def undo_(self) -> None:
        self._move_back()
        self.ctx.tree_changed(self.selected)


class SplitCommand(LedgerCommand):
    """在光标处拆分: cut 具体内容 at ``at``; the rest becomes a new next sibling.

    ``typed_text`` is the 具体内容 as typed in the panel (stored first, in the same step).
    Undo removes the new task and sets the old text back (``Ledger.unsplit``, one transaction);
    redo re-splits with the same new id.
    """

    def __init__(self, ctx: TaskContext, task_id: int, at: int, typed_text: str | None = None) -> None:
        super().__init__(ctx, "拆分任务")
        self.task_id, self.at, self.typed_text = task_id, at, typed_text
        self.old_text: str | None = None
        self.new_id: int | None = None

    def do(self) -> None:
        ledger = self.ctx.ledger
        current = ledger.task(self.task_id).text
        if self.old_text is None:
            self.old_text = current
        if self.typed_text is not None and self.typed_text != current:
            ledger.set_fields(self.task_id, text=self.typed_text)
        try:
            self.new_id = ledger.split_task(self.task_id, self.at, new_id=self.new_id)
        except LedgerError:
            ledger.set_fields(self.task_id, text=self.old_text)
            raise
        self.ctx.tree_changed([self.new_id])

    def undo_(self) -> None:
        assert self.new_id is not None and self.old_text is not None
        self.ctx.ledger.unsplit(self.task_id, self.new_id, self.old_text)
        self.ctx.tree_changed([self.task_id])


class MergeCommand(LedgerCommand):
    """与下一条合并: merge the next sibling into this task; undo unmerges from the snapshot."""

    def __init__(self, ctx: TaskContext, task_id: int) -> None:
        super().__init__(ctx, "合并任务")
        self.task_id = task_id
        self.snapshot: TaskSnapshot | None = None

    def do(self) -> None:
        self.snapshot = self.ctx.ledger.merge_with_next(self.task_id)
        self.ctx.tree_changed([self.task_id])

    def undo_(self) -> None:
        assert self.snapshot is not None
        self.ctx.ledger.unmerge(self.task_id, self.snapshot)
        self.ctx.tree_changed([self.task_id])
