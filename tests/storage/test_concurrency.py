"""Two clients on one ledger (two Ledger objects: two PCs on the server, or two windows on a file):
row versions, ConflictError with what changed, the merge path, and changed_since for refreshing."""
from __future__ import annotations

import pytest

from desktop.domain import Status, UnitRole
from desktop.storage.ledger import ConflictError, Ledger


def test_versions_count_content_changes_not_moves(ledger: Ledger, sample):
    a1 = sample["A1"]
    v = ledger.task(a1).version
    ledger.set_fields(a1, remark="一")
    assert ledger.task(a1).version == v + 1
    ledger.set_fields(a1, remark="一")  # no change: no new version
    assert ledger.task(a1).version == v + 1
    ledger.set_units(a1, UnitRole.RESPONSIBLE, ["县财政局"])
    ledger.add_progress(a1, None, "进展")
    assert ledger.task(a1).version == v + 3
    ledger.move_task(a1, None, 0)
    assert ledger.task(a1).version == v + 3
    assert [r.version for r in ledger.tasks(sample["notice"]) if r.id == a1] == [v + 3]


def test_two_clients_second_save_is_told_what_changed_and_can_merge(open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    tid = sample["A1"]
    seen_a, seen_b = a.task(tid), b.task(tid)
    assert seen_a.version == seen_b.version
    a.set_fields(tid, expected_version=seen_a.version, title="A 改的名称")
    # B edits another field from the row it read before A saved.
    with pytest.raises(ConflictError) as err:
        b.set_fields(tid, expected_version=seen_b.version, remark="B 的备注")
    e = err.value
    assert (e.task_id, e.expected_version, e.current_version) == (tid, seen_b.version, seen_b.version + 1)
    assert e.their_fields == {"title"}
    assert e.changes == {"remark": ("B 的备注", "")}
    assert e.can_merge and "名称" in str(e)
    assert b.task(tid).remark == ""  # nothing written
    # 合并: B's fields on top of A's row.
    b.set_fields(tid, expected_version=e.current_version, **e.yours)
    row = a.task(tid)
    assert (row.title, row.remark, row.version) == ("A 改的名称", "B 的备注", seen_a.version + 2)


def test_same_field_conflict_cannot_merge_and_writes_nothing(open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    tid = sample["A2"]
    v = b.task(tid).version
    a.set_fields(tid, status=Status.DONE, done_on="2024-05-01")
    log_before = b.changes(limit=1000)
    with pytest.raises(ConflictError) as err:
        b.set_fields(tid, expected_version=v, status=Status.PAUSED)
    e = err.value
    assert e.changes == {"status": (Status.PAUSED, Status.DONE)}
    assert "status" in e.their_fields and not e.can_merge
    assert b.task(tid).status is Status.DONE and b.changes(limit=1000) == log_before


def test_conflicts_on_units_progress_and_notices(open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    tid = sample["A1"]
    v = b.task(tid).version
    a.add_progress(tid, None, "A 的进展")
    with pytest.raises(ConflictError) as err:
        b.set_units(tid, UnitRole.LEAD, ["县政数局"], expected_version=v)
    assert err.value.their_fields == {"progress_note"} and err.value.can_merge
    b.set_units(tid, UnitRole.LEAD, ["县政数局"], expected_version=err.value.current_version)
    assert a.task(tid).lead_units == ["X县政务服务和数据管理局"]
    with pytest.raises(ConflictError):  # bulk edits check each row's version too
        b.set_fields_many({tid: {"remark": "x"}, sample["B"]: {"remark": "y"}}, {tid: v, sample["B"]: 1})
    assert a.task(sample["B"]).remark == ""
    nid = sample["notice"]
    nv = b.notice(nid).version
    a.update_notice(nid, expected_version=nv, title="新标题")
    with pytest.raises(ConflictError) as err:
        b.update_notice(nid, expected_version=nv, doc_number="X政办发〔2024〕2号")
    assert err.value.kind == "notice" and err.value.their_fields == {"title"} and err.value.can_merge
    b.update_notice(nid, expected_version=err.value.current_version, **err.value.yours)
    n = a.notice(nid)
    assert (n.title, n.doc_number, n.version) == ("新标题", "X政办发〔2024〕2号", nv + 2)


def test_split_by_the_other_client_is_not_mergeable(open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    tid = sample["A1"]
    v = b.task(tid).version
    a.split_task(tid, 4)
    with pytest.raises(ConflictError) as err:
        b.set_fields(tid, expected_version=v, remark="r")
    assert "*" in err.value.their_fields and not err.value.can_merge


def test_changed_since_reports_the_notices_other_clients_changed(open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    token, changed = b.changed_since(None)
    assert changed == set()
    assert b.changed_since(token) == (token, set())  # idle: nothing
    other = a.create_notice("另一份通知", year=2024)
    a.set_fields(sample["A1"], remark="改")
    token2, changed = b.changed_since(token)
    assert token2 > token and changed == {other, sample["notice"]}
    a.add_unit("X县新单位")
    token3, changed = b.changed_since(token2)
    assert changed == {None}  # the unit directory: reload everything
    assert b.changed_since(token3) == (token3, set())
