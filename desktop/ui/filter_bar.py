"""Filter bar above the task table: search text, unit, status and deadline choices → a TaskFilter.

单位 offers 全部单位, （无责任单位） (items with no lead or responsible unit, their own or a parent's)
and the directory; 状态 offers 未完成 and each status; 时限 offers 已逾期, 7天内到期, 本周/本月到期 …
(due dates in force, as the digest counts them). The search field shows the longest placeholder that fits
its width (the keys are in its tooltip), so the placeholder is never cut and never widens the window.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionFrame,
    QToolButton,
    QWidget,
)

from desktop.domain import Status

from .task_filter import UNFINISHED, DeadlineFilter, TaskFilter
from .unit_picker import UnitDirectory

ALL_UNITS = "全部单位"
NO_UNIT = "（无责任单位）"
_NO_UNIT_DATA = "\x00no-unit"  # combo data of the NO_UNIT entry
ALL_STATUSES = "全部状态"
#: the search field's placeholder, longest first: the longest that fits the field is shown, never a cut one
SEARCH_PLACEHOLDERS = ("查找任务名称、内容、单位、责任人", "查找任务、单位、责任人", "查找")
SEARCH_TIP = "按任务名称、具体内容、牵头/责任单位、责任人查找（Ctrl+F）；按 Esc 清除"


class _SearchEdit(QLineEdit):
    """The search field: Esc clears; the placeholder is the longest of ``SEARCH_PLACEHOLDERS`` that fits."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    def text_room(self) -> int:
        """Pixels the text (or placeholder) gets: the contents less the text margins, the line edit's
        2 px inner margins and the clear button's room."""
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        contents = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        margins = self.textMargins()
        clear = max((b.width() for b in self.findChildren(QToolButton)), default=0)
        return contents.width() - margins.left() - margins.right() - 4 - clear

    def fit_placeholder(self) -> None:
        room, fm = self.text_room(), self.fontMetrics()
        text = next((t for t in SEARCH_PLACEHOLDERS if fm.horizontalAdvance(t) <= room), SEARCH_PLACEHOLDERS[-1])
        if text != self.placeholderText():
            self.setPlaceholderText(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_placeholder()


class FilterBar(QWidget):
    """Emits ``filter_changed(TaskFilter)`` whenever a choice changes (filtering is fast enough per keystroke)."""

    filter_changed = Signal(object)

    def __init__(self, directory: UnitDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.directory = directory
        self.text_edit = _SearchEdit()
        self.text_edit.setObjectName("searchEdit")
        self.text_edit.setPlaceholderText(SEARCH_PLACEHOLDERS[0])
        self.text_edit.setToolTip(SEARCH_TIP)
        self.text_edit.setClearButtonEnabled(True)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(8)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status_combo = QComboBox()
        self.status_combo.addItem(ALL_STATUSES, None)
        self.status_combo.addItem(UNFINISHED, UNFINISHED)
        for s in Status:
            self.status_combo.addItem(s.value, s)
        self.deadline_combo = QComboBox()
        for d in DeadlineFilter:
            self.deadline_combo.addItem(d.value, d)
        self.clear_button = QPushButton("清除筛选")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.text_edit, 3)
        layout.addWidget(self.unit_combo, 1)
        layout.addWidget(self.status_combo)
        layout.addWidget(self.deadline_combo)
        layout.addWidget(self.clear_button)
        self._fill_units()

        self.text_edit.textChanged.connect(self._emit)
        self.text_edit.escaped.connect(self.clear)
        for combo in (self.unit_combo, self.status_combo, self.deadline_combo):
            combo.currentIndexChanged.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)
        directory.changed.connect(self._fill_units)

    def _fill_units(self) -> None:
        current = self.unit_combo.currentText()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem(ALL_UNITS, None)
        self.unit_combo.addItem(NO_UNIT, _NO_UNIT_DATA)
        self.unit_combo.setItemData(1, "没有牵头单位也没有责任单位的事项（含上级任务也没有的）",
                                    Qt.ItemDataRole.ToolTipRole)
        for u in self.directory.units:
            self.unit_combo.addItem(u.name, u.name)
        found = self.unit_combo.findText(current)
        self.unit_combo.setCurrentIndex(max(found, 0))
        self.unit_combo.blockSignals(False)

    def current_filter(self) -> TaskFilter:
        unit = self.unit_combo.currentData()
        no_unit = unit == _NO_UNIT_DATA
        return TaskFilter(text=self.text_edit.text(),
                          unit_names=self.directory.spellings(unit) if unit and not no_unit else frozenset(),
                          no_unit=no_unit,
                          status=self.status_combo.currentData(),
                          deadline=self.deadline_combo.currentData() or DeadlineFilter.ANY)

    def _emit(self, *_args) -> None:
        self.filter_changed.emit(self.current_filter())

    def clear(self) -> None:
        for w in (self.text_edit, self.unit_combo, self.status_combo, self.deadline_combo):
            w.blockSignals(True)
        self.text_edit.clear()
        self.unit_combo.setCurrentIndex(0)
        self.status_combo.setCurrentIndex(0)
        self.deadline_combo.setCurrentIndex(0)
        for w in (self.text_edit, self.unit_combo, self.status_combo, self.deadline_combo):
            w.blockSignals(False)
        self._emit()

    def focus_search(self) -> None:
        self.show()
        self.text_edit.setFocus()
        self.text_edit.selectAll()
