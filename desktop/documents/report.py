"""Builder of the portrait 落实情况报告 公文 (clause 7), and the first draft of its text.

``draft_report`` fills every field of a ``ReportInfo`` from the notice and its tasks, for the clerk to edit:
title, 主送机关 (the notice's issuer), a body drafted per top-level section from the tasks' statuses,
落实情况 notes, units and deadlines (as the notice wrote them), 署名 (the reporting unit, else the office's own
name), 成文日期, and the optional 版头, 附件 and 版记 fields. What is late is said once per group ("其中N项已超过
完成时限"; overdue and the units in force as ``tracking.rules`` says, as of ``today`` and the notice's 年度):
no day counts and no list of units by how much they owe (the policy against rankings and 留痕).
``build_report`` sets it: [版头] title, 主送机关, body, [附件说明], 署名 and 成文日期 (clause 7.3.5.2, no seal),
[the 落实情况汇总表 as landscape 附件 pages], [版记 at the bottom of the last page]. The 署名 and the date keep
with the last lines of the body (they never stand alone on a page). Body paragraphs starting "一、" are set in
黑体 and "（一）" in 楷体 when they are headings (short, no full stop inside); the rest in 3号仿宋, indented two
characters.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desktop.documents import layout
from desktop.documents.model import (
    Doc,
    Imprint,
    Masthead,
    NewSection,
    Para,
    Tree,
    clean,
    cn_date,
    core_subject,
    doc_title,
    report_title,
    subject,
)
from desktop.domain import NoticeInfo, Status, TaskRow

_CN_NUM = "一二三四五六七八九十"
LIST_AT_MOST = 4  # tasks named one by one in a sentence; the rest are counted ("等N项")
KEEP_PARAGRAPH_LINES = 3  # a paragraph before "特此报告。" this short moves with it and the 署名


@dataclass
class ReportInfo:
    """What the report says. ``build_report`` drafts anything left None (``draft_report`` fills all).

    ``header`` (版头, 发文机关标志) is printed in red with ``doc_number`` (发文字号) and the red rule only when
    given. ``attachment``: append the 落实情况汇总表 as 附件 (landscape pages, with the 附件说明 line).
    ``cc``, ``printed_by``, ``printed_on``: the 版记 (抄送, 印发机关, 印发日期), printed when any is given.
    """

    title: str | None = None
    recipients: str | None = None  # 主送机关
    body: list[str] | None = None
    signer: str | None = None  # 署名: the reporting organ (left out when empty)
    date: dt.date | None = None  # 成文日期
    header: str | None = None  # 版头: 发文机关标志
    doc_number: str | None = None  # 版头: 发文字号
    attachment: bool = False  # 附件: the 落实情况汇总表
    cc: str | None = None  # 版记: 抄送
    printed_by: str | None = None  # 版记: 印发机关
    printed_on: dt.date | None = None  # 版记: 印发日期


# ---- drafting ------------------------------------------------------------------------------------


def _cn(n: int) -> str:
    """1 → 一 … 99 → 九十九 (heading numbers)."""
    if n <= 10:
        return _CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return (_CN_NUM[tens - 1] if tens > 1 else "") + "十" + (_CN_NUM[ones - 1] if ones else "")


_TOPIC_LEAD = re.compile(r"^(?:围绕|聚焦|针对|紧扣)")
_CONTEXT_LEAD = re.compile(r"^(?:按照|根据|依据|结合|对照|为)")
NAME_MAX = 30


def _short(clause: str) -> str | None:
    """A clause cut to about ``NAME_MAX`` characters at a "、" (+ "等"), never inside 《》; None if it
    cannot be cut there."""
    if len(clause) <= NAME_MAX:
        return clause
    cut = clause.rfind("、", 0, NAME_MAX - 2)
    if cut < 6:
        return None
    out = clause[:cut] + "等"
    if out.count("《") > out.count("》"):  # do not end inside a title
        end = clause.find("》", len(out))
        out = clause[:end + 1] if 0 <= end < NAME_MAX + 30 else out[:out.rfind("《")].rstrip("，、") or out
    return out


def _name(tree: Tree, r: TaskRow) -> str:
    """A task's short name for a sentence: its title, or (for an item without its own) the first clause of
    its text that says what is done ("围绕X" → "X"; a leading "按照…" clause is skipped)."""
    group = tree.group_of(r)
    title = clean(r.title).rstrip("。；;，,：:")
    if title and (group is None or title != clean(group.title)):
        return _short(title) or title
    text = clean(r.text) or clean(r.title)
    clauses = [c for c in re.split(r"[，。；：,;:\n]", text) if c.strip()]
    if not clauses:
        return text[:NAME_MAX]
    first = clauses[0]
    if _CONTEXT_LEAD.match(first) and len(clauses) > 1:
        first = clauses[1]
    first = _TOPIC_LEAD.sub("", first).strip() or first
    first = re.sub(r"^[0-9０-９]+[.．、]", "", first)
    first = re.sub(r"^于[^，]{2,12}?前", "", first) or first  # 于2023年8月底前对照… → 对照…
    short = _short(first)
    if short is None and group is not None:  # no clean cut: the task's name and the item's number
        short = f"{clean(group.title)}第{tree.kids(group).index(r) + 1}项" if r in tree.kids(group) else None
    return short or first[:NAME_MAX]


def _units(names: list[str]) -> str:
    if len(names) <= 2:
        return "、".join(names)
    return f"{names[0]}、{names[1]}等{len(names)}个单位"


def _deadline(tree: Tree, r: TaskRow) -> str:
    """The task's deadline as the notice wrote it ("时限：持续推进"), else its due date."""
    dl = tree.deadline(r)
    if not dl and r.due_date:
        dl = f"{cn_date(r.due_date)}前"
    return f"时限：{dl}" if dl else ""


