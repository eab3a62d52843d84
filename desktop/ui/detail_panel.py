"""Detail panel: every field of the selected task, editable; commits on focus-out or Enter.

The panel never calls storage. It emits ``fields_edited(task_id, {field: value})``,
``units_edited(task_id, role, names)`` and ``due_edited(task_id, date)``; the controllers turn
them into undo commands and then call ``set_task`` with the stored row.

任务名称 and the unit fields wrap over as many lines as their text needs (``WrappingLineEdit``,
``UnitTextEdit``), so a long name or unit list shows from its start, not its end. The fields
themselves live in ``detail_editors`` (text and date fields) and ``unit_text_edit`` (the units field
with its completion); this module lays them out, shows a task in them and reports what was edited.

Three tabs: 任务 (the fields), 落实情况 (``progress_log.ProgressLogWidget``) and 佐证材料
(``evidence_list.EvidenceWidget``). The log and the evidence are loaded only while their tab is
shown (``extras_needed(task_id)``; the tracking controller answers with ``set_log`` /
``set_evidence``), so selecting rows at start-up reads nothing beyond the task table.

Status rules shown here: a parent's 状态 is its items' progress (read-only); 完成日期 can be set
only for 已完成, and switching to 已完成 fills in today (``tracking.status.settle``). The 截止日期
is the date in force; changing it asks for a reason (``due_edited``) unless the task had none.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import TASK_FIELDS, DeadlineKind, EvidenceInfo, ProgressEntry, Status, TaskRow, UnitRole
from desktop.tracking import rules
from desktop.tracking.status import progress_text

from .detail_editors import (
    NO_DATE,
    CommitTextEdit,
    WrappingLineEdit,
    optional_date_edit,
    python_pos,
    set_line,
    set_plain,
)
from .evidence_list import EvidenceWidget
from .progress_log import ProgressLogWidget
from .task_cells import due_state, due_text
from .unit_picker import UnitDirectory
from .unit_text_edit import UnitTextEdit

TAB_TASK, TAB_LOG, TAB_EVIDENCE = range(3)


class DetailPanel(QWidget):
    """Editors for one task; disabled when no single task is selected."""

    fields_edited = Signal(int, object)  # object: a dict signal would be a QVariantMap, keys re-sorted
    units_edited = Signal(int, object, list)  # task id, UnitRole, names
    due_edited = Signal(int, object)  # task id, the new due date (or None)
    extras_needed = Signal(int)  # task id: load the log / evidence of the tab on show

    def __init__(self, directory: UnitDirectory, parent: QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self._row: TaskRow | None = None
        self._loading = False
        self.today = today
        self.year: int | None = None  # the notice's 年度 (due dates of 全年 / recurring tasks)
        self.progress: tuple[int, int] | None = None  # a parent's (done, total), set with the row
        self._extras_for: tuple[int, int] | None = None  # (task id, tab) whose extras were asked for

        self.number_label = QLabel()
        self.title_edit = WrappingLineEdit()
        self.text_edit = CommitTextEdit(lines=6)
        self.text_edit.setPlaceholderText("具体内容（光标处可拆分：Ctrl+Shift+S）")
        self.lead_edit = UnitTextEdit(directory)
        self.units_edit = UnitTextEdit(directory)
        self.owner_edit = QLineEdit()
        self.deadline_edit = QLineEdit()
        self.deadline_edit.setPlaceholderText("如：9月底前、长期坚持")
        self.due_edit = optional_date_edit("未定")
        self.due_edit.setObjectName("dueEdit")
        self.due_edit.setToolTip("截止日期（按完成时限自动算出；修改时需填写调整理由，原定日期会保留）")
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.due_label.setWordWrap(True)
        self.status_combo = QComboBox()
        self.status_combo.addItems([s.value for s in Status])
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setToolTip("上级任务的进度由下级事项的状态得出，不能直接填写")
        self.done_edit = optional_date_edit("未填")
        self.done_clear = QToolButton()
        self.done_clear.setText("清空")
        self.done_clear.hide()  # 已完成 always has a date (the storage rule); other statuses have none
        self.latest_label = QLabel()
        self.latest_label.setObjectName("latestProgress")
        self.latest_label.setWordWrap(True)
        self.latest_label.setTextFormat(Qt.TextFormat.PlainText)
        self.latest_button = QToolButton()
        self.latest_button.setText("记录…")
        self.latest_button.setToolTip("查看或添加落实情况记录")
        self.remark_edit = CommitTextEdit(lines=2)
        self.log_widget = ProgressLogWidget(today)
        self.evidence_widget = EvidenceWidget()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("序号", self.number_label)
        form.addRow(TASK_FIELDS["title"], self.title_edit)
        form.addRow(TASK_FIELDS["text"], self.text_edit)
        form.addRow("牵头单位", self.lead_edit)
        form.addRow("责任单位", self.units_edit)
        form.addRow(TASK_FIELDS["owner"], self.owner_edit)
        form.addRow(TASK_FIELDS["deadline_text"], self.deadline_edit)
        form.addRow(TASK_FIELDS["due_date"], self.due_edit)
        form.addRow("", self.due_label)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_combo, 1)
        status_row.addWidget(self.progress_label, 1)
        form.addRow(TASK_FIELDS["status"], status_row)
        done_row = QHBoxLayout()
        done_row.addWidget(self.done_edit, 1)
        done_row.addWidget(self.done_clear)
        form.addRow(TASK_FIELDS["done_on"], done_row)
        latest_row = QHBoxLayout()
        latest_row.addWidget(self.latest_label, 1)
        latest_row.addWidget(self.latest_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(TASK_FIELDS["progress_note"], latest_row)
        form.addRow(TASK_FIELDS["remark"], self.remark_edit)

        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the form follows the dock width
        # Never narrower than the form itself: otherwise the hidden horizontal scroll shifts the form
        # sideways on focus and cuts the labels (任务名称 → 名称).
        scroll.setMinimumWidth(inner.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(scroll, "任务")
        self.tabs.addTab(self.log_widget, "落实情况")
        self.tabs.addTab(self.evidence_widget, "佐证材料")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel("选择一条任务后在此编辑")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty_label)
        outer.addWidget(self.tabs, 1)
        self._scroll = self.tabs

        self.title_edit.editingFinished.connect(self.commit_pending)
        self.owner_edit.editingFinished.connect(self.commit_pending)
        self.deadline_edit.editingFinished.connect(self.commit_pending)
        self.lead_edit.editingFinished.connect(self.commit_pending)
        self.units_edit.editingFinished.connect(self.commit_pending)
        self.text_edit.editing_finished.connect(self.commit_pending)
        self.remark_edit.editing_finished.connect(self.commit_pending)
        self.done_edit.editingFinished.connect(self.commit_pending)
        self.due_edit.editingFinished.connect(self.commit_due)
        self.status_combo.activated.connect(lambda _i: self._status_picked())
        self.done_clear.clicked.connect(self._clear_done)
        self.latest_button.clicked.connect(lambda: self.tabs.setCurrentIndex(TAB_LOG))
        self.tabs.currentChanged.connect(lambda _i: self._ask_extras())
        self.set_task(None)

    # --- showing ------------------------------------------------------------------------------
    def task_id(self) -> int | None:
        return self._row.id if self._row else None

    def set_task(self, row: TaskRow | None, progress: tuple[int, int] | None = None) -> None:
        """Show ``row`` (None = nothing selected); ``progress``: a parent's (done, total) of its items.
        Uncommitted typing is dropped: commit first."""
        self._loading = True
        try:
            same = row is not None and self._row is not None and row.id == self._row.id
            self._row = row
            self.progress = progress if row is not None and row.child_count else None
            self._scroll.setVisible(row is not None)
            self.empty_label.setVisible(row is None)
            if row is None:
                self._extras_for = None
                return
            self.number_label.setText(row.number)
            set_line(self.title_edit, row.title)
            set_plain(self.text_edit, row.text, keep_cursor=same)
            set_line(self.lead_edit, "、".join(row.lead_units))
            set_line(self.units_edit, "、".join(row.units))
            set_line(self.owner_edit, row.owner)
            set_line(self.deadline_edit, row.deadline_text)
            due = self.due_in_force()
            self.due_edit.setDate(QDate(due) if due else NO_DATE)
            self.due_label.setText(self._due_note(row))
            self.due_label.setVisible(bool(self.due_label.text()))
            late = rules.is_overdue(row, self.today(), self.year)
            self.due_label.setStyleSheet("color: #b71c1c;" if late else "")
            self.status_combo.setCurrentText(row.status.value)
            parent = self.progress is not None
            self.status_combo.setVisible(not parent)
            self.progress_label.setVisible(parent)
            if self.progress is not None:
                self.progress_label.setText(f"下级事项完成 {progress_text(*self.progress)}")
            self.done_edit.setDate(QDate(row.done_on) if row.done_on else NO_DATE)
            self._update_done_enabled()
            if row.progress_note:
                when = f"{row.progress_on.isoformat()}：" if row.progress_on else ""
                self.latest_label.setText(when + row.progress_note)
            else:
                self.latest_label.setText("（暂无记录）")
            set_plain(self.remark_edit, row.remark, keep_cursor=same)
            if not same:
                self.log_widget.reset_form()
        finally:
            self._loading = False
        self._ask_extras()

    def due_in_force(self) -> dt.date | None:
        """The due date the 截止日期 editor shows: the one in force today (``tracking.rules.due``)."""
        r = self._row
        if r is None:
            return None
        return rules.due(r, self.today(), self.year).date

    def _due_note(self, r: TaskRow) -> str:
        parts = []
        if r.revised_at is not None:
            original = r.original_due_date.isoformat() if r.original_due_date else "未定"
            parts.append(f"原定 {original}，已调整：{r.revision_reason or '（未填理由）'}")
        if r.revised_at is None and r.deadline_kind in (DeadlineKind.RECURRING, DeadlineKind.LONG_TERM):
            parts.append(due_text(r, self.today(), self.year))  # 下次到期：… / 长期坚持，不设到期日
        elif r.revised_at is None and r.deadline_kind == DeadlineKind.YEAR_ROUND:
            parts.append("全年任务，年底到期" + _paren(due_state(r, self.today(), self.year)))
        else:
            state = due_state(r, self.today(), self.year)
            if state:
                parts.append(state)
        return "\n".join(p for p in parts if p)

    def _ask_extras(self) -> None:
        """Ask for the log / evidence when their tab is shown for a task they were not loaded for."""
        r = self._row
        tab = self.tabs.currentIndex()
        if r is None or tab == TAB_TASK or not self.isVisible():
            return
        if self._extras_for != (r.id, tab):
            self._extras_for = (r.id, tab)
            self.extras_needed.emit(r.id)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._ask_extras()

    def forget_extras(self) -> None:
        """The log or evidence changed: load again on the next ``_ask_extras``."""
        self._extras_for = None

    def set_log(self, entries: list[ProgressEntry]) -> None:
        self.log_widget.set_entries(entries)

    def set_evidence(self, items: list[EvidenceInfo]) -> None:
        self.evidence_widget.set_items(items)

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
            "remark": self.remark_edit.toPlainText(),
        }
        if r.child_count:  # a parent's status is derived: never typed here
            del typed["status"], typed["done_on"]
        return {k: v for k, v in typed.items() if v != getattr(r, k)}

    def done_date(self) -> dt.date | None:
        d = self.done_edit.date()
        return None if d == NO_DATE else d.toPython()

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
            if editor.text() == "、".join(current):
                continue  # untouched (a stored name with a comma in it would split differently)
            names = editor.names()
            if names != current:
                self.units_edited.emit(task_id, role, names)

    def commit_due(self) -> None:
        """The 截止日期 editor was left: ask for the change (the controller asks the reason)."""
        r = self._row
        if r is None or self._loading:
            return
        d = self.due_edit.date()
        new = None if d == NO_DATE else d.toPython()
        if new != self.due_in_force():
            self.due_edited.emit(r.id, new)

    def revert_due(self) -> None:
        """Show the stored due date again (the clerk cancelled the reason)."""
        due = self.due_in_force()
        self._loading = True
        try:
            self.due_edit.setDate(QDate(due) if due else NO_DATE)
        finally:
            self._loading = False

    def _status_picked(self) -> None:
        """已完成 picked: 完成日期 becomes editable and defaults to today (the storage rule)."""
        if self._loading or self._row is None:
            return
        if self.status_combo.currentText() == Status.DONE.value and self.done_date() is None:
            self.done_edit.setDate(QDate(self.today()))
        elif self.status_combo.currentText() != Status.DONE.value:
            self.done_edit.setDate(NO_DATE)
        self._update_done_enabled()
        self.commit_pending()

    def _update_done_enabled(self) -> None:
        done = self.status_combo.currentText() == Status.DONE.value and not self.progress
        self.done_edit.setEnabled(done)
        self.done_clear.setEnabled(done and self.done_date() is not None)

    def _clear_done(self) -> None:
        self.done_edit.setDate(NO_DATE)
        self.commit_pending()

    def split_point(self) -> tuple[str, int]:
        """The 具体内容 as typed and the cursor position in it, in Python characters (for 在光标处拆分)."""
        text = self.text_edit.toPlainText()
        utf16_pos = self.text_edit.textCursor().position()  # Qt counts UTF-16 units
        return text, python_pos(text, utf16_pos)



def _paren(text: str) -> str:
    return f"（{text}）" if text else ""
