"""Completion tracking in the window: derived progress, overdue marks, the panel's status / log / evidence /
deadline driven with qtbot, and the bulk actions — every edit one undo step, on a fixed ``today``."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from desktop.domain import DeadlineKind, Status, UnitRole
from desktop.settings import TRACKING_WHO
from desktop.ui.detail_panel import TAB_EVIDENCE, TAB_LOG
from desktop.ui.task_model import COL_DEADLINE, COL_NUMBER, COL_PROGRESS, COL_STATUS, COL_TEXT, COL_TITLE

TODAY = dt.date(2024, 7, 15)


def ids(ledger, nid):
    return {r.title: r.id for r in ledger.tasks(nid)}


def cell(w, task_id, col, role=Qt.ItemDataRole.DisplayRole):
    return w.model.index_for_id(task_id, col).data(role)


def test_parent_status_cell_shows_derived_progress_never_editable(qtbot, make_window, ledger, notice_id):
    w = make_window(today=TODAY)
    t = ids(ledger, notice_id)
    assert cell(w, t["压减审批时限"], COL_STATUS) == "0/2"
    assert cell(w, t["持续优化营商环境"], COL_STATUS) == "0/3"  # 梳理, 上线, 清理拖欠账款
    assert cell(w, t["全面推进乡村振兴"], COL_STATUS) == "1/2"  # 人居环境整治 is done
    assert cell(w, t["粮食生产"], COL_STATUS) == "未开始"
    assert not w.model.flags(w.model.index_for_id(t["压减审批时限"], COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    assert w.model.flags(w.model.index_for_id(t["粮食生产"], COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    w.controller.edit_cell(t["梳理事项清单"], "status", Status.DONE)
    assert cell(w, t["压减审批时限"], COL_STATUS) == "1/2"
    assert cell(w, t["持续优化营商环境"], COL_STATUS) == "1/3"
    w.actions.undo.trigger()
    assert cell(w, t["压减审批时限"], COL_STATUS) == "0/2"
    # the panel shows a parent's progress instead of a status choice
    w.view.select_ids([t["压减审批时限"]])
    assert w.panel.progress_label.isVisibleTo(w.panel) and not w.panel.status_combo.isVisibleTo(w.panel)
    assert w.panel.progress_label.text() == "下级事项完成 0/2"
    assert "status" not in w.panel.pending_fields()


def test_overdue_marks_follow_the_deadline_rules(qtbot, make_window, ledger, notice_id):
    t = ids(ledger, notice_id)
    leaf = t["梳理事项清单"]
    ledger.set_fields(leaf, due_date=dt.date(2024, 7, 1), deadline_kind=DeadlineKind.DATE, deadline_text="6月底前")
    ledger.set_fields(t["清理拖欠账款"], due_date=dt.date(2024, 1, 1))  # 长期坚持: never overdue
    w = make_window(today=TODAY)
    red = cell(w, leaf, COL_STATUS, Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.color().red() > 150
    assert "已逾期 14 天" in cell(w, leaf, COL_DEADLINE, Qt.ItemDataRole.ToolTipRole)
    assert cell(w, t["清理拖欠账款"], COL_STATUS, Qt.ItemDataRole.ForegroundRole) is None
    # the parent's progress is red while an item below it is overdue
    assert cell(w, t["压减审批时限"], COL_STATUS, Qt.ItemDataRole.ForegroundRole) is not None
    assert "已逾期 1" in w.count_label.text()
    w.controller.edit_cell(leaf, "status", Status.PAUSED)  # 暂缓: on hold, not overdue
    assert cell(w, leaf, COL_STATUS, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(w, t["压减审批时限"], COL_STATUS, Qt.ItemDataRole.ForegroundRole) is None
    assert "已逾期" not in w.count_label.text()


def test_panel_done_date_only_for_done_defaults_to_today_and_undo_restores(qtbot, make_window, ledger, notice_id):
    w = make_window(today=TODAY)
    t = ids(ledger, notice_id)
    w.view.select_ids([t["粮食生产"]])
    p = w.panel
    assert not p.done_edit.isEnabled()
    p.status_combo.setCurrentText(Status.DONE.value)
    p.status_combo.activated.emit(p.status_combo.currentIndex())
    row = ledger.task(t["粮食生产"])
    assert row.status == Status.DONE and row.done_on == TODAY
    assert p.done_edit.isEnabled() and p.done_date() == TODAY
    assert w.actions.undo.text() == "撤销 修改状态、完成日期"
    w.actions.undo.trigger()
    row = ledger.task(t["粮食生产"])
    assert row.status == Status.NOT_STARTED and row.done_on is None
    assert not p.done_edit.isEnabled() and p.done_date() is None


def test_progress_log_add_edit_delete_with_undo(qtbot, make_window, ledger, notice_id):
    w = make_window(today=TODAY)
    t = ids(ledger, notice_id)
    tid = t["粮食生产"]
    w.view.select_ids([tid])
    p, log = w.panel, w.panel.log_widget
    p.tabs.setCurrentIndex(TAB_LOG)
    assert log.entries() == [] and log.date_edit.date().toPython() == TODAY
    log.who_edit.setText("张三")
    log.text_edit.setPlainText("已完成夏粮收购")
    qtbot.mouseClick(log.add_button, Qt.MouseButton.LeftButton)
    stored = ledger.progress_log(tid)
    assert [(e.date, e.text, e.who) for e in stored] == [(TODAY, "已完成夏粮收购", "张三")]
    assert log.text_edit.toPlainText() == "" and [e.text for e in log.entries()] == ["已完成夏粮收购"]
    assert cell(w, tid, COL_PROGRESS) == "2024-07-15：已完成夏粮收购"
    assert w.settings.get(TRACKING_WHO) == "张三"
    # an older entry goes below: newest first
    log.date_edit.setDate(dt.date(2024, 6, 1))
    log.text_edit.setPlainText("完成春播")
    log.submit()
    assert [e.text for e in log.entries()] == ["已完成夏粮收购", "完成春播"]
    assert log.list.item(0).text().startswith("2024-07-15　张三")
    assert cell(w, tid, COL_PROGRESS) == "2024-07-15：已完成夏粮收购"  # the latest by date
    # edit the newest, then delete it
    first = log.entries()[0].id
    log.list.setCurrentRow(0)
    log.edit_entry(changes={"text": "夏粮收购完成，入库 3 万吨"})
    assert ledger.progress_log(tid)[-1].text == "夏粮收购完成，入库 3 万吨"
    assert "入库 3 万吨" in cell(w, tid, COL_PROGRESS)
    log.list.setCurrentRow(0)
    log.delete_current()
    assert [e.id for e in ledger.progress_log(tid)] != [first] and len(ledger.progress_log(tid)) == 1
    assert cell(w, tid, COL_PROGRESS) == "2024-06-01：完成春播"
    assert w.panel.latest_label.text() == "2024-06-01：完成春播"
    # each was one undo step
    w.actions.undo.trigger()  # delete
    assert [e.id for e in log.entries()][0] == first
    w.actions.undo.trigger()  # edit
    assert ledger.progress_log(tid)[-1].text == "已完成夏粮收购"
    w.actions.undo.trigger()  # second add
    w.actions.undo.trigger()  # first add
    assert ledger.progress_log(tid) == [] and log.entries() == []
    assert cell(w, tid, COL_PROGRESS) == ""
    w.actions.redo.trigger()
    assert [e.id for e in ledger.progress_log(tid)] == [first]


def test_evidence_add_rename_remove_undo_keeps_the_file(qtbot, make_window, ledger, notice_id, messages, tmp_path):
    w = make_window(today=TODAY)
    t = ids(ledger, notice_id)
    tid = t["人居环境整治"]
    w.view.select_ids([tid])
    w.panel.tabs.setCurrentIndex(TAB_EVIDENCE)
    ev = w.panel.evidence_widget
    src = tmp_path / "改厕 验收:照片?.jpg"
    src.write_bytes(b"\xff\xd8photo-bytes")
    depth = w.controller.stack().count()
    ev.choose_files([src])
    [info] = ledger.evidence(tid)
    assert ev.items()[0].id == info.id and "改厕" in ev.list.item(0).text()
    assert w.controller.stack().count() == depth + 1
    ev.rename_current("验收照片.jpg")
    assert ledger.evidence(tid)[0].name == "验收照片.jpg"
    stored = ledger.evidence_path(info.id)
    ev.remove_current()
    assert ledger.evidence(tid) == [] and ev.items() == []
    assert stored.read_bytes() == b"\xff\xd8photo-bytes"  # kept for the undo
    w.actions.undo.trigger()  # remove
    assert [e.name for e in ledger.evidence(tid)] == ["验收照片.jpg"]
    assert ledger.evidence_path(info.id).read_bytes() == b"\xff\xd8photo-bytes"
    w.actions.undo.trigger()  # rename
    assert ev.items()[0].name == info.name
    # 打开 asks the system viewer for the stored copy
    opened = []
    w.tracking.prompts.open_url = lambda url: opened.append(url.toLocalFile()) or True
    ev.open_current()
    assert opened == [str(stored)]
    w.actions.undo.trigger()  # add
    assert ledger.evidence(tid) == []
    w.actions.redo.trigger()
    assert [e.id for e in ledger.evidence(tid)] == [info.id]
    assert src.read_bytes() == b"\xff\xd8photo-bytes"  # the original is never touched
    # an unreadable file: a Chinese message, nothing pushed
    depth = w.controller.stack().index()
    ev.choose_files([tmp_path / "不存在.pdf"])
    assert messages.log[-1][0] == "error" and "不存在.pdf" in messages.log[-1][2]
    assert w.controller.stack().count() == depth
    # several at once, one unreadable: the others are attached in one step and the problem reported
    ok = tmp_path / "会议记录.docx"
    ok.write_bytes(b"minutes")
    ev.choose_files([ok, tmp_path / "丢失.png"])
    assert [e.name for e in ledger.evidence(tid)][-1] == "会议记录.docx"
    assert messages.log[-1][0] == "warning" and "丢失.png" in messages.log[-1][2]
    assert w.controller.stack().count() == depth + 1


def test_revise_deadline_asks_a_reason_keeps_the_original_and_undoes(qtbot, make_window, ledger, notice_id):
    w = make_window(today=TODAY)
    t = ids(ledger, notice_id)
    tid = t["压减审批时限"]
    w.view.select_ids([tid])
    p = w.panel
    assert p.due_edit.date().toPython() == dt.date(2024, 6, 30)
    asked = []
    w.tracking.prompts.reason = lambda title, old, new: asked.append((title, old, new)) or None
    p.due_edit.setDate(dt.date(2024, 8, 31))
    p.commit_due()
    assert asked == [("压减审批时限", dt.date(2024, 6, 30), dt.date(2024, 8, 31))]
    assert ledger.task(tid).due_date == dt.date(2024, 6, 30)  # cancelled: nothing stored
    assert p.due_edit.date().toPython() == dt.date(2024, 6, 30)
    w.tracking.prompts.reason = lambda title, old, new: "上级通知调整时限"
    p.due_edit.setDate(dt.date(2024, 8, 31))
    p.commit_due()
    row = ledger.task(tid)
    assert (row.due_date, row.original_due_date, row.revision_reason) == \
        (dt.date(2024, 8, 31), dt.date(2024, 6, 30), "上级通知调整时限")
    assert "原定 2024-06-30，已调整：上级通知调整时限" in p.due_label.text()
    assert "调整至8月31日" in cell(w, tid, COL_DEADLINE)
    assert w.actions.undo.text() == "撤销 调整时限"
    w.actions.undo.trigger()
    row = ledger.task(tid)
    assert row.due_date == dt.date(2024, 6, 30) and row.revised_at is None
    assert "原定" not in p.due_label.text()
    # a task without any deadline simply gets its first date, no reason asked
    item = t["梳理事项清单"]
    w.view.select_ids([item])
    w.tracking.prompts.reason = lambda *a: (_ for _ in ()).throw(AssertionError("asked"))
    p.due_edit.setDate(dt.date(2024, 9, 30))
    p.commit_due()
    assert ledger.task(item).due_date == dt.date(2024, 9, 30) and ledger.task(item).revised_at is None


def test_recurring_and_year_round_show_their_due_dates(qtbot, make_window, ledger, notice_id):
    t = ids(ledger, notice_id)
    ledger.set_fields(t["梳理事项清单"], deadline_text="每季度", deadline_kind=DeadlineKind.RECURRING)
    w = make_window(today=TODAY)
    w.view.select_ids([t["梳理事项清单"]])
    assert "下次到期：2024-09-30" in w.panel.due_label.text()
    assert w.panel.due_edit.date().toPython() == dt.date(2024, 9, 30)
    w.view.select_ids([t["粮食生产"]])
    assert "全年任务，年底到期" in w.panel.due_label.text()
    assert w.panel.due_edit.date().toPython() == dt.date(2024, 12, 31)
    w.view.select_ids([t["清理拖欠账款"]])
    assert w.panel.due_label.text() == "长期坚持，不设到期日"


def test_bulk_actions_are_one_undo_step_each(qtbot, make_window, ledger, notice_id):
    w = make_window(today=TODAY)
    t = ids(ledger, notice_id)
    stack = w.controller.stack()
    # a selected parent stands for its items
    w.view.select_ids([t["压减审批时限"], t["粮食生产"]])
    assert w.actions.bulk_status.isEnabled()
    w.tracking.prompts.bulk_status = lambda n: (Status.DONE, dt.date(2024, 7, 10)) if n == 3 else None
    assert w.tracking.bulk_status()
    done = {r.title: (r.status, r.done_on) for r in ledger.tasks(notice_id)}
    for title in ("梳理事项清单", "上线一网通办", "粮食生产"):
        assert done[title] == (Status.DONE, dt.date(2024, 7, 10))
    assert cell(w, t["压减审批时限"], COL_STATUS) == "2/2"
    assert stack.count() == 1
    w.actions.undo.trigger()
    again = {r.title: r.status for r in ledger.tasks(notice_id)}
    assert again["梳理事项清单"] == Status.NOT_STARTED and again["上线一网通办"] == Status.IN_PROGRESS
    assert w.view.selected_ids() == [t["压减审批时限"], t["粮食生产"]]  # the selection stays
    # units of a role, as selected
    w.view.select_ids([t["清理拖欠账款"], t["粮食生产"]])
    assert stack.index() == 0
    assert w.tracking.bulk_units(UnitRole.RESPONSIBLE, ["县财政局", "县发展和改革局"])
    assert ledger.task(t["粮食生产"]).units == ["县财政局", "县发展和改革局"]
    assert ledger.task(t["清理拖欠账款"]).units == ["县财政局", "县发展和改革局"]
    assert stack.index() == 1
    w.actions.undo.trigger()
    assert ledger.task(t["清理拖欠账款"]).units == ["各乡镇人民政府"] and ledger.task(t["粮食生产"]).units == []
    # shift deadlines: rows without a stored due date are left alone
    w.view.select_ids([t["全面推进乡村振兴"]])
    assert w.tracking.bulk_shift(10, "防汛推迟")
    row = ledger.task(t["人居环境整治"])
    assert (row.due_date, row.original_due_date, row.revision_reason) == \
        (dt.date(2024, 12, 10), dt.date(2024, 11, 30), "防汛推迟")
    assert ledger.task(t["粮食生产"]).due_date is None
    assert stack.index() == stack.count() == 1
    w.actions.undo.trigger()
    assert ledger.task(t["人居环境整治"]).due_date == dt.date(2024, 11, 30)
    # nothing to shift: a message, no command
    w.view.select_ids([t["粮食生产"]])
    assert not w.tracking.bulk_shift(3, "理由")
    assert stack.index() == 0 and stack.count() == 1
    # the context menu carries the bulk submenu
    titles = [a.text() for a in w.view.context_menu.actions()]
    assert "批量" in titles


def test_progress_column_hidden_by_default_and_toggled_from_the_header(qtbot, make_window, ledger, notice_id):
    w = make_window(today=TODAY)
    assert w.view.isColumnHidden(COL_PROGRESS)
    menu = w.view.column_menu()
    entry = next(a for a in menu.actions() if a.data() == COL_PROGRESS)
    assert entry.text().startswith("落实情况") and not entry.isChecked()
    entry.setChecked(True)
    assert not w.view.isColumnHidden(COL_PROGRESS)
    shown = [a.data() for a in menu.actions() if a.isCheckable()]
    assert COL_NUMBER not in shown and COL_TEXT not in shown  # 序号 / 具体内容 always shown
    assert COL_TITLE in shown  # 任务名称 may be hidden (a notice without names)
    # 恢复默认列: 落实情况 hidden again
    next(a for a in menu.actions() if a.text() == "恢复默认列").trigger()
    assert w.view.isColumnHidden(COL_PROGRESS)
