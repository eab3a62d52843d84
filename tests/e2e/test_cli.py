"""The command line of cli.md end to end: file → ledger → document, and bad requests exit 2 in Chinese."""
from __future__ import annotations

import json
import os

import pytest

from desktop.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; argparse's own refusals (SystemExit) count as an exit status too."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def imported(data_dir, corpus_dir, capsys) -> int:
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "import", str(corpus_dir / "002_lezhi_2023_table.txt"))
    assert code == 0
    return int(out.strip().splitlines()[-1])


def test_import_then_list_and_update(data_dir, imported, capsys):
    code, out, _ = run(capsys, "notices", "--json", "--data-dir", str(data_dir))
    notices = json.loads(out)["notices"]
    assert code == 0 and [n["id"] for n in notices] == [imported]
    assert notices[0]["doc_number"] == "乐府办发〔2023〕15号" and notices[0]["year"] == 2023

    code, out, _ = run(capsys, "tasks", str(imported), "--json")
    tasks = json.loads(out)["tasks"]
    assert code == 0 and len(tasks) == 44  # the table's rows; headings only group them
    assert all(t["section"] for t in tasks)
    first = tasks[0]
    code, out, _ = run(capsys, "task", str(first["id"]), "--status", "已完成", "--done-on", "2023-05-06",
                       "--note", "已在政府网站开设专栏")
    assert code == 0
    code, out, _ = run(capsys, "tasks", str(imported), "--json")
    again = json.loads(out)["tasks"][0]
    assert (again["status"], again["done_on"], again["note"]) == ("已完成", "2023-05-06", "已在政府网站开设专栏")


@pytest.mark.parametrize("what", ["table", "units", "open", "progress", "report"])
def test_export_every_document(data_dir, imported, tmp_path, capsys, what):
    import docx
    from pypdf import PdfReader

    for fmt in ("pdf", "docx"):
        out_path = tmp_path / f"{what}.{fmt}"
        code, out, err = run(capsys, "export", str(imported), "--what", what, "--format", fmt,
                             "--out", str(out_path), "--today", "2023-10-01")
        assert code == 0, err
        assert "已导出" in out
        if fmt == "pdf":
            text = "".join(p.extract_text() for p in PdfReader(out_path).pages)
        else:
            d = docx.Document(str(out_path))
            text = "".join(p.text for p in d.paragraphs) + "".join(
                c.text for t in d.tables for r in t.rows for c in r.cells)
        assert "乐至" in text or "政务公开" in text


@pytest.mark.parametrize("argv, needle", [
    (["tasks", "999"], "没有编号为 999 的通知"),
    (["task", "999", "--status", "已完成"], "找不到任务"),
    (["task", "1", "--status", "完成"], "未知的状态"),
    (["task", "1", "--done-on", "2023/5/6"], "日期格式不对"),
    (["export", "1", "--what", "table", "--format", "pdf", "--out", "/nonexistent-dir/x.pdf"], "保存位置不存在"),
    (["parse", "/nonexistent/notice.docx"], "找不到文件"),
    (["tasks", "abc"], "命令行参数有误"),
])
def test_bad_requests_exit_2_in_chinese(data_dir, imported, capsys, argv, needle):
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert needle in err and has_chinese(err) and "Traceback" not in err


def test_bad_file_changes_nothing(data_dir, imported, tmp_path, capsys):
    ledger_file = data_dir / "noticedesk.sqlite"
    before = run(capsys, "notices", "--json")[1]
    for name, data in (("empty.docx", b""), ("random.docx", os.urandom(2048)), ("notice.xlsx", b"PK\x03\x04junk")):
        bad = tmp_path / name
        bad.write_bytes(data)
        code, _out, err = run(capsys, "import", str(bad))
        assert code == 2 and has_chinese(err) and "Traceback" not in err
    assert run(capsys, "notices", "--json")[1] == before
    assert ledger_file.exists()


@pytest.mark.parametrize("argv, expected", [
    ([], False), (["--quit-when-ready"], False), (["--data-dir", "/tmp/x", "--no-err-windows"], False),
    (["--data-dir", "parse"], False), (["parse", "x.docx"], True), (["--help"], True),
    (["--db-url", "sqlite://", "notices"], True),
])
def test_window_start_skips_command_parsers(argv, expected):
    from desktop.cli import names_a_command

    assert names_a_command(argv) is expected
