"""desktop/settings.py without Qt: declared defaults, every kind through the real file, unknown keys, other writers."""
from __future__ import annotations

import sys

import pytest

from desktop import settings as S
from desktop.documents.office import load_office, save_office, settings_path
from desktop.settings import Settings


def test_every_declared_setting_has_a_kind_a_default_of_that_kind_and_a_meaning(tmp_path):
    store = Settings(tmp_path / "none-yet.ini")
    assert len(S.declared()) >= 14
    for key, setting in S.declared().items():
        assert setting.meaning.strip(), key
        member = setting.of("someWindow") if key.endswith("/*") else setting
        assert store.get(member) == setting.default, key
        assert S.decode(member, S.encode(member, setting.default)) == setting.default, key
    assert not (tmp_path / "none-yet.ini").exists()  # reading writes nothing


def test_defaults_as_declared(tmp_path):
    store = Settings(tmp_path / "s.ini")
    assert store.get(S.EXPORT_FORMAT) == "pdf"
    assert store.get(S.DIGEST_HIDE_ON_START) is False
    assert store.get(S.WINDOW_LAST_NOTICE) == 0
    assert store.get(S.WINDOW_SIZE.of("exportDialog")) == (0, 0)
    assert store.get(S.EXPORT_COLUMNS) == [] and store.get(S.TASK_COLUMNS) == {}
    store.get(S.EXPORT_COLUMNS).append("owner")  # a caller changing the returned default changes nothing
    assert store.get(S.EXPORT_COLUMNS) == []


VALUES = [
    (S.DIGEST_HIDE_ON_START, True),
    (S.WINDOW_LAST_NOTICE, 1234567),
    (S.REPORT_OFFICE, "某某县人民政府办公室"),
    (S.EXPORT_LAST_DIR, "C:\\Users\\张三\\文档 (2024)"),
    (S.TRACKING_WHO, '  "引号" ; #注释 %s [x] 100%  '),
    (S.SERVER_DB_URL, "postgresql+psycopg://u:p%40ss@db:5432/noticedesk?x=1"),
    (S.TASK_COLUMNS, {"shown": ["落实情况"], "hidden": [], "widths": {"单位": 201}}),
    (S.EXPORT_COLUMNS, ["owner", "remark"]),
    (S.WINDOW_GEOMETRY, bytes(range(256)) * 3),
    (S.WINDOW_SIZE.of("annualReportWindow"), (1200, 700)),
    (S.EXPORT_KIND, "line one\nline two"),
    (S.EXPORT_FORMAT, ""),
]


@pytest.mark.parametrize(("setting", "value"), VALUES, ids=[s.key for s, _ in VALUES])
def test_each_kind_round_trips_through_the_file(tmp_path, setting, value):
    path = tmp_path / "s.ini"
    Settings(path).set(setting, value)
    again = Settings(path)
    assert again.get(setting) == value and type(again.get(setting)) is type(value)
    assert again.contains(setting)
    again.remove(setting)
    assert Settings(path).get(setting) == (setting.default if not setting.key.startswith("windowSize/") else (0, 0))


def test_all_values_together_in_one_file(tmp_path):
    path = tmp_path / "s.ini"
    store = Settings(path)
    for setting, value in VALUES:
        store.set(setting, value)
    again = Settings(path)
    assert [again.get(s) for s, _ in VALUES] == [v for _, v in VALUES]
    assert again.names_in(S.WINDOW_SIZE) == ["annualReportWindow"]
    assert "[report]" in path.read_text(encoding="utf-8")  # readable by a person: [section] name=value


