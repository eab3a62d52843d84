"""The 落实情况 log, the 完成日期 rule in set_fields, revised deadlines, bulk actions and their undo."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import DeadlineKind, Status, UnitRole
from desktop.storage.ledger import Ledger, NotFoundError

from .conftest import content

D = dt.date


def test_progress_note_follows_the_latest_entry(ledger: Ledger, sample):
    a1 = sample["A1"]
    first = ledger.add_progress(a1, D(2024, 3, 1), "已制定方案", "张三")
    assert (ledger.task(a1).progress_note, ledger.task(a1).progress_on) == ("已制定方案", D(2024, 3, 1))
    older = ledger.add_progress(a1, D(2024, 2, 1), "召开启动会")  # an earlier date does not become latest
    assert ledger.task(a1).progress_note == "已制定方案"
    same_day = ledger.add_progress(a1, D(2024, 3, 1), "已报送")  # same date: the later entry wins
    assert ledger.task(a1).progress_note == "已报送"
    log = ledger.progress_log(a1)
    assert [(e.id, e.date, e.text, e.who) for e in log] == [
        (older, D(2024, 2, 1), "召开启动会", ""), (first, D(2024, 3, 1), "已制定方案", "张三"),
        (same_day, D(2024, 3, 1), "已报送", "")]
    assert all(e.created is not None and e.task_id == a1 for e in log)

    snap = ledger.delete_progress(same_day)
    assert ledger.task(a1).progress_note == "已制定方案"
    ledger.restore_progress(snap)  # undo: same id, latest again
    assert [e.id for e in ledger.progress_log(a1)] == [older, first, same_day]
    assert ledger.task(a1).progress_note == "已报送"

    old = ledger.update_progress(older, date=D(2024, 4, 1))
    assert old == {"date": D(2024, 2, 1)} and ledger.task(a1).progress_note == "召开启动会"
    ledger.update_progress(older, **old)
    for entry in (older, first, same_day):
        ledger.delete_progress(entry)
    assert (ledger.task(a1).progress_note, ledger.task(a1).progress_on) == ("", None)
    assert [c.what for c in ledger.changes(sample["notice"], limit=3)] == ["progress:delete"] * 3
    with pytest.raises(NotFoundError):
        ledger.delete_progress(first)


@pytest.mark.sqlite_only  # about the SQLite file / data folder itself
def test_quick_reader_shows_the_same_tracking_fields(data_dir, ledger: Ledger, sample):
    ledger.add_progress(sample["A1"], D(2024, 3, 1), "已制定方案")
    ledger.revise_deadline(sample["A1"], D(2024, 10, 31), "上级通知延期")
    expected = ledger.tasks(sample["notice"])
    ledger.close()
    with Ledger(data_dir) as again:
        assert again._quick is not None
        assert again.tasks(sample["notice"]) == expected
        assert again.tasks_by_notice() == {sample["notice"]: expected}
        assert again._sql is None


def test_deleting_and_restoring_a_task_keeps_its_log(ledger: Ledger, sample):
    entry = ledger.add_progress(sample["A1a"], D(2024, 3, 1), "子项进展")
    snap = ledger.delete_task(sample["A1"])
    ledger.restore_tasks(snap)
    assert [e.id for e in ledger.progress_log(sample["A1a"])] == [entry]


def test_merge_moves_the_log_and_unmerge_moves_it_back(ledger: Ledger, sample):
    a1, a2 = sample["A1"], sample["A2"]
    e1 = ledger.add_progress(a1, D(2024, 3, 1), "甲进展")
    e2 = ledger.add_progress(a2, D(2024, 4, 1), "乙进展")
    snap = ledger.merge_with_next(a1)
    assert [e.id for e in ledger.progress_log(a1)] == [e1, e2] and ledger.task(a1).progress_note == "乙进展"
    ledger.unmerge(a1, snap)
    assert [e.id for e in ledger.progress_log(a1)] == [e1] and ledger.task(a1).progress_note == "甲进展"
    assert [e.id for e in ledger.progress_log(a2)] == [e2] and ledger.task(a2).progress_note == "乙进展"


def test_set_fields_applies_the_done_date_rule_and_undoes(ledger: Ledger, sample):
    a1 = sample["A1"]
    old = ledger.set_fields(a1, status=Status.DONE)
    assert old == {"status": Status.IN_PROGRESS, "done_on": None}
    assert ledger.task(a1).done_on == dt.date.today()
    ledger.set_fields(a1, **old)
    assert (ledger.task(a1).status, ledger.task(a1).done_on) == (Status.IN_PROGRESS, None)
    ledger.set_fields(a1, status="已完成", done_on="2024-05-06")
    old = ledger.set_fields(a1, status=Status.PAUSED)  # leaving 已完成 clears the date
    assert old == {"status": Status.DONE, "done_on": D(2024, 5, 6)} and ledger.task(a1).done_on is None
    ledger.set_fields(a1, **old)
    assert ledger.task(a1).done_on == D(2024, 5, 6)


def test_revised_deadline_keeps_the_original_and_undoes(ledger: Ledger, sample):
    a1 = sample["A1"]
    old = ledger.revise_deadline(a1, D(2024, 10, 31), "省厅延期")
    assert old == {"due_date": D(2024, 9, 30), "original_due_date": None, "revision_reason": "", "revised_at": None}
    t = ledger.task(a1)
    assert (t.due_date, t.original_due_date, t.revision_reason, t.deadline_text) == (
        D(2024, 10, 31), D(2024, 9, 30), "省厅延期", "9月底前")
    assert t.revised_at is not None
    second = ledger.revise_deadline(a1, D(2024, 11, 30), "再次延期")  # the original stays the first one
    assert ledger.task(a1).original_due_date == D(2024, 9, 30)
    ledger.set_fields(a1, **second)
    ledger.set_fields(a1, **old)
    t = ledger.task(a1)
    assert (t.due_date, t.original_due_date, t.revision_reason, t.revised_at) == (D(2024, 9, 30), None, "", None)


def test_bulk_status_units_and_deadline_shift_with_undo(ledger: Ledger, sample):
    ids = [sample["A1a"], sample["A1b"], sample["B1"]]
    ledger.set_fields(sample["A1b"], status=Status.DONE, done_on=D(2024, 1, 2))
    before = {i: ledger.task(i) for i in ids}

    old = ledger.set_status_many(ids, Status.DONE)
    rows = {i: ledger.task(i) for i in ids}
    assert all(r.status == Status.DONE for r in rows.values())
    assert rows[sample["A1b"]].done_on == D(2024, 1, 2)  # kept its date
    assert rows[sample["A1a"]].done_on == dt.date.today()
    ledger.set_fields_many(old)
    assert content({i: ledger.task(i) for i in ids}) == content(before)

    old_units = ledger.set_units_many(ids, UnitRole.LEAD, ["县发改局", "新单位"])
    assert all(ledger.task(i).lead_units == ["X县发展和改革局", "新单位"] for i in ids)
    ledger.set_units_each(UnitRole.LEAD, old_units)
    assert content({i: ledger.task(i) for i in ids}) == content(before)

    ledger.set_fields_many({sample["A1a"]: {"due_date": D(2024, 2, 28), "deadline_kind": DeadlineKind.DATE}})
    before = {i: ledger.task(i) for i in ids}
    shifted = ledger.shift_deadlines(ids, 2, "统一顺延")
    assert set(shifted) == {sample["A1a"]}  # the others have no due date
    t = ledger.task(sample["A1a"])
    assert (t.due_date, t.original_due_date, t.revision_reason) == (D(2024, 3, 1), D(2024, 2, 28), "统一顺延")
    ledger.set_fields_many(shifted)
    assert content({i: ledger.task(i) for i in ids}) == content(before)


def test_bulk_actions_are_one_transaction(ledger: Ledger, sample):
    before = ledger.tasks(sample["notice"])
    with pytest.raises(NotFoundError):
        ledger.set_status_many([sample["A1a"], 99999], Status.DONE)
    with pytest.raises(NotFoundError):
        ledger.set_units_many([sample["A1a"], 99999], UnitRole.LEAD, ["县发改局"])
    assert content(ledger.tasks(sample["notice"])) == content(before)


def test_digest_and_stats_helpers_of_the_ledger(ledger: Ledger, sample):
    ledger.set_fields_many({sample["A1a"]: {"due_date": D(2024, 3, 1), "deadline_kind": DeadlineKind.DATE},
                            sample["B1"]: {"due_date": D(2024, 3, 5), "deadline_kind": DeadlineKind.DATE}})
    d = ledger.digest(D(2024, 3, 2), days=7)
    assert [i.row.id for i in d.overdue] == [sample["A1a"]] and [i.row.id for i in d.due_soon] == [sample["B1"]]
    assert d.overdue[0].owners == ["X县发展和改革局"]  # inherited from A1 (lead)
    assert d.due_soon[0].owners == ["（未明确单位）"] and d.count() == 2
    stats = {(s.unit, s.role.value): s for s in ledger.stats(D(2024, 3, 2), notice_id=sample["notice"])}
    assert (stats["X县发展和改革局", "lead"].total, stats["X县发展和改革局", "lead"].overdue) == (2, 1)
    with pytest.raises(NotFoundError):
        ledger.stats(notice_id=999)
