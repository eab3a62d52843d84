"""What a notice is called in the documents about it: its subject, and the titles built from it.

关于印发《X》的通知 → X; the issuing organ in front dropped; a trailing 任务分解表/台账 left off where the
other documents report on the notice (core subject); an import's placeholder title is no title. Plain Python:
the documents' builders, the annual report's draft, the export dialog and the hand-out workbooks all ask here.
"""
from __future__ import annotations

import re

from desktop.domain import NoticeInfo
from desktop.plaintext import clean

_ISSUE_VERB = "(?:印发|转发|下发|颁发|公布)"
_DOC_END = re.compile(r"的?(?:通知|通告|函)$")
_QUOTED = re.compile(r"《([^《》]+)》")
_TABLE_END = ("任务分解表", "分解表", "台账", "清单")
_CORE_END = re.compile(r"(?:任务分解表|分解表|任务台账|工作台账)$")


def _without_issuer(title: str, issuer: str | None = None) -> str:
    """The title without the issuing organ(s) in front: "X县人民政府办公室关于…" → "关于…"."""
    t = title
    if issuer and t.startswith(issuer) and len(t) > len(issuer):
        t = t[len(issuer):].lstrip(" 、，")
    m = re.search(f"关于|{_ISSUE_VERB}", t)
    if m and m.start() and "《" not in t[:m.start()] and m.start() <= 40:
        t = t[m.start():]  # joint issuers, or an issuer spelt differently from ``issuer``
    return t


# What older imports stored when no title was read (desktop.intake): never a title to print.
PLACEHOLDER_TITLES = frozenset({"（无标题通知）", "（无标题）", "无标题通知", "无标题", "(无标题通知)", "(无标题)"})


def has_title(notice: NoticeInfo) -> bool:
    """Whether the notice has a title to print (not empty, not an import's placeholder)."""
    t = clean(notice.title)
    return bool(t) and t not in PLACEHOLDER_TITLES


def subject_of(title: str | None, issuer: str | None = None) -> str:
    """What a notice is about, for document titles.

    关于印发《X》的通知 → X; 关于印发X的通知 / 印发X的通知 → X (the issuer in front is dropped);
    关于做好X的通知 → 做好X; a plain title (泰州市2018年政务公开工作要点) stays as it is.
    """
    full = clean(title)
    if not full:
        return "通知"
    t = _without_issuer(full, clean(issuer) or None)
    m = re.match(f"(?:关于)?{_ISSUE_VERB}(.*)$", t)
    if m:
        rest = m.group(1)
        quoted = _QUOTED.findall(rest)
        if quoted:
            return "、".join(clean(q) for q in quoted)
        rest = _DOC_END.sub("", rest).strip()
        return rest or full
    if t.startswith("关于") and _DOC_END.search(t):
        return _DOC_END.sub("", t[2:]).strip() or full
    quoted = _QUOTED.fullmatch(t)
    return quoted.group(1) if quoted else t


def subject(notice: NoticeInfo) -> str:
    return subject_of(notice.title, notice.issuer)


def core_subject(notice: NoticeInfo) -> str:
    """The subject without a trailing 任务分解表/台账: what the other documents report on."""
    s = subject(notice)
    core = _CORE_END.sub("", s)
    return core if len(core) >= 2 else s


def table_title(notice: NoticeInfo) -> str:
    """任务分解表 title: the subject + 任务分解表, unless the subject already is such a table."""
    s = subject(notice)
    return s if s.endswith(_TABLE_END) else f"{s}任务分解表"


def report_title(notice: NoticeInfo) -> str:
    core = core_subject(notice)
    return f"关于《{core}》落实情况的报告" if core.startswith("关于") else f"关于{core}落实情况的报告"


def doc_title(notice: NoticeInfo, what: str) -> str:
    """The title of a document about the notice: 落实情况汇总表, 未完成事项清单, 任务清单 …"""
    if what == "任务分解表":
        return table_title(notice)
    return f"{core_subject(notice)}{what}"
