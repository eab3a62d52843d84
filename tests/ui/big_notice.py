"""A 113-row provincial task table (分工方案) as an import leaves it, for layout tests and screenshots.

Four 重点任务 sections (一、…四、); under them 35 tasks (（一）…（十一） in the first section), most with
numbered measures (1. 2. …) and a few measures with sub-items (（1）…). Long 具体内容, long 责任单位
lists, 完成时限 on every measure, and no 牵头单位 anywhere (that column is empty for the whole notice).
"""
from __future__ import annotations

import datetime as dt

from desktop.domain import DeadlineKind
from desktop.storage.ledger import Ledger

TITLE = "四川省人民政府办公厅关于印发《2024年推动全省经济高质量发展重点任务分工方案》的通知"
DOC_NUMBER = "川办发〔2024〕12号"

SECTIONS = [
    ("着力扩大有效需求", 11),
    ("加快建设现代化产业体系", 8),
    ("深入推进乡村振兴和城乡融合发展", 9),
    ("持续保障和改善民生", 7),
]
# how many numbered measures (1. 2. …) each task has, cycled; sums to 70 over the 35 tasks
MEASURES = [2, 3, 1, 2, 2, 3, 2, 1, 2, 2]
SUB_ITEMS = {(0, 10, 1): 2, (2, 3, 0): 2}  # (section, task, measure) → （1）（2）… under it

_TASK_NAMES = [
    "稳定和扩大传统消费", "培育壮大新型消费", "扩大有效投资", "加快重大项目建设", "激发民间投资活力",
    "稳住外贸基本盘", "积极利用外资", "深化区域协作", "促进平台经济健康发展", "提升县域商业体系",
    "加强要素保障", "推动制造业智能化改造", "培育战略性新兴产业", "发展现代服务业", "推动数字经济和实体经济融合",
    "加快发展先进材料产业", "推进清洁能源基地建设", "强化科技创新支撑", "优化提升园区能级",
    "抓好粮食和重要农产品生产", "推进高标准农田建设", "发展现代农业园区", "巩固拓展脱贫攻坚成果",
    "推进宜居宜业和美乡村建设", "深化农村改革", "推进以县城为重要载体的城镇化", "加强城市更新",
    "发展县域经济", "稳定和扩大就业", "办好人民满意的教育", "推进健康四川建设", "完善社会保障体系",
    "加强“一老一小”服务", "丰富群众文化生活", "统筹发展和安全",
]
_OPENINGS = [
    "围绕{t}，制定出台专项实施方案，", "聚焦{t}中的突出短板，", "坚持项目化清单化推进{t}，",
    "对标国内先进地区，围绕{t}，", "以市场化法治化手段推动{t}，",
]
_MIDDLES = [
    "建立省级统筹、部门协同、市县落实的工作机制，每季度调度一次进展情况，对推进缓慢的地区和单位进行通报，",
    "分行业分领域梳理政策清单，加强财政、金融、土地、人才等要素保障，推动各项政策直达快享，",
    "实施一批引领性、标志性重大项目，完善项目储备、审批、建设、投产全周期服务机制，",
    "开展专项督导和第三方评估，及时发现和解决推进中遇到的问题，确保各项举措落地见效，",
    "加强与国家有关部委的汇报衔接，积极争取更多政策、资金和项目支持，",
]
_ENDINGS = [
    "全年完成目标任务。", "确保年度计划投资完成率达到100%以上。", "力争全年新增5000家以上。",
    "年底前形成可复制可推广的经验做法。", "持续推动工作取得实效。",
]
_UNITS = [
    ["省发展改革委", "省经济和信息化厅", "省财政厅", "省自然资源厅", "省生态环境厅", "省住房城乡建设厅",
     "各市（州）人民政府"],
    ["省商务厅", "省文化和旅游厅", "省市场监管局", "省地方金融监管局", "人行成都分行", "各市（州）人民政府"],
    ["省农业农村厅", "省乡村振兴局", "省水利厅", "省林草局", "省供销社"],
    ["省教育厅", "省人力资源社会保障厅", "省卫生健康委", "省民政厅", "省医保局", "省残联",
     "各市（州）人民政府"],
    ["省科技厅", "省经济和信息化厅", "省国资委"],
]
_DEADLINES = [("2024年6月底前", dt.date(2024, 6, 30), DeadlineKind.DATE),
              ("2024年12月底前", dt.date(2024, 12, 31), DeadlineKind.DATE),
              ("持续推进", None, DeadlineKind.LONG_TERM),
              ("2024年9月底前", dt.date(2024, 9, 30), DeadlineKind.DATE)]


def _text(k: int, subject: str) -> str:
    return (_OPENINGS[k % len(_OPENINGS)].format(t=subject) + _MIDDLES[k % len(_MIDDLES)]
            + _MIDDLES[(k + 2) % len(_MIDDLES)] * (k % 2) + _ENDINGS[k % len(_ENDINGS)])


def big_notice_tasks() -> list[dict]:
    """The tasks as ``Ledger.create_notice_with_tasks`` takes them (sections by heading)."""
    out: list[dict] = []
    k = 0
    task_no = 0
    for s, (section, count) in enumerate(SECTIONS):
        heading = f"{'一二三四'[s]}、{section}"
        for t in range(count):
            name = _TASK_NAMES[task_no]
            measures = MEASURES[task_no % len(MEASURES)]
            task_no += 1
            children = []
            for m in range(measures):
                k += 1
                deadline, due, kind = _DEADLINES[k % len(_DEADLINES)]
                item: dict = {"title": "", "text": _text(k, name), "units": _UNITS[k % len(_UNITS)],
                              "deadline_text": deadline, "due_date": due, "deadline_kind": kind}
                subs = SUB_ITEMS.get((s, t, m), 0)
                if subs:
                    item["children"] = [
                        {"text": _text(k + j + 1, f"{name}第{j + 1}项"), "units": _UNITS[(k + j) % len(_UNITS)],
                         "deadline_text": deadline, "due_date": due, "deadline_kind": kind}
                        for j in range(subs)]
                children.append(item)
            k += 1
            out.append({"section": heading, "title": name, "text": _text(k, name) if not children else "",
                        "units": _UNITS[k % len(_UNITS)] if not children else [],
                        "children": children})
    return out


def make_big_notice(ledger: Ledger, title: str = TITLE, doc_number: str | None = DOC_NUMBER,
                    year: int = 2024) -> int:
    """Store the 113-row notice; returns its id."""
    return ledger.create_notice_with_tasks(
        {"title": title, "doc_number": doc_number, "date": dt.date(year, 2, 20), "year": year},
        big_notice_tasks())
