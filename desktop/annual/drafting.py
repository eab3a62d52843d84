"""Drafting help: text for sections 一 and 六 from the ledger's notices of the year, and a new year's report
started from last year's.

Plain data in, text out. ``items`` are ``(NoticeInfo, [TaskRow])`` pairs (what ``Ledger.notices()`` and
``Ledger.tasks(id)`` return); only notices whose ``year`` is the report's year count. A task is a leaf of a
notice's tree (a row nothing else hangs under): the 具体任务 a clerk tracks. The sentences name tasks by
their titles, quote their latest 落实情况 note, count done/open work and change with the data (all done,
none done, nothing in the ledger …). Where the ledger cannot know the facts the draft leaves a 【请补充…】
that the checks keep listing until the clerk replaces it.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.annual.labels import SIX_PARTS, SUBSECTIONS_ONE
from desktop.annual.model import AnnualReport, default_intro
from desktop.domain import NoticeInfo, Status, TaskRow
from desktop.tracking.status import OPEN

LIST_AT_MOST = 3  # task names spelt out in one sentence; the rest are counted ("等N项")
NOTES_AT_MOST = 2  # progress notes quoted per subsection

Item = tuple[NoticeInfo, list[TaskRow]]
_EPOCH = dt.date(1900, 1, 1)

# 一's subsections, with the words that send a task there (checked in this order; the rest is 主动公开)
_TOPICS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("依申请",)),
    (3, ("网站", "平台", "政务新媒体", "专栏", "公开栏", "新媒体", "信息公开目录系统")),
    (2, ("目录", "清理", "规范性文件", "保密审查", "指南", "档案", "归集")),
    (4, ("培训", "考核", "监督", "评议", "责任追究", "督查", "督导", "队伍", "工作机制", "保障")),
)
_PLACEHOLDERS_ONE = (
    "【请补充：本年度主动公开的主要做法和成效，如发布政策文件、政策解读、重点领域信息的情况。】",
    "【请补充：本年度收到和办理依申请公开的总体情况（数字见第三部分），以及答复质量、规范办理的做法。】",
    "【请补充：政府信息管理情况，如公开目录和指南的更新、规范性文件清理、公开前保密审查。】",
    "【请补充：政府信息公开平台建设情况，如政府网站信息公开专栏、政务新媒体、公开栏的建设和维护。】",
    "【请补充：监督保障情况，如工作考核、社会评议和责任追究结果（《条例》第五十条第四项）、业务培训。】",
)


@dataclass
class Counts:
    """What was decomposed and how far it got."""

    notices: int = 0
    tasks: int = 0
    by_status: dict[Status, int] = field(default_factory=dict)

    def n(self, status: Status) -> int:
        return self.by_status.get(status, 0)

    @property
    def done(self) -> int:
        return self.n(Status.DONE)

    @property
    def open(self) -> int:
        return sum(n for status, n in self.by_status.items() if status in OPEN)  # tracking.status.OPEN


def leaves(rows: list[TaskRow]) -> list[TaskRow]:
    """The rows nothing hangs under (the 具体任务), in table order."""
    parents = {r.parent_id for r in rows}
    return [r for r in rows if r.id not in parents]


def of_year(items: Iterable[Item], year: int) -> list[Item]:
    return [(n, rows) for n, rows in items if n.year == year]


def counts(items: list[Item]) -> Counts:
    c = Counts(notices=len(items))
    for _n, rows in items:
        for r in leaves(rows):
            c.tasks += 1
            c.by_status[r.status] = c.by_status.get(r.status, 0) + 1
    return c


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").strip()


def task_name(r: TaskRow) -> str:
    """A task's short name: its title, else the first clause of its text (at most 30 characters)."""
    title = _clean(r.title).rstrip("。；;，,：:")
    title = re.sub(r"^(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)", "", title)
    if title:
        return title[:30]
    first = re.split(r"[，。；：,;:]", _clean(r.text))[0]
    return first[:30] or "（无标题任务）"


def _note(r: TaskRow) -> str:
    """The first sentence of the latest 落实情况 note, without its closing mark."""
    note = _clean(r.progress_note)
    if not note:
        return ""
    return re.split(r"(?<=[。！？；])", note)[0].rstrip("。！？；;.")


