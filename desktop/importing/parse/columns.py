"""Column roles of a task table, read jointly from the header's labels and from the cells below them.

Roles: 序号 (``seq``), grouping text (``group``, broader levels: 重点任务, 工作举措…), the body
(``content``, one per table: the most specific text), 牵头 (``lead``), 责任/配合 (``units``),
完成时限 (``deadline``) and columns to leave out (``other``: 备注, 责任人, 完成情况…).

A known header label is one piece of evidence (``role_of``); the cells are another (``cells.kind``
share per column, text length, how many distinct values the column holds). ``assign_roles`` puts
them together under the table's constraints: one body column, the body is the text column with the
most distinct values (the narrowest level; the broader text columns repeat or are merged down),
a units column must hold names of organisations, a deadline column dates. So an unknown label
(民生实事, 重点项目, 具体要求) or a table without a header still gets its roles.
"""
from __future__ import annotations

import re
from collections import Counter

from . import cells as K
from .patterns import TITLE_END

SEQ, GROUP, CONTENT, LEAD, UNITS, DEADLINE, OTHER = "seq", "group", "content", "lead", "units", "deadline", "other"
TITLE, PARTNER = "title", "partner"  # the clerk's 任务名称 (the narrowest group) and 配合单位 (read as units)
ROLES = (SEQ, GROUP, TITLE, CONTENT, LEAD, UNITS, PARTNER, DEADLINE, OTHER)
# the names a clerk uses (parse --columns, the grid view), in the order the grid view offers them
ROLE_NAMES = {"序号": SEQ, "分组": GROUP, "任务名称": TITLE, "具体内容": CONTENT, "牵头单位": LEAD, "责任单位": UNITS,
              "配合单位": PARTNER, "完成时限": DEADLINE, "忽略": OTHER}
NAME_OF = {role: name for name, role in ROLE_NAMES.items()}


def roles_from_names(names: list[str]) -> list[str]:
    """``序号,分组,…`` as the clerk writes them → roles; ValueError naming a word that is not a role."""
    out = []
    for n in names:
        n = n.strip()
        if n not in ROLE_NAMES:
            raise ValueError(n)
        out.append(ROLE_NAMES[n])
    return out

_RULES: list[tuple[str, re.Pattern]] = [
    (OTHER, re.compile(r"领导|责任人|联系人|联系方式|电话|备注|完成情况|进展|落实情况|进度情况|佐证|说明|分值|评分|得分|考核")),
    (SEQ, re.compile(r"^(?:序号|编号|序|No\.?|NO\.?|#)$")),
    (LEAD, re.compile(r"牵头|主办单位|主责单位|主责部门")),
    (UNITS, re.compile(r"(?:责任|负责|配合|协办|协助|参与|落实|实施|承办|主体|配合)(?:单位|部门|科室|股室|处室|主体|机构)|"
                       r"^责任单位|^单位$|^部门$|责任主体|负责科室|责任科室")),
    (DEADLINE, re.compile(r"时限|完成时间|时间节点|完成期限|期限|截止|时间安排|时间要求|进度安排|^时间$")),
    (CONTENT, re.compile(r"具体内容|工作要求|具体措施|工作内容|任务内容|主要内容|具体任务|工作措施|任务要求|具体工作|"
                         r"目标要求|工作目标|推进措施|主要措施|^内容$|^措施$|^要求$|任务措施|工作举措|具体举措|主要举措|重点内容|"
                         r"具体要求")),
    (GROUP, re.compile(r"任务名称|要点任务|工作任务|重点任务|主要任务|^任务$|工作事项|^事项$|^项目$|类别|分类|领域|重点工作|"
                       r"工作要点|目标任务|板块|工作重点|^要点$|任务类别|^名称$|工作项目|^目标$")),
]
_LABEL_SHAPE = re.compile(r"^[\u4e00-\u9fffA-Za-z（）()/、]{1,12}$")


def role_of(label: str) -> str | None:
    """The role a header label names, or None when it is not a label the parser knows."""
    s = re.sub(r"\s+", "", label or "")
    if not s or len(s) > 14:
        return None
    for role, rx in _RULES:
        if rx.search(s):
            return role
    return None


def label_like(cell: str) -> bool:
    """A cell shaped like a header label: a few characters, no numbers, no sentence punctuation, not a
    title (…分解表)."""
    s = re.sub(r"\s+", "", cell or "")
    return bool(_LABEL_SHAPE.match(s)) and K.kind(s) not in (K.SEQ, K.DEADLINE, K.YEAR) and not TITLE_END.search(s)


