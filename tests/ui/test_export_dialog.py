"""导出公文 dialog: preview = the PDF, exports that read back, scopes, report edits, cancel, errors, shortcuts."""
from __future__ import annotations

import datetime as dt
import errno
import os
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolBar

from desktop.domain import NoticeInfo
from desktop.settings import EXPORT_FORMAT, EXPORT_LAST_DIR
from desktop.ui.export_dialog import ExportDialog, ExportSource, safe_file_name, subset_rows
from desktop.ui.export_worker import describe_error

from .conftest import tree_rows

TIMEOUT = 20000


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def pdf_text(path: Path) -> str:
    return squash("".join(p.extract_text() for p in PdfReader(str(path)).pages))


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return squash("".join(parts))


def ids_by_title(ledger, nid):
    return {r.title: r.id for r in ledger.tasks(nid)}


def open_dialog(window, qtbot, **kw) -> ExportDialog:
    dlg = window.export_document(**kw)
    assert dlg is not None
    return dlg


def wait_preview(qtbot, dlg: ExportDialog) -> int:
    with qtbot.waitSignal(dlg.preview_ready, timeout=TIMEOUT) as sig:
        dlg.start_preview()
    return sig.args[0]


def export(qtbot, dlg: ExportDialog, out: Path):
    with qtbot.waitSignal(dlg.exported, timeout=TIMEOUT) as sig:
        assert dlg.export_to(out)
    return sig.args[0]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".noticedesk-")]


def test_ctrl_e_works_from_where_the_window_opens(qtbot, make_window, notice_id):
    """The window opens with the task table focused, not the search box (which takes Ctrl+E as 行尾)."""
    w = make_window()
    w.show()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is w.view
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(w.findChildren(ExportDialog)) == 1)
    w.findChildren(ExportDialog)[0].reject()


def test_shortcuts_menu_and_toolbar(qtbot, make_window, notice_id):
    w = make_window()
    assert w.export_action.shortcut() == QKeySequence("Ctrl+E")
    assert w.print_action.shortcut() == QKeySequence("Ctrl+P")
    file_menu = next(m for m in w.findChildren(QMenu) if m.title() == "文件(&F)")
    assert w.export_action in file_menu.actions() and w.print_action in file_menu.actions()
    toolbar = w.findChild(QToolBar, "mainToolbar")
    assert w.export_action in toolbar.actions()
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialogs = w.findChildren(ExportDialog)
    assert len(dialogs) == 1 and dialogs[0].print_mode and dialogs[0].print_button.isDefault()
    dialogs[0].reject()
    qtbot.waitUntil(lambda: not w.findChildren(ExportDialog))
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    qtbot.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialogs = w.findChildren(ExportDialog)
    assert len(dialogs) == 1 and not dialogs[0].print_mode
    dialogs[0].reject()


def test_preview_has_the_pdfs_pages_and_follows_options(qtbot, make_window, notice_id):
    w = make_window()
    dlg = open_dialog(w, qtbot)
    pages = wait_preview(qtbot, dlg)
    path = dlg.preview.pages.path
    assert pages == len(PdfReader(str(path)).pages) == dlg.preview.page_count() >= 1
    assert not dlg.preview.page_label.pixmap().isNull()
    assert dlg.print_button.isEnabled() and dlg.preview_is_current()
    assert "任务分解表" in dlg.document_title()
    # an option change makes the preview stale (print disabled) until the new one is ready
    dlg.set_kind("report")
    assert not dlg.print_button.isEnabled()
    pages = wait_preview(qtbot, dlg)
    assert pages == len(PdfReader(str(dlg.preview.pages.path)).pages)
    assert not dlg.preview.pages.is_landscape(0)
    assert not path.exists()  # the older preview file is gone
    tmp = dlg._tmp
    dlg.reject()
    assert not tmp.exists()


