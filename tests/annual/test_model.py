"""The report's data and JSON: keys as in annual-report.md, blank is not 0, totals computed, labels accepted."""
from __future__ import annotations

import json

import pytest

from desktop.annual import store
from desktop.annual.labels import TABLES
from desktop.annual.model import AnnualReport, ReportFormatError, parse_value


def test_json_round_trip_keeps_every_value_and_text(report, tmp_path):
    report.tables["T2"].values[("rules", "issued")] = None  # blank stays blank
    report.tables["T2"].values[("rules", "repealed")] = 0  # 0 stays 0
    path = store.save(report, tmp_path / "r.json")
    back = store.load(path)
    assert back.year == report.year and back.organ == report.organ and back.intro == report.intro
    assert back.texts == report.texts
    for tid, t in report.tables.items():
        for row, col in t.spec.cells():
            assert back.get(tid, row, col) == report.get(tid, row, col), (tid, row, col)
    assert back.get("T2", "rules", "issued") is None
    assert back.get("T2", "rules", "repealed") == 0
    assert not any(t.stated for t in back.tables.values())  # written totals are the computed ones


def test_json_keys_follow_the_outline(report):
    data = report.to_json()
    assert data["report"]["year"] == 2024
    assert [s["no"] for s in data["report"]["sections"]] == ["一", "二", "三", "四", "五", "六"]
    assert [s.get("table_id") for s in data["report"]["sections"]] == [None, "T2", "T3", "T4", None, None]
    t3 = data["tables"]["T3"]
    assert set(t3) == {"new_received", "carried_in", "granted", "partial", "denied", "unable", "not_processed",
                       "other", "total_processed", "carried_out"}
    assert set(t3["denied"]) == {"state_secret", "law_forbidden", "three_safety", "third_party", "internal_affairs",
                                 "process_info", "enforcement_file", "admin_query"}
    assert set(t3["new_received"]) == {"natural_person", "commercial", "research", "social", "legal", "other", "total"}
    assert set(data["tables"]["T4"]) == {"review", "direct", "after_review"}
    assert set(data["tables"]["T4"]["review"]) == {"maintain", "correct", "other", "pending", "total"}
    json.dumps(data, ensure_ascii=False)


def test_totals_are_computed_and_blank_only_when_all_parts_are():
    r = AnnualReport.empty(2024)
    assert r.get("T3", "new_received", "total") is None
    r.set("T3", "new_received", "commercial", 0)
    assert r.get("T3", "new_received", "total") == 0
    r.set("T3", "denied.state_secret", "legal", 2)
    r.set("T3", "granted", "legal", 3)
    assert r.get("T3", "total_processed", "legal") == 5
    assert r.get("T3", "total_processed", "total") == 5
    r.set("T4", "direct", "pending", 4)
    assert r.get("T4", "direct", "total") == 4 and r.get("T4", "review", "total") is None
    with pytest.raises(ValueError):
        r.set("T3", "total_processed", "legal", 9)
    with pytest.raises(ValueError):
        r.set("T4", "review", "total", 9)


def test_labels_strings_and_stated_totals_on_load():
    data = {"report": {"year": "2023", "organ": "X镇人民政府"},
            "tables": {"T2": {"规章": {"本年制发件数": "3", "现行有效件数": 0}},
                       "T3": {"new_received": {"自然人": 4, "total": 5},
                              "（三）不予公开": {"1.属于国家秘密": {"natural_person": 1}}},
                       "T4": {"review": {"maintain": 1, "total": 1}}}}
    r = AnnualReport.from_json(data)
    assert r.year == 2023
    assert r.get("T2", "rules", "issued") == 3 and r.get("T2", "rules", "in_force") == 0
    assert r.get("T2", "rules", "repealed") is None
    assert r.get("T3", "denied.state_secret", "natural_person") == 1
    assert r.get("T3", "new_received", "total") == 4
    assert r.tables["T3"].stated == {("new_received", "total"): 5}  # kept for the checks
    assert r.tables["T4"].stated == {}  # equal to the computed total: nothing to say


@pytest.mark.parametrize("data, words", [
    ([], "JSON 对象"),
    ({"report": {"organ": "x"}}, "年度"),
    ({"report": {"year": 2024}, "tables": {"T9": {}}}, "T9"),
    ({"report": {"year": 2024}, "tables": {"T3": {"nonsense": {"natural_person": 1}}}}, "nonsense"),
    ({"report": {"year": 2024}, "tables": {"T3": {"granted": {"robots": 1}}}}, "robots"),
    ({"report": {"year": 2024}, "tables": {"T3": {"granted": {"legal": "abc"}}}}, "abc"),
    ({"report": {"year": 2024}, "tables": {"T2": {"rules": {"issued": True}}}}, "不是数字"),
])
def test_bad_json_is_refused_with_a_chinese_sentence(data, words):
    with pytest.raises(ReportFormatError, match=words):
        AnnualReport.from_json(data)


def test_broken_file_is_refused(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text('{"report": {"year": 2024', encoding="utf-8")
    with pytest.raises(ReportFormatError, match="JSON 格式有误"):
        store.load(p)


def test_parse_value():
    assert parse_value("") is None and parse_value(None) is None
    assert parse_value("１２") == 12 and parse_value("1,200") == 1200 and parse_value(3.0) == 3
    assert parse_value("0.5") == 0.5 and parse_value("-2") == -2
    for bad in ("abc", "1e5", "3件", True):
        with pytest.raises(ValueError):
            parse_value(bad)


def test_atomic_save_leaves_no_temp_files(report, tmp_path):
    path = tmp_path / store.FOLDER / "2024.json"
    store.save(report, path)
    store.save(report, path)
    (tmp_path / store.FOLDER / "notes.json").write_text("{}", encoding="utf-8")  # not a year: not a report file
    assert sorted(p.name for p in path.parent.iterdir()) == ["2024.json", "notes.json"]
    assert store.legacy_files(tmp_path) == [(2024, path)]


def test_text_from_the_ledger_meets_the_same_limits(report):
    assert store.loads(store.dumps(report, indent=None), "x").to_json() == report.to_json()
    with pytest.raises(ReportFormatError, match="嵌套层数太多"):
        store.loads('{"report": {"year": 2024}, "x": ' + "[" * 50 + "]" * 50 + "}", "台账中2024年的年度报告")
    with pytest.raises(ReportFormatError, match="太大"):
        store.loads('{"report": {"year": 2024}, "tables": {"T2": {"rules": {"issued": ' + "9" * 40 + "}}}}", "x")


def test_every_official_row_label_is_there():
    labels = [r.label.split(" ")[-1] for r in TABLES["T3"].rows]
    assert "（二）部分公开" in labels and "3.危及“三安全一稳定”" in labels
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in labels
    assert len(TABLES["T3"].rows) == 2 + 2 + 8 + 3 + 5 + 3 + 1 + 1
