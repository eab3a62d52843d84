"""The bundled CJK fonts load into Qt and cover the text clerks type, so nothing renders as tofu."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QFontMetrics, QRawFont

from desktop.resources import BUNDLED_FONTS, resource
from desktop.ui.app_fonts import choose_ui_font, register_bundled_fonts

SAMPLE = "关于印发2023年政务公开工作要点的通知乡镇街道办事处牵头单位责任单位完成时限落实情况（一）、。；："


@pytest.mark.parametrize("key", sorted(BUNDLED_FONTS))
def test_bundled_font_has_licence_and_glyphs(qapp, key):
    path = resource("fonts", BUNDLED_FONTS[key])
    assert resource("fonts", path.stem + ".LICENSE.txt").stat().st_size > 1000
    raw = QRawFont(str(path), 12)
    assert raw.isValid()
    missing = [ch for ch in SAMPLE if not ch.isascii() and not raw.supportsCharacter(ord(ch))]
    assert missing == []


def test_ui_font_renders_chinese(qapp):
    families = register_bundled_fonts()
    assert all(families.values()), families
    font = choose_ui_font(families)
    assert QFontDatabase.writingSystems(font.family()).count(QFontDatabase.WritingSystem.SimplifiedChinese)
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in SAMPLE)
