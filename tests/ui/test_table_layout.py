"""The task table read at a glance on a township PC (issue 16): the 113-row provincial notice in the main
window at 1366×768 with a taskbar — 序号 never wraps or shows "…", 具体内容 gets the spare width, rows stay
short enough that a screenful holds at least 8 of them, unit lists wrap into the room a row has; columns
empty for the whole notice are hidden and the header menu shows them again, remembered with the widths
in a new window; the detail panel's 任务名称 and unit fields show their whole text; 到期提醒 says
notice › section › task for each line.

Real widgets, real SQLite ledgers in tmp_path; the offscreen screen is made to answer 1366×768 less a
40-px taskbar (``QScreen`` patched), and the window is sized to what a window of that screen gets.
"""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QByteArray, QEvent, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QScreen
from PySide6.QtWidgets import QApplication, QHeaderView, QStyleOptionViewItem, QToolTip

from desktop.settings import TASK_COLUMNS, Settings
from desktop.storage.ledger import Ledger
from desktop.ui.digest_dialog import SEP, DigestDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.task_delegates import text_margin
from desktop.ui.task_model import (
    COL_DEADLINE,
    COL_LEAD,
    COL_NUMBER,
    COL_PROGRESS,
    COL_STATUS,
    COL_TEXT,
    COL_TITLE,
    COL_UNITS,
    HEADERS,
    TaskTreeModel,
)

from .big_notice import DOC_NUMBER, TITLE, make_big_notice

SCREEN = QRect(0, 0, 1366, 768)
TASKBAR = 40
FRAME = QSize(16, 40)  # a window manager's borders and title bar (Windows 10/11 at 100 %)
LEZHI = "乐至县人民政府办公室关于印发2023年县政府重点工作任务分解方案的通知"


@pytest.fixture
def township_screen(qapp, monkeypatch):
    """The screen of a 1366×768 laptop with a taskbar; the app's own UI font (as desktop.app sets it)."""
    from desktop.ui.app_fonts import choose_ui_font, register_bundled_fonts

    available = SCREEN.adjusted(0, 0, 0, -TASKBAR)
    monkeypatch.setattr(QScreen, "geometry", lambda self: QRect(SCREEN))
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(available))
    font = QApplication.font()
    QApplication.setFont(choose_ui_font(register_bundled_fonts()))
    yield available
    QApplication.setFont(font)


@pytest.fixture
def big(ledger: Ledger) -> int:
    return make_big_notice(ledger)


def open_window(qtbot, ledger, messages, settings_path, available: QRect) -> MainWindow:
    w = MainWindow(ledger, settings=settings_path, messages=messages)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(20)  # the window's own placement after it shows
    w.resize(available.size() - FRAME)  # as big as a window gets on that screen
    qtbot.waitUntil(lambda: w.view.viewport().width() > 600 and w.view.header().sectionSize(COL_TEXT) > 0)
    qtbot.wait(20)
    return w


def rows_in_order(view):
    """Every shown index of column 0, top to bottom (the tree is expanded)."""
    out = []
    ix = view.model().index(0, 0)
    while ix.isValid():
        out.append(ix)
        ix = view.indexBelow(ix)
    return out


def depth(ix) -> int:
    d = 1
    p = ix.parent()
    while p.isValid():
        d, p = d + 1, p.parent()
    return d


def fully_visible(view) -> int:
    height = view.viewport().height()
    return sum(1 for ix in rows_in_order(view)
               if view.visualRect(ix).top() >= 0 and view.visualRect(ix).bottom() < height)