def test_export_docx_and_pdf_read_back(qtbot, make_window, notice_id, tmp_path):
    w = make_window()
    dlg = open_dialog(w, qtbot)
    dlg.column_checks["owner"].setChecked(True)
    dlg.set_format("docx")
    result = export(qtbot, dlg, tmp_path / "分解表.docx")
    text = docx_text(result.path)
    for title in ("压减审批时限", "清理拖欠账款", "人居环境整治", "粮食生产", "持续优化营商环境", "责任人"):
        assert title in text
    assert dlg.banner.isVisible() and str(result.path) in dlg.banner_label.text()
    assert dlg.open_folder_button.isVisible()
    dlg.set_format("pdf")
    result = export(qtbot, dlg, tmp_path / "分解表.pdf")
    assert result.pages == len(PdfReader(str(result.path)).pages)
    text = pdf_text(result.path)
    for title in ("压减审批时限", "清理拖欠账款", "人居环境整治", "粮食生产", "全面推进乡村振兴"):
        assert title in text
    for note in result.messages():  # font fallbacks are spelled out for the clerk
        assert note in dlg.banner_label.text()
    assert not leftovers(tmp_path)
    assert w.settings.get(EXPORT_LAST_DIR) == str(tmp_path)
    assert dlg.default_path().parent == tmp_path
    assert dlg.default_path().name == safe_file_name(dlg.document_title(), "pdf")


def test_selected_rows_export_only_those_with_ancestors(qtbot, make_window, ledger, notice_id, tmp_path):
    w = make_window()
    t = ids_by_title(ledger, notice_id)
    w.view.select_ids([t["粮食生产"], t["梳理事项清单"]])
    dlg = open_dialog(w, qtbot)
    assert dlg.scope_buttons["selected"].isEnabled() and not dlg.scope_buttons["filtered"].isEnabled()
    dlg.set_scope("selected")
    assert {r.title for r in dlg.rows()} == {"持续优化营商环境", "压减审批时限", "梳理事项清单",
                                             "全面推进乡村振兴", "粮食生产"}
    result = export(qtbot, dlg, tmp_path / "selected.pdf")
    text = pdf_text(result.path)
    assert "粮食生产" in text and "梳理事项清单" in text and "全面推进乡村振兴" in text
    for gone in ("人居环境整治", "清理拖欠账款", "上线一网通办"):
        assert gone not in text


def test_filtered_scope_uses_the_tables_filter(qtbot, make_window, ledger, notice_id):
    from desktop.ui.task_filter import TaskFilter

    w = make_window()
    w.controller.set_filter(TaskFilter(text="粮食"))
    dlg = open_dialog(w, qtbot)
    assert dlg.scope_buttons["filtered"].isEnabled()
    dlg.set_scope("filtered")
    assert [r.title for r in dlg.rows()] == ["全面推进乡村振兴", "粮食生产"]
    assert [r.child_count for r in dlg.rows()] == [1, 0]
    dlg.reject()


def test_subset_rows_keeps_a_valid_tree():
    rows = tree_rows([(1, None, "一"), (2, 1, "甲"), (3, 2, "子1"), (4, 2, "子2"), (5, 1, "乙"), (6, None, "二")])
    picked = subset_rows(rows, [3])
    assert [r.id for r in picked] == [1, 2, 3]
    assert [r.child_count for r in picked] == [1, 1, 0]
    with_kids = subset_rows(rows, [2], descendants=True)
    assert [r.id for r in with_kids] == [1, 2, 3, 4]
    assert rows[0].child_count == 2  # the originals are untouched


def test_report_draft_edits_reach_the_pdf(qtbot, make_window, notice_id, tmp_path):
    w = make_window()
    dlg = open_dialog(w, qtbot)
    dlg.set_kind("report")
    editor = dlg.report_editor
    assert editor.has_draft() and not editor.touched
    body = editor.fields["body"].widget
    assert "特此报告" in body.toPlainText()  # drafted
    editor.fields["title"].widget.setText("关于重点工作推进情况的专题报告")
    editor.fields["signer"].widget.setText("某某镇人民政府")
    body.setPlainText(body.toPlainText() + "\n补充说明：本段由经办人手工补写。")
    assert editor.touched
    pages = wait_preview(qtbot, dlg)
    assert pages >= 1
    assert dlg.document_title() == "关于重点工作推进情况的专题报告"
    result = export(qtbot, dlg, tmp_path / "report.pdf")
    text = pdf_text(result.path)
    assert "关于重点工作推进情况的专题报告" in text
    assert "补充说明：本段由经办人手工补写。" in text and "某某镇人民政府" in text
    # a touched draft survives a date change; 重新起草 replaces it after confirming
    dlg.date_edit.setDate(dlg.date_edit.date().addDays(-1))
    assert "手工补写" in body.toPlainText()
    dlg.report_editor.redraft_button.click()
    assert "手工补写" not in body.toPlainText() and not editor.touched


