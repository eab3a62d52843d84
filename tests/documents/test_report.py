"""The portrait 落实情况报告: GB/T 9704 page, 22 lines of 28 characters, page numbers, heading fonts."""
from __future__ import annotations

import copy
import datetime as dt
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from desktop.documents import export
from desktop.documents.report import ReportInfo
from desktop.domain import Status
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
    assert "截至2023年7月15日" in text and "特此报告。" in text and "已超过完成时限" in text


FULL = ReportInfo(title=None, recipients="X县人民政府办公室", signer="X县数据资源局", date=dt.date(2023, 7, 20),
                  header="X县数据资源局文件", doc_number="X数发〔2023〕7号", attachment=True,
                  cc="县委办公室，县人大常委会办公室", printed_by="X县数据资源局办公室", printed_on=dt.date(2023, 7, 21))


def test_report_docx_masthead_attachment_and_imprint(tmp_path, notice, rows):
    out = tmp_path / "full.docx"
    export("report", notice, rows, "docx", out, today=TODAY, report=FULL)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    mark = next(p for p in doc.paragraphs if p.text == "X县数据资源局文件")
    assert {r._r.rPr.find(qn("w:color")).get(qn("w:val")) for r in mark.runs} == {"FF0000"}  # 版头 red
    number = next(p for p in doc.paragraphs if p.text == "X数发〔2023〕7号")
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"  # the red rule under the 发文字号
    assert texts.index("X数发〔2023〕7号") < texts.index("关于2023年政务公开工作要点落实情况的报告")
    assert "附件：2023年政务公开工作要点落实情况汇总表" in texts  # 附件说明, no closing punctuation
    assert texts.index("附件：2023年政务公开工作要点落实情况汇总表") < texts.index("X县数据资源局")
    # the 汇总表 follows as landscape attachment pages, then the 版记 back in portrait
    orient = [s.orientation for s in doc.sections]
    assert orient == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert round(doc.sections[1].page_width / Mm(1)) == 297
    assert "附件" in texts and "落实情况汇总表" in "".join(texts)
    imprint = doc.tables[-1]._tbl
    assert imprint.tblPr.find(qn("w:tblpPr")) is not None  # floats at the bottom of the 版心
    body = "".join(t.text or "" for t in imprint.iter(qn("w:t")))
    assert "抄送：县委办公室，县人大常委会办公室。" in body and "2023年7月21日印发" in body and "X县数据资源局办公室" in body


def test_report_pdf_masthead_attachment_and_imprint(tmp_path, notice, rows):
    out = tmp_path / "full.pdf"
    result = export("report", notice, rows, "pdf", out, today=TODAY, report=FULL)
    reader = PdfReader(str(out))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    texts = [p.extract_text() for p in reader.pages]
    assert texts[0].lstrip().startswith("X县数据资源局文件") and "1 0 0 rg" in reader.pages[0].get_contents().get_data().decode("latin-1")
    start = next(i for i, t in enumerate(texts) if "落实情况汇总表" in t and t.lstrip().startswith("附件"))
    assert all(s == (595, 842) for s in sizes[:start])  # the report in portrait
    assert all(s == (842, 595) for s in sizes[start:-1])  # the attachment landscape
    assert sizes[-1] == (595, 842) and "抄送：" in texts[-1] and "2023年7月21日印发" in texts[-1]  # 版记 last
    assert any("附件：2023年政务公开工作要点落实情况汇总表" in t for t in texts[:start])
    assert result.pages == len(reader.pages)
    assert [f"— {n} —" in t or f"—{n}—" in t.replace(" ", "") for n, t in enumerate(texts, 1)] == [True] * len(texts)


def test_draft_report_fills_every_field_from_the_tasks(notice, rows):
    from desktop.documents import draft_report

    info = draft_report(notice, rows, TODAY, unit="县教育局")
    for name in ("title", "recipients", "body", "signer", "date", "header", "doc_number", "attachment", "cc",
                 "printed_by", "printed_on"):
        assert getattr(info, name) is not None, name
    assert info.title == "关于2023年政务公开工作要点落实情况的报告" and info.recipients == "X县人民政府办公室"
    assert info.signer == info.header == info.printed_by == "县教育局" and info.attachment
    body = info.body
    assert body[0].startswith("根据X县人民政府办公室《2023年政务公开工作要点》（X政办发〔2023〕5号）部署")
    assert body[-1] == "特此报告。"
    headings = [p for p in body if re.match(r"^[一二三四五六七八九十]+、", p)]
    assert headings[0] == "一、围绕稳住经济大盘加强政策发布解读" and headings[-1].endswith("下一步打算")
    text = "".join(body)
    assert "已印发实施方案" in text  # the 落实情况 notes of the tasks
    assert "负责" in text and "未明确" not in text  # open tasks with their units
    assert "完成率" in text and "暂缓" in text
    assert "已超过完成时限" not in text  # its one task past its date is 暂缓: on hold, never overdue
    assert not re.search(r"\d+天", text) and "逾期" not in text  # one sentence a group, no day counts
    assert "时限：2023年9月底前" in text and "时限：长期坚持" in text  # deadlines as the notice wrote them
    all_units = draft_report(notice, rows, TODAY)
    assert all_units.signer == "" and all_units.printed_on is None and len("".join(all_units.body)) > len(text)
    assert "已超过完成时限" in "".join(all_units.body)
    signed = draft_report(notice, rows, TODAY, office="X县人民政府办公室")
    assert signed.signer == "X县人民政府办公室" and signed.header == "" and signed.printed_by == ""


def test_draft_varies_with_the_data(notice, rows):
    from desktop.documents.report import draft_body

    done = [copy.copy(r) for r in rows]
    for r in done:
        r.status = Status.DONE
        r.progress_note = ""
    fresh = [copy.copy(r) for r in rows]
    for r in fresh:
        r.status, r.progress_note = Status.NOT_STARTED, ""
    a, b = draft_body(notice, done, TODAY), draft_body(notice, fresh, TODAY)
    assert "已全部完成" in a[0] and "存在的问题" not in "".join(a)
    assert "尚未启动" in b[0] and any(p.endswith("、存在的问题和下一步打算") for p in b)
    assert a != b
