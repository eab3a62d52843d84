"""工具 → 记住的列设置…: the column readings the clerk asked the import window to remember, each shown as
the table header it applies to and the role of each column, and removable."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.importing.parse.columns import NAME_OF
from desktop.storage.ledger import Ledger, LedgerError

from .messages import MessageBridge
from .window_fit import fit_to_screen


def describe(labels: list[str], roles: list[str]) -> str:
    """“工作事项→具体内容、承办→责任单位…” for one remembered reading."""
    pairs = [f"{label or f'第{n}列'}→{NAME_OF.get(role, role)}" for n, (label, role) in enumerate(zip(labels, roles,
                                                                                                strict=False), 1)]
    return "、".join(pairs)


class ColumnMapsDialog(QDialog):
    """List and remove remembered column readings (module docstring)."""

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("记住的列设置")
        self.setObjectName("columnMapsDialog")
        self.ledger, self.messages = ledger, messages
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.remove_button = QPushButton("删除选中的设置")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(QLabel("导入表格时勾选“记住这种列设置”后，表头相同的表格会自动按下列设置读取："))
        box.addWidget(self.list, 1)
        box.addWidget(self.remove_button)
        box.addWidget(buttons)
        fit_to_screen(self, 640, 360)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        try:
            maps = self.ledger.column_maps()
        except LedgerError as exc:
            self.messages.error(str(exc), "无法读取")
            maps = []
        for labels, roles in maps:
            item = QListWidgetItem(describe(labels, roles))
            item.setData(256, list(labels))
            self.list.addItem(item)
        if not maps:
            self.list.addItem("（还没有记住任何列设置）")
        self.remove_button.setEnabled(bool(maps))

    def remove_selected(self) -> bool:
        item = self.list.currentItem()
        labels = item.data(256) if item is not None else None
        if not labels:
            return False
        try:
            self.ledger.forget_columns(labels)
        except LedgerError as exc:
            self.messages.error(str(exc), "删除失败")
            return False
        self.reload()
        return True
