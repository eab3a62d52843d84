"""Bad input of every kind raises NoticeReadError with one clear Chinese sentence, and nothing else."""
from __future__ import annotations

import io
import os
import random
import zipfile

import pytest

from desktop.importing import NoticeReadError, parse_pasted, parse_path
from tests.conftest import CORPUS


def _assert_clear(exc: NoticeReadError):
    msg = str(exc)
    assert msg and "\n" not in msg and "Traceback" not in msg
    assert any("\u4e00" <= ch <= "\u9fff" for ch in msg)
    assert msg.endswith("。")


def _expect_error(path) -> str:
    with pytest.raises(NoticeReadError) as info:
        parse_path(path)
    _assert_clear(info.value)
    return str(info.value)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf", ".txt", ".html", ".mht", ".doc"])
def test_empty_file(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert "空的" in _expect_error(path)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf", ".txt"])
def test_random_bytes(tmp_path, suffix):
    rnd = random.Random(7)
    path = tmp_path / f"noise{suffix}"
    path.write_bytes(bytes(rnd.randrange(256) for _ in range(5000)))
    _expect_error(path)


def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("一、测试")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_truncated_docx(tmp_path):
    data = _docx_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    assert ".docx" in _expect_error(path)


def test_zip_that_is_not_a_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "不是 Word 文件")
    path = tmp_path / "fake.docx"
    path.write_bytes(buf.getvalue())
    _expect_error(path)


def test_docx_named_xlsx(tmp_path):
    path = tmp_path / "wrong.xlsx"
    path.write_bytes(_docx_bytes())
    _expect_error(path)


def test_undecodable_text(tmp_path):
    path = tmp_path / "broken.txt"
    good = "各乡镇人民政府：现将工作要点印发给你们，请认真贯彻落实。".encode("gbk")
    path.write_bytes(b"\xff".join([good] * 30))  # GBK text with bytes no Chinese encoding allows
    assert "编码" in _expect_error(path)


def test_other_encodings_are_decoded_right_or_refused(tmp_path):
    text = "泰州市人民政府辦公室關於印發政務公開工作要點的通知" * 10
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    assert parse_path(path).original_text.startswith("泰州市人民政府辦公室")


def test_wrong_encoding_is_never_guessed_silently(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 10)
    _expect_error(path)


def test_huge_file_refused(tmp_path):
    path = tmp_path / "huge.docx"
    with open(path, "wb") as f:
        f.seek(51 * 1024 * 1024)
        f.write(b"\0")
    assert "50 MB" in _expect_error(path)


def test_doc_without_libreoffice(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "另存为 .docx" in _expect_error(path)


def test_encrypted_xlsx(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048))
    assert "密码" in _expect_error(path)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as f:
        w.write(f)
    assert "密码" in _expect_error(path)


def test_truncated_pdf(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n")
    _expect_error(path)


def test_unknown_type_and_missing_file(tmp_path):
    path = tmp_path / "notice.zzz"
    path.write_bytes(b"\x00\x01\x02")
    assert "不支持" in _expect_error(path)
    _expect_error(tmp_path / "missing.docx")
    _expect_error(tmp_path)


def test_empty_paste():
    for text in ("", "   \n\t "):
        with pytest.raises(NoticeReadError) as info:
            parse_pasted(text)
        _assert_clear(info.value)


def test_broken_html_still_reads(tmp_path):
    path = tmp_path / "page.html"
    text = (CORPUS / "000_songming_2021.txt").read_text(encoding="utf-8")
    path.write_text("<html><body><div><p>" + text.replace("\n", "<br>") + "</div", encoding="gb18030")
    assert len(parse_path(path).tasks) == 19