def _clause(note: str) -> str:
    """A 落实情况 note as a clause inside a sentence (no closing full stop)."""
    return clean(note).replace("\n", "，").rstrip("。；;，, ")


def _listing(items: list[str], unit_word: str = "项") -> str:
    """"甲、乙、丙" or "甲、乙、丙、丁等7项"."""
    if len(items) <= LIST_AT_MOST:
        return "、".join(items)
    return "、".join(items[:LIST_AT_MOST]) + f"等{len(items)}{unit_word}"


def _open_detail(tree: Tree, r: TaskRow) -> str:
    """"name（units负责，时限：9月底前）" for an open task."""
    bits = []
    owners = tree.answerable(r)
    if owners:
        bits.append(f"{_units(owners)}负责")
    dl = _deadline(tree, r)
    if dl:
        bits.append(dl)
    return _name(tree, r) + (f"（{'，'.join(bits)}）" if bits else "")


def _done_sentences(tree: Tree, done: list[TaskRow], total: int, topic: str) -> str:
    if not done:
        return ""
    lead = (f"围绕“{topic}”，" if topic else "") + (
        f"{total}项任务已全部完成" if len(done) == total else f"已完成{len(done)}项任务")
    noted = [r for r in done if clean(r.progress_note)]
    plain = [r for r in done if not clean(r.progress_note)]
    parts = []
    for r in noted[:LIST_AT_MOST]:
        parts.append(f"在{_name(tree, r)}方面，{_clause(r.progress_note)}")
    if plain or len(noted) > LIST_AT_MOST:
        rest = plain + noted[LIST_AT_MOST:]
        names = [_name(tree, r) for r in rest]
        if parts:
            parts.append(f"{_listing(names)}{'也' if len(rest) > 1 else ''}已按要求完成" if len(rest) <= LIST_AT_MOST
                         else f"另有{_listing(names)}已按要求完成")
        else:
            dated = [r for r in rest if r.done_on]
            when = f"，最近一项于{cn_date(max(r.done_on for r in dated))}完成" if dated and len(rest) > 1 else (
                f"，于{cn_date(dated[0].done_on)}完成" if dated else "")
            parts.append(f"包括{_listing(names)}{when}")
    return lead + ("：" + "；".join(parts) if parts else "") + "。"


