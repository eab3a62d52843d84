"""Text clean-up before parsing: widths, pinyin glosses, 繁→简, web-page chrome, wrapped lines.

Each function takes and returns plain strings, so the readers' blocks can be cleaned cell by cell.
The original text is kept by the caller; only the parsed output uses the cleaned text.
"""
from __future__ import annotations

import re

from desktop.plaintext import BIDI_CONTROLS

# full-width ASCII letters and digits → half-width; keep Chinese punctuation as printed
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_WIDTH.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)})
_WIDTH.update(dict.fromkeys(BIDI_CONTROLS))
_WIDTH[ord("\r")] = None

# "區(qū)": a CJK character followed by a tone-marked pinyin gloss, as left by mirror sites
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])[(（]([a-z{_TONED}]{{1,7}})[)）]")
_HAS_TONE = re.compile(f"[{_TONED}]")

_CJK = re.compile(r"[\u3400-\u9fff]")


def fold_width(text: str) -> str:
    """Full-width letters, digits and spaces to half-width; drop zero-width and bidi controls and CR."""
    return text.translate(_WIDTH)


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin glosses such as ``區(qū)`` → ``區``; return the text and how many were removed."""
    count = 0

    def repl(m: re.Match) -> str:
        nonlocal count
        if _HAS_TONE.search(m.group(1)):
            count += 1
            return ""
        return m.group(0)

    if "(" not in text and "（" not in text:
        return text, 0
    return _PINYIN.sub(repl, text), count


def zhconv_module():
    """zhconv with its dictionary loaded through a closed file (its own loader leaks the handle)."""
    import os

    import zhconv
    from zhconv import zhconv as impl

    if impl.zhcdicts is None:
        impl.loaddict(os.path.join(os.path.dirname(impl.__file__), "zhcdict.json"))
    return zhconv


# frequent characters that exist only in traditional writing: no hit, no need to load zhconv
_TRAD_HINT = re.compile("[們為這與區會發開關對說時國經實務應點機構業辦書條員現電動東長門問間見設認議財產當進後從來總還種將過"
                        "讓體級號單眾統網頁檔據聯處屬齊於們備權擊個禮貫責質資轉專興舉導環規劃覽領頒審報縣鄉鎮廳衛製]")


def looks_traditional(text: str) -> bool:
    """True when a sample of the text changes noticeably under 繁→简 conversion."""
    if len(_TRAD_HINT.findall(text[:6000])) < 3:
        return False
    sample = "".join(_CJK.findall(text[:6000]))[:2000]
    if len(sample) < 20:
        return False
    simplified = zhconv_module().convert(sample, "zh-cn")
    changed = sum(a != b for a, b in zip(sample, simplified, strict=False))
    return changed >= 3 and changed / len(sample) >= 0.03


def to_simplified(text: str) -> str:
    """Fold traditional characters to simplified (zhconv, zh-cn)."""
    if not text or not _CJK.search(text):
        return text
    return zhconv_module().convert(text, "zh-cn")


# Lines that belong to a government web page's frame, not to the notice.
_CHROME_EXACT = re.compile(
    r"^[【\[\s]*(?:打印|打印本页|打印此页|打印文章|关闭|关闭窗口|关闭本页|返回|返回顶部|返回首页|收藏|加入收藏|分享|分享到|"
    r"字号|字体|大|中|小|默认|繁体|简体|繁體|无障碍|无障碍浏览|长者模式|退出长者模式|长者浏览模式|适老化|关怀版|登录|注册|"
    r"首页|网站首页|网站地图|联系我们|上一篇|下一篇|扫一扫|微信|微博|政务微博|政务微信|手机版|English|纠错|我要纠错|"
    r"相关链接|相关文件|相关阅读|相关信息|保存|查看原文|下载|"
    r"分享至|TOP|top|Top)[】\]\s:：]*$"
)
_CHROME_START = re.compile(
    r"^[【\[\s]*(?:欢迎访问|欢迎来到|欢迎光临|当前位置|您现在的位置|您的位置|你的位置|现在位置|所在位置|位置[:：]|责任编辑|编辑[:：]|"
    r"校对[:：]|审核[:：]|来源[:：]|信息来源|文章来源|稿件来源|发布时间|发布日期|更新时间|浏览次数|阅读次数|访问次数|点击数|"
    r"点击量|浏览量|阅读量|访问量|版权所有|Copyright|copyright|©|主办单位[:：]|承办单位[:：]|主办[:：]|承办[:：]|技术支持|"
    r"网站标识码|扫一扫|用手机扫|手机扫码|微信扫|分享到|字号[:：]|字体[:：]|【字体|【字号|\[字体|\[字号|打印本页|"
    r"关闭窗口|上一篇|下一篇|相关链接|政策解读[:：]|相关解读[:：]|解读[:：]|附件下载|网站地图|联系我们|"
    r"(?:\S*ICP备)|(?:\S*公网安备))"
)
_CHROME_ANY = re.compile(r"字号[:：]?\s*\[?\s*大\s*\]?\s*\[?\s*中\s*\]?\s*\[?\s*小|【\s*打印\s*】|【\s*关闭\s*】|ICP备\d")


def is_chrome(line: str) -> bool:
    """True for a web-page frame line (欢迎访问…, 字号 大 中 小, 打印, 关闭窗口, 责任编辑…). Words that also
    name a task (政策解读, 图解, 视频: a table's cell on a line of its own) are not frame lines by themselves."""
    s = line.strip()
    if not s or len(s) > 80:
        return False
    if _CHROME_EXACT.match(s):
        return True
    if len(s) <= 60 and _CHROME_START.match(s):
        return True
    return bool(_CHROME_ANY.search(s))


_JOIN_AFTER = re.compile(r"[，、（(“《\-—]$")


def join_pieces(a: str, b: str) -> str:
    """Join two pieces of one phrase broken over lines: no space between CJK, one between words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def reflow(lines: list[str], starts_item) -> list[str]:
    """Join lines broken mid-phrase.

    A line ending with a comma or an opening bracket always continues.  When most long lines
    share one width (hard-wrapped text, PDF extraction), a line of that width continues too,
    unless the next line opens a numbered item (``starts_item``).
    """
    widths = [len(s) for s in lines if len(s) >= 12]
    wrap = 0
    if len(widths) >= 8:
        top = max(widths)
        near = sum(1 for w in widths if w >= top - 3)
        if near >= 0.5 * len(widths):
            wrap = top - 3
    out: list[str] = []
    carry = False
    for line in lines:
        if carry and out and line and not starts_item(line):
            out[-1] = join_pieces(out[-1], line)
        else:
            out.append(line)
        last = out[-1]
        carry = bool(last) and (bool(_JOIN_AFTER.search(last)) or (wrap > 0 and len(line) >= wrap
                                                                     and not last.endswith(("。", "：", ":"))))
    return out


class ScriptMap:
    """Gives back the traditional characters a notice was printed in, for text the parser produced
    from its simplified folding (``parse --json`` reports text as printed; the ledger shows simplified).

    Built from the folded and the printed text of every paragraph and cell. zhconv's zh-cn folding
    keeps lengths, so a string found in the folded text maps to the printed characters at the same
    place; anything else is mapped character by character.
    """

    def __init__(self, folded: list[str], printed: list[str], sep: str = "\n") -> None:
        self.folded = sep.join(folded)
        self.printed = sep.join(printed)
        self.aligned = len(self.folded) == len(self.printed)
        counts: dict[str, dict[str, int]] = {}
        for f, p in zip(folded, printed, strict=True):
            if len(f) != len(p):
                continue
            for a, b in zip(f, p, strict=True):
                if a != b:
                    counts.setdefault(a, {}).setdefault(b, 0)
                    counts[a][b] += 1
        self.chars = {a: max(seen, key=seen.get) for a, seen in counts.items()}

    def restore(self, text: str | None) -> str | None:
        if not text:
            return text
        if self.aligned:
            i = self.folded.find(text)
            if i >= 0:
                return self.printed[i:i + len(text)]
        return "".join(self.chars.get(ch, ch) for ch in text)
