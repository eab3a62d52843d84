"""Finds the official fonts (仿宋_GB2312, 黑体, 楷体, 宋体, 方正小标宋简体) on this machine and the bundled fallbacks.

The .docx always names an official font (the first one of a role's chain that is installed here, else the
first of the chain: Word/WPS on the clerk's PC renders it). The .pdf embeds the first installed TrueType
font of the chain, or the bundled fallback of ``resources/fonts``; ``desktop.documents.pdf_fonts`` then falls
back per character. Installed fonts are found by reading the ``name`` table of every font file in the usual
folders (cached); ``NOTICEDESK_FONT_DIRS`` (os.pathsep-separated) replaces the folders, for tests.
"""
from __future__ import annotations

import functools
import os
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop.resources import BUNDLED_FONTS, resource


@dataclass(frozen=True)
class Role:
    """A typeface role of the standard: its name for the clerk, its docx names in order of preference."""

    key: str
    label: str
    chain: tuple[tuple[str, ...], ...]  # (docx name, other family names of the same font …)
    bundled: str  # key of desktop.resources.BUNDLED_FONTS


ROLES: dict[str, Role] = {r.key: r for r in (
    Role("fang", "仿宋", (("仿宋_GB2312", "FangSong_GB2312"), ("仿宋", "FangSong"), ("方正仿宋_GBK", "FZFangSong-Z02"),
                         ("华文仿宋", "STFangsong")), "song"),
    Role("hei", "黑体", (("黑体", "SimHei"), ("方正黑体_GBK", "FZHei-B01"), ("华文黑体", "STHeiti")), "hei"),
    Role("kai", "楷体", (("楷体_GB2312", "KaiTi_GB2312"), ("楷体", "KaiTi"), ("方正楷体_GBK", "FZKai-Z03"),
                        ("华文楷体", "STKaiti")), "kai"),
    Role("song", "宋体", (("宋体", "SimSun"), ("方正书宋_GBK", "FZShuSong-Z01"), ("华文宋体", "STSong")), "song"),
    Role("title", "方正小标宋简体", (("方正小标宋简体", "FZXiaoBiaoSong-B05S"), ("方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
                                 ("华文中宋", "STZhongsong")), "hei"),
)}


@dataclass(frozen=True)
class FontFile:
    """One installed face: file, TTC subfont index, whether it has TrueType outlines (embeddable by reportlab)."""

    path: Path
    index: int
    truetype: bool


def font_dirs() -> list[Path]:
    """The folders searched for installed fonts."""
    env = os.environ.get("NOTICEDESK_FONT_DIRS")
    if env is not None:
        return [Path(p) for p in env.split(os.pathsep) if p]
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts", home / ".local/share/fonts"]


def _names(f, base: int) -> set[str]:
    """Family names (IDs 1, 4, 16) of the sfnt whose table directory starts at ``base`` in file ``f``."""
    f.seek(base + 4)
    num = struct.unpack(">H", f.read(2))[0]
    f.seek(base + 12)
    directory = f.read(16 * num)
    for i in range(num):
        tag, _, off, length = struct.unpack_from(">4sLLL", directory, 16 * i)
        if tag == b"name":
            break
    else:
        return set()
    f.seek(off)
    data = f.read(length)
    _, count, strings = struct.unpack_from(">HHH", data, 0)
    out = set()
    for i in range(count):
        pid, eid, _lang, nid, ln, so = struct.unpack_from(">HHHHHH", data, 6 + 12 * i)
        if nid not in (1, 4, 16):
            continue
        raw = data[strings + so: strings + so + ln]
        enc = "utf-16-be" if pid in (0, 3) else ("gb2312" if eid == 25 else "mac_roman")
        try:
            out.add(raw.decode(enc).strip("\x00 ").lower())
        except (UnicodeDecodeError, LookupError):
            continue
    return out


def _read_faces(path: Path) -> list[tuple[set[str], FontFile]]:
    """The faces of one font file (a TTC holds several), reading only headers and name tables."""
    with open(path, "rb") as f:
        head = f.read(12)
        if head[:4] == b"ttcf":
            n = struct.unpack_from(">L", head, 8)[0]
            bases = list(struct.unpack(f">{n}L", f.read(4 * n)))
        else:
            bases = [0]
        faces = []
        for i, base in enumerate(bases):
            f.seek(base)
            truetype = f.read(4) in (b"\x00\x01\x00\x00", b"true")
            faces.append((_names(f, base), FontFile(path, i, truetype)))
    return faces


@functools.lru_cache(maxsize=4)
def _installed(dirs: tuple[Path, ...]) -> dict[str, FontFile]:
    found: dict[str, FontFile] = {}
    wanted = {n.lower() for r in ROLES.values() for alt in r.chain for n in alt}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _sub, files in os.walk(d):
            for name in files:
                if not name.lower().endswith((".ttf", ".ttc", ".otf", ".otc")):
                    continue
                try:
                    for names, ff in _read_faces(Path(root) / name):
                        for n in names & wanted:
                            found.setdefault(n, ff)
                except (OSError, struct.error):
                    continue
    return found


def installed() -> dict[str, FontFile]:
    """Lower-cased family name → installed face, for the names of ``ROLES`` only."""
    return _installed(tuple(font_dirs()))


def installed_alternate(role: str, truetype_only: bool = False) -> tuple[str, FontFile] | None:
    """The first font of the role's chain that is installed here: (docx name, face)."""
    have = installed()
    for alt in ROLES[role].chain:
        for n in alt:
            ff = have.get(n.lower())
            if ff and (ff.truetype or not truetype_only):
                return alt[0], ff
    return None


def docx_name(role: str) -> str:
    """The font name a .docx writes for ``role``: the first installed alternate, else the official one."""
    hit = installed_alternate(role)
    return hit[0] if hit else ROLES[role].chain[0][0]


BUNDLED_LABELS = {"hei": "文泉驿微米黑", "song": "文鼎PL简报宋", "kai": "文鼎PL简中楷"}


def bundled_file(key: str) -> FontFile:
    """A bundled fallback face (TTC subfont 0)."""
    return FontFile(resource("fonts", BUNDLED_FONTS[key]), 0, True)
