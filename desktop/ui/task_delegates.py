"""Cell editors of the task table: 状态 combo, multi-line 具体内容 editor with word-wrapped row heights."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QHeaderView,
    QPlainTextEdit,
    QStyledItemDelegate,
    QWidget,
)

from desktop.domain import Status

#: how the cell editors end on Enter (Qt's own editors do the same); the view then moves down a row
ENTER_HINT = QAbstractItemDelegate.EndEditHint.SubmitModelCache
MAX_WRAPPED_LINES = 8  # a very long 具体内容 is cut to this many lines in the table (full text in the tooltip)
COMPACT_LINES = 2  # every row's height in compact mode (big notices: uniform rows lay out faster)


class StatusDelegate(QStyledItemDelegate):
    """状态 cell: a combo of the five statuses, committed as soon as one is picked."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems([s.value for s in Status])
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or Status.NOT_STARTED.value)

    def setModelData(self, editor: QWidget, model, index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, Status(editor.currentText()), Qt.ItemDataRole.EditRole)


class CellTextEdit(QPlainTextEdit):
    """Multi-line cell editor: Enter commits (and the view moves down), Shift+Enter starts a new line,
    Tab / Shift+Tab commit and move to the next / previous cell."""


class WrappedTextDelegate(QStyledItemDelegate):
    """具体内容 cell: word-wrapped display (row height from the column width) and a multi-line editor."""

    def __init__(self, header: QHeaderView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.header = header

    def sizeHint(self, option, index) -> QSize:
        width = max(40, self.header.sectionSize(index.column()) - 8)
        fm = QFontMetrics(option.font)
        line = fm.lineSpacing()
        view = self.parent()
        if getattr(view, "uniformRowHeights", lambda: False)():
            return QSize(width, line * COMPACT_LINES + 6)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        rect = fm.boundingRect(QRect(0, 0, width, line * MAX_WRAPPED_LINES), Qt.TextFlag.TextWordWrap, text)
        height = min(rect.height(), line * MAX_WRAPPED_LINES) + 6
        return QSize(width, max(height, line + 6))

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        editor = CellTextEdit(parent)
        editor.setTabChangesFocus(True)
        return editor

    def updateEditorGeometry(self, editor: QWidget, option, index) -> None:
        rect = QRect(option.rect)
        rect.setHeight(max(rect.height(), 4 * option.fontMetrics.lineSpacing()))
        editor.setGeometry(rect)

    def setEditorData(self, editor: QWidget, index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        if editor.toPlainText() != (index.data(Qt.ItemDataRole.EditRole) or ""):
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor: QWidget, model, index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(obj, CellTextEdit) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                self.commitData.emit(obj)
                self.closeEditor.emit(obj, ENTER_HINT)
                return True
        return super().eventFilter(obj, event)
