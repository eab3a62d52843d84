"""A unit's returned workbook can change only what was handed to that unit (issue 17).

The hand-out record (unit, task ids, values sent) is signed with a secret kept in the ledger, so an
edited unit or a forged task list is refused row by row; a row for another unit's task, a section
heading or a task of another notice is refused; the hand-out's own sheet is read by its identity, not
by its place; a row whose task changed in the ledger after the hand-out is a conflict left alone unless
accepted (``returns --overwrite-newer``, or ticked in the window); an oversized cell is refused with a
clear message. ``returns --dry-run`` and the window show the same three groups. On both engines.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from desktop.domain import Status
from desktop.spreadsheets import feedback as fb
from desktop.spreadsheets.returns import load_returns
from desktop.storage.text import MAX_TEXT_CHARS
from tests.safety.trust_fixtures import TOWNS, run, titled

COL = {c.key: i for i, c in enumerate(fb.COLUMNS, 1)}
HEADER = 3


@pytest.fixture
def hand_out(ledger, notice_id, tmp_path):
    def make(unit: str = TOWNS, nid: int | None = None):
        nid = nid or notice_id
        return fb.make_feedback_workbook(ledger.notice(nid), ledger.tasks(nid), unit, tmp_path / f"{unit}-{nid}.xlsx",
                                         fingerprint=ledger.notice_fingerprint(nid), signer=ledger.sign_handout)

    return make


def rows_by_title(ws) -> dict[str, int]:
    return {ws.cell(r, COL["title"]).value: r for r in range(HEADER + 1, ws.max_row + 1)}


def edit(path, out, change) -> object:
    """Open the workbook as a unit's Excel would, let ``change(wb, ws)`` edit it, save it as ``out``."""
    wb = openpyxl.load_workbook(path)
    change(wb, wb[fb.SHEET_TITLE])
    wb.save(out)
    return out


def add_row(ws, task_id, title="", status="已完成", note="已完成") -> None:
    r = ws.max_row + 1
    ws.cell(r, COL["id"]).value = task_id
    ws.cell(r, COL["title"]).value = title
    ws.cell(r, COL["status"]).value = status
    ws.cell(r, COL["note"]).value = note


def state(ledger, notice_id) -> list:
    return [(r.id, r.status, r.done_on, r.progress_note) for r in ledger.tasks(notice_id)]


# --- rows that were not handed to this unit ------------------------------------------------------
def test_another_units_task_and_a_heading_are_refused_row_by_row(ledger, notice_id, hand_out, tmp_path, capsys,
                                                                where):
    ids = titled(ledger, notice_id)
    other = ledger.create_notice_with_tasks({"title": "另一份通知", "year": 2024}, [{"title": "别处的任务", "units": [TOWNS]}])
    foreign = ledger.tasks(other)[0].id
    heading = next(r.id for r in ledger.tasks(notice_id) if r.child_count and r.parent_id is None)

    def change(wb, ws):
        ws.cell(rows_by_title(ws)["清理拖欠账款"], COL["status"]).value = "推进中"  # a row of its own: fine
        add_row(ws, ids["梳理事项清单"], "梳理事项清单")  # 县行政审批服务局's task
        add_row(ws, heading, "一、持续优化营商环境")  # a section heading
        add_row(ws, foreign, "别处的任务")  # a task of another notice

    path = edit(hand_out(), tmp_path / "back.xlsx", change)
    before = state(ledger, notice_id), state(ledger, other)
    plan = load_returns(path, ledger, notice_id)
    assert [(c.task_id, c.field, c.new) for c in plan.changes()] == [(ids["清理拖欠账款"], "status", "推进中")]
    reasons = {r.task_id: r.text for r in plan.refused}
    assert set(reasons) == {ids["梳理事项清单"], heading, foreign}
    assert "不是发给各乡镇人民政府的任务" in reasons[ids["梳理事项清单"]]
    assert "分组标题" in reasons[heading]
    assert "属于另一份通知" in reasons[foreign] and "已不存在" not in reasons[foreign]
    code, out, err = run(capsys, "returns", str(path), *where)
    assert code == 0, err
    assert state(ledger, other) == before[1]
    after = {r.id: r for r in ledger.tasks(notice_id)}
    assert after[ids["清理拖欠账款"]].status == Status.IN_PROGRESS
    for tid in (ids["梳理事项清单"], heading):
        assert after[tid].status != Status.DONE and not ledger.progress_log(tid)
    assert "拒绝（3 处" in out


