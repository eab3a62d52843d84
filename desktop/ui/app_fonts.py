"""Registers the bundled CJK fonts with Qt and picks a UI font that has Chinese glyphs.

Prefers a system CJK UI font (微软雅黑 on Windows, the distribution's own on UOS/Kylin) and falls
back to the bundled WenQuanYi Micro Hei, so a machine without CJK fonts never shows tofu.
"""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from desktop.resources import BUNDLED_FONTS, resource

# System UI families to prefer, in order, before the bundled one.
PREFERRED_UI_FAMILIES = (
    "Microsoft YaHei UI", "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", "Source Han Sans SC",
    "思源黑体", "PingFang SC", "WenQuanYi Micro Hei", "文泉驿微米黑", "SimHei", "黑体",
)


def register_bundled_fonts() -> dict[str, list[str]]:
    """Add the bundled fonts to Qt's font database; returns {key: [family names]}."""
    families: dict[str, list[str]] = {}
    for key, filename in BUNDLED_FONTS.items():
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", filename)))
        families[key] = list(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else []
    return families


def choose_ui_font(bundled: dict[str, list[str]], point_size: float = 10.0) -> QFont:
    """The application font: a preferred system CJK family if present, else the bundled 黑体."""
    available = set(QFontDatabase.families())
    for family in PREFERRED_UI_FAMILIES:
        if family in available and QFontDatabase.writingSystems(family).count(QFontDatabase.WritingSystem.SimplifiedChinese):
            break
    else:
        family = (bundled.get("hei") or ["WenQuanYi Micro Hei"])[0]
    font = QFont(family)
    font.setPointSizeF(point_size)
    return font
