"""The portrait 落实情况报告: GB/T 9704 page, 22 lines of 28 characters, page numbers, heading fonts."""
from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from desktop.documents import export
from desktop.documents.report import ReportInfo
from tests.documents.conftest import TODAY

INFO = ReportInfo(recipients="县人民政府办公室", signer="县数据资源局", date=dt.date(2023, 7, 20),
                  body=["根据要求，现将落实情况报告如下。", "一、总体进展", "（一）政策解读", "各项任务有序推进" * 50, "特此报告。"])


def test_report_docx_page_and_fonts(tmp_path, notice, rows):
    out = tmp_path / "r.docx"
    export("report", notice, rows, "docx", out, today=TODAY, report=INFO)
    doc = Document(str(out))
    s = doc.sections[0]
    assert [round(x / Mm(1)) for x in (s.page_width, s.page_height)] == [210, 297]
    assert [round(x / Mm(1)) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == f"关于{'2023年政务公开工作要点'}落实情况的报告" and "县人民政府办公室：" in texts
    fonts = {p.text: p.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs if p.runs}
    assert fonts["一、总体进展"] == "黑体" and fonts["（一）政策解读"] == "楷体_GB2312"
    assert fonts["特此报告。"] == "仿宋_GB2312" and fonts[texts[0]] == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("各项"))
    assert body.paragraph_format.first_line_indent.pt == 32 and body.paragraph_format.line_spacing.pt == 28.95
    assert body.runs[0]._r.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert texts[-1] == "2023年7月20日" and texts[-2] == "县数据资源局"
    for footer, align in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT), (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align and "PAGE" in p._p.xml and p.text == "— 1 —"


def test_report_pdf_portrait_with_22_lines_a_page(tmp_path, notice, rows):
    out = tmp_path / "r.pdf"
    result = export("report", notice, rows, "pdf", out, today=TODAY, report=INFO)
    reader = PdfReader(str(out))
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (595, 842)
    lines = [ln for ln in reader.pages[0].extract_text().split("\n") if ln.strip()]
    assert lines[-1] == "— 1 —"
    assert len(lines) - 1 == 22 - 1  # 22 grid lines a page, one of them the blank line under the title
    body = [ln for ln in lines if ln.startswith(("各项", "任务", "有序", "推进"))]
    assert [len(ln) for ln in body[:3]] == [26, 28, 28]  # 28 characters a line, first line indented two
    assert result.pages == 2 and "— 2 —" in reader.pages[1].extract_text()
    assert not result.missing_glyphs


def test_report_drafts_a_body_when_none_given(tmp_path, notice, rows):
    out = tmp_path / "r.pdf"
    export("report", notice, rows, "pdf", out, today=TODAY)
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "截至2023年7月15日" in text and "特此报告。" in text and "逾期" in text
