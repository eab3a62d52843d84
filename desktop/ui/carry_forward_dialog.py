"""The carry-forward window (结转): start this year's notice from last year's table.

Wiring (main_window.py, by the lead): a menu action 「以往年通知为底新建…」 under 通知::

    def open_carry_forward(self):
        dlg = CarryForwardDialog(self.ledger, self.messages, self, notice_id=self.current_notice_id())
        dlg.created.connect(self.show_notice)   # select the new notice in the list
        dlg.open()

The new notice copies the tree, texts and units; deadlines move to the new year; status, done dates,
progress log and evidence start afresh (``Ledger.carry_forward``, one transaction; ``delete_notice``
removes it again).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.ledger import Ledger, LedgerError
from desktop.tracking.carry import carried_title

from .messages import MessageBridge
from .window_fit import fit_to_screen


class CarryForwardDialog(QDialog):
    """Source notice, new year and title → ``created(new_notice_id)``."""

    created = Signal(int)

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None, *,
                 notice_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("以往年通知为底新建")
        self.ledger, self.messages = ledger, messages
        self.new_id: int | None = None
        self.source = QComboBox()
        # a long title is cut in the box (whole in its tooltip), not a window wider than the screen
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(30)
        self.notices = ledger.notices()
        for n in self.notices:
            self.source.addItem(f"{n.year or ''} {n.title}（{n.task_count} 项）".strip(), n.id)
            self.source.setItemData(self.source.count() - 1, n.title, Qt.ItemDataRole.ToolTipRole)
        if notice_id is not None:
            self.source.setCurrentIndex(max(0, self.source.findData(notice_id)))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.title = QLineEdit()
        self._auto_title = ""
        form = QFormLayout()
        form.addRow("以这份通知为底", self.source)
        form.addRow("新的年度", self.year)
        form.addRow("新通知标题", self.title)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("新建", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(QLabel("复制任务结构、单位和完成时限（日期顺延到新年度）；状态、完成日期、落实情况和佐证材料清空。"))
        box.addWidget(buttons)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.year.valueChanged.connect(self._suggest_title)
        self.ok.setEnabled(bool(self.notices))
        self._source_changed()
        fit_to_screen(self)

    def _current(self):
        nid = self.source.currentData()
        return next((n for n in self.notices if n.id == nid), None)

    def _source_changed(self, *_args) -> None:
        n = self._current()
        base = (n.year or (n.date.year if n and n.date else None)) if n else None
        self.year.setValue((base or dt.date.today().year - 1) + 1)
        self._suggest_title()

    def _suggest_title(self, *_args) -> None:
        n = self._current()
        if n is None:
            return
        if self.title.text() in ("", self._auto_title):  # not typed over by the clerk
            self._auto_title = carried_title(n.title, n.year or (n.date.year if n.date else None), self.year.value())
            self.title.setText(self._auto_title)

    def accept(self) -> None:
        n = self._current()
        if n is None:
            return
        try:
            self.new_id = self.ledger.carry_forward(n.id, self.year.value(), self.title.text().strip() or None)
        except LedgerError as exc:
            self.messages.error(str(exc), "无法新建")
            return
        self.created.emit(self.new_id)
        super().accept()
