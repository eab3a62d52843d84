"""佐证材料 of one task in the detail panel: the attached files, with 添加… (or drop files), 打开, 重命名, 移除.

Evidence is optional: nothing here is needed to mark a task done. The widget never calls storage:
it emits ``files_added(paths)`` (from the file dialog or a drop of local files), ``open_requested``,
``rename_requested(id, name)`` and ``remove_requested(id)``; the tracking controller pushes the undo
commands and calls ``set_items`` with what is stored.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import EvidenceInfo

EvidenceIdRole = Qt.ItemDataRole.UserRole + 1


def size_text(size: int) -> str:
    """12 字节 / 3.4 KB / 1.2 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _button(text: str, tip: str) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return b


class _DropList(QListWidget):
    """A list that takes local files dropped from the file manager."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    @staticmethod
    def _files(event) -> list[Path]:
        data = event.mimeData()
        if data is None or not data.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile() and u.toLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)


class EvidenceWidget(QWidget):
    """The attached files of one task."""

    files_added = Signal(list)  # list[Path]
    open_requested = Signal(int)
    rename_requested = Signal(int, str)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceList")
        self._items: list[EvidenceInfo] = []
        self.hint = QLabel("可选：照片、会议记录、文件等佐证材料（复制保存在台账文件夹中）。"
                           "可把文件拖到下面的列表里。")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.list = _DropList()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # tool buttons: narrower than push buttons, the dock may be only ~290 px wide
        self.add_button = _button("添加…", "选择一个或多个文件（也可以把文件拖到列表里）")
        self.open_button = _button("打开", "用系统程序打开")
        self.rename_button = _button("重命名", "修改显示的名称（文件本身不变）")
        self.remove_button = _button("移除", "从该任务移除（可撤销）")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.open_button, self.rename_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)

        self.list.files_dropped.connect(self.files_added)
        self.add_button.clicked.connect(lambda: self.choose_files())
        self.open_button.clicked.connect(self.open_current)
        self.rename_button.clicked.connect(lambda: self.rename_current())
        self.remove_button.clicked.connect(self.remove_current)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        # activated= / context= as keywords: PySide6 ignores a context given after a callable (it would be
        # a window shortcut, clashing with the table's Delete)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, activated=self.remove_current,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self._update_buttons()

    def set_items(self, items: list[EvidenceInfo]) -> None:
        keep = self.current_id()
        self._items = list(items)
        self.list.clear()
        for e in self._items:
            item = QListWidgetItem(f"{e.name}（{size_text(e.size)}）")
            item.setData(EvidenceIdRole, e.id)
            added = f"\n添加于 {e.added:%Y-%m-%d %H:%M}" if e.added else ""
            item.setToolTip(f"{e.name}\n{size_text(e.size)}{added}\n双击用系统程序打开")
            self.list.addItem(item)
            if e.id == keep:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self._items:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def items(self) -> list[EvidenceInfo]:
        return list(self._items)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(EvidenceIdRole) if item is not None else None

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        for b in (self.open_button, self.rename_button, self.remove_button):
            b.setEnabled(has)

    # --- requests -----------------------------------------------------------------------------
    def choose_files(self, paths: list[Path] | None = None) -> None:
        """添加…: ``paths`` given (tests) or chosen in a file dialog (several at once)."""
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "添加佐证材料", "", "所有文件 (*)")
            paths = [Path(n) for n in names]
        if paths:
            self.files_added.emit(list(paths))

    def open_current(self) -> None:
        eid = self.current_id()
        if eid is not None:
            self.open_requested.emit(eid)

    def rename_current(self, name: str | None = None) -> None:
        """重命名: ``name`` given (tests) or asked."""
        eid = self.current_id()
        info = next((e for e in self._items if e.id == eid), None)
        if info is None:
            return
        if name is None:
            text, ok = QInputDialog.getText(self, "重命名佐证材料", "新的名称：", QLineEdit.EchoMode.Normal, info.name)
            if not ok:
                return
            name = text
        name = name.strip()
        if name and name != info.name:
            self.rename_requested.emit(info.id, name)

    def remove_current(self) -> None:
        eid = self.current_id()
        if eid is not None:
            self.remove_requested.emit(eid)
