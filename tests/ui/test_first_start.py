"""Small frictions of issue 16: import comes first on an empty ledger, the toolbar keeps still while the undo
step changes, the search field's placeholder is whole, the annual report's buttons speak plainly."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QToolButton

from desktop.ui.task_controller import HINT_EMPTY_LEDGER
from desktop.ui.task_view import HINT_NO_NOTICE


def toolbar_button(window, action) -> QToolButton:
    toolbar = window.findChild(QToolBar, "mainToolbar")
    button = toolbar.widgetForAction(action)
    assert isinstance(button, QToolButton)
    return button


def test_first_start_points_at_import(make_window, ledger, qtbot, monkeypatch):
    assert ledger.notices() == []
    w = make_window()
    toolbar = w.findChild(QToolBar, "mainToolbar")
    first = toolbar.actions()[0]
    assert first is w.import_action and first.iconText() == "导入通知" and first.isEnabled()
    assert not toolbar_button(w, first).icon().isNull()
    file_menu = next(m for m in w.findChildren(QMenu) if m.title() == "文件(&F)")
    assert file_menu.actions()[0] is w.import_action
    # the empty table says to import, and where the button is; not 新建通知
    assert w.view.hint == HINT_EMPTY_LEDGER
    assert "导入通知" in w.view.hint and "Ctrl+O" in w.view.hint and "新建" not in w.view.hint
    # the first toolbar button opens the import window
    opened = []
    monkeypatch.setattr(w, "import_notice", lambda path=None: opened.append(path))
    toolbar_button(w, first).click()
    assert opened == [None]


def test_hint_once_the_ledger_has_notices(make_window, ledger, notice_id, qtbot):
    w = make_window()
    w.controller.set_notice(None)
    assert w.view.hint == HINT_NO_NOTICE  # notices exist: choose one


def test_the_toolbar_keeps_still_as_the_undo_step_changes(make_window, notice_id, qtbot):
    w = make_window()
    undo, redo = w.actions.undo, w.actions.redo
    widths = {a: toolbar_button(w, a).sizeHint().width() for a in (undo, redo)}
    positions = [toolbar_button(w, a).x() for a in w.findChild(QToolBar, "mainToolbar").actions()
                 if toolbar_button_or_none(w, a) is not None]
    rows = w.model.rows()
    w.view.select_ids([rows[2].id], rows[2].id)
    w.actions.insert_sibling.trigger()
    qtbot.waitUntil(undo.isEnabled)
    assert undo.text().startswith("撤销 ") and len(undo.text()) > 3  # the 编辑 menu names the step
    assert toolbar_button(w, undo).text() == "撤销"
    assert "撤销：" in undo.toolTip() and "Ctrl+Z" in undo.toolTip()
    undo.trigger()
    qtbot.waitUntil(redo.isEnabled)
    assert toolbar_button(w, redo).text() == "重做" and "重做：" in redo.toolTip()
    QApplication.processEvents()
    assert {a: toolbar_button(w, a).sizeHint().width() for a in (undo, redo)} == widths
    assert [toolbar_button(w, a).x() for a in w.findChild(QToolBar, "mainToolbar").actions()
            if toolbar_button_or_none(w, a) is not None] == positions


def toolbar_button_or_none(window, action):
    widget = window.findChild(QToolBar, "mainToolbar").widgetForAction(action)
    return widget if isinstance(widget, QToolButton) and widget.isVisible() else None


def test_the_search_placeholder_is_never_cut(qtbot, make_window, notice_id):
    from desktop.ui.filter_bar import SEARCH_PLACEHOLDERS, FilterBar
    from desktop.ui.unit_picker import UnitDirectory

    bar = FilterBar(UnitDirectory())
    qtbot.addWidget(bar)
    bar.resize(1000, 40)
    bar.show()
    edit = bar.text_edit
    fm = edit.fontMetrics()
    assert "Ctrl+F" in edit.toolTip() and "Esc" in edit.toolTip()
    shown = []
    for width in (600, 420, 300, 240, 180, 120):
        edit.resize(width, edit.height())
        assert fm.horizontalAdvance(edit.placeholderText()) <= edit.text_room() or \
            edit.placeholderText() == SEARCH_PLACEHOLDERS[-1]
        shown.append(edit.placeholderText())
    assert shown[0] == SEARCH_PLACEHOLDERS[0] and shown[-1] != SEARCH_PLACEHOLDERS[0]
    # the main window on a 1366 px screen: the whole placeholder, at no cost to the window's minimum width
    w = make_window()
    w.resize(1366, 700)
    qtbot.waitUntil(lambda: w.width() == 1366)
    assert w.filter_bar.text_edit.placeholderText() == SEARCH_PLACEHOLDERS[0]
    assert w.filter_bar.text_edit.minimumWidth() == 0


def test_annual_report_buttons_speak_plainly(qtbot, ledger, messages, tmp_path):
    from desktop.ui.annual_report_window import AnnualReportWindow

    window = AnnualReportWindow(tmp_path / "data", ledger, year=2024, messages=messages)
    qtbot.addWidget(window)
    texts = [window.import_button.text(), window.save_button.text()]
    assert texts == ["打开已存的报告数据…", "另存报告数据…"]
    assert not any("JSON" in t for t in texts + [window.import_button.toolTip(), window.save_button.toolTip()])
    # the behaviour is kept: save the data as a file, open it again
    window.organ_edit.setText("某某镇人民政府")
    out = tmp_path / "报告数据.json"
    window.ask_save_path = lambda fmt, suggested: out
    assert window.save_button.click() is None and out.is_file()
    window.organ_edit.setText("")
    window.ask_open_path = lambda: out
    window.confirm = lambda title, text: True
    window.import_button.click()
    assert window.organ_edit.text() == "某某镇人民政府"