def _listing(names: list[str], total: int | None = None) -> str:
    """“A”、“B”、“C” — or “A”、“B”、“C”等N项 when there are more tasks than names shown."""
    names = list(dict.fromkeys(names))
    total = len(names) if total is None else total
    shown = "、".join(f"“{n}”" for n in names[:LIST_AT_MOST])
    return shown if total <= LIST_AT_MOST and len(names) == total else f"{shown}等{total}项"


def _groups(rows: list[TaskRow]) -> dict[str, list[TaskRow]]:
    """Tasks by name, in table order (the items of one task often share its title)."""
    out: dict[str, list[TaskRow]] = {}
    for r in rows:
        out.setdefault(task_name(r), []).append(r)
    return out


def _latest_note(rows: list[TaskRow]) -> str:
    dated = sorted((r for r in rows if _note(r)), key=lambda r: (r.progress_on or r.done_on or _EPOCH))
    return _note(dated[-1]) if dated else ""


def _notes(groups: dict[str, list[TaskRow]]) -> str:
    """"A方面，note；B方面，note" for up to ``NOTES_AT_MOST`` tasks with distinct notes."""
    seen, parts = set(), []
    for name, rows in groups.items():
        note = _latest_note(rows)
        if note and note not in seen:
            seen.add(note)
            parts.append(f"{name}方面，{note}")
        if len(parts) == NOTES_AT_MOST:
            break
    return "；".join(parts)


def _split(rows: list[TaskRow]) -> tuple[dict, dict, dict]:
    """(done, under way or paused, not started) tasks, each grouped by name; the counts add up."""
    work = [r for r in rows if r.status != Status.NOT_APPLICABLE]
    return (_groups([r for r in work if r.status == Status.DONE]),
            _groups([r for r in work if r.status in (Status.IN_PROGRESS, Status.PAUSED)]),
            _groups([r for r in work if r.status == Status.NOT_STARTED]))


def _size(groups: dict) -> int:
    return sum(len(v) for v in groups.values())


def _title_of(n: NoticeInfo) -> str:
    from desktop.notice_titles import subject

    s = subject(n).strip("《》")
    return f"《{s}》"


def _topic(r: TaskRow) -> int:
    text = f"{r.title}{r.text}"
    for k, words in _TOPICS:
        if any(w in text for w in words):
            return k
    return 0


def _status_sentence(c: Counts) -> str:
    parts = []
    if c.tasks and c.done == c.tasks:
        return f"已全部完成{c.done}项"
    if c.done:
        parts.append(f"已完成{c.done}项（完成率{round(100 * c.done / c.tasks)}%）")
    if c.n(Status.IN_PROGRESS):
        parts.append(f"正在推进{c.n(Status.IN_PROGRESS)}项")
    if c.n(Status.NOT_STARTED):
        parts.append(f"尚未启动{c.n(Status.NOT_STARTED)}项")
    if c.n(Status.PAUSED):
        parts.append(f"暂缓{c.n(Status.PAUSED)}项")
    if c.n(Status.NOT_APPLICABLE):
        parts.append(f"另有{c.n(Status.NOT_APPLICABLE)}项不适用于本机关")
    return "，".join(parts) if parts else "尚无进展记录"


def _topic_paragraph(tasks: list[TaskRow]) -> str:
    done, moving, idle = _split(tasks)
    out = []
    if done:
        out.append(f"完成了{_listing(list(done), _size(done))}工作。")
        notes = _notes(done)
        if notes:
            out.append(f"其中，{notes}。")
    if moving:
        notes = _notes(moving)
        out.append(f"{'同时，' if done else ''}{_listing(list(moving), _size(moving))}正在推进"
                   + (f"，其中{notes}。" if notes else "。"))
    if idle:
        out.append(f"{_listing(list(idle), _size(idle))}尚未启动，需加快推进。")
    return "".join(out)


