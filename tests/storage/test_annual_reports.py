"""Annual reports in the ledger (storage/annual_reports.py, schema v5), on both engines: stored and read back
within the JSON limits, carried by backup → restore, two clients saving the same year; on a SQLite ledger the
``annual-reports/YEAR.json`` files of an earlier NoticeDesk taken in on first start, once, bad files left."""
from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.annual import store as files
from desktop.annual.model import AnnualReport, ReportFormatError
from desktop.storage import backup, transfer
from desktop.storage.ledger import ConflictError, Ledger
from desktop.storage.paths import DB_FILE_NAME

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def report(year: int, organ: str, issued: int) -> AnnualReport:
    r = AnnualReport.empty(year, organ)
    r.set("T2", "rules", "issued", issued)
    r.set("T3", "new_received", "natural_person", issued + 1)
    r.texts["五"] = f"{year}年的问题和改进。"
    return r


def stored(led: Ledger) -> dict[int, dict]:
    return {y: led.annual_report(y).report.to_json() for y in led.annual_years()}


def back_up(led: Ledger, store: str | None, data_dir: Path, out: Path) -> None:
    if store is None:
        backup.backup_to(data_dir, out)
    else:
        transfer.backup_server(store, out)


def restore(store: str | None, data_dir: Path, src: Path) -> None:
    if store is None:
        backup.restore(data_dir, src)
    else:
        transfer.restore_to_server(store, src, replace=True)


def test_backup_then_restore_brings_both_reports_back(ledger, open_ledger, store, data_dir, tmp_path):
    ledger.save_annual_report(report(2023, "某某镇人民政府", 3))
    ledger.save_annual_report(report(2024, "某某镇人民政府", 5))
    want = stored(ledger)
    assert sorted(want) == [2023, 2024]
    out = tmp_path / "备份.sqlite"
    back_up(ledger, store, data_dir, out)
    assert backup.inspect_backup(out).annual_years == [2023, 2024]
    changed = report(2024, "改过的机关", 99)  # after the backup: changed, and a third year
    ledger.save_annual_report(changed)
    ledger.save_annual_report(report(2025, "某某镇人民政府", 1))
    restore(store, data_dir, out)
    again = open_ledger()
    assert stored(again) == want
    assert again.annual_report(2024).report.organ == "某某镇人民政府"


def test_a_report_round_trips_and_versions_count_up(ledger):
    assert ledger.annual_years() == [] and ledger.annual_report(2024) is None
    r = report(2024, "X镇", 7)
    assert ledger.save_annual_report(r, expected_version=0) == 1
    got = ledger.annual_report(2024)
    assert got.report.to_json() == r.to_json() and got.version == 1 and got.updated_at is not None
    r.organ = "Y镇"
    assert ledger.save_annual_report(r, expected_version=1) == 2
    assert ledger.annual_report(2024).report.organ == "Y镇"


def test_two_clients_saving_the_same_year(open_ledger):
    """As for tasks: a save that carries a stale version is refused (ConflictError, nothing written); a
    save without a version (the command line, or the clerk who chose to overwrite) is last-writer-wins."""
    a, b = open_ledger(), open_ledger()
    version = a.save_annual_report(report(2024, "甲", 1), expected_version=0)
    seen_by_b = b.annual_report(2024)
    assert a.save_annual_report(report(2024, "甲改", 2), expected_version=version) == version + 1
    with pytest.raises(ConflictError) as err:
        b.save_annual_report(report(2024, "乙", 3), expected_version=seen_by_b.version)
    assert err.value.kind == "annual_report" and err.value.row_id == 2024
    assert err.value.current_version == version + 1 and "2024年的年度报告已被其他人修改" in str(err.value)
    assert a.annual_report(2024).report.organ == "甲改"  # nothing written
    with pytest.raises(ConflictError):  # both thought the year was new
        b.save_annual_report(report(2024, "乙", 3), expected_version=0)
    assert b.save_annual_report(report(2024, "乙", 3)) == version + 2  # no version: last writer wins
    assert a.annual_report(2024).report.organ == "乙"


