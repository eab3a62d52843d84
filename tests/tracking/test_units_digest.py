"""Whose task it is: inherited units, collective units expanded to the directory's members for counting,
and the digest grouped by unit — on a corpus notice imported through the importer and on a small tree."""
from __future__ import annotations

import datetime as dt

from desktop.domain import DeadlineKind, Status, TaskRow, UnitCategory, UnitInfo, UnitRole
from desktop.importing import parse_path
from desktop.intake import ledger_rows
from desktop.storage.ledger import Ledger
from desktop.tracking.digest import digest
from desktop.tracking.stats import overall, unit_stats
from desktop.tracking.units import NO_UNIT, collective_members, expand, inherited_units

D = dt.date
TOWNS = ["嵩阳街道", "杨林镇", "小街镇"]
DEPTS = ["县发改局", "县财政局"]


def test_collective_members_rule():
    units = [UnitInfo(1, "各乡镇人民政府", collective=True), UnitInfo(2, "县级各部门", collective=True),
             UnitInfo(3, "各相关部门", collective=True), UnitInfo(4, "各村（社区）", collective=True),
             UnitInfo(5, "杨林镇", category=UnitCategory.TOWNSHIP), UnitInfo(6, "县财政局", category=UnitCategory.COUNTY_DEPT),
             UnitInfo(7, "各镇（街道）", category=UnitCategory.TOWNSHIP, collective=True)]
    members = collective_members(units)
    assert members == {"各乡镇人民政府": ["杨林镇"], "县级各部门": ["县财政局"], "各相关部门": ["县财政局"],
                       "各镇（街道）": ["杨林镇"]}  # 各村（社区）: no rule, stays as it is
    assert expand(["县财政局", "县级各部门", "各村（社区）"], members) == ["县财政局", "各村（社区）"]


def test_expanded_statistics_on_a_corpus_notice(data_dir, corpus_dir):
    meta, rows = ledger_rows(parse_path(corpus_dir / "000_songming_2021.txt"), source_name="songming.txt")
    with Ledger(data_dir) as led:
        nid = led.create_notice_with_tasks(meta, rows)
        for name in TOWNS:
            led.add_unit(name, category=UnitCategory.TOWNSHIP)
        for u in led.units():
            if u.name in DEPTS:
                led.update_unit(u.id, category=UnitCategory.COUNTY_DEPT)
        units = {u.name: u for u in led.units()}
        tree = led.tasks(nid)
        leaves = [r for r in tree if not r.child_count]
        led.set_fields(leaves[0].id, status=Status.DONE, done_on=D(2021, 5, 1))
        plain = {(s.unit, s.role): s for s in led.stats(D(2021, 12, 1), notice_id=nid)}
        expanded = {(s.unit, s.role): s for s in led.stats(D(2021, 12, 1), notice_id=nid, expand_collective=True)}
        tree = led.tasks(nid)
    collective_town = {n for n, u in units.items() if u.collective and ("镇" in n or "街道" in n)}
    collective_dept = {n for n, u in units.items() if u.collective and "部门" in n}
    assert collective_town and collective_dept  # the notice does use them
    for role, attr in ((UnitRole.LEAD, "lead_units"), (UnitRole.RESPONSIBLE, "units")):
        for town in TOWNS:
            n = sum(1 for r in tree if not r.child_count and (set(getattr(r, attr)) & (collective_town | {town})))
            assert (expanded[town, role].total if (town, role) in expanded else 0) == n
        for dept in DEPTS:
            n = sum(1 for r in tree if not r.child_count and (set(getattr(r, attr)) & (collective_dept | {dept})))
            assert (expanded[dept, role].total if (dept, role) in expanded else 0) == n
    assert not any(unit in collective_town | collective_dept for unit, _ in expanded)
    assert any(unit in collective_town for unit, _ in plain)  # without expansion they stay as printed
    assert sum(s.done for s in plain.values()) >= 1


def r(tid, parent, lead=(), units=(), due=None, status=Status.NOT_STARTED, kids=0, kind=DeadlineKind.DATE):
    return TaskRow(id=tid, notice_id=1, parent_id=parent, position=0, lead_units=list(lead), units=list(units),
                   due_date=due, status=status, child_count=kids, deadline_kind=kind)


TREE = [
    r(1, None, lead=["县发改局"], units=["各乡镇人民政府"], kids=2),
    r(2, 1, due=D(2024, 3, 1)),  # inherits 县发改局 (lead)
    r(3, 1, units=["县财政局"], due=D(2024, 3, 8)),  # own responsible unit: no lead to fall back on
    r(4, None, kids=1),
    r(5, 4, due=D(2024, 3, 4)),  # nobody's
    r(6, None, lead=["县发改局", "县财政局"], due=D(2024, 2, 1), status=Status.PAUSED),  # on hold: not listed
    r(7, None, lead=["县财政局"], due=D(2024, 3, 2), status=Status.DONE),
    r(8, None, lead=["县财政局"], kind=DeadlineKind.LONG_TERM),
]


def test_inherited_units():
    inherited = inherited_units(TREE)
    assert inherited[2] == (["县发改局"], ["各乡镇人民政府"]) and inherited[3] == ([], ["县财政局"])
    assert inherited[5] == ([], [])


def test_digest_groups_by_owner_units():
    d = digest({1: TREE}, D(2024, 3, 3), days=5)
    assert [(i.row.id, i.due.days, i.owners) for i in d.overdue] == [(2, 2, ["县发改局"])]
    assert [(i.row.id, i.due.days, i.owners) for i in d.due_soon] == [(5, 1, [NO_UNIT]), (3, 5, ["县财政局"])]
    assert [(u, [i.row.id for i in o], [i.row.id for i in s]) for u, o, s in d.by_unit()] == [
        ("县发改局", [2], []), (NO_UNIT, [], [5]), ("县财政局", [], [3])]
    assert digest({1: TREE}, D(2024, 3, 3), days=0).due_soon == []


def test_unit_stats_on_a_small_tree():
    stats = {(s.unit, s.role.value): (s.total, s.done, s.open, s.overdue, s.done_on_time)
             for s in unit_stats({1: TREE}, D(2024, 3, 3))}
    assert stats == {
        ("县发改局", "lead"): (2, 0, 2, 1, 0),  # tasks 2 (overdue) and 6 (paused: open, not overdue)
        ("各乡镇人民政府", "responsible"): (1, 0, 1, 1, 0),
        ("县财政局", "responsible"): (1, 0, 1, 0, 0),
        ("县财政局", "lead"): (3, 1, 2, 0, 0),  # 7 was done without a date: not counted on time
    }
    c = overall({1: TREE}, D(2024, 3, 3))
    assert (c.total, c.done, c.open, c.overdue) == (6, 1, 5, 1)
