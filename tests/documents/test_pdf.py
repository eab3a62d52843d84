"""The .pdf writer: A4 landscape, embedded TrueType fonts only, all text in order, sane page count,
Chinese line breaking, per-character font fallback, page numbers, progress and cancel."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from desktop.documents import ExportCancelled, export, fonts, layout
from desktop.documents.model import Doc, Para
from desktop.documents.pdf_text import NO_LINE_END, NO_LINE_START, FontSet
from desktop.documents.pdf_writer import PdfWriter
from tests.documents.conftest import TODAY
from tests.documents.sample import all_texts

PUNCTUATED = ("根据《中华人民共和国政府信息公开条例》（国务院令第711号）规定，各单位要“应公开尽公开”；"
              "对涉及群众切身利益的事项，要及时公开、准确解读！是否已公开？请核实：（一）目录；（二）指南。"
              "“放管服”改革（含“一网通办”）、“互联网+政务服务”等工作……要抓紧推进——确保实效。") * 2


def _export(tmp_path, kind, notice, rows, **kw):
    out = tmp_path / f"{kind}.pdf"
    result = export(kind, notice, rows, "pdf", out, today=TODAY, **kw)
    return PdfReader(str(out)), result


def _fonts(reader):
    for page in reader.pages:
        for _name, ref in page["/Resources"]["/Font"].items():
            yield ref.get_object()


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_table_pdf_is_landscape_a4_with_embedded_truetype_only(tmp_path, notice, rows):
    reader, result = _export(tmp_path, "table", notice, rows)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    seen = set()
    for f in _fonts(reader):
        seen.add(str(f["/BaseFont"]))
        assert f["/Subtype"] == "/TrueType"
        assert "/FontFile2" in f["/FontDescriptor"].get_object()
        assert "Helvetica" not in str(f["/BaseFont"])
    assert seen and result.pages == len(reader.pages)


def test_all_task_text_extractable_in_order_and_page_count_sane(tmp_path, notice, rows):
    reader, result = _export(tmp_path, "table", notice, rows)
    text = _squash("".join(p.extract_text() for p in reader.pages))
    pos = 0
    for s in all_texts(rows):
        found = text.find(_squash(s), pos)
        assert found >= 0, s
        pos = found
    assert 7 <= result.pages <= 10  # 9 with today's layout (13 before widths followed the content); a regression shows here


def test_page_numbers_rotated_odd_bottom_left_even_top_left(tmp_path, notice, rows):
    reader, _ = _export(tmp_path, "table", notice, rows)
    for n, page in enumerate(reader.pages[:2], 1):
        data = page.get_contents().get_data().decode("latin-1")
        m = re.search(r"0 -1 1 0 ([\d.]+) ([\d.]+) Tm", data)
        assert m, "no rotated page number"
        x, y = float(m.group(1)), float(m.group(2))
        dash_x = x + layout.DASH_HEIGHT_EM * layout.SIZE_PAGE_NUMBER
        assert abs(dash_x - layout.mm(layout.LANDSCAPE.left - layout.PAGE_NUMBER_GAP_MM)) < 0.5
        assert (y < 595 / 2) if n % 2 else (y > 595 / 2)
        assert f"— {n} —" in page.extract_text() or f"—{n}—" in _squash(page.extract_text())


def test_no_line_starts_with_a_closing_mark_in_a_narrow_column(tmp_path):
    out = tmp_path / "narrow.pdf"
    doc = Doc("窄栏", [Para(PUNCTUATED, "fang", layout.SIZE_BODY, left=w, right=0) for w in (2, 21, 22, 23, 24)],
              landscape=False)
    PdfWriter(doc, out).render()
    lines = [ln.strip() for p in PdfReader(str(out)).pages for ln in p.extract_text().split("\n")
             if ln.strip() and not re.fullmatch(r"— \d+ —", ln.strip())]  # page numbers
    assert len(lines) > 40
    assert not [ln for ln in lines if ln[0] in NO_LINE_START]
    assert not [ln for ln in lines if ln[-1] in NO_LINE_END]
    assert _squash("".join(lines)).count(_squash(PUNCTUATED)) == 5


@pytest.mark.parametrize("width_em", [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 17])
def test_wrap_rules_at_every_width(width_em):
    fs = FontSet()
    lines = fs.wrap(PUNCTUATED, "fang", 12, width_em * 12)
    assert "".join(lines) == PUNCTUATED
    hanging = [ln for ln in lines if fs.width(ln, "fang", 12) > width_em * 12 + 0.01]
    assert not hanging or width_em < 4  # only a 3-character column needs to hang "”）、"
    assert all(ln.rstrip("，。、；：？！）》”’…—") and fs.width(ln.rstrip("，。、；：？！）》”’…—"), "fang", 12)
               <= width_em * 12 + 0.01 for ln in hanging)
    assert not [ln for ln in lines[1:] if ln[0] in NO_LINE_START]
    assert not [ln for ln in lines[:-1] if ln[-1] in NO_LINE_END]


def test_table_cells_keep_the_rules_too(tmp_path, notice, rows):
    reader, _ = _export(tmp_path, "table", notice, rows)
    lines = [ln.strip() for p in reader.pages for ln in p.extract_text().split("\n") if ln.strip()]
    assert not [ln for ln in lines if ln[0] in NO_LINE_START - {"—"}]


def test_missing_glyph_comes_from_another_font(tmp_path):
    fs = FontSet()
    primary = fs.chain("fang")[0]
    assert ord("〇") not in primary.cmap  # AR PL SungtiL GB has no 〇
    runs = fs.runs("二〇二三年", "fang")
    assert [t for _, t in runs] == ["二", "〇", "二三年"]
    assert runs[1][0] != runs[0][0]
    out = tmp_path / "fallback.pdf"
    w = PdfWriter(Doc("缺字", [Para("二〇二三年十二月", "fang")], landscape=False), out)
    w.render()
    assert "二〇二三年" in PdfReader(str(out)).pages[0].extract_text()
    used = {str(f["/BaseFont"]).split("+")[-1] for f in _fonts(PdfReader(str(out)))}
    assert any("WenQuanYi" in u for u in used) and any("Bousung" in u for u in used)
    report = w.fonts.fallback_report()
    assert any(f.chars == "〇" for f in report)
    assert any(f.role == "仿宋" and not f.chars for f in report)  # no 仿宋 installed: the whole role fell back
    assert not w.fonts.missing


def test_official_font_preferred_when_installed(tmp_path, monkeypatch, notice, rows):
    kai = fonts.bundled_file("kai")
    monkeypatch.setattr(fonts, "installed", lambda: {"楷体": kai})
    _, result = _export(tmp_path, "open", notice, rows)
    assert not [f for f in result.fallbacks_used if f.role == "楷体" and not f.chars]
    assert [f for f in result.fallbacks_used if f.role == "仿宋" and not f.chars]
    assert any("仿宋" in m for m in result.messages())


@pytest.mark.parametrize("kind", ["units", "open", "progress"])
def test_other_documents_render(tmp_path, notice, rows, kind):
    reader, result = _export(tmp_path, kind, notice, rows)
    text = _squash("".join(p.extract_text() for p in reader.pages))
    assert result.pages == len(reader.pages) >= 2
    if kind == "open":
        assert "截至2023年7月15日" in text and "已超期" in text and "15天" not in text  # no day counts
    elif kind == "units":
        assert text.count("任务清单") >= 11
    else:
        assert "落实情况汇总表" in text


def test_progress_reaches_total_and_cancel_leaves_no_file(tmp_path, notice, rows):
    seen = []
    export("table", notice, rows, "pdf", tmp_path / "a.pdf", progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    for fmt in ("pdf", "docx"):
        with pytest.raises(ExportCancelled):
            export("table", notice, rows, fmt, tmp_path / f"b.{fmt}", cancel=lambda: True)
        assert not (tmp_path / f"b.{fmt}").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_long_task_splits_across_pages_and_repeats_header(tmp_path, notice, rows):
    long_rows = [r for r in rows]
    big = long_rows[1]
    original = big.text
    try:
        big.text = original * 30  # taller than a page: the one case a row is split
        reader, _ = _export(tmp_path, "table", notice, long_rows)
        assert all("具体内容" in p.extract_text() for p in reader.pages)
    finally:
        big.text = original
