"""The start-up fast path: an up-to-date ledger file is read with the stdlib sqlite3 (no SQLAlchemy) and
gives exactly what the service gives; anything else goes to the SQLAlchemy implementation as before."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop.domain import DeadlineKind, Status, UnitCategory
from desktop.storage import migrations, quickread
from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.paths import DB_FILE_NAME
from desktop.storage.quickread import QuickReader

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "ledger_v1.sqlite"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def populate(led: Ledger) -> list[int]:
    """Notices of every shape through the service; returns their ids."""
    led.add_unit("X县政务服务和数据管理局", short_name="县政数局", aliases=["政数局", "数据局"],
                 category=UnitCategory.COUNTY_DEPT, order=5)
    led.add_unit("各乡镇人民政府", category=UnitCategory.TOWNSHIP, collective=True, order=1)
    led.add_unit("县发改局", category=UnitCategory.COUNTY_DEPT, order=1)  # same order: id breaks the tie
    ids = []
    # A section tree from the importer's call, with units of both roles, dates, kinds and statuses.
    ids.append(led.create_notice_with_tasks(
        {"title": "关于印发《2024年工作要点》的通知", "doc_number": "X政办发〔2024〕3号", "issuer": "X县人民政府办公室",
         "date": "2024-02-20", "recipients": "各乡镇人民政府", "source_name": "要点.docx", "source_text": "全文",
         "source_bytes": b"docx"},
        [{"title": "前言任务", "text": "无章节的任务"},
         {"section": "一、总体要求 > （一）加强组织领导", "title": "成立专班", "text": "成立工作专班。",
          "lead_units": ["政数局"], "units": ["各乡镇人民政府", "县财政局", "县发改局"], "deadline_text": "3月底前",
          "due_date": "2024-03-31", "deadline_kind": "date", "source_start": 10, "source_end": 17,
          "owner": "张三", "progress_note": "已启动", "remark": "备注"},
         {"section": "一、总体要求 > （一）加强组织领导", "title": "建立台账",
          "children": [{"text": "按月更新", "units": ["县发改局"]}, {"text": "按季通报", "lead_units": ["县财政局"]}]},
         {"section": ["一、总体要求", "（二）强化督查"], "title": "督查", "status": Status.DONE,
          "done_on": "2024-06-30"},
         {"section": "二、重点任务", "title": "项目建设", "deadline_kind": DeadlineKind.YEAR_ROUND,
          "status": Status.PAUSED}],
    ))
    # A deep tree (deeper than the five styles of 序号) built by hand, with more than 20 siblings.
    deep = led.create_notice("深层通知", date="2023-12-01")
    parent = None
    for depth in range(8):
        parent = led.add_task(deep, parent, title=f"第{depth + 1}层", status=Status.IN_PROGRESS,
                              deadline_kind=DeadlineKind.LONG_TERM, lead_units=["县发改局"] if depth % 2 else [])
    for i in range(23):
        led.add_task(deep, parent, title=f"叶{i}", due_date=f"2024-01-{i + 1:02d}", deadline_kind=DeadlineKind.DATE)
    ids.append(deep)
    # Ordering: year desc nulls last, date desc nulls last, id desc; an empty notice; a moved task.
    ids.append(led.create_notice("无年度", doc_number=None))
    ids.append(led.create_notice("同年无日期", year=2024))
    ids.append(led.create_notice("同年同日", date="2024-02-20"))
    moved = led.create_notice("移动过", year=2022)
    a = led.add_task(moved, title="A")
    b = led.add_task(moved, title="B", units=["各乡镇人民政府"])
    led.add_task(moved, a, title="A1")
    led.move_task(b, None, 0)
    led.indent(a)
    ids.append(moved)
    return ids


@pytest.fixture
def filled(data_dir) -> tuple[Path, list[int]]:
    """A closed, up-to-date ledger file with populate()'s notices."""
    with Ledger(data_dir) as led:
        ids = populate(led)
    return data_dir, ids


