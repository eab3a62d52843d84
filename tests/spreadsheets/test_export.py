"""The .xlsx documents read back: same rows as the .docx, merges, print titles, widths, freeze panes, page setup,
row heights, and text that looks like a formula stored as text."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from desktop.documents import build
from desktop.documents.model import ItemRow, SectionRow, Table
from desktop.spreadsheets.writer import export_xlsx, sheet_name
from tests.documents.sample import NOTICE, make_rows

TODAY = dt.date(2023, 7, 15)


@pytest.fixture(scope="module")
def rows():
    return make_rows(40)


def _table(doc) -> Table:
    return next(b for b in doc.blocks if isinstance(b, Table))


def _values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


@pytest.mark.parametrize("kind", ["table", "open", "progress"])
def test_same_rows_as_the_documents(kind, rows, tmp_path):
    out = export_xlsx(kind, NOTICE, rows, tmp_path / f"{kind}.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(out).active
    table = _table(build(kind, NOTICE, rows, today=TODAY))
    header = next(r for r in range(1, 8) if ws.cell(r, 1).value == "序号")
    assert _values(ws, header) == [c.header for c in table.columns]
    for i, line in enumerate(table.rows):
        got = _values(ws, header + 1 + i)
        if isinstance(line, SectionRow):
            assert got[0] == line.text and not any(got[1:])
        else:
            assert isinstance(line, ItemRow)
            want = [("" if line.cont and c in table.merged else t) for c, t in enumerate(line.cells)]
            assert [v or "" for v in got] == want
    assert ws.max_row == header + len(table.rows)


def test_print_setup_merges_widths_and_heights(rows, tmp_path):
    out = export_xlsx("table", NOTICE, rows, tmp_path / "t.xlsx", today=TODAY)
    ws = openpyxl.load_workbook(out).active
    assert ws["B2"].value is None and "任务分解表" in ws["A2"].value  # title row 2, below 附件
    assert ws["A2"].font.b and ws["A2"].font.sz >= 20
    header = 3
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    ps = ws.page_setup
    assert ps.orientation == "landscape" and int(ps.paperSize) == 9  # A4
    assert ps.fitToWidth == 1 and ps.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A2:F2" in merged and "A4:F4" in merged  # title, first section row
    # a task with three items: 序号 and 任务名称 merged over its three rows
    tall = [r for r in ws.merged_cells.ranges if r.min_col == 1 and r.max_row - r.min_row == 2]
    assert tall and any(str(r).replace("A", "B") in merged for r in tall)
    widths = [ws.column_dimensions[c].width for c in "ABCDEF"]
    assert widths[2] == max(widths) and widths[0] == min(widths)  # 具体内容 widest, 序号 narrowest
    body = ws.cell(header + 2, 3)
    assert body.alignment.wrap_text and body.border.left.style == "thin"
    long_row = max(range(header + 1, ws.max_row + 1), key=lambda r: len(str(ws.cell(r, 3).value or "")))
    assert ws.row_dimensions[long_row].height > ws.row_dimensions[header].height * 2


def test_units_one_sheet_per_unit(rows, tmp_path):
    out = export_xlsx("units", NOTICE, rows, tmp_path / "u.xlsx")
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 11 and "县财政局" in wb.sheetnames
    ws = wb["县财政局"]
    assert ws["A2"].value.startswith("县财政局（") and ws.print_title_rows == "$3:$3"
    one = openpyxl.load_workbook(export_xlsx("units", NOTICE, rows, tmp_path / "one.xlsx", unit="县财政局"))
    assert one.sheetnames == ["县财政局"]


def test_formula_text_stays_text(tmp_path):
    rows = make_rows(3)
    rows[1].title = "=SUM(A1:A9)"
    rows[1].text = "+86 电话；-号开头；@某人"
    out = export_xlsx("table", NOTICE, rows, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    values = {c.value for c in cells}
    assert "=SUM(A1:A9)" in values and "=SUM(A1:A9)。+86 电话；-号开头；@某人" in values
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    import zipfile

    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_report_refused(rows, tmp_path):
    with pytest.raises(ValueError, match="公文"):
        export_xlsx("report", NOTICE, rows, tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()


def test_sheet_names():
    taken: set[str] = set()
    assert sheet_name("县财政局（牵头3项）", taken) == "县财政局"
    assert sheet_name("县财政局", taken) == "县财政局(2)"
    assert sheet_name("a/b:c*d?[e]", taken) == "abcde"
    assert len(sheet_name("很" * 40, taken)) == 31
