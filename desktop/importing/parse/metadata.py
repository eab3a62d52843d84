"""Notice metadata: 标题, 文号, 发文机关, 成文日期, 年度, 主送机关 and 附件 names.

The signing date is the date line printed under the issuer (not a web page's publication date);
文号 is read in any bracket style and written with 〔〕; where no "关于…的通知" title is printed,
the printed 要点/方案 title is used.  Also tells the structure parser where the body starts and
which lines are metadata rather than text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..model import NoticeMeta
from .layout import Para
from .patterns import cn_to_int, match_enum
from .units import UNIT_SUFFIX

DOCNO = re.compile(r"([\u4e00-\u9fa5]{1,16})\s*[〔\[【(（［{〈]\s*((?:19|20)\d{2})\s*[〕\]】)）］}〉]\s*(\d{1,5})\s*号")
_YEAR_CN = "[〇○零一二三四五六七八九0-9]"
DATE_LINE = re.compile(
    rf"^[（(]?\s*((?:19|20)\d{{2}}|{_YEAR_CN}{{4}})\s*年\s*(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月\s*"
    rf"(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日\s*[）)]?$")
_DOCTYPE = re.compile(r"(?:通知|意见|方案|要点|安排|决定|办法|通报|报告|计划|规划|规定|细则|批复|公告|通告|函|纪要|"
                      r"分解表|清单|制度|规则|请示|复函|公报|指引|指南|措施|任务|台账)$")
_PLAIN_TITLE = re.compile(r"(?:要点|安排|方案|计划|意见|分解表|清单|细则|办法|措施|任务|台账|分工|规划)"
                          r"(?:[（(][^（）()]{2,16}[)）])?$")
_LABELLED = re.compile(r"^\s*(发文字号|文号|成文日期|发文日期|发文机关|发文机构|发布机构|标题|名称)\s*[:：]\s*(.+)$")
# a policy library's metadata list: "1. [主题分类] 综合政务" / "【发文机构】北京市…" (any label in brackets)
_LISTED = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]\s*)?[\[【]\s*([\u4e00-\u9fff]{2,8})\s*[\]】]\s*(.*)$")
_META_LABELS = ("发文字号", "文号", "成文日期", "发文日期", "发文机关", "发文机构", "发布机构", "标题", "名称", "索引号",
                "主题分类", "发布日期", "实施日期", "废止日期", "有效性", "文件来源", "联合发文单位")
_FILE_NAME = re.compile(r"^(.{2,80}?)\.(?:docx?|wps|pdf|ofd|xlsx?|et|txt|html?)$", re.I)
_ATTACH = re.compile(r"^\s*附\s*件\s*(\d{0,2}|[一二三四五六七八九十]{0,2})\s*[:：]\s*(.*)$")
_ATTACH_SEP = re.compile(r"^\s*附\s*件\s*(\d{0,2}|[一二三四五六七八九十]{0,2})\s*[:：]?\s*$")
_AFTER_DATE = re.compile(r"^[（(][^（）()]{2,12}[)）]$")  # (此件公开发布)
_END_MARKS = re.compile(r"^\s*(?:抄送|抄报|印发|联系人|联系电话|政策解读|相关解读)|印发\s*$")


@dataclass
class Meta(NoticeMeta):
    """The notice's metadata and where its body starts among the paragraphs (what to skip there)."""

    title: str | None = None  # filled in as it is found
    body_start: int = 0
    skip: set[int] = field(default_factory=set)
    title_found: bool = False


