"""Decomposition tables in .xlsx (merged cells, header not on the first row) and PDFs with a text layer."""
from __future__ import annotations

import pytest

from desktop.importing import NoticeReadError, parse_path
from tests.conftest import REPO


def test_xlsx_decomposition_table(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "2024年某县政务公开工作要点任务分解表"
    ws.merge_cells("A1:F1")
    ws["A2"] = "填报单位：县政府办公室"
    ws.append(["序号", "任务名称", "具体内容", "牵头单位", "责任单位", "完成时限"])
    ws.append([1, "深化主动公开", "（1）做好财政预决算公开", "县财政局", "县级各部门", "9月底前"])
    ws.append([None, None, "（2）做好惠民资金公开", "县财政局", "县民政局、县农业农村局等县级部门", "每季度"])
    ws.append([2, "加强政策解读", "（3）落实解读三同步", "县政府办", "县发改局牵头，县司法局配合", "全年"])
    ws.append([None, None, "（4）开展在线访谈", "县融媒体中心", "各乡镇人民政府、街道办事处", "长期坚持"])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("A6:A7")
    ws.merge_cells("B6:B7")
    path = tmp_path / "分解表.xlsx"
    wb.save(path)
    parsed = parse_path(path)
    assert parsed.title == "2024年某县政务公开工作要点任务分解表"
    assert parsed.year == 2024
    got = [(t.title, t.text, t.lead_units, t.units, t.deadline, t.deadline_kind) for t in parsed.tasks]
    assert got == [
        ("深化主动公开", "做好财政预决算公开", ["县财政局"], ["县级各部门"], "9月底前", "date"),
        ("深化主动公开", "做好惠民资金公开", ["县财政局"], ["县民政局", "县农业农村局"], "每季度", "recurring"),
        ("加强政策解读", "落实解读三同步", ["县政府办", "县发改局"], ["县司法局"], "全年", "year_round"),
        ("加强政策解读", "开展在线访谈", ["县融媒体中心"], ["各乡镇人民政府", "街道办事处"], "长期坚持", "long_term"),
    ]
    assert str(parsed.tasks[0].due_date) == "2024-09-30"
    assert parsed.tasks[3].collective == {"各乡镇人民政府", "街道办事处"}


def _pdf_font():
    from reportlab.pdfbase import pdfmetrics

    ttc = REPO / "resources" / "fonts" / "wqy-microhei.ttc"
    if ttc.exists():
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("WQY", str(ttc), subfontIndex=0))
        return "WQY"
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


LINES = [
    "某县人民政府办公室关于印发2024年政务公开工作要点的通知",
    "各乡镇人民政府，县级各部门：",
    "现将《2024年政务公开工作要点》印发给你们，请认真贯彻落实。",
    "某县人民政府办公室",
    "2024年3月5日",
    "一、强化主动公开",
    "（一）做好预决算公开。按规定公开预决算。（牵头单位：县财政局；责任单位：县级各部门）",
    "（二）加强政策解读。落实解读三同步。（县政府办牵头，县融媒体中心配合）",
]


def test_pdf_with_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    font = _pdf_font()
    path = tmp_path / "notice.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(font, 11)
    y = 800
    for line in LINES:
        c.drawString(30, y, line)
        y -= 22
    c.drawString(280, 40, "— 1 —")
    c.save()
    parsed = parse_path(path)
    assert parsed.title == LINES[0]
    assert str(parsed.date) == "2024-03-05"
    assert [(t.title, t.lead_units, t.units) for t in parsed.tasks] == [
        ("做好预决算公开", ["县财政局"], ["县级各部门"]),
        ("加强政策解读", ["县政府办"], ["县融媒体中心"]),
    ]


def test_scanned_pdf_has_no_text(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 600, fill=1)  # a "scanned page": graphics only
    c.showPage()
    c.save()
    with pytest.raises(NoticeReadError, match="没有文字层"):
        parse_path(path)
