"""Undo commands of completion tracking: the 落实情况 log, 佐证材料, 调整时限 and the bulk edits.

Each calls the Ledger method and its undo partner from ``Ledger``'s undo table, then one refresh
hook of the ``TrackingContext`` (the tracking controller): ``row_changed`` (one task's fields),
``rows_changed`` (many tasks: the tree reloads, the selection stays), ``log_changed`` /
``evidence_changed`` (the panel's lists). Errors follow ``undo_commands.LedgerCommand``: a Chinese
message, the command dropped, the view reloaded.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Protocol

from desktop.domain import Status, UnitRole
from desktop.storage.ledger import LedgerError

from .undo_commands import UNIT_ROLE_LABELS, KeepOldCommand, LedgerCommand, TaskContext


class TrackingContext(TaskContext, Protocol):
    def rows_changed(self, task_ids: list[int]) -> None: ...

    def log_changed(self, task_id: int) -> None: ...

    def evidence_changed(self, task_id: int) -> None: ...


# --- 落实情况 log ------------------------------------------------------------------------------
class AddProgressCommand(LedgerCommand):
    """添加落实情况: undo deletes the entry; redo puts the same entry back."""

    def __init__(self, ctx: TrackingContext, task_id: int, date: dt.date | None, text: str, who: str = "") -> None:
        super().__init__(ctx, "添加落实情况")
        self.ctx: TrackingContext = ctx
        self.task_id, self.date, self.entry_text, self.who = task_id, date, text, who
        self.entry_id: int | None = None
        self.snapshot: dict[str, Any] | None = None

    def do(self) -> None:
        if self.snapshot is None:
            self.entry_id = self.ctx.ledger.add_progress(self.task_id, self.date, self.entry_text, self.who)
        else:
            self.ctx.ledger.restore_progress(self.snapshot)
        self._refresh()

    def undo_(self) -> None:
        assert self.entry_id is not None
        self.snapshot = self.ctx.ledger.delete_progress(self.entry_id)
        self._refresh()

    def _refresh(self) -> None:
        self.ctx.row_changed(self.task_id)  # the 落实情况 column repeats the latest entry
        self.ctx.log_changed(self.task_id)


class UpdateProgressCommand(AddProgressCommand):
    """修改落实情况: set an entry's date / text / who; undo sets the old values."""

    def __init__(self, ctx: TrackingContext, task_id: int, entry_id: int, fields: dict[str, Any]) -> None:
        super().__init__(ctx, task_id, None, "")
        self.setText("修改落实情况")
        self.entry_id, self.fields = entry_id, dict(fields)
        self.old: dict[str, Any] | None = None

    def do(self) -> None:
        assert self.entry_id is not None
        self.old = self.ctx.ledger.update_progress(self.entry_id, **self.fields)
        self._refresh()

    def undo_(self) -> None:
        assert self.entry_id is not None and self.old is not None
        self.ctx.ledger.update_progress(self.entry_id, **self.old)
        self._refresh()


class DeleteProgressCommand(AddProgressCommand):
    """删除落实情况: undo restores the entry (same id)."""

    def __init__(self, ctx: TrackingContext, task_id: int, entry_id: int) -> None:
        super().__init__(ctx, task_id, None, "")
        self.setText("删除落实情况")
        self.entry_id = entry_id

    def do(self) -> None:
        assert self.entry_id is not None
        self.snapshot = self.ctx.ledger.delete_progress(self.entry_id)
        self._refresh()

    def undo_(self) -> None:
        assert self.snapshot is not None
        self.ctx.ledger.restore_progress(self.snapshot)
        self._refresh()


# --- 佐证材料 --------------------------------------------------------------------------------
class AttachEvidenceCommand(LedgerCommand):
    """添加佐证材料 (one or several files, one step). Files that cannot be read are reported and
    left out; if none could be attached the command fails. Undo detaches them (the stored files stay
    for redo), redo restores the same rows."""

    def __init__(self, ctx: TrackingContext, task_id: int, paths: list[Path]) -> None:
        n = len(paths)
        super().__init__(ctx, f"添加佐证材料（{n} 个）" if n > 1 else "添加佐证材料")
        self.ctx: TrackingContext = ctx
        self.task_id, self.paths = task_id, list(paths)
        self.ids: list[int] = []
        self.snapshots: list[dict[str, Any]] | None = None
        self.problems: list[str] = []

    def do(self) -> None:
        ledger = self.ctx.ledger
        if self.snapshots is None:
            self.ids, self.problems = [], []
            for path in self.paths:
                try:
                    self.ids.append(ledger.attach_evidence(self.task_id, path))
                except LedgerError as e:
                    self.problems.append(f"{path.name}：{e}")
            if not self.ids:
                raise LedgerError("；".join(self.problems) or "没有可添加的文件。")
            if self.problems:
                self.ctx.messages.warning("以下文件没有添加：\n" + "\n".join(self.problems))
        else:
            for snap in self.snapshots:
                ledger.restore_evidence(snap)
        self.ctx.evidence_changed(self.task_id)

    def undo_(self) -> None:
        self.snapshots = [self.ctx.ledger.remove_evidence(i) for i in reversed(self.ids)][::-1]
        self.ctx.evidence_changed(self.task_id)


