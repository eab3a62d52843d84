"""The live checks: silent on consistent data; each rule fires at the right cell and nowhere else."""
from __future__ import annotations

import copy

from desktop.annual.checks import check, where
from desktop.annual.drafting import from_last_year
from desktop.annual.model import AnnualReport
from tests.annual.conftest import consistent_report


def kinds(problems):
    return sorted({p.kind for p in problems})


def test_consistent_report_has_no_problems(report):
    assert check(report) == []
    last = consistent_report(2023, seed=7)
    last.texts = {k: v + "（上年）" * 40 for k, v in last.texts.items()}
    assert check(report, last) == []


def test_balance_fires_in_the_unbalanced_column_only(report):
    report.tables["T3"].values[("carried_out", "research")] += 1
    problems = check(report)
    assert [(p.kind, p.cell) for p in problems] == [("balance", ("T3", "total_processed", "research"))]
    assert "科研机构" in problems[0].message and "相差1" in problems[0].message
    # the 总计 column is unbalanced too, but only as the sum of the research column: not reported twice


def test_balance_counts_blank_as_zero_and_skips_empty_columns():
    r = AnnualReport.empty(2024)
    r.set("T3", "new_received", "legal", 2)
    problems = [p for p in check(r) if p.kind == "balance"]
    assert [p.cell for p in problems] == [("T3", "total_processed", "legal")]  # the total column follows legal


def test_stated_total_from_a_file_is_pointed_at_until_a_part_changes(report):
    data = report.to_json()
    data["tables"]["T3"]["new_received"]["total"] += 3
    data["tables"]["T4"]["direct"]["total"] = 99
    loaded = AnnualReport.from_json(data)
    problems = check(loaded)
    assert [(p.kind, p.cell) for p in problems] == [("total", ("T3", "new_received", "total")),
                                                    ("total", ("T4", "direct", "total"))]
    assert "99" in problems[1].message
    loaded.set("T4", "direct", "maintain", loaded.get("T4", "direct", "maintain"))  # the clerk looked at the row
    assert [p.cell for p in check(loaded)] == [("T3", "new_received", "total")]


def test_values_must_be_whole_and_not_negative(report):
    report.tables["T2"].values[("rules", "issued")] = -1
    report.tables["T4"].values[("review", "correct")] = 2.5
    report.tables["T2"].values[("fees", "amount")] = 0.35  # 万元 may have decimals
    problems = check(report)
    assert [(p.kind, p.cell) for p in problems] == [
        ("value", ("T2", "rules", "issued")), ("value", ("T4", "review", "correct"))]
    assert "负数" in problems[0].message and "整数" in problems[1].message


def test_blank_is_not_zero(report):
    report.tables["T4"].values[("after_review", "pending")] = None
    problems = check(report)
    assert [(p.kind, p.cell) for p in problems] == [("blank", ("T4", "after_review", "pending"))]
    assert "1个单元格空白" in problems[0].message
    for key in list(report.tables["T2"].values):
        report.tables["T2"].values[key] = None
    blank = [p for p in check(report) if p.kind == "blank"]
    assert [p.table for p in blank] == ["T2", "T4"] and "尚未填写" in blank[0].message


def test_jump_of_more_than_three_times_from_last_year(report):
    last = copy.deepcopy(report)
    last.year = 2023
    last.texts = {k: "上年的文字完全不同，" * 5 for k in last.texts}
    report.tables["T2"].values[("licensing", "decisions")] = 7
    last.tables["T2"].values[("licensing", "decisions")] = 2
    report.tables["T2"].values[("punishment", "decisions")] = 6  # exactly 3×: not flagged
    last.tables["T2"].values[("punishment", "decisions")] = 2
    report.tables["T2"].values[("enforcement", "decisions")] = 1  # less than a third
    last.tables["T2"].values[("enforcement", "decisions")] = 4
    report.tables["T2"].values[("rules", "issued")] = 0  # down to 0: not a jump
    last.tables["T2"].values[("rules", "issued")] = 9
    problems = check(report, last)
    assert [(p.kind, p.cell) for p in problems] == [("jump", ("T2", "licensing", "decisions")),
                                                    ("jump", ("T2", "enforcement", "decisions"))]
    assert "3.5倍" in problems[0].message and "三分之一" in problems[1].message


def test_carried_in_should_equal_last_years_carried_out(report):
    last = copy.deepcopy(report)
    last.year = 2023
    last.texts = {k: "上年的文字完全不同，" * 5 for k in last.texts}
    last.tables["T3"].values[("carried_out", "social")] = 3  # this year's carried_in is 2
    problems = check(report, last)
    assert [(p.kind, p.cell) for p in problems] == [("carry", ("T3", "carried_in", "social"))]


def test_unchanged_text_from_last_year_is_flagged(report):
    last = copy.deepcopy(report)
    last.year = 2023
    last.texts["五"] = "完全不同的上一年度问题和改进情况。" * 4
    last.texts["六"] = report.texts["六"].replace("本年度", "今年")  # nearly the same
    problems = check(report, last)
    assert [(p.kind, p.section) for p in problems] == [("same_text", "一"), ("same_text", "六")]
    assert "完全相同" in problems[0].message and "%相同" in problems[1].message


def test_new_year_from_last_year_clears_numbers_keeps_text(report):
    new = from_last_year(report, 2025)
    assert new.year == 2025 and new.organ == report.organ and new.texts == report.texts
    assert "2025年1月1日至2025年12月31日" in new.intro
    assert all(t.is_blank() for t in new.tables.values())
    got = check(new, report)
    assert {p.section for p in got if p.kind == "same_text"} == {"一", "五", "六"}
    assert [p.table for p in got if p.kind == "blank"] == ["T2", "T3", "T4"]
    assert not [p for p in got if p.kind in ("balance", "jump", "carry", "value", "total")]


def test_organ_empty_text_and_placeholders(report):
    report.organ = ""
    report.texts["五"] = ""
    report.texts["六"] += "\n【请补充：创新做法】"
    assert [(p.kind, p.section) for p in check(report)] == [("organ", None), ("empty_text", "五"), ("placeholder", "六")]


def test_where_names_table_row_and_column():
    assert where("T3", "denied.third_party", "legal") == "表三“（三）不予公开 4.保护第三方合法权益”行“法律服务机构”列"
    assert where("T2", "fees", "amount") == "表二“行政事业性收费”行“本年收费金额（单位：万元）”列"
