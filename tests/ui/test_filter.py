"""Search and filter: Python-side rules keep tree context, the filter bar drives the window, 5,000 tasks stay fast."""
from __future__ import annotations

import datetime as dt
import time

from desktop.domain import DeadlineKind, Status
from desktop.ui.task_filter import UNFINISHED, DeadlineFilter, TaskFilter, apply_filter
from desktop.ui.task_model import COL_TITLE

from .conftest import tree_rows

TODAY = dt.date(2024, 7, 15)


def sample():
    rows = tree_rows([(1, None, "优化营商环境"), (2, 1, "压减审批"), (3, 2, "梳理清单"), (4, 2, "一网通办"),
                      (5, 1, "清理欠款"), (6, None, "乡村振兴"), (7, 6, "人居环境"), (8, 6, "粮食生产")])
    by = {r.id: r for r in rows}
    by[3].lead_units = ["县行政审批服务局"]
    by[4].units = ["县审批局"]
    by[4].status = Status.DONE
    by[5].due_date, by[5].deadline_kind = dt.date(2024, 6, 30), DeadlineKind.DATE  # overdue
    by[7].due_date, by[7].deadline_kind = dt.date(2024, 7, 31), DeadlineKind.DATE  # this month
    by[8].deadline_text, by[8].deadline_kind = "长期坚持", DeadlineKind.LONG_TERM
    by[8].due_date = dt.date(2024, 1, 1)  # long-term tasks are never overdue
    return rows


def test_text_match_keeps_ancestors():
    shown, matched = apply_filter(sample(), TaskFilter(text="清单"), TODAY)
    assert matched == {3}
    assert shown == {1, 2, 3}


def test_terms_are_anded_and_case_folded():
    rows = sample()
    rows[6].remark = "ABC 补充"
    assert apply_filter(rows, TaskFilter(text="abc 补充"), TODAY)[1] == {7}
    assert apply_filter(rows, TaskFilter(text="abc 不存在"), TODAY) == (set(), set())


def test_unit_status_deadline_filters():
    rows = sample()
    spellings = frozenset({"县行政审批服务局", "县审批局"})
    assert apply_filter(rows, TaskFilter(unit_names=spellings), TODAY)[1] == {3, 4}
    assert apply_filter(rows, TaskFilter(status=Status.DONE), TODAY) == ({1, 2, 4}, {4})
    assert 4 not in apply_filter(rows, TaskFilter(status=UNFINISHED), TODAY)[1]
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.OVERDUE), TODAY)[1] == {5}
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.THIS_MONTH), TODAY)[1] == {7}
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.LONG_TERM), TODAY)[1] == {8}
    assert 5 not in apply_filter(rows, TaskFilter(deadline=DeadlineFilter.NO_DEADLINE), TODAY)[1]
    assert apply_filter(rows, TaskFilter(), TODAY) is None


def test_filter_bar_narrows_the_window_and_clears(qtbot, make_window, ledger, notice_id):
    w = make_window()
    assert w.controller.notice_id == notice_id
    total = len(ledger.tasks(notice_id))
    w.filter_bar.text_edit.setText("一网通办")
    titles = [r.title for r in w.model.rows() if w.model.index_for_id(r.id).isValid()]
    assert titles == ["持续优化营商环境", "压减审批时限", "上线一网通办"]  # section → task → item
    assert "筛选出 1 条" in w.count_label.text()
    # the unit combo lists the directory; a short name in the tasks still matches
    w.filter_bar.text_edit.clear()
    w.filter_bar.unit_combo.setCurrentText("县农业农村局")
    assert w.model.matched_count() == 2
    w.filter_bar.status_combo.setCurrentText(Status.DONE.value)
    shown = [w.model.index_for_id(r.id, COL_TITLE).data() for r in w.model.rows()
             if w.model.index_for_id(r.id).isValid()]
    assert shown == ["全面推进乡村振兴", "人居环境整治"]
    w.actions.find.trigger()
    assert w.filter_bar.text_edit.hasFocus()
    w.filter_bar.clear_button.click()
    assert w.model.visible_count() == total and not w.model.is_filtered()


