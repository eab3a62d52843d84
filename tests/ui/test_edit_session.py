"""A clerk's whole edit session through the real MainWindow, then a fresh Ledger and window on the same folder."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.domain import Status
from desktop.storage.ledger import Ledger
from desktop.ui.task_controller import HINT_EMPTY_LEDGER
from desktop.ui.task_model import COL_LEAD, COL_STATUS, COL_TEXT, COL_TITLE, COL_UNITS
from desktop.ui.task_view import HINT_EMPTY
from desktop.ui.unit_picker import UnitPicker

from .conftest import outline


def type_text(widget, text: str) -> None:
    """Type Chinese text as key events (QTest.keyClicks only takes Latin-1 and aborts on 汉字)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def type_title(qtbot, w, text: str) -> None:
    """After an insert the title cell editor is open: type and press Enter."""
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and w.view.isAncestorOf(editor), "title editor should be open"
    type_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits Enter through a queued call


def current_title(w) -> str:
    return w.model.row_by_id(w.view.current_id()).title


def test_full_edit_session_survives_reopen(qtbot, make_window, ledger, messages, tmp_path):
    ledger.add_unit("县行政审批服务局", short_name="县审批局")
    ledger.add_unit("县税务局")
    w = make_window()
    assert w.view.hint == HINT_EMPTY_LEDGER  # first start: import the first notice

    # --- a new notice, empty table with its hint
    nid = w.notice_list.new_notice({"title": "关于2024年重点工作任务分解的通知", "doc_number": "×政办发〔2024〕3号",
                                    "year": 2024})
    assert w.controller.notice_id == nid and w.notice_list.current_id() == nid
    assert w.model.rowCount() == 0 and w.view.hint == HINT_EMPTY

    # --- add tasks by keyboard: Insert opens the title editor of the new row
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Insert)
    type_title(qtbot, w, "优化营商环境")
    w.actions.insert_child.trigger()
    type_title(qtbot, w, "压减审批时限")
    w.actions.insert_sibling.trigger()
    type_title(qtbot, w, "清理拖欠账款")
    w.actions.insert_sibling.trigger()
    type_title(qtbot, w, "乡村振兴")
    w.actions.insert_sibling.trigger()
    type_title(qtbot, w, "人居环境整治")
    assert outline(ledger, nid) == [("一、", "优化营商环境"), ("  （一）", "压减审批时限"),
                                    ("  （二）", "清理拖欠账款"), ("  （三）", "乡村振兴"), ("  （四）", "人居环境整治")]

    # --- outdent 乡村振兴 (Shift+Tab on the table) and indent 人居环境整治 back under it (Tab)
    w.view.select_ids([w.model.rows()[3].id])
    assert current_title(w) == "乡村振兴"
    qtbot.keyClick(w.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert outline(ledger, nid)[3:] == [("  （三）", "人居环境整治"), ("二、", "乡村振兴")]
    w.view.select_ids([next(r.id for r in w.model.rows() if r.title == "人居环境整治")])
    w.actions.outdent.trigger()
    w.view.select_ids([next(r.id for r in w.model.rows() if r.title == "人居环境整治")])
    w.actions.move_down.trigger()  # below 乡村振兴
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)  # indent: child of 乡村振兴
    assert outline(ledger, nid) == [("一、", "优化营商环境"), ("  （一）", "压减审批时限"),
                                    ("  （二）", "清理拖欠账款"), ("二、", "乡村振兴"), ("  （一）", "人居环境整治")]

    # --- type into cells: 具体内容 through the model (as the delegate does), status via the delegate's value
    task_a = next(r.id for r in w.model.rows() if r.title == "压减审批时限")
    w.model.setData(w.model.index_for_id(task_a, COL_TEXT), "全面压减企业开办时间。推行一窗受理。")
    w.model.setData(w.model.index_for_id(task_a, COL_STATUS), Status.IN_PROGRESS)
    assert ledger.task(task_a).text == "全面压减企业开办时间。推行一窗受理。"
    assert ledger.task(task_a).status == Status.IN_PROGRESS

    # --- units with the picker delegate: type part of a short name, take the completion, add a new unit
    w.view.select_ids([task_a], column=COL_LEAD)
    w.view.edit(w.model.index_for_id(task_a, COL_LEAD))
    picker = w.view.findChild(UnitPicker)
    assert picker is not None
    type_text(picker, "审批")
    popup = picker.unit_completer().popup()
    assert popup.isVisible() and picker.unit_completer().completionCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.text() == "县行政审批服务局"
    type_text(picker, "、县数据局")  # not in the directory: accepted as typed
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert ledger.task(task_a).lead_units == ["县行政审批服务局", "县数据局"]
    w.model.setData(w.model.index_for_id(task_a, COL_UNITS), "县税务局")
    assert "县数据局" in w.directory.spellings("县数据局")  # the directory was refreshed
    assert any(u.name == "县数据局" for u in w.directory.units)

    # --- split at the cursor in the detail panel, then merge back, then split again
    w.view.select_ids([task_a])
    assert w.panel.task_id() == task_a
    w.panel.text_edit.setFocus()
    cursor = w.panel.text_edit.textCursor()
    cursor.setPosition(len("全面压减企业开办时间。"))
    w.panel.text_edit.setTextCursor(cursor)
    w.actions.split.trigger()
    rows = ledger.tasks(nid)
    new = rows[[r.id for r in rows].index(task_a) + 1]
    assert ledger.task(task_a).text == "全面压减企业开办时间。"
    assert new.text == "推行一窗受理。" and new.lead_units == ["县行政审批服务局", "县数据局"]
    assert w.view.current_id() == new.id
    w.view.select_ids([task_a])
    w.actions.merge.trigger()
    assert ledger.task(task_a).text == "全面压减企业开办时间。推行一窗受理。"
    assert len(ledger.tasks(nid)) == 5

    # --- undo several steps and redo some
    assert w.actions.undo.text() == "撤销 合并任务"
    w.actions.undo.trigger()  # unmerge
    assert len(ledger.tasks(nid)) == 6
    w.actions.undo.trigger()  # unsplit
    assert ledger.task(task_a).text == "全面压减企业开办时间。推行一窗受理。" and len(ledger.tasks(nid)) == 5
    w.actions.undo.trigger()  # 责任单位
    assert ledger.task(task_a).units == []
    w.actions.undo.trigger()  # 牵头单位
    assert ledger.task(task_a).lead_units == []
    assert w.actions.redo.text() == "重做 修改牵头单位"
    w.actions.redo.trigger()
    w.actions.redo.trigger()
    w.actions.redo.trigger()  # split again (same new id)
    assert [r.id for r in ledger.tasks(nid)] == [r.id for r in rows]
    assert ledger.task(new.id).text == "推行一窗受理。"
    # a new edit clears the redo branch
    w.view.select_ids([new.id])
    w.panel.title_edit.setFocus()
    w.panel.title_edit.setText("推行一窗受理改革")
    qtbot.keyClick(w.panel.title_edit, Qt.Key.Key_Return)
    assert ledger.task(new.id).title == "推行一窗受理改革"
    assert not w.actions.redo.isEnabled()

    # --- delete two rows at once, undo brings both back
    before = outline(ledger, nid)
    w.view.select_ids([new.id, next(r.id for r in w.model.rows() if r.title == "清理拖欠账款")])
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Delete)
    assert len(ledger.tasks(nid)) == 4
    w.actions.undo.trigger()
    assert outline(ledger, nid) == before
    assert not messages.log

    # --- an edit typed in the panel but not yet committed is stored on close
    w.view.select_ids([task_a])
    w.panel.remark_edit.setFocus()
    w.panel.remark_edit.setPlainText("县长批示件")
    final = ledger.tasks(nid)
    w.close()
    final[[r.id for r in final].index(task_a)].remark = "县长批示件"
    final[[r.id for r in final].index(task_a)].version += 1  # the save on close counts as a change

    # --- a NEW ledger and window on the same folder: everything as left
    again = Ledger(data_dir=ledger.data_dir)
    try:
        assert again.tasks(nid) == final
        w2 = make_window(again)
        assert w2.controller.notice_id == nid
        assert [r.id for r in w2.model.rows()] == [r.id for r in final]
        assert w2.model.index_for_id(task_a, COL_TITLE).data() == "压减审批时限"
        assert w2.notice_list.tree.topLevelItem(0).text(0) == "2024年"
        w2.close()
    finally:
        again.close()
