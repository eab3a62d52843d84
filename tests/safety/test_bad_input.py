"""Bad input (issue 8), the cases tests/importing does not already cover: a .doc renamed .docx, a
password-protected .xlsx, an .xls renamed .xlsx, a 50 MB text file, a PDF with no text layer, text
in unexpected encodings, a file that disappears while being read, and a reader that hangs (the time
limit on every read). Each: one clear Chinese sentence, exit status 2 on the command line, nothing
written to the ledger, memory bounded. (Empty files, random bytes, truncated files, zip bombs, XXE
and scripts: tests/importing/test_hostile*.py; evidence names: tests/storage/test_evidence.py.)"""
from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from desktop.importing import NoticeReadError, parse_path
from desktop.importing import readers as readers_pkg
from desktop.importing.readers import legacy_reader, text_reader
from desktop.storage.paths import DB_FILE_NAME
from tests.safety import hostile_files as hf
from tests.safety.conftest import assert_refused

NOTICE = "000_songming_2021.txt"


def refused(path: Path) -> str:
    with pytest.raises(NoticeReadError) as info:
        parse_path(path)
    msg = str(info.value)
    assert msg and "\n" not in msg and "Traceback" not in msg and msg.endswith("。")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in msg)
    return msg


def nothing_stored(data_dir: Path) -> None:
    db = data_dir / DB_FILE_NAME
    if db.exists():  # the command line parses before it opens the ledger, so normally there is none
        import sqlite3

        con = sqlite3.connect(db)
        assert con.execute("SELECT count(*) FROM notice").fetchone() == (0,)
        con.close()


# --- the corpus ----------------------------------------------------------------------------------
def test_password_protected_xlsx(tmp_path):
    path = tmp_path / "任务分解表.xlsx"
    path.write_bytes(hf.encrypted_ooxml())
    assert "设置了打开密码" in refused(path)


def test_password_protected_docx(tmp_path):
    path = tmp_path / "通知.docx"
    path.write_bytes(hf.encrypted_ooxml())
    assert "设置了打开密码" in refused(path)


def test_doc_renamed_docx_without_libreoffice_says_what_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy_reader, "find_office", lambda: None)
    path = tmp_path / "通知.docx"
    path.write_bytes(hf.word97_doc())
    msg = refused(path)
    assert ".doc" in msg and "另存为 .docx" in msg and "密码" not in msg


