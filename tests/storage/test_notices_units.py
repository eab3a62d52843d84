"""Notices and the unit directory: create, read, update (with undo values), delete, resolve, history."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import UnitCategory
from desktop.storage.ledger import Ledger, LedgerError, NotFoundError


def test_create_and_read_notice(ledger: Ledger):
    nid = ledger.create_notice("关于做好2024年防汛工作的通知", doc_number="X政办发〔2024〕8号", issuer="X县人民政府办公室",
                               date=dt.date(2024, 4, 2), recipients="各乡镇人民政府", source_name="防汛.docx",
                               source_text="正文", source_bytes=b"\x00\x01docx")
    n = ledger.notice(nid)
    assert (n.title, n.doc_number, n.issuer, n.date, n.year, n.recipients, n.source_name, n.task_count) == (
        "关于做好2024年防汛工作的通知", "X政办发〔2024〕8号", "X县人民政府办公室", dt.date(2024, 4, 2), 2024,
        "各乡镇人民政府", "防汛.docx", 0)  # year defaults to the date's year
    assert ledger.notice_source(nid) == ("防汛.docx", b"\x00\x01docx", "正文")
    c = ledger.changes(nid)[0]
    assert (c.what, c.notice_id, c.task_id, c.new) == ("create_notice", nid, None, "关于做好2024年防汛工作的通知")


def test_notices_newest_year_first_with_task_count(ledger: Ledger):
    old = ledger.create_notice("旧", year=2022)
    none = ledger.create_notice("无年度")
    new = ledger.create_notice("新", year=2024, date=dt.date(2024, 1, 5))
    newer = ledger.create_notice("新2", year=2024, date=dt.date(2024, 6, 5))
    ledger.add_task(new, title="t1")
    ledger.add_task(new, title="t2")
    notices = ledger.notices()
    assert [n.id for n in notices] == [newer, new, old, none]
    assert {n.id: n.task_count for n in notices}[new] == 2


def test_update_notice_returns_old_values_and_logs(ledger: Ledger):
    nid = ledger.create_notice("草稿", year=2023)
    old = ledger.update_notice(nid, title="正式标题", year=2024)
    assert old == {"title": "草稿", "year": 2023}
    assert (ledger.notice(nid).title, ledger.notice(nid).year) == ("正式标题", 2024)
    assert {(c.what, c.old, c.new) for c in ledger.changes(nid)[:2]} == {
        ("notice.title", "草稿", "正式标题"), ("notice.year", "2023", "2024")}
    ledger.update_notice(nid, **old)
    assert ledger.notice(nid).title == "草稿"
    with pytest.raises(TypeError):
        ledger.update_notice(nid, colour="red")


def test_delete_notice_removes_its_tasks_and_links_but_keeps_units(ledger: Ledger):
    nid = ledger.create_notice("要删除的")
    keep = ledger.create_notice("保留的")
    parent = ledger.add_task(nid, title="p", lead_units=["县财政局"])
    ledger.add_task(nid, parent, title="c", units=["县财政局"])
    ledger.add_task(keep, title="k", units=["县财政局"])
    ledger.delete_notice(nid)
    with pytest.raises(NotFoundError):
        ledger.notice(nid)
    with pytest.raises(NotFoundError):
        ledger.task(parent)
    assert ledger.tasks(nid) == []
    assert [t.units for t in ledger.tasks(keep)] == [["县财政局"]]
    assert ledger.resolve_unit("县财政局") is not None
    assert ledger.changes(nid)[0].what == "delete_notice"


def test_missing_rows_raise_not_found(ledger: Ledger):
    for call in (lambda: ledger.notice(42), lambda: ledger.task(42), lambda: ledger.set_fields(42, title="x"),
                 lambda: ledger.delete_task(42), lambda: ledger.add_task(42, title="x"),
                 lambda: ledger.update_unit(42, name="x")):
        with pytest.raises(NotFoundError):
            call()
    assert issubclass(NotFoundError, LedgerError)


def test_units_crud_and_resolution(ledger: Ledger):
    a = ledger.add_unit("X县住房和城乡建设局", short_name="县住建局", aliases=["住建局", "县住建委"],
                        category=UnitCategory.COUNTY_DEPT, order=5)
    b = ledger.add_unit("X县委办公室（县政府办公室）", short_name="县两办", category="内设机构", order=1)
    c = ledger.add_unit("各乡镇人民政府", category=UnitCategory.TOWNSHIP, collective=True, order=9)
    assert [u.id for u in ledger.units()] == [b, a, c]
    u = ledger.resolve_unit("住建局")
    assert (u.id, u.name, u.short_name, u.aliases, u.category, u.order, u.collective) == (
        a, "X县住房和城乡建设局", "县住建局", ["住建局", "县住建委"], UnitCategory.COUNTY_DEPT, 5, False)
    assert ledger.resolve_unit("X县住房和城乡建设局").id == a
    assert ledger.resolve_unit(" 县住建局 ").id == a
    assert ledger.resolve_unit("X县委办公室(县政府办公室)").id == b  # half-width brackets
    assert ledger.resolve_unit("各乡镇人民政府").collective
    assert ledger.resolve_unit("县水利局") is None
    with pytest.raises(LedgerError):
        ledger.add_unit("X县住房和城乡建设局")
    assert ledger.changes()[0].what == "unit:add"


def test_full_name_wins_over_alias_of_another_unit(ledger: Ledger):
    first = ledger.add_unit("县发改局办公室", aliases=["县发改局"])
    second = ledger.add_unit("X县发展和改革局", short_name="县发改局")
    exact = ledger.add_unit("县发改局")
    assert ledger.resolve_unit("县发改局").id == exact
    assert ledger.resolve_unit("县发改局办公室").id == first
    assert second != first


def test_update_unit_returns_old_values(ledger: Ledger):
    uid = ledger.add_unit("县水利局", short_name="水利局")
    old = ledger.update_unit(uid, name="X县水利局", aliases=["水务局"], collective=False)
    assert old == {"name": "县水利局", "aliases": [], "collective": False}
    assert ledger.resolve_unit("水务局").name == "X县水利局"
    assert [(c.what, c.old, c.new) for c in ledger.changes()[:2]] == [
        ("unit.aliases", "", "水务局"), ("unit.name", "县水利局", "X县水利局")]
    ledger.update_unit(uid, **old)
    assert ledger.resolve_unit("县水利局").id == uid
    other = ledger.add_unit("县林业局")
    with pytest.raises(LedgerError):
        ledger.update_unit(other, name="县水利局")


def test_new_unit_from_a_task_goes_to_the_end_with_category_other(ledger: Ledger):
    ledger.add_unit("县财政局", order=7)
    nid = ledger.create_notice("n")
    ledger.add_task(nid, units=["县审计局", "各村（社区）"])
    units = {u.name: u for u in ledger.units()}
    assert units["县审计局"].category is UnitCategory.OTHER and units["县审计局"].order == 8
    assert units["各村（社区）"].collective and not units["县审计局"].collective