def draft_section_one(items: Iterable[Item], year: int, organ: str = "") -> str:
    """Section 一 总体情况: an opening sentence on the year's notices, then （一）–（五） with the tasks that fit
    each (placeholders where the ledger has nothing)."""
    mine = of_year(items, year)
    c = counts(mine)
    who = organ.strip() or "本机关"
    lines = []
    if not mine:
        lines.append(f"{year}年，{who}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"
                     f"【台账中没有{year}年度的通知，请补充本年度工作概况。】")
    else:
        titles = [_title_of(n) for n, _r in mine]
        shown = "".join(titles[:LIST_AT_MOST]) + (f"等{len(titles)}份文件" if len(titles) > LIST_AT_MOST else "")
        opening = (f"{year}年，{who}认真贯彻落实《中华人民共和国政府信息公开条例》，对照{shown}部署，"
                   f"将{'各项' if c.notices > 1 else ''}工作要点逐项分解为{c.tasks}项具体任务，明确责任单位和完成时限，"
                   f"全年{_status_sentence(c)}。")
        lines.append(opening)
    groups: dict[int, list[TaskRow]] = {k: [] for k in range(5)}
    for _n, rows in mine:
        for r in leaves(rows):
            if r.status != Status.NOT_APPLICABLE:
                groups[_topic(r)].append(r)
    for k, heading in enumerate(SUBSECTIONS_ONE):
        lines.append(heading)
        text = _topic_paragraph(groups[k])
        lines.append(text if text else _PLACEHOLDERS_ONE[k])
    return "\n".join(lines)


def draft_key_points(items: Iterable[Item], year: int, organ: str = "") -> str:
    """The body of 六's 「年度政务公开工作要点落实情况」: one paragraph per notice of the year."""
    mine = of_year(items, year)
    who = organ.strip() or "本机关"
    if not mine:
        return f"【台账中没有{year}年度的通知，请据实填写本年度政务公开工作要点的落实情况。】"
    paras = []
    for n, rows in mine:
        c = counts([(n, rows)])
        number = f"（{n.doc_number.strip()}）" if n.doc_number and n.doc_number.strip() else ""
        done, moving, idle = _split(leaves(rows))
        s = f"对照{_title_of(n)}{number}，{who}将其分解为{c.tasks}项任务，{_status_sentence(c)}。"
        if done and (moving or idle):
            s += f"已完成的有{_listing(list(done), _size(done))}。"
        elif done:
            notes = _notes(done)
            if notes:
                s += f"其中，{notes}。"
        if moving or idle:
            rest = {**moving, **idle}
            notes = _notes(moving)
            s += f"尚未完成的有{_listing(list(rest), _size(rest))}"
            s += (f"，目前{notes}" if notes else "") + "，将继续推进。"
        paras.append(s)
    return "\n".join(paras)


_PART_HEAD = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def draft_section_six(items: Iterable[Item], year: int, existing: str = "", organ: str = "") -> str:
    """Section 六 with its 「年度政务公开工作要点落实情况」 part drafted from the ledger: put in place of that
    part when ``existing`` has one (the other parts kept as they are), appended otherwise; an empty
    section gets all four usual parts, the others as placeholders."""
    body = draft_key_points(items, year, organ)
    heading = SIX_PARTS[2]
    lines = existing.split("\n") if existing.strip() else []
    if not lines:
        return "\n".join([
            SIX_PARTS[0], "【请核实：本年度是否依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费；"
                          "未收取的写“本年度未收取信息处理费”。】",
            SIX_PARTS[1], "【请补充：本年度承办人大代表建议和政协委员提案的件数及办理结果公开情况；没有承办的如实说明。】",
            heading, body,
            SIX_PARTS[3], "【请补充：本年度政务公开工作的创新做法；没有的可删去本段。】"])
    start = next((i for i, ln in enumerate(lines) if "工作要点落实情况" in ln and len(ln) <= 40), None)
    if start is None:
        return "\n".join(lines + [heading, body])
    end = next((i for i in range(start + 1, len(lines)) if _PART_HEAD.match(lines[i].strip())), len(lines))
    return "\n".join(lines[:start + 1] + [body] + lines[end:])


def from_last_year(last: AnnualReport, year: int) -> AnnualReport:
    """A new year's report from last year's: organ and text kept (the checks will point at text left
    unchanged), every number cleared, the statistics period moved to ``year``."""
    new = AnnualReport.empty(year, last.organ)
    if last.intro.strip():
        new.intro = last.intro.replace(f"{last.year}年", f"{year}年")
    else:
        new.intro = default_intro(year)
    new.texts = dict(last.texts)
    return new
