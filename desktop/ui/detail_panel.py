"""Detail panel: every field of the selected task, editable; commits on focus-out or Enter.

The panel never calls storage. It emits ``fields_edited(task_id, {field: value})`` and
``units_edited(task_id, role, names)``; the controller turns them into the same undo commands
the table uses and then calls ``set_task`` with the stored row.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import TASK_FIELDS, Status, TaskRow, UnitRole

from .unit_picker import UnitDirectory, UnitPicker

_NO_DATE = QDate(2000, 1, 1)  # the QDateEdit minimum, shown as “未填”


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


class DetailPanel(QWidget):
    """Editors for one task; disabled when no single task is selected."""

    fields_edited = Signal(int, dict)
    units_edited = Signal(int, object, list)  # task id, UnitRole, names

    def __init__(self, directory: UnitDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self._row: TaskRow | None = None
        self._loading = False

        self.number_label = QLabel()
        self.title_edit = QLineEdit()
        self.text_edit = CommitTextEdit(lines=6)
        self.text_edit.setPlaceholderText("具体内容（光标处可拆分：Ctrl+Shift+S）")
        self.lead_edit = UnitPicker(directory)
        self.units_edit = UnitPicker(directory)
        self.owner_edit = QLineEdit()
        self.deadline_edit = QLineEdit()
        self.deadline_edit.setPlaceholderText("如：9月底前、长期坚持")
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.status_combo = QComboBox()
        self.status_combo.addItems([s.value for s in Status])
        self.done_edit = QDateEdit()
        self.done_edit.setCalendarPopup(True)
        self.done_edit.setDisplayFormat("yyyy-MM-dd")
        self.done_edit.setMinimumDate(_NO_DATE)
        self.done_edit.setSpecialValueText("未填")
        self.done_clear = QToolButton()
        self.done_clear.setText("清空")
        self.progress_edit = CommitTextEdit(lines=3)
        self.remark_edit = CommitTextEdit(lines=2)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("序号", self.number_label)
        form.addRow(TASK_FIELDS["title"], self.title_edit)
        form.addRow(TASK_FIELDS["text"], self.text_edit)
        form.addRow("牵头单位", self.lead_edit)
        form.addRow("责任单位", self.units_edit)
        form.addRow(TASK_FIELDS["owner"], self.owner_edit)
        form.addRow(TASK_FIELDS["deadline_text"], self.deadline_edit)
        form.addRow("", self.due_label)
        form.addRow(TASK_FIELDS["status"], self.status_combo)
        done_row = QHBoxLayout()
        done_row.addWidget(self.done_edit, 1)
        done_row.addWidget(self.done_clear)
        form.addRow(TASK_FIELDS["done_on"], done_row)
        form.addRow(TASK_FIELDS["progress_note"], self.progress_edit)
        form.addRow(TASK_FIELDS["remark"], self.remark_edit)

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel("选择一条任务后在此编辑")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty_label)
        outer.addWidget(scroll, 1)
        self._scroll = scroll

        self.title_edit.editingFinished.connect(self.commit_pending)
        self.owner_edit.editingFinished.connect(self.commit_pending)
        self.deadline_edit.editingFinished.connect(self.commit_pending)
        self.lead_edit.editingFinished.connect(self.commit_pending)
        self.units_edit.editingFinished.connect(self.commit_pending)
        self.text_edit.editing_finished.connect(self.commit_pending)
        self.progress_edit.editing_finished.connect(self.commit_pending)
        self.remark_edit.editing_finished.connect(self.commit_pending)
        self.done_edit.editingFinished.connect(self.commit_pending)
        self.status_combo.activated.connect(lambda _i: self.commit_pending())
        self.done_clear.clicked.connect(self._clear_done)
        self.set_task(None)

    # --- showing ------------------------------------------------------------------------------
    def task_id(self) -> int | None:
        return self._row.id if self._row else None

    def set_task(self, row: TaskRow | None) -> None:
        """Show ``row`` (None = nothing selected). Uncommitted typing is dropped: commit first."""
        self._loading = True
        try:
            same = row is not None and self._row is not None and row.id == self._row.id
            self._row = row
            self._scroll.setVisible(row is not None)
            self.empty_label.setVisible(row is None)
            if row is None:
                return
            self.number_label.setText(row.number)
            _set_line(self.title_edit, row.title)
            _set_plain(self.text_edit, row.text, keep_cursor=same)
            _set_line(self.lead_edit, "、".join(row.lead_units))
            _set_line(self.units_edit, "、".join(row.units))
            _set_line(self.owner_edit, row.owner)
            _set_line(self.deadline_edit, row.deadline_text)
            self.due_label.setText(f"截止日期：{row.due_date.isoformat()}" if row.due_date else "")
            self.status_combo.setCurrentText(row.status.value)
            self.done_edit.setDate(QDate(row.done_on) if row.done_on else _NO_DATE)
            _set_plain(self.progress_edit, row.progress_note, keep_cursor=same)
            _set_plain(self.remark_edit, row.remark, keep_cursor=same)
        finally:
            self._loading = False

    # --- committing ---------------------------------------------------------------------------
    def pending_fields(self) -> dict:
        """Field values typed in the panel that differ from the shown task."""
        r = self._row
        if r is None:
            return {}
        typed = {
            "title": self.title_edit.text().strip(),
            "text": self.text_edit.toPlainText(),
            "owner": self.owner_edit.text().strip(),
            "deadline_text": self.deadline_edit.text().strip(),
            "status": Status(self.status_combo.currentText()),
            "done_on": self.done_date(),
            "progress_note": self.progress_edit.toPlainText(),
            "remark": self.remark_edit.toPlainText(),
        }
        return {k: v for k, v in typed.items() if v != getattr(r, k)}

    def done_date(self) -> dt.date | None:
        d = self.done_edit.date()
        return None if d == _NO_DATE else d.toPython()

    def commit_pending(self) -> None:
        """Emit whatever the clerk changed (called on focus-out/Enter, and before any action)."""
        r = self._row
        if r is None or self._loading:
            return
        task_id = r.id
        fields = self.pending_fields()
        if fields:
            self.fields_edited.emit(task_id, fields)
        if self._row is None or self._row.id != task_id:
            return
        for role, editor, current in ((UnitRole.LEAD, self.lead_edit, self._row.lead_units),
                                      (UnitRole.RESPONSIBLE, self.units_edit, self._row.units)):
            names = editor.names()
            if names != current:
                self.units_edited.emit(task_id, role, names)

    def _clear_done(self) -> None:
        self.done_edit.setDate(_NO_DATE)
        self.commit_pending()

    def split_point(self) -> tuple[str, int]:
        """The 具体内容 as typed and the cursor position in it, in Python characters (for 在光标处拆分)."""
        text = self.text_edit.toPlainText()
        utf16_pos = self.text_edit.textCursor().position()  # Qt counts UTF-16 units
        return text, len(text.encode("utf-16-le")[:utf16_pos * 2].decode("utf-16-le", "ignore"))


def _set_line(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)


def _set_plain(edit: QPlainTextEdit, text: str, keep_cursor: bool) -> None:
    if edit.toPlainText() == text:
        return
    pos = edit.textCursor().position()
    edit.setPlainText(text)
    if keep_cursor:
        cursor = edit.textCursor()
        cursor.setPosition(min(pos, len(text)))
        edit.setTextCursor(cursor)