def _late_sentence(tree: Tree, rows: list[TaskRow], today: dt.date) -> str:
    """The group's one sentence on lateness: how many are past their deadline (no day counts)."""
    late = sum(tree.is_overdue(r, today) for r in rows)
    if not late:
        return ""
    return "以上任务均已超过完成时限。" if late == len(rows) and late > 1 else f"其中{late}项已超过完成时限。"


def _open_sentences(tree: Tree, rows: list[TaskRow], today: dt.date, lead: str) -> str:
    """What is still open: tasks in progress (with their notes), not started, paused; ``lead`` opens it;
    one sentence on lateness closes it."""
    doing = [r for r in rows if r.status == Status.IN_PROGRESS]
    todo = [r for r in rows if r.status == Status.NOT_STARTED]
    paused = [r for r in rows if r.status == Status.PAUSED]
    out = []
    if doing:
        text = f"正在推进的有{_listing([_open_detail(tree, r) for r in doing])}"
        noted = [r for r in doing if clean(r.progress_note)][:2]
        if len(doing) == 1 and noted:
            text += f"，{_clause(noted[0].progress_note)}"
        elif noted:
            text += "，其中" + "；".join(f"{_name(tree, r)}方面{_clause(r.progress_note)}" for r in noted)
        out.append(text)
    if todo:
        out.append(f"尚未启动的有{_listing([_open_detail(tree, r) for r in todo[:LIST_AT_MOST]])}"
                   + (f"等{len(todo)}项" if len(todo) > LIST_AT_MOST else ""))
    if paused:
        reasons = [f"{_name(tree, r)}（{_clause(r.progress_note)}）" if clean(r.progress_note) else _name(tree, r)
                   for r in paused]
        out.append(f"{_listing(reasons)}暂缓实施")
    return lead + "；".join(out) + "。" + _late_sentence(tree, rows, today) if out else ""


def _blocks(tree: Tree, work: list[TaskRow]) -> list[tuple[TaskRow | None, list[TaskRow]]]:
    """The work rows per top-level section (None: tasks not under any section)."""
    by_top: dict[int | None, list[TaskRow]] = {}
    order: list[int | None] = []
    for r in work:
        above = tree.sections_above(r)
        key = above[0].id if above else None
        if key not in by_top:
            by_top[key] = []
            order.append(key)
        by_top[key].append(r)
    return [(tree.by_id[k] if k is not None else None, by_top[k]) for k in order]


