"""The questions the tracking actions ask the clerk — a 调整时限 reason, the bulk choices — and opening
a file with the system's viewer, as modal dialogs. ``TrackingController`` asks through one ``Prompts``;
tests replace its methods with canned answers.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QWidget

from desktop.domain import Status, UnitRole


class Prompts:
    """The questions the tracking actions ask (modal dialogs); tests replace the methods."""

    def __init__(self, parent: QWidget, today: Callable[[], dt.date], directory: Any) -> None:
        self.parent, self.today, self.directory = parent, today, directory

    def reason(self, title: str, old: dt.date | None, new: dt.date | None) -> str | None:
        from .deadline_dialog import DeadlineReasonDialog

        dialog = DeadlineReasonDialog(title, old, new, self.parent)
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def bulk_status(self, count: int) -> tuple[Status, dt.date | None] | None:
        from .bulk_dialogs import BulkStatusDialog

        dialog = BulkStatusDialog(count, self.today(), self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def bulk_units(self, count: int) -> tuple[UnitRole, list[str]] | None:
        from .bulk_dialogs import BulkUnitsDialog

        dialog = BulkUnitsDialog(count, self.directory, self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def shift(self, count: int) -> tuple[int, str] | None:
        from .bulk_dialogs import ShiftDeadlineDialog

        dialog = ShiftDeadlineDialog(count, self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)
