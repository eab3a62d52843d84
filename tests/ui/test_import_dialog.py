"""The import window: read a notice, review and edit the proposed table, accept stores it, cancel stores nothing."""
from __future__ import annotations

import os

from PySide6.QtGui import QGuiApplication

from desktop.importing import parse_path
from desktop.storage.ledger import Ledger


def leaves(ledger: Ledger, notice_id: int) -> list:
    return [r for r in ledger.tasks(notice_id) if not r.child_count]


def test_import_review_edit_accept(make_window, ledger, corpus_dir, qtbot):
    window = make_window()
    source = corpus_dir / "000_songming_2021.txt"
    expected = parse_path(source)
    dialog = window.import_notice(source)
    assert dialog.pages.currentIndex() == 1
    assert len(leaves(dialog.scratch, dialog._scratch_notice)) == len(expected.tasks)
    assert dialog.title_edit.text() == expected.title

    # selecting a task highlights the text it came from
    first_leaf = leaves(dialog.scratch, dialog._scratch_notice)[0]
    dialog.view.select_ids([first_leaf.id], first_leaf.id)
    assert first_leaf.text[:10] in dialog.highlighted_text().replace("\u2029", "\n")

    # the same editing as the main table, with undo: delete a row, undo, delete another for good
    before = len(leaves(dialog.scratch, dialog._scratch_notice))
    assert dialog.controller.delete_selected()
    assert len(leaves(dialog.scratch, dialog._scratch_notice)) == before - 1
    dialog.controller.undo()
    assert len(leaves(dialog.scratch, dialog._scratch_notice)) == before
    assert dialog.controller.delete_selected()
    dialog.title_edit.setText("嵩明县2021年政务公开重点工作安排（核对后）")

    dialog.accept()
    assert dialog.notice_id is not None
    stored = leaves(ledger, dialog.notice_id)
    assert len(stored) == before - 1
    assert first_leaf.title not in [r.title for r in stored[:1]]
    notice = ledger.notice(dialog.notice_id)
    assert notice.title == "嵩明县2021年政务公开重点工作安排（核对后）"
    assert notice.issuer == expected.issuer
    assert window.notice_list.current_id() == dialog.notice_id
    # units the parser found are now in the directory and on the stored rows
    assert any(r.lead_units for r in stored)


def test_cancel_stores_nothing(make_window, ledger, corpus_dir):
    window = make_window()
    before = ledger.notices()
    dialog = window.import_notice(corpus_dir / "002_lezhi_2023_table.txt")
    scratch_folder = dialog._scratch_dir.name
    dialog.reject()
    assert ledger.notices() == before
    assert not os.path.exists(scratch_folder)


def test_pasted_text(make_window, ledger, corpus_dir):
    window = make_window()
    text = (corpus_dir / "003_linyi_2023_web.txt").read_text(encoding="utf-8")
    QGuiApplication.clipboard().setText(text)
    from desktop.ui.import_dialog import ImportDialog

    dialog = ImportDialog(ledger, window.messages, window)
    dialog.paste_clipboard()
    assert dialog.pages.currentIndex() == 1
    assert dialog.parsed.doc_number and "2023" in dialog.parsed.doc_number
    dialog.reject()


def test_bad_file_gives_chinese_message_and_stores_nothing(make_window, ledger, messages, tmp_path):
    window = make_window()
    bad = tmp_path / "通知.docx"
    bad.write_bytes(os.urandom(4096))
    before = ledger.notices()
    dialog = window.import_notice(bad)
    assert dialog.scratch is None
    level, _title, text = messages.log[-1]
    assert level == "error" and "docx" in text and any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert ledger.notices() == before


def test_rows_the_parser_was_not_sure_of_are_tinted_with_its_evidence(make_window, tmp_path):
    from PySide6.QtCore import Qt

    from desktop.importing.model import DOUBTFUL

    source = tmp_path / "table.txt"
    source.write_text("某镇2024年政务公开重点任务\n具体内容\t责任单位\t完成时限\n"
                      "围绕群众关切及时回应社会热点问题。\t\t年底前\n"
                      "全面公开部门预算和决算，细化到项级科目。\t财政所\t6月底前\n", encoding="utf-8")
    expected = parse_path(source)
    assert [t.confidence < DOUBTFUL for t in expected.tasks] == [True, False]
    dialog = make_window().import_notice(source)
    rows = leaves(dialog.scratch, dialog._scratch_notice)
    model = dialog.model
    tinted = {}
    for r in rows:
        index = model.index_for_id(r.id)
        tinted[r.text[:4]] = (model.data(index, Qt.ItemDataRole.BackgroundRole) is not None,
                              model.data(index, Qt.ItemDataRole.ToolTipRole) or "")
    assert tinted["全面公开"][0] is False and not tinted["全面公开"][1].startswith("请核对")
    assert tinted["围绕群众"][0] is True and "没有责任单位" in tinted["围绕群众"][1]
    assert any("识别把握不大" in dialog.warnings.item(i).text() for i in range(dialog.warnings.count()))
    dialog.reject()
