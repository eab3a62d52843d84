"""Tree edits of the ledger, each undone by its inverse call to exactly the same tasks() output."""
from __future__ import annotations

import pytest

from desktop.domain import Status, UnitRole
from desktop.storage.ledger import Ledger

from .conftest import assert_dense, content, outline

START = ["A", "  A1", "    A1a", "    A1b", "  A2", "    A2a", "B", "  B1", "C"]


def rows_by_title(ledger: Ledger, nid: int) -> dict:
    return {r.title: r for r in ledger.tasks(nid)}


def last_change(ledger: Ledger, nid: int) -> tuple:
    c = ledger.changes(nid)[0]
    return c.what, c.task_id


def test_sample_tree_numbers_units_and_counts(ledger, sample):
    rows = ledger.tasks(sample["notice"])
    assert outline(rows) == START
    assert [r.number for r in rows] == ["一、", "（一）", "1.", "2.", "（二）", "1.", "二、", "（一）", "三、"]
    assert [r.depth for r in rows] == [1, 2, 3, 3, 2, 3, 1, 2, 1]
    assert [r.child_count for r in rows] == [2, 2, 0, 0, 1, 0, 1, 0, 0]
    a, a2 = rows[0], rows[4]
    assert a.lead_units == ["X县政务服务和数据管理局"]  # resolved from the alias 政数局
    assert a.units == ["各乡镇人民政府"]  # unknown: entered the directory
    assert a2.units == ["X县发展和改革局", "X县政务服务和数据管理局"]  # printed order kept
    assert_dense(rows)


def test_task_single_row_matches_tree_row(ledger, sample):
    rows = {r.id: r for r in ledger.tasks(sample["notice"])}
    for task_id in (sample["A"], sample["A1b"], sample["A2a"], sample["C"]):
        assert ledger.task(task_id) == rows[task_id]


@pytest.mark.parametrize("parent, index, expected_at", [
    ("A", 1, ["A", "  A1", "    A1a", "    A1b", "  新", "  A2"]),
    ("A", 0, ["A", "  新", "  A1"]),
    ("A", None, ["A", "  A1", "    A1a", "    A1b", "  A2", "    A2a", "  新", "B"]),
    ("A", 99, ["A", "  A1", "    A1a", "    A1b", "  A2", "    A2a", "  新", "B"]),  # clamped
    (None, 0, ["新", "A"]),
    (None, None, START + ["新"]),
])
def test_add_at_index_then_undo_and_redo(ledger, sample, parent, index, expected_at):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    new = ledger.add_task(nid, sample.get(parent), index, title="新", text="内容", status="推进中")
    after = ledger.tasks(nid)
    assert outline(after)[:len(expected_at)] == expected_at
    assert_dense(after)
    assert last_change(ledger, nid) == ("add", new)
    ledger.delete_task(new)  # the undo
    assert content(ledger.tasks(nid)) == content(before)
    assert ledger.add_task(nid, sample.get(parent), index, new_id=new, title="新", text="内容",
                           status="推进中") == new  # redo keeps the id
    assert content(ledger.tasks(nid)) == content(after)


def test_add_rejects_a_parent_of_another_notice_and_unknown_fields(ledger, sample):
    other = ledger.create_notice("另一个通知")
    with pytest.raises(ValueError):
        ledger.add_task(other, sample["A"], title="x")
    with pytest.raises(TypeError):
        ledger.add_task(sample["notice"], title="x", colour="red")


