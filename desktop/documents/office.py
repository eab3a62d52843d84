"""The office's own name: the 署名 of its 落实情况报告 and the author of every exported file, asked once.

It is the setting ``report/office`` (``desktop.settings.REPORT_OFFICE``) in the program's one settings
file (``noticedesk.ini`` in the data folder), which the export dialog and the command line's
``export --office`` both read and write through ``desktop.settings`` — no Qt, so the export command
stays quick. ``settings_path``, ``load_office`` and ``save_office`` keep their names and signatures
for the command line.
"""
from __future__ import annotations

from pathlib import Path

from desktop.settings import REPORT_OFFICE, SETTINGS_FILE, Settings, settings_path

KEY = REPORT_OFFICE.key

__all__ = ["KEY", "SETTINGS_FILE", "load_office", "save_office", "settings_path"]


def load_office(path: Path | str) -> str:
    """The office's name stored in settings file ``path`` ("" when none)."""
    return Settings(path).get(REPORT_OFFICE).strip()


def save_office(path: Path | str, name: str) -> None:
    """Store the office's name in settings file ``path``."""
    Settings(path).set(REPORT_OFFICE, name.strip())
