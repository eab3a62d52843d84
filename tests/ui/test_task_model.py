"""TaskTreeModel: Qt's model tester, edits as requests, drag-and-drop targets and move planning."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from desktop.domain import Status
from desktop.ui.task_edit_rules import plan_moves
from desktop.ui.task_model import (
    COL_LEAD,
    COL_NUMBER,
    COL_STATUS,
    COL_TEXT,
    COL_TITLE,
    TaskRowRole,
    TaskTreeModel,
    split_unit_names,
)

from .conftest import tree_rows

SPEC = [(1, None, "优化营商环境"), (2, 1, "压减审批"), (3, 2, "梳理清单"), (4, 2, "一网通办"),
        (5, 1, "清理欠款"), (6, None, "乡村振兴"), (7, 6, "人居环境"), (8, 6, "粮食生产")]


def make_model(qapp) -> TaskTreeModel:
    model = TaskTreeModel()
    model.set_rows(tree_rows(SPEC))
    return model


def test_qtmodeltester_on_realistic_tree(qtmodeltester, ledger, notice_id):
    model = TaskTreeModel()
    model.set_rows(ledger.tasks(notice_id))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2  # two sections
    section = model.index(0, 0)
    assert section.data() == "一、"
    task = model.index(0, COL_TITLE, section)
    assert task.data() == "压减审批时限"
    assert model.index(0, COL_LEAD, section).data() == "县行政审批服务局"
    assert model.rowCount(model.index(0, 0, section)) == 2  # items under the task
    assert model.parent(model.index(1, 0, model.index(0, 0, section))) .internalId() == task.internalId()


def test_qtmodeltester_filtered_and_empty(qtmodeltester, qapp):
    model = make_model(qapp)
    model.set_filter({1, 2, 4}, {4})
    qtmodeltester.check(model, force_py=True)
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_structure_and_lookups(qapp):
    model = make_model(qapp)
    assert [model.index(i, COL_TITLE).data() for i in range(model.rowCount())] == ["优化营商环境", "乡村振兴"]
    ix = model.index_for_id(4, COL_NUMBER)
    assert ix.data() == "2." and model.parent(ix) == model.index_for_id(2)
    assert model.siblings_of(5) == [2, 5] and model.sibling_index(5) == 1
    assert model.is_ancestor(1, 4) and not model.is_ancestor(6, 4)
    assert model.top_level_only([4, 2, 3, 8]) == [2, 8]
    assert not model.flags(model.index_for_id(2, COL_NUMBER)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index_for_id(2, COL_TEXT)) & Qt.ItemFlag.ItemIsEditable
    assert model.index_for_id(2).data(TaskRowRole).title == "压减审批"


def test_setdata_only_requests_edits(qapp, qtbot):
    model = make_model(qapp)
    seen = []
    model.edit_requested.connect(lambda *a: seen.append(a))
    assert model.setData(model.index_for_id(2, COL_TITLE), "压减审批时限")
    assert model.setData(model.index_for_id(2, COL_LEAD), "县财政局、县税务局，县财政局")
    assert model.setData(model.index_for_id(3, COL_STATUS), "推进中")
    assert not model.setData(model.index_for_id(3, COL_STATUS), "乱写")
    assert not model.setData(model.index_for_id(2, COL_STATUS), "推进中")  # a parent's progress is derived
    assert not model.setData(model.index_for_id(2, COL_TITLE), "压减审批")  # unchanged
    assert seen == [(2, "title", "压减审批时限"), (2, "lead_units", ["县财政局", "县税务局"]),
                    (3, "status", Status.IN_PROGRESS)]
    assert model.index_for_id(2, COL_TITLE).data() == "压减审批"  # the model itself did not change


def test_update_row_emits_datachanged_for_one_row(qapp, qtbot):
    model = make_model(qapp)
    row = model.row_by_id(4)
    new = type(row)(**{**row.__dict__, "title": "改名", "number": "", "depth": 9})
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.update_row(new)
    top_left, bottom_right = blocker.args[:2]
    assert top_left.internalId() == bottom_right.internalId() == 4
    assert model.index_for_id(4, COL_TITLE).data() == "改名"
    assert model.index_for_id(4, COL_NUMBER).data() == "2."  # tree-derived fields kept


def test_drop_on_row_makes_child_between_rows_makes_sibling(qapp):
    model = make_model(qapp)
    moves = []
    model.move_requested.connect(lambda ids, pid, ix: moves.append((ids, pid, ix)))
    data = model.mimeData([model.index_for_id(8), model.index_for_id(8, COL_TITLE)])
    # on a row: last child of 乡村振兴's 人居环境
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index_for_id(7))
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index_for_id(7)) is False
    # between rows: before 清理欠款 under 优化营商环境
    model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, model.index_for_id(1))
    # at the very top
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert moves == [([8], 7, 0), ([8], 1, 1), ([8], 0, 0)]
    # into its own subtree: refused
    parent_data = model.mimeData([model.index_for_id(6)])
    assert not model.canDropMimeData(parent_data, Qt.DropAction.MoveAction, -1, -1, model.index_for_id(7))


def test_moverows_requests_move_with_final_index(qapp):
    model = make_model(qapp)
    moves = []
    model.move_requested.connect(lambda ids, pid, ix: moves.append((ids, pid, ix)))
    # 梳理清单 (row 0 under 压减审批) to after 一网通办 (destination row 2 in Qt's 'before removal' terms)
    assert model.moveRows(model.index_for_id(2), 0, 1, model.index_for_id(2), 2)
    assert moves == [([3], 2, 1)]


def _apply(children: list[int], moves) -> list[int]:
    for tid, _pid, index in moves:
        if tid in children:
            children.remove(tid)
        children.insert(index, tid)
    return children


def test_plan_moves_reaches_the_final_order():
    cases = [
        ([1, 2, 3, 4, 5], [3, 4, 1, 2, 5], [1, 2]),
        ([1, 2, 3, 4], [2, 3, 1, 4], [2, 3]),
        ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], [1, 3]),
        ([1, 2], [1, 9, 8, 2], [9, 8]),  # from another parent
        ([1, 2, 3], [3, 1, 2], [3]),
    ]
    for current, final, moving in cases:
        assert _apply(list(current), plan_moves(current, final, moving, None)) == final


def test_split_unit_names():
    assert split_unit_names(" 县财政局、县教育局，各乡镇;县财政局 、") == ["县财政局", "县教育局", "各乡镇"]
    assert split_unit_names("") == []
