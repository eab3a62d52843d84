"""The import window's recovery tools: the grid view (roles per column, header row, table, undo), the
source pane's actions, pasting a spreadsheet's cells, and a mapping remembered for the next table."""
from __future__ import annotations

import json

import openpyxl
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication, QTextCursor

from desktop.domain import UnitRole
from desktop.ui.import_dialog import ImportDialog
from tests.conftest import CORPUS


def leaves(dialog) -> list:
    return [r for r in dialog.scratch.tasks(dialog._scratch_notice) if not r.child_count]


def role_names(dialog) -> list[str]:
    panel = dialog.grid_panel
    return [panel.role_combo(c).currentText() for c in range(panel.grid.columnCount())]


def set_role(dialog, column: int, name: str) -> None:
    """The clerk picks a role in the drop-down above a column (1-based), as with the mouse."""
    combo = dialog.grid_panel.role_combo(column - 1)
    combo.setCurrentIndex(combo.findText(name))


PEOPLE = [  # columns no label names, a person's name for the unit, deadlines the parser does not know
    ("开展政务公开专题培训，提升业务能力。", "张明", "国庆节前"),
    ("更新政府信息公开指南和目录。", "李华", "春节前"),
    ("规范依申请公开答复文书格式。", "王芳", "入汛前"),
]


def _people_xlsx(path, header: bool):
    wb = openpyxl.Workbook()
    ws = wb.active
    if header:
        ws.append(["要做的事", "经办人", "节点"])  # labels the parser does not know: no header found
    for row in PEOPLE:
        ws.append(list(row))
    wb.save(path)
    return path


def test_grid_view_shows_how_the_parser_read_the_table(make_window, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "具体任务", "牵头单位", "配合单位", "完成时限"])
    ws.append([1, "推进财政公开", "公开部门预算和决算。", "县财政局", "县审计局", "6月底前"])
    ws.append([2, "推进财政公开", "公开三公经费使用情况。", "县财政局", "无", "全年"])
    wb.save(tmp_path / "t.xlsx")
    dialog = make_window().import_notice(tmp_path / "t.xlsx")
    assert role_names(dialog) == ["序号", "分组", "具体内容", "牵头单位", "责任单位", "完成时限"]
    assert dialog.grid_panel.header_spin.value() == 1
    assert [(r.text, r.lead_units, r.units) for r in leaves(dialog)] == [
        ("公开部门预算和决算。", ["县财政局"], ["县审计局"]), ("公开三公经费使用情况。", ["县财政局"], [])]
    dialog.reject()


def test_zero_task_start_to_tasks_in_two_actions_and_undo(make_window, tmp_path):
    dialog = make_window().import_notice(_people_xlsx(tmp_path / "p.xlsx", header=False))
    assert leaves(dialog) == []
    assert dialog.left_tabs.currentIndex() == 1  # opens on the grid view, saying what to do
    assert "没有读出任务" in dialog.count_label.text()
    actions = 0
    set_role(dialog, 1, "具体内容")
    actions += 1
    set_role(dialog, 2, "责任单位")
    actions += 1
    set_role(dialog, 3, "完成时限")
    actions += 1
    assert actions <= 6
    assert [(r.text, r.units, r.deadline_text) for r in leaves(dialog)] == [
        (text, [who], when) for text, who, when in PEOPLE]
    # the clerk's edit to one row survives another change of roles
    first = leaves(dialog)[0]
    dialog.controller.edit_fields(first.id, {"title": "专题培训"})
    set_role(dialog, 3, "忽略")
    assert [r.title for r in leaves(dialog)][0] == "专题培训"
    assert all(r.deadline_text == "" for r in leaves(dialog))
    # Ctrl+Z undoes the re-reading, then the edits before it
    dialog.undo()
    assert [r.deadline_text for r in leaves(dialog)] == [w for _, _, w in PEOPLE]
    assert leaves(dialog)[0].title == "专题培训"
    dialog.undo()  # the title edit
    assert leaves(dialog)[0].title != "专题培训"
    dialog.undo()  # back to the second reading (units, no deadlines)
    dialog.undo()  # back to the first (the body only)
    assert all(r.deadline_text == "" and r.units == [] for r in leaves(dialog))
    dialog.redo()
    assert [(r.units, r.deadline_text) for r in leaves(dialog)] == [([w], "") for _, w, _ in PEOPLE]
    dialog.reject()


def test_moving_the_header_row_reads_the_labels_as_a_header(make_window, tmp_path):
    dialog = make_window().import_notice(_people_xlsx(tmp_path / "p.xlsx", header=True))
    set_role(dialog, 1, "具体内容")
    set_role(dialog, 2, "责任单位")
    texts = [r.text for r in leaves(dialog)]
    assert texts[0] == "要做的事"  # the labels row read as a task while there is no header
    dialog.grid_panel.header_spin.setValue(1)
    assert [r.text for r in leaves(dialog)] == [t for t, _, _ in PEOPLE]
    assert [r.units for r in leaves(dialog)] == [[w] for _, w, _ in PEOPLE]
    dialog.undo()
    assert [r.text for r in leaves(dialog)][0] == "要做的事"
    dialog.reject()


def test_corpus_101_gives_its_tasks_with_the_gold_units_without_any_action(make_window):
    gold = json.loads((CORPUS / "101_dazhu-2016-minsheng-shishi.gold.json").read_text(encoding="utf-8"))
    dialog = make_window().import_notice(CORPUS / "101_dazhu-2016-minsheng-shishi.txt")
    rows = leaves(dialog)
    assert len(rows) == len(gold["tasks"]) == 11
    assert [sorted(r.lead_units + r.units) for r in rows] == [sorted(t["lead_units"] + t["units"])
                                                              for t in gold["tasks"]]
    dialog.reject()


