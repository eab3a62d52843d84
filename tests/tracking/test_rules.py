"""The one set of task-tree rules (``tracking.rules``) and the layers that must agree with it: 暂缓 never
overdue, 全年 without a stored date due at the notice year's end, recurring periods, units inherited as
both lists from the nearest ancestor naming any, and a parent's 下级完成 n/m."""
from __future__ import annotations

import datetime as dt

from desktop.documents import build
from desktop.documents.model import ItemRow, Table
from desktop.domain import DeadlineKind, NoticeInfo, Status, TaskRow
from desktop.tracking import rules
from desktop.tracking.digest import digest
from desktop.tracking.rules import NO_UNIT, TaskTree
from desktop.tracking.stats import overall, unit_stats
from desktop.ui.task_filter import TaskFilter, apply_filter
from desktop.ui.task_filter import is_overdue as filter_overdue

D = dt.date
NOTICE = NoticeInfo(1, "关于印发《2023年政务公开工作要点》的通知", year=2023)


def task(i: int, parent: int | None = None, depth: int = 1, **kw) -> TaskRow:
    return TaskRow(id=i, notice_id=1, parent_id=parent, position=i, depth=depth, number=f"{i}.",
                   title=kw.pop("title", f"任务{i}"), text=kw.pop("text", f"任务{i}的具体内容。"), **kw)


def tree_rows(*leaves: TaskRow) -> list[TaskRow]:
    """A section (id 100) holding ``leaves`` (parented to it), with child_count filled."""
    section = task(100, title="一、总体要求", text="一、总体要求", child_count=len(leaves))
    return [section] + [TaskRow(**{**leaf.__dict__, "parent_id": 100, "depth": 2}) for leaf in leaves]


def open_items_cells(rows: list[TaskRow], today: dt.date, notice: NoticeInfo = NOTICE) -> dict[str, list[str]]:
    """任务名称 → the item row's cells of the 未完成事项清单 built for ``rows``."""
    doc = build("open", notice, rows, today=today)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    keys = [c.key for c in table.columns]
    out = {}
    for r in table.rows:
        if isinstance(r, ItemRow):
            out[r.cells[keys.index("title")]] = r.cells
    return out


def test_paused_task_past_its_date_is_overdue_nowhere():
    paused = task(1, deadline_kind=DeadlineKind.DATE, due_date=D(2023, 3, 31), status=Status.PAUSED)
    late = task(2, deadline_kind=DeadlineKind.DATE, due_date=D(2023, 3, 31), lead_units=["县财政局"])
    rows = tree_rows(paused, late)
    today = D(2023, 6, 1)
    tree = TaskTree(rows, 2023)
    p, lt = tree.by_id[1], tree.by_id[2]
    assert tree.is_open(p) and not tree.is_overdue(p, today) and tree.days_overdue(p, today) == 0
    assert tree.is_overdue(lt, today) and tree.days_overdue(lt, today) == 62
    assert not rules.is_overdue(p, today, 2023) and not filter_overdue(p, today, 2023)
    d = digest({1: rows}, today, 7, {1: 2023})
    assert [i.row.id for i in d.overdue] == [2]
    assert overall({1: rows}, today, {1: 2023}).overdue == 1
    cells = open_items_cells(rows, today)
    assert not any("已超期" in c for c in cells["任务1"]) and any("已超期" in c for c in cells["任务2"])
    report = build("report", NOTICE, rows, today=today)
    assert "其中1项已超过完成时限" in "".join(getattr(b, "text", "") for b in report.blocks)


def test_year_round_task_without_a_stored_date_falls_due_at_the_notice_years_end():
    whole = task(1, deadline_kind=DeadlineKind.YEAR_ROUND, deadline_text="全年")
    rows = tree_rows(whole)
    tree = TaskTree(rows, 2023)
    assert tree.due(tree.by_id[1], D(2023, 7, 31)).date == D(2023, 12, 31)
    assert not tree.is_overdue(tree.by_id[1], D(2023, 12, 31))
    assert tree.days_overdue(tree.by_id[1], D(2024, 1, 2)) == 2
    assert TaskTree(rows, None).due(tree.by_id[1], D(2024, 1, 2)).date is None  # no year: no date to miss
    assert any("已超期" in c for c in open_items_cells(rows, D(2024, 1, 2))["任务1"])
    assert not any("已超期" in c for c in open_items_cells(rows, D(2024, 1, 2), NoticeInfo(1, NOTICE.title))["任务1"])
    assert [i.row.id for i in digest({1: rows}, D(2024, 1, 2), 0, {1: 2023}).overdue] == [1]