def parse_date(text: str) -> dt.date | None:
    m = DATE_LINE.match(text.strip())
    if not m:
        m = re.search(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", text)
        if not m:
            return None
    y_raw = m.group(1)
    y = int(y_raw) if y_raw.isdigit() else int("".join(str(cn_to_int(c)) for c in y_raw))
    try:
        return dt.date(y, cn_to_int(m.group(2)), cn_to_int(m.group(3)))
    except ValueError:
        return None


def normalise_docno(m: re.Match) -> str:
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"


def _issuer_like(s: str) -> bool:
    s = s.strip()
    return 3 <= len(s) <= 40 and not re.search(r"[。，,；;：:！？、“”《》\d]", s) and bool(UNIT_SUFFIX.search(s))


def _plain(s: str) -> bool:
    """Short line without sentence punctuation (a title or heading line)."""
    return 0 < len(s) <= 60 and not re.search(r"[。，,；;：:！？]", s)


def _find_signature(texts: list[str]) -> tuple[int, int] | None:
    for j, t in enumerate(texts):
        if DATE_LINE.match(t.strip()) and not t.strip().endswith("印发"):
            i = j - 1
            if i >= 0 and _issuer_like(texts[i]):
                return i, j
    return None


def _find_title(texts: list[str], limit: int) -> tuple[int, int] | None:
    for k in range(min(limit, len(texts))):
        t = texts[k].strip()
        if "关于" not in t or not _plain(t) and not t.endswith(("通知", "意见")):
            continue
        for m in range(k, min(k + 4, len(texts))):
            if not _plain(texts[m].strip()) and m > k:
                break
            if _DOCTYPE.search(texts[m].strip()):
                while m + 1 < len(texts) and _plain(texts[m + 1]) and len(texts[m + 1]) <= 30 \
                        and texts[m + 1].endswith(("通知", "意见", "函", "通报", "决定", "批复")):
                    m += 1
                start = k - 1 if k > 0 and t.startswith("关于") and _issuer_like(texts[k - 1]) else k
                return start, m
    return None


def extract(paras: list[Para], tables: list) -> Meta:
    texts = [p.text.strip() for p in paras]
    meta = Meta()
    labelled: dict[str, str] = {}
    for i, t in enumerate(texts[:60]):
        if m := _LABELLED.match(t):
            labelled.setdefault(m.group(1), m.group(2).strip())
        elif m := _LISTED.match(t):
            meta.skip.add(i)
            if m.group(2).strip():
                labelled.setdefault(m.group(1), m.group(2).strip())
    for tp in tables:
        for row in tp.table.rows[:12]:
            for a, b in zip(row, row[1:], strict=False):
                key = re.sub(r"\s|[:：]", "", a)
                if key in _META_LABELS and b.strip():
                    labelled.setdefault(key, b.strip())

    sig = _find_signature(texts)
    limit = sig[0] if sig else min(len(texts), 25)
    title_at = _find_title(texts, limit + 1 if sig else limit)
    if title_at:
        a, b = title_at
        meta.title = "".join(texts[a:b + 1])
        meta.title_found = True
        meta.skip.update(range(a, b + 1))
    head_end = title_at[1] + 3 if title_at else limit
    for i, t in enumerate(texts[:max(head_end, 1) + 1]):
        m = DOCNO.search(t)
        if m and len(t) <= 60 and not re.search(r"[。，,]", t):
            meta.doc_number = normalise_docno(m)
            meta.skip.add(i)
            break
    if meta.doc_number is None and (v := labelled.get("发文字号") or labelled.get("文号")):
        m = DOCNO.search(v)
        meta.doc_number = normalise_docno(m) if m else v if re.search(r"\d", v) else None
    # recipients: the first line ending with a colon before the signature
    first = title_at[1] + 1 if title_at else 0
    for i in range(first, min(first + 6, limit if sig else len(texts))):
        t = texts[i]
        if t.endswith((":", "：")) and "。" not in t and len(t) <= 200 and not _LABELLED.match(t) \
                and not _ATTACH.match(t) and (t.startswith(("各", "有关")) or re.search(r"[、，,]", t)
                                              or _issuer_like(t.rstrip(":："))):  # one unit: 区中医院：
            meta.recipients = t.rstrip(":：").strip()
            meta.skip.add(i)
            break
    if sig:
        meta.issuer = texts[sig[0]]
        meta.date = parse_date(texts[sig[1]])
        meta.skip.update(sig)
        after = sig[1] + 1
        while after < len(texts) and _AFTER_DATE.match(texts[after]):
            meta.skip.add(after)
            after += 1
        has_items_after = any(match_enum(t) for t in texts[after:])
        meta.body_start = after if has_items_after else (title_at[1] + 1 if title_at else 0)
    else:
        meta.body_start = title_at[1] + 1 if title_at else 0
    if meta.issuer is None:
        v = labelled.get("发文机关") or labelled.get("发文机构") or labelled.get("发布机构")
        if v:
            meta.issuer = v
        elif meta.title and "关于" in meta.title:
            head = meta.title.split("关于")[0].strip()
            meta.issuer = head if _issuer_like(head) else None
    if meta.date is None and (v := labelled.get("成文日期") or labelled.get("发文日期")):
        meta.date = parse_date(v)
    if not meta.title and (v := labelled.get("标题")) and _plain(v):
        meta.title = v
    if not meta.title:
        meta.title = _plain_title(texts, meta)
    _attachments(texts, meta)
    meta.year = _year(meta)
    return meta


def _plain_title(texts: list[str], meta: Meta) -> str | None:
    """Where no 关于…的通知 is printed: the printed 要点/方案 title, else None. A line that only repeats
    the name of a file printed on the page ("X.docx" on a document-sharing site) is the page's label
    of the file, not the document's own title line."""
    files = {m.group(1).strip() for t in texts[:80] if (m := _FILE_NAME.match(t.strip()))}
    for i, t in enumerate(texts[:80]):
        if t in files:
            meta.skip.add(i)
            continue
        if _plain(t) and len(t) >= 6 and _PLAIN_TITLE.search(t) and not match_enum(t) and i not in meta.skip:
            meta.skip.add(i)
            return t
    return None


def _attachments(texts: list[str], meta: Meta) -> None:
    i = 0
    while i < len(texts):
        t = texts[i]
        m = _ATTACH.match(t)
        if m and len(t) <= 120 and "。" not in t.rstrip("。"):
            meta.skip.add(i)
            name = re.sub(r"^\s*\d{1,2}\s*[.．、]\s*", "", m.group(2)).strip(" 。")
            if name:
                meta.attachments.append(name)
            j = i + 1
            while j < len(texts) and re.match(r"^\s*\d{1,2}\s*[.．、]\s*\S", texts[j]) and len(texts[j]) <= 80 \
                    and "。" not in texts[j].rstrip("。") and (name or j == i + 1 or meta.attachments):
                meta.attachments.append(re.sub(r"^\s*\d{1,2}\s*[.．、]\s*", "", texts[j]).strip(" 。"))
                meta.skip.add(j)
                j += 1
            i = j
            continue
        if _ATTACH_SEP.match(t) or _END_MARKS.match(t) or t.endswith("印发") and DATE_LINE.match(t[:-2].strip()):
            meta.skip.add(i)
        i += 1


def _year(meta: Meta) -> int | None:
    for s in (meta.title or "",):
        # a plan for a span of years (2016-2020年) is the first year's
        if m := re.search(r"((?:19|20)\d{2})\s*年?\s*[-—–~～至到]\s*(?:19|20)\d{2}\s*年", s):
            return int(m.group(1))
        if m := re.search(r"((?:19|20)\d{2})\s*年", s):
            return int(m.group(1))
    if meta.date:
        return meta.date.year
    if meta.doc_number and (m := re.search(r"〔((?:19|20)\d{2})〕", meta.doc_number)):
        return int(m.group(1))
    return None
