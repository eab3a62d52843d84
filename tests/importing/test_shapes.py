"""Shapes the parser reads on evidence: each test writes a small notice of one shape (not a corpus file)
and checks what is read from it — flattened tables, columns without known labels, conventions
stated once, framing sections, metadata blocks, and the evidence each task carries."""
from __future__ import annotations

import json

import pytest

from desktop.importing import parse_pasted, parse_path, to_json_dict
from desktop.importing.parse.cells import DEADLINE, HEADING, NONE, SEQ, TEXT, UNITS, YEAR, kind
from desktop.importing.parse.columns import CONTENT, GROUP, assign_roles
from desktop.importing.parse.columns import DEADLINE as DL
from desktop.importing.parse.columns import SEQ as SEQ_ROLE
from desktop.importing.parse.columns import UNITS as U

ROWS = [
    ("推进预算公开", "全面公开部门预算和决算，细化到功能分类项级科目。", "财政所", "6月底前"),
    ("推进预算公开", "公开三公经费使用情况，接受群众监督。", "财政所、党政办公室", "全年"),
    ("做好政策解读", "对本镇出台的政策文件同步开展解读，丰富解读形式。", "党政办公室", "持续推进"),
    ("做好政策解读", "围绕群众关切及时回应社会热点问题。", "综合文化站", "年底前"),
]


def _key(parsed):
    return [(t.text, t.lead_units + t.units, t.deadline) for t in parsed.tasks]


EXPECTED = [(text, units.split("、"), dl) for _, text, units, dl in ROWS]


@pytest.mark.parametrize("cell,expected", [
    ("12", SEQ), ("3.", SEQ), ("2023年", YEAR), ("6月底前", DEADLINE), ("9月投入使用", DEADLINE),
    ("持续推进", DEADLINE), ("县水务局", UNITS), ("办公室牵头,各科室配合", UNITS), ("财政所、土管所等", UNITS),
    ("无", NONE), ("/", NONE), ("一、深化主动公开", HEADING), ("建成县残疾人综合服务中心。", TEXT),
    ("及时更新网站频道的各类型概况信息。", TEXT),
])
def test_cell_kinds(cell, expected):
    assert kind(cell) == expected


def test_roles_from_cells_when_labels_are_unknown():
    header = ["编码", "民生项目", "承办方", "节点"]
    rows = [[str(n), text, units, dl] for n, (_, text, units, dl) in enumerate(ROWS, 1)]
    assert assign_roles(header, rows) == [SEQ_ROLE, CONTENT, U, DL]
    assert assign_roles(None, rows) == [SEQ_ROLE, CONTENT, U, DL]


def test_body_is_the_column_with_most_distinct_values_not_the_first_labelled_content():
    header = ["工作举措", "具体措施", "责任单位"]
    rows = [[group, text, units] for group, text, units, _ in ROWS]
    assert assign_roles(header, rows) == [GROUP, CONTENT, U]


def _pipe_per_line(rows, header, leading=False):
    lines = []
    for row in [header, *rows]:
        if leading:
            lines.append("|")
        for cell in row:
            lines += [cell, "|"]
    return "\n".join(lines)


@pytest.mark.parametrize("leading", [False, True], ids=["trailing-pipes", "leading-and-trailing-pipes"])
def test_pipe_per_line_with_absent_merged_cells_and_unknown_content_label(leading):
    rows, last = [], None
    for group, text, units, dl in ROWS:
        rows.append(([] if group == last else [group]) + [text, units, dl])  # a browser drops covered cells
        last = group
    text = "某镇2024年政务公开重点任务\n" + _pipe_per_line(rows, ["工作任务", "民生实事", "责任部门", "时间要求"], leading)
    parsed = parse_pasted(text)
    assert _key(parsed) == EXPECTED
    assert [t.section for t in parsed.tasks] == ["推进预算公开", "推进预算公开", "做好政策解读", "做好政策解读"]


