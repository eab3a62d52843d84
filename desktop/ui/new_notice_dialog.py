"""新建通知 / 通知属性 dialog: 标题 (required), 文号, 发文机关, 成文日期, 年度."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import NoticeInfo

from .window_fit import fit_to_screen

_NO_DATE = QDate(1990, 1, 1)
_NO_YEAR = 1990


class NewNoticeDialog(QDialog):
    """Asks for a notice's metadata; ``values()`` gives the keyword arguments of create/update_notice."""

    def __init__(self, parent: QWidget | None = None, notice: NoticeInfo | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("通知属性" if notice else "新建通知")
        self.setMinimumWidth(420)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("必填，如：关于印发2024年重点工作任务分解的通知")
        self.doc_number_edit = QLineEdit()
        self.doc_number_edit.setPlaceholderText("如：×政办发〔2024〕3号")
        self.issuer_edit = QLineEdit()
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMinimumDate(_NO_DATE)
        self.date_edit.setSpecialValueText("未填")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(_NO_YEAR, 2100)
        self.year_spin.setSpecialValueText("未填")

        form = QFormLayout()
        form.addRow("标题", self.title_edit)
        form.addRow("文号", self.doc_number_edit)
        form.addRow("发文机关", self.issuer_edit)
        form.addRow("成文日期", self.date_edit)
        form.addRow("年度", self.year_spin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        if notice is not None:
            self.title_edit.setText(notice.title)
            self.doc_number_edit.setText(notice.doc_number or "")
            self.issuer_edit.setText(notice.issuer or "")
            self.date_edit.setDate(QDate(notice.date) if notice.date else _NO_DATE)
            self.year_spin.setValue(notice.year or _NO_YEAR)
        else:
            self.date_edit.setDate(_NO_DATE)
            self.year_spin.setValue(dt.date.today().year)
        self._year_touched = notice is not None and notice.year is not None
        self.year_spin.valueChanged.connect(self._mark_year)
        self.date_edit.dateChanged.connect(self._date_changed)
        self.title_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        fit_to_screen(self)

    def _mark_year(self, _value: int) -> None:
        self._year_touched = True

    def _date_changed(self, date: QDate) -> None:
        if date != _NO_DATE and not self._year_touched:
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(date.year())
            self.year_spin.blockSignals(False)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.title_edit.text().strip()))

    def accept(self) -> None:
        if self.title_edit.text().strip():
            super().accept()

    def values(self) -> dict[str, Any]:
        date = self.date_edit.date()
        year = self.year_spin.value()
        return {
            "title": self.title_edit.text().strip(),
            "doc_number": self.doc_number_edit.text().strip() or None,
            "issuer": self.issuer_edit.text().strip() or None,
            "date": None if date == _NO_DATE else date.toPython(),
            "year": None if year == _NO_YEAR else year,
        }
