"""到期提醒 and 完成情况统计 on a ledger with fixed dates: the digest window's content and start-up behaviour,
jumping to a task, the statistics view against ``Ledger.stats``, and its .xlsx / .csv export."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain import DeadlineKind, Status, UnitCategory
from desktop.settings import DIGEST_HIDE_ON_START, Settings
from desktop.storage.ledger import Ledger
from desktop.ui.digest_dialog import DigestDialog
from desktop.ui.stats_view import COL_TOTAL, EXPORT_HEADERS, StatsDialog, segments

TODAY = dt.date(2024, 7, 15)
FORMULA_UNIT = '=HYPERLINK("http://x","点我")'


def task(title, due, lead=(), units=(), **kw):
    return {"title": title, "text": f"{title}的具体内容", "lead_units": list(lead), "units": list(units),
            "deadline_text": f"{due.month}月{due.day}日前" if due else "", "due_date": due,
            "deadline_kind": DeadlineKind.DATE if due else DeadlineKind.NONE, **kw}


@pytest.fixture
def dated(ledger: Ledger) -> dict[str, int]:
    """Two notices of 2024: overdue, due today / within the week, later, done, unit-less, collective."""
    ledger.add_unit("县财政局", category=UnitCategory.COUNTY_DEPT)
    ledger.add_unit("县发展和改革局", short_name="县发改局", category=UnitCategory.COUNTY_DEPT)
    ledger.add_unit("各乡镇人民政府", category=UnitCategory.TOWNSHIP, collective=True)
    ledger.add_unit("城关镇", category=UnitCategory.TOWNSHIP)
    ledger.add_unit("河口乡", category=UnitCategory.TOWNSHIP)
    a = ledger.create_notice_with_tasks({"title": "关于做好2024年重点工作的通知", "date": dt.date(2024, 3, 1)}, [
        task("报送方案", dt.date(2024, 7, 1), ["县财政局"]),
        task("开展培训", dt.date(2024, 7, 18), ["县财政局"], ["各乡镇人民政府"]),
        task("督查通报", dt.date(2024, 7, 15), ["县发展和改革局", "县财政局"]),
        task("年底总结", dt.date(2024, 12, 31), ["县发展和改革局"]),
        task("已办完", dt.date(2024, 7, 1), ["县财政局"], status=Status.DONE, done_on=dt.date(2024, 6, 28)),
        task("无主事项", dt.date(2024, 7, 20)),
    ])
    b = ledger.create_notice_with_tasks({"title": "关于开展防汛检查的通知", "date": dt.date(2024, 5, 1)}, [
        task("防汛检查", dt.date(2024, 7, 10), [FORMULA_UNIT], ["各乡镇人民政府"]),
    ])
    ids = {r.title: r.id for nid in (a, b) for r in ledger.tasks(nid)}
    return {"a": a, "b": b, **ids}


def test_digest_dialog_groups_by_unit_as_the_ledger_digest(qtbot, ledger, dated, tmp_path):
    settings = Settings(tmp_path / "d.ini")
    dlg = DigestDialog(ledger, settings, today=lambda: TODAY)
    qtbot.addWidget(dlg)
    digest = dlg.refresh()
    expected = ledger.digest(TODAY)
    assert (len(digest.overdue), len(digest.due_soon)) == (2, 3) == (len(expected.overdue), len(expected.due_soon))
    groups = [dlg.tree.topLevelItem(i) for i in range(dlg.tree.topLevelItemCount())]
    assert dlg.units() == [u for u, _o, _s in expected.by_unit()]
    assert dlg.units() == ["县财政局", FORMULA_UNIT, "县发展和改革局", "（未明确单位）"]
    finance = groups[0]
    assert finance.text(0) == "县财政局（逾期 1 项，将到期 2 项）"
    # each line: notice (short name) › task, its units, due date and days
    assert [tuple(finance.child(i).text(c) for c in range(4)) for i in range(finance.childCount())] == [
        ("做好2024年重点工作 › 一、报送方案", "县财政局", "2024-07-01", "逾期 14 天"),
        ("做好2024年重点工作 › 三、督查通报", "县发展和改革局、县财政局", "2024-07-15", "今天到期"),
        ("做好2024年重点工作 › 二、开展培训", "县财政局", "2024-07-18", "3 天后到期")]
    assert "关于做好2024年重点工作的通知" in finance.child(0).toolTip(0)
    assert "已逾期 2 项，7 天内到期 3 项" in dlg.summary.text()
    assert "已办完" not in dlg.as_text() and "【县财政局】" in dlg.as_text()
    # double-click → jump request with (notice, task)
    with qtbot.waitSignal(dlg.jump_requested) as blocker:
        dlg.tree.itemDoubleClicked.emit(finance.child(0), 0)
    assert blocker.args == [dated["a"], dated["报送方案"]]
    dlg.hide_check.setChecked(True)
    assert Settings(tmp_path / "d.ini").get(DIGEST_HIDE_ON_START) is True


def test_start_shows_one_digest_window_and_the_status_bar_count(qtbot, make_window, ledger, dated):
    w = make_window(today=TODAY)
    assert w.tracking.digest_dialog is None
    w.tracking.start()
    dlg = w.tracking.digest_dialog
    assert dlg is not None and dlg.isVisible()
    assert w.tracking.due_button.text() == "逾期 2 · 7 天内到期 3"
    w.tracking.start()  # once only
    assert w.tracking.digest_dialog is dlg
    # jump from the digest to the task in the other notice
    item = next(i for i in dlg.task_items() if "防汛检查" in i.text(0))
    dlg.tree.itemDoubleClicked.emit(item, 0)
    assert w.controller.notice_id == dated["b"] and w.view.current_id() == dated["防汛检查"]
    # a filter hiding the task is cleared on a jump
    w.filter_bar.text_edit.setText("没有这个词")
    item = next(i for i in dlg.task_items() if "报送方案" in i.text(0))
    dlg.tree.itemDoubleClicked.emit(item, 0)
    assert w.view.current_id() == dated["报送方案"] and w.filter_bar.text_edit.text() == ""
    # the count follows edits (debounced)
    w.controller.edit_cell(dated["报送方案"], "status", Status.DONE)
    qtbot.waitUntil(lambda: w.tracking.due_button.text() == "逾期 1 · 7 天内到期 3", timeout=3000)
    # the status-bar count and 查看 → 到期提醒 open the same window
    dlg.close()
    w.tracking.due_button.click()
    assert w.tracking.digest_dialog is dlg and dlg.isVisible()
    assert w.tracking.digest_action.text() == "到期提醒"


def test_start_respects_hide_on_start_and_nothing_due(qtbot, make_window, ledger, dated, tmp_path):
    Settings(tmp_path / "ui.ini").set(DIGEST_HIDE_ON_START, True)
    w = make_window(today=TODAY)
    w.tracking.start()
    assert w.tracking.digest_dialog is None and w.tracking.due_button.text() == "逾期 2 · 7 天内到期 3"
    w2 = make_window(today=dt.date(2024, 1, 10))
    Settings(tmp_path / "ui.ini").set(DIGEST_HIDE_ON_START, False)  # another writer: the window's store sees it
    w2.tracking.start()
    assert w2.tracking.digest_dialog is None  # nothing due on Jan 10
    assert w2.tracking.due_button.text() == "无逾期或近期到期任务"


def test_start_up_digest_needs_no_sqlalchemy(qtbot, make_window, ledger, dated):
    data_dir = ledger.data_dir
    with Ledger(data_dir=data_dir) as quick:
        assert quick._sql is None  # an up-to-date file: the start-up reader
        w = make_window(quick, today=TODAY)
        w.tracking.start()
        assert w.tracking.digest_dialog.isVisible()
        assert quick._sql is None, "the window or the start-up digest needed SQLAlchemy"
        w.close()


def _as_json(stats):
    return sorted((s.as_json() for s in stats), key=lambda d: (d["unit"], d["role"]))


def test_stats_view_numbers_equal_ledger_stats(qtbot, ledger, dated, messages):
    dlg = StatsDialog(ledger, messages, today=lambda: TODAY, notice_id=dated["a"])
    qtbot.addWidget(dlg)
    assert _as_json(dlg.model.stats()) == _as_json(ledger.stats(TODAY, notice_id=dated["a"]))
    rows = {(r[0], r[1]): r[2:] for r in dlg.shown_rows()}
    assert rows["县财政局", "牵头"] == (4, 1, 3, 1, 1)  # total, done, open, overdue, done on time
    dlg.set_scope("year", 2024)
    assert _as_json(dlg.model.stats()) == _as_json(ledger.stats(TODAY, year=2024))
    dlg.expand_check.setChecked(True)
    expanded = ledger.stats(TODAY, year=2024, expand_collective=True)
    assert _as_json(dlg.model.stats()) == _as_json(expanded)
    assert {"城关镇", "河口乡"} <= {s.unit for s in dlg.model.stats()}
    dlg.set_scope("all")
    assert _as_json(dlg.model.stats()) == _as_json(ledger.stats(TODAY, expand_collective=True))
    # directory order, lead before responsible; the clerk may sort a column and go back
    units = [r[0] for r in dlg.shown_rows()]
    assert units[:2] == ["县财政局", "县发展和改革局"]
    dlg.table.sortByColumn(COL_TOTAL, Qt.SortOrder.AscendingOrder)
    totals = [r[2] for r in dlg.shown_rows()]
    assert totals == sorted(totals)
    dlg.directory_order()
    assert [r[0] for r in dlg.shown_rows()][:2] == ["县财政局", "县发展和改革局"]
    dlg.role_combo.setCurrentIndex(1)  # 只看牵头单位
    assert {r[1] for r in dlg.shown_rows()} == {"牵头"}
    # the bars paint; segments add up to the total
    assert not dlg.table.viewport().grab().isNull()
    for s in dlg.model.stats():
        assert sum(n for n, _c in segments(s)) == s.total


def test_stats_export_xlsx_and_csv_text_stays_text(qtbot, ledger, dated, messages, tmp_path):
    from openpyxl import load_workbook

    dlg = StatsDialog(ledger, messages, today=lambda: TODAY)
    qtbot.addWidget(dlg)
    dlg.set_scope("notice", dated["b"])
    assert dlg.export(tmp_path / "统计.xlsx")
    ws = load_workbook(tmp_path / "统计.xlsx").active
    assert "完成情况统计" in ws["A1"].value and "2024-07-15" in ws["A1"].value
    assert [c.value for c in ws[3]] == list(EXPORT_HEADERS)
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert body == [list(r) for r in dlg.shown_rows()]
    formula_row = next(row for row in ws.iter_rows(min_row=4) if row[0].value == FORMULA_UNIT)
    assert formula_row[0].data_type == "s" and isinstance(formula_row[2].value, int)
    assert dlg.export(tmp_path / "统计.csv")
    with open(tmp_path / "统计.csv", encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == list(EXPORT_HEADERS)
    assert ["'" + FORMULA_UNIT, "牵头", "1", "0", "1", "1", "0"] in lines
    # a folder that cannot be written: a message, no exception
    assert not dlg.export(Path(tmp_path / "没有这个文件夹" / "x.xlsx"))
    assert messages.log[-1][0] == "error" and "导出失败" in messages.log[-1][2]


def test_window_menu_opens_the_stats_for_the_current_notice(qtbot, make_window, ledger, dated):
    w = make_window(today=TODAY)
    w.notice_list.select(dated["b"])
    dlg = w.tracking.show_stats()
    assert dlg.scope_combo.currentData() == ("notice", dated["b"])
    from PySide6.QtWidgets import QMenu

    view_menu = next(m for m in w.menuBar().findChildren(QMenu) if m.title().startswith("查看"))
    assert w.tracking.stats_action in view_menu.actions() and w.tracking.digest_action in view_menu.actions()
