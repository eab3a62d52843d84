"""批量 dialogs for the selected rows: set the status (with 完成日期), set the units of a role, shift deadlines.

Each dialog only asks; ``values()`` gives what the tracking controller passes to the Ledger's bulk
methods (one undo step each).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import Status, UnitRole

from .deadline_dialog import reason_combo
from .unit_picker import UnitDirectory, UnitPicker
from .window_fit import fit_to_screen


class _BulkDialog(QDialog):
    def __init__(self, title: str, count: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.count_label = QLabel(f"将应用于选中的 {count} 条任务。")
        layout.addWidget(self.count_label)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        fit_to_screen(self)  # its content's size at the first show, at most the screen's

    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)


class BulkStatusDialog(_BulkDialog):
    """批量设置状态: a status, and the 完成日期 when it is 已完成 (default today; kept dates stay)."""

    def __init__(self, count: int, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__("批量设置状态", count, parent)
        self.status_combo = QComboBox()
        self.status_combo.addItems([s.value for s in Status])
        self.done_edit = QDateEdit(QDate(today))
        self.done_edit.setCalendarPopup(True)
        self.done_edit.setDisplayFormat("yyyy-MM-dd")
        self.form.addRow("状态", self.status_combo)
        self.form.addRow("完成日期", self.done_edit)
        self.status_combo.currentTextChanged.connect(self._update)
        self._update()

    def _update(self, *_args) -> None:
        self.done_edit.setEnabled(self.status_combo.currentText() == Status.DONE.value)

    def values(self) -> tuple[Status, dt.date | None]:
        status = Status(self.status_combo.currentText())
        return status, self.done_edit.date().toPython() if status == Status.DONE else None


class BulkUnitsDialog(_BulkDialog):
    """批量设置单位: the names for 牵头单位 or 责任单位 (replacing what the tasks had)."""

    def __init__(self, count: int, directory: UnitDirectory, parent: QWidget | None = None) -> None:
        super().__init__("批量设置单位", count, parent)
        self.role_combo = QComboBox()
        self.role_combo.addItem("牵头单位", UnitRole.LEAD)
        self.role_combo.addItem("责任单位", UnitRole.RESPONSIBLE)
        self.units_edit = UnitPicker(directory)
        self.form.addRow("设置", self.role_combo)
        self.form.addRow("单位", self.units_edit)
        note = QLabel("原有的该类单位将被替换；留空则清除。")
        note.setWordWrap(True)
        self.form.addRow("", note)

    def values(self) -> tuple[UnitRole, list[str]]:
        return self.role_combo.currentData(), self.units_edit.names()


class ShiftDeadlineDialog(_BulkDialog):
    """批量调整时限: move every selected due date by N days (negative: earlier), with a reason."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__("批量调整时限", count, parent)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(-365, 365)
        self.days_spin.setValue(7)
        self.days_spin.setSuffix(" 天")
        self.reason_edit = reason_combo()
        self.form.addRow("推后", self.days_spin)
        self.form.addRow("理由", self.reason_edit)
        note = QLabel("负数表示提前。没有截止日期的任务不变；原定日期和理由会保留。")
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.reason_edit.editTextChanged.connect(self._update)
        self.days_spin.valueChanged.connect(self._update)
        self._update()

    def _update(self, *_args) -> None:
        self.ok_button().setEnabled(bool(self.reason_edit.currentText().strip()) and self.days_spin.value() != 0)

    def values(self) -> tuple[int, str]:
        return self.days_spin.value(), self.reason_edit.currentText().strip()
