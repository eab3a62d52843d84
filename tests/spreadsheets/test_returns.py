"""Feedback workbooks out and back: the sheet as sent (locks, validation, hidden id and marker), a unit's edits
merged by id (reordered, deleted, added rows, renamed sheet), and every workbook that must be refused."""
from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from desktop.domain import Status
from desktop.spreadsheets import ReturnsError
from desktop.spreadsheets import feedback as fb
from desktop.spreadsheets.returns import load_returns, parse_date, read_feedback
from tests.spreadsheets.conftest import TOWNS, task_id

COL = {c.key: i for i, c in enumerate(fb.COLUMNS, 1)}  # column numbers
HEADER = 3


def _rows_by_title(ws) -> dict[str, int]:
    return {ws.cell(r, COL["title"]).value: r for r in range(HEADER + 1, ws.max_row + 1)}


def test_workbook_as_sent(ledger, notice_id, hand_out):
    path = hand_out()
    wb = openpyxl.load_workbook(path)
    ws = wb[fb.SHEET_TITLE]
    assert [ws.cell(HEADER, c).value for c in range(1, len(fb.COLUMNS) + 1)] == [c.header for c in fb.COLUMNS]
    rows = _rows_by_title(ws)
    assert set(rows) == {"清理拖欠账款", "人居环境整治"}  # 各乡镇人民政府 is responsible for these two
    assert ws.column_dimensions["A"].hidden
    r = rows["清理拖欠账款"]
    assert ws.cell(r, COL["id"]).value == task_id(ledger, notice_id, "清理拖欠账款")
    assert ws.protection.sheet and not ws.protection.password
    locked = {k: ws.cell(r, COL[k]).protection.locked for k in COL}
    assert {k for k, v in locked.items() if not v} == {"status", "note", "done_on", "evidence"}
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "已完成" in lists[0].formula1 and str(lists[0].sqref).startswith(openpyxl.utils.get_column_letter(COL["status"]))
    meta = wb[fb.META_SHEET]
    assert meta.sheet_state == "veryHidden" and meta["A1"].value == fb.MARKER
    assert fb.DEFINED_NAME in wb.defined_names
    assert ws.print_title_rows == f"${HEADER}:${HEADER}" and ws.page_setup.orientation == "landscape"


def test_unit_with_no_tasks_refused(ledger, notice_id, hand_out):
    with pytest.raises(ValueError, match="没有“县教育局”的任务"):
        hand_out("县教育局")


def _fill_as_a_unit(path, out):
    """What a unit does: statuses, texts, a date, rows moved, one deleted, one added, sheet renamed."""
    wb = openpyxl.load_workbook(path)
    ws = wb[fb.SHEET_TITLE]
    rows = _rows_by_title(ws)
    a, b = rows["清理拖欠账款"], rows["人居环境整治"]
    ws.cell(a, COL["status"]).value = "已完成"
    ws.cell(a, COL["done_on"]).value = dt.datetime(2024, 5, 6)
    ws.cell(a, COL["note"]).value = "=SUM(A1) 已清理完毕"
    ws.cell(a, COL["evidence"]).value = "清欠台账1份"
    ws.move_range(f"A{a}:J{a}", rows=3)  # reorder: the first row goes below the second
    ws.delete_rows(b)  # "人居环境整治" deleted
    added = ws.max_row + 1
    ws.cell(added, COL["title"]).value = "自行增加的任务"
    ws.cell(added, COL["note"]).value = "新增内容"
    ws.title = "乡镇填报"
    wb.save(out)
    return out


def test_round_trip(ledger, notice_id, hand_out, tmp_path):
    returned = _fill_as_a_unit(hand_out(), tmp_path / "back.xlsx")
    plan = load_returns(returned, ledger, notice_id)
    tid = task_id(ledger, notice_id, "清理拖欠账款")
    assert plan.feedback.sheet == "乡镇填报" and plan.unit == TOWNS
    assert [(c.task_id, c.field, c.old, c.new) for c in plan.changes()] == [
        (tid, "status", "未开始", "已完成"), (tid, "done_on", "", "2024-05-06"),
        (tid, "note", "", "=SUM(A1) 已清理完毕"), (tid, "evidence", "", "清欠台账1份")]
    assert any("新增行，未导入（自行增加的任务）" in p for p in plan.problems)
    assert any("删去了“人居环境整治”" in p for p in plan.problems)
    fields, reports = plan.ledger_args()
    ledger.apply_returns(notice_id, plan.unit, fields, reports, dt.date(2024, 5, 8), returned.name)
    row = ledger.task(tid)
    assert (row.status, row.done_on, row.progress_note) == (Status.DONE, dt.date(2024, 5, 6),
                                                            "=SUM(A1) 已清理完毕；佐证材料：清欠台账1份")
    (entry,) = ledger.progress_log(tid)
    assert (entry.who, entry.date) == (TOWNS, dt.date(2024, 5, 8))
    log = ledger.changes(notice_id, 10)
    assert any(c.what == "returns" and c.new == f"{TOWNS}（back.xlsx）" for c in log)
    assert ledger.task(task_id(ledger, notice_id, "人居环境整治")).status == Status.DONE  # untouched
    # merging the same workbook again changes nothing
    assert load_returns(returned, ledger, notice_id).changes() == []