def test_an_edited_unit_is_refused_for_every_row(ledger, notice_id, hand_out, tmp_path, capsys, where):
    def change(wb, ws):
        ws.cell(rows_by_title(ws)["清理拖欠账款"], COL["status"]).value = "已完成"
        meta = wb[fb.META_SHEET]
        for row in meta.iter_rows():
            if row[0].value == "unit":
                row[1].value = "县财政局"  # another unit's name, believed until now

    path = edit(hand_out(), tmp_path / "back.xlsx", change)
    before = state(ledger, notice_id)
    plan = load_returns(path, ledger, notice_id)
    assert not plan.trusted and plan.changes() == [] and plan.conflicts == []
    assert len(plan.refused) == 2 and all("发出记录" in r.reason for r in plan.refused)
    code, out, err = run(capsys, "returns", str(path), *where)
    assert code == 0, err
    assert state(ledger, notice_id) == before and "县财政局" not in {e.who for r in ledger.tasks(notice_id)
                                                                    for e in ledger.progress_log(r.id)}


def test_a_forged_task_list_is_refused_for_every_row(ledger, notice_id, hand_out, tmp_path):
    """Adding another unit's task to the hidden list as well (so the row looks handed out) breaks the seal."""
    ids = titled(ledger, notice_id)

    def change(wb, ws):
        add_row(ws, ids["梳理事项清单"], "梳理事项清单")
        wb[fb.META_SHEET].append([ids["梳理事项清单"], "未开始", "", "", ""])

    plan = load_returns(edit(hand_out(), tmp_path / "back.xlsx", change), ledger, notice_id)
    assert not plan.trusted and plan.changes() == [] and len(plan.refused) == 3


def test_a_workbook_from_another_ledger_is_not_trusted(ledger, notice_id, hand_out, tmp_path, data_dir):
    """A ledger's secret is its own: a workbook signed elsewhere (same notice id and creation time
    faked) does not verify here. An unsigned workbook (older program) is refused too."""
    unsigned = fb.make_feedback_workbook(ledger.notice(notice_id), ledger.tasks(notice_id), TOWNS,
                                         tmp_path / "unsigned.xlsx", fingerprint=ledger.notice_fingerprint(notice_id))
    plan = load_returns(unsigned, ledger, notice_id)
    assert not plan.trusted and all("旧版本" in r.reason for r in plan.refused)
    from desktop.storage.ledger import Ledger

    with Ledger(tmp_path / "neighbour") as other:
        forged = fb.make_feedback_workbook(ledger.notice(notice_id), ledger.tasks(notice_id), TOWNS,
                                           tmp_path / "forged.xlsx", fingerprint=ledger.notice_fingerprint(notice_id),
                                           signer=other.sign_handout)
    plan = load_returns(forged, ledger, notice_id)
    assert not plan.trusted and plan.changes() == []


# --- which sheet is read --------------------------------------------------------------------------
def test_a_hidden_sheet_placed_first_is_not_read(ledger, notice_id, hand_out, tmp_path):
    ids = titled(ledger, notice_id)

    def change(wb, ws):
        ws.cell(rows_by_title(ws)["清理拖欠账款"], COL["status"]).value = "推进中"  # what the unit filled in
        decoy = wb.create_sheet("反馈表 (2)", 0)  # a hidden copy, first, saying something else
        for c in range(1, len(fb.COLUMNS) + 1):
            decoy.cell(HEADER, c).value = ws.cell(HEADER, c).value
        for r in range(HEADER + 1, ws.max_row + 1):
            for c in range(1, len(fb.COLUMNS) + 1):
                decoy.cell(r, c).value = ws.cell(r, c).value
            decoy.cell(r, COL["status"]).value = "已完成"
            decoy.cell(r, COL["note"]).value = "全部完成"
        decoy.sheet_state = "hidden"

    plan = load_returns(edit(hand_out(), tmp_path / "back.xlsx", change), ledger, notice_id)
    assert plan.feedback.sheet == fb.SHEET_TITLE
    assert [(c.task_id, c.field, c.new) for c in plan.changes()] == [(ids["清理拖欠账款"], "status", "推进中")]
    assert any("反馈表 (2)" in n and "未读取" in n for n in plan.notes)


