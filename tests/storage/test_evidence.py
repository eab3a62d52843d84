"""Evidence files: copied into the data folder content-addressed, names kept and sanitised, safe
against odd names, surviving rename and remove + undo, purged only when nothing refers to them."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from desktop.storage.evidence_files import MAX_NAME, display_name
from desktop.storage.ledger import Ledger, LedgerError


def files_under(path: Path) -> set[Path]:
    return {p for p in path.rglob("*") if p.is_file()}


@pytest.fixture
def src(tmp_path) -> Path:
    d = tmp_path / "incoming"
    d.mkdir()
    return d


@pytest.mark.sqlite_only  # about the SQLite file / data folder itself
def test_attach_copies_content_addressed_and_dedupes(ledger: Ledger, sample, data_dir, src):
    pdf = src / "会议纪要.PDF"
    pdf.write_bytes(b"%PDF-1.4 minutes")
    sha = hashlib.sha256(b"%PDF-1.4 minutes").hexdigest()
    a = ledger.attach_evidence(sample["A1"], pdf)
    copy = src / "另一份.pdf"
    copy.write_bytes(b"%PDF-1.4 minutes")
    b = ledger.attach_evidence(sample["B1"], copy)
    stored = ledger.evidence_path(a)
    assert stored == ledger.evidence_path(b) == data_dir / "evidence" / sha[:2] / f"{sha}.pdf"
    assert stored.read_bytes() == b"%PDF-1.4 minutes"
    assert [p.name for p in files_under(data_dir / "evidence")] == [f"{sha}.pdf"]  # stored once
    pdf.unlink()  # the original can go: the ledger has its copy
    info = ledger.evidence(sample["A1"])
    assert [(e.id, e.name, e.size, e.sha256) for e in info] == [(a, "会议纪要.PDF", 16, sha)]
    assert ledger.evidence_counts(sample["notice"]) == {sample["A1"]: 1, sample["B1"]: 1}


@pytest.mark.parametrize("name, shown", [
    ("../../etc/passwd", "passwd"),
    ("a/b\\c.pdf", "c.pdf"),
    ("CON.txt", "_CON.txt"),
    ("lpt1", "_lpt1"),
    ("..", "附件"),
    ("  报告 .docx. ", "报告 .docx"),
    ("坏\x00名<>:\"|?*字.xlsx", "坏名字.xlsx"),
])
def test_display_names_are_sanitised(name, shown):
    assert display_name(name) == shown


@pytest.mark.sqlite_only  # about the SQLite file / data folder itself
def test_odd_names_never_write_outside_the_data_folder(ledger: Ledger, sample, data_dir, tmp_path, src):
    f = src / "plain"
    f.write_bytes(b"evidence")
    backslash = src / "a\\b.pdf"  # a real file whose name holds a backslash (legal here)
    backslash.write_bytes(b"other evidence")
    outside_before = files_under(tmp_path) - files_under(data_dir)
    long_name = "很" * 296 + ".pdf"  # 300 characters
    odd = ["../../etc/passwd", "a/b\\c.pdf", "CON.txt", long_name, "..\\..\\x.exe", "/abs/path.doc"]
    ids = [ledger.attach_evidence(sample["A1"], f, name=n) for n in odd]
    ids.append(ledger.attach_evidence(sample["A1"], backslash))
    names = [e.name for e in ledger.evidence(sample["A1"])]
    assert names[:3] == ["passwd", "c.pdf", "_CON.txt"] and names[4:] == ["x.exe", "path.doc", "b.pdf"]
    assert len(names[3]) == MAX_NAME and names[3].endswith(".pdf")
    for i in ids:
        assert ledger.evidence_path(i).resolve().is_relative_to((data_dir / "evidence").resolve())
    assert files_under(tmp_path) - files_under(data_dir) == outside_before  # nothing new outside
    one, two = (hashlib.sha256(b).hexdigest() for b in (b"evidence", b"other evidence"))
    # once per content and extension (the extension lets the system viewer pick the program)
    assert {p.name for p in files_under(data_dir / "evidence")} == {
        *(one + ext for ext in ("", ".pdf", ".txt", ".exe", ".doc")), two + ".pdf"}
    assert not Path("/etc/passwd.tmp").exists()


def test_file_survives_rename_and_remove_with_undo(ledger: Ledger, sample, data_dir, src):
    f = src / "照片.jpg"
    f.write_bytes(b"\xff\xd8 jpeg")
    eid = ledger.attach_evidence(sample["A2"], f)
    path = ledger.evidence_path(eid)
    assert ledger.rename_evidence(eid, "现场照片/1.jpg") == "照片.jpg"
    assert ledger.evidence(sample["A2"])[0].name == "1.jpg" and ledger.evidence_path(eid) == path
    snap = ledger.remove_evidence(eid)
    assert ledger.evidence(sample["A2"]) == [] and path.is_file()  # the file stays for undo
    ledger.restore_evidence(snap)
    assert [e.id for e in ledger.evidence(sample["A2"])] == [eid] and ledger.evidence_path(eid).read_bytes() == b"\xff\xd8 jpeg"
    # deleting the task and undoing brings the evidence row back too
    tsnap = ledger.delete_task(sample["A"])
    ledger.restore_tasks(tsnap)
    assert [e.name for e in ledger.evidence(sample["A2"])] == ["1.jpg"]
    assert [c.what for c in ledger.changes(sample["notice"], limit=6)][2:] == [
        "evidence:restore", "evidence:remove", "evidence:rename", "evidence:add"]


@pytest.mark.sqlite_only  # about the SQLite file / data folder itself
def test_purge_deletes_only_unreferenced_old_files(ledger: Ledger, sample, data_dir, src):
    keep, drop = src / "keep.pdf", src / "drop.pdf"
    keep.write_bytes(b"keep")
    drop.write_bytes(b"drop")
    k = ledger.attach_evidence(sample["A1"], keep)
    d = ledger.attach_evidence(sample["A1"], drop)
    dropped = ledger.evidence_path(d)
    snap = ledger.remove_evidence(d)
    assert ledger.purge_unreferenced_evidence() == 0  # too recent: an attach could be under way
    old = time.time() - 7200
    os.utime(dropped, (old, old))
    assert ledger.purge_unreferenced_evidence() == 1
    assert not dropped.exists() and ledger.evidence_path(k).is_file()
    ledger.restore_evidence(snap)  # an undo after a purge (documented): the row returns, the file not
    with pytest.raises(LedgerError, match="可能被手工删除"):
        ledger.evidence_path(d)


def test_missing_source_file_is_a_ledger_error_and_writes_nothing(ledger: Ledger, sample, data_dir, src):
    with pytest.raises(LedgerError, match="找不到文件"):
        ledger.attach_evidence(sample["A1"], src / "gone.pdf")
    assert ledger.evidence(sample["A1"]) == [] and files_under(data_dir / "evidence") == set()