def test_indent_and_undo(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    old = ledger.indent(sample["A2"])
    assert old == (sample["A"], 1)
    assert outline(ledger.tasks(nid)) == ["A", "  A1", "    A1a", "    A1b", "    A2", "      A2a", "B", "  B1", "C"]
    assert ledger.task(sample["A2"]).number == "3."
    assert last_change(ledger, nid) == ("indent", sample["A2"])
    assert_dense(ledger.tasks(nid))
    ledger.move_task(sample["A2"], *old)
    assert content(ledger.tasks(nid)) == content(before)
    with pytest.raises(ValueError):
        ledger.indent(sample["A1"])  # first child: no previous sibling
    assert content(ledger.tasks(nid)) == content(before)


def test_outdent_and_undo(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    old = ledger.outdent(sample["A1"])
    assert old == (sample["A"], 0)
    assert outline(ledger.tasks(nid)) == ["A", "  A2", "    A2a", "A1", "  A1a", "  A1b", "B", "  B1", "C"]
    assert last_change(ledger, nid) == ("outdent", sample["A1"])
    assert_dense(ledger.tasks(nid))
    ledger.move_task(sample["A1"], *old)
    assert content(ledger.tasks(nid)) == content(before)
    with pytest.raises(ValueError):
        ledger.outdent(sample["B"])  # already top level


@pytest.mark.parametrize("name, parent, index, expected", [
    ("B", None, 0, ["B", "  B1", "A"]),  # move up
    ("A", None, 1, ["B", "  B1", "A"]),  # move down
    ("C", None, 0, ["C", "A"]),
    ("A1b", "B", 0, ["A", "  A1", "    A1a", "  A2", "    A2a", "B", "  A1b", "  B1", "C"]),  # other parent
    ("A2", "A1a", 0, ["A", "  A1", "    A1a", "      A2", "        A2a", "    A1b", "B"]),  # deeper
])
def test_move_and_undo(ledger, sample, name, parent, index, expected):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    old = ledger.move_task(sample[name], sample.get(parent), index)
    after = outline(ledger.tasks(nid))
    assert after[:len(expected)] == expected
    assert_dense(ledger.tasks(nid))
    assert last_change(ledger, nid) == ("move", sample[name])
    ledger.move_task(sample[name], *old)
    assert content(ledger.tasks(nid)) == content(before)


def test_move_into_own_subtree_is_refused(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    with pytest.raises(ValueError):
        ledger.move_task(sample["A"], sample["A1a"], 0)
    with pytest.raises(ValueError):
        ledger.move_task(sample["A"], sample["A"], 0)
    assert content(ledger.tasks(nid)) == content(before)  # the failed action changed nothing


def test_move_to_same_place_logs_nothing(ledger, sample):
    nid = sample["notice"]
    n = len(ledger.changes(nid))
    assert ledger.move_task(sample["B"], None, 1) == (None, 1)
    assert len(ledger.changes(nid)) == n


def test_split_then_unsplit_and_redo(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    a1 = ledger.task(sample["A1"])
    at = a1.text.index("第二句")
    new = ledger.split_task(sample["A1"], at)
    after = ledger.tasks(nid)
    rows = {r.id: r for r in after}
    assert outline(after)[:6] == ["A", "  A1", "    A1a", "    A1b", "  第二句", "  A2"]
    assert rows[sample["A1"]].text == "第一句，"
    n = rows[new]
    assert (n.text, n.title, n.parent_id, n.position) == ("第二句。第三句", "第二句", sample["A"], 1)
    assert (n.lead_units, n.units) == (a1.lead_units, a1.units)
    assert (n.deadline_text, n.due_date, n.deadline_kind, n.status, n.owner) == (
        a1.deadline_text, a1.due_date, a1.deadline_kind, a1.status, a1.owner)
    assert n.progress_note == "" and n.child_count == 0
    assert last_change(ledger, nid) == ("split", sample["A1"])
    assert_dense(after)
    ledger.unsplit(sample["A1"], new, a1.text)
    assert content(ledger.tasks(nid)) == content(before)
    assert last_change(ledger, nid) == ("unsplit", sample["A1"])
    assert ledger.split_task(sample["A1"], at, new_id=new) == new
    assert content(ledger.tasks(nid)) == content(after)


def test_split_title_falls_back_and_bounds(ledger, sample):
    nid = sample["notice"]
    new = ledger.split_task(sample["A2"], 1)  # text '乙' cut at its end: empty rest
    assert ledger.task(new).title == "A2" and ledger.task(new).text == ""
    with pytest.raises(ValueError):
        ledger.split_task(sample["A2"], 5)
    assert_dense(ledger.tasks(nid))


def test_merge_then_unmerge_and_redo(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    snap = ledger.merge_with_next(sample["A1"])
    after = ledger.tasks(nid)
    assert outline(after) == ["A", "  A1", "    A1a", "    A1b", "    A2a", "B", "  B1", "C"]
    a1 = ledger.task(sample["A1"])
    assert a1.text == "第一句，第二句。第三句乙"
    assert a1.remark == "备注乙" and a1.progress_note == "已启动"
    assert a1.lead_units == ["X县发展和改革局"]
    assert a1.units == ["X县发展和改革局", "X县政务服务和数据管理局"]  # gained from A2
    assert last_change(ledger, nid) == ("merge", sample["A1"])
    assert_dense(after)
    ledger.unmerge(sample["A1"], snap)
    assert content(ledger.tasks(nid)) == content(before)
    assert last_change(ledger, nid) == ("unmerge", sample["A1"])
    ledger.merge_with_next(sample["A1"])
    assert content(ledger.tasks(nid)) == content(after)
    with pytest.raises(ValueError):
        ledger.merge_with_next(sample["C"])  # last sibling


def test_delete_and_restore(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    snap = ledger.delete_task(sample["A"])
    assert [r["id"] for r in snap.rows] == [sample[k] for k in ("A", "A1", "A1a", "A1b", "A2", "A2a")]
    after = ledger.tasks(nid)
    assert outline(after) == ["B", "  B1", "C"]
    assert [r.number for r in after] == ["一、", "（一）", "二、"]
    assert_dense(after)
    assert last_change(ledger, nid) == ("delete", sample["A"])
    ledger.restore_tasks(snap)
    assert content(ledger.tasks(nid)) == content(before)
    assert last_change(ledger, nid) == ("restore", sample["A"])


def test_delete_middle_sibling_closes_the_gap_and_restore_reopens_it(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    snap = ledger.delete_task(sample["B"])
    assert ledger.task(sample["C"]).position == 1
    ledger.restore_tasks(snap)
    assert content(ledger.tasks(nid)) == content(before)


def test_set_fields_returns_old_values_and_undo(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    old = ledger.set_fields(sample["A1"], status=Status.DONE, done_on="2024-09-01", owner="张三",
                            progress_note="已完成验收")
    assert old == {"status": Status.IN_PROGRESS, "done_on": None, "owner": "张三", "progress_note": "已启动"}
    t = ledger.task(sample["A1"])
    assert t.status is Status.DONE and str(t.done_on) == "2024-09-01"
    logged = {(c.what, c.old, c.new) for c in ledger.changes(nid)[:3]}
    assert logged == {("status", "推进中", "已完成"), ("done_on", None, "2024-09-01"),
                      ("progress_note", "已启动", "已完成验收")}  # owner did not change: no row
    ledger.set_fields(sample["A1"], **old)
    assert content(ledger.tasks(nid)) == content(before)
    with pytest.raises(TypeError):
        ledger.set_fields(sample["A1"], lead_units=["x"])  # units go through set_units


def test_set_units_resolves_aliases_creates_unknown_and_undo(ledger, sample):
    nid = sample["notice"]
    before = ledger.tasks(nid)
    old = ledger.set_units(sample["A2"], UnitRole.LEAD, ["政数局", " 县发改局 ", "县政数局", "县应急管理局"])
    assert old == []
    t = ledger.task(sample["A2"])
    assert t.lead_units == ["X县政务服务和数据管理局", "X县发展和改革局", "县应急管理局"]  # deduplicated
    assert ledger.resolve_unit("县应急管理局").category.value == "其他"
    c = ledger.changes(nid)[0]
    assert (c.what, c.old, c.new) == ("units:lead", "", "X县政务服务和数据管理局、X县发展和改革局、县应急管理局")
    assert ledger.set_units(sample["A2"], "lead", old) == t.lead_units
    assert content(ledger.tasks(nid)) == content(before)
