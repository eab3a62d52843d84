"""Document titles from notice titles, column widths from content, page filling, and units of open items."""
from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
from pypdf import PdfReader

from desktop.documents import export, layout
from desktop.documents.model import (
    ItemRow,
    Table,
    doc_title,
    report_title,
    subject_of,
    table_title,
    table_widths,
)
from desktop.domain import NoticeInfo, Status, TaskRow
from desktop.tracking.rules import NO_UNIT
from tests.documents.conftest import TODAY
from tests.documents.sample import UNITS, make_rows


def _notice(title: str, issuer: str | None = None) -> NoticeInfo:
    return NoticeInfo(id=9, title=title, issuer=issuer)


@pytest.mark.parametrize(("title", "issuer", "subject"), [
    ("关于印发《2023年政务公开工作要点》的通知", None, "2023年政务公开工作要点"),
    ("X县人民政府办公室关于印发《2023年政务公开工作要点》的通知", "X县人民政府办公室", "2023年政务公开工作要点"),
    ("乐至县人民政府办公室关于印发2023年全县政务公开工作要点任务分解表的通知", "乐至县人民政府办公室",
     "2023年全县政务公开工作要点任务分解表"),
    ("嵩明县人民政府办公室关于印发嵩明县2021年政务公开重点工作安排的通知", None, "嵩明县2021年政务公开重点工作安排"),
    ("泰州市2018年政务公开工作要点", "泰州市人民政府办公室", "泰州市2018年政务公开工作要点"),
    ("X县人民政府办公室关于转发市政府办公室《2023年政务公开工作要点》的通知", None, "2023年政务公开工作要点"),
    ("中共X县委办公室 X县人民政府办公室印发《关于加强基层政务公开的实施意见》的通知", None, "关于加强基层政务公开的实施意见"),
    ("关于做好2023年政务公开工作的通知", None, "做好2023年政务公开工作"),
    ("印发2023年政务公开工作要点的通知", None, "2023年政务公开工作要点"),
])
def test_subject_from_title_shapes(title, issuer, subject):
    assert subject_of(title, issuer) == subject
    n = _notice(title, issuer)
    table = table_title(n)
    assert table.endswith("任务分解表") and "任务分解表任务分解表" not in table and not table.startswith(("关于印发", "印发"))
    report = report_title(n)
    assert report.startswith("关于") and report.endswith("落实情况的报告") and not report.startswith("关于关于")
    assert "的通知" not in table + report


def test_titles_of_the_other_documents():
    lezhi = _notice("乐至县人民政府办公室关于印发2023年全县政务公开工作要点任务分解表的通知", "乐至县人民政府办公室")
    assert table_title(lezhi) == "2023年全县政务公开工作要点任务分解表"
    assert report_title(lezhi) == "关于2023年全县政务公开工作要点落实情况的报告"
    assert doc_title(lezhi, "落实情况汇总表") == "2023年全县政务公开工作要点落实情况汇总表"
    assert table_title(_notice("关于印发《2023年重点任务台账》的通知")) == "2023年重点任务台账"
    assert table_title(_notice("泰州市2018年政务公开工作要点")) == "泰州市2018年政务公开工作要点任务分解表"
    assert report_title(_notice("印发《关于加强基层政务公开的实施意见》的通知")) == "关于《关于加强基层政务公开的实施意见》落实情况的报告"


def _widths(units_text: str, text: str = "具体内容" * 20, rows: int = 30) -> list[float]:
    cols = [layout.COLUMNS[k] for k in ("seq", "title", "text", "units", "deadline")]
    lines = [ItemRow([str(i), "任务名称较长的一项任务", text, units_text, "2023年6月底前"]) for i in range(rows)]
    return table_widths(Table(cols, lines, (0, 1)), layout.mm(layout.TYPE_AREA_H_MM))


def test_column_widths_follow_the_content():
    total = layout.mm(layout.TYPE_AREA_H_MM)
    short = _widths("县财政局")
    long_ = _widths("、".join(UNITS * 2))  # ~170 characters of units
    for w in (short, long_):
        assert abs(sum(w) - total) < 0.01
        assert all(x >= layout.text_em(c) * layout.TABLE_FONT_SIZE for x, c in zip(w, ["序号", "任务名称", "具体内容",
                                                                                     "责任单位", "完成时限"], strict=True))
    assert long_[3] > 2.5 * short[3]  # the unit column grows with its lists
    assert short[2] > long_[2]  # … and takes the room from the text column
    assert short[2] == max(short)
    # a short deadline is not broken when the rows are one line anyway
    assert _widths("县财政局", "具体内容")[4] >= layout.text_em("2023年6月底前") * layout.TABLE_FONT_SIZE + 2 * layout.TABLE_PAD_X - 0.01
    # more text in the content column: it gets wider
    assert _widths("县财政局", "具体内容" * 60)[2] > short[2] - 0.01