def test_pipe_per_line_with_a_running_number_the_header_does_not_name():
    lines = ["工作任务", "|", "具体要求", "|", "责任科室", "|", "时限要求", "|"]
    last = None
    for n, (group, text, units, dl) in enumerate(ROWS, 1):
        cells = ([] if group == last else [group]) + [str(n), text, units, dl]
        last = group
        for c in cells:
            lines += [c, "|"]
    parsed = parse_pasted("\n".join(lines))
    assert _key(parsed) == EXPECTED
    assert [t.number for t in parsed.tasks] == ["1", "2", "3", "4"]


def test_one_cell_per_line_with_a_unit_per_line_and_a_sub_row_that_shares_the_units():
    text = "\n\n".join([
        "2016年民生实事目标任务分解表", "序号", "民生实事", "责任单位", "完成时限",
        "1", "启动建设城区段综合治理工程。", "县水务局", "县住建局", "12月底前",
        "2", "开工建设县老年养护楼。", "县民政局", "5月底前动工", "开工建设老年大学。", "12月底前",
        "3", "城区再新建1个农贸市场。", "县商务局", "9月投入使用",
    ])
    parsed = parse_pasted(text)
    assert [(t.text, t.units, t.deadline) for t in parsed.tasks] == [
        ("启动建设城区段综合治理工程。", ["县水务局", "县住建局"], "12月底前"),
        ("开工建设县老年养护楼。", ["县民政局"], "5月底前动工"),
        ("开工建设老年大学。", ["县民政局"], "12月底前"),
        ("城区再新建1个农贸市场。", ["县商务局"], "9月投入使用"),
    ]
    assert "沿用上一行" in "".join(parsed.tasks[2].evidence)


def test_inline_pipe_rows_whose_covered_cells_were_dropped_are_put_back_by_kind():
    lines = ["工作任务 | 具体要求 | 责任部门 |"]
    last = None
    for group, text, units, _ in ROWS:
        lines.append(" | ".join(([] if group == last else [group]) + [text, units]) + " |" + ("" if group != last else " |"))
        last = group
    parsed = parse_pasted("\n".join(lines))
    assert [(t.text, t.units) for t in parsed.tasks] == [(text, units.split("、")) for _, text, units, _ in ROWS]