@pytest.mark.sqlite_only
def test_what_is_read_back_meets_the_json_limits(ledger, data_dir):
    ledger.save_annual_report(report(2024, "X镇", 1))
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    try:
        con.execute("UPDATE annual_report SET content = ? WHERE year = 2024",
                    ('{"report": {"year": 2024}, "x": ' + "[" * 40 + "]" * 40 + "}",))
        con.commit()
    finally:
        con.close()
    with pytest.raises(ReportFormatError, match="嵌套层数太多.*台账中2024年的年度报告数据已损坏"):
        ledger.annual_report(2024)


# --- the files of an earlier NoticeDesk -----------------------------------------------------------
def old_files(data_dir: Path) -> Path:
    folder = data_dir / files.FOLDER
    files.save(report(2023, "某某镇人民政府", 3), folder / "2023.json")
    files.save(report(2024, "某某镇人民政府", 5), folder / "2024.json")
    (folder / "2022.json").write_text("{这不是 JSON", encoding="utf-8")
    return folder


def rows(path: Path) -> list[int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [y for (y,) in con.execute("SELECT year FROM annual_report ORDER BY year")]
    finally:
        con.close()


@pytest.mark.sqlite_only
def test_files_beside_an_older_ledger_are_taken_in_when_it_is_first_opened(data_dir, caplog):
    shutil.copyfile(FIXTURES / "ledger_v4.sqlite", data_dir / DB_FILE_NAME)
    folder = old_files(data_dir)
    with caplog.at_level(logging.WARNING):
        Ledger(data_dir).close()  # the app and every command open the ledger so: upgraded, files taken in
    assert rows(data_dir / DB_FILE_NAME) == [2023, 2024]
    assert sorted(p.name for p in (folder / "已导入").iterdir()) == ["2023.json", "2024.json"]
    assert (folder / "2022.json").read_text("utf-8") == "{这不是 JSON"  # a bad file is left and reported
    assert any("2022.json" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    with Ledger(data_dir) as led:  # not twice: the files taken in were moved aside
        assert led.annual_years() == [2023, 2024]
        assert led.annual_report(2024).report.to_json() == report(2024, "某某镇人民政府", 5).to_json()
        result = led.import_annual_files()
        assert result.imported == [] and [p.name for p, _why in result.left] == ["2022.json"]
        assert "无法读取" in result.messages()[0]
    assert rows(data_dir / DB_FILE_NAME) == [2023, 2024]


@pytest.mark.sqlite_only
def test_the_command_line_takes_them_in_too(data_dir, capsys):
    from desktop.cli import main

    shutil.copyfile(FIXTURES / "ledger_v4.sqlite", data_dir / DB_FILE_NAME)
    old_files(data_dir)
    assert main(["--data-dir", str(data_dir), "annual-report", "2024"]) == 0
    assert "台账中已有保存的数据" in capsys.readouterr().out
    assert rows(data_dir / DB_FILE_NAME) == [2023, 2024]


@pytest.mark.sqlite_only
def test_a_file_for_a_year_the_ledger_holds_differently_is_left(ledger, data_dir):
    ledger.save_annual_report(report(2024, "台账中的机关", 1))
    folder = data_dir / files.FOLDER
    files.save(report(2024, "文件中的机关", 2), folder / "2024.json")
    files.save(report(2023, "文件中的机关", 2), folder / "2023.json")
    result = ledger.import_annual_files()
    assert [y for y, _p in result.imported] == [2023]
    assert [p.name for p, _why in result.left] == ["2024.json"] and "内容与这个文件不同" in result.left[0][1]
    assert ledger.annual_report(2024).report.organ == "台账中的机关"
    assert (folder / "2024.json").is_file() and (folder / "已导入" / "2023.json").is_file()
    files.save(report(2023, "文件中的机关", 2), folder / "2023.json")  # the same file once more: same figures
    again = ledger.import_annual_files()
    assert [y for y, _p in again.imported] == [2023]
    assert sorted(p.name for p in (folder / "已导入").iterdir()) == ["2023.json", "2023~2.json"]


@pytest.mark.sqlite_only
def test_restoring_a_backup_older_than_the_reports_keeps_the_ledgers_reports(ledger, data_dir, tmp_path):
    ledger.save_annual_report(report(2024, "某某镇人民政府", 5))
    old = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "ledger_v4.sqlite", old)
    result = backup.restore(data_dir, old)
    assert result.from_version == 4 and result.summary.annual_years == [2024]
    assert "已保留台账中原有的年度报告" in result.describe()
    with Ledger(data_dir) as led:
        assert led.annual_years() == [2024] and len(led.notices()) == 2
