"""Cell delegates of the task table: 状态 combo, multi-line 具体内容 editor, wrapped text with capped row heights.

Every text column wraps (``wrapped_hint``): a row is as high as its tallest cell, but no cell asks for
more than the view's ``max_lines`` (else ``MAX_WRAPPED_LINES``; compact mode: ``COMPACT_LINES``), so a
long 具体内容 is clipped with "…" and the whole text is a hover (tooltip) or a click (the detail panel) away. A cell that is
clipped shows its whole text as a tooltip (``WrappedCellMixin.helpEvent``).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent, QKeyEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from desktop.domain import Status

from .unit_picker import UnitDirectory, UnitPickerDelegate

#: how the cell editors end on Enter (Qt's own editors do the same); the view then moves down a row
ENTER_HINT = QAbstractItemDelegate.EndEditHint.SubmitModelCache
MAX_WRAPPED_LINES = 4  # a long cell is cut to this many lines (the view's ``max_lines`` if it has one)
COMPACT_LINES = 2  # every row's height in compact mode (big notices: uniform rows lay out faster)
_CACHE_LIMIT = 20_000
_heights: dict[tuple[str, int, str], int] = {}  # (font key, width, text) → wrapped height in pixels
_clipped: dict[tuple[str, int, str, int], str] = {}  # (font key, width, text, lines) → what a cell shows


def text_margin(widget: QWidget | None) -> int:
    """The horizontal margin the style leaves on each side of an item's text."""
    style = widget.style() if widget is not None else QApplication.style()
    return style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1


def clipped_text(font: QFont, width: int, text: str, lines: int) -> str:
    """``text`` cut to what ``lines`` wrapped lines of ``width`` pixels hold, the last line ending in
    "…" when some is left out (the style would draw a part of the next line below the cell)."""
    key = (font.key(), width, text, lines)
    out = _clipped.get(key)
    if out is not None:
        return out
    if len(_clipped) > _CACHE_LIMIT:
        _clipped.clear()
    shown = text.replace("\n", "\u2028")  # as the style lays it out
    layout = QTextLayout(shown, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts: list[int] = []
    while len(starts) <= lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    out = text
    if len(starts) > lines:
        utf16 = shown.encode("utf-16-le")
        head = utf16[:starts[lines - 1] * 2].decode("utf-16-le", "ignore")
        rest = shown[len(head):].replace("\u2028", " ")
        out = head + QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    _clipped[key] = out
    return out


def wrapped_height(font: QFont, width: int, text: str) -> int:
    """Height of ``text`` wrapped to ``width`` pixels (unbounded; cached: layout asks for it often)."""
    key = (font.key(), width, text)
    height = _heights.get(key)
    if height is None:
        if len(_heights) > _CACHE_LIMIT:
            _heights.clear()
        fm = QFontMetrics(font)
        height = fm.boundingRect(QRect(0, 0, width, 1 << 20), Qt.TextFlag.TextWordWrap, text).height()
        _heights[key] = height
    return height


class WrappedCellMixin:
    """sizeHint from the column's width (text wrapped, at most MAX_WRAPPED_LINES lines) and a tooltip
    with the whole text when the cell shows only part of it. ``header``: the view's header."""

    header: QHeaderView
    _text_margin: int | None = None

    def _margin(self) -> int:
        if self._text_margin is None:
            self._text_margin = text_margin(self.header.parentWidget())
        return self._text_margin

    def _text_width(self, column: int) -> int:
        return max(20, self.header.sectionSize(column) - 2 * self._margin())

    def wrapped_hint(self, option: QStyleOptionViewItem, index) -> QSize:
        fm = QFontMetrics(option.font)
        line = fm.lineSpacing()
        width = self._text_width(index.column())
        view = self.header.parentWidget()
        if getattr(view, "uniformRowHeights", lambda: False)():
            return QSize(width, line * COMPACT_LINES + 6)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        lines = getattr(view, "max_lines", MAX_WRAPPED_LINES)
        height = min(wrapped_height(option.font, width, text), line * lines) if text else line
        return QSize(width, max(height, line) + 6)

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802 - Qt's name
        """Paint only the lines the cell holds, the last one ending in "…" when text is left out."""
        super().initStyleOption(option, index)  # type: ignore[misc]
        text = option.text
        if not text or option.rect.height() <= 0:
            return
        lines = max(1, (option.rect.height() - 2) // option.fontMetrics.lineSpacing())
        width = option.rect.width() - 2 * self._margin()
        if width > 0:
            option.text = clipped_text(option.font, width, text, lines)

    def clipped(self, option: QStyleOptionViewItem, index, rect: QRect) -> bool:
        """Whether the cell at ``rect`` shows only part of its text."""
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if not text:
            return False
        width = max(20, rect.width() - 2 * self._margin())
        return wrapped_height(option.font, width, text) > rect.height() - 4

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index) -> bool:  # noqa: N802 - Qt's name
        if event is not None and event.type() == QEvent.Type.ToolTip and index.isValid() \
                and index.data(Qt.ItemDataRole.ToolTipRole) is None and self.clipped(option, index, option.rect):
            QToolTip.showText(event.globalPos(), index.data(Qt.ItemDataRole.DisplayRole), view)
            return True
        return super().helpEvent(event, view, option, index)  # type: ignore[misc]


class TextCellDelegate(WrappedCellMixin, QStyledItemDelegate):
    """任务名称 / 完成时限 / 落实情况 cells: wrapped display, the default one-line editor."""

    def __init__(self, header: QHeaderView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.header = header

    def sizeHint(self, option, index) -> QSize:
        return self.wrapped_hint(option, index)


class UnitCellDelegate(WrappedCellMixin, UnitPickerDelegate):
    """牵头单位 / 责任单位 cells: the unit list wrapped (not cut with "…" while the row has room)."""

    def __init__(self, directory: UnitDirectory, header: QHeaderView, parent: QObject | None = None) -> None:
        super().__init__(directory, parent)
        self.header = header

    def sizeHint(self, option, index) -> QSize:
        return self.wrapped_hint(option, index)


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


class WrappedTextDelegate(WrappedCellMixin, QStyledItemDelegate):
    """具体内容 cell: word-wrapped display (row height from the column width) and a multi-line editor."""

    def __init__(self, header: QHeaderView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.header = header

    def sizeHint(self, option, index) -> QSize:
        return self.wrapped_hint(option, index)

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
