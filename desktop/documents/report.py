"""Builder of the portrait 落实情况报告 公文: title, 主送机关, body, 署名 and 成文日期 (clause 7.3, no seal).

The body is the caller's paragraphs (``ReportInfo.body``), or a summary drafted from the task statuses for
the clerk to edit. Paragraphs starting "一、" are set in 黑体 and "（一）" in 楷体 when they are headings
(short, no full stop inside); the rest in 3号仿宋, indented two characters.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desktop.documents import layout
from desktop.documents.model import Doc, Para, Tree, clean, cn_date, days_overdue, subject
from desktop.domain import NoticeInfo, Status, TaskRow

_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass
class ReportInfo:
    """What the clerk gives the report; anything left None is drafted from the notice and its tasks."""

    title: str | None = None
    recipients: str | None = None  # 主送机关
    body: list[str] | None = None
    signer: str | None = None  # 署名: the reporting organ (left out when not given)
    date: dt.date | None = None  # 成文日期


def draft_body(notice: NoticeInfo, rows: list[TaskRow], today: dt.date) -> list[str]:
    """A factual first draft: totals by status, the overdue items, and a closing line."""
    tree = Tree(rows)
    work = tree.work_rows()
    count = {s: sum(r.status == s for r in work) for s in Status}
    late = [r for r in work if days_overdue(r, today) > 0]
    out = [f"按照{clean(notice.issuer) or '上级'}《{subject(notice)}》要求，现将有关落实情况报告如下。",
           "一、总体进展",
           f"截至{cn_date(today)}，{len(work)}项任务中，已完成{count[Status.DONE]}项，推进中"
           f"{count[Status.IN_PROGRESS]}项，未开始{count[Status.NOT_STARTED]}项，暂缓{count[Status.PAUSED]}项，"
           f"逾期未完成{len(late)}项。"]
    if late:
        out.append("二、逾期事项")
        items = [f"{i}.{clean((tree.group_of(r) or r).title) or clean(r.text)[:20]}"
                 f"（{'、'.join(tree.lead(r)) or '未明确单位'}，逾期{days_overdue(r, today)}天）"
                 for i, r in enumerate(late, 1)]
        out.append("；".join(items) + "。")
    out += [f"{'三' if late else '二'}、下一步工作", "针对未完成事项，将督促责任单位加快推进，确保按期完成。",
            "特此报告。"]
    return out


def _role(p: str) -> str:
    heading = len(p) <= 30 and "。" not in p[:-1]
    if heading and _LEVEL1.match(p):
        return "hei"
    if heading and _LEVEL2.match(p):
        return "kai"
    return "fang"


def build_report(notice: NoticeInfo, rows: list[TaskRow], today: dt.date, info: ReportInfo | None) -> Doc:
    info = info or ReportInfo()
    title = clean(info.title) or f"关于{subject(notice)}落实情况的报告"
    blocks = [Para(title, "title", layout.SIZE_TITLE, "center"), Para("")]
    recipients = clean(info.recipients or notice.issuer or "")
    if recipients:
        blocks.append(Para(recipients.rstrip("：:") + "：", "fang", layout.SIZE_BODY))
    for p in info.body or draft_body(notice, rows, today):
        blocks.append(Para(clean(p), _role(clean(p)), layout.SIZE_BODY, "justify", indent=layout.INDENT_CHARS))
    signer, date = clean(info.signer or ""), cn_date(info.date or today)
    sw, dw = layout.text_em(signer), layout.text_em(date)
    # 7.3.5.2: 署名 右空二字; the date below starts two characters right of the 署名 (longer dates: 右空二字)
    date_right = max(2.0, sw - dw)
    signer_right = max(2.0, date_right + dw + 2 - sw)
    blocks.append(Para(""))
    if signer:
        blocks.append(Para(signer, "fang", layout.SIZE_BODY, "right", right=signer_right))
    blocks.append(Para(date, "fang", layout.SIZE_BODY, "right", right=date_right))
    return Doc(title, blocks, landscape=False)
