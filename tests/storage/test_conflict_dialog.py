"""The UI side of concurrent editing (desktop/ui/conflict_dialog.py, server_settings_dialog.py) on both
engines: the dialog's 合并 saves the clerk's fields on top, 重新加载 writes nothing, the watcher reports
other clients' notices."""
from __future__ import annotations

import pytest

from desktop.storage.ledger import ConflictError
from desktop.ui.conflict_dialog import ChangeWatcher, ConflictDialog, resolve_conflict


def conflict(a, b, tid, **theirs_then_yours):
    v = b.task(tid).version
    a.set_fields(tid, title="对方改的名称")
    with pytest.raises(ConflictError) as err:
        b.set_fields(tid, expected_version=v, **theirs_then_yours)
    return err.value


def test_merge_button_saves_on_top_of_theirs(qtbot, open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    err = conflict(a, b, sample["A1"], remark="我的备注")
    assert resolve_conflict(None, b, err, ask=lambda d: d.merge_button.click()) is True
    row = a.task(sample["A1"])
    assert (row.title, row.remark) == ("对方改的名称", "我的备注")


def test_reload_writes_nothing_and_same_field_cannot_merge(qtbot, open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    err = conflict(a, b, sample["A2"], title="我改的名称")
    dialog = ConflictDialog(err)
    qtbot.addWidget(dialog)
    assert not dialog.merge_button.isEnabled()
    assert resolve_conflict(None, b, err, ask=lambda d: d.reload_button.click()) is False
    assert a.task(sample["A2"]).title == "对方改的名称"


def test_watcher_reports_what_other_clients_changed(qtbot, open_ledger, sample):
    a, b = open_ledger(), open_ledger()
    watcher = ChangeWatcher(b, interval_ms=60_000)
    seen = []
    watcher.changed.connect(seen.append)
    watcher.start()
    watcher.poll()
    assert seen == []
    a.set_fields(sample["B1"], remark="别人改的")
    watcher.poll()
    assert seen == [{sample["notice"]}]
    watcher.poll()
    assert len(seen) == 1
    watcher.stop()


def test_server_settings_check(qtbot, store, tmp_path):
    from desktop.settings import Settings
    from desktop.ui.server_settings_dialog import ServerSettingsDialog, check_server, saved_db_url

    settings = Settings(tmp_path / "settings.ini")
    assert saved_db_url(settings) is None
    if store is not None:  # the server of this run
        assert check_server(store)[0] is True
    ok, text = check_server("postgresql+psycopg://x@127.0.0.1:1/none?connect_timeout=2")
    assert not ok and "无法连接" in text
    dialog = ServerSettingsDialog(None, settings)
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.url.setText("postgresql+psycopg://u@db.example:5432/noticedesk")
    dialog._save()
    assert saved_db_url(settings) == "postgresql+psycopg://u@db.example:5432/noticedesk"
