"""The one settings store in the window: the command line's --office in the export dialog, a file an older
version wrote through QSettings taken over once, and no other QSettings or setting key anywhere in desktop/."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize

from desktop import settings as S
from desktop.settings import Settings
from desktop.ui.legacy_settings import take_over
from desktop.ui.main_window import MainWindow
from tests.e2e.test_cli import run

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
#: files that may name a setting's key as text, and why
KEY_TEXT_ALLOWED = {
    "settings.py": "the declarations",
}


def test_the_office_given_on_the_command_line_is_what_the_export_dialog_shows(qtbot, ledger, notice_id, messages,
                                                                             capsys, tmp_path):
    w = MainWindow(ledger, messages=messages)  # no settings given: noticedesk.ini in the ledger's data folder
    qtbot.addWidget(w)
    assert w.settings.path == ledger.data_dir / "noticedesk.ini"
    w.notice_list.select(notice_id)
    code, _out, err = run(capsys, "--data-dir", str(ledger.data_dir), "export", str(notice_id), "--what", "table",
                          "--format", "docx", "--out", str(tmp_path / "t.docx"), "--office", "丁县人民政府办公室")
    assert code == 0, err
    dialog = w.export_document()  # the window was open all along: it reads what the command line wrote
    assert dialog is not None
    assert dialog.office() == "丁县人民政府办公室"
    dialog.reject()


def test_a_qsettings_file_of_the_previous_version_is_taken_over_once(qtbot, ledger, notice_id, messages, tmp_path):
    ini = tmp_path / "old.ini"
    old = QSettings(str(ini), QSettings.Format.IniFormat)
    old.setValue("windowSize/exportDialog", QSize(640, 480))
    old.setValue("window/lastNotice", notice_id)
    old.setValue("digest/hideOnStart", True)
    old.setValue("export/columns", "owner,remark")
    old.setValue("report/office", "戊县人民政府办公室, 综合股")
    old.setValue("taskView/columns", '{"hidden": ["状态"], "shown": [], "widths": {}}')
    old.setValue("export/lastDir", "C:\\文档")
    old.setValue("window/geometry", QByteArray(b"\x01\xd9\xd0\xcb\x00\x03\x00"))
    old.setValue("someOld/thing", 1)  # not declared: left alone
    old.sync()
    del old
    store = Settings(ini)
    assert take_over(store) == 8
    assert store.get(S.WINDOW_SIZE.of("exportDialog")) == (640, 480)
    assert store.get(S.WINDOW_LAST_NOTICE) == notice_id and store.get(S.DIGEST_HIDE_ON_START) is True
    assert store.get(S.EXPORT_COLUMNS) == ["owner", "remark"]
    assert store.get(S.REPORT_OFFICE) == "戊县人民政府办公室, 综合股"
    assert store.get(S.TASK_COLUMNS) == {"hidden": ["状态"], "shown": [], "widths": {}}
    assert store.get(S.EXPORT_LAST_DIR) == "C:\\文档"
    assert store.get(S.WINDOW_GEOMETRY) == b"\x01\xd9\xd0\xcb\x00\x03\x00"
    assert store.get(S.SETTINGS_FORMAT) == S.FORMAT
    store.set(S.EXPORT_LAST_DIR, "D:\\新")
    assert take_over(Settings(ini)) == 0  # once: the converted file is not read again as QSettings'
    assert Settings(ini).get(S.EXPORT_LAST_DIR) == "D:\\新"
    # the window over it opens on the remembered notice and sees the taken-over columns
    w = MainWindow(ledger, settings=ini, messages=messages)
    qtbot.addWidget(w)
    assert w.controller.notice_id == notice_id


def test_window_state_saved_on_close_is_restored(qtbot, ledger, notice_id, messages, tmp_path):
    ini = tmp_path / "ui.ini"
    w = MainWindow(ledger, settings=ini, messages=messages)
    qtbot.addWidget(w)
    w.show()
    w.resize(760, 540)  # within the offscreen screen, above the minimum width
    w.close()
    stored = Settings(ini)
    assert stored.get(S.WINDOW_GEOMETRY) and stored.get(S.WINDOW_STATE)
    assert stored.get(S.WINDOW_LAST_NOTICE) == notice_id
    w2 = MainWindow(ledger, settings=ini, messages=messages)
    qtbot.addWidget(w2)
    w2.show()
    assert (w2.width(), w2.height()) == (760, 540)


def _sources():
    for path in sorted(DESKTOP.rglob("*.py")):
        yield path.relative_to(DESKTOP).as_posix(), path.read_text(encoding="utf-8")


def test_no_qsettings_in_desktop_outside_the_store():
    # legacy_settings.py reads what an older version wrote through QSettings, once; elsewhere it is only prose
    used = sorted(rel for rel, text in _sources() if re.search(r"\bQSettings\s*[(.]|import[^\n]*\bQSettings\b", text))
    assert used == ["ui/legacy_settings.py"]
    made = sorted(rel for rel, text in _sources() if re.search(r"QSettings\s*\(", text))
    assert made == ["ui/legacy_settings.py"]


def test_no_setting_key_written_as_text_at_a_call_site():
    keys = [k for k in S.declared() if not k.endswith("/*")] + ["windowSize/"]
    found = {}
    for rel, text in _sources():
        for key in keys:
            if re.search(r"[\"']" + re.escape(key), text) and rel not in KEY_TEXT_ALLOWED:
                found.setdefault(rel, []).append(key)
    assert found == {}
