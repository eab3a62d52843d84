"""Deadlines (完成时限): recognise them, keep them as printed, and work out their kind and due date.

Kinds: ``date`` (9月底前, 2023年6月底前, 年底前, 上半年, 30个工作日内), ``year_round`` (全年),
``long_term`` (长期坚持, 持续推进: no due date), ``recurring`` (每季度, 每月, 每年至少1次) and
``none``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from .patterns import cn_to_int

_M = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_Y = r"(?:((?:19|20)\d{2})\s*年\s*)?"
_BEFORE = r"(?:前|之前|以前|底前)?"

_FULL_DATE = re.compile(_Y + _M + r"\s*月\s*(\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]" + _BEFORE)
_MONTH = re.compile(_Y + _M + r"\s*月\s*(底|末|份|中旬|上旬|下旬|中下旬|上中旬)?" + _BEFORE)
_YEAR_END = re.compile(r"(?:((?:19|20)\d{2})\s*年\s*|今年|本年|年)(?:底|末|内|终)")
_HALF = re.compile(_Y + r"(上|下)半年")
_QUARTER = re.compile(_Y + r"第?([一二三四1234])\s*季度")
_WITHIN = re.compile(r"(\d{1,3}|[一二三四五六七八九十]{1,3})\s*个?\s*(工作日|日|天|周|个月)\s*(?:内|之内|以内)")
_YEAR_ROUND = re.compile(r"全年|贯穿全年|年度内|全年度")
_LONG_TERM = re.compile(r"长期|持续|常态化|常年|及时|即时|随时|实时|动态|经常性")
_RECURRING = re.compile(r"每(?:年|季度?|月|半年|周|旬|日|天)|按(?:年|季度?|月|半年|周)|逐月|定期|季度末|半年一次|一季一")

# anything that can stand as a printed deadline
DEADLINE_SEARCH = re.compile(
    r"(?:(?:19|20)\d{2}\s*年\s*)?(?:"
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*(?:前|之前|以前)?|"
    r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*(?:底|末|份|中旬|上旬|下旬)?\s*(?:前|之前|以前)|"
    r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*(?:底|末|中旬|上旬|下旬)|"
    r"(?:今年|本年|年)?(?:底|末)\s*(?:前|之前|以前)?|年内|"
    r"[上下]半年|第?[一二三四1-4]\s*季度(?:末|底)?(?:前)?)|"
    r"\d{1,3}\s*个?\s*(?:工作日|日|天|个月)\s*(?:内|之内|以内)|"
    r"全年(?:推进|持续推进|完成)?|长期坚持|长期推进|长期|持续推进|持续开展|常态化(?:推进|开展)?|"
    r"每(?:年|季度?|月|半年|周)(?:至少)?(?:\d+|[一二三四五六七八九十]+)?次?"
)
_FILLER = re.compile(r"完成时限|时限|完成|截止|[：:，,、；;及和至到~～—\-\s（）()]|前|底|末|以内|之内|内")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年度?$")
_RECURRING_WORD = re.compile(r"按(?:年|季度?|月|半年|周)(?:报送|更新)?|定期")


def is_deadline_cell(text: str) -> bool:
    """True when a short table cell is a 完成时限: 全年, 9月底前, 2023年 (then 6月底前), 长期坚持…"""
    s = re.sub(r"\s+", "", text)
    if not s or len(s) > 30 or "。" in s:
        return False
    if _YEAR_ONLY.match(s):
        return True
    rest = _RECURRING_WORD.sub("", DEADLINE_SEARCH.sub("", s))
    return rest != s and len(_FILLER.sub("", rest)) <= 4


def clean(text: str | None) -> str | None:
    """A printed deadline with line breaks and surrounding blanks removed."""
    if not text:
        return None
    s = re.sub(r"\s*\n\s*", "", text).strip(" \t，,。；;")
    return s or None


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(raw: str) -> int:
    m = cn_to_int(raw)
    return m if 1 <= m <= 12 else 0


def _add_working_days(start: dt.date, n: int) -> dt.date:
    d = start
    while n > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _next_period_end(kind: str, ref: dt.date) -> dt.date:
    if kind == "month":
        return _last_day(ref.year, ref.month)
    if kind == "quarter":
        return _last_day(ref.year, ((ref.month - 1) // 3 + 1) * 3)
    if kind == "half":
        return dt.date(ref.year, 6, 30) if ref.month <= 6 else dt.date(ref.year, 12, 31)
    return dt.date(ref.year, 12, 31)


def _period_due(word: str, ref: dt.date | None) -> dt.date | None:
    if ref is None or any(w in word for w in ("周", "旬", "日", "天")):
        return None
    period = "month" if "月" in word else "quarter" if "季" in word else "half" if "半年" in word else "year"
    return _next_period_end(period, ref)


def _explicit_date(s: str, year: int | None, notice_date: dt.date | None) -> tuple[bool, dt.date | None]:
    """(found, due) for a deadline naming a day, month, half year, quarter or a span of days."""
    def yr(raw: str | None) -> int | None:
        return int(raw) if raw else year

    if m := re.fullmatch(r"((?:19|20)\d{2})年度?(?:内|底前?)?", s):
        return True, dt.date(int(m.group(1)), 12, 31)
    if m := _FULL_DATE.search(s):
        y, mo, d = yr(m.group(1)), _month(m.group(2)), cn_to_int(m.group(3))
        if y and mo and 1 <= d <= calendar.monthrange(y, mo)[1]:
            return True, dt.date(y, mo, d)
        return True, None
    if m := _MONTH.search(s):
        y, mo, part = yr(m.group(1)), _month(m.group(2)), m.group(3) or ""
        if not mo:
            return False, None
        if not y:
            return True, None
        day = 10 if part.startswith("上") else 20 if part == "中旬" else calendar.monthrange(y, mo)[1]
        return True, dt.date(y, mo, day)
    if m := _YEAR_END.search(s):
        y = yr(m.group(1))
        return True, dt.date(y, 12, 31) if y else None
    if m := _HALF.search(s):
        y = yr(m.group(1))
        return True, (dt.date(y, 6, 30) if m.group(2) == "上" else dt.date(y, 12, 31)) if y else None
    if m := _QUARTER.search(s):
        y, q = yr(m.group(1)), cn_to_int(m.group(2))
        return True, _last_day(y, q * 3) if y and 1 <= q <= 4 else None
    if m := _WITHIN.search(s):
        n, unit = cn_to_int(m.group(1)), m.group(2)
        if not notice_date:
            return True, None
        if unit == "工作日":
            return True, _add_working_days(notice_date, n)
        days = {"日": 1, "天": 1, "周": 7}.get(unit)
        if days:
            return True, notice_date + dt.timedelta(days=n * days)
        month = notice_date.month - 1 + n
        y, mo = notice_date.year + month // 12, month % 12 + 1
        return True, dt.date(y, mo, min(notice_date.day, calendar.monthrange(y, mo)[1]))
    return False, None


def interpret(deadline: str | None, year: int | None = None,
              notice_date: dt.date | None = None) -> tuple[str, dt.date | None, bool]:
    """(kind, due date, understood) for a printed deadline."""
    s = re.sub(r"\s+", "", deadline or "")
    if not s:
        return "none", None, True
    ref = notice_date or (dt.date(year, 1, 1) if year else None)
    recurring = _RECURRING.search(s)
    if recurring and recurring.start() == 0:
        return "recurring", _period_due(recurring.group(0), ref), True
    found, due = _explicit_date(s, year, notice_date)
    if found:
        return "date", due, True
    if recurring:
        return "recurring", _period_due(recurring.group(0), ref), True
    if _YEAR_ROUND.search(s):
        return "year_round", dt.date(year, 12, 31) if year else None, True
    if _LONG_TERM.search(s):
        return "long_term", None, True
    return "none", None, False


def find_deadline(text: str) -> str | None:
    """The first deadline phrase printed inside ``text`` (an attribution or a labelled line)."""
    m = DEADLINE_SEARCH.search(text)
    return clean(m.group(0)) if m else None
