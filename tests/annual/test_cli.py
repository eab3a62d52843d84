"""The annual-report command through desktop.cli's parser (registered here as the lead will wire it): the
report is read from and stored in the ledger of --data-dir, files only where the clerk names one."""
from __future__ import annotations

import argparse
import json

import pytest
from pypdf import PdfReader

from desktop import cli
from desktop.annual import store
from desktop.cli.annual import register
from desktop.storage.ledger import Ledger

pytestmark = pytest.mark.usefixtures("no_system_fonts")


def main(argv: list[str]) -> int:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "annual-report" not in sub.choices:
        register(sub, cli._common)
    args = parser.parse_args(argv)
    return cli.run_command(args.func, args)


def test_load_save_and_export(report, data_dir, tmp_path, capsys):
    src = store.save(report, tmp_path / "in.json")
    assert main(["annual-report", "2024", "--load", str(src), "--save", str(tmp_path / "out.json"),
                 "--out", str(tmp_path / "r.pdf")]) == 0
    out = capsys.readouterr().out
    assert "已保存" in out and "已导出" in out
    assert json.loads((tmp_path / "out.json").read_text("utf-8"))["report"]["organ"] == report.organ
    assert 3 <= len(PdfReader(str(tmp_path / "r.pdf")).pages) <= 5
    assert main(["--data-dir", str(data_dir), "annual-report", "2024", "--load", str(src),
                 "--out", str(tmp_path / "r.docx")]) == 0
    assert (tmp_path / "r.docx").stat().st_size > 5000


def test_empty_year_prints_open_problems(data_dir, tmp_path, capsys):
    assert main(["annual-report", "2024", "--out", str(tmp_path / "e.docx")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(ln.startswith("注意：请填写机关名称") for ln in lines)
    assert any("表三（收到和处理政府信息公开申请情况）尚未填写" in ln for ln in lines)


def test_the_year_stored_in_the_ledger_is_used(report, data_dir, capsys):
    report.tables["T3"].values[("carried_out", "legal")] += 1
    with Ledger(data_dir) as led:
        led.save_annual_report(report)
    assert main(["annual-report", "2024"]) == 0
    out = capsys.readouterr().out
    assert "注意：表三“法律服务机构”列不平衡" in out and "台账中已有保存的数据" in out
    assert main(["annual-report", "2025"]) == 0
    assert "台账中尚无数据" in capsys.readouterr().out


def test_load_stores_the_year_in_the_ledger_and_save_writes_it_back(report, data_dir, tmp_path, capsys):
    src = store.save(report, tmp_path / "in.json")
    assert main(["annual-report", "2024", "--load", str(src)]) == 0
    assert "已存入台账" in capsys.readouterr().out
    with Ledger(data_dir) as led:
        assert led.annual_years() == [2024]
        assert led.annual_report(2024).report.to_json() == report.to_json()
    assert not (data_dir / "annual-reports").exists()  # no per-year file any more
    src.unlink()
    assert main(["annual-report", "2024", "--save", str(tmp_path / "back.json")]) == 0  # from the ledger
    assert store.load(tmp_path / "back.json").to_json() == report.to_json()
    # last year's stored report gives the year-on-year checks
    last = store.load(tmp_path / "back.json")
    last.year = 2023
    with Ledger(data_dir) as led:
        led.save_annual_report(last)
        assert led.annual_years() == [2023, 2024]


@pytest.mark.parametrize("argv_tail, words", [
    (["--load", "{broken}"], "JSON 格式有误"),
    (["--load", "{missing}"], "找不到文件"),
    (["--out", "{tmp}/r.txt"], "扩展名不对"),
    (["--save", "{tmp}/r.docx"], "扩展名不对"),
    (["--out", "{tmp}/nowhere/r.pdf"], "保存位置不存在"),
    (["--load", "{other_year}"], "2023年的报告"),
])
def test_bad_input_exits_2_with_one_chinese_line(argv_tail, words, report, data_dir, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    report.year = 2023
    other = store.save(report, tmp_path / "2023.json")
    fill = {"broken": str(broken), "missing": str(tmp_path / "none.json"), "tmp": str(tmp_path),
            "other_year": str(other)}
    argv = ["annual-report", "2024"] + [a.format(**fill) for a in argv_tail]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    with Ledger(data_dir) as led:
        assert led.annual_years() == []  # nothing stored


def test_bad_year(data_dir, capsys):
    assert main(["annual-report", "24"]) == 2
    assert "年度不对" in capsys.readouterr().err