def test_the_handed_out_sheet_is_found_renamed_and_moved(ledger, notice_id, hand_out, tmp_path):
    def change(wb, ws):
        ws.cell(rows_by_title(ws)["人居环境整治"], COL["note"]).value = "改厕完成520户"
        ws.title = "我们的填报"
        wb.create_sheet("说明", 0).append(["本单位另附说明"])

    plan = load_returns(edit(hand_out(), tmp_path / "back.xlsx", change), ledger, notice_id)
    assert plan.feedback.sheet == "我们的填报" and len(plan.changes()) == 1 and plan.trusted


# --- stale rows ----------------------------------------------------------------------------------
def test_a_stale_row_is_a_conflict_left_alone_unless_accepted(ledger, notice_id, hand_out, tmp_path, capsys,
                                                             where):
    ids = titled(ledger, notice_id)
    tid, other = ids["清理拖欠账款"], ids["人居环境整治"]
    sent = hand_out()
    ledger.set_fields(tid, status=Status.DONE, done_on=dt.date(2024, 5, 20))  # the clerk, after the hand-out

    def change(wb, ws):
        rows = rows_by_title(ws)
        ws.cell(rows["清理拖欠账款"], COL["status"]).value = "推进中"  # from the stale workbook
        ws.cell(rows["清理拖欠账款"], COL["note"]).value = "正在清理"
        ws.cell(rows["人居环境整治"], COL["note"]).value = "改厕完成520户"  # an untouched task: fine

    path = edit(sent, tmp_path / "back.xlsx", change)
    plan = load_returns(path, ledger, notice_id)
    assert [r.task_id for r in plan.conflicts] == [tid] and [r.task_id for r in plan.rows] == [other]
    status = next(c for c in plan.conflicts[0].changes if c.field == "status")
    assert (status.old, status.sent) == ("已完成", "未开始") and status.new.startswith("推进中")
    assert "2024-05-20" in status.new  # the 完成日期 it would clear is listed

    code, out, err = run(capsys, "returns", str(path), "--dry-run", *where)
    assert code == 0, err
    heads = [line for line in out.splitlines() if line.startswith(("可导入（", "冲突（", "拒绝（"))]
    assert [h[:2] for h in heads] == ["可导", "冲突", "拒绝"], out  # three groups, in this order
    assert "可导入（1 项任务" in heads[0] and "冲突（1 项任务" in heads[1] and "拒绝（0 处" in heads[2]
    assert "状态：台账现为 已完成（发出时 未开始），单位填报 推进中" in out and "--overwrite-newer" in out

    code, out, err = run(capsys, "returns", str(path), *where)
    assert code == 0, err
    row = ledger.task(tid)
    assert (row.status, row.done_on) == (Status.DONE, dt.date(2024, 5, 20))  # left alone
    assert [e.text for e in ledger.progress_log(tid)] == []
    assert ledger.task(other).progress_note == "改厕完成520户"  # the rest was merged

    code, out, err = run(capsys, "returns", str(path), "--overwrite-newer", *where)
    assert code == 0, err
    row = ledger.task(tid)
    assert (row.status, row.done_on, row.progress_note) == (Status.IN_PROGRESS, None, "正在清理")


def test_a_workbook_merged_twice_changes_nothing_the_second_time(ledger, notice_id, hand_out, tmp_path, capsys,
                                                                where):
    def change(wb, ws):
        ws.cell(rows_by_title(ws)["清理拖欠账款"], COL["status"]).value = "推进中"

    path = edit(hand_out(), tmp_path / "back.xlsx", change)
    assert run(capsys, "returns", str(path), *where)[0] == 0
    again = load_returns(path, ledger, notice_id)
    assert again.changes() == [] and again.conflicts == []


