"""Carry forward (structure, units and deadlines into the new year; status and progress reset) and the
year-on-year comparison (new, dropped, changed tasks)."""
from __future__ import annotations

import datetime as dt

from desktop.domain import DeadlineKind, Status
from desktop.spreadsheets.compare import compare_notices, counts, normalise
from desktop.tracking.carry import carried_title, move_date, move_years_in_text
from tests.spreadsheets.conftest import task_id


def test_carry_forward(ledger, notice_id, tmp_path):
    tid = task_id(ledger, notice_id, "清理拖欠账款")
    ledger.add_progress(tid, dt.date(2024, 3, 1), "已部署", "县财政局")
    ledger.set_fields(tid, status=Status.DONE, done_on=dt.date(2024, 4, 1))
    first = task_id(ledger, notice_id, "压减审批时限")
    ledger.revise_deadline(first, dt.date(2024, 8, 31), "延期")
    (tmp_path / "e.pdf").write_bytes(b"%PDF-1.4")
    ledger.attach_evidence(tid, tmp_path / "e.pdf")
    new_id = ledger.carry_forward(notice_id, 2025)
    notice = ledger.notice(new_id)
    assert notice.title == "关于印发2025年县政府重点工作任务分解的通知" and notice.year == 2025
    old, new = ledger.tasks(notice_id), ledger.tasks(new_id)
    assert [(r.depth, r.number, r.title, r.lead_units, r.units) for r in old] == \
           [(r.depth, r.number, r.title, r.lead_units, r.units) for r in new]
    assert all(r.status == Status.NOT_STARTED and r.done_on is None and not r.progress_note for r in new)
    moved = next(r for r in new if r.title == "压减审批时限")
    assert moved.due_date == dt.date(2025, 6, 30) and moved.revised_at is None  # the printed deadline, moved
    carried = next(r for r in new if r.title == "清理拖欠账款")
    assert ledger.progress_log(carried.id) == [] and ledger.evidence(carried.id) == []
    assert ledger.task(tid).status == Status.DONE  # last year's notice untouched
    assert ledger.carry_forward(notice_id, 2026, "2026年重点工作") and ledger.notices()[0].title == "2026年重点工作"


def test_carry_rules():
    assert move_date(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert move_years_in_text("2024年6月底前", 2024, 2025) == "2025年6月底前"
    assert move_years_in_text("2024-2026年", 2024, 2025) == "2025-2027年"
    assert move_years_in_text("2019年以来", 2024, 2025) == "2019年以来"
    assert carried_title("政务公开工作要点", 2024, 2025) == "政务公开工作要点（2025年）"


def test_compare(ledger, notice_id):
    new_id = ledger.carry_forward(notice_id, 2025)
    rows = {r.title: r.id for r in ledger.tasks(new_id)}
    ledger.set_fields(rows["粮食生产"], text="稳定粮食播种面积，确保粮食产量稳定在20万吨以上，推广良种。")
    ledger.set_units(rows["人居环境整治"], "lead", ["县住房和城乡建设局"])
    ledger.delete_task(rows["清理拖欠账款"])
    ledger.add_task(new_id, title="数字乡村建设", text="推进数字乡村试点。", lead_units=["县农业农村局"],
                    deadline_kind=DeadlineKind.NONE)
    pairs = compare_notices(ledger.tasks(notice_id), ledger.tasks(new_id))
    assert counts(pairs) == {"same": 3, "changed": 2, "new": 1, "dropped": 1}
    changed = {p.new.values["title"]: p.fields for p in pairs if p.kind == "changed"}
    assert changed == {"粮食生产": ["text"], "人居环境整治": ["lead"]}
    assert [p.old.values["title"] for p in pairs if p.kind == "dropped"] == ["清理拖欠账款"]
    assert [p.new.values["title"] for p in pairs if p.kind == "new"] == ["数字乡村建设"]


def test_normalise_ignores_years_numbers_and_marks():
    assert normalise("（一）2024年做好政务公开，") == normalise("1. 2025年 做好政务公开。")
