"""落实情况 log of one task in the detail panel: dated entries newest first, an add form, edit and delete.

The widget never calls storage: it emits ``add_requested(date, text, who)``,
``edit_requested(entry_id, {field: value})`` and ``delete_requested(entry_id)``; the tracking
controller pushes the undo commands and calls ``set_entries`` with the stored log. The 填报人 field
starts with the last name used (the controller remembers it: setting ``tracking/who``). Ctrl+Enter in the text box
adds the entry: the box claims the key (``EntryTextEdit``), so the window's 插入同级 (Ctrl+Enter elsewhere)
does not fire there and Qt sees no ambiguous shortcut.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import ProgressEntry

from .window_fit import fit_to_screen

EntryRole = Qt.ItemDataRole.UserRole + 1
SUBMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_submit_key(event: QKeyEvent) -> bool:
    """Ctrl+Enter (main or keypad Enter)."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in SUBMIT_KEYS and mods == Qt.KeyboardModifier.ControlModifier


class EntryTextEdit(QPlainTextEdit):
    """The 落实情况 text box: Ctrl+Enter emits ``submitted`` and is taken before any window shortcut."""

    submitted = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and is_submit_key(event):
            event.accept()  # ours: the window's 插入同级 (Ctrl+Enter) must not fire while typing here
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if is_submit_key(event):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class ProgressEntryDialog(QDialog):
    """修改落实情况: the date, text and 填报人 of one entry."""

    def __init__(self, entry: ProgressEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改落实情况")
        self.setMinimumWidth(420)
        self.entry = entry
        self.date_edit = _date_edit(entry.date)
        self.who_edit = QLineEdit(entry.who)
        self.text_edit = QPlainTextEdit(entry.text)
        self.text_edit.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("日期", self.date_edit)
        form.addRow("填报人", self.who_edit)
        form.addRow("落实情况", self.text_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text_edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()
        fit_to_screen(self)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text_edit.toPlainText().strip()))

    def changes(self) -> dict:
        """The fields that differ from the entry (for ``Ledger.update_progress``)."""
        typed = {"date": self.date_edit.date().toPython(), "text": self.text_edit.toPlainText().strip(),
                 "who": self.who_edit.text().strip()}
        e = self.entry
        return {k: v for k, v in typed.items() if v != getattr(e, k)}


class ProgressLogWidget(QWidget):
    """The log (newest first) with an add form above it."""

    add_requested = Signal(object, str, str)  # date, text, who
    edit_requested = Signal(int, dict)
    delete_requested = Signal(int)

    def __init__(self, today: Callable[[], dt.date] = dt.date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressLog")
        self.today = today
        self._entries: list[ProgressEntry] = []

        self.date_edit = _date_edit(today())
        self.date_edit.setToolTip("进展发生的日期")
        self.who_edit = QLineEdit()
        self.who_edit.setPlaceholderText("填报人")
        self.text_edit = EntryTextEdit()
        self.text_edit.setObjectName("progressText")
        self.text_edit.setPlaceholderText("本次落实情况，如：已完成改厕320户，正在验收（Ctrl+Enter 添加）")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.add_button = QPushButton("添加记录")
        self.add_button.setToolTip("添加这条落实情况记录（在输入框中按 Ctrl+Enter）")
        self.add_button.setDefault(False)
        self.add_button.setEnabled(False)

        self.list = QListWidget()
        self.list.setObjectName("progressEntries")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.edit_button = QToolButton()
        self.edit_button.setText("修改…")
        self.delete_button = QToolButton()
        self.delete_button.setText("删除")
        self.delete_button.setToolTip("删除这条记录（可撤销）")
        self.empty_label = QLabel("还没有落实情况记录。")
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")

        head = QHBoxLayout()
        head.addWidget(self.date_edit)
        head.addWidget(self.who_edit, 1)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("记录（最新在上）"))
        tools.addStretch(1)
        tools.addWidget(self.edit_button)
        tools.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(head)
        layout.addWidget(self.text_edit)
        layout.addLayout(add_row)
        layout.addLayout(tools)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)

        self.text_edit.textChanged.connect(
            lambda: self.add_button.setEnabled(bool(self.text_edit.toPlainText().strip())))
        self.add_button.clicked.connect(self.submit)
        self.text_edit.submitted.connect(self.submit)
        self.edit_button.clicked.connect(lambda: self.edit_entry())
        self.delete_button.clicked.connect(self.delete_current)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_entry())
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        # activated= / context= as keywords: PySide6 ignores a context given after a callable (it would be
        # a window shortcut, clashing with the table's Delete)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, activated=self.delete_current,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.set_entries([])

    # --- showing ------------------------------------------------------------------------------
    def set_entries(self, entries: list[ProgressEntry]) -> None:
        """Show a task's log (as ``Ledger.progress_log`` gives it, oldest first): newest on top."""
        keep = self.current_entry_id()
        self._entries = sorted(entries, key=lambda e: (e.date, e.id), reverse=True)
        self.list.clear()
        for e in self._entries:
            head = f"{e.date.isoformat()}　{e.who}" if e.who else e.date.isoformat()
            item = QListWidgetItem(f"{head}\n{e.text}")
            item.setData(EntryRole, e.id)
            item.setToolTip(e.text)
            self.list.addItem(item)
            if e.id == keep:
                self.list.setCurrentItem(item)
        self.empty_label.setVisible(not self._entries)
        self.list.setVisible(bool(self._entries))
        self._update_buttons()

    def entries(self) -> list[ProgressEntry]:
        """The entries shown, newest first."""
        return list(self._entries)

    def reset_form(self) -> None:
        """A fresh add form for another task: today, empty text (the 填报人 stays)."""
        self.date_edit.setDate(QDate(self.today()))
        self.text_edit.clear()

    def set_default_who(self, name: str) -> None:
        if not self.who_edit.text():
            self.who_edit.setText(name)

    def current_entry_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(EntryRole) if item is not None else None

    def _update_buttons(self) -> None:
        has = self.current_entry_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # --- requests -----------------------------------------------------------------------------
    def submit(self) -> None:
        """添加记录: emit the typed entry and clear the text."""
        text = self.text_edit.toPlainText().strip()
        if not text:
            return
        self.add_requested.emit(self.date_edit.date().toPython(), text, self.who_edit.text().strip())
        self.text_edit.clear()

    def edit_entry(self, entry_id: int | None = None, changes: dict | None = None) -> None:
        """修改…: ``changes`` given (tests) or asked with ProgressEntryDialog."""
        entry_id = entry_id if entry_id is not None else self.current_entry_id()
        entry = next((e for e in self._entries if e.id == entry_id), None)
        if entry is None:
            return
        if changes is None:
            dialog = ProgressEntryDialog(entry, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            changes = dialog.changes()
        if changes:
            self.edit_requested.emit(entry.id, changes)

    def delete_current(self) -> None:
        entry_id = self.current_entry_id()
        if entry_id is not None:
            self.delete_requested.emit(entry_id)