def big_source(n_sections: int = 30, per_section: int = 100) -> ExportSource:
    """A notice of n_sections × per_section tasks (3,030 rows by default), built in linear time."""
    from desktop.domain import TaskRow
    from desktop.numbering import number_for

    rows, tid = [], 0
    for s in range(n_sections):
        tid += 1
        sid = tid
        rows.append(TaskRow(id=sid, notice_id=1, parent_id=None, position=s, depth=1, number=number_for(1, s + 1),
                            title=f"第{s + 1}部分", child_count=per_section))
        for t in range(per_section):
            tid += 1
            rows.append(TaskRow(id=tid, notice_id=1, parent_id=sid, position=t, depth=2,
                                number=number_for(2, t + 1), title=f"任务{s}-{t}推进某项重点工作",
                                text=f"任务{s}-{t}的具体内容", lead_units=["县财政局"]))
    return ExportSource(NoticeInfo(1, "关于印发2024年重点工作的通知", issuer="县人民政府"), rows)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_cancel_during_a_large_export_leaves_no_file(qtbot, messages, tmp_path, fmt):
    source = big_source()
    assert len(source.rows) == 3030
    dlg = ExportDialog(source, messages, preview_delay=600_000)
    qtbot.addWidget(dlg)
    dlg.set_format(fmt)
    out = tmp_path / f"big.{fmt}"
    dlg.export_to(out)
    worker = dlg.jobs.current
    seen = []

    def cancel_midway(w, done, total):  # runs in the worker thread: cancel once ~1% is laid out
        seen.append(done)
        if done > 0:
            w.cancel()

    worker.progressed.connect(cancel_midway, Qt.ConnectionType.DirectConnection)
    assert not dlg.cancel_button.isHidden() and not dlg.options_panel.isEnabled()
    with qtbot.waitSignal(dlg.export_cancelled, timeout=TIMEOUT):
        pass
    assert max(seen) < len(source.rows)
    assert not out.exists() and not leftovers(tmp_path)
    assert "已取消" in dlg.status_label.text() and dlg.options_panel.isEnabled()
    assert not messages.log


def test_cancel_button_stops_the_preview(qtbot, messages):
    dlg = ExportDialog(big_source(), messages, preview_delay=600_000)
    qtbot.addWidget(dlg)
    dlg.start_preview()
    assert dlg.is_busy()
    dlg.cancel_button.click()
    qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=TIMEOUT)
    assert "已取消预览" in dlg.status_label.text() and not dlg.refresh_button.isHidden()
    assert not list(dlg._tmp.iterdir())


@pytest.mark.parametrize(("exc", "words"), [
    (PermissionError(errno.EACCES, "Permission denied"), "WPS"),
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
])
def test_write_errors_become_chinese_messages(qtbot, make_window, notice_id, messages, tmp_path, monkeypatch,
                                              exc, words):
    w = make_window()
    dlg = open_dialog(w, qtbot)
    real_replace = os.replace

    def locked(src, dst):
        if str(dst).endswith("locked.docx"):
            raise exc
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    dlg.set_format("docx")
    with qtbot.waitSignal(dlg.export_failed, timeout=TIMEOUT) as sig:
        dlg.export_to(tmp_path / "locked.docx")
    assert words in sig.args[0] and "Traceback" not in sig.args[0]
    level, title, text = messages.log[-1]
    assert level == "error" and title == "导出失败" and words in text
    assert not (tmp_path / "locked.docx").exists() and not leftovers(tmp_path)
    assert not dlg.banner.isVisible()


def test_describe_error_never_shows_a_traceback():
    out = Path("/x/报告.docx")
    assert "WPS" in describe_error(PermissionError(13, "denied"), out)
    assert "磁盘空间不足" in describe_error(OSError(errno.ENOSPC, "full"), out)
    assert "保存位置不存在" in describe_error(FileNotFoundError(errno.ENOENT, "nope"), out)
    assert "没有写入任何文件" in describe_error(RuntimeError("boom"), out)


def test_as_of_date_defaults_to_today_and_reaches_the_request(qtbot, messages):
    source = big_source(1, 2)
    dlg = ExportDialog(source, messages, preview_delay=600_000)
    qtbot.addWidget(dlg)
    assert dlg.as_of() == dt.date.today()
    dlg.set_kind("open")
    assert dlg.form.isRowVisible(5) and not dlg.form.isRowVisible(4)
    dlg.date_edit.setDate(dlg.date_edit.date().addDays(-3))
    req = dlg.request("pdf", Path("/tmp/x.pdf"))
    assert req.today == dt.date.today() - dt.timedelta(days=3) and req.kind == "open" and req.columns is None


