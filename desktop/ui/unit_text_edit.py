"""牵头单位 / 责任单位 in the detail panel: a wrapping field of names separated by 、 that completes the name
being typed from the unit directory.

``UnitTextEdit`` is the multi-line sibling of ``unit_picker.UnitPicker`` (the table cells' one-line
editor) and shares its completion: the popup (``make_unit_completer``), the name being typed
(``name_prefix``) and the replacement (``completed``), with Tab taking the highlighted name
(``tab_takes_completion``). It wraps like ``detail_editors.WrappingLineEdit``.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QWidget

from .detail_editors import WrappingLineEdit, python_pos
from .task_cells import split_unit_names
from .unit_picker import UnitDirectory, completed, make_unit_completer, name_prefix, tab_takes_completion


class UnitTextEdit(WrappingLineEdit):
    """牵头单位 / 责任单位 in the panel: names separated by 、, wrapped over as many lines as they need
    (up to ``max_lines``); typing after the last 、 completes from the unit directory, as ``UnitPicker``.
    Pasted lines (a column of names) become names separated by 、."""

    line_break_as = "、"

    def __init__(self, directory: UnitDirectory | None = None, parent: QWidget | None = None,
                 max_lines: int = 8) -> None:
        super().__init__(parent, max_lines)
        self.setPlaceholderText("多个单位用“、”分隔")
        self._completer = make_unit_completer(self)
        if directory is not None:
            self._completer.setModel(directory.model)

    def unit_completer(self) -> QCompleter:
        return self._completer

    def names(self) -> list[str]:
        return split_unit_names(self.text())

    def _cursor(self) -> int:
        """The cursor position in Python characters (Qt counts UTF-16 units)."""
        return python_pos(self.text(), self.textCursor().position())

    def current_prefix(self) -> str:
        """The name being typed: the text after the last separator, up to the cursor."""
        return name_prefix(self.text(), self._cursor())

    def complete_with(self, full_name: str | None) -> None:
        """Replace the name being typed (up to the next separator) with ``full_name``."""
        if not full_name:
            return
        text, pos = completed(self.text(), self._cursor(), full_name)
        self.setPlainText(text)
        cursor = self.textCursor()
        cursor.setPosition(len(text[:pos].encode("utf-16-le")) // 2)  # Qt counts UTF-16 units
        self.setTextCursor(cursor)

    def _update_completion(self) -> None:
        prefix = self.current_prefix()
        popup = self._completer.popup()
        if not prefix:
            popup.hide()
            return
        self._completer.setCompletionPrefix(prefix)
        if self._completer.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self._completer.completionModel().index(0, 0))
        rect = self.cursorRect()
        rect.setWidth(max(self.width(), popup.sizeHintForColumn(0) + popup.verticalScrollBar().sizeHint().width()))
        rect.moveLeft(0)
        self._completer.complete(rect)

    def event(self, event: QEvent) -> bool:
        """Tab / Shift+Tab on an open completion list take the highlighted name, then move on."""
        tab_takes_completion(self, event)
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._completer.popup().isVisible() and event.key() in (
                Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()  # the completer takes these
            return
        before = self.text()
        super().keyPressEvent(event)
        if self.text() != before and event.text():
            self._update_completion()
