"""Every write to a full or read-only folder — export (.xlsx, .docx, .pdf), feedback workbooks, the annual
report's --save and --out — exits 2 with one Chinese line and leaves no partial file (issue 17).

The folders are real filesystems: a 256 KiB tmpfs filled to the last block, and a tmpfs mounted read-only
(root, as in CI). Where mounting is not permitted the folder is a path under a regular file (ENOTDIR):
the same commands run and must be refused the same way (a weaker case, but never a skip)."""
from __future__ import annotations

import pytest

from tests.safety.trust_fixtures import refused, run

NOTICE = "002_lezhi_2023_table.txt"
WORDS = {"full": "磁盘空间已满", "ro": "只读"}


@pytest.fixture
def imported(data_dir, corpus_dir, capsys) -> str:
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import", str(corpus_dir / NOTICE))
    assert code == 0, err
    return out.strip().splitlines()[-1]


COMMANDS = {
    "export xlsx": lambda nid, d: ["export", nid, "--what", "table", "--format", "xlsx", "--out", f"{d}/表.xlsx"],
    "export docx": lambda nid, d: ["export", nid, "--what", "table", "--format", "docx", "--out", f"{d}/表.docx"],
    "export pdf": lambda nid, d: ["export", nid, "--what", "progress", "--format", "pdf", "--out", f"{d}/表.pdf"],
    "feedback": lambda nid, d: ["feedback", nid, "--out", str(d)],
    "annual-report --save": lambda nid, d: ["annual-report", "2024", "--save", f"{d}/2024.json"],
    "annual-report --out": lambda nid, d: ["annual-report", "2024", "--out", f"{d}/2024.docx"],
}


@pytest.mark.parametrize("kind", ["full", "ro"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_write_that_cannot_happen_is_exit_2_and_leaves_nothing(command, kind, small_fs, imported, data_dir,
                                                                capsys):
    place = small_fs(kind)
    before = place.contents()
    code, out, err = run(capsys, *COMMANDS[command](imported, place.folder), "--data-dir", str(data_dir))
    if place.mounted:
        text = refused(code, out, err, WORDS[kind], "没有留下不完整的文件")
    else:
        text = refused(code, out, err)
    assert "zipfile" not in text and "Errno" not in text.split("（")[0]
    assert place.contents() == before  # no partial file, no temporary file


@pytest.mark.parametrize("kind", ["full", "ro"])
def test_a_ledger_backup_to_such_a_folder_is_refused_too(kind, small_fs, imported, data_dir, capsys):
    place = small_fs(kind)
    before = place.contents()
    refused(*run(capsys, "backup", "--out", f"{place.folder}/备份.sqlite", "--data-dir", str(data_dir)))
    assert place.contents() == before
