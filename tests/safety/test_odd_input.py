"""Odd input that crossed the trust boundary unchecked (issue 17): bidirectional controls in names and
titles, free text of any length, annual-report JSON with huge numbers or deep nesting, a 0-byte ledger
file, a FIFO given as evidence, a page-corrupt ledger asked for a backup, a disk with a few KB free, and
a returned row naming a task of another notice. Storage behaviour on both engines."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import threading

import pytest

from desktop.importing import parse_pasted
from desktop.importing.normalise import fold_width
from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.paths import DB_FILE_NAME
from desktop.storage.text import MAX_TEXT_CHARS
from tests.safety.trust_fixtures import TOWNS, refused, run, titled

RLO, LRO, RLI, PDI, LRM = "\u202e", "\u202d", "\u2067", "\u2069", "\u200e"
BIDI = "".join(chr(c) for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))


# --- bidirectional controls ----------------------------------------------------------------------
def test_the_normaliser_drops_every_bidi_control():
    assert fold_width(f"{RLO}财政局{PDI}") == "财政局"
    assert fold_width(f"县{BIDI}财政局") == "县财政局"


def test_a_pasted_notice_loses_them_in_titles_and_units():
    parsed = parse_pasted(f"关于印发{RLO}工作要点{PDI}的通知\n\n一、加强组织领导。由县财政局{RLO}牵头，各乡镇人民政府{LRM}负责。\n")
    for text in [parsed.title or "", *(t.title + t.text for t in parsed.tasks),
                 *(u for t in parsed.tasks for u in t.lead_units + t.units)]:
        assert not set(text) & set(BIDI), text


def test_a_name_with_a_bidi_control_is_the_same_unit(ledger, notice_id, capsys, where, tmp_path):
    ids = titled(ledger, notice_id)
    before = {u.name for u in ledger.units()}
    ledger.set_units(ids["粮食生产"], "lead", [f"县{RLO}财政局"])
    ledger.add_task(notice_id, title=f"新{RLO}任务", lead_units=[f"县财政局{PDI}"], units=[f"{RLI}{TOWNS}"])
    assert {u.name for u in ledger.units()} == before  # no second 县财政局
    with pytest.raises(LedgerError, match="已有"):
        ledger.add_unit(f"{LRO}县财政局")
    rows = {r.title: r for r in ledger.tasks(notice_id)}
    assert rows["粮食生产"].lead_units == ["县财政局"] and "新任务" in rows
    assert rows["新任务"].lead_units == ["县财政局"] and rows["新任务"].units == [TOWNS]
    stats = ledger.stats(dt.date(2024, 7, 1), notice_id=notice_id)
    assert not any(set(s.unit) & set(BIDI) for s in stats)
    (finance,) = [s for s in stats if s.role == "lead" and "财政局" in s.unit]  # one row, with all three tasks
    assert finance.total == 3
    nid = ledger.create_notice(f"关于{RLO}印发的通知", doc_number=f"县政发{LRM}〔2024〕1号")
    ledger.update_notice(nid, issuer=f"{RLO}县人民政府")
    n = ledger.notice(nid)
    assert (n.title, n.doc_number, n.issuer) == ("关于印发的通知", "县政发〔2024〕1号", "县人民政府")
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run(capsys, "feedback", str(notice_id), "--out", str(out), *where)
    assert code == 0, err
    assert not any(set(p.name) & set(BIDI) for p in out.iterdir())


# --- free text of any length ----------------------------------------------------------------------
def test_free_text_is_capped_with_a_clear_message(ledger, notice_id, capsys, where):
    tid = titled(ledger, notice_id)["粮食生产"]
    before = ledger.task(tid)
    ledger.set_fields(tid, text="字" * MAX_TEXT_CHARS)  # the cap itself is fine
    with pytest.raises(LedgerError, match=f"“具体内容”太长（{MAX_TEXT_CHARS + 1} 字），每一栏最多 {MAX_TEXT_CHARS} 字"):
        ledger.set_fields(tid, text="字" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(LedgerError, match="落实情况"):
        ledger.add_progress(tid, "2024-05-06", "长" * 1_000_000, "县财政局")
    with pytest.raises(LedgerError, match="太长"):
        ledger.create_notice("题" * (MAX_TEXT_CHARS + 1))
    assert ledger.task(tid).text == "字" * MAX_TEXT_CHARS and not ledger.progress_log(tid)
    assert ledger.task(tid).title == before.title
    refused(*run(capsys, "task", str(tid), "--note", "长" * (MAX_TEXT_CHARS + 5), *where), "太长")


# --- annual-report JSON -----------------------------------------------------------------------------
@pytest.mark.parametrize("content, words", [
    ('{"report": {"year": 2024}, "tables": {"T2": {"rules": {"issued": ' + "9" * 5000 + "}}}}", "太大"),
    ('{"report": {"year": 2024}, "tables": {"T2": {"rules": {"issued": ' + "1" * 30 + "}}}}", "太大"),
    ('{"report": {"year": 2024}, "tables": {"T2": {"rules": {"issued": 1e308}}}}', "太大"),
    ('{"report": {"year": 2024}, "tables": {"T2": {"rules": {"issued": "123456789012"}}}}', "太大"),
    ('{"report": {"year": 2024}, "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "嵌套层数太多"),
    ('{"report": {"year": 2024}, "tables": {"T3": ' + '{"denied": ' * 500 + "{}" + "}" * 500 + "}}", "嵌套层数太多"),
])
def test_annual_report_json_with_huge_numbers_or_deep_nesting_is_refused(content, words, tmp_path, data_dir, capsys):
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    save = tmp_path / "saved.json"
    refused(*run(capsys, "annual-report", "2024", "--load", str(path), "--save", str(save), "--data-dir",
                 str(data_dir)), words)
    assert not save.exists()


def test_a_plausible_report_still_loads(tmp_path, data_dir, capsys):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"report": {"year": 2024, "organ": "某县人民政府"},
                                "tables": {"T2": {"rules": {"issued": 999_999_999}, "fees": {"amount": 0.5}}}}),
                    encoding="utf-8")
    code, out, err = run(capsys, "annual-report", "2024", "--load", str(path), "--data-dir", str(data_dir))
    assert code == 0, err


# --- smaller items ------------------------------------------------------------------------------
def test_a_zero_byte_ledger_file_is_not_taken_for_a_new_one(data_dir, capsys):
    (data_dir / DB_FILE_NAME).write_bytes(b"")
    text = refused(*run(capsys, "notices", "--data-dir", str(data_dir)), "0 字节", "复制", "backups")
    assert "删除" in text
    assert (data_dir / DB_FILE_NAME).read_bytes() == b"" and sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]


def test_a_fifo_is_refused_as_evidence_without_blocking(ledger, notice_id, tmp_path):
    tid = titled(ledger, notice_id)["粮食生产"]
    fifo = tmp_path / "管道.pdf"
    os.mkfifo(fifo)
    result: list[BaseException | int] = []

    def attach() -> None:
        try:
            result.append(ledger.attach_evidence(tid, fifo))
        except BaseException as exc:  # noqa: BLE001
            result.append(exc)

    worker = threading.Thread(target=attach, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # the old behaviour: blocked on the pipe; let it go, then fail
        with open(fifo, "wb"):
            pass
        worker.join(10)
        pytest.fail("attaching a FIFO blocked")
    (outcome,) = result
    assert isinstance(outcome, LedgerError) and "不是普通文件" in str(outcome), outcome
    assert ledger.evidence(tid) == []
    with pytest.raises(LedgerError, match="不是普通文件"):
        ledger.attach_evidence(tid, tmp_path)  # a folder neither


def test_a_page_corrupt_ledger_is_called_damaged_and_the_backups_named(data_dir, corpus_dir, capsys, tmp_path):
    assert run(capsys, "import", str(corpus_dir / "000_songming_2021.txt"), "--data-dir", str(data_dir))[0] == 0
    from desktop.storage.backup import daily_backup

    good = daily_backup(data_dir, now=dt.datetime(2024, 5, 6, 8, 0, 0))
    live = data_dir / DB_FILE_NAME
    con = sqlite3.connect(live)
    page, pages = con.execute("PRAGMA page_size").fetchone()[0], con.execute("PRAGMA page_count").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
    con.close()
    assert pages > 3
    data = bytearray(live.read_bytes())
    data[(root - 1) * page:(root - 1) * page + 200] = b"\xff" * 200  # one page of the task table
    live.write_bytes(bytes(data))
    out = tmp_path / "备份.sqlite"
    out.write_bytes(b"an older backup that must survive")
    text = refused(*run(capsys, "backup", "--out", str(out), "--data-dir", str(data_dir)), "已损坏", str(good),
                   "restore")
    assert "不是 NoticeDesk 台账" not in text
    assert out.read_bytes() == b"an older backup that must survive" and not list(tmp_path.glob(".*partial"))


def test_no_automatic_backup_of_a_damaged_ledger(data_dir, corpus_dir, capsys):
    assert run(capsys, "import", str(corpus_dir / "000_songming_2021.txt"), "--data-dir", str(data_dir))[0] == 0
    from desktop.storage.backup import automatic_backups, backups_dir, daily_backup

    live = data_dir / DB_FILE_NAME
    con = sqlite3.connect(live)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
    con.close()
    data = bytearray(live.read_bytes())
    data[(root - 1) * page:(root - 1) * page + 200] = b"\xff" * 200
    live.write_bytes(bytes(data))
    with pytest.raises(LedgerError, match="已损坏"):
        daily_backup(data_dir, now=dt.datetime(2024, 5, 7, 8, 0, 0))
    assert automatic_backups(backups_dir(data_dir)) == []


def test_a_disk_with_a_few_kb_free_is_called_full(tmp_path, corpus_dir, capsys):
    """SQLite reports a disk that cannot grow the -shm file as an I/O error, which the clerk was told
    meant a removed USB disk."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:  # mounting not permitted: the same translation, on a faked free space
        from unittest import mock

        from desktop.storage import engine

        exc = sqlite3.OperationalError("disk I/O error")
        usage = shutil.disk_usage(tmp_path)._replace(free=2048)
        with mock.patch("shutil.disk_usage", return_value=usage):
            text = str(engine.translate_error(exc, tmp_path / DB_FILE_NAME))
        assert text.startswith("磁盘空间已满") and "U 盘" not in text
        return
    try:
        data = mnt / "data"
        assert run(capsys, "import", str(corpus_dir / "000_songming_2021.txt"), "--data-dir", str(data))[0] == 0
        free = shutil.disk_usage(mnt).free
        with open(mnt / "filler.bin", "wb") as f:
            f.write(b"\0" * (free - 4096))
        assert shutil.disk_usage(mnt).free <= 4096
        text = refused(*run(capsys, "task", "3", "--status", "推进中", "--data-dir", str(data)), "磁盘空间已满")
        assert "U 盘" not in text
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_a_task_of_another_notice_is_said_to_be_so(ledger, notice_id, capsys):
    other = ledger.create_notice_with_tasks({"title": "另一份通知", "year": 2024}, [{"title": "别处的任务"}])
    foreign = ledger.tasks(other)[0].id
    with pytest.raises(LedgerError) as err:
        ledger.apply_returns(notice_id, TOWNS, {foreign: {"status": "已完成"}}, {}, source="x.xlsx")
    assert "属于另一份通知" in str(err.value) and "已被删除" not in str(err.value)
    assert ledger.task(foreign).status.value == "未开始"


def test_ledger_opening_does_not_leave_an_empty_file_when_it_fails(tmp_path):
    """A ledger this program could not create leaves no 0-byte file behind (which would then be refused)."""
    folder = tmp_path / "d"
    folder.mkdir()
    from unittest import mock

    from desktop.storage import migrations

    with mock.patch.object(migrations, "upgrade", side_effect=LedgerError("模拟失败")), \
            pytest.raises(LedgerError, match="模拟失败"):
        Ledger(folder)
    assert not (folder / DB_FILE_NAME).exists()
