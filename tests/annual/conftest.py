"""Annual-report fixtures: a consistent report with every cell filled, and documents on bundled fonts only."""
from __future__ import annotations

import random

import pytest

from desktop.annual.labels import T3_COL_KEYS
from desktop.annual.model import AnnualReport


def consistent_report(year: int = 2024, seed: int = 7) -> AnnualReport:
    """Every input cell filled (some zeros), 表三 balanced in every column, texts written."""
    rnd = random.Random(seed)
    r = AnnualReport.empty(year, "某某县某某镇人民政府")
    for t in r.tables.values():
        for row, col in t.spec.input_cells():
            if t.spec.row(row).decimal:
                t.values[(row, col)] = 1.25
            else:
                t.values[(row, col)] = rnd.choice([0, 0, 1, 2, 3, 5, 8, 13])
    t3 = r.tables["T3"]
    for col in T3_COL_KEYS[:-1]:
        processed = t3.get("total_processed", col)
        t3.values[("carried_in", col)] = 2
        t3.values[("carried_out", col)] = 2
        t3.values[("new_received", col)] = processed
    r.texts["一"] = "（一）主动公开\n本年度主动公开政府信息120条。\n（二）依申请公开\n本年度依法办理政府信息公开申请。"
    r.texts["五"] = "一是公开内容不够全面；二是政策解读形式单一。下一步将加强培训。"
    r.texts["六"] = "（一）收取信息处理费情况\n本年度未收取信息处理费。"
    return r


@pytest.fixture
def report() -> AnnualReport:
    return consistent_report()


@pytest.fixture
def no_system_fonts(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("NOTICEDESK_FONT_DIRS", str(tmp_path_factory.mktemp("no-fonts")))
