"""Editing the task table like a spreadsheet: Tab / Shift+Tab / Enter with a cell editor open (issue 15).

Real windows over a real SQLite ledger, driven by key clicks: F2 opens the current cell, the keys go to
the open editor, and the ledger shows what each cell stored.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit, QPlainTextEdit

from desktop.domain import Status
from desktop.ui.task_model import COL_DEADLINE, COL_LEAD, COL_STATUS, COL_TEXT, COL_TITLE, COL_UNITS
from desktop.ui.unit_picker import UnitPicker

SHIFT = Qt.KeyboardModifier.ShiftModifier


def type_text(widget, text: str) -> None:
    """Type Chinese text as key events (QTest.keyClicks only takes Latin-1)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def editor(view):
    """The open cell editor (asserts there is one, inside the table)."""
    widget = QApplication.focusWidget()
    assert view.state() == QAbstractItemView.State.EditingState, "a cell editor should be open"
    assert widget is not None and view.isAncestorOf(widget)
    return widget


def cell(view) -> tuple[int | None, int]:
    """(task id, column) of the current cell."""
    return view.current_id(), view.currentIndex().column()


def open_cell(qtbot, view, task_id: int, column: int):
    """Make the cell current and press F2 (the edit key), as a clerk does."""
    view.setFocus()
    view.select_ids([task_id], column=column)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    return editor(view)


def ids_by_title(model) -> dict[str, int]:
    return {r.title: r.id for r in model.rows()}


def test_tab_walks_the_row_and_wraps_to_the_next_row_storing_each_cell(qtbot, make_window, ledger, notice_id):
    w = make_window()
    t = ids_by_title(w.model)
    leaf, next_leaf = t["梳理事项清单"], t["上线一网通办"]

    ed = open_cell(qtbot, w.view, leaf, COL_TITLE)
    assert isinstance(ed, QLineEdit)
    type_text(ed, "梳理并公布清单")  # replaces the selected title
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ledger.task(leaf).title == "梳理并公布清单"
    assert cell(w.view) == (leaf, COL_TEXT)
    ed = editor(w.view)
    assert isinstance(ed, QPlainTextEdit) and ed.toPlainText() == "梳理企业开办事项清单并公布。"
    type_text(ed, "一周内完成。")  # the 具体内容 editor opens with the cursor at the end
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ledger.task(leaf).text == "梳理企业开办事项清单并公布。一周内完成。"
    assert ledger.task(leaf).title == "梳理并公布清单"  # typing in the next cell never touched the last one

    assert cell(w.view) == (leaf, COL_LEAD)
    ed = editor(w.view)
    assert isinstance(ed, UnitPicker)
    type_text(ed, "县发改局")
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ledger.task(leaf).lead_units == ["县发展和改革局"]  # the short name, stored as the full name
    assert cell(w.view) == (leaf, COL_UNITS)
    ed = editor(w.view)
    type_text(ed, "审批")  # the completion list opens; Tab takes its name and moves on
    popup = ed.unit_completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert ledger.task(leaf).units == ["县行政审批服务局"]
    assert cell(w.view) == (leaf, COL_DEADLINE)
    ed = editor(w.view)
    type_text(ed, "3月底前")
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ledger.task(leaf).deadline_text == "3月底前"
    assert cell(w.view) == (leaf, COL_STATUS)
    assert isinstance(editor(w.view), QComboBox)

    # past the row's last cell: the next row's first editable cell (序号 is not editable)
    qtbot.keyClick(editor(w.view), Qt.Key.Key_Tab)
    assert cell(w.view) == (next_leaf, COL_TITLE)
    assert editor(w.view).text() == "上线一网通办"
    # Shift+Tab goes back the same way, to the previous row's last cell
    qtbot.keyClick(editor(w.view), Qt.Key.Key_Backtab, SHIFT)
    assert cell(w.view) == (leaf, COL_STATUS)
    qtbot.keyClick(editor(w.view), Qt.Key.Key_Backtab, SHIFT)
    assert cell(w.view) == (leaf, COL_DEADLINE)
    assert editor(w.view).text() == "3月底前"
    qtbot.keyClick(editor(w.view), Qt.Key.Key_Escape)
    assert w.view.state() != QAbstractItemView.State.EditingState
    assert not w.messages.log


def test_a_parent_rows_status_is_skipped_and_shift_tab_wraps_to_the_previous_row(qtbot, make_window, notice_id):
    w = make_window()
    t = ids_by_title(w.model)
    parent, child = t["压减审批时限"], t["梳理事项清单"]
    assert w.model.progress(parent) is not None  # 状态 of a parent is derived, not editable

    open_cell(qtbot, w.view, parent, COL_DEADLINE)
    qtbot.keyClick(editor(w.view), Qt.Key.Key_Tab)
    assert cell(w.view) == (child, COL_TITLE)
    qtbot.keyClick(editor(w.view), Qt.Key.Key_Backtab, SHIFT)
    assert cell(w.view) == (parent, COL_DEADLINE)
    # only the current row is selected after a move (a following Delete acts on it alone)
    assert w.view.selected_ids() == [parent]