def test_filter_5000_tasks_within_budget(qtbot, make_window, ledger):
    tasks = [{"section": f"{s}、第{s}部分", "title": f"任务{s}-{t}", "text": f"推进第{s}项第{t}条工作，确保按期完成。",
              "lead_units": ["县财政局"], "children": [{"title": f"子项{s}-{t}-{k}", "text": "落实到位。"}
                                                        for k in range(4)]}
             for s in range(50) for t in range(20)]
    nid = ledger.create_notice_with_tasks({"title": "五千条任务的通知"}, tasks)
    w = make_window()
    w.notice_list.select(nid)
    assert len(w.model.rows()) == 5050

    def timed(flt: TaskFilter) -> float:
        best = float("inf")
        for _ in range(3):
            w.controller.set_filter(TaskFilter(text="不存在的词"))
            t0 = time.perf_counter()
            w.controller.set_filter(flt)
            w.view.viewport().repaint()  # layout + paint included
            best = min(best, time.perf_counter() - t0)
        return best

    typed = timed(TaskFilter(text="第7条"))  # a keystroke: 50 of the 1,000 tasks (plus their sections)
    assert w.model.matched_count() == 50
    assert typed <= 0.100, f"filtering 5,000 tasks took {typed * 1000:.0f} ms"
    cleared = timed(TaskFilter())  # back to all 5,050 rows expanded
    assert w.model.visible_count() == 5050
    assert cleared <= 0.250, f"showing all 5,000 tasks again took {cleared * 1000:.0f} ms"


def test_overdue_this_month_due_soon_and_no_unit_keep_ancestors():
    rows = sample()
    by = {r.id: r for r in rows}
    by[1].lead_units = ["县财政局"]  # 优化营商环境 and everything below it has a unit in force
    by[7].lead_units = ["县农业农村局"]
    # 粮食生产 (8): no unit of its own nor above → 无责任单位
    assert apply_filter(rows, TaskFilter(no_unit=True), TODAY) == ({6, 8}, {8})
    by[8].deadline_kind, by[8].deadline_text, by[8].due_date = DeadlineKind.YEAR_ROUND, "全年", None
    # 全年 falls due on Dec 31 of the notice year: overdue only after it
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.OVERDUE), TODAY, 2024)[1] == {5}
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.OVERDUE), TODAY, 2023)[1] == {5, 8}
    # overdue / this month / due soon keep the tree context (ancestors), not the siblings
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.OVERDUE), TODAY, 2024)[0] == {1, 5}
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.THIS_MONTH), TODAY, 2024) == ({6, 7}, {7})
    by[7].due_date = dt.date(2024, 7, 20)
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.DUE_SOON), TODAY, 2024) == ({6, 7}, {7})
    by[5].status = Status.PAUSED  # 暂缓: on hold, never overdue
    assert apply_filter(rows, TaskFilter(deadline=DeadlineFilter.OVERDUE), TODAY, 2024) == (set(), set())
    # a parent's status is its items' progress: status conditions ask the items
    by[2].status = Status.DONE
    assert 2 not in apply_filter(rows, TaskFilter(status=Status.DONE), TODAY)[1]
    assert apply_filter(rows, TaskFilter(status=UNFINISHED), TODAY)[1] == {3, 5, 7, 8}


def test_filter_bar_no_unit_entry(qtbot, make_window, ledger, notice_id):
    t = {r.title: r.id for r in ledger.tasks(notice_id)}
    ledger.set_units(t["粮食生产"], "lead", [])
    w = make_window(today=dt.date(2024, 7, 15))
    w.filter_bar.unit_combo.setCurrentText("（无责任单位）")
    assert w.controller.filter.no_unit
    shown = [r.title for r in w.model.rows() if w.model.index_for_id(r.id).isValid()]
    assert shown == ["全面推进乡村振兴", "粮食生产"]
    w.filter_bar.unit_combo.setCurrentIndex(0)
    w.filter_bar.deadline_combo.setCurrentText(DeadlineFilter.OVERDUE.value)
    assert w.model.matched_count() == 0  # the items under 压减审批时限 have no deadline of their own