def test_word_table_without_a_header_row_reads_by_its_cells(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("某县2024年政务公开工作任务清单")
    t = d.add_table(rows=len(ROWS), cols=4)
    for r, (group, text, units, dl) in enumerate(ROWS):
        for c, v in enumerate((group, text, units, dl)):
            t.cell(r, c).text = v
    d.save(tmp_path / "n.docx")
    parsed = parse_path(tmp_path / "n.docx")
    assert _key(parsed) == EXPECTED
    assert all("按单元格内容判断" in "".join(t.evidence) for t in parsed.tasks)
    assert all(t.confidence < 1.0 for t in parsed.tasks)


def test_lead_by_position_convention_applies_from_where_it_is_stated():
    text = """某省2024年数字经济工作要点
一、夯实基础
（一）建设算力网络。推进数据中心建设（省发展改革委、省通信管理局负责，列第一位者为牵头单位，下同）。完善网络设施（省通信管理局、省科技厅等有关部门和单位按职责分工负责）。
（二）发展芯片。推动全链发展（省科技厅牵头，省财政厅配合）。"""
    parsed = parse_pasted(text)
    assert [(t.lead_units, t.units) for t in parsed.tasks] == [
        (["省发展改革委"], ["省通信管理局"]), (["省通信管理局"], ["省科技厅"]), (["省科技厅"], ["省财政厅"])]
    assert any("列第一位者为牵头单位" in e for e in parsed.tasks[1].evidence)


def test_without_the_convention_a_plain_list_all_lead():
    parsed = parse_pasted("某县要点\n一、公开\n（一）做好预算公开。全面公开预算（县财政局、县审计局负责）。")
    assert parsed.tasks[0].lead_units == ["县财政局", "县审计局"] and parsed.tasks[0].units == []


FRAMED = """某省2024年数字经济工作要点
一、指导思想
以新时代中国特色社会主义思想为指导，全面贯彻落实各项部署。
二、发展目标
到2025年，数字经济核心产业增加值占比达到10%。
三、重点任务
（一）建设算力网络。推进数据中心建设（省发展改革委负责）。
（二）发展芯片。推动全链发展（省科技厅牵头，省财政厅配合）。
（三）培育数据要素市场。开展数据资产登记试点（省数据局负责）。
四、组织实施
各地各部门要加强领导，确保各项任务落到实处。"""


def test_framing_sections_are_not_tasks_when_the_measures_carry_units():
    parsed = parse_pasted(FRAMED)
    assert [t.title for t in parsed.tasks] == ["建设算力网络", "发展芯片", "培育数据要素市场"]
    assert any("指导思想" in w and "组织实施" in w for w in parsed.warnings)


def test_a_framing_section_that_names_units_is_a_task():
    text = FRAMED.replace("确保各项任务落到实处。", "确保各项任务落到实处（省政府办公厅负责）。")
    tasks = parse_pasted(text).tasks
    assert tasks[-1].section == "四、组织实施" and tasks[-1].lead_units == ["省政府办公厅"]
    assert "指导思想" not in "".join(t.title for t in tasks)


def test_items_of_a_notice_whose_units_are_elsewhere_are_all_kept():
    text = FRAMED.replace("（省发展改革委负责）", "").replace("（省科技厅牵头，省财政厅配合）", "") \
        .replace("（省数据局负责）", "")
    # nothing names a unit: no frame can be told apart, every item is kept (四、组织实施 as a heading)
    assert [t.number for t in parse_pasted(text).tasks] == ["一、", "二、", "（一）", "（二）", "（三）", "四、"]


@pytest.mark.parametrize("cell,expected", [
    ("无", []), ("/", []), ("省科技厅按职责分工负责", ["省科技厅"]),
    ("省财政厅、省审计厅等有关部门和单位", ["省财政厅", "省审计厅"]), ("县民政局等有关部门", ["县民政局"]),
])
def test_unit_cells_without_tails_and_no_unit_marks(cell, expected):
    rows = "\n".join(f"{text}\t{cell if n == 0 else units}\t{dl}" for n, (_, text, units, dl) in enumerate(ROWS))
    parsed = parse_pasted("具体内容\t责任单位\t完成时限\n" + rows)
    assert parsed.tasks[0].lead_units + parsed.tasks[0].units == expected


def test_policy_library_metadata_list_is_metadata():
    text = """  1. [主题分类] 综合政务/电子政务
  2. [发文机构] 某市政务公开领导小组
  3. [成文日期] 2016-06-08
  4. [发文字号] 〔〕
  5. [发布日期] 2016-06-13
某市政务公开工作重点任务分工(2016-2020年)
  一、推进决策公开
  1.实行重大行政决策预公开制度，公开决策草案。
  牵头单位:市政府办公厅
  完成时限:2017年底前"""
    parsed = parse_pasted(text)
    assert (parsed.title, parsed.issuer, str(parsed.date), parsed.doc_number, parsed.year) == (
        "某市政务公开工作重点任务分工(2016-2020年)", "某市政务公开领导小组", "2016-06-08", None, 2016)
    assert [(t.lead_units, t.deadline) for t in parsed.tasks] == [(["市政府办公厅"], "2017年底前")]


def test_table_only_named_as_an_attachment_gives_no_task_and_says_so():
    text = """各镇人民政府，区政府各部门：
现将《2021年重点工作任务分解表》印发给你们，请认真贯彻落实。
附件：2021年重点工作任务分解表
某区人民政府办公室
2021年1月25日"""
    parsed = parse_pasted(text)
    assert parsed.tasks == [] and parsed.title is None
    assert any("附件" in w and "分解表" in w for w in parsed.warnings)


def test_parse_json_carries_confidence_and_evidence():
    data = to_json_dict(parse_pasted("具体内容\t责任单位\t完成时限\n" + "\n".join(
        f"{text}\t{units}\t{dl}" for _, text, units, dl in ROWS)))
    json.dumps(data, ensure_ascii=False)
    for t in data["tasks"]:
        assert 0.0 <= t["confidence"] <= 1.0
        assert any("“责任单位”列" in e for e in t["evidence"]) and any("“完成时限”列" in e for e in t["evidence"])


PROVINCIAL = [
    ("1", "推动芯片全链发展。聚力推动设计、制造、封测协同。", "强化设计能力", "支持龙头企业开展高端芯片设计，突破关键核心技术。",
     "省工业和信息化厅", "省科技厅、省发展改革委", "2024年12月底前"),
    ("2", "", "", "建设集成电路设计公共服务平台。", "省科技厅", "无", "2024年6月底前"),
    ("3", "", "提升制造水平", "推进12英寸晶圆生产线建设。", "省发展改革委", "省工业和信息化厅等有关部门和单位", "持续推进"),
    ("4", "壮大数字产业。培育软件和信息服务业。", "发展软件产业", "实施工业软件攻关工程。", "省工业和信息化厅",
     "省科技厅按职责分工负责", "2024年底前"),
    ("5", "", "", "培育一批软件名园名企。", "省工业和信息化厅", "/", "长期坚持"),
]


def test_multi_level_workbook_with_title_row_and_lead_and_partner_columns(tmp_path):
    """Several text columns: the narrowest is the body, the broader ones the section; the merged first
    row is the title; 牵头/配合 columns by label; 无 and / are no unit; tails are stripped."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某省2024年推动芯片产业发展重点任务分工方案"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "重点任务", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限"])
    for row in PROVINCIAL:
        ws.append(list(row))
    for rng in ("B3:B5", "C3:C4", "B6:B7", "C6:C7"):
        ws.merge_cells(rng)
    wb.save(tmp_path / "p.xlsx")
    parsed = parse_path(tmp_path / "p.xlsx")
    assert parsed.title == "某省2024年推动芯片产业发展重点任务分工方案" and parsed.year == 2024
    assert [t.text for t in parsed.tasks] == [r[3] for r in PROVINCIAL]
    assert [t.title for t in parsed.tasks] == ["强化设计能力", "强化设计能力", "提升制造水平", "发展软件产业", "发展软件产业"]
    assert [(t.lead_units, t.units) for t in parsed.tasks] == [
        (["省工业和信息化厅"], ["省科技厅", "省发展改革委"]), (["省科技厅"], []), (["省发展改革委"], ["省工业和信息化厅"]),
        (["省工业和信息化厅"], ["省科技厅"]), (["省工业和信息化厅"], [])]
    assert [t.deadline for t in parsed.tasks] == [r[6] for r in PROVINCIAL]
    assert parsed.tasks[3].section.startswith("壮大数字产业")


@pytest.mark.parametrize("copied_from", ["excel", "browser"])
def test_multi_level_table_copied_as_text(copied_from):
    """Excel copies merged cells as empty cells; a browser drops the cells a rowspan covers."""
    header = ["序号", "重点任务", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限"]
    title = "某省2024年推动芯片产业发展重点任务分工方案"
    if copied_from == "excel":
        lines = [title + "\t" * 6, "\t".join(header)] + ["\t".join(r) for r in PROVINCIAL]
    else:
        lines = [title, "\t".join(header)] + ["\t".join(c for c in r if c) for r in PROVINCIAL]
    parsed = parse_pasted("\n".join(lines))
    assert parsed.title == title
    assert [(t.text, t.title, t.deadline) for t in parsed.tasks] == [
        (r[3], t, r[6]) for r, t in zip(PROVINCIAL, ["强化设计能力", "强化设计能力", "提升制造水平", "发展软件产业",
                                                     "发展软件产业"], strict=True)]
    assert [t.lead_units for t in parsed.tasks] == [[r[4]] for r in PROVINCIAL]


@pytest.mark.parametrize("bracket,lead,units", [
    ("教育部、人力资源社会保障部负责，地方各级人民政府落实", ["教育部", "人力资源社会保障部"], ["地方各级人民政府"]),
    ("县财政局负责，各乡镇配合", ["县财政局"], ["各乡镇"]),
    ("国家发展改革委、财政部等按职责分工负责", ["国家发展改革委", "财政部"], []),
])
def test_attributions_in_clauses(bracket, lead, units):
    """``A负责，B落实``: the first clause names who is responsible, the later ones who carries it out."""
    parsed = parse_pasted(f"某县要点\n一、公开\n（一）做好预算公开。全面公开部门预算（{bracket}）。")
    assert (parsed.tasks[0].lead_units, parsed.tasks[0].units) == (lead, units)