def draft_body(notice: NoticeInfo, rows: list[TaskRow], today: dt.date, unit: str | None = None) -> list[str]:
    """The body: a summary paragraph, per top-level section what was done and what is still open, then the
    problems and next steps, and "特此报告。". ``unit``: only the tasks that unit leads or shares."""
    tree = Tree(rows, notice.year)
    work = tree.work_rows()
    if unit:  # the unit's own tasks; a unit the tasks do not name reports on all of them
        work = [r for r in work if unit in tree.names(r)] or work
    we = unit or "我们"
    count = {s: sum(r.status == s for r in work) for s in Status}
    done, n = count[Status.DONE], len(work)
    late = [r for r in work if tree.is_overdue(r, today)]
    issuer = clean(notice.issuer)
    number = clean(notice.doc_number)
    source = f"{issuer}《{subject(notice)}》" + (f"（{number}）" if number else "")
    intro = f"根据{source}部署，{we}对照任务分解逐项抓好落实。"
    if n == 0:
        status = f"截至{cn_date(today)}，尚无分解到{'本单位' if unit else '具体单位'}的任务。"
    elif done == n:
        status = f"截至{cn_date(today)}，{n}项任务已全部完成。"
    elif count[Status.NOT_STARTED] == n:
        status = f"截至{cn_date(today)}，{n}项任务已分解到位，尚未启动实施。"
    else:
        pieces = [f"已完成{done}项，完成率{round(100 * done / n)}%"] if done else []
        if count[Status.IN_PROGRESS]:
            pieces.append(f"正在推进{count[Status.IN_PROGRESS]}项")
        if count[Status.NOT_STARTED]:
            pieces.append(f"尚未启动{count[Status.NOT_STARTED]}项")
        if count[Status.PAUSED]:
            pieces.append(f"暂缓{count[Status.PAUSED]}项")
        status = f"截至{cn_date(today)}，{n}项任务中" + "，".join(pieces)
        status += f"，其中{len(late)}项已超过完成时限。" if late else "。"
    out = [intro + status + "现将有关情况报告如下。"]

    blocks = _blocks(tree, work)
    k = 0
    for section, items in blocks:
        topic = clean(section.title) or clean(section.text) if section is not None else ""
        if section is not None or len(blocks) == 1:
            k += 1
            out.append(f"{_cn(k)}、{topic or '工作落实情况'}")
        done_rows = [r for r in items if r.status == Status.DONE]
        open_rows = [r for r in items if tree.is_open(r)]
        if done_rows:
            out.append(_done_sentences(tree, done_rows, len(items), topic))
            if open_rows:
                out.append(_open_sentences(tree, open_rows, today, f"还有{len(open_rows)}项尚未完成："))
        elif open_rows:
            about = f"围绕“{topic}”部署的" if topic else ""
            if all(r.status == Status.NOT_STARTED for r in open_rows):
                names = _listing([_open_detail(tree, r) for r in open_rows[:LIST_AT_MOST]])
                more = f"等{len(open_rows)}项" if len(open_rows) > LIST_AT_MOST else ""
                out.append(f"{about}{len(items)}项任务尚未启动，包括{names}{more}。" + _late_sentence(tree, open_rows, today))
            else:
                out.append(_open_sentences(tree, open_rows, today, f"{about}{len(items)}项任务目前均未完成："))

    k += 1
    open_all = [r for r in work if tree.is_open(r)]
    if open_all:
        out.append(f"{_cn(k)}、存在的问题和下一步打算")
        problem = f"目前还有{len(open_all)}项任务未完成"
        if late:
            areas = []
            late_ids = {r.id for r in late}
            for section, items in blocks:
                if section is not None and any(r.id in late_ids for r in items):
                    areas.append(clean(section.title) or clean(section.text))
            problem += f"，其中{len(late)}项已超过完成时限"
            if areas:
                problem += f"，主要集中在{_listing([f'“{a}”' for a in areas], '个方面')}" + (
                    "方面" if len(areas) <= LIST_AT_MOST else "")
        out.append(problem + "。")
        nxt = "下一步，我们将对照任务分解表，逐项明确未完成任务的时间节点和具体措施"
        if late:
            nxt += "，对超过时限的事项逐项跟进、限时办结"
        if not unit and any(tree.answerable(r) for r in open_all):
            nxt += "，加强对相关责任单位的督促指导"
        year = f"{notice.year}年" if notice.year else ""
        out.append(nxt + f"，确保{year}各项任务按期完成。")
    elif work:
        out.append(f"{_cn(k)}、下一步打算")
        out.append(f"下一步，我们将巩固已有成果，把行之有效的做法固化为长效机制，持续抓好{core_subject(notice)}"
                   "各项工作落实。")
    out.append("特此报告。")
    return out