# --- oversized cells ----------------------------------------------------------------------------
def test_an_oversized_cell_is_refused_with_a_clear_message(ledger, notice_id, hand_out, tmp_path, capsys,
                                                          where):
    ids = titled(ledger, notice_id)

    def change(wb, ws):
        rows = rows_by_title(ws)
        ws.cell(rows["清理拖欠账款"], COL["note"]).value = "很长" * 500_000  # a 1 MB cell
        ws.cell(rows["人居环境整治"], COL["status"]).value = "推进中"

    path = edit(hand_out(), tmp_path / "back.xlsx", change)
    plan = load_returns(path, ledger, notice_id)
    (refusal,) = plan.refused
    assert refusal.task_id == ids["清理拖欠账款"] and "完成情况太长（32767 字）" in refusal.reason
    assert f"最多 {MAX_TEXT_CHARS} 字" in refusal.reason
    assert run(capsys, "returns", str(path), *where)[0] == 0
    assert ledger.task(ids["清理拖欠账款"]).progress_note == "" and not ledger.progress_log(ids["清理拖欠账款"])
    assert ledger.task(ids["人居环境整治"]).status == Status.IN_PROGRESS


# --- the window's review ------------------------------------------------------------------------
def test_the_window_shows_the_same_three_groups(qtbot, ledger, notice_id, hand_out, tmp_path):
    from PySide6.QtCore import Qt

    from desktop.ui.messages import MessageBridge
    from desktop.ui.returns_dialog import ReturnsDialog

    ids = titled(ledger, notice_id)
    sent = hand_out()
    ledger.set_fields(ids["清理拖欠账款"], status=Status.DONE)

    def change(wb, ws):
        rows = rows_by_title(ws)
        ws.cell(rows["清理拖欠账款"], COL["status"]).value = "推进中"  # conflict
        ws.cell(rows["人居环境整治"], COL["note"]).value = "改厕完成520户"  # accepted
        add_row(ws, ids["梳理事项清单"], "梳理事项清单")  # refused

    dlg = ReturnsDialog(ledger, MessageBridge(show_boxes=False), notice_id=notice_id,
                        path=edit(sent, tmp_path / "back.xlsx", change))
    qtbot.addWidget(dlg)
    groups = [dlg.tree.topLevelItem(i).text(0) for i in range(dlg.tree.topLevelItemCount())]
    assert [g.split("（")[0] for g in groups] == ["可导入", "冲突", "拒绝"]
    refused_group = dlg.tree.topLevelItem(2)
    assert refused_group.childCount() == 1 and "不是发给各乡镇人民政府的任务" in refused_group.child(0).text(0)
    conflict = dlg.conflict_items()
    assert [it.checkState(0) for it in conflict] == [Qt.CheckState.Unchecked]  # not taken unless ticked
    assert "已完成" in conflict[0].text(1) and "推进中" in conflict[0].text(2)
    assert dlg.accepted_changes() == {(ids["人居环境整治"], "note")}
    dlg.set_all(True)  # 全部接受 does not take the conflicts
    assert dlg.accepted_changes() == {(ids["人居环境整治"], "note")}
    dlg.apply_button.click()
    assert ledger.task(ids["清理拖欠账款"]).status == Status.DONE
    assert ledger.task(ids["人居环境整治"]).progress_note == "改厕完成520户"
    assert ledger.task(ids["梳理事项清单"]).status == Status.NOT_STARTED


def test_ticking_a_conflict_in_the_window_takes_the_units_value(qtbot, ledger, notice_id, hand_out, tmp_path):
    from PySide6.QtCore import Qt

    from desktop.ui.messages import MessageBridge
    from desktop.ui.returns_dialog import ReturnsDialog

    ids = titled(ledger, notice_id)
    sent = hand_out()
    ledger.set_fields(ids["清理拖欠账款"], status=Status.DONE)

    def change(wb, ws):
        ws.cell(rows_by_title(ws)["清理拖欠账款"], COL["status"]).value = "推进中"

    dlg = ReturnsDialog(ledger, MessageBridge(show_boxes=False), path=edit(sent, tmp_path / "back.xlsx", change))
    qtbot.addWidget(dlg)
    assert not dlg.apply_button.isEnabled()
    dlg.conflict_items()[0].setCheckState(0, Qt.CheckState.Checked)
    assert dlg.apply_button.isEnabled()
    dlg.apply_button.click()
    assert ledger.task(ids["清理拖欠账款"]).status == Status.IN_PROGRESS
