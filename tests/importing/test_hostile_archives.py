"""Hostile files: a zip bomb named .docx/.xlsx, a .docx with external XML entities, a page with scripts."""
from __future__ import annotations

import json
import resource
import zipfile

import docx
import pytest

from desktop.importing import NoticeReadError, parse_path, to_json_dict


def _base_docx(path):
    d = docx.Document()
    d.add_paragraph("关于印发2023年政务公开工作要点的通知")
    d.add_paragraph("一、加强政策解读")
    d.add_paragraph("1.做好解读工作。（县政府办负责落实）")
    d.save(str(path))


@pytest.mark.parametrize("suffix, member", [(".docx", "word/document.xml"), (".xlsx", "xl/worksheets/sheet1.xml")])
def test_zip_bomb_refused_with_bounded_memory(tmp_path, suffix, member):
    bomb = tmp_path / f"通知{suffix}"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(member, "w", force_zip64=True) as f:
            block = b"0" * (1 << 20)
            for _ in range(260):  # 260 MB of zeros, about 250 KB compressed
                f.write(block)
    assert bomb.stat().st_size < 2_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(NoticeReadError) as err:
        parse_path(bomb)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "异常巨大" in str(err.value)
    assert grown_mb < 100


def test_external_entities_never_read_from_disk(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密口令XYZZY", encoding="utf-8")
    base = tmp_path / "base.docx"
    _base_docx(base)
    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(evil, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:document", f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                                    .encode() + b"<w:document", 1)
                data = data.replace("做好解读工作".encode(), b"&x;")
            zout.writestr(item, data)
    try:
        out = json.dumps(to_json_dict(parse_path(evil)), ensure_ascii=False)
    except NoticeReadError as exc:
        out = str(exc)
    assert "XYZZY" not in out


def test_scripts_in_a_saved_page_are_not_text(tmp_path):
    page = tmp_path / "notice.html"
    page.write_text(
        "<html><head><script>document.write('一、脚本里的任务')</script><style>p{color:red}</style></head><body>"
        "<p>关于印发2023年政务公开工作要点的通知</p><p>一、加强政策解读</p>"
        "<p>1.做好解读工作。（县政府办负责落实）</p><script>var t='二、脚本内容（县财政局负责落实）';</script>"
        "<noscript>请启用脚本</noscript></body></html>", encoding="utf-8")
    parsed = parse_path(page)
    text = parsed.source_text + json.dumps(to_json_dict(parsed), ensure_ascii=False)
    assert "脚本" not in text and "color" not in text
    assert [t.title for t in parsed.tasks] == ["做好解读工作"]