def test_tab_at_the_tables_ends_keeps_the_editor_and_what_was_typed(qtbot, make_window, ledger):
    """The old bug: on the last (or only) row Tab opened the same cell again with its text selected,
    so the next key replaced what had just been typed."""
    nid = ledger.create_notice_with_tasks({"title": "手工录入的通知", "year": 2024}, [{"title": "旧名称"}])
    w = make_window()
    w.notice_list.select(nid)
    only = w.model.rows()[0].id

    ed = open_cell(qtbot, w.view, only, COL_TITLE)
    qtbot.keyClicks(ed, "AB")
    qtbot.keyClick(ed, Qt.Key.Key_Backtab, SHIFT)  # the table's first cell: nowhere to go back to
    assert ledger.task(only).title == "AB"  # stored all the same
    assert editor(w.view) is ed and cell(w.view) == (only, COL_TITLE)
    qtbot.keyClicks(ed, "C")
    assert ed.text() == "ABC"
    qtbot.keyClick(ed, Qt.Key.Key_Tab)  # on to 具体内容 of the same row, never the same cell again
    assert cell(w.view) == (only, COL_TEXT)
    qtbot.keyClicks(editor(w.view), "x")
    assert ledger.task(only).title == "ABC"

    for col in (COL_LEAD, COL_UNITS, COL_DEADLINE, COL_STATUS):
        qtbot.keyClick(editor(w.view), Qt.Key.Key_Tab)
        assert cell(w.view) == (only, col)
    assert ledger.task(only).text == "x"
    combo = editor(w.view)
    combo.setCurrentText(Status.IN_PROGRESS.value)
    qtbot.keyClick(combo, Qt.Key.Key_Tab)  # the table's last cell: stored, the editor stays
    assert ledger.task(only).status == Status.IN_PROGRESS
    assert editor(w.view) is combo and cell(w.view) == (only, COL_STATUS)


def test_enter_stores_and_moves_down_to_the_same_column(qtbot, make_window, ledger, notice_id):
    w = make_window()
    t = ids_by_title(w.model)
    first, second, third = t["梳理事项清单"], t["上线一网通办"], t["清理拖欠账款"]

    ed = open_cell(qtbot, w.view, first, COL_DEADLINE)
    type_text(ed, "3月底前")
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    QApplication.processEvents()  # Qt's editors commit Enter through a queued call
    assert ledger.task(first).deadline_text == "3月底前"
    assert cell(w.view) == (second, COL_DEADLINE)
    assert w.view.state() != QAbstractItemView.State.EditingState  # moved, not editing (as in Excel)
    assert w.view.selected_ids() == [second]

    # the multi-line 具体内容 editor: Enter stores and moves down too (Shift+Enter is a new line)
    ed = open_cell(qtbot, w.view, second, COL_TEXT)
    qtbot.keyClick(ed, Qt.Key.Key_Return, SHIFT)
    type_text(ed, "第二行")
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert ledger.task(second).text == "企业开办全流程网上办理。\n第二行"
    assert cell(w.view) == (third, COL_TEXT)


def test_without_an_editor_tab_still_demotes_and_the_tips_say_when(qtbot, make_window, ledger, notice_id):
    w = make_window()
    t = ids_by_title(w.model)
    open_cell(qtbot, w.view, t["清理拖欠账款"], COL_TITLE)
    qtbot.keyClick(editor(w.view), Qt.Key.Key_Escape)  # editing ends: Tab means 降级 again
    before = ledger.task(t["清理拖欠账款"]).parent_id
    qtbot.keyClick(w.view, Qt.Key.Key_Tab)
    assert ledger.task(t["清理拖欠账款"]).parent_id == t["压减审批时限"] != before
    qtbot.keyClick(w.view, Qt.Key.Key_Backtab, SHIFT)
    assert ledger.task(t["清理拖欠账款"]).parent_id == before

    assert w.actions.indent.toolTip().startswith("降级（")
    assert "Tab，未在编辑单元格时" in w.actions.indent.toolTip()
    assert "Shift+Tab，未在编辑单元格时" in w.actions.outdent.toolTip()


def test_the_import_window_table_moves_between_cells_and_enter_does_not_accept(qtbot, make_window, ledger,
                                                                                corpus_dir):
    window = make_window()
    dialog = window.import_notice(corpus_dir / "000_songming_2021.txt")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    before = ledger.notices()
    rows = [r for r in dialog.scratch.tasks(dialog._scratch_notice) if not r.child_count]
    first, second = rows[0], rows[1]
    for upper, lower in zip(rows[:2], rows[1:3], strict=True):  # three leaves, one under the other
        assert dialog.view.indexBelow(dialog.model.index_for_id(upper.id, COL_TITLE)) \
            == dialog.model.index_for_id(lower.id, COL_TITLE)

    ed = open_cell(qtbot, dialog.view, first.id, COL_TITLE)
    type_text(ed, "核对后的名称")
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert dialog.scratch.task(first.id).title == "核对后的名称"
    assert cell(dialog.view) == (first.id, COL_TEXT)
    qtbot.keyClick(editor(dialog.view), Qt.Key.Key_Backtab, SHIFT)
    assert cell(dialog.view) == (first.id, COL_TITLE)
    ed = editor(dialog.view)
    type_text(ed, "再改一次")
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert dialog.scratch.task(first.id).title == "再改一次"
    assert cell(dialog.view) == (second.id, COL_TITLE)
    assert dialog.isVisible() and ledger.notices() == before  # Enter in a cell is not 接受并保存
    # Enter again, now on a cell that is not being edited: down once more, still not 接受并保存
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert cell(dialog.view) == (rows[2].id, COL_TITLE)
    assert dialog.isVisible() and ledger.notices() == before
    dialog.messages.chooser = lambda title, text, options: "放弃"
    dialog.reject()