def is_header(cells: list[str]) -> bool:
    """A header row: every filled cell shaped like a label (a few characters, no number, no sentence
    punctuation, no item numbering), at least two of them, one at least a label the parser knows — the
    others may be named after their topic (改革事项 | 重点项目 | 责任单位). Data rows are not made of labels:
    a task's text, a date or a running number in the row tells it apart."""
    filled = [c for c in cells if c and c.strip()]
    if len(filled) < 2 or not all(label_like(c) for c in filled):
        return False
    found = [r for r in (role_of(c) for c in filled) if r and r != OTHER]
    return bool(found)


def header_roles(header: list[str]) -> list[str | None]:
    """Roles the labels name; a blank cell right of a grouping label continues it (a spanning label)."""
    roles: list[str | None] = []
    for cell in header:
        role = role_of(cell) if cell.strip() else None
        if not cell.strip() and roles and roles[-1] == GROUP:
            role = GROUP
        roles.append(role)
    return roles


class Profile:
    """What a column's cells look like: share of each cell kind, mean length, distinct values."""

    def __init__(self, values: list[str]):
        filled = [v for v in values if v.strip()]
        self.filled = len(filled)
        kinds = Counter(K.kind(v) for v in filled)
        n = max(1, len(filled))
        self.share = {k: kinds[k] / n for k in (K.SEQ, K.DEADLINE, K.YEAR, K.UNITS, K.NONE, K.HEADING, K.TEXT)}
        self.mean_len = sum(len(v) for v in filled) / n
        self.distinct = len(set(filled))

    def looks(self, role: str) -> float:
        """How well the cells fit ``role`` (0..1)."""
        s = self.share
        if not self.filled:
            return 0.5
        if role == SEQ:
            return s[K.SEQ]
        if role in (UNITS, LEAD):
            return s[K.UNITS] + s[K.NONE]
        if role == DEADLINE:
            return s[K.DEADLINE] + s[K.YEAR] + s[K.NONE] * 0.5
        if role in (GROUP, CONTENT):
            return s[K.TEXT] + s[K.HEADING]
        return 0.5


def assign_roles(header: list[str] | None, rows: list[list[str]]) -> list[str]:
    """One role per column (module docstring). ``header`` may be None (a table without one)."""
    width = max([len(r) for r in rows] + [len(header or [])] + [0])
    labels = (header or []) + [""] * (width - len(header or []))
    named = header_roles(labels)
    profiles = [Profile([r[c] if c < len(r) else "" for r in rows]) for c in range(width)]
    roles: list[str] = []
    for c in range(width):
        p, label = profiles[c], named[c]
        if p.filled == 0:
            roles.append(label if label in (LEAD, UNITS, DEADLINE, OTHER) else OTHER)
            continue
        best = max((SEQ, UNITS, DEADLINE), key=p.looks)
        if label == OTHER or label and not _contradicted(label, p, best):
            roles.append(label)
        elif p.looks(best) >= 0.6:
            roles.append(LEAD if best == UNITS and label == LEAD else best)
        elif p.looks(CONTENT) >= 0.5:
            roles.append(GROUP)  # text; the body is chosen below
        else:
            roles.append(label or OTHER)
    texts = [c for c, r in enumerate(roles) if r in (GROUP, CONTENT)]
    if texts:
        body = _body_column(texts, profiles, named)
        for c in texts:
            roles[c] = CONTENT if c == body else GROUP if c < body else OTHER
    return roles


def _contradicted(label: str, p: Profile, best: str) -> bool:
    """The cells plainly say the label is wrong: sentences under 单位/时限, dates or names under 内容."""
    if label in (SEQ, UNITS, LEAD, DEADLINE):
        return p.looks(label) < 0.2 and p.looks(CONTENT) >= 0.7 and p.mean_len > 20
    if label in (GROUP, CONTENT):
        return p.looks(best) >= (0.8 if best == SEQ else 0.7)
    return False


def _body_column(texts: list[int], profiles: list[Profile], named: list[str | None]) -> int:
    """The body: the text column with the most distinct values, the rightmost among equals; a column
    labelled as content wins a tie against one labelled as a group."""
    def key(c: int) -> tuple:
        p = profiles[c]
        return (p.distinct, named[c] == CONTENT, p.mean_len > 8, c)

    return max(texts, key=key)
