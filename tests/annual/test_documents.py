"""JSON → .docx/.pdf → read back: every label and number of tables 二/三/四 in its cell, the section
headings and texts, portrait A4, embedded fonts, a sane page count; the merged headers as in the template."""
from __future__ import annotations

import re

import pytest
from docx import Document
from pypdf import PdfReader

from desktop.annual import store
from desktop.annual.grids import LAYOUTS, format_value
from desktop.annual.labels import SECTIONS
from desktop.documents.annual_report_doc import build_annual, export_annual

pytestmark = pytest.mark.usefixtures("no_system_fonts")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def expected_cells(report, table_id):
    """(row, col, text) of every cell of the grid as the document must print it."""
    for c in LAYOUTS[table_id].cells:
        text = format_value(report.get(table_id, *c.key)) if c.key else c.text
        yield c, text


@pytest.fixture
def loaded(report, tmp_path):
    """The report after a trip through its JSON file, with a blank cell and a 0 in it."""
    report.tables["T4"].values[("after_review", "other")] = None
    report.tables["T2"].values[("licensing", "decisions")] = 0
    return store.load(store.save(report, tmp_path / "report.json"))


def test_docx_has_every_label_and_number_in_its_merged_cell(loaded, tmp_path):
    out = tmp_path / "r.docx"
    export_annual(loaded, "docx", out)
    d = Document(str(out))
    assert len(d.tables) == 3
    for table, tid in zip(d.tables, ("T2", "T3", "T4"), strict=True):
        g = LAYOUTS[tid]
        assert len(table.rows) == g.n_rows and len(table.columns) == g.n_cols
        for c, text in expected_cells(loaded, tid):
            # a merged cell is the same cell at every grid position it covers
            corner = table.cell(c.row, c.col)
            far = table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1)
            assert corner._tc is far._tc, (tid, c)
            assert corner.text == text, (tid, c, corner.text, text)
    assert d.tables[2].cell(3, 12).text == ""  # blank stays blank
    assert d.tables[0].cell(6, 1).text == "0"  # 0 prints as 0
    paras = [p.text for p in d.paragraphs if p.text]
    assert paras[0] == f"{loaded.organ}\n{loaded.year}年政府信息公开工作年度报告"
    for s in SECTIONS:
        assert f"{s.no}、{s.title}" in paras
    for no, text in loaded.texts.items():
        for line in text.split("\n"):
            assert line in paras, (no, line)
    sect = d.sections[0]
    assert (round(sect.page_width.mm), round(sect.page_height.mm)) == (210, 297)
    # header rows repeat on each page; T3's corner note spans 3 rows and 3 columns
    t3 = d.tables[1]
    assert all(t3.rows[i]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None for i in range(3))


def test_pdf_has_every_label_and_number_in_order(loaded, tmp_path):
    out = tmp_path / "r.pdf"
    result = export_annual(loaded, "pdf", out)
    reader = PdfReader(str(out))
    assert result.pages == len(reader.pages)
    assert 3 <= len(reader.pages) <= 5
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        for _name, ref in page["/Resources"]["/Font"].items():
            f = ref.get_object()
            assert "Helvetica" not in str(f["/BaseFont"])
    text = _squash("".join(p.extract_text() for p in reader.pages))
    pos = 0
    for s in SECTIONS:
        heading = f"{s.no}、{s.title}"
        found = text.find(_squash(heading), pos)
        assert found >= 0, heading
        pos = found
        if s.kind == "table":
            for c, cell in expected_cells(loaded, s.table_id):
                if not cell:
                    continue
                found = text.find(_squash(cell), pos)
                assert found >= 0, (s.table_id, c, cell)
                pos = found
        else:
            for line in loaded.texts[s.no].split("\n"):
                found = text.find(_squash(line), pos)
                assert found >= 0, line
                pos = found
    page_numbers = [re.findall(r"—\s*(\d+)\s*—", p.extract_text()) for p in reader.pages]
    assert [n[-1] for n in page_numbers] == [str(i + 1) for i in range(len(reader.pages))]


def test_tables_two_and_four_are_kept_on_one_page(loaded, tmp_path):
    out = tmp_path / "r.pdf"
    export_annual(loaded, "pdf", out)
    pages = [_squash(p.extract_text()) for p in PdfReader(str(out)).pages]
    for first, last in (("第二十条第（一）项", "行政事业性收费"), ("行政复议", "复议后起诉")):
        assert [i for i, t in enumerate(pages) if first in t][:1] == [i for i, t in enumerate(pages) if last in t][:1]


def test_empty_report_exports_blank_tables(tmp_path):
    from desktop.annual.model import AnnualReport

    r = AnnualReport.empty(2024, "某某街道办事处")
    doc = build_annual(r)
    assert doc.title == "某某街道办事处2024年政府信息公开工作年度报告"
    result = export_annual(r, "pdf", tmp_path / "empty.pdf")
    assert result.pages and result.pages <= 4
    export_annual(r, "docx", tmp_path / "empty.docx")
    d = Document(str(tmp_path / "empty.docx"))
    assert d.tables[1].cell(3, 9).text == ""  # a total of blanks is blank, not 0
