"""Decomposition-table header labels: which column is 序号, 任务名称, 具体内容, 牵头/责任单位, 完成时限."""
from __future__ import annotations

import re

SEQ, GROUP, CONTENT, LEAD, UNITS, DEADLINE, OTHER = "seq", "group", "content", "lead", "units", "deadline", "other"

_RULES: list[tuple[str, re.Pattern]] = [
    (OTHER, re.compile(r"领导|责任人|联系人|联系方式|电话|备注|完成情况|进展|落实情况|进度情况|佐证|说明|分值|评分|得分|考核")),
    (SEQ, re.compile(r"^(?:序号|编号|序|No\.?|NO\.?|#)$")),
    (LEAD, re.compile(r"牵头|主办单位|主责单位|主责部门")),
    (UNITS, re.compile(r"(?:责任|负责|配合|协办|协助|参与|落实|实施|承办|主体|配合)(?:单位|部门|科室|股室|处室|主体|机构)|"
                       r"^责任单位|^单位$|^部门$|责任主体")),
    (DEADLINE, re.compile(r"时限|完成时间|时间节点|完成期限|期限|截止|时间安排|时间要求|进度安排|^时间$")),
    (CONTENT, re.compile(r"具体内容|工作要求|具体措施|工作内容|任务内容|主要内容|具体任务|工作措施|任务要求|具体工作|"
                         r"目标要求|工作目标|推进措施|主要措施|^内容$|^措施$|^要求$|任务措施|工作举措|具体举措|主要举措|重点内容")),
    (GROUP, re.compile(r"任务名称|要点任务|工作任务|重点任务|主要任务|^任务$|工作事项|^事项$|^项目$|类别|分类|领域|重点工作|"
                       r"工作要点|目标任务|板块|工作重点|^要点$|任务类别|^名称$|工作项目")),
]


def role_of(label: str) -> str | None:
    """The role of a header cell, or None when it is not a header label."""
    s = re.sub(r"\s+", "", label or "")
    if not s or len(s) > 14:
        return None
    for role, rx in _RULES:
        if rx.search(s):
            return role
    return None


def is_header(cells: list[str]) -> bool:
    """A header row: several labels, among them the task (name or content) and units or deadline."""
    roles = [role_of(c) for c in cells if c and c.strip()]
    labelled = [r for r in roles if r]
    found = set(labelled)
    if len(labelled) < 2 or roles.count(None) > max(1, len(labelled) // 3):
        return False
    return bool(found & {GROUP, CONTENT}) and bool(found & {UNITS, LEAD, DEADLINE})
