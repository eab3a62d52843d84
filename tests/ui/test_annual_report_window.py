"""The annual report window under qtbot: edit a cell → totals and checks update; draft from the ledger;
stored in the ledger; reopen → the same; jump from a problem to its cell; export with the problems listed
first; an earlier NoticeDesk's annual-reports/YEAR.json taken in; two windows saving the same year."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt

from desktop.annual import store
from desktop.annual.model import AnnualReport
from desktop.domain import Status
from desktop.storage.ledger import Ledger
from desktop.ui.annual_report_window import LATER, OVERWRITE, RELOAD, AnnualReportWindow


@pytest.fixture
def make(qtbot, messages, tmp_path, ledger):
    def build(led=None, year=2024) -> AnnualReportWindow:
        w = AnnualReportWindow(tmp_path / "data", led or ledger, year=year, messages=messages)
        qtbot.addWidget(w)
        w.show()
        return w

    return build


def test_grids_have_the_official_labels_and_read_only_shaded_totals(make):
    w = make()
    t3 = w.grids["T3"]
    assert t3.rowCount() == 28 and t3.columnCount() == 10
    assert t3.item(0, 0).text().startswith("（本列数据的勾稽关系为")
    assert (t3.rowSpan(0, 0), t3.columnSpan(0, 0)) == (3, 3)
    assert t3.item(5, 0).text() == "三、本年度办理结果" and t3.rowSpan(5, 0) == 22
    assert not t3.is_editable("total_processed", "legal") and not t3.is_editable("granted", "total")
    assert t3.is_editable("granted", "legal")
    assert t3.item_at_key("granted", "total").background().color().name() != "#000000"
    t4 = w.grids["T4"]
    assert t4.item(1, 5).text() == "未经复议直接起诉" and t4.columnSpan(1, 5) == 5


def test_edit_cell_updates_totals_checks_and_saves(make, qtbot, ledger):
    w = make()
    w.set_cell("T3", "new_received", "natural_person", "5")
    grid = w.grids["T3"]
    assert grid.item_at_key("new_received", "total").text() == "5"
    assert any(p.kind == "balance" and p.cell == ("T3", "total_processed", "natural_person") for p in w.problems)
    w.set_cell("T3", "granted", "natural_person", "5")
    assert grid.item_at_key("total_processed", "natural_person").text() == "5"
    assert grid.item_at_key("total_processed", "total").text() == "5"
    assert not any(p.kind == "balance" for p in w.problems)
    w.set_cell("T3", "granted", "commercial", "abc")  # refused, the cell is cleared again
    assert grid.item_at_key("granted", "commercial").text() == ""
    assert "不是数字" in w.messages.log[-1][2]
    w.set_cell("T2", "rules", "issued", "-1")
    assert any(p.kind == "value" and p.cell == ("T2", "rules", "issued") for p in w.problems)
    qtbot.waitUntil(lambda: ledger.annual_years() == [2024], timeout=3000)  # stored on its own after a moment
    stored = ledger.annual_report(2024)
    assert stored.report.get("T3", "granted", "natural_person") == 5 and stored.version == w.version
    assert not (ledger.data_dir / store.FOLDER).exists()  # no per-year file any more


def test_text_and_organ_survive_close_and_reopen(make, qtbot, tmp_path, ledger):
    w = make()
    w.organ_edit.setText("某某镇人民政府")
    w.editors["五"].setPlainText("一是……；二是……。")
    w.set_cell("T4", "review", "maintain", "2")
    w.close()  # nothing lost: written on close
    again = make()
    assert again.organ_edit.text() == "某某镇人民政府"
    assert again.editors["五"].toPlainText() == "一是……；二是……。"
    assert again.grids["T4"].item_at_key("review", "total").text() == "2"
    assert again.report.title == "某某镇人民政府2024年政府信息公开工作年度报告"
    assert again.saved_label.text() == "已自动保存到台账"
    with Ledger(ledger.data_dir) as other:  # another window or the command line reads what was stored
        assert other.annual_report(2024).report.organ == "某某镇人民政府"


def test_problem_click_jumps_to_the_cell(make, qtbot):
    w = make()
    w.set_cell("T3", "carried_in", "legal", "3")
    item = next(w.check_list.item(i) for i in range(w.check_list.count())
                if "法律服务机构" in w.check_list.item(i).text() and "不平衡" in w.check_list.item(i).text())
    w.tabs.setCurrentIndex(0)
    w.check_list.itemClicked.emit(item)
    assert w.tabs.currentIndex() == w.tab_of["T3"]
    grid = w.grids["T3"]
    assert (grid.currentRow(), grid.currentColumn()) == grid.position("total_processed", "legal")


def test_draft_from_ledger(make, ledger, notice_id):
    ledger.update_notice(notice_id, year=2024)
    rows = ledger.tasks(notice_id)
    done = next(r for r in rows if r.title == "人居环境整治")
    ledger.add_progress(done.id, dt.date(2024, 10, 8), "已完成改厕512户")
    w = make(ledger)
    w.editors["六"].setPlainText("（一）收取信息处理费情况\n本年度未收取信息处理费。")
    assert w.draft_from_ledger()
    one = w.editors["一"].toPlainText()
    leaves = [r for r in ledger.tasks(notice_id) if not any(x.parent_id == r.id for x in rows)]
    assert f"分解为{len(leaves)}项具体任务" in one
    assert f"已完成{sum(r.status == Status.DONE for r in leaves)}项" in one
    assert "已完成改厕512户" in one
    six = w.editors["六"].toPlainText()
    assert six.startswith("（一）收取信息处理费情况\n本年度未收取信息处理费。")
    assert "（三）年度政务公开工作要点落实情况" in six and "将其分解为" in six
    assert w.report.texts["一"] == one  # the model follows the editors


def test_new_year_from_last_year_and_unchanged_text_warning(make, tmp_path):
    w = make(year=2023)
    w.organ_edit.setText("某某镇人民政府")
    w.editors["一"].setPlainText("（一）主动公开\n上年的总体情况。")
    w.set_cell("T2", "rules", "issued", "4")
    w.year_spin.setValue(2024)  # stores 2023, shows an empty 2024 with the organ kept
    assert w.report.year == 2024 and w.organ_edit.text() == "某某镇人民政府"
    assert w.editors["一"].toPlainText() == ""
    assert w.start_from_last_year()
    assert w.editors["一"].toPlainText() == "（一）主动公开\n上年的总体情况。"
    assert w.grids["T2"].item_at_key("rules", "issued").text() == ""
    assert any(p.kind == "same_text" and p.section == "一" for p in w.problems)
    assert "2024年1月1日" in w.intro_edit.toPlainText()


def test_export_lists_problems_first_and_writes_pdf(make, tmp_path, monkeypatch):
    monkeypatch.setenv("NOTICEDESK_FONT_DIRS", str(tmp_path / "no-fonts"))
    w = make()
    asked = []
    w.confirm = lambda title, text: asked.append(text) or True
    w.ask_save_path = lambda fmt, suggested: tmp_path / f"out.{fmt}"
    out = w.export("pdf")
    assert out == tmp_path / "out.pdf" and out.stat().st_size > 10000
    assert "尚未填写" in asked[0]
    w.confirm = lambda title, text: False  # the clerk goes back to fix them: nothing written
    assert w.export("docx") is None and not (tmp_path / "out.docx").exists()


def test_import_json_shows_stated_total_problem(make, tmp_path):
    from desktop.annual.model import AnnualReport

    r = AnnualReport.empty(2024, "X镇")
    data = r.to_json()
    data["tables"]["T4"]["review"] = {"maintain": 1, "total": 3}
    src = tmp_path / "in.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    w = make()
    w.ask_open_path = lambda: src
    assert w.import_json()
    assert w.organ_edit.text() == "X镇"
    assert any(p.kind == "total" and p.cell == ("T4", "review", "total") for p in w.problems)
    grid = w.grids["T4"]
    assert grid.item_at_key("review", "total").text() == "1"
    assert grid.item_at_key("review", "total").toolTip().startswith("表四")


def test_main_window_menu_opens_the_window(make_window, qtbot):
    win = make_window()
    action = win.findChild(type(win.annual_action), "annualReport")
    assert action is not None and action.text() == "政府信息公开工作年度报告…"
    menus = [a.text() for a in win.menuBar().actions()]
    assert "工具(&T)" in menus
    annual = win.open_annual_report()
    qtbot.waitUntil(annual.isVisible, timeout=2000)
    assert annual.data_dir == win.ledger.data_dir
    assert annual.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    annual.close()


def test_files_of_an_earlier_version_are_taken_in_when_the_window_opens(make, ledger, messages):
    folder = ledger.data_dir / store.FOLDER
    old = AnnualReport.empty(2023, "某某镇人民政府")
    old.set("T2", "rules", "issued", 7)
    store.save(old, folder / "2023.json")
    (folder / "2022.json").write_text("{not json", encoding="utf-8")
    w = make(year=2023)
    assert w.organ_edit.text() == "某某镇人民政府" and w.grids["T2"].item_at_key("rules", "issued").text() == "7"
    assert ledger.annual_years() == [2023]
    assert (folder / "已导入" / "2023.json").is_file() and not (folder / "2023.json").exists()
    assert (folder / "2022.json").read_text("utf-8") == "{not json"  # left where it was, and named
    assert "2022.json" in messages.log[-1][2] and "没有导入台账" in messages.log[-1][2]


@pytest.mark.parametrize("answer", [RELOAD, OVERWRITE, LATER])
def test_two_windows_saving_the_same_year(answer, make, ledger, qtbot):
    """A second client (here: a second Ledger on the same file) saves the year in between: nothing is
    overwritten silently; the clerk reloads theirs, overwrites it, or keeps the edits unsaved."""
    mine = make()
    mine.organ_edit.setText("我的机关")
    assert mine.flush()
    other = Ledger(ledger.data_dir)
    try:
        theirs = other.annual_report(2024)
        theirs.report.organ = "对方的机关"
        other.save_annual_report(theirs.report, expected_version=theirs.version)
        asked = []
        mine.messages.chooser = lambda title, text, options: asked.append(text) or answer
        mine.editors["五"].setPlainText("我的改进措施")
        saved = mine.flush()
        assert "已被其他人修改" in asked[0]
        stored = other.annual_report(2024)
        if answer == RELOAD:
            assert saved and mine.organ_edit.text() == "对方的机关" and stored.report.texts["五"] == ""
            assert mine.version == stored.version == 2 and not mine._dirty
        elif answer == OVERWRITE:
            assert saved and stored.report.organ == "我的机关" and stored.report.texts["五"] == "我的改进措施"
            assert mine.version == stored.version == 3
        else:
            assert not saved and mine._dirty and stored.report.organ == "对方的机关"
            mine.year_spin.setValue(2025)  # the edits are not dropped by a change of year either
            assert mine.report.year == 2024 and mine.year_spin.value() == 2024
    finally:
        other.close()


def test_without_a_ledger_nothing_is_stored(qtbot, messages, tmp_path):
    w = AnnualReportWindow(tmp_path / "data", None, year=2024, messages=messages)
    qtbot.addWidget(w)
    w.organ_edit.setText("某某镇人民政府")
    assert w.flush() and "不会保存" in w.saved_label.text()
    assert not (tmp_path / "data").exists()
