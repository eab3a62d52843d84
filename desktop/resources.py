"""Finds the files shipped in `resources/` (fonts, icons, translations), from a checkout or a frozen build.

This is the only module that knows where a PyInstaller build unpacks its data (``sys._MEIPASS``).
"""
from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


def resources_dir() -> Path:
    """The folder holding ``fonts/``, ``icons/`` and ``translations/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return _CHECKOUT


def resource(*parts: str) -> Path:
    """Path of one shipped file, e.g. ``resource("fonts", "wqy-microhei.ttc")``; raises if missing."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"程序文件缺失：{path}。请重新安装 NoticeDesk。")
    return path


# Bundled fallbacks (Debian packages, licences beside them): UI and 黑体 → WenQuanYi Micro Hei,
# 宋体 → AR PL SungtiL GB, 楷体 → AR PL KaitiM GB.
BUNDLED_FONTS = {
    "hei": "wqy-microhei.ttc",
    "song": "gbsn00lp.ttf",
    "kai": "gkai00mp.ttf",
}
