"""The .docx writer: page set-up, official font names on every run, table flags, page numbers, all text."""
from __future__ import annotations

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from desktop.documents import export, fonts
from tests.documents.conftest import TODAY
from tests.documents.sample import all_texts

OFFICIAL = {"仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "方正小标宋简体"}


def _write(tmp_path, kind, notice, rows, **kw):
    out = tmp_path / f"{kind}.docx"
    result = export(kind, notice, rows, "docx", out, today=TODAY, **kw)
    assert result.path == out and out.exists()
    return Document(str(out)), result


def _runs(doc):
    for p in doc.paragraphs:
        yield from p.runs
    for t in doc.tables:
        for tr in t._tbl.tr_lst:
            yield from tr.iter(qn("w:r"))


def _rfonts(run):
    el = getattr(run, "_r", run)
    return el.find(qn("w:rPr")).find(qn("w:rFonts"))


def _size(run):
    el = getattr(run, "_r", run)
    return int(el.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val"))) / 2


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += ["".join(x.text or "" for x in tr.iter(qn("w:t"))) for tr in t._tbl.tr_lst]
    return "\n".join(parts)


def test_table_page_setup_landscape_with_turned_type_area(tmp_path, notice, rows):
    doc, _ = _write(tmp_path, "table", notice, rows)
    s = doc.sections[0]
    assert s.orientation == WD_ORIENT.LANDSCAPE
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (297, 210)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [28, 26, 35, 37]
    assert round((s.page_width - s.left_margin - s.right_margin) / Mm(1)) == 225
    assert round((s.page_height - s.top_margin - s.bottom_margin) / Mm(1)) == 156


def test_every_run_names_an_official_font_including_east_asian_slot(tmp_path, notice, rows):
    doc, result = _write(tmp_path, "table", notice, rows, columns=["owner", "completion", "remark"])
    runs = list(_runs(doc))
    assert len(runs) > 400
    for r in runs:
        rf = _rfonts(r)
        assert rf.get(qn("w:eastAsia")) in OFFICIAL
        assert rf.get(qn("w:ascii")) == rf.get(qn("w:eastAsia"))
    label, _, title = doc.paragraphs[:3]
    assert label.text == "附件" and _rfonts(label.runs[0]).get(qn("w:eastAsia")) == "黑体"
    assert _size(label.runs[0]) == 16
    assert "任务分解表" in title.text and _size(title.runs[0]) == 22
    assert _rfonts(title.runs[0]).get(qn("w:eastAsia")) == "方正小标宋简体"
    body = doc.tables[0]._tbl.tr_lst[2]
    assert {_size(r) for r in body.iter(qn("w:r"))} == {12}
    assert {_rfonts(r).get(qn("w:eastAsia")) for r in body.iter(qn("w:r"))} == {"仿宋_GB2312"}
    assert "仿宋_GB2312" in result.missing_fonts  # nothing installed in the test font folder


def test_docx_names_the_first_installed_alternate(monkeypatch):
    ff = fonts.FontFile(fonts.bundled_file("kai").path, 0, True)
    monkeypatch.setattr(fonts, "installed", lambda: {"fangsong": ff})
    assert fonts.docx_name("fang") == "仿宋"  # Windows 10 has 仿宋 (simfang.ttf), not 仿宋_GB2312
    assert fonts.docx_name("kai") == "楷体_GB2312"


def test_table_rows_repeat_header_never_split_and_merge_task_cells(tmp_path, notice, rows):
    doc, _ = _write(tmp_path, "table", notice, rows)
    result = export("table", notice, rows, "pdf", tmp_path / "t.pdf")
    assert len(doc.tables) == result.pages  # one table per page of the PDF, each with the header row
    trs = [tr for t in doc.tables for tr in t._tbl.tr_lst]
    heads = [t._tbl.tr_lst[0] for t in doc.tables]
    assert all(h.trPr.find(qn("w:tblHeader")) is not None for h in heads)
    for t in doc.tables:
        assert [c.text for c in t.rows[0].cells] == ["序号", "任务名称", "具体内容", "牵头单位", "责任单位", "完成时限"]
        assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in t._tbl.tr_lst[1:])
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)
    breaks = [p for p in doc.paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == len(doc.tables) - 1  # each next part starts a page
    vmerge = [tc.tcPr.find(qn("w:vMerge")) for tr in trs for tc in tr.tc_lst if tc.tcPr is not None]
    restarts = [v for v in vmerge if v is not None and v.get(qn("w:val")) == "restart"]
    conts = [v for v in vmerge if v is not None and v.get(qn("w:val")) is None]
    # 13 tasks with 3 items: 序号 + 任务名称 merged over their rows on a page (again where a task continues)
    # (an item alone on a page is not merged with anything there)
    assert 2 * 13 <= len(restarts) <= 2 * (13 + result.pages)
    assert 2 * 3 * 13 - 2 * result.pages <= len(restarts) + len(conts) <= 2 * 3 * 13
    spans = [tr for tr in trs if len(tr.tc_lst) == 1]
    assert len(spans) == 5  # section rows span the full width
    grid = [int(g.get(qn("w:w"))) for g in doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(grid) - Mm(225).twips) < 20 and grid[2] == max(grid)


def test_landscape_page_numbers_are_rotated_floating_tables_in_headers(tmp_path, notice, rows):
    doc, _ = _write(tmp_path, "table", notice, rows)
    s = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for header, jc in ((s.header, "right"), (s.even_page_header, "left")):
        tbl = header._element.find(qn("w:tbl"))
        assert tbl is not None
        assert tbl.find(qn("w:tblPr")).find(qn("w:tblpPr")).get(qn("w:horzAnchor")) == "page"
        tc = tbl.find(".//" + qn("w:tc"))
        assert tc.find(qn("w:tcPr")).find(qn("w:textDirection")).get(qn("w:val")) == "tbRl"
        assert "PAGE" in "".join(x.text for x in tc.iter(qn("w:instrText")))
        assert "".join(x.text for x in tc.iter(qn("w:t"))) == "— 1 —"
        assert tc.find(".//" + qn("w:jc")).get(qn("w:val")) == jc
        assert {_rfonts(r).get(qn("w:eastAsia")) for r in tc.iter(qn("w:r"))} == {"宋体"}
        assert {_size(r) for r in tc.iter(qn("w:r"))} == {14}


def test_all_task_text_present(tmp_path, notice, rows):
    doc, _ = _write(tmp_path, "table", notice, rows)
    text = _all_text(doc)
    for s in all_texts(rows):
        assert s in text, s


@pytest.mark.parametrize("kind", ["units", "open", "progress"])
def test_other_documents(tmp_path, notice, rows, kind):
    doc, _ = _write(tmp_path, kind, notice, rows)
    text = _all_text(doc)
    for t in doc.tables:
        assert t._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    if kind == "units":
        assert text.count("任务清单") == 11 and "县教育局（牵头" in text
        assert len(doc.tables) >= 11  # a table per unit, per page of the PDF
    elif kind == "open":
        assert "截至2023年7月15日" in text and "已超期" in text and "天" not in text.split("）", 1)[1]
    else:
        assert "落实情况" in text and "2023年5月20日" in text
    for r in _runs(doc):
        assert _rfonts(r).get(qn("w:eastAsia")) in OFFICIAL


def test_one_unit_only(tmp_path, notice, rows):
    doc, _ = _write(tmp_path, "units", notice, rows, unit="县教育局")
    pages = export("units", notice, rows, "pdf", tmp_path / "u.pdf", unit="县教育局").pages
    assert len(doc.tables) == pages and "县教育局" in doc.paragraphs[1].text
    with pytest.raises(ValueError, match="没有"):
        export("units", notice, rows, "docx", tmp_path / "x.docx", unit="不存在的局")
