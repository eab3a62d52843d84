"""The office's own name: the 署名 of its 落实情况报告 and the author of every exported file, asked once.

It is kept in the app's settings file (``noticedesk.ini`` beside the ledger, key ``report/office``), which the
export dialog writes through its QSettings and the command line's ``export --office`` writes here. Reading
needs no Qt (the settings file is an INI file; the export command stays quick).
"""
from __future__ import annotations

import configparser
from pathlib import Path

SETTINGS_FILE = "noticedesk.ini"  # desktop.ui.main_window.SETTINGS_FILE
KEY = "report/office"


def settings_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / SETTINGS_FILE


def load_office(path: Path | str) -> str:
    """The office's name stored in settings file ``path`` ("" when none)."""
    section, key = KEY.split("/")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # keys are case-sensitive in QSettings
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return ""
    value = parser.get(section, key, fallback="").strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':  # QSettings quotes values with special characters
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value.strip()


def save_office(path: Path | str, name: str) -> None:
    """Store the office's name in settings file ``path`` (through QSettings, as the app writes it)."""
    from PySide6.QtCore import QSettings

    s = QSettings(str(path), QSettings.Format.IniFormat)
    s.setValue(KEY, name.strip())
    s.sync()