def test_quick_reads_equal_the_service(filled):
    data_dir, ids = filled
    quick = QuickReader.open_if_current(data_dir / DB_FILE_NAME)
    assert quick is not None
    led = Ledger(data_dir)
    try:
        service = led._impl  # the SQLAlchemy implementation (the quick reader of `led` is closed now)
        assert quick.notices() == service.notice_store.notices()
        assert [n.title for n in quick.notices()][:3] == ["同年同日", "关于印发《2024年工作要点》的通知", "同年无日期"]
        assert quick.units() == service.unit_store.units()
        for nid in ids:
            assert quick.tasks(nid) == service.tree.tasks(nid), nid
        assert quick.tasks(9999) == service.tree.tasks(9999) == []
        deep = quick.tasks(ids[1])
        assert max(r.depth for r in deep) == 9 and deep[-1].number == "23)"
        rows = quick.tasks(ids[0])
        t = {r.title: r for r in rows}
        s = t["成立专班"]
        assert (s.lead_units, s.units, s.due_date.isoformat(), s.deadline_kind, s.status) == (
            ["X县政务服务和数据管理局"], ["各乡镇人民政府", "县财政局", "县发改局"], "2024-03-31",
            DeadlineKind.DATE, Status.NOT_STARTED)
        assert type(s.deadline_kind) is DeadlineKind and type(t["督查"].status) is Status
        units = {u.name: u for u in quick.units()}
        assert units["各乡镇人民政府"].collective is True and units["X县政务服务和数据管理局"].aliases == ["政数局", "数据局"]
        assert type(units["县发改局"].category) is UnitCategory
    finally:
        quick.close()
        led.close()


def test_ledger_serves_start_up_reads_before_building_the_implementation(filled):
    data_dir, ids = filled
    with Ledger(data_dir) as led:
        assert led._quick is not None and led._sql is None
        assert (led.path, led.data_dir, led.schema_version) == (data_dir / DB_FILE_NAME, data_dir, 5)
        before = (led.notices(), led.units(), led.tasks(ids[0]))
        assert led._sql is None
        led.changes()  # any other method builds the implementation and closes the reader
        assert led._sql is not None and led._quick is None
        assert (led.notices(), led.units(), led.tasks(ids[0])) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]  # no -wal/-shm left


SUBPROCESS = """
import sys
from desktop.storage.ledger import Ledger
nid = int(sys.argv[2])
with Ledger(__import__("pathlib").Path(sys.argv[1])) as led:
    rows = led.tasks(nid)
    assert led.notices() and led.units() and rows
    led.digest()  # the start-up digest window and status-bar count
    assert "sqlalchemy" not in sys.modules, "start-up reads imported SQLAlchemy"
    led.set_fields(rows[0].id, title="改过的标题", status="已完成")
    assert "sqlalchemy" in sys.modules
    again = led.tasks(nid)
    assert again[0].title == "改过的标题" and again[0].status == "已完成"
    assert [r.id for r in again] == [r.id for r in rows]
print("ok")
"""


def test_start_up_reads_import_no_sqlalchemy_and_a_write_then_works(filled):
    data_dir, ids = filled
    out = subprocess.run([sys.executable, "-c", SUBPROCESS, str(data_dir), str(ids[0])], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    with Ledger(data_dir) as led:
        assert led.tasks(ids[0])[0].title == "改过的标题"
        # 已完成 without a date: the 完成日期 rule sets today, logged as its own change
        assert [c.what for c in led.changes(ids[0], limit=3)] == ["done_on", "status", "title"]


def test_warm_up_in_another_thread_while_reading(filled):
    data_dir, ids = filled
    with Ledger(data_dir) as led:
        expected = led.tasks(ids[0])
        t = threading.Thread(target=led.warm_up)
        t.start()
        for _ in range(50):  # reads go on while SQLAlchemy is imported and the engine built
            assert led.tasks(ids[0]) == expected
        t.join()
        assert led._sql is not None and led._quick is None
        assert led.tasks(ids[0]) == expected
        led.warm_up()  # already built: nothing to do
    led.warm_up()  # closed: does not open it again
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]


def test_a_file_changed_by_another_program_is_read_fresh(filled):
    data_dir, ids = filled
    with Ledger(data_dir) as led, Ledger(data_dir) as other:
        first = led.tasks(ids[0])
        other.set_fields(first[0].id, remark="另一个窗口")
        assert led._sql is None and led.tasks(ids[0])[0].remark == "另一个窗口"


def test_db_url_never_uses_the_fast_path(filled):
    data_dir, _ids = filled
    with Ledger(db_url=f"sqlite:///{data_dir / DB_FILE_NAME}") as led:
        assert led._quick is None and led._sql is not None
        assert led.path is None and led.data_dir is None


def test_missing_file_is_created_by_the_sqlalchemy_path(data_dir):
    with Ledger(data_dir) as led:
        assert led._sql is not None and led._quick is None
        assert led.schema_version == 5 and led.notices() == []
    with Ledger(data_dir) as led:  # now up to date: the fast path
        assert led._quick is not None and led.notices() == []


