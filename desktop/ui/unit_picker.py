"""Unit picker: a line edit for names separated by 、 that completes the last name from the unit directory.

``UnitDirectory`` holds the completion model built from ``Ledger.units()`` (one entry per unit,
matched on its full name, short name and aliases, completing to the full name). ``UnitPicker`` is the editor, used
by way of ``UnitPickerDelegate`` in the 牵头单位/责任单位 table cells; the detail panel's multi-line
``unit_text_edit.UnitTextEdit`` shares its completion (``make_unit_completer``, ``name_prefix``,
``completed``, ``tab_takes_completion``).
Names not in the directory are accepted as typed (storage adds them to the directory).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QStyledItemDelegate, QWidget

from desktop.domain import UnitInfo

from .task_cells import UNIT_SEPARATOR, split_unit_names

KeyRole = Qt.ItemDataRole.UserRole + 1  # all spellings, matched against what is typed
FullNameRole = Qt.ItemDataRole.UserRole + 2  # what gets inserted
_SEPARATORS = UNIT_SEPARATOR + "，,；;/"


class UnitDirectory(QObject):
    """The completion list over the 单位库, shared by every picker of a window."""

    changed = Signal()

    def __init__(self, units: list[UnitInfo] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.units: list[UnitInfo] = []
        self.set_units(units or [])

    def set_units(self, units: list[UnitInfo]) -> None:
        self.units = sorted(units, key=lambda u: (u.category.value, u.order, u.name))
        self.model.clear()
        for u in self.units:
            others = [k for k in dict.fromkeys((u.short_name, *u.aliases)) if k and k != u.name]
            item = QStandardItem(f"{u.name}（{'、'.join(others)}）" if others else u.name)
            item.setData(" ".join((u.name, *others)), KeyRole)  # typed text may match any spelling
            item.setData(u.name, FullNameRole)
            item.setEditable(False)
            self.model.appendRow(item)
        self.changed.emit()

    def spellings(self, name: str) -> frozenset[str]:
        """Every spelling of the unit called ``name`` (for filtering rows that use a short name)."""
        for u in self.units:
            if name in (u.name, u.short_name, *u.aliases):
                return frozenset(s for s in (u.name, u.short_name, *u.aliases) if s)
        return frozenset({name})


class UnitPicker(QLineEdit):
    """Names separated by 、; typing after the last 、 pops up matching directory entries."""

    def __init__(self, directory: UnitDirectory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("输入单位名称，多个用“、”分隔")
        self._completer = make_unit_completer(self)
        self.textEdited.connect(self._update_completion)
        if directory is not None:
            self.set_directory(directory)

    def unit_completer(self) -> QCompleter:
        return self._completer

    def set_directory(self, directory: UnitDirectory) -> None:
        self._completer.setModel(directory.model)

    # --- names --------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return split_unit_names(self.text())

    def current_prefix(self) -> str:
        """The name being typed: the text after the last separator, up to the cursor."""
        return name_prefix(self.text(), self.cursorPosition())

    # --- completion ---------------------------------------------------------------------------
    def _update_completion(self, _text: str = "") -> None:
        prefix = self.current_prefix()
        if not prefix:
            self._completer.popup().hide()
            return
        self._completer.setCompletionPrefix(prefix)
        if self._completer.completionCount() == 0:
            self._completer.popup().hide()
            return
        self._completer.popup().setCurrentIndex(self._completer.completionModel().index(0, 0))
        self._completer.complete()

    def complete_with(self, full_name: str | None) -> None:
        """Replace the name being typed with ``full_name``."""
        if not full_name:
            return
        text, pos = completed(self.text(), self.cursorPosition(), full_name)
        self.setText(text)
        self.setCursorPosition(pos)

    def event(self, event: QEvent) -> bool:
        """Tab / Shift+Tab on an open completion list take the highlighted name first, then move on as
        usual (to the next field, or in the task table to the next cell)."""
        tab_takes_completion(self, event)
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self._completer.popup()
        if popup.isVisible() and event.key() in (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape,
                                                 Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()  # the completer handles these
            return
        super().keyPressEvent(event)


class UnitPickerDelegate(QStyledItemDelegate):
    """Cell editor for 牵头单位/责任单位: a UnitPicker; commits the list of names."""

    def __init__(self, directory: UnitDirectory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directory = directory

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        editor = UnitPicker(self.directory, parent)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        assert isinstance(editor, UnitPicker)
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model, index) -> None:
        assert isinstance(editor, UnitPicker)
        model.setData(index, editor.names(), Qt.ItemDataRole.EditRole)


def tab_takes_completion(field, event: QEvent) -> None:
    """Tab / Shift+Tab while ``field``'s completion list is open: the highlighted name is taken first
    (``field.complete_with``), then the key moves on as usual. For UnitPicker and the detail panel's
    multi-line units field."""
    if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) \
            and field._completer.popup().isVisible():
        popup = field._completer.popup()
        index = popup.currentIndex()
        popup.hide()
        if index.isValid():
            field.complete_with(index.data(FullNameRole))


def make_unit_completer(field: QWidget) -> QCompleter:
    """The completion popup of a units field (``UnitPicker``, the detail panel's ``UnitTextEdit``): matches
    any spelling anywhere in an entry, case-insensitively; picking an entry calls ``field.complete_with``
    with the unit's full name. Its model is a ``UnitDirectory``'s."""
    completer = QCompleter(field)
    completer.setWidget(field)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setCompletionRole(KeyRole)
    completer.setMaxVisibleItems(12)
    completer.activated[QModelIndex].connect(lambda ix: field.complete_with(ix.data(FullNameRole)))
    return completer


def name_prefix(text: str, pos: int) -> str:
    """The name being typed in ``text`` at ``pos``: the text after the last separator, up to ``pos``."""
    before = text[:pos]
    cut = max(before.rfind(s) for s in _SEPARATORS)
    return before[cut + 1:].strip()


def completed(text: str, pos: int, full_name: str) -> tuple[str, int]:
    """``text`` with the name being typed at ``pos`` replaced by ``full_name`` — the rest of that name too
    (right of ``pos``, up to the next separator) — and the position just after it."""
    before, after = text[:pos], text[pos:]
    head = before[:max(before.rfind(s) for s in _SEPARATORS) + 1]
    nxt = min([i for i in (after.find(s) for s in _SEPARATORS) if i >= 0], default=len(after))
    new = head + full_name
    return new + after[nxt:], len(new)
