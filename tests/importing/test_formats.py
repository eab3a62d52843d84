"""The same notice read from .docx, GB18030 and UTF-16 text, a saved web page and .mht gives the same tasks."""
from __future__ import annotations

import codecs

import pytest

from desktop.importing import parse_path
from tests.conftest import CORPUS
from tests.importing.builders import corpus_blocks, make_docx, make_html, make_mht

NOTICES = sorted(p.stem for p in CORPUS.glob("*.txt"))


def _key(parsed):
    return [(t.title, sorted(t.lead_units), sorted(t.units), t.deadline) for t in parsed.tasks]


@pytest.fixture(scope="module")
def reference():
    return {name: parse_path(CORPUS / f"{name}.txt") for name in NOTICES}


@pytest.mark.parametrize("name", NOTICES)
def test_docx(name, tmp_path, reference):
    path = make_docx(corpus_blocks(CORPUS / f"{name}.txt"), tmp_path / f"{name}.docx")
    parsed = parse_path(path)
    assert _key(parsed) == _key(reference[name])
    assert (parsed.title, parsed.doc_number, parsed.date) == (reference[name].title, reference[name].doc_number,
                                                             reference[name].date)
    assert "文本框" not in parsed.source_text and "页眉" not in parsed.source_text


@pytest.mark.parametrize("name", NOTICES)
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_text_encodings(name, encoding, tmp_path, reference):
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data if name.startswith("000") else data  # with and without a BOM
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    assert _key(parse_path(path)) == _key(reference[name])


@pytest.mark.parametrize("name", NOTICES)
def test_html_page(name, tmp_path, reference):
    page = make_html(corpus_blocks(CORPUS / f"{name}.txt"))
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    parsed = parse_path(path)
    assert _key(parsed) == _key(reference[name])
    assert parsed.title == reference[name].title
    # the frame make_html puts around the notice ("字号：[大]": a notice's own metadata may say 发文字号)
    for chrome in ("欢迎访问", "字号：[大]", "关闭窗口", "责任编辑", "扫一扫", "版权所有", "不是正文"):
        assert chrome not in parsed.source_text


@pytest.mark.parametrize("name", NOTICES)
def test_mht(name, tmp_path, reference):
    page = make_html(corpus_blocks(CORPUS / f"{name}.txt"))
    path = tmp_path / f"{name}.mht"
    path.write_bytes(make_mht(page))
    parsed = parse_path(path)
    assert _key(parsed) == _key(reference[name])
    assert parsed.title == reference[name].title


def test_docx_word_numbering(tmp_path):
    """Labels of Word automatic lists (chineseCounting, decimal…) are rendered from numbering.xml."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="77">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="ideographDigital"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))

    def para(text, ilvl):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{ilvl}"/><w:numId w:val="77"/></w:numPr>'))

    d.add_paragraph("某县2024年政务公开工作要点")
    para("强化主动公开", 0)
    para("做好预决算公开。按规定公开预决算。（牵头单位：县财政局；责任单位：县级各部门）", 1)
    para("加强政策解读。做好解读。（县政府办牵头，县融媒体中心配合）", 1)
    para("优化平台建设", 0)
    para("规范网站管理。开展检查。（县政府办负责落实）", 1)
    path = tmp_path / "numbered.docx"
    d.save(path)
    parsed = parse_path(path)
    assert [t.number for t in parsed.tasks] == ["（一）", "（二）", "（一）"]
    assert parsed.tasks[1].section == "一、强化主动公开 > （二）加强政策解读"
    assert parsed.tasks[2].section.startswith("二、优化平台建设")
    assert parsed.tasks[1].lead_units == ["县政府办"] and parsed.tasks[1].units == ["县融媒体中心"]