def test_v1_file_is_migrated_as_before(data_dir):
    path = data_dir / DB_FILE_NAME
    shutil.copyfile(FIXTURE, path)
    assert QuickReader.open_if_current(path) is None
    with Ledger(data_dir) as led:
        assert led._sql is not None and led._quick is None
        assert led._sql.found_version == 1 and led.schema_version == 5
        assert len(led.tasks(1)) == 6
    assert len(list((data_dir / "backups").iterdir())) == 1


def test_newer_file_is_refused_untouched(data_dir):
    Ledger(data_dir).close()
    path = data_dir / DB_FILE_NAME
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_meta SET value = '6' WHERE name = 'schema_version'")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(LedgerError, match="版本 6"):
        Ledger(data_dir)
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]


@pytest.mark.parametrize("content", [b"this is not a database" * 3000, b"SQLite format 3\x00" + b"\xff" * 8192])
def test_file_that_is_not_a_database_gives_ledger_error_untouched(data_dir, content):
    path = data_dir / DB_FILE_NAME
    path.write_bytes(content)
    before = digest(path)
    assert QuickReader.open_if_current(path) is None
    with pytest.raises(LedgerError):
        Ledger(data_dir)
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILE_NAME]


def test_a_read_that_fails_falls_back_to_the_implementation(filled):
    data_dir, ids = filled
    with Ledger(data_dir) as led:
        assert led._quick is not None
        led._quick._conn.close()  # any sqlite3.Error in the quick path
        assert [n.id for n in led.notices()] and led._sql is not None and led._quick is None


def test_the_schema_version_is_one_constant():
    assert migrations.CURRENT_VERSION is quickread.CURRENT_VERSION
    assert migrations.VERSION_KEY == quickread.VERSION_KEY


def test_unknown_stored_values_fail_like_the_service(filled):
    """A status outside the enum is a ValueError on both paths (a bug to see, not a value to show)."""
    data_dir, ids = filled
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    con.execute("UPDATE task SET status = '不存在' WHERE id = (SELECT min(id) FROM task)")
    con.commit()
    con.close()
    with Ledger(data_dir) as led:
        with pytest.raises(ValueError):
            led.tasks(ids[0])  # from the quick reader
        assert led._sql is None
        with pytest.raises(ValueError):
            led._impl.tree.tasks(ids[0])


def test_tracking_reads_equal_the_service_and_the_full_trees(filled):
    import datetime as dt

    from desktop.tracking.digest import digest
    from desktop.tracking.units import inherited_units

    data_dir, ids = filled
    with Ledger(data_dir) as led:
        led.add_progress(led.tasks(ids[0])[1].id, dt.date(2024, 3, 1), "进展")
    quick = QuickReader.open_if_current(data_dir / DB_FILE_NAME)
    led = Ledger(data_dir)
    try:
        service = led._impl
        full = service.tracking.tasks_by_notice()
        assert quick.tasks_by_notice() == full == {nid: service.tree.tasks(nid) for nid in full}
        assert quick.tasks_by_notice([ids[1], 9999]) == service.tracking.tasks_by_notice([ids[1], 9999]) == {
            ids[1]: full[ids[1]], 9999: []}
        assert quick.leaf_tasks() == service.tracking.leaf_tasks()
        assert quick.leaf_tasks([ids[0], 9999]) == service.tracking.leaf_tasks([ids[0], 9999])
        # leaves as the full tree has them, with the units in force filled in
        for nid, rows in full.items():
            inherited = inherited_units(rows)
            leaves = [r for r in rows if not r.child_count]
            got = quick.leaf_tasks().get(nid, [])
            assert [(r.id, r.number, r.depth, r.lead_units, r.units) for r in got] == [
                (r.id, r.number, r.depth, *inherited[r.id]) for r in leaves]
        years = {n.id: n.year for n in service.notice_store.notices()}
        for today in ("2023-12-30", "2024-01-01", "2024-03-28", "2024-07-01"):
            day = dt.date.fromisoformat(today)
            for due_by in (day + dt.timedelta(days=7), None):
                assert quick.open_tasks(due_by) == service.tracking.open_tasks(due_by)
            short, whole = digest(quick.open_tasks(day + dt.timedelta(days=7)), day, 7, years), digest(full, day, 7, years)
            key = [(i.notice_id, i.row.id, i.due, i.owners) for i in whole.overdue + whole.due_soon]
            assert [(i.notice_id, i.row.id, i.due, i.owners) for i in short.overdue + short.due_soon] == key
            assert key, today
    finally:
        quick.close()
        led.close()