def test_recurring_task_is_overdue_when_the_last_period_has_no_progress_entry():
    quarterly = task(1, deadline_kind=DeadlineKind.RECURRING, deadline_text="每季度")
    reported = task(2, deadline_kind=DeadlineKind.RECURRING, deadline_text="每季度", progress_on=D(2023, 4, 20),
                    progress_note="已报送", status=Status.IN_PROGRESS)
    rows = tree_rows(quarterly, reported)
    tree = TaskTree(rows, 2023)
    today = D(2023, 5, 10)
    q, r = tree.by_id[1], tree.by_id[2]
    assert tree.is_overdue(q, today) and tree.due(q, today).date == D(2023, 6, 30)
    assert not tree.is_overdue(r, today) and tree.due(r, today).date == D(2023, 9, 30)  # this quarter done
    assert not tree.is_overdue(q, D(2023, 2, 1))  # the quarter before the notice year is not asked for
    assert [i.row.id for i in digest({1: rows}, today, 0, {1: 2023}).overdue] == [1]
    cells = open_items_cells(rows, today)
    assert any("已超期" in c for c in cells["任务1"]) and not any("已超期" in c for c in cells["任务2"])


def test_units_are_both_lists_of_the_nearest_ancestor_naming_any():
    rows = [task(1, lead_units=["县政府办"], units=["县财政局"], child_count=1, title="一、总体"),
            task(2, 1, 2, units=["县发改局"], child_count=2, title="（一）重点"),  # only a 责任单位
            task(3, 2, 3, title="甲"),
            task(4, 2, 3, lead_units=["县教育局"], title="乙"),
            task(5, None, 1, title="丙")]
    tree = TaskTree(rows, 2023)
    by = tree.by_id
    assert tree.in_force(by[3]) == ([], ["县发改局"])  # not the grandparent's lead
    assert tree.in_force(by[4]) == (["县教育局"], [])  # its own, nothing added
    assert tree.in_force(by[5]) == ([], []) and tree.owners(by[5]) == [NO_UNIT]
    assert tree.owners(by[3]) == ["县发改局"] and tree.answerable(by[4]) == ["县教育局"]
    assert apply_filter(rows, TaskFilter(unit_names=frozenset({"县发改局"})), D(2023, 5, 1))[1] == {2, 3}
    assert apply_filter(rows, TaskFilter(unit_names=frozenset({"县政府办"})), D(2023, 5, 1))[1] == {1}
    named = {1: (["县政府办"], ["县财政局"]), 2: ([], ["县发改局"])}
    assert rules.nearest_named([3, 2, 1], named) == ([], ["县发改局"]) and rules.nearest_named([5], named) == ([], [])
    stats = {(s.unit, s.role.value): s.total for s in unit_stats({1: rows}, D(2023, 5, 1))}
    assert ("县政府办", "lead") not in stats and stats[("县发改局", "responsible")] == 1
    doc = build("table", NOTICE, rows)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    keys = [c.key for c in table.columns]
    item = next(r for r in table.rows if isinstance(r, ItemRow) and r.cells[keys.index("text")].endswith("任务3的具体内容。"))
    assert item.cells[keys.index("lead")] == "" and item.cells[keys.index("units")] == "县发改局"


def test_parent_progress_counts_done_leaves_without_not_applicable():
    rows = [task(1, child_count=2, title="一、总体"),
            task(2, 1, 2, child_count=3, title="（一）"),
            task(3, 2, 3, status=Status.DONE, done_on=D(2023, 2, 1)),
            task(4, 2, 3, status=Status.NOT_APPLICABLE),
            task(5, 2, 3, status=Status.PAUSED),
            task(6, 1, 2, status=Status.DONE, done_on=D(2023, 3, 1))]
    tree = TaskTree(rows)
    assert tree.progress(tree.by_id[2]) == (1, 2)
    assert tree.progress(tree.by_id[1]) == (2, 3)
    assert tree.progress(tree.by_id[3]) is None
    assert [r.id for r in tree.rows if tree.is_counted(r)] == [3, 5, 6]
    unfilled = [TaskRow(**{**r.__dict__, "child_count": 0}) for r in rows]  # hand-built rows: shape from parents
    assert TaskTree(unfilled).progress(unfilled[0]) == (2, 3)
