"""Plain data shared by every layer: notices, tasks, units, statuses and deadline kinds.

No Qt and no SQLAlchemy here: storage returns these objects, the UI shows them, the parser and
the document writers take and give them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

# A task's section is the path of headings above it, kept as one string: "一、总体要求 > （一）目标".
# Only these two helpers join and split it.
SECTION_SEPARATOR = " > "


def section_text(headings: Iterable[str]) -> str | None:
    """The headings above a task, outermost first, as one section string; None for none."""
    return SECTION_SEPARATOR.join(headings) or None


def section_path(section: str | None) -> list[str]:
    """The headings of a section string, outermost first ([] for none)."""
    return section.split(SECTION_SEPARATOR) if section else []


class Status(StrEnum):
    """状态 of a task, stored and shown by its Chinese name."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
    PAUSED = "暂缓"
    NOT_APPLICABLE = "不适用"

    @classmethod
    def parse(cls, text: str) -> Status:
        for s in cls:
            if text in (s.value, s.name, s.name.lower()):
                return s
        raise ValueError(f"未知的状态：{text}（可选：{'、'.join(s.value for s in cls)}）")


class DeadlineKind(StrEnum):
    """How a printed 完成时限 was understood."""

    DATE = "date"  # 9月底前, 2023年6月底前, 30个工作日内
    YEAR_ROUND = "year_round"  # 全年: falls due at year end
    LONG_TERM = "long_term"  # 长期坚持, 持续推进: never overdue
    RECURRING = "recurring"  # 每季度, 每年至少1次
    NONE = "none"


class UnitCategory(StrEnum):
    """单位库 categories."""

    COUNTY_DEPT = "县级部门"
    TOWNSHIP = "乡镇街道"
    INTERNAL = "内设机构"
    VILLAGE = "村社区"
    OTHER = "其他"


class UnitRole(StrEnum):
    """How a unit is attached to a task."""

    LEAD = "lead"  # 牵头单位
    RESPONSIBLE = "responsible"  # 责任单位


# Fields of a task a clerk edits directly (name → Chinese label). Storage, the UI and the change
# log use these names; the order is the order of the detail panel.
TASK_TEXT_FIELDS: dict[str, str] = {
    "title": "任务名称",
    "text": "具体内容",
    "owner": "责任人",
    "deadline_text": "完成时限",
    "progress_note": "落实情况",
    "remark": "备注",
}
TASK_FIELDS: dict[str, str] = {
    **TASK_TEXT_FIELDS,
    "due_date": "截止日期",
    "deadline_kind": "时限类型",
    "status": "状态",
    "done_on": "完成日期",
}


@dataclass
class NoticeInfo:
    """A stored notice (通知), without its tasks."""

    id: int
    title: str
    doc_number: str | None = None  # 文号
    issuer: str | None = None  # 发文机关
    date: dt.date | None = None  # 成文日期
    year: int | None = None  # 年度
    recipients: str | None = None  # 主送
    source_name: str | None = None  # original file name
    task_count: int = 0
    version: int = 1  # schema v4: +1 on every change of the notice's own fields (update_notice)


@dataclass
class TaskRow:
    """One node of a notice's task tree, as the table shows it.

    ``depth`` is 1 for top-level nodes; ``number`` is the official-style 序号 derived from the
    node's place in the tree (never typed).
    """

    id: int
    notice_id: int
    parent_id: int | None
    position: int
    depth: int = 1
    number: str = ""
    title: str = ""
    text: str = ""
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    owner: str = ""
    deadline_text: str = ""
    due_date: dt.date | None = None
    deadline_kind: DeadlineKind = DeadlineKind.NONE
    status: Status = Status.NOT_STARTED
    done_on: dt.date | None = None
    progress_note: str = ""
    remark: str = ""
    source_start: int | None = None
    source_end: int | None = None
    child_count: int = 0
    # Completion tracking (schema v3). ``due_date`` is the deadline in force; after a revision
    # (``revised_at`` set) ``original_due_date`` keeps the one from before the first revision and
    # ``deadline_text`` stays as printed. ``progress_on`` is the date of the latest progress-log entry
    # (``progress_note`` is its text).
    original_due_date: dt.date | None = None
    revision_reason: str = ""
    revised_at: dt.datetime | None = None
    progress_on: dt.date | None = None
    # schema v4: +1 on every change of the row's content (fields, units, progress log, split/merge;
    # not on moves). Pass it back as ``expected_version`` so a stale edit raises ConflictError.
    version: int = 1


@dataclass
class UnitInfo:
    """An entry of the 单位库 (unit directory)."""

    id: int
    name: str  # 全称
    short_name: str = ""  # 简称
    aliases: list[str] = field(default_factory=list)
    category: UnitCategory = UnitCategory.OTHER
    order: int = 0
    collective: bool = False  # 各乡镇人民政府, 县级各部门 …


@dataclass
class ChangeEntry:
    """One line of the change log."""

    when: dt.datetime
    notice_id: int | None
    task_id: int | None
    what: str  # field name or action (add, delete, move, split, merge, units:lead …)
    old: str | None
    new: str | None


@dataclass
class ProgressEntry:
    """One dated line of a task's 落实情况 log."""

    id: int
    task_id: int
    date: dt.date  # the day the progress happened (as the clerk says)
    text: str
    who: str = ""  # 填报人 / 单位
    created: dt.datetime | None = None  # when it was typed


@dataclass
class EvidenceInfo:
    """A 佐证材料 file attached to a task (the bytes live in the data folder, see Ledger.evidence_path)."""

    id: int
    task_id: int
    name: str  # display name, sanitised from the original file name
    sha256: str
    size: int
    added: dt.datetime | None = None
