"""Two clerks on one ledger: the window's edit of a row someone else saved first asks merge or reload."""
from __future__ import annotations

import pytest

from desktop.storage.ledger import Ledger
from desktop.ui import conflict_dialog


@pytest.fixture
def other_clerk(ledger):
    other = Ledger(data_dir=ledger.data_dir)
    yield other
    other.close()


def _leaf(ledger, notice_id):
    return next(r for r in ledger.tasks(notice_id) if not r.child_count)


@pytest.mark.parametrize("choice", [conflict_dialog.MERGE, conflict_dialog.RELOAD])
def test_stale_field_edit_merges_or_reloads(make_window, ledger, notice_id, other_clerk, monkeypatch, choice):
    window = make_window()
    row = _leaf(ledger, notice_id)
    window.controller.set_notice(notice_id)
    other_clerk.set_fields(row.id, owner="李四")  # saved by the other clerk after this window loaded the row

    def answer(dialog):
        dialog.choice = choice
        return 1

    monkeypatch.setattr(conflict_dialog.ConflictDialog, "exec", answer)
    window.controller.edit_fields(row.id, {"remark": "本周内完成"})
    stored = ledger.task(row.id)
    assert stored.owner == "李四"  # never silently overwritten
    if choice == conflict_dialog.MERGE:
        assert stored.remark == "本周内完成"
        assert window.model.row_by_id(row.id).remark == "本周内完成"
    else:
        assert stored.remark == row.remark
        assert window.model.row_by_id(row.id).owner == "李四"  # the window shows what they saved


def test_stale_units_edit_reload_keeps_theirs(make_window, ledger, notice_id, other_clerk, monkeypatch):
    from desktop.domain import UnitRole

    window = make_window()
    row = _leaf(ledger, notice_id)
    window.controller.set_notice(notice_id)
    other_clerk.set_units(row.id, UnitRole.RESPONSIBLE, ["县财政局"])

    def reload(dialog):
        dialog.choice = conflict_dialog.RELOAD
        return 1

    monkeypatch.setattr(conflict_dialog.ConflictDialog, "exec", reload)
    window.controller.edit_units(row.id, UnitRole.RESPONSIBLE, ["县审计局"])
    assert ledger.task(row.id).units == ["县财政局"]
