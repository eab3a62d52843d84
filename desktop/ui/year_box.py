"""YearBox: the 年度 field of the import window, which may be empty until the clerk fills it in.

A notice that prints no year is never filed under the current year silently: the box then shows
“请填写” with a red border and a tooltip saying why, and ``year()`` is None until a year is typed
(or an arrow key steps to the current year, the clerk's own choice).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QAbstractSpinBox, QSpinBox, QWidget

UNSET = 1999  # the value shown as “请填写”; below every year the box accepts
LAST = 2100
MISSING_TIP = "通知原文没有写明年度，请填写这份通知属于哪一年（例如 2024）。"
_MARK = "QSpinBox { border: 2px solid #d03030; border-radius: 3px; background: #fff0f0; }"


class YearBox(QSpinBox):
    def __init__(self, year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("yearBox")
        self.setRange(UNSET, LAST)
        self.setSpecialValueText("请填写")
        self.valueChanged.connect(self._mark)
        self.set_year(year)
        self._mark()

    def year(self) -> int | None:
        return None if self.value() == UNSET else self.value()

    def set_year(self, year: int | None) -> None:
        self.setValue(year if year is not None and UNSET < year <= LAST else UNSET)

    def is_missing(self) -> bool:
        return self.year() is None

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        """From “请填写” an arrow key starts at the current year (not at 2000)."""
        if self.is_missing():
            self.setValue(dt.date.today().year)
            self.selectAll()
            return
        super().stepBy(steps)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:  # noqa: N802 - Qt's name
        if self.is_missing():
            flags = QAbstractSpinBox.StepEnabledFlag
            return flags.StepUpEnabled | flags.StepDownEnabled
        return super().stepEnabled()

    def _mark(self, *_args) -> None:
        missing = self.is_missing()
        self.setStyleSheet(_MARK if missing else "")
        self.setToolTip(MISSING_TIP if missing else "")
        self.setProperty("missing", missing)
