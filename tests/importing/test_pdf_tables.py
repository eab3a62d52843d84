"""PDF tables read by position (pdfplumber): the corpus 乐至 notice printed to PDF by LibreOffice scores like
its .docx, with and without cell rules; a table over pages with its header repeated and a row split by the
page break reads as one; text around a table keeps its order; page numbers and running headers go."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from desktop.importing import parse_path, read_document, to_json_dict
from desktop.importing.model import Table
from tests.conftest import CORPUS, REPO
from tests.documents.libreoffice import need_soffice
from tests.importing.builders import corpus_blocks, make_docx

LEZHI = "002_lezhi_2023_table"



def print_to_pdf(docx_path, out_dir):
    """The .docx printed to PDF by LibreOffice, as a clerk's office system would; the repository's CJK fonts are
    given to it through a private fontconfig, so the machine needs none."""
    fonts = out_dir / "fonts.conf"
    fonts.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                     '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                     f'<dir>{REPO / "resources" / "fonts"}</dir><cachedir>{out_dir / "fc-cache"}</cachedir></fontconfig>',
                     encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts))
    subprocess.run([need_soffice(), "--headless", "--norestore", f"-env:UserInstallation={(out_dir / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
                   check=True, capture_output=True, timeout=240, env=env)
    return out_dir / (docx_path.stem + ".pdf")


@pytest.fixture(scope="module")
def lezhi_pdfs(tmp_path_factory):
    """乐至 as .docx (header row repeated on each page) and printed to PDF, without and with cell rules."""
    out = tmp_path_factory.mktemp("lezhi")
    blocks = corpus_blocks(CORPUS / f"{LEZHI}.txt")
    made = {}
    for style in ("plain", "ruled"):
        docx_path = make_docx(blocks, out / f"{LEZHI}_{style}.docx", textbox=False, ruled=style == "ruled",
                              repeat_header=True)
        made[style] = (docx_path, print_to_pdf(docx_path, out))
    return made


@pytest.mark.parametrize("style", ["plain", "ruled"])
def test_lezhi_printed_to_pdf_scores_like_its_docx(style, lezhi_pdfs, scorer):
    gold = json.loads((CORPUS / f"{LEZHI}.gold.json").read_text(encoding="utf-8"))
    docx_path, pdf_path = lezhi_pdfs[style]
    from_docx = scorer.score(gold, to_json_dict(parse_path(docx_path)))
    from_pdf = scorer.score(gold, to_json_dict(parse_path(pdf_path)))
    summary = scorer.summary(from_pdf)
    for key in ("recall", "precision", "units_f1", "deadline"):
        assert from_pdf[key] >= 0.95, summary
        assert from_pdf[key] >= from_docx[key] - 0.01, summary
    assert from_pdf["meta_ok"] == from_pdf["meta_n"], summary


@pytest.mark.parametrize("style", ["plain", "ruled"])
def test_lezhi_table_over_pages_is_one_table(style, lezhi_pdfs):
    doc = read_document(lezhi_pdfs[style][1])
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(table.rows) == 45  # the header and 44 rows, over several pages
    assert sum(1 for r in table.rows if "序号" in r[0]) == 1  # the header repeated on each page is dropped
    content = [r[3] for r in table.rows[1:]]
    assert all(c.startswith(f"（{n}）") for n, c in enumerate(content, 1)), content  # split rows joined
    assert all(r[4].strip() and r[5].strip() for r in table.rows[1:])
    paras = [b for b in doc.blocks if isinstance(b, str) and b.strip()]
    assert paras.index("附件：2023年全县政务公开工作要点任务分解表") < paras.index("2023年全县政务公开工作要点任务分解表")
    assert not any("— 1 —" in p or "页眉" in p for p in paras)  # footer page number and running header


# a table drawn by hand over two pages: header repeated, row 3 split by the page break
ROWS = [
    ["1", "做好预决算公开", "按规定公开预决算，细化到功能分类项级科目。", "县财政局", "6月底前"],
    ["2", "加强政策解读", "落实解读三同步，主要负责人带头解读重要政策。", "县政府办", "全年"],
    ["3", "推进基层政务公开", "编制基层政务公开事项目录，完善乡镇便民服务中心公开专区，", "各乡镇人民政府", "9月底前"],
    ["4", "规范依申请公开", "规范答复文书，健全转办、督办机制。", "县司法局", "长期坚持"],
]
SPLIT = "及时更新公开内容。"
HEADER = ["序号", "任务名称", "具体内容", "责任单位", "完成时限"]
XS = [40, 75, 170, 390, 480, 555]


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WQY", str(REPO / "resources" / "fonts" / "wqy-microhei.ttc"), subfontIndex=0))
    return "WQY"


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, cur = [], ""
    for ch in text:
        if stringWidth(cur + ch, font, size) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    return lines + [cur] if cur else lines


def _draw_split_table(path, ruled: bool, number_style: tuple[str, str]):
    from reportlab.pdfgen import canvas

    font, size, pitch = _font(), 10, 14
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(font, size)

    def row(y: float, cells: list[str]) -> float:
        wrapped = [_wrap(t, XS[k + 1] - XS[k] - 10, font, size) for k, t in enumerate(cells)]
        height = max(len(w) for w in wrapped) * pitch + 8
        for k, lines in enumerate(wrapped):
            for n, line in enumerate(lines):
                c.drawString(XS[k] + 5, y - 4 - size - n * pitch, line)
            if ruled:
                c.rect(XS[k], y - height, XS[k + 1] - XS[k], height)
        return y - height

    c.drawString(40, 800, "某县人民政府办公室关于印发2024年政务公开工作要点任务分解表的通知")
    c.drawString(40, 780, "各乡镇人民政府，县级各部门：")
    c.drawString(60, 760, "现将任务分解表印发给你们，请认真贯彻落实。")
    y = row(730, HEADER)
    for cells in ROWS[:3]:
        y = row(y, cells)
    c.drawString(280, 40, number_style[0])
    c.showPage()
    c.setFont(font, size)
    y = row(800, HEADER)
    y = row(y, ["", "", SPLIT, "", ""])  # the rest of row 3: 序号 and unit cells empty
    y = row(y, ROWS[3])
    c.drawString(40, y - 30, "本表由县政务公开办公室负责解释。")
    c.drawString(280, 40, number_style[1])
    c.showPage()
    c.save()


@pytest.mark.parametrize("ruled", [False, True], ids=["aligned", "ruled"])
@pytest.mark.parametrize("numbers", [("— 1 —", "— 2 —"), ("-1-", "-2-"), ("第 1 页", "第 2 页")])
def test_table_over_a_page_break_reads_as_one(tmp_path, ruled, numbers):
    path = tmp_path / "分解表.pdf"
    _draw_split_table(path, ruled, numbers)
    doc = read_document(path)
    kinds = ["T" if isinstance(b, Table) else "P" for b in doc.blocks if not isinstance(b, str) or b.strip()]
    assert kinds == ["P", "P", "P", "T", "P"]  # paragraphs around the table keep their order
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    got = [[c.replace("\n", "") for c in r] for r in table.rows]
    expected = [HEADER] + [list(r) for r in ROWS]
    expected[3][2] += SPLIT
    assert got == expected
    text = "\n".join(b for b in doc.blocks if isinstance(b, str))
    assert numbers[0] not in text and numbers[1] not in text
    parsed = parse_path(path)
    assert [t.deadline for t in parsed.tasks] == ["6月底前", "全年", "9月底前", "长期坚持"]
    assert parsed.tasks[2].text.endswith(SPLIT) and parsed.tasks[2].units == ["各乡镇人民政府"]


def test_running_header_dropped(tmp_path):
    from reportlab.pdfgen import canvas

    font = _font()
    path = tmp_path / "notice.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for page in range(3):
        c.setFont(font, 9)
        c.drawString(40, 815, "某县人民政府办公室文件")  # the same line at the top of every page
        c.setFont(font, 11)
        c.drawString(40, 760, f"{'一二三'[page]}、第{page + 1}项工作。（县财政局负责落实）")
        c.drawString(290, 30, f"-{page + 1}-")
        c.showPage()
    c.save()
    paras = [b for b in read_document(path).blocks if isinstance(b, str) and b.strip()]
    assert paras == ["一、第1项工作。（县财政局负责落实）", "二、第2项工作。（县财政局负责落实）",
                     "三、第3项工作。（县财政局负责落实）"]
