"""The carry-forward window and the compare view with qtbot; the import window's sheet chooser."""
from __future__ import annotations

import openpyxl

from desktop.domain import Status
from desktop.ui.carry_forward_dialog import CarryForwardDialog
from desktop.ui.compare_view import COLOURS, CompareView


def test_carry_forward_dialog(qtbot, ledger, messages, notice_id):
    dlg = CarryForwardDialog(ledger, messages, notice_id=notice_id)
    qtbot.addWidget(dlg)
    assert dlg.year.value() == 2025 and "2025年" in dlg.title.text()
    dlg.year.setValue(2026)
    assert "2026年" in dlg.title.text()  # the suggestion follows the year until typed over
    dlg.title.setText("自拟标题")
    dlg.year.setValue(2027)
    assert dlg.title.text() == "自拟标题"
    with qtbot.waitSignal(dlg.created, timeout=2000) as sig:
        dlg.ok.click()
    new = ledger.notice(sig.args[0])
    assert (new.title, new.year) == ("自拟标题", 2027)
    assert all(r.status == Status.NOT_STARTED for r in ledger.tasks(new.id))


def test_compare_view(qtbot, ledger, messages, notice_id):
    new_id = ledger.carry_forward(notice_id, 2025)
    ids = {r.title: r.id for r in ledger.tasks(new_id)}
    ledger.delete_task(ids["粮食生产"])
    ledger.set_units(ids["清理拖欠账款"], "lead", ["县发展和改革局"])
    ledger.add_task(new_id, title="数字乡村", text="推进数字乡村试点。")
    view = CompareView(ledger, messages, old_id=notice_id, new_id=new_id)
    qtbot.addWidget(view)
    assert sorted(view.kinds()) == ["changed", "dropped", "new"]
    row = view.kinds().index("new")
    assert view.table.item(row, 0).background().color().name() == COLOURS["new"]
    view.only_diff.setChecked(False)
    assert view.kinds().count("same") >= 4 and "删除 1 项" in view.summary.text()


def test_import_dialog_asks_for_the_sheet(qtbot, ledger, messages, tmp_path, monkeypatch):
    from desktop.ui.import_dialog import ImportDialog

    wb = openpyxl.Workbook()
    for i, name in enumerate(["甲表", "乙表"]):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["序号", "任务名称", "具体内容", "责任单位", "完成时限"])
        ws.append([1, f"{name}任务", f"{name}的具体内容", "县财政局", "6月底前"])
    wb.save(tmp_path / "two.xlsx")
    dlg = ImportDialog(ledger, messages)
    qtbot.addWidget(dlg)
    offered = []
    monkeypatch.setattr(dlg, "choose_sheet", lambda sheets: offered.extend(sheets) or None)
    assert not dlg.load_file(tmp_path / "two.xlsx")  # cancelled: nothing read
    assert offered == [("甲表", 1), ("乙表", 1)]
    monkeypatch.setattr(dlg, "choose_sheet", lambda sheets: "乙表")
    assert dlg.load_file(tmp_path / "two.xlsx")
    assert [t.text for t in dlg.parsed.tasks] == ["乙表的具体内容"]
    dlg.reject()
