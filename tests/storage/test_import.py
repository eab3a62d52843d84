"""create_notice_with_tasks: what importing calls to store a parsed notice in one transaction."""
from __future__ import annotations

import pytest

from desktop.domain import DeadlineKind, Status
from desktop.storage.ledger import Ledger
from desktop.storage.rows import heading_title

from .conftest import assert_dense, outline


@pytest.mark.parametrize("heading, title", [
    ("一、总体要求", "总体要求"),
    ("十二、其他事项", "其他事项"),
    ("（一）加强组织领导", "加强组织领导"),
    ("(二) 强化督查考核", "强化督查考核"),
    ("1. 建立台账", "建立台账"),
    ("3、按月调度", "按月调度"),
    ("（3）每季度报送", "每季度报送"),
    ("②细化措施", "细化措施"),
    ("第二部分 重点任务", "重点任务"),
    # numbering read as the parser reads it (importing.parse.patterns), so a heading it split off loses it
    ("（一）、加强组织领导", "加强组织领导"),
    ("1)建立台账", "建立台账"),
    ("一 、总体要求", "总体要求"),
    ("第3条 报送时限", "报送时限"),
    ("2024年工作安排", "2024年工作安排"),  # a year is not a number
    ("加强宣传", "加强宣传"),
])
def test_heading_title_drops_the_printed_number(heading, title):
    assert heading_title(heading) == title


def test_sections_are_created_once_per_heading_path(ledger: Ledger):
    meta = {"title": "关于印发《2024年工作要点》的通知", "doc_number": "X政办发〔2024〕3号", "issuer": "X县人民政府办公室",
            "date": "2024-02-20", "recipients": "各乡镇人民政府", "source_name": "要点.docx",
            "source_text": "全文", "source_bytes": b"docx"}
    tasks = [
        {"title": "前言任务", "text": "无章节的任务"},
        {"section": "一、总体要求 > （一）加强组织领导", "title": "成立专班", "text": "成立工作专班。",
         "lead_units": ["县发改局"], "units": ["各乡镇人民政府", "县财政局"], "deadline_text": "3月底前",
         "due_date": "2024-03-31", "deadline_kind": "date", "source_start": 10, "source_end": 17},
        {"section": "一、总体要求 > （一）加强组织领导", "title": "建立台账",
         "children": [{"text": "按月更新", "units": ["县发改局"]}, {"text": "按季通报"}]},
        {"section": ["一、总体要求", "（二）强化督查"], "title": "督查", "status": Status.IN_PROGRESS},
        {"section": "二、重点任务", "title": "项目建设", "deadline_kind": DeadlineKind.YEAR_ROUND},
        {"section": "一、总体要求 > （一）加强组织领导", "title": "补充任务"},  # the same path again, later
    ]
    nid = ledger.create_notice_with_tasks(meta, tasks)
    rows = ledger.tasks(nid)
    assert outline(rows) == [
        "前言任务",
        "总体要求", "  加强组织领导", "    成立专班", "    建立台账", "      ", "      ", "    补充任务",
        "  强化督查", "    督查",
        "重点任务", "  项目建设",
    ]
    assert [r.number for r in rows][:6] == ["一、", "二、", "（一）", "1.", "2.", "（1）"]
    assert_dense(rows)
    t = {r.title: r for r in rows}
    assert (t["加强组织领导"].text, t["加强组织领导"].child_count) == ("", 3)
    s = t["成立专班"]
    assert (s.lead_units, s.units) == (["县发改局"], ["各乡镇人民政府", "县财政局"])
    assert (s.deadline_text, str(s.due_date), s.deadline_kind, s.source_start, s.source_end) == (
        "3月底前", "2024-03-31", DeadlineKind.DATE, 10, 17)
    assert rows[5].text == "按月更新" and rows[5].units == ["县发改局"]
    assert t["督查"].status is Status.IN_PROGRESS
    n = ledger.notice(nid)
    assert (n.year, n.task_count, n.doc_number) == (2024, len(rows), "X政办发〔2024〕3号")
    assert ledger.notice_source(nid) == ("要点.docx", b"docx", "全文")
    assert [u.name for u in ledger.units()] == ["县发改局", "各乡镇人民政府", "县财政局"]  # each once
    log = ledger.changes(nid)
    assert [(c.what, c.new) for c in log] == [("create_notice", f"{meta['title']}（{len(rows)} 项）")]


def test_import_resolves_units_through_the_directory(ledger: Ledger):
    ledger.add_unit("X县发展和改革局", short_name="县发改局", aliases=["发改局"])
    nid = ledger.create_notice_with_tasks({"title": "n"}, [{"title": "t", "lead_units": ["发改局", "县发改局"]}])
    assert ledger.tasks(nid)[0].lead_units == ["X县发展和改革局"]
    assert len(ledger.units()) == 1


def test_unknown_task_keys_are_a_bug_and_store_nothing(ledger: Ledger):
    with pytest.raises(TypeError):
        ledger.create_notice_with_tasks({"title": "n"}, [{"title": "t", "level": 2}])
    with pytest.raises(TypeError):
        ledger.create_notice_with_tasks({"title": "n", "colour": "red"}, [])
    assert ledger.notices() == []


def test_empty_task_list_stores_just_the_notice(ledger: Ledger):
    nid = ledger.create_notice_with_tasks({"title": "只有标题"}, [])
    assert ledger.tasks(nid) == [] and ledger.notice(nid).task_count == 0
