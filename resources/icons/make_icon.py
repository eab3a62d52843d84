"""Draws the NoticeDesk icon (a red seal-like square with 台账) as PNG sizes and a Windows .ico.

Run once after changing the design: `QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/make_icon.py`.
The outputs are committed; the app and the installers only read them.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "wqy-microhei.ttc"


def draw(size: int, family: str) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = size * 0.06
    rect = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    p.setBrush(QColor("#c8102e"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(rect, size * 0.14, size * 0.14)
    p.setPen(QPen(QColor("#ffffff"), max(1.0, size * 0.03)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    inner = rect.adjusted(size * 0.08, size * 0.08, -size * 0.08, -size * 0.08)
    p.drawRect(inner)
    font = QFont(family)
    font.setPixelSize(int(size * 0.30))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(inner, Qt.AlignmentFlag.AlignCenter, "台账")
    p.end()
    return img


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 - fonts need an application
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(FONT)))[0]
    for size in (16, 32, 48, 64, 128, 256):
        draw(size, family).save(str(HERE / f"noticedesk-{size}.png"))
    draw(256, family).save(str(HERE / "noticedesk.ico"))


if __name__ == "__main__":
    main()