def test_doc_renamed_docx_is_converted_like_a_doc(tmp_path, monkeypatch):
    """With LibreOffice, a renamed .doc goes the .doc way (conversion), not 'encrypted'."""
    seen = {}

    def fake_run(cmd, **kwargs):
        seen["src"] = Path(cmd[-1]).name
        raise legacy_reader.subprocess.CalledProcessError(1, cmd)

    monkeypatch.setattr(legacy_reader, "find_office", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(legacy_reader.subprocess, "run", fake_run)
    path = tmp_path / "通知.docx"
    path.write_bytes(hf.word97_doc())
    assert "LibreOffice 未能转换该 .doc 文件" in refused(path)
    assert seen["src"] == "source.doc"


def test_xls_renamed_xlsx(tmp_path):
    # an Excel 97 file named .xlsx is read as what it is (python-calamine); this one holds no cell
    path = tmp_path / "表.xlsx"
    path.write_bytes(hf.excel97_xls())
    assert "该表格是空的" in refused(path)


def test_fifty_megabyte_text_file_is_refused_quickly_with_bounded_memory(tmp_path):
    line = (tmp_path.parent / "x").name  # any text; only the size matters
    path = tmp_path / "huge.txt"
    chunk = ("（一）推进政务公开标准化规范化建设。县政数局牵头，各乡镇人民政府负责。" + line + "\n").encode("utf-8")
    with open(path, "wb") as f:
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            f.write(chunk)
    assert path.stat().st_size > 49 * 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        msg = refused(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "远超一份通知的篇幅" in msg
    assert time.monotonic() - started < 10
    assert peak < 3 * path.stat().st_size  # the bytes once, nothing decoded or parsed


def test_over_fifty_megabytes_of_anything_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.seek(50 * 1024 * 1024 + 10)
        f.write(b"x")
    assert "超过 50 MB" in refused(path)


def test_pdf_with_no_text_layer(tmp_path):
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(hf.image_only_pdf())
    assert "没有文字层" in refused(path)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32", "gb18030", "hz", "big5"])
def test_text_in_other_encodings_is_read_right(tmp_path, corpus_dir, encoding):
    text = (corpus_dir / NOTICE).read_text(encoding="utf-8")
    if encoding in ("big5", "hz"):  # keep only what the encoding can hold
        text = text.encode(encoding, errors="ignore").decode(encoding)
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    parsed = parse_path(path)
    assert parsed.original_text.startswith(text[:15].strip()) and len(parsed.tasks) >= 15


@pytest.mark.parametrize("encoding", ["euc-kr", "cp1252", "koi8-r"])
def test_text_in_an_unexpected_encoding_is_refused_not_guessed(tmp_path, encoding):
    sample = {"euc-kr": "정부 업무 보고서를 인쇄하여 배포합니다. ", "cp1252": "Überblick über die Maßnahmen für 2024. ",
              "koi8-r": "О работе администрации района в 2024 году. "}[encoding]
    path = tmp_path / "notice.txt"
    path.write_bytes((sample * 200).encode(encoding))
    assert "编码" in refused(path)


def test_file_that_disappears_while_being_read(tmp_path, monkeypatch, corpus_dir):
    path = tmp_path / "通知.txt"
    path.write_bytes((corpus_dir / NOTICE).read_bytes())
    real = Path.read_bytes

    def vanish_then_read(self):
        if self == path:
            self.unlink()  # between the size check (stat) and the read
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", vanish_then_read)
    assert "在读取时不见了" in refused(path)


def test_a_reader_that_hangs_is_stopped_by_the_time_limit(tmp_path, monkeypatch, corpus_dir):
    def hang(data):
        time.sleep(5)
        raise AssertionError("should have been abandoned")

    monkeypatch.setattr(readers_pkg, "READ_TIMEOUT_S", 1.0)
    monkeypatch.setattr(text_reader, "read_text_bytes", hang)
    path = tmp_path / "通知.txt"
    path.write_bytes((corpus_dir / NOTICE).read_bytes())
    started = time.monotonic()
    msg = refused(path)
    assert msg.startswith("读取超时：“通知.txt”在 1 秒内没有读完") and time.monotonic() - started < 3


def test_time_limit_from_the_environment(monkeypatch):
    monkeypatch.setenv("NOTICEDESK_READ_TIMEOUT", "7")
    assert readers_pkg._time_limit("docx") == 7.0
    assert readers_pkg._time_limit("ole") == 7.0 + legacy_reader.OFFICE_TIMEOUT_S
    monkeypatch.delenv("NOTICEDESK_READ_TIMEOUT")
    assert readers_pkg._time_limit("docx") == readers_pkg.READ_TIMEOUT_S == 30.0
    # a PDF or an image may need OCR (seconds a page) when the extra is installed
    from desktop.importing.readers.ocr_reader import OCR_TIMEOUT_S, ocr_available

    assert readers_pkg._time_limit("pdf") == (max(30.0, OCR_TIMEOUT_S) if ocr_available() else 30.0)


def test_reader_errors_still_cross_the_worker_thread(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n")
    assert ".pdf" in refused(path)


# --- the command line: exit 2, one line, nothing stored ------------------------------------------
@pytest.mark.parametrize("name, build", [
    ("锁定.xlsx", hf.encrypted_ooxml),
    ("扫描件.pdf", hf.image_only_pdf),
    ("韩文.txt", lambda: ("정부 업무 보고서를 인쇄하여 배포합니다. " * 200).encode("euc-kr")),
])
def test_cli_import_of_bad_files(run_cli, tmp_path, data_dir, name, build):
    path = tmp_path / name
    path.write_bytes(build())
    proc = run_cli("import", str(path), data_dir=data_dir)
    assert_refused(proc, "无法读取文件")
    assert proc.stderr.count("\n") == 1
    nothing_stored(data_dir)


def test_cli_read_timeout(run_cli, tmp_path, data_dir, corpus_dir):
    """A hanging reader, in a real process, with the limit from $NOTICEDESK_READ_TIMEOUT."""
    import subprocess
    import sys

    path = tmp_path / "通知.txt"
    path.write_bytes((corpus_dir / NOTICE).read_bytes())
    script = ("import sys, time; from desktop.importing.readers import text_reader; "
              "text_reader.read_text_bytes = lambda data: time.sleep(60); "
              "from desktop.cli import main; sys.exit(main(sys.argv[1:]))")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script, "import", str(path), "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[2],
                          env={**__import__("os").environ, "NOTICEDESK_READ_TIMEOUT": "1"})
    assert_refused(proc, "读取超时")
    assert time.monotonic() - started < 20
    nothing_stored(data_dir)
