"""The detail panel's text fields: they commit on focus-out and on Enter, as its controllers expect.

``CommitTextEdit`` is a multi-line field (具体内容, 备注; Shift+Enter adds a line); ``WrappingLineEdit`` a
one-paragraph field (任务名称) that wraps over as many lines as its text needs instead of scrolling
sideways, so a long name shows from its start. ``optional_date_edit`` makes the date fields whose lowest
date (``NO_DATE``) stands for “no date”. ``set_line`` / ``set_plain`` show a stored value without
disturbing a field that already shows it; ``python_pos`` turns Qt's UTF-16 cursor into a Python index.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QTextOption
from PySide6.QtWidgets import QDateEdit, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

NO_DATE = QDate(2000, 1, 1)  # the QDateEdit minimum, shown as the special text (未填 / 未定)


class CommitTextEdit(QPlainTextEdit):
    """Multi-line field that reports ``editing_finished`` on focus-out and on Enter (Shift+Enter = new line)."""

    editing_finished = Signal()

    def __init__(self, parent: QWidget | None = None, lines: int = 4) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            self.editing_finished.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class WrappingLineEdit(QPlainTextEdit):
    """A one-paragraph field (任务名称) that wraps instead of scrolling sideways: as high as its text
    (one line up to ``max_lines``, then it scrolls), so a long name shows from its start. Behaves like
    a QLineEdit: ``text`` / ``setText``, ``editingFinished`` on Enter and on focus-out; Enter never
    adds a line break and pasted line breaks are dropped."""

    editingFinished = Signal()  # noqa: N815 - QLineEdit's name
    line_break_as = ""  # what a pasted line break becomes

    def __init__(self, parent: QWidget | None = None, max_lines: int = 6) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self._text_changed)
        self._fit_height()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - QLineEdit's name
        self.setPlainText(text)

    def _text_changed(self) -> None:
        text = self.toPlainText()
        if "\n" in text or "\u2029" in text:  # a paste with line breaks: one paragraph
            cursor = self.textCursor()
            pos = cursor.position()
            self.blockSignals(True)
            self.setPlainText(text.replace("\u2029", "\n").replace("\n", self.line_break_as))
            self.blockSignals(False)
            cursor = self.textCursor()
            cursor.setPosition(min(pos, len(self.toPlainText())))
            self.setTextCursor(cursor)
        self._fit_height()

    def _fit_height(self) -> None:
        doc = self.document()
        layout = doc.documentLayout()
        height = 0.0
        block = doc.begin()
        while block.isValid():
            height += layout.blockBoundingRect(block).height()
            block = block.next()
        line = self.fontMetrics().lineSpacing()
        height = max(line, min(int(height + 0.5), line * self.max_lines))
        frame = 2 * self.frameWidth() + int(2 * doc.documentMargin())
        if self.height() != height + frame or self.minimumHeight() != height + frame:
            self.setFixedHeight(height + frame)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.editingFinished.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


def optional_date_edit(no_date_text: str) -> QDateEdit:
    """A yyyy-MM-dd date field with a calendar, where ``NO_DATE`` shows ``no_date_text``."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(no_date_text)
    return edit


def python_pos(text: str, utf16_pos: int) -> int:
    return len(text.encode("utf-16-le")[:utf16_pos * 2].decode("utf-16-le", "ignore"))


def set_line(edit: QLineEdit | WrappingLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)


def set_plain(edit: QPlainTextEdit, text: str, keep_cursor: bool) -> None:
    if edit.toPlainText() == text:
        return
    pos = edit.textCursor().position()
    edit.setPlainText(text)
    if keep_cursor:
        cursor = edit.textCursor()
        cursor.setPosition(min(pos, len(text)))
        edit.setTextCursor(cursor)
