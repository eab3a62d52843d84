"""Remembered column settings and the duplicate-import rule of the Ledger, on the SQLite file and the server."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from desktop.storage.ledger import Ledger, LedgerError
from desktop.storage.paths import DB_FILE_NAME

HEADER = ["序号", "重点任务", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限"]
ROLES = ["seq", "group", "title", "content", "lead", "partner", "deadline"]


def meta_rows(store: str | None, data_dir) -> dict[str, str]:
    """The schema_meta table as stored, read past the Ledger."""
    url = store or f"sqlite:///{data_dir / DB_FILE_NAME}"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT name, value FROM schema_meta")).all())
    finally:
        engine.dispose()


def test_remember_look_up_replace_and_forget(ledger: Ledger, store, data_dir, open_ledger):
    assert ledger.column_maps() == [] and ledger.remembered_columns(HEADER) is None
    ledger.remember_columns([" 序 号", "重点任务\n", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限"], ROLES)
    assert ledger.remembered_columns(HEADER) == ROLES  # whitespace in the labels does not count
    assert ledger.remembered_columns(["序号", "重点任务"]) is None
    assert ledger.column_maps() == [(HEADER, ROLES)]

    stored = meta_rows(store, data_dir)
    key = "column_map:" + json.dumps(HEADER, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(stored[key]) == ROLES
    assert stored["schema_version"].isdigit()  # the table's own row is untouched

    other = ["序号", "工作事项", "具体任务", "责任单位", "完成时限"]
    ledger.remember_columns(other, ["seq", "content", "title", "units", "deadline"])
    changed = ROLES[:3] + ["other"] + ROLES[4:]
    ledger.remember_columns(HEADER, changed)  # replaces, one row per labels
    assert ledger.column_maps() == sorted([(HEADER, changed), (other, ["seq", "content", "title", "units", "deadline"])])
    log = ledger.changes(limit=3)
    assert [c.what for c in log] == ["columns:remember"] * 3 and log[0].notice_id is None
    assert log[0].old == "序号|重点任务|工作举措|具体任务|牵头单位|配合单位|完成时限 → " + ",".join(ROLES)
    assert log[0].new.endswith(" → " + ",".join(changed))
    ledger.remember_columns(HEADER, changed)  # the same again: nothing to log
    assert len(ledger.changes()) == 3

    again = open_ledger()  # another window or client sees it (on a file: through the start-up reader)
    assert again.remembered_columns(HEADER) == changed and len(again.column_maps()) == 2

    ledger.forget_columns(HEADER)
    ledger.forget_columns(HEADER)  # already gone: nothing happens
    assert ledger.remembered_columns(HEADER) is None and ledger.column_maps() == [
        (other, ["seq", "content", "title", "units", "deadline"])]
    assert [c.what for c in ledger.changes(limit=2)] == ["columns:forget", "columns:remember"]
    assert not any(name.startswith("column_map:[\"序号\",\"重点任务\"") for name in meta_rows(store, data_dir))


def test_blank_or_bad_settings_are_refused(ledger: Ledger):
    assert ledger.remembered_columns(["", "  "]) is None
    ledger.forget_columns([" "])
    with pytest.raises(ValueError):
        ledger.remember_columns(["", " "], ["seq", "content"])
    with pytest.raises(ValueError):
        ledger.remember_columns(HEADER, [])
    with pytest.raises(ValueError):
        ledger.remember_columns(HEADER, ["序号", "具体内容"])  # role names, not the clerk's words
    with pytest.raises(LedgerError, match="表头行的文字太长"):
        ledger.remember_columns(["很长的一句话" * 120, "责任单位"], ["content", "units"])
    assert ledger.column_maps() == [] and ledger.changes() == []


def test_an_unreadable_setting_is_skipped(ledger: Ledger, store, data_dir):
    ledger.remember_columns(HEADER, ROLES)
    url = store or f"sqlite:///{data_dir / DB_FILE_NAME}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_meta (name, value) VALUES ('column_map:[\"甲\"', '[]')"))
        conn.execute(text("INSERT INTO schema_meta (name, value) VALUES ('column_map:[\"乙\"]', 'not json')"))
    engine.dispose()
    assert ledger.column_maps() == [(HEADER, ROLES)]
    assert ledger.remembered_columns(["乙"]) is None


# --- duplicates ----------------------------------------------------------------------------------

def test_find_duplicate_by_doc_number_title_and_year_or_content(ledger: Ledger):
    def dup(doc_number=None, title=None, year=None, source_bytes=None):
        return ledger.find_duplicate(doc_number=doc_number, title=title, year=year, source_bytes=source_bytes)

    assert dup(doc_number="竹府办〔2016〕20号", title="通知", year=2016, source_bytes=b"x") is None  # empty ledger
    first = ledger.create_notice("大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知",
                                 doc_number="竹府办〔2016〕20号", year=2016, source_bytes=b"%PDF first file")
    second = ledger.create_notice("关于印发2024年政务公开工作要点的通知", date="2024-03-05",
                                  source_bytes=b"second file bytes")
    # 文号: spacing, full-width digits and the kind of year brackets do not matter; the number does.
    assert dup(doc_number="竹府办〔2016〕20号") == first
    assert dup(doc_number=" 竹府办[２０１６] 20号") == first
    assert dup(doc_number="竹府办【2016】20号") == first
    assert dup(doc_number="竹府办〔2016〕21号") is None
    assert dup(doc_number="") is None
    # title and year: both must agree (the year defaults to the date's, as create_notice stores it)
    assert dup(title="关于印发2024年政务公开工作要点的通知", year=2024) == second
    assert dup(title="关于印发 2024年政务公开工作要点的通知 ", year=2024) == second
    assert dup(title="关于印发2024年政务公开工作要点的通知", year=2023) is None
    assert dup(title="关于印发2024年政务公开工作要点的通知") is None  # no year: the title alone is not enough
    assert dup(title="关于印发2025年政务公开工作要点的通知", year=2024) is None
    # the same file content, whatever the metadata; same size but other bytes is another file
    assert dup(source_bytes=b"second file bytes", title="另一个标题", year=2030) == second
    assert dup(source_bytes=b"second file bytez") is None
    assert dup(source_bytes=b"") is None
    # several matches: the oldest notice
    assert dup(doc_number="竹府办〔2016〕20号", source_bytes=b"second file bytes") == first
    ledger.delete_notice(first)
    assert dup(doc_number="竹府办〔2016〕20号") is None


def test_find_duplicate_sees_notices_imported_with_their_file(ledger: Ledger, open_ledger):
    data = bytes(range(256)) * 50
    nid = ledger.create_notice_with_tasks({"title": "无题", "source_name": "a.xlsx", "source_bytes": data},
                                          [{"title": "任务"}])
    other = open_ledger()
    assert other.find_duplicate(doc_number=None, title=None, year=None, source_bytes=data) == nid
    assert other.find_duplicate(doc_number=None, title=None, year=None, source_bytes=data[:-1] + b"\x00") is None


def test_the_start_up_reader_serves_the_settings(data_dir):
    """On an up-to-date file, looking settings up (what ``parse`` does) needs no SQLAlchemy implementation."""
    with Ledger(data_dir) as led:
        led.remember_columns(HEADER, ROLES)
        led.remember_columns(["工作任务", "责任单位"], ["content", "units"])
        expected = led.column_maps()
    with Ledger(data_dir) as led:
        assert led._quick is not None
        assert led.column_maps() == expected and len(expected) == 2
        assert led.remembered_columns(HEADER) == ROLES and led.remembered_columns(["工作任务"]) is None
        assert led._sql is None
