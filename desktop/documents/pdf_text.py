"""PDF text: embedded TrueType fonts per role with per-character fallback, and Chinese line breaking.

reportlab has no glyph fallback (a missing glyph prints as .notdef) and its CJK wrapping only keeps a few
closing marks off a line start (doc §4.2). The PDF writer therefore measures and breaks lines itself:
``FontSet.runs`` splits a string into runs of one font each (first font of the role's chain that has the
glyph, checked in ``charToGlyph``), and ``FontSet.wrap`` breaks text so that no line starts with a closing
mark (，。、；：？！）》” …) and no line ends with an opening one (（《“ …), moving characters to the next line
(as LibreOffice does, which hangs no mark), and counts LibreOffice's autospace between Chinese and Latin.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.documents import fonts

# Kept off a line start / end: LibreOffice's lists for zh-CN (i18npool's zh_CN ForbiddenCharacters), so that
# the .docx breaks where the PDF does. A dash or an ellipsis may start a line, as there.
NO_LINE_START = set(":!),.:;?]}¢'\"、。〉》」』】〕〗〞︰︱︳﹐､﹒﹔﹕﹖﹗﹚﹜﹞！），．：；？｜｝︴︶︸︺︼︾﹀﹂﹄﹏～￠々‖•·ˇˉ―-′’”")
NO_LINE_END = set("([{£¥'\"‵〈《「『【〔〖（［｛￡￥〝︵︷︹︻︽︿﹁﹃﹙﹛﹝“‘")
# no break between a Latin letter or digit and an opening mark, hyphen, slash or ellipsis after it, nor between a
# closing mark, slash or percent sign and a letter or digit after it (the Unicode line-breaking rules that
# LibreOffice applies around Latin text)
_AFTER_ALNUM = NO_LINE_END | {"-", "/", "…"}
_BEFORE_ALNUM = set("，。、）〕》」』】〉〗〞”’,.:;)]}%/·％")
# Marks a justified line may let hang past its end (only when nothing else can be moved: see MAX_CARRY).
HANGING = set("、。，．")
# LibreOffice sets 0.2 em between a Chinese character and a Latin letter or digit beside it ("2023 年") and
# cannot be told not to in a .docx (it ignores w:autoSpaceDE/DN; Word and WPS honour them): lines are broken
# as if that room were there, so that LibreOffice breaks them where the PDF does (the PDF draws them tight).
AUTOSPACE = 200.0  # 1/1000 em

_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_BOUNDARY = re.compile(f"(?<=[{_HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{_HAN}])")
_LATIN = re.compile(r"[A-Za-z0-9]")
_SCRIPT_CHANGE = re.compile(r"(?<=[\x00-\x7f])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[\x00-\x7f])")


def _may_break(a: str, b: str) -> bool:
    """Whether a line may end with ``a`` and the next start with ``b``."""
    if b in NO_LINE_START or a in NO_LINE_END:
        return False
    if a.isascii() and a.isalnum():
        return b not in _AFTER_ALNUM
    return not (b.isascii() and b.isalnum() and a in _BEFORE_ALNUM)


def _han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000"


def _spaced(a: str, b: str) -> bool:
    """Whether LibreOffice puts its autospace between ``a`` and ``b``."""
    return (_han(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and _han(b))


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,:/\-_@][A-Za-z0-9]+)*%?|\s|.", re.S)
MAX_CARRY = 8  # tokens moved to the next line at most; past that, closing marks hang past the edge

_REGISTERED: dict[tuple[str, int], str] = {}  # (path, subfont) → reportlab font name


@dataclass(frozen=True)
class Fallback:
    """A font the PDF used instead of the official one: for a whole role, or for some characters."""

    role: str  # 仿宋, 黑体 …
    wanted: str  # the official font's name
    used: str  # family of the font actually embedded
    chars: str = ""  # "" = the whole role; else the characters that needed another font

    def message(self) -> str:
        if self.chars:
            return f"{self.role}：字符“{self.chars}”在{self.wanted}中缺字，改用{self.used}"
        return f"本机未安装{self.wanted}，{self.role}改用{self.used}"


def _register(ff: fonts.FontFile) -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from desktop.documents.font_cache import make_font

    key = (str(ff.path), ff.index)
    if key not in _REGISTERED:
        name = f"ND{len(_REGISTERED)}-{ff.path.stem}-{ff.index}"
        try:
            pdfmetrics.registerFont(make_font(name, ff.path, ff.index))
        except (TTFError, OSError, ValueError):  # CFF outlines, no embedding permission, broken file
            return None
        _REGISTERED[key] = name
    return _REGISTERED[key]


@dataclass
class _Face:
    name: str  # reportlab name
    family: str
    cmap: dict
    widths: dict
    default_width: float


def _face(name: str, family: str) -> _Face:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(name).face
    return _Face(name, family, face.charToGlyph, face.charWidths, face.defaultWidth)


class _CharMap(dict):
    """char → (reportlab font name, advance in 1/1000 em) for one role; filled on first use."""

    def __init__(self, fonts_: FontSet, role: str) -> None:
        super().__init__()
        self.fonts, self.role = fonts_, role

    def __missing__(self, ch: str) -> tuple[str, float]:
        face = self.fonts.font_of(self.role, ch)
        v = self[ch] = (face.name, face.widths.get(ord(ch), face.default_width))
        return v


@dataclass
class FontSet:
    """The fonts of one PDF export: per role a chain of embedded faces, and what fell back."""

    chains: dict[str, list[_Face]] = field(default_factory=dict)
    fallbacks: list[Fallback] = field(default_factory=list)
    _maps: dict[str, _CharMap] = field(default_factory=dict)
    _fell_back: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # characters no font has

    def chain(self, role: str) -> list[_Face]:
        if role not in self.chains:
            r = fonts.ROLES[role]
            faces: list[_Face] = []
            hit = fonts.installed_alternate(role, truetype_only=True)
            name = _register(hit[1]) if hit else None
            if name:
                faces.append(_face(name, hit[0]))
            for key in [r.bundled] + [k for k in ("hei", "song", "kai") if k != r.bundled]:
                bname = _register(fonts.bundled_file(key))
                if bname and all(f.name != bname for f in faces):
                    faces.append(_face(bname, fonts.BUNDLED_LABELS[key]))
            if not name:
                self.fallbacks.append(Fallback(r.label, r.chain[0][0], faces[0].family))
            self.chains[role] = faces
        return self.chains[role]

    def font_of(self, role: str, ch: str) -> _Face:
        """The first face of the role's chain that has a glyph for ``ch``."""
        chain = self.chain(role)
        cp = ord(ch)
        face = next((f for f in chain if cp in f.cmap), None)
        if face is None:
            face = chain[0]
            if not ch.isspace():
                self.missing.add(ch)
        elif face is not chain[0] and not ch.isspace():
            self._fell_back.setdefault((role, face.family), set()).add(ch)
        return face

    def _map(self, role: str) -> _CharMap:
        m = self._maps.get(role)
        if m is None:
            m = self._maps[role] = _CharMap(self, role)
        return m

    def runs(self, text: str, role: str) -> list[tuple[str, str]]:
        """``text`` split into (reportlab font name, text) runs, each font having every glyph of its run."""
        m = self._map(role)
        names = [m[ch][0] for ch in text]
        if not names or names.count(names[0]) == len(names):
            return [(names[0], text)] if names else []
        out: list[tuple[str, str]] = []
        start = 0
        for i in range(1, len(names) + 1):
            if i == len(names) or names[i] != names[start]:
                out.append((names[start], text[start:i]))
                start = i
        return out

    def width(self, text: str, role: str, size: float) -> float:
        m = self._map(role)
        return sum([m[ch][1] for ch in text]) * size / 1000

    def wrap(self, text: str, role: str, size: float, width: float, gap: float = AUTOSPACE,
             char_space: float = 0.0) -> list[str]:
        """Break ``text`` into lines no wider than ``width`` (hard breaks at "\\n") with the CJK rules, counting
        ``gap`` (1/1000 em) between a Chinese character and a Latin letter or digit beside it and
        ``char_space`` (pt) after every character."""
        lines: list[str] = []
        for para in text.split("\n"):
            lines.extend(self._wrap_para(para, role, size, width, gap, char_space * 1000 / size))
        return lines

    def _wrap_para(self, text: str, role: str, size: float, width: float, gap: float, cs: float) -> list[str]:
        """One paragraph's lines. A line is measured as LibreOffice measures it: the character spacing ``cs``
        after every character but the last of each run of one script (Chinese / Latin) on the line, and
        ``gap`` between a Chinese character and a Latin letter or digit."""
        m = self._map(role)
        limit = (width + 0.01) * 1000 / size  # in 1/1000 em
        text = text.replace("\t", " ")
        total = sum([m[ch][1] for ch in text]) + cs * len(text)
        latin = bool(gap) and _LATIN.search(text) is not None  # any Latin letter or digit: autospace
        if latin:
            total += gap * len(_BOUNDARY.findall(text))
        if cs and text:
            total -= cs * (1 + len(_SCRIPT_CHANGE.findall(text)))
        if total <= limit:
            return [text.rstrip()]
        tokens = _TOKEN.findall(text)
        lines: list[str] = []
        line: list[str] = []
        used = 0.0  # the line's width without the run-end adjustment of its last run
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            w = (m[tok][1] if len(tok) == 1 else sum([m[ch][1] for ch in tok])) + cs * len(tok)
            if line and (latin or cs):
                last = line[-1][-1]
                if latin and _spaced(last, tok[0]):
                    w += gap
                if cs and last.isascii() != tok[0].isascii():  # a run ends: its last character unspaced
                    w -= cs
            if used + w - cs <= limit or not line:
                if not line and tok.isspace() and lines:
                    i += 1
                    continue
                if used + w - cs > limit and len(tok) > 1:  # a word longer than the line: split it by characters
                    tokens[i:i + 1] = list(tok)
                    continue
                line.append(tok)
                used += w
                i += 1
                continue
            carry = 0
            while len(line) - carry > 1 and carry < MAX_CARRY:
                starts = line[len(line) - carry] if carry else tok  # would start the next line
                if _may_break(line[len(line) - carry - 1][-1], starts[0]):
                    break
                carry += 1
            starts = line[len(line) - carry] if carry else tok
            if starts[0] in NO_LINE_START:  # cannot move enough back: hang the closing marks past the edge
                carry = 0
                while i < len(tokens) and tokens[i][0] in NO_LINE_START:
                    line.append(tokens[i])
                    i += 1
            elif carry:
                i -= carry
                del line[len(line) - carry:]
            lines.append("".join(line).rstrip())
            line, used = [], 0.0
        if line or not lines:
            lines.append("".join(line).rstrip())
        return lines

    def fallback_report(self) -> list[Fallback]:
        out = list(self.fallbacks)
        for (role, family), chars in sorted(self._fell_back.items()):
            r = fonts.ROLES[role]
            wanted = self.chains[role][0].family
            out.append(Fallback(r.label, wanted, family, "".join(sorted(chars))))
        return out
