"""备份与恢复 dialog: backup now, the list with counts, restore after showing what the backup holds."""
from __future__ import annotations

import datetime as dt

from desktop.storage import backup
from desktop.storage.ledger import Ledger


def make(qtbot, tmp_path):
    from desktop.ui.backup_dialog import BackupDialog, refresh_after_restore
    from desktop.ui.main_window import MainWindow
    from desktop.ui.messages import MessageBridge

    led = Ledger(tmp_path / "ledger")
    nid = led.create_notice("通知甲", year=2024)
    led.add_task(nid, title="甲的任务")
    asked: list[str] = []
    answer = {"yes": True}
    messages = MessageBridge(show_boxes=False, confirmer=lambda title, text: asked.append(text) or answer["yes"])
    window = MainWindow(led, settings=tmp_path / "ui.ini", messages=messages)
    qtbot.addWidget(window)
    dialog = BackupDialog(led, messages, window)
    qtbot.addWidget(dialog)
    dialog.restored.connect(lambda _t: refresh_after_restore(window))
    return led, window, dialog, messages, asked, answer


def test_backup_now_then_restore_shows_the_content_first(qtbot, tmp_path):
    led, window, dialog, messages, asked, answer = make(qtbot, tmp_path)
    try:
        out = dialog.backup_now(tmp_path / "手工备份.sqlite")
        assert out.exists() and messages.log[-1][0] == "info" and "1 份通知" in messages.log[-1][2]
        nid2 = led.create_notice("通知乙", year=2025)
        window.notice_list.reload(select_id=nid2)
        window.controller.set_notice(nid2)
        window.controller.insert_sibling({"title": "乙的任务"}, edit=False)
        assert window.controller.undo_group.canUndo()

        answer["yes"] = False
        assert dialog.restore_from(out) is None
        assert "共 1 份通知，1 项任务" in asked[-1] and "通知甲（1 项）" in asked[-1]
        assert len(led.notices()) == 2  # declined: nothing replaced

        answer["yes"] = True
        result = dialog.restore_from(out)
        assert result is not None and result.kept.exists()
        assert [n.title for n in led.notices()] == ["通知甲"]
        assert window.notice_list.notice_ids() == [led.notices()[0].id]
        assert not window.controller.undo_group.canUndo()  # history of the replaced ledger is gone
        kinds = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
        assert "恢复前备份" in kinds
    finally:
        window.close()
        led.close()


def test_list_shows_automatic_backups_with_counts_and_refuses_foreign_files(qtbot, tmp_path):
    led, window, dialog, messages, asked, _answer = make(qtbot, tmp_path)
    try:
        backup.daily_backup(led.data_dir, now=dt.datetime(2024, 6, 1, 9, 0))
        dialog.refresh()
        assert dialog.table.rowCount() == 1
        assert [dialog.table.item(0, c).text() for c in range(5)] == ["2024-06-01 09:00", "自动备份",
                                                                      dialog.table.item(0, 2).text(), "1", "1"]
        dialog.table.selectRow(0)
        assert dialog.restore_button.isEnabled()
        junk = tmp_path / "junk.sqlite"
        junk.write_bytes(b"not a ledger" * 10)
        assert dialog.restore_from(junk) is None
        assert messages.log[-1][0] == "error" and "不是 NoticeDesk 台账" in messages.log[-1][2]
        assert asked == []  # refused before asking
    finally:
        window.close()
        led.close()