def _select(dialog, text: str) -> None:
    doc = dialog.source_view.toPlainText()
    start = doc.index(text)
    cursor = dialog.source_view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(text), QTextCursor.MoveMode.KeepAnchor)
    dialog.source_view.setTextCursor(cursor)


def test_source_text_actions(make_window, tmp_path):
    source = tmp_path / "n.txt"
    source.write_text("关于做好2024年政务公开工作的通知\n某县人民政府办公室\n2024年3月5日\n"
                      "请各单位认真做好政策解读工作，县政府办公室牵头，县司法局配合，年底前完成。\n", encoding="utf-8")
    dialog = make_window().import_notice(source)
    before = len(leaves(dialog))
    _select(dialog, "认真做好政策解读工作")
    new_id = dialog.source_actions.new_task()
    assert new_id is not None and len(leaves(dialog)) == before + 1
    row = dialog.scratch.task(new_id)
    assert row.text == "认真做好政策解读工作"
    assert dialog.parsed.source_text[row.source_start:row.source_end] == "认真做好政策解读工作"
    dialog.view.select_ids([new_id], new_id)
    _select(dialog, "县政府办公室")
    assert dialog.source_actions.set_units(UnitRole.LEAD)
    _select(dialog, "县司法局")
    dialog.source_actions.actions["units"].trigger()
    _select(dialog, "年底前")
    dialog.source_actions.actions["deadline"].trigger()
    row = dialog.scratch.task(new_id)
    assert (row.lead_units, row.units, row.deadline_text) == (["县政府办公室"], ["县司法局"], "年底前")
    _select(dialog, "工作，县政府办公室牵头")
    dialog.source_actions.append_to_current()
    assert dialog.scratch.task(new_id).text.endswith("\n工作，县政府办公室牵头")
    dialog.undo()
    assert dialog.scratch.task(new_id).text == "认真做好政策解读工作"
    _select(dialog, "2024年3月5日")
    dialog.source_actions.actions["date"].trigger()
    assert dialog.date_edit.text() == "2024-03-05"
    _select(dialog, "某县人民政府办公室")
    dialog.source_actions.actions["issuer"].trigger()
    assert dialog.issuer_edit.text() == "某县人民政府办公室"
    dialog.reject()


def test_paste_of_cells_copied_from_a_spreadsheet(make_window, monkeypatch):
    html = ("<html><body><table><tr><td>具体内容</td><td>责任单位</td><td>完成时限</td></tr>"
            + "".join(f"<tr><td>{t}</td><td>县{w}局</td><td>{d}</td></tr>" for t, w, d in PEOPLE)
            + "</table></body></html>")
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText("不是表格的文字")
    QGuiApplication.clipboard().setMimeData(mime)
    window = make_window()
    dialog = ImportDialog(window.ledger, window.messages, window)
    try:
        dialog.paste_clipboard()
        assert [(r.text, r.units, r.deadline_text) for r in leaves(dialog)] == [
            (t, [f"县{w}局"], d) for t, w, d in PEOPLE]
    finally:
        dialog.reject()
        QGuiApplication.clipboard().clear()  # the clipboard owns the mime data: free it before Qt shuts down


def test_a_remembered_mapping_is_applied_to_the_next_table_with_the_same_labels(make_window, ledger, tmp_path):
    window = make_window()
    dialog = window.import_notice(_people_xlsx(tmp_path / "a.xlsx", header=True))
    dialog.grid_panel.header_spin.setValue(1)
    set_role(dialog, 1, "具体内容")
    set_role(dialog, 2, "责任单位")
    set_role(dialog, 3, "完成时限")
    dialog.grid_panel.remember.setChecked(True)
    dialog.year_edit.set_year(2024)  # the workbook prints no year and no title: the clerk fills them in
    dialog.title_edit.setText("2024年政务公开工作任务")
    dialog.accept()
    assert dialog.notice_id is not None
    assert ledger.remembered_columns(["要做的事", "经办人", "节点"]) == ["content", "units", "deadline"]
    again = window.import_notice(_people_xlsx(tmp_path / "b.xlsx", header=True))
    assert [(r.text, r.units, r.deadline_text) for r in leaves(again)] == [(t, [w], d) for t, w, d in PEOPLE]
    assert any("记住的列设置" in again.warnings.item(i).text() for i in range(again.warnings.count()))
    again.reject()


def test_switch_between_the_table_and_the_numbered_items(make_window):
    dialog = make_window().import_notice(CORPUS / "003_linyi_2023_web.txt")
    from_table = len(leaves(dialog))
    assert dialog.grid_panel.source_box.isVisibleTo(dialog.grid_panel)
    dialog.grid_panel.source_box.setCurrentIndex(1)
    items = leaves(dialog)
    assert 0 < len(items) < from_table and items[0].title == "加强高质量发展信息公开"
    dialog.undo()
    assert len(leaves(dialog)) == from_table
    dialog.reject()


def test_remembered_mappings_are_listed_and_removable(make_window, ledger):
    ledger.remember_columns(["要做的事", "经办人", "节点"], ["content", "units", "deadline"])
    dialog = make_window().open_column_maps()
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text() == "要做的事→具体内容、经办人→责任单位、节点→完成时限"
    dialog.list.setCurrentRow(0)
    assert dialog.remove_selected()
    assert ledger.remembered_columns(["要做的事", "经办人", "节点"]) is None
    assert ledger.column_maps() == [] and not dialog.remove_button.isEnabled()
    dialog.close()
