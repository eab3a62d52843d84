"""The returns window driven like a clerk: some changes accepted, others rejected → only the accepted ones
reach the ledger (one transaction); refused workbooks leave it untouched; handing out writes the workbooks."""
from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6.QtCore import Qt

from desktop.domain import Status
from desktop.spreadsheets import feedback as fb
from desktop.ui.returns_dialog import HandOutDialog, ReturnsDialog

COL = {c.key: i for i, c in enumerate(fb.COLUMNS, 1)}
TOWNS = "各乡镇人民政府"


def _returned(ledger, notice_id, tmp_path):
    path = fb.make_feedback_workbook(ledger.notice(notice_id), ledger.tasks(notice_id), TOWNS,
                                     tmp_path / "out.xlsx", fingerprint=ledger.notice_fingerprint(notice_id),
                                     signer=ledger.sign_handout)
    wb = openpyxl.load_workbook(path)
    ws = wb[fb.SHEET_TITLE]
    rows = {ws.cell(r, COL["title"]).value: r for r in range(4, ws.max_row + 1)}
    a, b = rows["清理拖欠账款"], rows["人居环境整治"]
    ws.cell(a, COL["status"]).value = "推进中"
    ws.cell(a, COL["note"]).value = "已排查企业12家"
    ws.cell(b, COL["note"]).value = "改厕完成520户"
    ws.cell(b, COL["evidence"]).value = "验收表"
    wb.save(tmp_path / "back.xlsx")
    return tmp_path / "back.xlsx"


def _ids(ledger, notice_id):
    return {r.title: r.id for r in ledger.tasks(notice_id)}


def test_accept_some_reject_others(qtbot, ledger, messages, notice_id, tmp_path):
    dlg = ReturnsDialog(ledger, messages, notice_id=notice_id, path=_returned(ledger, notice_id, tmp_path))
    qtbot.addWidget(dlg)
    ids = _ids(ledger, notice_id)
    items = {it.data(0, Qt.ItemDataRole.UserRole): it for it in dlg.change_items()}
    assert set(items) == {(ids["清理拖欠账款"], "status"), (ids["清理拖欠账款"], "note"),
                          (ids["人居环境整治"], "note"), (ids["人居环境整治"], "evidence")}
    assert dlg.apply_button.isEnabled() and "共 4 处修改" in dlg.summary.text()
    items[ids["清理拖欠账款"], "note"].setCheckState(0, Qt.CheckState.Unchecked)
    items[ids["人居环境整治"], "evidence"].setCheckState(0, Qt.CheckState.Unchecked)
    assert "已选 2 处" in dlg.summary.text()
    with qtbot.waitSignal(dlg.applied, timeout=2000) as sig:
        dlg.apply_button.click()
    assert sig.args == [notice_id]
    a, b = ledger.task(ids["清理拖欠账款"]), ledger.task(ids["人居环境整治"])
    assert a.status == Status.IN_PROGRESS and a.progress_note == ""
    assert b.progress_note == "改厕完成520户" and ledger.progress_log(b.id)[0].who == TOWNS


def test_reject_all_disables_apply(qtbot, ledger, messages, notice_id, tmp_path):
    dlg = ReturnsDialog(ledger, messages, path=_returned(ledger, notice_id, tmp_path))
    qtbot.addWidget(dlg)
    dlg.set_all(False)
    assert not dlg.apply_button.isEnabled() and dlg.accepted_changes() == set()
    dlg.set_all(True)
    assert len(dlg.accepted_changes()) == 4


def test_other_notice_refused(qtbot, ledger, messages, notice_id, tmp_path):
    other = ledger.create_notice_with_tasks({"title": "另一份", "date": dt.date(2024, 3, 1)}, [])
    before = ledger.changes(limit=1000)
    dlg = ReturnsDialog(ledger, messages, notice_id=other)
    qtbot.addWidget(dlg)
    assert not dlg.load(_returned(ledger, notice_id, tmp_path))
    assert messages.log[-1][0] == "error" and "不是当前选中的通知" in messages.log[-1][2]
    assert dlg.plan is None and not dlg.apply_button.isEnabled()
    assert ledger.changes(limit=1000) == before


def test_broken_file_message(qtbot, ledger, messages, tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    dlg = ReturnsDialog(ledger, messages)
    qtbot.addWidget(dlg)
    assert not dlg.load(tmp_path / "x.xlsx") and "不是有效的 .xlsx" in messages.log[-1][2]


def test_hand_out(qtbot, ledger, messages, notice_id, tmp_path):
    dlg = HandOutDialog(ledger, messages, notice_id=notice_id)
    qtbot.addWidget(dlg)
    assert dlg.chosen_units()[0] == "县行政审批服务局" and TOWNS in dlg.chosen_units()
    for i in range(dlg.units.count()):
        if dlg.units.item(i).text() != TOWNS:
            dlg.units.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert dlg.write_to(tmp_path)
    assert [p.name for p in dlg.written] == [f"{TOWNS}-反馈表.xlsx"]
