"""Window behaviour: drag-move, messages, notice list, settings, shortcuts scope, detail panel rules."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.domain import Status
from desktop.settings import WINDOW_LAST_NOTICE, Settings
from desktop.storage.ledger import LedgerError
from desktop.ui.main_window import MainWindow
from desktop.ui.new_notice_dialog import NewNoticeDialog
from desktop.ui.task_model import COL_TITLE
from desktop.ui.task_view import HINT_EMPTY

from .conftest import outline


def ids_by_title(ledger, nid):
    return {r.title: r.id for r in ledger.tasks(nid)}


def test_drag_move_through_dropmimedata_and_moverows(qtbot, make_window, ledger, notice_id):
    w = make_window()
    t = ids_by_title(ledger, notice_id)
    m = w.model
    # drop 粮食生产 ON 清理拖欠账款: becomes its child
    data = m.mimeData([m.index_for_id(t["粮食生产"])])
    m.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, m.index_for_id(t["清理拖欠账款"]))
    assert outline(ledger, notice_id)[4:6] == [("  （二）", "清理拖欠账款"), ("    1.", "粮食生产")]
    assert w.view.current_id() == t["粮食生产"]
    # drop 人居环境整治 BETWEEN rows: before 压减审批时限 under the first section
    data = m.mimeData([m.index_for_id(t["人居环境整治"])])
    m.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, m.index_for_id(t["持续优化营商环境"]))
    assert outline(ledger, notice_id)[1] == ("  （一）", "人居环境整治")
    # moveRows: swap the two items under 压减审批时限
    task = m.index_for_id(t["压减审批时限"])
    assert m.moveRows(task, 0, 1, task, 2)
    kids = [r.title for r in ledger.tasks(notice_id) if r.parent_id == t["压减审批时限"]]
    assert kids == ["上线一网通办", "梳理事项清单"]
    # every move is one undo step
    for _ in range(3):
        w.actions.undo.trigger()
    assert [r.title for r in ledger.tasks(notice_id)] == list(t)


def test_move_up_down_and_multi_row_indent(qtbot, make_window, ledger, notice_id):
    w = make_window()
    t = ids_by_title(ledger, notice_id)
    w.view.select_ids([t["清理拖欠账款"]])
    assert w.actions.move_up.isEnabled() and not w.actions.move_down.isEnabled()
    w.actions.move_up.trigger()
    assert [r.title for r in ledger.tasks(notice_id)][1] == "清理拖欠账款"
    w.actions.move_down.trigger()
    # select the two tasks of section 二 and indent both: the first has no previous sibling → disabled
    w.view.select_ids([t["人居环境整治"], t["粮食生产"]])
    assert not w.actions.indent.isEnabled()
    w.view.select_ids([t["粮食生产"]])
    w.actions.indent.trigger()
    assert ledger.task(t["粮食生产"]).parent_id == t["人居环境整治"]
    w.actions.outdent.trigger()
    assert ledger.task(t["粮食生产"]).parent_id == t["全面推进乡村振兴"]
    # outdent two siblings at once keeps their order
    w.view.select_ids([t["梳理事项清单"], t["上线一网通办"]])
    w.actions.outdent.trigger()
    assert [r.title for r in ledger.tasks(notice_id)][1:4] == ["压减审批时限", "梳理事项清单", "上线一网通办"]
    w.actions.undo.trigger()
    assert ledger.task(t["上线一网通办"]).parent_id == t["压减审批时限"]


def test_ledger_error_goes_to_the_message_bridge(qtbot, make_window, ledger, notice_id, messages, monkeypatch):
    w = make_window()
    t = ids_by_title(ledger, notice_id)

    def full_disk(*args, **kwargs):
        raise LedgerError("磁盘已满，无法保存。")

    monkeypatch.setattr(ledger, "set_fields", full_disk)
    depth = w.controller.stack().count()
    w.model.setData(w.model.index_for_id(t["粮食生产"], COL_TITLE), "新名字")
    assert messages.log and messages.log[-1][0] == "error" and "磁盘已满" in messages.log[-1][2]
    assert w.controller.stack().count() == depth  # the failed command was dropped
    assert w.model.index_for_id(t["粮食生产"], COL_TITLE).data() == "粮食生产"
    assert "磁盘已满" in w.statusBar().currentMessage()


def test_message_bridge_default_presenter_is_replaceable(qapp):
    from desktop.ui.messages import MessageBridge

    bridge = MessageBridge(show_boxes=False, confirmer=lambda title, text: False)
    seen = []
    bridge.shown.connect(lambda *a: seen.append(a))
    bridge.warning("提示内容")
    with bridge.guard("保存"):
        raise LedgerError("文件被占用")
    assert seen == [("warning", "提示", "提示内容"), ("error", "出错了", "保存失败：文件被占用")]
    assert bridge.confirm("删除", "确定？") is False


def test_notice_list_years_rename_delete(qtbot, make_window, ledger, notice_id, messages):
    old = ledger.create_notice("2023年旧通知", year=2023)
    undated = ledger.create_notice("未标年度的通知")
    w = make_window()
    tree = w.notice_list.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == ["2024年", "2023年", "未标年度"]
    assert w.notice_list.notice_ids() == [notice_id, old, undated]
    assert tree.topLevelItem(0).child(0).text(1) == str(len(ledger.tasks(notice_id)))
    # rename
    w.notice_list.select(old)
    assert w.controller.notice_id == old and w.view.hint == HINT_EMPTY
    assert w.notice_list.edit_notice(values={"title": "2023年旧通知（修订）"})
    assert ledger.notice(old).title == "2023年旧通知（修订）"
    assert w.notice_list.current_id() == old
    # delete asks first; "no" keeps it
    messages.confirmer = lambda title, text: False
    assert not w.notice_list.delete_notice()
    messages.confirmer = lambda title, text: True
    assert w.notice_list.delete_notice()
    assert old not in [n.id for n in ledger.notices()]
    assert w.controller.notice_id == w.notice_list.current_id() == undated
    assert old not in w.controller._stacks


def test_task_count_follows_edits(qtbot, make_window, ledger, notice_id):
    w = make_window()
    before = len(ledger.tasks(notice_id))
    w.controller.insert_sibling(edit=False)
    item = w.notice_list.tree.topLevelItem(0).child(0)
    assert item.text(1) == str(before + 1)


def test_new_notice_dialog(qtbot):
    dlg = NewNoticeDialog()
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dlg.title_edit.setText("  关于开展安全生产大检查的通知 ")
    dlg.issuer_edit.setText("县人民政府办公室")
    dlg.date_edit.setDate(dt.date(2023, 5, 4))
    assert ok.isEnabled()
    assert dlg.values() == {"title": "关于开展安全生产大检查的通知", "doc_number": None,
                            "issuer": "县人民政府办公室", "date": dt.date(2023, 5, 4), "year": 2023}


def test_geometry_and_dock_state_restored(qtbot, ledger, notice_id, messages, tmp_path):
    ini = tmp_path / "layout.ini"
    w = MainWindow(ledger, settings=ini, messages=messages)
    qtbot.addWidget(w)
    w.show()
    w.resize(760, 540)  # within the offscreen screen (800×600): restoreGeometry clamps to it
    w.detail_dock.hide()
    w.view.header().resizeSection(COL_TITLE, 222)
    w.close()
    assert ini.exists()
    settings = Settings(ini)
    assert settings.get(WINDOW_LAST_NOTICE) == notice_id
    w2 = MainWindow(ledger, settings=settings, messages=messages)
    qtbot.addWidget(w2)
    w2.show()
    assert (w2.size().width(), w2.size().height()) == (760, 540)
    assert not w2.detail_dock.isVisible()
    assert w2.view.header().sectionSize(COL_TITLE) == 222


def test_delete_key_only_acts_in_the_table(qtbot, make_window, ledger, notice_id):
    w = make_window()
    n = len(ledger.tasks(notice_id))
    w.panel.title_edit.setFocus()
    qtbot.keyClick(w.panel.title_edit, Qt.Key.Key_Delete)
    assert len(ledger.tasks(notice_id)) == n
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing to undo: harmless
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    assert len(ledger.tasks(notice_id)) < n
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(ledger.tasks(notice_id)) == n
    qtbot.keyClick(w.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(ledger.tasks(notice_id)) < n


def test_detail_panel_status_done_sets_done_date_and_commits_on_focus_out(qtbot, make_window, ledger, notice_id):
    w = make_window()
    t = ids_by_title(ledger, notice_id)
    w.view.select_ids([t["粮食生产"]])
    w.panel.status_combo.setCurrentText(Status.DONE.value)
    w.panel.status_combo.activated.emit(w.panel.status_combo.currentIndex())
    row = ledger.task(t["粮食生产"])
    assert row.status == Status.DONE and row.done_on == dt.date.today()
    assert w.actions.undo.text() == "撤销 修改状态、完成日期"
    w.panel.remark_edit.setFocus()
    w.panel.remark_edit.setPlainText("已完成播种")
    w.view.setFocus()  # focus-out commits
    assert ledger.task(t["粮食生产"]).remark == "已完成播种"
    w.panel.lead_edit.setText("县农业农村局、县财政局")
    w.panel.commit_pending()
    assert ledger.task(t["粮食生产"]).lead_units == ["县农业农村局", "县财政局"]


def test_empty_hint_is_painted(qtbot, make_window, ledger):
    w = make_window()
    w.notice_list.new_notice({"title": "空通知"})
    assert w.view.hint == HINT_EMPTY and w.model.rowCount() == 0
    assert not w.view.viewport().grab().isNull()  # paintEvent with the hint runs without error
    assert w.actions.insert_sibling.isEnabled() and not w.actions.delete.isEnabled()
