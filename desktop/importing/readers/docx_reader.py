"""Word .docx notices: body paragraphs and real tables, in reading order.

Merged cells: a horizontally spanned cell gives its text to its first grid column and leaves
the others empty; a vMerge continuation cell is empty (the parser carries the value down).
Text boxes, headers, footers and deleted text are ignored.  Numbering produced by Word
automatic lists is kept: the label is rendered from numbering.xml (decimal, chineseCounting,
ideographDigital, enclosed circles, letters, roman).
"""
from __future__ import annotations

import io

from ...numbering import chinese_numeral
from ..errors import NoticeReadError
from ..model import SourceDocument, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_Q = f"{{{W}}}"
_TEXT_XPATH = (".//w:t[not(ancestor::w:txbxContent)] | .//w:tab[not(ancestor::w:txbxContent) and ancestor::w:r]"
               " | .//w:br[not(ancestor::w:txbxContent)] | .//w:cr[not(ancestor::w:txbxContent)]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_IDEO = "〇一二三四五六七八九"


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                 (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in a Word numFmt."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified",
               "koreanCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_numeral(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_IDEO[int(d)] for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "decimalEnclosedFullstop"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).lower() if fmt == "lowerRoman" else _roman(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Word list numbering: counters per abstract list, labels from lvlText."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str | None, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is not None:
            for absn in root.findall(f"{_Q}abstractNum"):
                lv = {}
                for lvl in absn.findall(f"{_Q}lvl"):
                    fmt = lvl.find(f"{_Q}numFmt")
                    text = lvl.find(f"{_Q}lvlText")
                    start = lvl.find(f"{_Q}start")
                    lv[int(lvl.get(f"{_Q}ilvl", "0"))] = (
                        fmt.get(f"{_Q}val", "decimal") if fmt is not None else "decimal",
                        text.get(f"{_Q}val", "") if text is not None else "",
                        int(start.get(f"{_Q}val", "1")) if start is not None else 1)
                self.levels[absn.get(f"{_Q}abstractNumId")] = lv
            for num in root.findall(f"{_Q}num"):
                ref = num.find(f"{_Q}abstractNumId")
                overrides = {}
                for ov in num.findall(f"{_Q}lvlOverride"):
                    st = ov.find(f"{_Q}startOverride")
                    if st is not None:
                        overrides[int(ov.get(f"{_Q}ilvl", "0"))] = int(st.get(f"{_Q}val", "1"))
                if ref is not None:
                    self.nums[num.get(f"{_Q}numId")] = (ref.get(f"{_Q}val"), overrides)
        try:
            for style in document.styles.element.findall(f"{_Q}style"):
                numpr = style.find(f"{_Q}pPr/{_Q}numPr")
                if numpr is not None:
                    nid = numpr.find(f"{_Q}numId")
                    ilvl = numpr.find(f"{_Q}ilvl")
                    self.style_num[style.get(f"{_Q}styleId")] = (
                        nid.get(f"{_Q}val") if nid is not None else None,
                        int(ilvl.get(f"{_Q}val", "0")) if ilvl is not None else 0)
        except (AttributeError, KeyError, NotImplementedError):
            pass

    def label(self, p) -> str:
        ppr = p.find(f"{_Q}pPr")
        if ppr is None:
            return ""
        numpr = ppr.find(f"{_Q}numPr")
        num_id, ilvl = None, 0
        style = ppr.find(f"{_Q}pStyle")
        if style is not None and style.get(f"{_Q}val") in self.style_num:
            num_id, ilvl = self.style_num[style.get(f"{_Q}val")]
        if numpr is not None:
            nid, lvl = numpr.find(f"{_Q}numId"), numpr.find(f"{_Q}ilvl")
            if nid is not None:
                num_id = nid.get(f"{_Q}val")
            if lvl is not None:
                ilvl = int(lvl.get(f"{_Q}val", "0"))
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abs_id, overrides = self.nums[num_id]
        levels = self.levels.get(abs_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abs_id, [0] * 10)
        start = overrides.get(ilvl, levels[ilvl][2])
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""
        for k in range(9, -1, -1):
            if f"%{k + 1}" in text:
                kfmt = levels.get(k, ("decimal", "", 1))[0]
                value = counters[k] or levels.get(k, ("", "", 1))[2]
                text = text.replace(f"%{k + 1}", format_number(value, kfmt if k != ilvl else fmt))
        return text


_XPATH_CACHE: list = []


def _text_nodes():
    if not _XPATH_CACHE:
        from lxml import etree

        _XPATH_CACHE.append(etree.XPath(_TEXT_XPATH, namespaces=NS))
    return _XPATH_CACHE[0]


def _para_text(p, numbering: _Numbering) -> str:
    parts = []
    for el in _text_nodes()(p):
        tag = el.tag
        if tag == f"{_Q}t":
            parts.append(el.text or "")
        elif tag == f"{_Q}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return numbering.label(p) + "".join(parts)


def _cell_text(tc, numbering: _Numbering) -> str:
    lines = []
    for el in tc.iter(f"{_Q}p"):
        lines.append(_para_text(el, numbering))
    return "\n".join(lines).strip()


def _children(el, tags: tuple[str, ...]):
    """Direct children with the given tags, looking through content controls and custom XML."""
    for child in el:
        tag = child.tag
        if tag in tags:
            yield child
        elif tag in (f"{_Q}sdt", f"{_Q}sdtContent", f"{_Q}customXml", f"{_Q}smartTag"):
            yield from _children(child, tags)


def _table(tbl, numbering: _Numbering) -> Table:
    rows = []
    for tr in _children(tbl, (f"{_Q}tr",)):
        row: list[str] = []
        before = tr.find(f"{_Q}trPr/{_Q}gridBefore")
        if before is not None:
            row += [""] * int(before.get(f"{_Q}val", "0"))
        for tc in _children(tr, (f"{_Q}tc",)):
            span_el = tc.find(f"{_Q}tcPr/{_Q}gridSpan")
            span = int(span_el.get(f"{_Q}val", "1")) if span_el is not None else 1
            vm = tc.find(f"{_Q}tcPr/{_Q}vMerge")
            continuation = vm is not None and vm.get(f"{_Q}val", "continue") != "restart"
            row.append("" if continuation else _cell_text(tc, numbering))
            row += [""] * (span - 1)
        rows.append(row)
    return Table(rows)


def read_docx(data: bytes) -> SourceDocument:
    """Paragraphs and tables of the document body, in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise NoticeReadError("无法读取文件：该文件不是有效的 .docx（可能已损坏）。请在 WPS/Word 中打开后另存为 .docx 再导入。") from exc
    numbering = _Numbering(document)
    blocks: list = []
    for el in _children(document.element.body, (f"{_Q}p", f"{_Q}tbl")):
        if el.tag == f"{_Q}tbl":
            blocks.append(_table(el, numbering))
        else:
            blocks.extend(_para_text(el, numbering).split("\n"))
    return SourceDocument(blocks, kind="docx")