def _long_unit_rows() -> list[TaskRow]:
    """乐至-like: 40 tasks (every third with items) with ~150-character 责任单位 lists and no 牵头单位."""
    rows = make_rows(40)
    long_units = UNITS + [f"{u[:-1]}二{u[-1]}" for u in UNITS[1:10]]
    assert 140 <= len("、".join(long_units)) <= 170
    for r in rows:
        r.lead_units = []
        if r.depth == 2:
            r.units = list(long_units)
    return rows


def test_long_unit_lists_fill_pages(tmp_path, notice):
    out = tmp_path / "t.pdf"
    result = export("table", notice, _long_unit_rows(), "pdf", out)
    assert result.pages <= 24  # 22 with today's layout (137 with a fixed-width unit column)
    reader = PdfReader(str(out))
    assert "牵头单位" not in reader.pages[0].extract_text()  # no lead units anywhere: no empty column
    # page 1 holds more than the title, the header and a section row
    assert len(re.findall(r"任务\d+", reader.pages[0].extract_text())) >= 1


def _tall_group_rows() -> list[TaskRow]:
    """One section, one task with 24 items of several lines each: taller than two pages."""
    sec = TaskRow(id=1, notice_id=1, parent_id=None, position=0, depth=1, number="一、", title="深化主动公开",
                  child_count=1)
    task = TaskRow(id=2, notice_id=1, parent_id=1, position=0, depth=2, number="（一）", title="推进决策公开",
                   text="推进决策公开", units=["县政府办公室"], deadline_text="全年", child_count=24)
    items = [TaskRow(id=3 + i, notice_id=1, parent_id=2, position=i, depth=3, number=f"{i + 1}.",
                     text=f"事项{i + 1}：" + "公开决策草案、征求意见和采纳情况，" * 6) for i in range(24)]
    return [sec, task, *items]


def test_task_group_breaks_between_any_two_items_and_repeats_its_name(tmp_path, notice):
    out = tmp_path / "g.pdf"
    result = export("table", notice, _tall_group_rows(), "pdf", out)
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(str(out)).pages]
    assert result.pages >= 3
    first = pages[0]
    assert "深化主动公开" in first and "事项1：" in first and "事项3：" in first  # page 1 is filled
    for text in pages[1:]:
        assert "推进决策公开" in text  # the merged task name repeats on every continuation page
    seen = [int(n) for text in pages for n in re.findall(r"事项(\d+)：", text)]
    assert seen == list(range(1, 25))  # every item once, in order


def test_section_row_stays_with_the_row_after_it(tmp_path, notice):
    rows = make_rows(40)
    out = tmp_path / "s.pdf"
    export("table", notice, rows, "pdf", out)
    sections = [r.title for r in rows if r.depth == 1]
    for page in PdfReader(str(out)).pages:
        lines = [ln.strip() for ln in page.extract_text().split("\n") if ln.strip()]
        last = [i for i, ln in enumerate(lines) if any(s in ln for s in sections)]
        if last:
            assert last[-1] < len(lines) - 2  # something of the next row follows on the same page


def test_row_that_fits_a_fresh_page_is_not_split_but_a_taller_one_is(tmp_path, notice):
    rows = _tall_group_rows()[:3]
    rows[1].child_count = 1
    rows[2].text = "很长的事项内容，" * 400  # taller than a page
    out = tmp_path / "x.pdf"
    result = export("table", notice, rows, "pdf", out)
    pages = [p.extract_text() for p in PdfReader(str(out)).pages]
    assert result.pages >= 2 and "很长的事项内容" in pages[0]  # split where it stands, page 1 filled


def test_open_items_fall_back_to_responsible_and_parent_units(tmp_path, notice):
    sec = TaskRow(id=1, notice_id=1, parent_id=None, position=0, depth=1, number="一、", title="深化主动公开",
                  child_count=2)
    only_units = TaskRow(id=2, notice_id=1, parent_id=1, position=0, depth=2, number="（一）", title="公开预决算",
                         units=["县财政局"], status=Status.IN_PROGRESS, due_date=dt.date(2023, 6, 30))
    group = TaskRow(id=3, notice_id=1, parent_id=1, position=1, depth=2, number="（二）", title="公开审计结果",
                    units=["县审计局"], child_count=1)
    item = TaskRow(id=4, notice_id=1, parent_id=3, position=0, depth=3, number="1.", text="公开整改结果")
    rows = [sec, only_units, group, item]
    out = tmp_path / "o.pdf"
    export("open", notice, rows, "pdf", out, today=TODAY)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(str(out)).pages))
    # one row per item, its units (of the row, else of its task) in their column; lateness without day counts
    assert "公开预决算" in text and "县财政局" in text and "县审计局" in text and NO_UNIT not in text
    assert "推进中已超期" in text and "共2项，其中1项已超过完成时限" in text and "15天" not in text
    docx_out = tmp_path / "r.pdf"
    export("report", notice, copy.deepcopy(rows), "pdf", docx_out, today=TODAY)
    report = "".join(p.extract_text() for p in PdfReader(str(docx_out)).pages)
    assert "未明确" not in report and "县财政局负责" in re.sub(r"\s+", "", report)