def shown_text(view, ix) -> str:
    """The text the cell's delegate paints (what the clerk sees, "…" included)."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(ix)
    view.itemDelegateForIndex(ix).initStyleOption(option, ix)
    return option.text


def test_big_notice_at_1366x768_reads_at_a_glance(qtbot, township_screen, ledger, big, messages, tmp_path):
    w = open_window(qtbot, ledger, messages, tmp_path / "ui.ini", township_screen)
    view, header = w.view, w.view.header()
    assert w.controller.notice_id == big and len(w.model.rows()) == 113
    rows = rows_in_order(view)
    assert len(rows) == 113  # all expanded
    numbers = {ix.data() for ix in rows}
    assert {"（十一）", "（1）", "四、"} <= numbers

    # 序号: as wide as its widest number with that row's indentation — no row wraps or shows "…"
    fm = QFontMetrics(view.font())
    margin = text_margin(view)
    for ix in rows:
        need = fm.horizontalAdvance(ix.data()) + 2 * margin
        assert view.visualRect(ix).width() >= need, f"序号 {ix.data()} cut: {view.visualRect(ix).width()} < {need}"
        assert header.sectionSize(COL_NUMBER) - view.indentation() * depth(ix) >= need
        assert shown_text(view, ix) == ix.data()

    # 具体内容 gets the spare width: at least 40 % of the table
    viewport = view.viewport().width()
    assert header.sectionSize(COL_TEXT) >= 0.4 * viewport, \
        f"具体内容 {header.sectionSize(COL_TEXT)} px of {viewport}"
    shown = [c for c in range(len(HEADERS)) if not view.isColumnHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) <= viewport  # no sideways scrolling
    assert shown == [COL_NUMBER, COL_TITLE, COL_TEXT, COL_UNITS, COL_DEADLINE, COL_STATUS]  # 牵头 empty

    # readable rows: at least 8 in any screenful, from the top to the bottom of the table
    view.scrollToTop()
    qtbot.wait(10)
    assert fully_visible(view) >= 8
    bar = view.verticalScrollBar()
    fewest = 113
    for value in range(bar.minimum(), bar.maximum() + 1):
        bar.setValue(value)
        fewest = min(fewest, fully_visible(view))
    assert fewest >= 8, f"only {fewest} rows in some screenful"

    # long 具体内容 clipped with "…", the whole text a hover away; the detail panel shows it all
    view.scrollToTop()
    leaf = next(ix for ix in rows if not view.model().hasChildren(ix))
    text_ix = leaf.siblingAtColumn(COL_TEXT)
    full = text_ix.data()
    assert shown_text(view, text_ix).endswith("…") and len(shown_text(view, text_ix)) < len(full)
    assert text_ix.data(Qt.ItemDataRole.ToolTipRole) == full
    view.select_ids([w.model.task_id(leaf)])
    assert w.panel.text_edit.toPlainText() == full

    # 责任单位 wraps: a list longer than the column shows whole on several lines, and ends in "…"
    # only where the row is at its line limit
    line = QFontMetrics(view.font()).lineSpacing()
    wrapped = 0
    for ix in rows:
        units = ix.siblingAtColumn(COL_UNITS)
        if not units.data():
            continue
        rect = view.visualRect(units)
        if shown_text(view, units) == units.data():
            wrapped += fm.horizontalAdvance(units.data()) > rect.width()
        else:
            assert rect.height() >= view.max_lines * line, f"{units.data()} cut in a row of {rect.height()} px"
    assert wrapped >= 10
    # a cut list is a hover away: the tooltip gives all of it
    units = next(ix.siblingAtColumn(COL_UNITS) for ix in rows
                 if ix.siblingAtColumn(COL_UNITS).data()
                 and shown_text(view, ix.siblingAtColumn(COL_UNITS)) != ix.siblingAtColumn(COL_UNITS).data())
    view.scrollTo(units)
    qtbot.wait(10)
    center = view.visualRect(units).center()
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, center, view.viewport().mapToGlobal(center)))
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == units.data())
    QToolTip.hideText()


def test_empty_columns_hidden_and_the_header_menu_remembered(qtbot, township_screen, ledger, big, notice_id,
                                                           messages, tmp_path):
    ini = tmp_path / "ui.ini"
    w = open_window(qtbot, ledger, messages, ini, township_screen)
    w.notice_list.select(big)
    view = w.view
    assert view.isColumnHidden(COL_LEAD) and view.isColumnHidden(COL_PROGRESS)  # empty / hidden by default
    # another notice that names lead units shows the column, back to the big one hides it
    w.notice_list.select(notice_id)
    assert w.controller.notice_id == notice_id and not view.isColumnHidden(COL_LEAD)
    w.notice_list.select(big)
    assert view.isColumnHidden(COL_LEAD)

    menu = view.column_menu()
    entries = {a.data(): a for a in menu.actions() if a.isCheckable()}
    assert set(entries) == set(range(len(HEADERS))) - {COL_NUMBER, COL_TEXT}
    assert entries[COL_LEAD].text() == "牵头单位（本通知中为空）" and not entries[COL_LEAD].isChecked()
    entries[COL_LEAD].setChecked(True)  # the clerk wants it, empty or not
    entries[COL_STATUS].setChecked(False)
    assert not view.isColumnHidden(COL_LEAD) and view.isColumnHidden(COL_STATUS)
    view.header().resizeSection(COL_UNITS, 201)  # dragged by the clerk
    assert view.header().sectionSize(COL_TEXT) >= 0.4 * view.viewport().width() - 60
    w.close()

    # a new window (the next start) keeps all three
    w2 = open_window(qtbot, ledger, messages, ini, township_screen)
    assert w2.controller.notice_id == big
    assert not w2.view.isColumnHidden(COL_LEAD) and w2.view.isColumnHidden(COL_STATUS)
    assert w2.view.header().sectionSize(COL_UNITS) == 201
    # 恢复默认列 forgets them
    next(a for a in w2.view.column_menu().actions() if a.text() == "恢复默认列").trigger()
    assert w2.view.isColumnHidden(COL_LEAD) and not w2.view.isColumnHidden(COL_STATUS)
    assert w2.view.header().sectionSize(COL_UNITS) != 201
    assert Settings(ini).get(TASK_COLUMNS) == {"shown": [], "hidden": [], "widths": {}}


def test_columns_hidden_in_a_header_saved_by_the_previous_version_stay_hidden(qtbot, township_screen, ledger,
                                                                             big, messages, tmp_path):
    old = QHeaderView(Qt.Orientation.Horizontal)
    model = TaskTreeModel()
    old.setModel(model)
    old.hideSection(COL_STATUS)  # the clerk had hidden 状态 and shown 落实情况
    old.resizeSection(COL_TITLE, 150)  # the old default width, not the clerk's
    ini = tmp_path / "ui.ini"
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    settings.setValue("taskView/header2", QByteArray(old.saveState()))
    settings.sync()
    w = open_window(qtbot, ledger, messages, ini, township_screen)
    view = w.view
    assert view.isColumnHidden(COL_STATUS) and not view.isColumnHidden(COL_PROGRESS)
    assert view.isColumnHidden(COL_LEAD)  # empty in this notice
    assert COL_TITLE not in view.user_widths


def test_a_new_notice_keeps_its_columns_while_the_clerk_types(qtbot, make_window, ledger, big):
    w = make_window()
    nid = ledger.create_notice("关于开展安全生产大检查的通知")
    w.notice_list.reload(select_id=nid)
    w.controller.set_notice(nid)
    w.controller.insert_sibling()
    w.controller.insert_sibling()
    w.controller.insert_sibling()  # three blank tasks: nothing typed yet is not "empty for the notice"
    assert len(ledger.tasks(nid)) == 3
    for col in (COL_TITLE, COL_LEAD, COL_UNITS, COL_DEADLINE):
        assert not w.view.isColumnHidden(col), HEADERS[col]


def test_detail_panel_shows_the_whole_name_and_unit_list(qtbot, make_window, ledger, big):
    w = make_window()
    w.resize(1200, 700)
    rows = ledger.tasks(big)
    leaf = max((r for r in rows if not r.child_count), key=lambda r: len("、".join(r.units)))
    w.view.select_ids([leaf.id])
    panel = w.panel
    units = panel.units_edit
    assert units.text() == "、".join(leaf.units) and units.names() == leaf.units
    qtbot.waitUntil(lambda: units.verticalScrollBar().maximum() == 0)  # all of it in sight, not its end
    assert units.height() > 2 * units.fontMetrics().lineSpacing()  # on several lines
    # a long 任务名称 wraps the same way; Enter stores it, never a line break
    name = "进一步优化营商环境推动民营经济高质量发展三年行动方案的分解落实和督查考核"
    panel.title_edit.setFocus()
    panel.title_edit.setText(name)
    qtbot.keyClick(panel.title_edit, Qt.Key.Key_Return)
    assert ledger.task(leaf.id).title == name
    assert panel.title_edit.toPlainText() == name
    qtbot.waitUntil(lambda: panel.title_edit.verticalScrollBar().maximum() == 0)
    assert panel.title_edit.height() > 2 * panel.title_edit.fontMetrics().lineSpacing()
    # typing a unit completes from the directory, Enter takes it, leaving the field stores the list
    units.setFocus()
    cursor = units.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    units.setTextCursor(cursor)
    from .test_edit_session import type_text

    type_text(units, "、省教")
    popup = units.unit_completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert units.names() == leaf.units + ["省教育厅"]
    w.view.setFocus()
    assert ledger.task(leaf.id).units == leaf.units + ["省教育厅"]
    # a column of names pasted from a spreadsheet: one name each, never a line break in the field
    panel.lead_edit.setFocus()
    panel.lead_edit.insertPlainText("省财政厅\n省教育厅\n")
    assert "\n" not in panel.lead_edit.text() and panel.lead_edit.names() == ["省财政厅", "省教育厅"]
    w.view.setFocus()
    assert ledger.task(leaf.id).lead_units == ["省财政厅", "省教育厅"]


def test_digest_lines_say_notice_section_task(qtbot, township_screen, ledger, tmp_path):
    provincial = make_big_notice(ledger)
    county = make_big_notice(ledger, title=LEZHI, doc_number=None, year=2023)
    settings = Settings(tmp_path / "d.ini")
    dlg = DigestDialog(ledger, settings, today=lambda: dt.date(2024, 6, 25))
    qtbot.addWidget(dlg)
    dlg.show()
    digest = dlg.refresh()
    assert digest is not None and digest.due_soon
    items = dlg.task_items()
    by_notice: dict[int, list[str]] = {}
    for node in items:
        notice_id, _task = node.data(0, Qt.ItemDataRole.UserRole + 1)
        by_notice.setdefault(notice_id, []).append(node.text(0))
    assert set(by_notice) == {provincial, county}
    # e.g. 川办发〔2024〕12号 › 一、着力扩大有效需求 › （二）培育壮大新型消费 › 1.以市场化法治化手段推动…
    first = next(t for t in by_notice[provincial] if "（二）培育壮大新型消费" in t)
    notice, section, parent, task = first.split(SEP)
    assert (notice, section, parent) == (DOC_NUMBER, "一、着力扩大有效需求", "（二）培育壮大新型消费")
    assert task.startswith("1.") and len(task) > 10
    # the county notice has no 文号: its year and the distinctive part of its title, not a common cut
    county_names = {t.split(SEP)[0] for t in by_notice[county]}
    assert county_names == {"2023年县政府重点工作任务分解方案"}
    assert not any(t.startswith("乐至县人民政府办公室") for t in by_notice[county])
    assert by_notice[county][0] != by_notice[provincial][0]
    # grouped by unit as before; each line has its units, due date and days
    assert dlg.units() == [u for u, _o, _s in digest.by_unit()]
    node = items[0]
    assert node.text(2) == "2024-06-30" and node.text(3) == "5 天后到期" and node.text(1)
    assert TITLE in node.toolTip(0) or LEZHI in node.toolTip(0)
    # the copied text says the same
    assert first in dlg.as_text()
    # a screenful of the list: the lines wrap (two lines at most) instead of cutting the task off
    tree = dlg.tree
    row = tree.visualItemRect(items[0])
    assert tree.fontMetrics().lineSpacing() * 2 <= row.height() <= tree.fontMetrics().lineSpacing() * 2 + 12
    assert tree.indexAt(QPoint(5, row.center().y())).isValid()