def test_report_unit_fills_signer_and_optional_fields(qtbot, make_window, notice_id, tmp_path):
    w = make_window()
    dlg = open_dialog(w, qtbot)
    dlg.set_kind("report")
    editor = dlg.report_editor
    assert dlg.form.isRowVisible(1)
    assert dlg.form.labelForField(dlg.unit_combo).text() == "报告单位"
    dlg.unit_combo.setCurrentIndex(dlg.unit_combo.findData("县农业农村局"))
    info = editor.info()
    assert info.signer == "县农业农村局" and not editor.touched
    if "printed_on" in editor.fields:  # 版记 fields, when ReportInfo has them
        assert editor.fields["printed_on"].box.isChecked() and info.printed_on == dlg.as_of()
        editor.fields["printed_on"].box.setChecked(False)
        assert editor.info().printed_on is None and editor.touched
    editor.fields["recipients"].widget.setText("")
    assert editor.info().recipients == ""  # cleared stays cleared (no 主送机关), not re-drafted


def xlsx_cells(path: Path) -> dict[str, list[str]]:
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True)
    return {ws.title: [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
            for ws in wb.worksheets}


def test_export_excel_through_the_dialog_reads_back(qtbot, make_window, notice_id, tmp_path):
    w = make_window()
    dlg = open_dialog(w, qtbot)
    assert dlg.xlsx_radio.isEnabled()
    dlg.column_checks["owner"].setChecked(True)
    dlg.xlsx_radio.click()  # as the clerk does
    assert dlg.fmt() == "xlsx" and dlg.export_button.text() == "导出 Excel…"
    assert dlg.default_path().suffix == ".xlsx"
    result = export(qtbot, dlg, tmp_path / "分解表.xlsx")
    cells = xlsx_cells(result.path)
    text = squash("".join(v for values in cells.values() for v in values))
    for title in ("任务分解表", "压减审批时限", "清理拖欠账款", "人居环境整治", "粮食生产", "持续优化营商环境",
                  "县行政审批服务局", "6月底前", "责任人"):
        assert title in text, title
    assert dlg.banner.isVisible() and str(result.path) in dlg.banner_label.text()
    assert not leftovers(tmp_path)
    # one sheet per unit for the 单位任务清单
    dlg.set_kind("units")
    assert dlg.fmt() == "xlsx"
    result = export(qtbot, dlg, tmp_path / "单位清单.xlsx")
    sheets = xlsx_cells(result.path)
    assert len(sheets) >= 3 and any("县农业农村局" in name for name in sheets)
    dlg.reject()
    assert w.settings.get(EXPORT_FORMAT) == "xlsx"


def test_excel_is_offered_for_tables_not_for_the_report(qtbot, make_window, notice_id, tmp_path):
    w = make_window()
    dlg = open_dialog(w, qtbot)
    for kind in ("table", "units", "open", "progress"):
        dlg.set_kind(kind)
        assert dlg.xlsx_radio.isEnabled(), kind
    dlg.set_format("xlsx")
    dlg.set_kind("report")  # a 公文: no Excel; PDF instead, and the clerk's Excel comes back for a table
    assert not dlg.xlsx_radio.isEnabled() and dlg.fmt() == "pdf" and "公文" in dlg.xlsx_radio.toolTip()
    assert dlg.export_button.text() == "导出 PDF…"
    dlg.set_kind("open")
    assert dlg.fmt() == "xlsx"
    result = export(qtbot, dlg, tmp_path / "未完成.xlsx")
    assert "人居环境整治" not in squash("".join(sum(xlsx_cells(result.path).values(), [])))  # 已完成: not open
    dlg.reject()
    # remembered: the next dialog opens on Excel for the same table
    again = open_dialog(w, qtbot)
    assert again.kind() == "open" and again.fmt() == "xlsx"
    again.reject()


def test_a_title_given_before_export_is_kept_in_the_ledger(make_window, ledger, monkeypatch):
    """A notice stored without a title: the title the clerk types when exporting is saved with it."""
    nid = ledger.create_notice("（无标题通知）", year=2024)
    ledger.add_task(nid, title="做好预算公开", text="全面公开部门预算。")
    window = make_window()
    window.notice_list.reload(select_id=nid)
    dialog = window.export_document()
    monkeypatch.setattr(dialog, "ask_title", lambda: "某县2024年政务公开工作要点")
    assert dialog.ensure_title()
    assert ledger.notice(nid).title == "某县2024年政务公开工作要点"
    dialog.close()