def test_an_undeclared_key_or_a_wrong_type_is_a_bug(tmp_path):
    store = Settings(tmp_path / "s.ini")
    for bad in ("export/lastdir", "nosuch/key", "windowSize/*", "windowSize/a/b", "lastDir"):
        with pytest.raises(KeyError):
            store.get(bad)
        with pytest.raises(KeyError):
            store.set(bad, "x")
    with pytest.raises(KeyError):
        S.EXPORT_FORMAT.of("x")  # not a family
    with pytest.raises(TypeError):
        store.set(S.WINDOW_LAST_NOTICE, "12")
    with pytest.raises(TypeError):
        store.set(S.DIGEST_HIDE_ON_START, 1)
    with pytest.raises(TypeError):
        store.set(S.EXPORT_COLUMNS, "owner,remark")
    assert store.get("export/lastDir") == ""  # a declared key given as text is fine (QSettings-like callers)
    assert not (tmp_path / "s.ini").exists()


def test_what_another_writer_stored_is_read_and_kept(tmp_path):
    path = tmp_path / "s.ini"
    window, cli = Settings(path), Settings(path)
    window.set(S.EXPORT_FORMAT, "docx")
    cli.set(S.REPORT_OFFICE, "甲单位")  # written between two of the window's writes
    assert window.get(S.REPORT_OFFICE) == "甲单位"
    window.set(S.WINDOW_LAST_NOTICE, 7)
    fresh = Settings(path)
    assert (fresh.get(S.EXPORT_FORMAT), fresh.get(S.REPORT_OFFICE), fresh.get(S.WINDOW_LAST_NOTICE)) == ("docx", "甲单位", 7)


def test_a_value_that_cannot_be_read_gives_the_default(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text("[window]\nlastNotice=abc\ngeometry=@ByteArray(\\x1\\0)\n[digest]\nhideOnStart=maybe\n"
                    "[taskView]\ncolumns=[1, 2]\n", encoding="utf-8")
    store = Settings(path)
    assert store.get(S.WINDOW_LAST_NOTICE) == 0 and store.get(S.WINDOW_GEOMETRY) == b""
    assert store.get(S.DIGEST_HIDE_ON_START) is False and store.get(S.TASK_COLUMNS) == {}
    (tmp_path / "broken.ini").write_bytes(b"\xff\xfe not an ini [")
    assert Settings(tmp_path / "broken.ini").get(S.EXPORT_FORMAT) == "pdf"


def test_an_unreadable_file_gives_the_defaults_and_is_kept_beside_the_new_one(tmp_path, caplog):
    ini = tmp_path / "noticedesk.ini"
    garbage = b"\x00\xff not an ini [[[\nkey without a section\n[report]\noffice=\xe6\x88\x8a\xff\n"
    ini.write_bytes(garbage)
    store = Settings(ini)
    assert store.get(S.REPORT_OFFICE) == S.REPORT_OFFICE.default
    store.set(S.REPORT_OFFICE, "戊县人民政府办公室")
    assert Settings(ini).get(S.REPORT_OFFICE) == "戊县人民政府办公室"
    assert (tmp_path / "noticedesk.ini.unreadable").read_bytes() == garbage
    assert "unreadable" in caplog.text


def test_office_functions_for_the_command_line_use_the_store(tmp_path):
    ini = settings_path(tmp_path)
    assert ini == tmp_path / "noticedesk.ini" and load_office(ini) == ""
    save_office(ini, "  乙县人民政府办公室 ")
    assert load_office(ini) == "乙县人民政府办公室" == Settings.in_data_dir(tmp_path).get(S.REPORT_OFFICE)
    # a name an older version wrote through QSettings (quoted) is read too
    ini.write_text('[report]\noffice="丙县\\"办公室\\""\n', encoding="utf-8")
    assert load_office(ini) == '丙县"办公室"'


def test_the_store_needs_no_qt():
    import subprocess

    code = ("import sys; import desktop.settings, desktop.documents.office; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy'))]; print(bad); sys.exit(bool(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_file_that_cannot_be_written_keeps_the_value_for_the_session(tmp_path, caplog):
    (tmp_path / "not-a-folder").write_text("x", encoding="utf-8")
    store = Settings(tmp_path / "not-a-folder" / "noticedesk.ini")  # as a read-only data folder: no write
    store.set(S.EXPORT_FORMAT, "docx")
    assert store.get(S.EXPORT_FORMAT) == "docx"
    assert "settings not written" in caplog.text
