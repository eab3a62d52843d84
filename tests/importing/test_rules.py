"""Unit tests of the parser's rules: deadlines, units, metadata, normalisation."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop.importing import parse_pasted
from desktop.importing.normalise import fold_width, is_chrome, looks_traditional, strip_pinyin, to_simplified
from desktop.importing.parse.deadlines import interpret, is_deadline_cell
from desktop.importing.parse.metadata import DOCNO, normalise_docno
from desktop.importing.parse.units import (
    UnitDirectory,
    is_collective,
    parse_attribution,
    resolve_all,
    split_names,
)

NOTICE_DAY = dt.date(2023, 6, 20)


@pytest.mark.parametrize("text,kind,due", [
    ("9月底前", "date", "2023-09-30"),
    ("2023年6月底前", "date", "2023-06-30"),
    ("2024年3月15日前", "date", "2024-03-15"),
    ("年底前", "date", "2023-12-31"),
    ("上半年", "date", "2023-06-30"),
    ("三季度末", "date", "2023-09-30"),
    ("十月中旬", "date", "2023-10-20"),
    ("30个工作日内", "date", "2023-08-01"),
    ("10日内", "date", "2023-06-30"),
    ("全年", "year_round", "2023-12-31"),
    ("长期坚持", "long_term", None),
    ("持续推进", "long_term", None),
    ("每季度", "recurring", "2023-06-30"),
    ("每月", "recurring", "2023-06-30"),
    ("每年至少1次", "recurring", "2023-12-31"),
    ("每周", "recurring", None),
    (None, "none", None),
])
def test_deadline_kinds(text, kind, due):
    k, d, understood = interpret(text, 2023, NOTICE_DAY)
    assert (k, str(d) if d else None, understood) == (kind, due, True)


def test_deadline_not_understood_and_cells():
    assert interpret("视情况而定", 2023, NOTICE_DAY) == ("none", None, False)
    assert interpret("9月底前", None, None) == ("date", None, True)
    for cell in ("全年", "2023年", "6月底前", "长期坚持", "每季度", "2023年12月31日前"):
        assert is_deadline_cell(cell), cell
    for cell in ("县发改局", "加强政务公开工作", "各乡镇人民政府、街道办事处"):
        assert not is_deadline_cell(cell), cell


def test_unit_splitting():
    assert split_names("县发改局、县财政局，县人社局;县医保局；县民政局,县审计局") == [
        "县发改局", "县财政局", "县人社局", "县医保局", "县民政局", "县审计局"]
    assert split_names("县政府办公室、县司法局等县级部门；各乡镇人民政府、街道办事处") == [
        "县政府办公室", "县司法局", "各乡镇人民政府", "街道办事处"]
    assert split_names("县市场监督管理局、等县级部门") == ["县市场监督管理局"]
    assert split_names("市民政局、市商务局等部门(单位)") == ["市民政局", "市商务局"]
    assert split_names("各县区政府(管委会),市政府各部门(单位)") == ["各县区政府(管委会)", "市政府各部门(单位)"]
    # two names run together: split where a new 县/市/区 unit starts
    assert split_names("县文化广播电视和旅游局县国有资产监管和金融工作局") == [
        "县文化广播电视和旅游局", "县国有资产监管和金融工作局"]
    assert split_names("区卫生健康局区医疗保障局") == ["区卫生健康局", "区医疗保障局"]
    assert split_names("市生态环境局嵩明分局") == ["市生态环境局嵩明分局"]
    assert split_names("县人民政府办公室") == ["县人民政府办公室"]


def test_collective_names():
    for name in ("各乡镇人民政府", "县级各部门", "各相关部门", "市政府各部门(单位)", "街道办事处", "有关单位"):
        assert is_collective(name), name
    for name in ("县发改局", "县政府办", "乐至生态环境局", "市生态环境局嵩明分局"):
        assert not is_collective(name), name


@pytest.mark.parametrize("text,lead,units", [
    ("牵头单位:县政府办;责任单位:各镇人民政府、街道办事处,县级各部门", ["县政府办"],
     ["各镇人民政府", "街道办事处", "县级各部门"]),
    ("县发改局牵头，县财政局、县统计局配合", ["县发改局"], ["县财政局", "县统计局"]),
    ("县发改局牵头落实", ["县发改局"], []),
    ("各乡镇、县级各部门按职责分工分别牵头落实", ["各乡镇", "县级各部门"], []),
    ("县融媒体中心负责落实", ["县融媒体中心"], []),
    ("县教体局、县卫健局分别负责落实", ["县教体局", "县卫健局"], []),
    ("责任单位：县融媒体中心", [], ["县融媒体中心"]),
])
def test_attributions(text, lead, units):
    att = parse_attribution(text)
    assert (att.lead, att.units) == (lead, units)


@pytest.mark.parametrize("text", ["以下简称《条例》", "窗口", "计划", "含市政府常务会议", "2023年"])
def test_not_attributions(text):
    att = parse_attribution(text)
    assert att is None or not (att.lead or att.units)


def test_unit_directory_aliases():
    directory = UnitDirectory([("县发展和改革局", ["县发改局", "发改局"]), ("县财政局", []), ("县人民政府办公室", ["县政府办"])])
    assert resolve_all(["县发改局", "县财政局", "县政府办", "县发展和改革局"], directory) == [
        "县发展和改革局", "县财政局", "县人民政府办公室"]
    assert resolve_all(["县发改局县财政局"], directory) == ["县发展和改革局", "县财政局"]
    parsed = parse_pasted("一、任务\n（一）做好公开。按要求公开。（县发改局牵头，县财政局、县统计局配合）",
                          units_directory=[("县发展和改革局", ["县发改局"]), ("县财政局", [])])
    assert parsed.tasks[0].lead_units == ["县发展和改革局"]
    assert any("不在单位库" in w and "县统计局" in w for w in parsed.warnings)


@pytest.mark.parametrize("printed", ["乐府办发〔2023〕15号", "乐府办发[2023]15号", "乐府办发【2023】15号",
                                     "乐府办发(2023)15号", "乐府办发（2023）15号", "乐府办发［2023］15号",
                                     "乐府办发〔 2023 〕 15 号"])
def test_doc_number_brackets(printed):
    m = DOCNO.search(printed)
    assert m and normalise_docno(m) == "乐府办发〔2023〕15号"
    parsed = parse_pasted(f"{printed}\n某县人民政府办公室关于做好政务公开工作的通知\n各乡镇：\n一、工作任务\n"
                          "（一）做好公开。按要求公开。（县政府办负责落实）\n某县人民政府办公室\n2023年5月6日")
    assert parsed.doc_number == "乐府办发〔2023〕15号"
    assert parsed.date == dt.date(2023, 5, 6) and parsed.issuer == "某县人民政府办公室"
    assert parsed.recipients == "各乡镇"


def test_signing_date_not_web_publication_date():
    parsed = parse_pasted("发布时间：2023-07-01 09:00\n某市人民政府办公室关于印发工作要点的通知\n各县区：\n现印发给你们。\n"
                          "某市人民政府办公室\n2023年6月20日\n（此件公开发布）\n一、任务\n1.做好公开。按要求公开。（市政府办负责落实）\n"
                          "附件：1.任务分解表\n2.联系人名单")
    assert parsed.date == dt.date(2023, 6, 20)
    assert parsed.attachments == ["任务分解表", "联系人名单"]
    assert len(parsed.tasks) == 1


def test_traditional_to_simplified_and_pinyin():
    text = "各市(區(qū))人民政府：一、著力加強公開解讀回應工作。1.圍繞建設法治政府全面推進政務公開。執(zhí)行。"
    cleaned, n = strip_pinyin(text)
    assert n == 2 and "(qū)" not in cleaned and "區)" in cleaned
    assert looks_traditional(cleaned)
    assert to_simplified("政務公開工作要點") == "政务公开工作要点"
    assert not looks_traditional("各乡镇人民政府要认真做好政务公开工作，及时公开政府信息。" * 3)
    assert strip_pinyin("使用(app)和(PC)端")[1] == 0
    parsed = parse_pasted("泰州市2018年政務公開工作要點\n一、著力加強公開\n1.圍繞建設法治政府全面推進政務公開。把公開透明作為政府工作的基本制度。")
    assert parsed.tasks[0].title == "围绕建设法治政府全面推进政务公开"
    assert "圍繞" in parsed.original_text
    assert any("繁体" in w for w in parsed.warnings)


def test_widths_and_chrome():
    assert fold_width("（１）２０２３年ＡＢ") == "（1）2023年AB"
    for line in ("欢迎访问临沂市政府网站", "字号：大 中 小", "【打印】", "关闭窗口", "责任编辑：李四", "扫一扫在手机打开当前页"):
        assert is_chrome(line), line
    assert not is_chrome("（一）加强政务公开工作。")


def test_full_width_enumerators_and_inline_ordinals():
    parsed = parse_pasted("一、总体任务\n（一）加强公开。一是做好A（县政府办牵头，县财政局配合）；二是做好B（县发改局负责落实）。\n"
                          "(二)强化解读。做好解读（牵头单位：县融媒体中心）\n二、保障措施\n１．细化措施。落实到位（县司法局负责落实）")
    assert [t.title for t in parsed.tasks] == ["加强公开", "做好B", "强化解读", "细化措施"]
    assert parsed.tasks[1].lead_units == ["县发改局"]
    assert parsed.tasks[0].text.startswith("一是做好A")
    assert parsed.tasks[3].section == "二、保障措施 > 1．细化措施"


def test_attribution_with_cooperating_units_and_trailing_deadline():
    from desktop.importing.parse.units import parse_attribution

    att = parse_attribution("镇综治中心牵头，各村（社区）配合，全年")
    assert (att.lead, att.units, att.deadline) == (["镇综治中心"], ["各村（社区）"], "全年")
    att = parse_attribution("县政府办负责落实，9月底前")
    assert (att.lead, att.units, att.deadline) == (["县政府办"], [], "9月底前")


def test_traditional_notice_reports_printed_characters_but_parses_simplified():
    from desktop.importing import parse_pasted, to_json_dict

    text = ("關於印發2018年政務公開工作要點的通知\n一、著力加強公開解讀回應工作\n"
            "1.圍繞建設法治政府全面推進政務公開。把公開透明作為政府工作的基本制度。（市政府辦公室負責落實）\n")
    parsed = parse_pasted(text)
    assert parsed.tasks[0].title == "围绕建设法治政府全面推进政务公开"  # the ledger and window: simplified
    data = to_json_dict(parsed)
    assert data["tasks"][0]["title"] == "圍繞建設法治政府全面推進政務公開"  # as printed
    assert data["tasks"][0]["lead_units"] == ["市政府辦公室"]
    assert data["tasks"][0]["section"].startswith("一、著力加強")
