"""The import window never loses or doubles a notice silently (issue 15): closing or Esc with changes asks
保存 / 放弃 / 取消, a notice the ledger already holds asks 打开已有 / 作为新版本导入 / 取消, and a notice
with no printed year waits for the clerk's 年度. Real windows, real SQLite ledgers, keys and clicks."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog

from desktop.ui.task_model import COL_TITLE

LEZHI = "002_lezhi_2023_table.txt"
SONGMING = "000_songming_2021.txt"
NO_YEAR = "106_chizhou-xfj-zwgk-renwu.txt"


def type_text(widget, text: str) -> None:
    """Type Chinese text as key events (QTest.keyClicks only takes Latin-1)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


class Answers:
    """Answers the bridge's questions like a clerk would, and records them."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str, list[str]]] = []

    def __call__(self, title: str, text: str, options: list[str]) -> str:
        self.asked.append((title, text, options))
        assert self.answers, f"unexpected question: {title}: {text}"
        return self.answers.pop(0)


def open_dialog(qtbot, window, path):
    dialog = window.import_notice(path)
    assert dialog.pages.currentIndex() == 1
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    return dialog


def leaves(dialog) -> list:
    return [r for r in dialog.scratch.tasks(dialog._scratch_notice) if not r.child_count]


def retitle_first_row(qtbot, dialog, title: str) -> int:
    """The clerk corrects a row by keyboard: F2 on its 任务名称, type, Enter."""
    task = leaves(dialog)[0].id
    dialog.view.setFocus()
    dialog.view.select_ids([task], column=COL_TITLE)
    qtbot.keyClick(dialog.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert dialog.view.isAncestorOf(editor)
    type_text(editor, title)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert dialog.scratch.task(task).title == title
    return task


def press_escape_twice(qtbot, dialog) -> None:
    """As in the issue: an editor is open with something typed; Esc cancels that cell, Esc again closes."""
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert dialog.view.state() == QAbstractItemView.State.EditingState
    type_text(editor, "半截")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert dialog.view.state() != QAbstractItemView.State.EditingState and dialog.isVisible()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)


def stored_titles(ledger, notice_id) -> list[str]:
    return [r.title for r in ledger.tasks(notice_id)]


@pytest.mark.parametrize("answer", ["保存", "放弃", "取消"])
def test_escape_with_rows_typed_by_hand_asks_save_discard_cancel(qtbot, make_window, ledger, messages, corpus_dir,
                                                                answer):
    window = make_window()
    dialog = open_dialog(qtbot, window, corpus_dir / SONGMING)
    scratch_folder = dialog._scratch_dir.name
    retitle_first_row(qtbot, dialog, "核对后的第一项")
    messages.chooser = answers = Answers(answer)

    press_escape_twice(qtbot, dialog)

    assert len(answers.asked) == 1
    title, text, options = answers.asked[0]
    assert options == ["保存", "放弃", "取消"] and "还没有保存" in text
    notices = ledger.notices()
    if answer == "保存":  # the same as 接受并保存
        assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
        assert [n.id for n in notices] == [dialog.notice_id]
        assert "核对后的第一项" in stored_titles(ledger, dialog.notice_id)
        assert window.notice_list.current_id() == dialog.notice_id
        assert not os.path.exists(scratch_folder)
    elif answer == "放弃":  # closes storing nothing
        assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
        assert notices == []
        assert not os.path.exists(scratch_folder)
    else:  # 取消: back to the window with everything as it was
        assert dialog.isVisible() and notices == []
        assert leaves(dialog)[0].title == "核对后的第一项"
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert "核对后的第一项" in stored_titles(ledger, dialog.notice_id)


@pytest.mark.parametrize("answer", ["保存", "放弃", "取消"])
def test_the_close_button_with_a_changed_notice_field_asks(qtbot, make_window, ledger, messages, corpus_dir, answer):
    window = make_window()
    dialog = open_dialog(qtbot, window, corpus_dir / SONGMING)
    dialog.number_edit.setFocus()
    type_text(dialog.number_edit, "嵩政办发〔2021〕9号")
    messages.chooser = answers = Answers(answer)

    closed = dialog.close()  # what the window's close button does

    assert len(answers.asked) == 1
    assert closed == (answer != "取消") and dialog.isVisible() == (answer == "取消")
    stored = ledger.notices()
    assert [n.doc_number for n in stored] == (["嵩政办发〔2021〕9号"] if answer == "保存" else [])
    if answer == "取消":
        assert dialog.number_edit.text() == "嵩政办发〔2021〕9号"
        messages.chooser = Answers("放弃")
        assert dialog.close()


def test_typing_still_in_a_cell_counts_and_is_saved(qtbot, make_window, ledger, messages, corpus_dir):
    window = make_window()
    dialog = open_dialog(qtbot, window, corpus_dir / SONGMING)
    task = leaves(dialog)[0].id
    dialog.view.setFocus()
    dialog.view.select_ids([task], column=COL_TITLE)
    qtbot.keyClick(dialog.view, Qt.Key.Key_F2)
    type_text(QApplication.focusWidget(), "还在编辑")  # no Enter: the editor is still open
    messages.chooser = answers = Answers("保存")
    assert dialog.close()
    assert len(answers.asked) == 1
    assert "还在编辑" in stored_titles(ledger, dialog.notice_id)


def test_without_changes_close_and_escape_ask_nothing(qtbot, make_window, ledger, messages, corpus_dir):
    window = make_window()
    messages.chooser = answers = Answers()  # any question fails the test
    dialog = open_dialog(qtbot, window, corpus_dir / SONGMING)
    scratch_folder = dialog._scratch_dir.name
    assert dialog.close()
    assert not os.path.exists(scratch_folder)

    # changed, then changed back with 撤销: nothing is left to lose, so nothing is asked
    dialog = open_dialog(qtbot, window, corpus_dir / SONGMING)
    retitle_first_row(qtbot, dialog, "临时改动")
    assert dialog.has_changes()
    dialog.actions.undo.trigger()
    assert not dialog.has_changes()
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert answers.asked == [] and ledger.notices() == []


def import_once(qtbot, window, path) -> int:
    dialog = open_dialog(qtbot, window, path)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.notice_id is not None and not dialog.isVisible()
    return dialog.notice_id


@pytest.mark.parametrize("answer", ["打开已有", "作为新版本导入", "取消"])
def test_a_second_import_of_the_same_notice_asks_first(qtbot, make_window, ledger, messages, corpus_dir,
                                                       notice_id, answer):
    window = make_window()
    first = import_once(qtbot, window, corpus_dir / LEZHI)
    window.notice_list.select(notice_id)  # the clerk is looking at another notice
    assert window.controller.notice_id == notice_id
    count = len(ledger.notices())
    messages.chooser = answers = Answers(answer)

    dialog = open_dialog(qtbot, window, corpus_dir / LEZHI)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)

    assert len(answers.asked) == 1
    title, text, options = answers.asked[0]
    assert options == ["打开已有", "作为新版本导入", "取消"]
    assert "乐至县人民政府办公室关于印发2023年全县政务公开工作要点任务分解表的通知" in text
    assert "乐府办发〔2023〕15号" in text
    if answer == "打开已有":  # nothing stored, the window shows the notice it already holds
        assert len(ledger.notices()) == count and not dialog.isVisible()
        assert window.notice_list.current_id() == first == window.controller.notice_id
        assert dialog.notice_id is None
    elif answer == "作为新版本导入":
        assert len(ledger.notices()) == count + 1 and not dialog.isVisible()
        assert dialog.notice_id not in (None, first)
        assert window.notice_list.current_id() == dialog.notice_id
    else:  # 取消: back to the review, nothing stored
        assert len(ledger.notices()) == count and dialog.isVisible() and dialog.pages.currentIndex() == 1
        assert window.controller.notice_id == notice_id
        messages.chooser = Answers()
        dialog.reject()  # nothing was changed: closes without a question
        assert not dialog.isVisible()


def test_the_same_doc_number_typed_differently_is_found_too(qtbot, make_window, ledger, messages, corpus_dir):
    """Another file of the same notice (different bytes): the 文号 gives it away."""
    existing = ledger.create_notice("乐至县2023年政务公开要点（早先手工录入）", doc_number="乐府办发[2023]15号",
                                    year=2023)
    window = make_window()
    messages.chooser = answers = Answers("打开已有")
    dialog = open_dialog(qtbot, window, corpus_dir / LEZHI)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert len(answers.asked) == 1 and "早先手工录入" in answers.asked[0][1]
    assert [n.id for n in ledger.notices()] == [existing]
    assert window.notice_list.current_id() == existing


def test_a_notice_with_no_printed_year_waits_for_the_clerks_year(qtbot, make_window, ledger, messages, corpus_dir):
    window = make_window()
    dialog = open_dialog(qtbot, window, corpus_dir / NO_YEAR)
    assert dialog.parsed.year is None
    box = dialog.year_edit
    assert box.year() is None and box.text() == "请填写"
    assert "没有写明年度" in box.toolTip() and "border" in box.styleSheet()  # marked for the clerk
    assert str(dt.date.today().year) not in box.text()

    # 接受并保存 refuses, saying why, and stores nothing
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and ledger.notices() == []
    level, title, text = messages.log[-1]
    assert level == "warning" and "年度" in text and "不会自动按今年" in text
    assert QApplication.focusWidget() is box.lineEdit() or QApplication.focusWidget() is box

    # 保存 from the close question goes the same way: refused, the window stays with the table
    retitle_first_row(qtbot, dialog, "核对后的任务")
    messages.chooser = answers = Answers("保存")
    assert not dialog.close()
    assert len(answers.asked) == 1 and dialog.isVisible() and ledger.notices() == []

    # the clerk types the year: the mark goes away and the notice is filed under that year
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "2019")
    assert box.year() == 2019 and box.toolTip() == "" and box.styleSheet() == ""
    dialog.title_edit.setFocus()  # 106 prints no title either
    type_text(dialog.title_edit, "池州市信访局政务公开重点任务")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = ledger.notice(dialog.notice_id)
    assert stored.year == 2019 and stored.title == "池州市信访局政务公开重点任务"
    assert "核对后的任务" in stored_titles(ledger, dialog.notice_id)


def test_an_arrow_key_on_an_empty_year_starts_at_this_year(qtbot, make_window, corpus_dir, messages):
    window = make_window()
    dialog = open_dialog(qtbot, window, corpus_dir / NO_YEAR)
    box = dialog.year_edit
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)  # the clerk's own choice, not a silent default
    assert box.year() == dt.date.today().year and box.toolTip() == ""
    messages.chooser = Answers("放弃")  # the year was changed: closing asks
    assert dialog.close()
