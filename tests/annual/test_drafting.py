"""Drafting from a ledger that holds imported corpus notices: counts, done and open tasks, notes, years."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop.annual.drafting import draft_key_points, draft_section_one, draft_section_six
from desktop.domain import Status
from desktop.importing import parse_path
from desktop.intake import ledger_rows
from desktop.storage.ledger import Ledger

FILES = ("000_songming_2021", "002_lezhi_2023_table", "003_linyi_2023_web", "004_taizhou_2018_trad")


@pytest.fixture(scope="module")
def ledger_items(tmp_path_factory):
    """The four corpus notices imported; in the 2023 ones a few tasks done or under way, with notes."""
    from tests.conftest import CORPUS

    led = Ledger(data_dir=tmp_path_factory.mktemp("ledger"))
    try:
        for name in FILES:
            meta, rows = ledger_rows(parse_path(CORPUS / f"{name}.txt"), source_name=f"{name}.txt")
            led.create_notice_with_tasks(meta, rows)
        for n in led.notices():
            if n.year != 2023:
                continue
            rows = led.tasks(n.id)
            parents = {r.parent_id for r in rows}
            work = [r for r in rows if r.id not in parents]
            for r in work[:3]:
                led.set_fields(r.id, status=Status.DONE, done_on=dt.date(2023, 9, 30))
                led.add_progress(r.id, dt.date(2023, 9, 30), f"已于9月底完成{r.title[:6]}相关工作。后续持续跟进。")
            led.set_fields(work[3].id, status=Status.IN_PROGRESS)
            led.add_progress(work[3].id, dt.date(2023, 11, 1), "已完成初稿，正在征求意见")
            led.set_fields(work[4].id, status=Status.NOT_APPLICABLE)
        yield [(n, led.tasks(n.id)) for n in led.notices()]
    finally:
        led.close()


def independent_counts(items, year):
    notices = [(n, rows) for n, rows in items if n.year == year]
    tasks = [r for _n, rows in notices for r in rows if not any(x.parent_id == r.id for x in rows)]
    return len(notices), tasks


def test_section_one_counts_this_years_notices_only(ledger_items):
    n_notices, tasks = independent_counts(ledger_items, 2023)
    assert n_notices == 2
    done = sum(r.status == Status.DONE for r in tasks)
    moving = sum(r.status == Status.IN_PROGRESS for r in tasks)
    not_started = sum(r.status == Status.NOT_STARTED for r in tasks)
    text = draft_section_one(ledger_items, 2023, "乐至县某某镇人民政府")
    first = text.split("\n")[0]
    assert f"分解为{len(tasks)}项具体任务" in first
    assert f"已完成{done}项" in first and f"正在推进{moving}项" in first and f"尚未启动{not_started}项" in first
    assert "另有2项不适用于本机关" in first
    assert "乐至县" in first and "临沂市" in first and "嵩明" not in text and "泰州" not in text
    lines = text.split("\n")
    for heading in ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"):
        assert heading in lines
    assert "已于9月底完成" in text  # a progress note is quoted


def test_key_points_name_done_and_open_tasks_with_notes(ledger_items):
    text = draft_key_points(ledger_items, 2023)
    paras = text.split("\n")
    assert len(paras) == 2
    for (n, rows), para in zip([(n, r) for n, r in ledger_items if n.year == 2023], paras, strict=True):
        leaves = [r for r in rows if not any(x.parent_id == r.id for x in rows)]
        assert f"将其分解为{len(leaves)}项任务" in para
        assert f"已完成3项（完成率{round(300 / len(leaves))}%）" in para
        assert (n.doc_number or "") in para
        assert "正在征求意见" in para
    assert "乐府办发〔2023〕15号" in text


def test_year_without_notices_leaves_a_placeholder(ledger_items):
    assert "【" in draft_key_points(ledger_items, 2030)
    one = draft_section_one(ledger_items, 2030)
    assert "台账中没有2030年度的通知" in one and one.count("【请补充") == 5


def test_all_done_reads_differently(ledger_items):
    taizhou = [(n, [r for r in rows]) for n, rows in ledger_items if n.year == 2018]
    for r in taizhou[0][1]:
        r.status = Status.DONE
    text = draft_key_points(taizhou, 2018)
    assert "已全部完成" in text and "尚未完成" not in text


def test_six_keeps_other_parts_and_replaces_only_key_points(ledger_items):
    existing = "（一）收取信息处理费情况\n本年度未收取信息处理费。\n（三）年度政务公开工作要点落实情况\n旧的文字。\n（四）政务公开工作创新情况\n创新做法。"
    text = draft_section_six(ledger_items, 2023, existing)
    assert "本年度未收取信息处理费。" in text and "创新做法。" in text and "旧的文字" not in text
    assert text.index("（三）年度政务公开工作要点落实情况") < text.index("将其分解为") < text.index("（四）")
    fresh = draft_section_six(ledger_items, 2023, "")
    assert fresh.split("\n")[0] == "（一）收取信息处理费情况" and "将其分解为" in fresh