def draft_report(notice: NoticeInfo, rows: list[TaskRow], today: dt.date, unit: str | None = None,
                 office: str | None = None) -> ReportInfo:
    """Every field of the report, drafted for the clerk to edit. ``unit``: the reporting unit (署名, 版头,
    印发机关; the body then covers only its tasks); without it the 署名 is ``office`` (the office's own
    name) and the 版头 and 印发机关 are empty."""
    work = Tree(rows, notice.year).work_rows()
    reporting = clean(unit)
    return ReportInfo(
        title=report_title(notice),
        recipients=clean(notice.issuer),
        body=draft_body(notice, rows, today, unit),
        signer=reporting or clean(office),
        date=today,
        header=reporting,
        doc_number="",
        attachment=bool(work),
        cc="",
        printed_by=reporting,
        printed_on=today if reporting else None,
    )


# ---- building ------------------------------------------------------------------------------------


def build_report(notice: NoticeInfo, rows: list[TaskRow], today: dt.date, info: ReportInfo | None,
                 office: str | None = None) -> Doc:
    """The report as a ``Doc``; the 署名 is ``info.signer``, else ``office`` (none when neither gives one)."""
    info = info or draft_report(notice, rows, today, office=office)
    signer = clean(info.signer or "") or clean(office)
    title = clean(info.title) or report_title(notice)
    blocks: list = []
    if clean(info.header):
        blocks.append(Masthead(clean(info.header), clean(info.doc_number)))
    blocks += [Para(title, "title", layout.SIZE_TITLE, "center"), Para("")]
    recipients = clean(info.recipients if info.recipients is not None else notice.issuer or "")
    if recipients:
        blocks.append(Para(recipients.rstrip("：:") + "：", "fang", layout.SIZE_BODY))
    body = info.body if info.body is not None else draft_body(notice, rows, today)
    paras = [Para(p, layout.heading_role(p), layout.SIZE_BODY, "justify", indent=layout.INDENT_CHARS)
             for p in (clean(p) for p in body) if p]
    # the 署名 and date keep with the last lines of the body: its last paragraph, and the one before when the
    # last is a single line such as "特此报告。" and that one is short (a long one would move whole)
    line = layout.CHARS_PER_LINE
    if paras:
        paras[-1].keep_with_next = True
        if len(paras) > 1 and len(paras[-1].text) <= line - layout.INDENT_CHARS \
                and len(paras[-2].text) <= KEEP_PARAGRAPH_LINES * line - layout.INDENT_CHARS:
            paras[-2].keep_with_next = True
    blocks += paras
    summary = doc_title(notice, "落实情况汇总表")
    if info.attachment:  # 7.3.4: 正文下空一行左空二字; 回行与附件名称首字对齐
        label = "附件："
        blocks += [Para("", keep_with_next=True),
                   Para(label + summary, "fang", layout.SIZE_BODY, "left", indent=-layout.text_em(label),
                        left=layout.INDENT_CHARS + layout.text_em(label), keep_with_next=True)]
    date = cn_date(info.date or today)
    sw, dw = layout.text_em(signer), layout.text_em(date)
    # 7.3.5.2: 署名 右空二字; the date below starts two characters right of the 署名 (longer dates: 右空二字)
    date_right = max(2.0, sw - dw)
    signer_right = max(2.0, date_right + dw + 2 - sw)
    blocks.append(Para("", keep_with_next=True))
    if signer:
        blocks.append(Para(signer, "fang", layout.SIZE_BODY, "right", right=signer_right, keep_with_next=True))
    blocks.append(Para(date, "fang", layout.SIZE_BODY, "right", right=date_right))
    if info.attachment:  # 7.3.7: 另面编排, landscape per clause 8, before the 版记
        from desktop.documents.table_doc import build_progress

        blocks.append(NewSection(landscape=True))
        blocks += build_progress(notice, rows, today, label="附件").blocks
    printed_on = cn_date(info.printed_on) if info.printed_on else ""
    imprint = Imprint(clean(info.cc), clean(info.printed_by), printed_on)
    if imprint.cc or imprint.printed_by or imprint.printed_on:
        if info.attachment:
            blocks.append(NewSection(landscape=False))
        blocks.append(imprint)
    return Doc(title, blocks, landscape=False, author=signer or clean(office))
