"""调整时限: the small dialog that asks why a due date changes (the reason is kept with the original date)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from .window_fit import fit_to_screen

COMMON_REASONS = ("上级通知调整时限", "工作任务调整", "客观条件变化，申请延期", "提前完成节点")


def reason_combo() -> QComboBox:
    """An editable combo of common reasons, empty to start with."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(COMMON_REASONS)
    combo.setCurrentIndex(-1)
    combo.lineEdit().setPlaceholderText("必填：选择或输入调整理由")
    return combo


class DeadlineReasonDialog(QDialog):
    """Asks the reason for moving a task's due date from ``old`` to ``new``; ``reason()`` once accepted."""

    def __init__(self, title: str, old: dt.date | None, new: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("调整时限")
        self.setMinimumWidth(400)
        old_text = old.isoformat() if old else "未定"
        new_text = new.isoformat() if new else "不设截止日期"
        what = QLabel(f"“{title}”\n截止日期：{old_text} → {new_text}")
        what.setWordWrap(True)
        self.reason_edit = reason_combo()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("调整")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(QLabel("调整理由（与原定日期一起保留）："))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.buttons)
        self.reason_edit.editTextChanged.connect(self._update_ok)
        self._update_ok()
        fit_to_screen(self)

    def reason(self) -> str:
        return self.reason_edit.currentText().strip()

    def _update_ok(self, *_args) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason()))
