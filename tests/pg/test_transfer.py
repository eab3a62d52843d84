"""Moving a ledger SQLite → PostgreSQL → SQLite without loss (every table compared row by row, the id
counters too), refusing to overwrite a server ledger without --replace, and older backups."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.domain import DeadlineKind, Status, UnitCategory, UnitRole
from desktop.storage.evidence_files import blob_path
from desktop.storage.ledger import Ledger
from desktop.storage.paths import DB_FILE_NAME

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (sqlite_sequence included), in primary-key order, as stored."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    finally:
        con.close()


def fill(led: Ledger, src_file: Path) -> None:
    """Everything a ledger holds: units (collective), a tree with a task moved under a newer one,
    deleted ids (the counters run ahead of the largest id), revisions, progress, evidence, history."""
    led.add_unit("X县政务服务和数据管理局", short_name="县政数局", aliases=["政数局"], category=UnitCategory.COUNTY_DEPT)
    led.add_unit("各乡镇人民政府", category=UnitCategory.TOWNSHIP, collective=True)
    nid = led.create_notice_with_tasks(
        {"title": "关于印发《2025年工作要点》的通知", "doc_number": "X政办发〔2025〕3号", "date": "2025-02-20",
         "source_name": "要点.docx", "source_bytes": b"PK\x03\x04\x00\xff", "source_text": "全文"},
        [{"section": "一、总体要求", "title": "成立专班", "lead_units": ["政数局"], "units": ["各乡镇人民政府"],
          "deadline_text": "3月底前", "due_date": "2025-03-31", "deadline_kind": "date"},
         {"section": "一、总体要求", "title": "建立台账", "children": [{"text": "按月更新"}, {"text": "按季通报"}]},
         {"section": "二、重点任务", "title": "项目建设", "deadline_kind": DeadlineKind.YEAR_ROUND}])
    rows = {r.title or r.text: r for r in led.tasks(nid)}
    late = led.add_task(nid, None, title="后加的任务")
    led.move_task(rows["成立专班"].id, late, 0)  # parent id > child id
    gone = led.add_task(nid, None, title="将被删除")
    led.delete_task(gone)
    led.set_fields(rows["项目建设"].id, status=Status.DONE, done_on="2025-06-30", remark="备注")
    led.revise_deadline(rows["成立专班"].id, None, "待定")
    led.set_units(rows["按月更新"].id, UnitRole.LEAD, ["县政数局"])
    led.add_progress(rows["建立台账"].id, None, "已建立")
    e = led.delete_progress(led.add_progress(rows["建立台账"].id, None, "删掉的"))
    assert e
    led.attach_evidence(rows["项目建设"].id, src_file)
    other = led.create_notice("第二份通知", year=2024)
    led.update_notice(other, issuer="X县人民政府")
    led.remember_columns(["序号", "工作事项", "具体任务", "责任单位"], ["seq", "content", "title", "units"])


def test_sqlite_to_server_to_sqlite_keeps_every_row(data_dir, server, tmp_path, capsys):
    src = tmp_path / "验收材料.pdf"
    src.write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 50)
    with Ledger(data_dir) as led:
        fill(led, src)
    first = tmp_path / "from-sqlite.sqlite"
    assert cli_main(["backup", "--out", str(first), "--data-dir", str(data_dir)]) == 0
    assert cli_main(["restore", str(first), "--db-url", server, "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "已把备份恢复到数据库服务器：2 份通知" in out and "找不到" not in out
    with Ledger(tmp_path / "pc2", db_url=server) as led:  # usable on the server, ids and counters kept
        nid = 1
        (ev,) = [e for rows in [led.evidence(r.id) for r in led.tasks(1)] for e in rows]
        assert led.evidence_path(ev.id).read_bytes() == src.read_bytes()
        assert led.remembered_columns(["序号", "工作事项", "具体任务", "责任单位"]) == ["seq", "content", "title", "units"]
        before_max = max(r.id for r in led.tasks(1))
        probe = led.add_task(nid, title="探针")
        assert probe > before_max + 1  # the deleted task's id is not handed out again
        led.delete_task(probe)
    second = tmp_path / "from-server.sqlite"
    assert cli_main(["backup", "--out", str(second), "--db-url", server]) == 0
    a, b = dump(first), dump(second)
    blobs = b.pop("evidence_blob")
    assert a.pop("evidence_blob") == []
    # The probe added and deleted on the server moved the task counter and wrote history: compare
    # the counters and the log up to the point of the first backup.
    seq_a, seq_b = dict(a.pop("sqlite_sequence")), dict(b.pop("sqlite_sequence"))
    assert seq_b["task"] == seq_a["task"] + 1 and {k: v for k, v in seq_b.items() if k not in ("task", "change_log")} \
        == {k: v for k, v in seq_a.items() if k not in ("task", "change_log")}
    assert b["change_log"][:len(a["change_log"])] == a["change_log"]
    a.pop("change_log"), b.pop("change_log")
    assert b.pop("notice")[1:] == a.pop("notice")[1:]  # notice 1's updated_at moved with the probe
    assert a == b  # every other table, every row, every column
    sha = blobs[0][0]
    assert blobs[0][1] == src.read_bytes() == blob_path(data_dir, sha, ".pdf").read_bytes()
    # The server's backup opens as an ordinary SQLite ledger, evidence served from the file itself.
    other = tmp_path / "restored-pc"
    other.mkdir()
    shutil.copyfile(second, other / DB_FILE_NAME)
    with Ledger(other) as led:
        (ev,) = led.evidence(next(r.id for r in led.tasks(1) if r.title == "项目建设"))
        assert led.evidence_path(ev.id).read_bytes() == src.read_bytes()


def test_restore_refuses_a_server_holding_a_ledger_unless_replace(data_dir, server, tmp_path, capsys):
    with Ledger(data_dir, db_url=server) as led:
        led.create_notice("服务器上已有的通知", year=2025)
    backup = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES / "ledger_v1.sqlite", backup)
    assert cli_main(["restore", str(backup), "--db-url", server]) == 2
    assert "--replace" in capsys.readouterr().err
    with Ledger(data_dir, db_url=server) as led:
        assert [n.title for n in led.notices()] == ["服务器上已有的通知"]
    assert cli_main(["restore", str(backup), "--db-url", server, "--replace"]) == 0
    out = capsys.readouterr().out
    assert "已升级到版本 5" in out and "已被替换" in out
    with Ledger(data_dir, db_url=server) as led:
        (n,) = led.notices()
        assert [r.title for r in led.tasks(n.id)][:2] == ["优化政务服务", "推进“一网通办”"]
        assert led.add_task(n.id, title="新") == 7


def test_restore_creates_the_schema_of_an_empty_server(data_dir, pg_url, tmp_path):
    backup = tmp_path / "v3.sqlite"
    shutil.copyfile(FIXTURES / "ledger_v3.sqlite", backup)
    assert cli_main(["restore", str(backup), "--db-url", pg_url]) == 0
    with Ledger(data_dir, db_url=pg_url) as led:
        assert {n.id: len(led.tasks(n.id)) for n in led.notices()} == {1: 3, 2: 1}
        assert [e.text for e in led.progress_log(2)] == ["已签订10份", "已签订18份"]


def test_backup_of_an_unmigrated_server_is_refused(pg_url, tmp_path, capsys):
    assert cli_main(["backup", "--out", str(tmp_path / "x.sqlite"), "--db-url", pg_url]) == 2
    assert "migrate" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fixture", ["ledger_v2.sqlite"])
def test_an_older_backup_goes_to_the_server_migrated(data_dir, server, tmp_path, fixture):
    backup = tmp_path / fixture
    shutil.copyfile(FIXTURES / fixture, backup)
    assert cli_main(["restore", str(backup), "--db-url", server]) == 0
    with Ledger(data_dir, db_url=server) as led:
        assert [(e.date.isoformat(), e.text) for e in led.progress_log(2)] == [("2025-03-28", "已在门户网站公开")]
