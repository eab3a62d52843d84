"""Official-style 序号 (一、 / （一） / 1. / （1） / ①) derived from a node's place in the tree."""
from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (enough for any notice)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _DIGITS[rest]
    elif rest < 20:
        tail = "一" + chinese_numeral(rest)
    else:
        tail = chinese_numeral(rest)
    return chinese_numeral(hundreds) + "百" + tail


def number_for(depth: int, index: int) -> str:
    """The 序号 of the ``index``-th (1-based) child at ``depth`` (1 = top level)."""
    if depth <= 1:
        return f"{chinese_numeral(index)}、"
    if depth == 2:
        return f"（{chinese_numeral(index)}）"
    if depth == 3:
        return f"{index}."
    if depth == 4:
        return f"（{index}）"
    return _CIRCLED[index - 1] if index <= len(_CIRCLED) else f"{index})"