def test_only_accepted_changes_applied(ledger, notice_id, hand_out, tmp_path):
    plan = load_returns(_fill_as_a_unit(hand_out(), tmp_path / "back.xlsx"), ledger)
    tid = task_id(ledger, notice_id, "清理拖欠账款")
    fields, reports = plan.ledger_args({(tid, "note")})
    assert fields == {} and reports == {tid: "=SUM(A1) 已清理完毕"}


def test_unchanged_rows_do_not_undo_later_ledger_edits(ledger, notice_id, hand_out):
    path = hand_out()
    tid = task_id(ledger, notice_id, "清理拖欠账款")
    ledger.set_fields(tid, status=Status.IN_PROGRESS)  # the clerk moves on after sending the workbook
    assert load_returns(path, ledger).changes() == []


def test_bad_values_reported(ledger, notice_id, hand_out, tmp_path):
    wb = openpyxl.load_workbook(hand_out())
    ws = wb[fb.SHEET_TITLE]
    rows = _rows_by_title(ws)
    a, b = rows["清理拖欠账款"], rows["人居环境整治"]
    ws.cell(a, COL["status"]).value = "差不多了"
    ws.cell(a, COL["done_on"]).value = "五月初"
    ws.cell(b, COL["id"]).value = 99999
    ws.cell(ws.max_row + 1, COL["id"]).value = ws.cell(a, COL["id"]).value  # a copied row
    ws.cell(ws.max_row, COL["note"]).value = "抄了一行"
    wb.save(tmp_path / "bad.xlsx")
    plan = load_returns(tmp_path / "bad.xlsx", ledger)
    text = "\n".join(plan.problems)
    assert plan.changes() == []
    for part in ("状态“差不多了”不是可选的状态", "完成日期“五月初”无法识别", "编号 99999", "已不存在", "同一项任务"):
        assert part in text


def test_task_deleted_since(ledger, notice_id, hand_out):
    path = hand_out()
    ledger.delete_task(task_id(ledger, notice_id, "清理拖欠账款"))
    plan = load_returns(path, ledger)
    assert any("已不存在" in p for p in plan.problems) and plan.changes() == []


def test_another_notice_refused(ledger, notice_id, hand_out, tmp_path, data_dir):
    other = ledger.create_notice_with_tasks({"title": "另一份通知"}, [{"title": "甲", "units": [TOWNS]}])
    path = hand_out(TOWNS, other)
    with pytest.raises(ReturnsError, match="不是当前选中的通知"):
        load_returns(path, ledger, notice_id)
    # the same notice id in another ledger (rebuilt, or a neighbour's): refused by the fingerprint
    from desktop.storage.ledger import Ledger

    with Ledger(tmp_path / "elsewhere") as led2:
        led2.create_notice_with_tasks({"title": "关于印发2024年县政府重点工作任务分解的通知"}, [])
        led2.create_notice_with_tasks({"title": "同号通知"}, [{"title": "甲", "units": [TOWNS]}])
        with pytest.raises(ReturnsError, match="另一份通知"):
            load_returns(path, led2)
    ledger.delete_notice(other)
    with pytest.raises(ReturnsError, match="本台账中没有这份通知"):
        load_returns(path, ledger)


def test_not_a_feedback_workbook(ledger, notice_id, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "任务名称", "完成情况"])
    wb.save(tmp_path / "plain.xlsx")
    with pytest.raises(ReturnsError, match="不是本程序生成的反馈表"):
        read_feedback(tmp_path / "plain.xlsx")


def test_marker_kept_but_id_column_gone(ledger, notice_id, hand_out, tmp_path):
    wb = openpyxl.load_workbook(hand_out())
    wb[fb.SHEET_TITLE].delete_cols(1)
    wb.save(tmp_path / "noid.xlsx")
    with pytest.raises(ReturnsError, match="隐藏的任务编号列不见了"):
        read_feedback(tmp_path / "noid.xlsx")


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 truncated zip", "不是有效的 .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64, "设置了打开密码"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 .xls"),
    (b"hello, not a workbook", "不是有效的 .xlsx"),
])
def test_broken_files(tmp_path, content, message):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReturnsError, match=message):
        read_feedback(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(ReturnsError, match="不是有效的 .xlsx"):
        read_feedback(path)


def test_formula_text_sent_stays_text(ledger, notice_id, hand_out, tmp_path):
    tid = task_id(ledger, notice_id, "清理拖欠账款")
    ledger.add_progress(tid, dt.date(2024, 3, 1), "=HYPERLINK(\"http://x\") 已部署", "县财政局")
    wb = openpyxl.load_workbook(hand_out())
    ws = wb[fb.SHEET_TITLE]
    cell = ws.cell(_rows_by_title(ws)["清理拖欠账款"], COL["note"])
    assert cell.value == "=HYPERLINK(\"http://x\") 已部署" and cell.data_type == "s"
    assert load_returns(hand_out(), ledger).changes() == []  # sent back untouched: no change


@pytest.mark.parametrize("value, want", [
    (dt.datetime(2024, 6, 30, 0, 0), dt.date(2024, 6, 30)), ("2024-06-30", dt.date(2024, 6, 30)),
    ("2024/6/30", dt.date(2024, 6, 30)), ("2024年6月30日", dt.date(2024, 6, 30)), (45473, dt.date(2024, 6, 30)),
    ("", None), (None, None),
])
def test_parse_date(value, want):
    assert parse_date(value) == want
