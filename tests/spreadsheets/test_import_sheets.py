"""Importing .xlsx decomposition tables: the header found far down, sheets listed and chosen, and our own
exported table read back as the same tasks."""
from __future__ import annotations

import openpyxl
import pytest

from desktop.importing import NoticeReadError, list_sheets, parse_path
from desktop.spreadsheets.writer import export_xlsx

HEADER = ["序号", "任务名称", "具体内容", "牵头单位", "责任单位", "完成时限"]


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["填表说明：本表由县政府办汇总"])
    a = wb.create_sheet("2024年任务")
    for _ in range(15):  # the header well below the 12 rows the parser looked at before
        a.append([])
    a.append(["2024年政务公开工作要点任务分解表"])
    a.append(HEADER)
    a.append([1, "深化主动公开", "做好财政预决算公开", "县财政局", "县级各部门", "9月底前"])
    a.append([None, None, "做好惠民资金公开", None, "县民政局", "每季度"])
    a.merge_cells(start_row=18, start_column=1, end_row=19, end_column=1)
    a.merge_cells(start_row=18, start_column=2, end_row=19, end_column=2)
    b = wb.create_sheet("2023年任务")
    b.append(HEADER)
    b.append([1, "加强政策解读", "落实解读三同步", "县政府办", "各乡镇人民政府", "全年"])
    hidden = wb.create_sheet("旧表")
    hidden.append(HEADER)
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def test_list_and_choose_sheets(tmp_path):
    path = _workbook(tmp_path / "两年.xlsx")
    assert list_sheets(path) == [("2024年任务", 2), ("2023年任务", 1)]
    parsed = parse_path(path, sheet="2024年任务")
    assert parsed.title == "2024年政务公开工作要点任务分解表"
    assert [(t.title, t.text, t.lead_units, t.units) for t in parsed.tasks] == [
        ("深化主动公开", "做好财政预决算公开", ["县财政局"], ["县级各部门"]),
        # D19 is an empty cell, not a merged one: the row names its own unit and no lead
        ("深化主动公开", "做好惠民资金公开", [], ["县民政局"])]
    assert [t.text for t in parse_path(path, sheet="2023年任务").tasks] == ["落实解读三同步"]
    with pytest.raises(NoticeReadError, match="没有名为“明年”的工作表"):
        parse_path(path, sheet="明年")


def test_list_sheets_of_other_files(tmp_path):
    (tmp_path / "a.txt").write_text("通知", encoding="utf-8")
    assert list_sheets(tmp_path / "a.txt") == []
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04broken")
    with pytest.raises(NoticeReadError):
        list_sheets(tmp_path / "bad.xlsx")


def test_exported_table_reads_back(tmp_path):
    from desktop.documents import build
    from desktop.documents.model import Table
    from tests.documents.sample import NOTICE, make_rows

    rows = make_rows(12)
    path = export_xlsx("table", NOTICE, rows, tmp_path / "t.xlsx")
    table = next(b for b in build("table", NOTICE, rows).blocks if isinstance(b, Table))
    assert list_sheets(path) == [("任务分解表", len(table.rows))]
    parsed = parse_path(path)
    leaves = [r for r in rows if not r.child_count]
    assert len(parsed.tasks) == len(leaves)
    assert parsed.tasks[0].lead_units == leaves[0].lead_units and parsed.tasks[0].deadline == leaves[0].deadline_text
