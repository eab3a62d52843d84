"""What an exported file says about itself and how it is written: properties, font table, spacing settings,
file mode, and the font cache that keeps a fresh export quick."""
from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from desktop.documents import export, fonts, layout
from tests.documents.conftest import TODAY

OFFICE = "X县人民政府办公室"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_core_and_app_properties_name_the_document_the_office_and_noticedesk(tmp_path, notice, rows):
    out = tmp_path / "t.docx"
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) - dt.timedelta(seconds=1)
    export("table", notice, rows, "docx", out, office=OFFICE)
    cp = Document(str(out)).core_properties
    assert cp.title == "2023年政务公开工作要点任务分解表"
    assert cp.author == cp.last_modified_by == OFFICE
    created, modified = (x.replace(tzinfo=None) for x in (cp.created, cp.modified))
    assert created >= before and modified >= before  # not the template's 2013-12-23
    assert not cp.comments and cp.revision == 1
    with zipfile.ZipFile(out) as z:
        app = z.read("docProps/app.xml").decode("utf-8")
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "<Application>NoticeDesk</Application>" in app and "Microsoft" not in app
    assert "python-docx" not in core


def test_pdf_properties(tmp_path, notice, rows):
    out = tmp_path / "t.pdf"
    export("progress", notice, rows, "pdf", out, today=TODAY, office=OFFICE)
    meta = PdfReader(str(out)).metadata
    assert meta.title == "2023年政务公开工作要点落实情况汇总表" and meta.author == OFFICE
    assert meta.creator == "NoticeDesk" and meta.producer == "NoticeDesk"


def test_font_table_names_each_official_font_with_its_fallbacks(tmp_path, notice, rows):
    out = tmp_path / "t.docx"
    export("table", notice, rows, "docx", out)
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/fontTable.xml"))
    alt = {f.get(f"{W}name"): (f.find(f"{W}altName").get(f"{W}val") if f.find(f"{W}altName") is not None else None)
           for f in root.findall(f"{W}font")}
    assert alt["仿宋_GB2312"] == "仿宋" and alt["仿宋"] == "FangSong" and alt["FangSong"] == "方正仿宋_GBK"
    assert alt["黑体"] == "SimHei" and alt["楷体_GB2312"] == "楷体" and alt["方正小标宋简体"] == "FZXiaoBiaoSong-B05S"
    charset = {f.get(f"{W}name"): f.find(f"{W}charset").get(f"{W}val") for f in root.findall(f"{W}font")}
    assert charset["仿宋_GB2312"] == "86"  # GB2312: Word and WPS substitute a Chinese font
    for role in ("fang", "hei", "kai", "song", "title"):
        assert fonts.ROLES[role].chain[0][0] in alt


def test_no_space_between_chinese_and_digits_no_widow_control_and_no_grid_on_table_pages(tmp_path, notice, rows):
    out = tmp_path / "t.docx"
    export("report", notice, rows, "docx", out, today=TODAY, office=OFFICE)
    d = Document(str(out))
    ppr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN", "w:widowControl"):
        assert ppr.find(qn(tag)).get(qn("w:val")) == "0", tag
    normal = d.styles["Normal"].element.pPr
    assert normal.find(qn("w:autoSpaceDE")).get(qn("w:val")) == "0"
    grids = [s._sectPr.find(qn("w:docGrid")) for s in d.sections]
    assert grids[0].get(qn("w:type")) == "lines" and grids[0].get(qn("w:linePitch")) == "579"  # the report
    assert grids[1].get(qn("w:type")) is None  # the landscape 附件 pages: no line grid to move the table


@pytest.mark.skipif(os.name != "posix", reason="file modes")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664)])
def test_exports_get_the_users_normal_file_mode(tmp_path, notice, rows, umask, mode):
    old = os.umask(umask)
    try:
        for fmt in ("pdf", "docx"):
            out = tmp_path / f"t.{fmt}"
            export("table", notice, rows, fmt, out)
            assert stat.S_IMODE(out.stat().st_mode) == mode, fmt
        kept = tmp_path / "kept.pdf"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        export("table", notice, rows, "pdf", kept)
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640  # a file written over keeps its mode
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".noticedesk-")]


def test_font_metrics_come_from_the_cache_the_second_time(tmp_path, monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFont

    from desktop.documents import font_cache

    monkeypatch.setenv("NOTICEDESK_CACHE_DIR", str(tmp_path))
    path = fonts.bundled_file("hei").path
    parsed = []
    real = font_cache._face_class().__mro__[1].extractInfo

    def counting(self, charInfo=1):  # noqa: N803
        parsed.append(self.filename)
        return real(self, charInfo)

    monkeypatch.setattr(font_cache._face_class().__mro__[1], "extractInfo", counting)
    first = font_cache.make_font("NDtest-a", path, 0)
    second = font_cache.make_font("NDtest-b", path, 0)
    assert len(parsed) == 1 and list((tmp_path / "fonts").glob("*.bin"))
    reference = TTFont("NDtest-c", str(path), subfontIndex=0).face
    for face in (first.face, second.face):
        assert face.charWidths == reference.charWidths and face.charToGlyph == reference.charToGlyph
        assert face.name == reference.name and face.ascent == reference.ascent and face.bbox == reference.bbox
        assert face.makeSubset([0, 0x4E00, 0x4E8C])  # the subset is cut from the file as before
    assert second.face._pdfScale(1024) == reference._pdfScale(1024)


def test_wide_columns_centre_short_values_and_set_wrapped_ones_flush_left(notice, rows):
    from desktop.documents import build
    from desktop.documents.model import Table, table_layout

    table = next(b for b in build("table", notice, rows).blocks if isinstance(b, Table))
    widths, aligns = table_layout(table, layout.mm(layout.TYPE_AREA_H_MM))
    cols = [c.key for c in table.columns]
    assert aligns[cols.index("seq")] == "center" and aligns[cols.index("deadline")] == "center"
    long_units = [r.cells[cols.index("units")] for r in table.rows if hasattr(r, "cells")]
    wraps = any(layout.text_em(u) * layout.TABLE_FONT_SIZE > layout.cell_text_width(widths[cols.index("units")])
                for u in long_units)
    assert aligns[cols.index("units")] == ("left" if wraps else "center")
