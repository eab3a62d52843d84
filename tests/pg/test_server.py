"""A ledger on PostgreSQL: migrate creates and upgrades the schema (the app never migrates a server by
itself), the same schema as the ORM, sequences after explicit ids, evidence in the database, errors."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from desktop.cli import main as cli_main
from desktop.storage import migrations
from desktop.storage.engine import make_engine
from desktop.storage.ledger import Ledger, LedgerError
from tests.storage.test_migrations import orm_schema, schema


def test_an_unmigrated_server_is_refused_with_the_instruction(pg_url, data_dir):
    with pytest.raises(LedgerError) as err:
        Ledger(data_dir, db_url=pg_url)
    assert "python -m desktop migrate" in str(err.value) and "还没有建立台账表" in str(err.value)
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")).scalar() == 0
    finally:
        engine.dispose()


def test_an_older_server_is_refused_then_migrate_upgrades_it(pg_url, data_dir, capsys):
    engine = make_engine(pg_url)
    try:
        migrations.create_at_version(engine, 3)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO notice (title, created_at, updated_at) VALUES ('旧通知', now(), now())"))
            conn.execute(text("INSERT INTO task (notice_id, position, title) SELECT id, 0, '旧任务' FROM notice"))
    finally:
        engine.dispose()
    with pytest.raises(LedgerError, match="台账版本是 3"):
        Ledger(data_dir, db_url=pg_url)
    assert cli_main(["migrate", "--db-url", pg_url]) == 0
    assert "从版本 3 升级到版本 5" in capsys.readouterr().out
    with Ledger(data_dir, db_url=pg_url) as led:
        (n,) = led.notices()
        (row,) = led.tasks(n.id)
        assert (row.title, row.version, n.version) == ("旧任务", 1, 1)
        led.set_fields(row.id, remark="升级后")
    assert cli_main(["migrate", "--db-url", pg_url]) == 0
    assert "无需升级" in capsys.readouterr().out


def test_a_newer_server_is_refused(server, data_dir):
    engine = make_engine(server)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE schema_meta SET value = '9' WHERE name = 'schema_version'"))
    finally:
        engine.dispose()
    with pytest.raises(LedgerError, match="版本 9"):
        Ledger(data_dir, db_url=server)
    with pytest.raises(LedgerError, match="版本 9"):
        migrations.migrate(server)


def test_the_server_schema_is_the_orm_schema(server):
    engine = make_engine(server)
    try:
        got, want = schema(engine), orm_schema(engine.dialect)
        # PostgreSQL reports the index behind UNIQUE (unit.name) as an index too.
        got["unit"]["indexes"] = [i for i in got["unit"]["indexes"] if i[0] != "unit_name_key"]
        assert got == want
    finally:
        engine.dispose()


def test_explicit_ids_move_the_sequences(ledger: Ledger, sample):
    nid = sample["notice"]
    snap = ledger.delete_task(sample["A"])
    ledger.restore_tasks(snap)
    new = ledger.add_task(nid, title="新任务")
    assert new > max(r["id"] for r in snap.rows)
    ledger.delete_task(new)
    assert ledger.add_task(nid, title="重做", new_id=new) == new  # redo of an add keeps its id
    assert ledger.add_task(nid, title="再加一个") > new
    split = ledger.split_task(sample["A1"], 4)
    ledger.unsplit(sample["A1"], split)
    assert ledger.split_task(sample["A1"], 4, new_id=split) == split
    assert ledger.add_task(nid, title="又一个") > split
    entry = ledger.add_progress(sample["B1"], None, "x")
    ledger.restore_progress(ledger.delete_progress(entry))
    assert ledger.add_progress(sample["B1"], None, "y") > entry


def test_booleans_dates_and_enums_round_trip(ledger: Ledger, sample):
    import datetime as dt

    from desktop.domain import DeadlineKind, Status, UnitCategory

    uid = ledger.add_unit("各村（社区）", category=UnitCategory.TOWNSHIP, collective=True)
    assert next(u for u in ledger.units() if u.id == uid).collective is True
    ledger.revise_deadline(sample["A1"], dt.date(2024, 10, 31), "顺延")
    row = ledger.task(sample["A1"])
    assert (row.due_date, row.original_due_date, row.deadline_kind) == (
        dt.date(2024, 10, 31), dt.date(2024, 9, 30), DeadlineKind.DATE)
    assert isinstance(row.revised_at, dt.datetime)
    ledger.set_status_many([sample["B1"], sample["C"]], Status.DONE, dt.date(2024, 6, 1))
    assert {r.id: r.done_on for r in ledger.leaf_tasks([sample["notice"]])[sample["notice"]]
            if r.status is Status.DONE} == {sample["B1"]: dt.date(2024, 6, 1), sample["C"]: dt.date(2024, 6, 1)}
    digest = ledger.digest(dt.date(2024, 9, 25), 7)
    listed = {i.row.id for i in digest.overdue + digest.due_soon}
    # A1's deadline moved past the week, B1 and C are done: none of them is due
    assert sample["A1"] not in listed and not listed & {sample["B1"], sample["C"]}


def test_evidence_lives_in_the_database_and_every_client_sees_it(server, ledger: Ledger, sample, tmp_path,
                                                                  data_dir):
    src = tmp_path / "扫描件.PDF"
    src.write_bytes(b"%PDF-1.4 evidence " * 1000)
    eid = ledger.attach_evidence(sample["A1"], src)
    again = ledger.attach_evidence(sample["A2"], src, name="副本.pdf")
    assert not (data_dir / "evidence").exists()  # nothing in a local data folder
    other_dir = tmp_path / "other-pc"
    with Ledger(other_dir, db_url=server) as other:
        (info,) = other.evidence(sample["A1"])
        path = other.evidence_path(eid)
        assert path.read_bytes() == src.read_bytes() and path.suffix == ".pdf"
        assert path.is_relative_to(other_dir / "evidence-cache")
        assert other.evidence_path(again) == path  # one blob per content
    engine = make_engine(server)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM evidence_blob")).scalar() == 1
    finally:
        engine.dispose()
    snap = ledger.remove_evidence(eid)
    ledger.remove_evidence(again)
    assert ledger.purge_unreferenced_evidence(min_age_s=3600) == 0  # too recent
    ledger.restore_evidence(snap)
    assert ledger.purge_unreferenced_evidence(min_age_s=0) == 0  # still referenced
    ledger.remove_evidence(eid)
    assert ledger.purge_unreferenced_evidence(min_age_s=0) == 1
    with pytest.raises(LedgerError):
        ledger.evidence_path(eid)


def test_a_server_that_cannot_be_reached_is_a_clear_ledger_error(data_dir):
    with pytest.raises(LedgerError, match="无法连接数据库服务器"):
        Ledger(data_dir, db_url="postgresql+psycopg://noticedesk@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(LedgerError, match="postgresql\\+psycopg"):
        Ledger(data_dir, db_url="postgresql+psycopg2://noticedesk@127.0.0.1:1/none")


def test_the_command_line_works_on_the_server(server, data_dir, capsys):
    from pathlib import Path

    assert cli_main(["notices", "--db-url", server, "--json"]) == 0
    assert '"notices": []' in capsys.readouterr().out
    with Ledger(data_dir, db_url=server) as led:
        nid = led.create_notice("服务器上的通知", year=2025)
        tid = led.add_task(nid, title="任务一")
    assert cli_main(["task", str(tid), "--status", "已完成", "--done-on", "2025-03-01", "--db-url", server]) == 0
    assert cli_main(["tasks", str(nid), "--db-url", server, "--json"]) == 0
    assert '"status": "已完成"' in capsys.readouterr().out
    assert Path(data_dir).is_dir()