class RenameEvidenceCommand(LedgerCommand):
    """重命名佐证材料: the display name only; the stored file is untouched."""

    def __init__(self, ctx: TrackingContext, task_id: int, evidence_id: int, name: str) -> None:
        super().__init__(ctx, "重命名佐证材料")
        self.ctx: TrackingContext = ctx
        self.task_id, self.evidence_id, self.name = task_id, evidence_id, name
        self.old: str | None = None

    def do(self) -> None:
        self.old = self.ctx.ledger.rename_evidence(self.evidence_id, self.name)
        self.ctx.evidence_changed(self.task_id)

    def undo_(self) -> None:
        assert self.old is not None
        self.ctx.ledger.rename_evidence(self.evidence_id, self.old)
        self.ctx.evidence_changed(self.task_id)


class RemoveEvidenceCommand(LedgerCommand):
    """移除佐证材料: undo restores it (the stored file stays in the data folder meanwhile)."""

    def __init__(self, ctx: TrackingContext, task_id: int, evidence_id: int) -> None:
        super().__init__(ctx, "移除佐证材料")
        self.ctx: TrackingContext = ctx
        self.task_id, self.evidence_id = task_id, evidence_id
        self.snapshot: dict[str, Any] | None = None

    def do(self) -> None:
        self.snapshot = self.ctx.ledger.remove_evidence(self.evidence_id)
        self.ctx.evidence_changed(self.task_id)

    def undo_(self) -> None:
        assert self.snapshot is not None
        self.ctx.ledger.restore_evidence(self.snapshot)
        self.ctx.evidence_changed(self.task_id)


# --- deadlines -------------------------------------------------------------------------------
class ReviseDeadlineCommand(KeepOldCommand):
    """调整时限: a revised due date with its reason (the original is kept); undo sets the old fields."""

    def __init__(self, ctx: TrackingContext, task_id: int, due_date: dt.date | None, reason: str) -> None:
        super().__init__(ctx, "调整时限")
        self.ctx: TrackingContext = ctx
        self.task_id, self.due_date, self.reason = task_id, due_date, reason
        self.old: dict[str, Any] | None = None

    def apply(self) -> dict[str, Any]:
        return self.ctx.ledger.revise_deadline(self.task_id, self.due_date, self.reason)

    def restore(self, old: dict[str, Any]) -> None:
        self.ctx.ledger.set_fields(self.task_id, **old)

    def refresh(self, undone: bool) -> None:
        self.ctx.row_changed(self.task_id)


# --- bulk edits (one step each) --------------------------------------------------------------
class _BulkCommand(KeepOldCommand):
    """Many tasks in one step: the tree reloads after either way; undo ``set_fields_many`` with the
    old values unless a subclass restores otherwise."""

    def __init__(self, ctx: TrackingContext, text: str, task_ids: list[int]) -> None:
        super().__init__(ctx, text)
        self.ctx: TrackingContext = ctx
        self.task_ids = list(task_ids)
        self.old: dict[int, Any] | None = None

    def restore(self, old: dict[int, Any]) -> None:
        self.ctx.ledger.set_fields_many(old)

    def refresh(self, undone: bool) -> None:
        self.ctx.rows_changed(self.task_ids)


class BulkStatusCommand(_BulkCommand):
    """批量设置状态: ``set_status_many``; undo ``set_fields_many`` with the old values."""

    def __init__(self, ctx: TrackingContext, task_ids: list[int], status: Status, done_on: dt.date | None) -> None:
        super().__init__(ctx, f"批量设为{status.value}（{len(task_ids)} 条）", task_ids)
        self.status, self.done_on = status, done_on

    def apply(self) -> dict[int, dict[str, Any]]:
        return self.ctx.ledger.set_status_many(self.task_ids, self.status, self.done_on)


class BulkUnitsCommand(_BulkCommand):
    """批量设置牵头单位 / 责任单位: ``set_units_many``; undo ``set_units_each``."""

    def __init__(self, ctx: TrackingContext, task_ids: list[int], role: UnitRole, names: list[str]) -> None:
        super().__init__(ctx, f"批量设置{UNIT_ROLE_LABELS[role]}（{len(task_ids)} 条）", task_ids)
        self.role, self.names = role, list(names)

    def apply(self) -> dict[int, list[str]]:
        return self.ctx.ledger.set_units_many(self.task_ids, self.role, self.names)

    def restore(self, old: dict[int, list[str]]) -> None:
        self.ctx.ledger.set_units_each(self.role, old)

    def refresh(self, undone: bool) -> None:
        if not undone:
            self.ctx.units_changed()
        super().refresh(undone)


class ShiftDeadlinesCommand(_BulkCommand):
    """批量调整时限: every stored due date moved by ``days`` with a reason; undo ``set_fields_many``."""

    def __init__(self, ctx: TrackingContext, task_ids: list[int], days: int, reason: str) -> None:
        super().__init__(ctx, f"批量调整时限（{len(task_ids)} 条）", task_ids)
        self.days, self.reason = days, reason

    def apply(self) -> dict[int, dict[str, Any]]:
        return self.ctx.ledger.shift_deadlines(self.task_ids, self.days, self.reason)
