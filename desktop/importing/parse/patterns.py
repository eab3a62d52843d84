"""Shared patterns of official documents: item numbering (一、 (一) 1. (1) ①) and Chinese numerals."""
from __future__ import annotations

import re
from typing import NamedTuple

CN_DIGITS = "零〇○一二三四五六七八九"
_CN_VALUE = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_NUM = "[一二三四五六七八九十百零〇]+"

_ENUMS: list[tuple[str, re.Pattern]] = [
    ("pcn", re.compile(rf"^\s*[（(]\s*({CN_NUM})\s*[）)]\s*[、.．,，]?\s*")),
    ("pnum", re.compile(r"^\s*[（(]\s*(\d{1,3})\s*[）)]\s*[、.．,，]?\s*")),
    ("cn", re.compile(rf"^\s*({CN_NUM})\s*[、.．]\s*")),
    ("num", re.compile(r"^\s*(\d{1,3})\s*(?:[、]|[.．](?!\d))\s*")),
    ("numr", re.compile(r"^\s*(\d{1,2})\s*[）)]\s*")),
    ("circ", re.compile(r"^\s*([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
# 一是 / 二是 / 第一，… (running text, not a level of its own)
INLINE_ORDINAL = re.compile(rf"^\s*(?:(?:{CN_NUM})是|第{CN_NUM}[，,、：:]|其{CN_NUM}[，,、：:])")


class Enum(NamedTuple):
    style: str  # cn (一、) pcn ((一)) num (1.) pnum ((1)) numr (1)) circ (①)
    label: str  # as printed, e.g. "(一)" or "1."
    value: int
    end: int  # index where the item text starts


def cn_to_int(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digits pass through."""
    if s.isdigit():
        return int(s)
    total, current, prev_digit = 0, 0, False
    for ch in s:
        if ch in _CN_VALUE:
            current = current * 10 + _CN_VALUE[ch] if prev_digit else _CN_VALUE[ch]
            prev_digit = True
            continue
        prev_digit = False
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def match_enum(text: str) -> Enum | None:
    """The numbering that opens ``text``, if any."""
    if not text:
        return None
    head = text.lstrip()[:1]
    if not head or not (head in "（(①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳" or head.isdigit() or head in "一二三四五六七八九十"):
        return None
    for style, rx in _ENUMS:
        m = rx.match(text)
        if m:
            raw = m.group(1)
            value = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(raw) + 1 if style == "circ" else cn_to_int(raw)
            if style == "num" and text[m.end():m.end() + 1] in ("年", "月", "日", "%", "万", "亿"):
                return None
            return Enum(style, text[:m.end()].strip(), value, m.end())
    return None


def strip_enum(text: str) -> str:
    """Text without its opening numbering and surrounding blanks."""
    e = match_enum(text)
    return (text[e.end:] if e else text).strip()


# a line that reads as a document's or table's title (…任务分解表, …实施方案), not as a header label or a cell
TITLE_END = re.compile(r"(?:分解表|任务表|一览表|清单|台账|方案|要点|安排|计划|通知|意见|决定|通报)\s*$")

SENTENCE_END = "。！？!?"
CLAUSE = re.compile(r"[，,。；;\n]")


def first_clause(text: str) -> str:
    """Text up to the first ，,。；; (the title of a split span or a table row)."""
    text = text.strip()
    m = CLAUSE.search(text)
    return (text[:m.start()] if m else text).strip()
