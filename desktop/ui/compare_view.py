"""Two notices side by side (e.g. last year's and this year's): new, dropped and changed tasks in colour.

Wiring (main_window.py, by the lead): a menu action 「比较两份通知…」 under 通知::

    CompareView(self.ledger, self.messages, self, old_id=previous_id, new_id=self.current_notice_id()).show()

Matching is ``spreadsheets.compare.compare_notices`` (by words, years and numbering ignored). Read-only.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.ledger import Ledger, LedgerError

from .messages import MessageBridge
from .window_fit import fit_to_screen

COLOURS = {"new": "#e2f4df", "dropped": "#fbe0de", "changed": "#fff3c4", "same": None}
KIND_NAMES = {"new": "新增", "dropped": "删除", "changed": "修改", "same": "相同"}
COLUMNS = ["变化", "原通知中的任务", "新通知中的任务", "不同之处"]


class CompareView(QDialog):
    """Choose the older and the newer notice; the table shows every task pair (or only the differences)."""

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None, *,
                 old_id: int | None = None, new_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("比较两份通知")
        self.ledger, self.messages = ledger, messages
        self.pairs: list = []
        self.old_box, self.new_box = QComboBox(), QComboBox()
        notices = ledger.notices()
        for box in (self.old_box, self.new_box):
            # a long title is cut in the box (whole in its tooltip), not a window wider than the screen
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(20)
            for n in notices:
                box.addItem(f"{n.year or ''} {n.title}".strip(), n.id)
                box.setItemData(box.count() - 1, n.title, Qt.ItemDataRole.ToolTipRole)
        if len(notices) > 1:
            self.old_box.setCurrentIndex(1)  # notices() lists the newest first
        for box, nid in ((self.old_box, old_id), (self.new_box, new_id)):
            if nid is not None:
                box.setCurrentIndex(max(0, box.findData(nid)))
        self.only_diff = QCheckBox("只显示有变化的任务")
        self.only_diff.setChecked(True)
        self.summary = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(QLabel("原通知"))
        top.addWidget(self.old_box, 1)
        top.addWidget(QLabel("新通知"))
        top.addWidget(self.new_box, 1)
        top.addWidget(self.only_diff)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        for w in (self.old_box, self.new_box):
            w.currentIndexChanged.connect(self.refresh)
        self.only_diff.toggled.connect(self._fill)
        fit_to_screen(self, 1100, 680)
        self.refresh()

    def refresh(self, *_args) -> None:
        from desktop.spreadsheets.compare import compare_notices, counts

        old_id, new_id = self.old_box.currentData(), self.new_box.currentData()
        if old_id is None or new_id is None:
            return
        try:
            self.pairs = compare_notices(self.ledger.tasks(old_id), self.ledger.tasks(new_id))
        except LedgerError as exc:
            self.messages.error(str(exc), "无法比较")
            return
        n = counts(self.pairs)
        self.summary.setText(f"相同 {n['same']} 项　修改 {n['changed']} 项　新增 {n['new']} 项　删除 {n['dropped']} 项")
        self._fill()

    def _fill(self, *_args) -> None:
        from desktop.spreadsheets.compare import FIELD_LABELS

        shown = [p for p in self.pairs if p.kind != "same" or not self.only_diff.isChecked()]
        self.table.setRowCount(len(shown))
        for r, p in enumerate(shown):
            texts = [KIND_NAMES[p.kind], _describe(p.old), _describe(p.new),
                     "、".join(FIELD_LABELS[f] for f in p.fields)]
            colour = COLOURS[p.kind]
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, p.kind)
                if colour:
                    item.setBackground(QBrush(QColor(colour)))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()

    def kinds(self) -> list[str]:
        """The kind of each row shown (for tests and the status line)."""
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.table.rowCount())]


def _describe(side) -> str:
    if side is None:
        return ""
    v = side.values
    head = v["title"] if v["title"] and v["title"] not in v["text"] else ""
    units = "、".join(x for x in (v["lead"], v["units"]) if x)
    extra = "；".join(x for x in (units, v["deadline"]) if x)
    return "。".join(x for x in (head, v["text"]) if x) + (f"\n（{extra}）" if extra else "")
