"""A realistic 政务公开工作要点 task tree for the document tests and bench: sections, tasks, items."""
from __future__ import annotations

import datetime as dt
import itertools

from desktop.domain import DeadlineKind, NoticeInfo, Status, TaskRow
from desktop.numbering import number_for

NOTICE = NoticeInfo(id=1, title="关于印发《2023年政务公开工作要点》的通知", doc_number="X政办发〔2023〕5号",
                    issuer="X县人民政府办公室", date=dt.date(2023, 4, 10), year=2023)
UNITS = ["县政府办公室", "县发展改革局", "县教育局", "县财政局", "县人力资源社会保障局", "县自然资源局",
         "县住房城乡建设局", "县卫生健康局", "县市场监管局", "县数据资源局", "各乡镇人民政府"]
SECTIONS = ["围绕稳住经济大盘加强政策发布解读", "围绕推进法治政府建设深化公开",
            "围绕服务保障民生扩大公开", "加强政务公开平台建设", "强化政务公开工作保障"]
TASKS = [
    ("加强惠企政策发布解读", "及时准确发布减税降费、稳岗就业等惠企政策，做好政策解读（含图解、视频等形式），"
     "确保市场主体“找得到、看得懂、用得上”；对涉及面广、社会关注度高的政策，同步开展解读回应。"),
    ("推进重大行政决策公开", "严格落实《重大行政决策程序暂行条例》，决策草案公开征求意见时间一般不少于30日；"
     "因情况紧急等原因需要缩短期限的，应当予以说明。"),
    ("做好教育领域信息公开", "公开义务教育招生范围、招生条件、学校情况等信息；按规定公开教育收费项目、标准和依据，"
     "接受社会监督。"),
    ("深化财政预决算公开", "除涉密信息外，县级部门预决算在批复后20日内向社会公开，“三公”经费预决算同步公开。"),
    ("加强政府网站和政务新媒体管理", "建立健全内容保障机制，杜绝“空壳”“僵尸”账号；发布信息须经审核（二〇二三年起每季度检查一次）。"),
]
ITEMS = ["梳理本领域应公开事项清单，明确公开主体、内容、时限；", "每季度更新一次公开目录；",
         "对群众关注的热点问题，在3个工作日内作出回应。"]
DEADLINES = [("2023年6月底前", dt.date(2023, 6, 30), DeadlineKind.DATE),
             ("长期坚持", None, DeadlineKind.LONG_TERM),
             ("2023年9月底前", dt.date(2023, 9, 30), DeadlineKind.DATE),
             ("全年", dt.date(2023, 12, 31), DeadlineKind.YEAR_ROUND)]
STATUSES = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.IN_PROGRESS, Status.PAUSED]


def make_rows(n_tasks: int = 20, items_every: int = 3) -> list[TaskRow]:
    """Rows in tree pre-order: sections 一、… holding tasks （一）…; every ``items_every``-th task has items 1.…"""
    rows: list[TaskRow] = []
    ids = itertools.count(1)
    per_section = max(1, -(-n_tasks // len(SECTIONS)))
    k = 0
    for s_i in range(len(SECTIONS) * (1 + n_tasks // (per_section * len(SECTIONS)))):
        if k >= n_tasks:
            break
        sec = TaskRow(id=next(ids), notice_id=1, parent_id=None, position=s_i, depth=1,
                      number=number_for(1, s_i + 1), title=SECTIONS[s_i % len(SECTIONS)])
        rows.append(sec)
        for t_i in range(per_section):
            if k >= n_tasks:
                break
            title, text = TASKS[k % len(TASKS)]
            dl, due, kind = DEADLINES[k % len(DEADLINES)]
            status = STATUSES[k % len(STATUSES)]
            task = TaskRow(id=next(ids), notice_id=1, parent_id=sec.id, position=t_i, depth=2,
                           number=number_for(2, t_i + 1), title=f"{title}{k + 1}", text=f"{text}（任务{k + 1}）",
                           lead_units=[UNITS[k % len(UNITS)]], units=[UNITS[(k + 3) % len(UNITS)], UNITS[-1]],
                           deadline_text=dl, due_date=due, deadline_kind=kind, status=status,
                           done_on=dt.date(2023, 5, 20) if status == Status.DONE else None,
                           progress_note="已印发实施方案，正在推进。" if status != Status.NOT_STARTED else "",
                           owner="张三", remark="")
            rows.append(task)
            k += 1
            if k % items_every == 0:
                task.text = task.title
                for i_i, item in enumerate(ITEMS):
                    rows.append(TaskRow(id=next(ids), notice_id=1, parent_id=task.id, position=i_i, depth=3,
                                        number=number_for(3, i_i + 1), title="", text=f"{item}（事项{k}.{i_i + 1}）",
                                        status=status, due_date=due, deadline_kind=kind))
                task.child_count = len(ITEMS)
            sec.child_count += 1
    return rows


def all_texts(rows: list[TaskRow]) -> list[str]:
    """Every title and text a document must show, in order."""
    out = []
    for r in rows:
        for s in (r.title, r.text):
            if s and s not in out:
                out.append(s)
    return out
