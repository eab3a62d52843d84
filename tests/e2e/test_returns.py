"""The Excel exchange on the command line: export --format xlsx, feedback → a unit fills it in → returns
(--dry-run first), refusals with exit 2 and nothing written, carry-forward and compare."""
from __future__ import annotations

import json

import openpyxl
import pytest

from desktop.spreadsheets import feedback as fb
from tests.e2e.test_cli import has_chinese, run
from tests.e2e.test_cli_tracking import tasks_json

COL = {c.key: i for i, c in enumerate(fb.COLUMNS, 1)}


@pytest.fixture
def notice(data_dir, corpus_dir, capsys) -> int:
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import", str(corpus_dir / "002_lezhi_2023_table.txt"))
    assert code == 0, err
    return int(out.strip().splitlines()[-1])


def _refused(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2 and has_chinese(err) and "Traceback" not in err, (code, out, err)
    return err


@pytest.mark.parametrize("what", ["table", "units", "open", "progress"])
def test_export_xlsx(data_dir, notice, capsys, tmp_path, what):
    out = tmp_path / f"{what}.xlsx"
    code, stdout, err = run(capsys, "--data-dir", str(data_dir), "export", str(notice), "--what", what,
                            "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.print_title_rows and ws.page_setup.orientation == "landscape"


def test_export_report_as_xlsx_refused(data_dir, notice, capsys, tmp_path):
    err = _refused(capsys, "--data-dir", str(data_dir), "export", str(notice), "--what", "report", "--format", "xlsx",
                   "--out", str(tmp_path / "r.xlsx"))
    assert "公文" in err and not (tmp_path / "r.xlsx").exists()


def test_feedback_and_returns(data_dir, notice, capsys, tmp_path):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "feedback", str(notice), "--out", str(tmp_path))
    assert code == 0, err
    files = [p for p in tmp_path.glob("*-反馈表.xlsx")]
    assert len(files) >= 3
    path = files[0]
    wb = openpyxl.load_workbook(path)
    ws = wb[fb.SHEET_TITLE]
    first = 4
    tid = ws.cell(first, COL["id"]).value
    ws.cell(first, COL["status"]).value = "推进中"
    ws.cell(first, COL["note"]).value = "+已召开部署会"
    ws.title = "我们的填报"
    wb.save(tmp_path / "back.xlsx")
    before = {t["id"]: t for t in tasks_json(capsys, data_dir, notice)}

    code, out, err = run(capsys, "--data-dir", str(data_dir), "returns", str(tmp_path / "back.xlsx"), "--dry-run")
    assert code == 0, err
    assert "状态：未开始 → 推进中" in out and "试运行" in out
    assert tasks_json(capsys, data_dir, notice) == list(before.values())

    code, out, err = run(capsys, "--data-dir", str(data_dir), "returns", str(tmp_path / "back.xlsx"))
    assert code == 0, err
    after = {t["id"]: t for t in tasks_json(capsys, data_dir, notice)}
    assert after[tid]["status"] == "推进中" and after[tid]["note"] == "+已召开部署会"
    assert {k: v for k, v in after.items() if k != tid} == {k: v for k, v in before.items() if k != tid}


def test_returns_refusals(data_dir, notice, corpus_dir, capsys, tmp_path):
    run(capsys, "--data-dir", str(data_dir), "feedback", str(notice), "--out", str(tmp_path))
    path = next(tmp_path.glob("*-反馈表.xlsx"))
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    run(capsys, "--data-dir", str(other_dir), "import", str(corpus_dir / "002_lezhi_2023_table.txt"))
    err = _refused(capsys, "--data-dir", str(other_dir), "returns", str(path))
    assert "另一份通知" in err
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 nothing")
    assert "不是有效的 .xlsx" in _refused(capsys, "--data-dir", str(data_dir), "returns", str(tmp_path / "broken.xlsx"))
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    assert "不是本程序生成的反馈表" in _refused(capsys, "--data-dir", str(data_dir), "returns", str(plain))
    assert "找不到文件" in _refused(capsys, "--data-dir", str(data_dir), "returns", str(tmp_path / "none.xlsx"))
    _refused(capsys, "--data-dir", str(data_dir), "feedback", str(notice), "--out", str(tmp_path), "--unit", "火星局")


def test_carry_forward_and_compare(data_dir, notice, capsys):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "carry-forward", str(notice), "--year", "2024")
    assert code == 0, err
    new_id = int(out.strip().splitlines()[-1])
    tasks = tasks_json(capsys, data_dir, new_id)
    assert tasks and all(t["status"] == "未开始" for t in tasks)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "compare", str(notice), str(new_id), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["counts"]["new"] == result["counts"]["dropped"] == 0
    _refused(capsys, "--data-dir", str(data_dir), "carry-forward", str(notice), "--year", "24")
