"""Plain-text notices: decode the bytes confidently (BOM, UTF-8, UTF-16, GB18030/GBK, Big5) or refuse.

charset-normalizer proposes an encoding and explicit strict trial decodes check it; a decode is
accepted only when the result reads like Chinese (most characters among the common ones of
GB2312 or Big5).  Nothing is ever guessed silently: if no decode is convincing, the clerk is told.
"""
from __future__ import annotations

import codecs
import re
from collections import Counter

from ..errors import NoticeReadError
from ..model import SourceDocument

UNDECODABLE = ("无法读取文件：无法确定该文本文件的编码（不是 UTF-8、GBK/GB18030 或 UTF-16），可能已损坏。"
               "请在记事本或 WPS 中打开，另存为“UTF-8”编码的 .txt 后再导入。")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _common_ratio(text: str) -> float:
    """Share of CJK characters that are common ones (GB2312 level 1 or Big5 frequent): ~1.0 for real text."""
    chars = _CJK.findall(text[:20000])[:3000]
    if not chars:
        return 1.0
    good = 0
    for ch, n in Counter(chars).items():
        ok = False
        try:
            b = ch.encode("gb2312")
            ok = 0xB0 <= b[0] <= 0xD7
        except UnicodeEncodeError:
            pass
        if not ok:
            try:
                b = ch.encode("big5")
                ok = 0xA4 <= b[0] <= 0xC6
            except UnicodeEncodeError:
                pass
        if ok:
            good += n
    return good / len(chars)


def plausible(text: str) -> bool:
    """Decoded text that reads like a document: few control characters and common Chinese characters."""
    if not text.strip():
        return False
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 1000):
        return False
    return _common_ratio(sample) >= 0.85


# The commonest characters of running Chinese text (simplified and traditional forms): about a third
# of any real notice. Korean or Japanese bytes decoded as GB18030/Big5 also give common characters,
# but as a jumble in which these are rare.
_FREQUENT = set("的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
                "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实"
                "這個們來為國時說會對後裡現當沒動開從實關於與發經過將進應並業務則")


def _reads_like_chinese(text: str) -> bool:
    chars = _CJK.findall(text[:20000])
    if len(chars) < 50:
        return True
    return sum(ch in _FREQUENT for ch in chars) >= 0.08 * len(chars)


def _utf16_guess(data: bytes) -> str | None:
    even, odd = data[0:4000:2], data[1:4000:2]
    if len(data) >= 4 and len(data) % 2 == 0:
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
        # Chinese UTF-16 has few zero bytes: check that it decodes into common characters
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                t = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _CJK.search(t[:200]) and plausible(t) and "\n" in t[:4000]:
                return enc
    return None


def decode_bytes(data: bytes) -> str:
    """Bytes of a text file → str, or NoticeReadError when the encoding cannot be told confidently."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise NoticeReadError(UNDECODABLE) from None
            if plausible(text):
                return text
            raise NoticeReadError(UNDECODABLE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if text.isascii() and "~{" in text:  # HZ: 7-bit GB2312 of old e-mail, ASCII to every other test
            try:
                hz = data.decode("hz")
            except UnicodeDecodeError:
                hz = ""
            if _CJK.search(hz) and plausible(hz):
                return hz
        if plausible(text):
            return text
        raise NoticeReadError(UNDECODABLE)
    enc16 = _utf16_guess(data)
    if enc16:
        return data.decode(enc16)
    candidates = ["gb18030", "big5"]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
        if best is not None and best.encoding not in candidates:
            # a Chinese or Unicode guess is tried first; any other only after the Chinese trial decodes
            trusted = best.encoding.startswith(("gb", "big5", "utf", "hz"))
            candidates.insert(0 if trusted else len(candidates), best.encoding)
    except Exception:  # detection is only a hint; the trial decodes below decide
        pass
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if plausible(text) and _CJK.search(text) and _reads_like_chinese(text):
            return text
    raise NoticeReadError(UNDECODABLE)


def text_to_blocks(text: str) -> list[str]:
    """One paragraph block per line; blank lines kept as "" (flattened tables use them as row breaks)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_text_bytes(data: bytes) -> SourceDocument:
    return SourceDocument(text_to_blocks(decode_bytes(data)), kind="txt")
