"""Every tool the window offers is reachable from its menus and opens its dialog."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget


def test_tool_menu_opens_each_dialog(make_window, notice_id, qtbot):
    window = make_window()
    window.notice_list.select(notice_id)
    names = {a.objectName() for a in window.findChildren(type(window.annual_action))}
    assert {"handOut", "returns", "carryForward", "compareNotices", "annualReport", "backupRestore"} <= names
    for open_dialog in (window.open_hand_out, window.open_returns, window.open_carry_forward,
                        window.open_compare, window.open_backup_dialog):
        dialog = open_dialog()
        assert isinstance(dialog, (QDialog, QWidget)) and dialog.isVisible()
        dialog.close()
