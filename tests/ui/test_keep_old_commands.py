"""The "call the Ledger, keep the old values the first time, undo puts them back" commands on a QUndoStack:
redo after undo applies again without overwriting the first old values, and each refreshes as before."""
from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QUndoStack

from desktop.domain import Status, UnitRole
from desktop.ui.tracking_commands import (
    BulkStatusCommand,
    BulkUnitsCommand,
    ReviseDeadlineCommand,
    ShiftDeadlinesCommand,
)
from desktop.ui.undo_commands import SetFieldsCommand, SetUnitsCommand


class FakeLedger:
    """Returns a different "old value" on every call, so a second capture would show."""

    def __init__(self, log: list) -> None:
        self.log, self.n = log, 0

    def _old(self, name: str, *args):
        self.n += 1
        self.log.append((name, *args))
        return f"old{self.n}"

    def __getattr__(self, name: str):
        if name in ("set_status_many", "set_units_many", "shift_deadlines"):
            return lambda *a, **k: {1: self._old(name)}
        if name == "revise_deadline":
            return lambda *a, **k: {"due_date": self._old(name)}
        if name == "set_fields":
            return lambda task_id, expected_version=None, **f: (self.log.append((name, expected_version, f))
                                                                 or {"x": f"old{len(self.log)}"})
        if name == "set_units":
            return lambda task_id, role, names, expected_version=None: (self.log.append((name, names, expected_version))
                                                                        or [f"old{len(self.log)}"])
        return lambda *a, **k: self.log.append((name, *a))


class FakeCtx:
    def __init__(self) -> None:
        self.log: list = []
        self.ledger = FakeLedger(self.log)
        self.messages = None

    def __getattr__(self, name: str):  # row_changed, rows_changed, units_changed, tree_changed
        return lambda *a, **k: self.log.append((name, *a))


def _run(command, ctx: FakeCtx) -> list:
    stack = QUndoStack()
    stack.push(command)
    stack.undo()
    stack.redo()
    stack.undo()
    return ctx.log


def test_bulk_commands_keep_the_first_old_values_across_redo(qapp):
    ctx = FakeCtx()
    log = _run(BulkStatusCommand(ctx, [1], Status.DONE, dt.date(2024, 7, 1)), ctx)
    assert [e for e in log if e[0] == "set_fields_many"] == [("set_fields_many", {1: "old1"})] * 2
    assert [e[0] for e in log] == ["set_status_many", "rows_changed", "set_fields_many", "rows_changed"] * 2

    ctx = FakeCtx()
    log = _run(ShiftDeadlinesCommand(ctx, [1], 7, "因故"), ctx)
    assert [e for e in log if e[0] == "set_fields_many"] == [("set_fields_many", {1: "old1"})] * 2

    ctx = FakeCtx()
    log = _run(BulkUnitsCommand(ctx, [1], UnitRole.LEAD, ["县财政局"]), ctx)
    assert [e[0] for e in log] == ["set_units_many", "units_changed", "rows_changed",
                                   "set_units_each", "rows_changed"] * 2
    assert [e for e in log if e[0] == "set_units_each"] == [("set_units_each", UnitRole.LEAD, {1: "old1"})] * 2


def test_single_task_commands_keep_the_first_old_values(qapp):
    ctx = FakeCtx()
    log = _run(ReviseDeadlineCommand(ctx, 5, dt.date(2024, 9, 30), "延期"), ctx)
    assert [e[0] for e in log] == ["revise_deadline", "row_changed", "set_fields", "row_changed"] * 2
    assert [e[1:] for e in log if e[0] == "set_fields"] == [(None, {"due_date": "old1"})] * 2

    ctx = FakeCtx()
    log = _run(SetFieldsCommand(ctx, 5, {"remark": "新"}, version=3), ctx)
    sets = [e for e in log if e[0] == "set_fields"]
    # only the first save checks the version; both undos put back the first old values
    assert sets == [("set_fields", 3, {"remark": "新"}), ("set_fields", None, {"x": "old1"}),
                    ("set_fields", None, {"remark": "新"}), ("set_fields", None, {"x": "old1"})]

    ctx = FakeCtx()
    log = _run(SetUnitsCommand(ctx, 5, UnitRole.RESPONSIBLE, ["县税务局"], version=2), ctx)
    assert [e[0] for e in log] == ["set_units", "row_changed", "units_changed", "set_units", "row_changed"] * 2
    assert [e[1:] for e in log if e[0] == "set_units"] == [(["县税务局"], 2), (["old1"], None),
                                                          (["县税务局"], None), (["old1"], None)]
