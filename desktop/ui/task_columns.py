"""The task table's columns: which are shown, how wide, and what the clerk chose (``TaskColumns``).

Columns follow the notice shown: 序号 as wide as its widest number (with its indentation), the other
columns sized to their content within ``CHAR_BOUNDS``, 具体内容 stretching into the rest (at least
``TEXT_SHARE`` of the width while the others can give way), and a column empty for the whole notice
(``AUTO_HIDDEN``) hidden; 落实情况 starts hidden. The clerk's own choices — the header's 显示列 menu,
a dragged width — win over all of this and are kept in the settings (``TASK_COLUMNS``).
``TaskColumns`` works on the ``TaskView`` it is given (its header, font and width) and is its part.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QMenu, QStyle

from desktop.domain import TaskRow
from desktop.settings import TASK_COLUMNS, TASK_HEADER_LEGACY, Settings
from desktop.tracking.status import progress_text

from .task_cells import (
    COL_DEADLINE,
    COL_LEAD,
    COL_NUMBER,
    COL_PROGRESS,
    COL_STATUS,
    COL_TEXT,
    COL_TITLE,
    COL_UNITS,
    HEADERS,
    UNIT_SEPARATOR,
    latest_progress,
)
from .task_delegates import text_margin

if TYPE_CHECKING:
    from .task_view import TaskView

HIDDEN_BY_DEFAULT = (COL_PROGRESS,)
ALWAYS_SHOWN = (COL_NUMBER, COL_TEXT)  # the header menu cannot hide these
AUTO_HIDDEN = (COL_TITLE, COL_LEAD, COL_UNITS, COL_DEADLINE)  # hidden while empty for the whole notice
MIN_ROWS_TO_HIDE = 3  # a notice with fewer rows is being typed in: its empty columns stay
# width bounds in characters (the width of 中) of the columns sized to their content; the first
# number is how narrow the column may get when the table is short of width
CHAR_BOUNDS = {COL_TITLE: (4, 9), COL_LEAD: (4, 10), COL_UNITS: (5, 10), COL_DEADLINE: (5, 7.5),
               COL_PROGRESS: (6, 12)}
# which flexible columns give up width first when the table is short of it
GIVES_WAY_FIRST = [COL_PROGRESS, COL_DEADLINE, COL_TITLE, COL_LEAD, COL_UNITS]
TEXT_SHARE = 0.42  # 具体内容 keeps this share of the table's width before other columns get their wish
TEXT_MIN_CHARS = 12


class TaskColumns(QObject):
    """The columns of ``view``: shown or hidden, their widths, the clerk's choices kept in the settings."""

    def __init__(self, view: TaskView) -> None:
        super().__init__(view)
        self.view = view
        self.settings: Settings | None = None
        self.choices: dict[int, bool] = {}  # column → shown, as the clerk set it in the header menu
        self.user_widths: dict[int, int] = {}  # column → width the clerk dragged it to
        self.empty_columns: set[int] = set()  # AUTO_HIDDEN columns empty for the whole notice
        self._wanted: dict[int, int] = {}  # column → width its content asks for
        self._least: dict[int, int] = {}  # column → the narrowest it may get when width is short
        self._fitted_notice: int | None = None
        self._measured_version = -1  # the model's rows_version the widths were measured for
        self._sizing = 0  # > 0 while the view itself sizes or hides sections
        self._save_timer = QTimer(self, singleShot=True, interval=400, timeout=self.save)
        header = view.header()
        header.sectionResized.connect(self.column_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.header_menu)

    # --- columns: which are shown -------------------------------------------------------------
    def column_menu(self) -> QMenu:
        """显示列: a checkable entry per column that may be hidden (its column number as data), and
        恢复默认列 (forget the clerk's choices and widths)."""
        menu = QMenu("显示列", self.view)
        for col, title in enumerate(HEADERS):
            if col in ALWAYS_SHOWN:
                continue
            empty = col in self.empty_columns
            action = menu.addAction(f"{title}（本通知中为空）" if empty else title)
            action.setData(col)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(col))
            action.toggled.connect(lambda on, c=col: self.show_column(c, on))
        menu.addSeparator()
        reset = menu.addAction("恢复默认列")
        reset.setToolTip("按本通知的内容重新排列各列的宽度，空列不显示")
        reset.triggered.connect(self.reset_columns)
        return menu

    def show_column(self, column: int, shown: bool = True) -> None:
        """The clerk shows / hides a column: remembered (settings) for every notice."""
        self.choices[column] = shown
        self.apply()
        self.save()

    def reset_columns(self) -> None:
        self.choices.clear()
        self.user_widths.clear()
        self.apply()
        self.save()

    def column_shown(self, column: int) -> bool:
        """Whether ``column`` should be shown: the clerk's choice, else hidden by default / empty."""
        if column in ALWAYS_SHOWN:
            return True
        if column in self.choices:
            return self.choices[column]
        return column not in HIDDEN_BY_DEFAULT and column not in self.empty_columns

    def header_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.view.header().mapToGlobal(pos))
        menu.deleteLater()

    def rows_reset(self) -> None:
        """After a model reset: which columns are empty and what width each column's content asks for.
        A column is newly hidden as empty only when another notice is shown (not while the clerk
        edits this one); a hidden empty column that gets content is shown again."""
        model = self.view.task_model()
        if model.rows_version == self._measured_version and self._wanted:
            return  # a filter change: the same rows, the same columns
        self._measured_version = model.rows_version
        rows = model.rows()
        notice = rows[0].notice_id if rows else None
        empty = _empty_columns(rows) if len(rows) >= MIN_ROWS_TO_HIDE else set()
        if notice != self._fitted_notice:
            self.empty_columns = empty
            self._fitted_notice = notice
        else:
            self.empty_columns &= empty
        self._measure(rows)
        self.apply()

    def apply(self) -> None:
        self._sizing += 1
        try:
            for col in range(len(HEADERS)):
                hidden = not self.column_shown(col)
                if self.view.isColumnHidden(col) != hidden:
                    self.view.setColumnHidden(col, hidden)
        finally:
            self._sizing -= 1
        self.fit()

    # --- columns: how wide --------------------------------------------------------------------
    def _measure(self, rows: list[TaskRow]) -> None:
        """The width each column's content asks for (``_wanted``) and the narrowest it may get."""
        fm = QFontMetrics(self.view.font())
        char = fm.horizontalAdvance("中")
        pad = 2 * text_margin(self.view) + 4
        style = self.view.header().style()
        header_pad = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self.view.header()) + 8
        hfm = self.view.header().fontMetrics()
        label = {col: hfm.horizontalAdvance(title) + header_pad for col, title in enumerate(HEADERS)}
        indent = self.view.indentation()
        lead = 0 if self.view.rootIsDecorated() else 1
        numbers = {(r.depth, r.number) for r in rows}
        number = max((indent * (depth - lead) + fm.horizontalAdvance(text) for depth, text in numbers), default=0)
        self._wanted = {COL_NUMBER: max(number + pad, label[COL_NUMBER], indent + 3 * char)}
        model = self.view.task_model()
        statuses = {s.value for s in {r.status for r in rows if not r.child_count}} | {"推进中"}
        statuses |= {progress_text(*p) for p in {model.progress(r.id) for r in rows if r.child_count} if p}
        self._wanted[COL_STATUS] = max(max(fm.horizontalAdvance(t) for t in statuses) + pad, label[COL_STATUS])

        def longest(texts: set[str]) -> int:
            # the longest by characters first: measuring every text of 5,000 rows costs a keystroke
            return max((fm.horizontalAdvance(t) for t in sorted(texts, key=len)[-40:]), default=0)

        titles = {r.title for r in rows}
        lead_names = {n for r in rows for n in r.lead_units}
        unit_names = {n for r in rows for n in r.units}
        lists = {UNIT_SEPARATOR.join(names) for names in {tuple(r.units) for r in rows} | {tuple(r.lead_units) for r in rows}}
        unit_list = longest(lists)
        content = {
            COL_TITLE: longest(titles),
            COL_LEAD: max(longest(lead_names), unit_list if lead_names else 0),
            COL_UNITS: max(longest(unit_names), unit_list if unit_names else 0),
            COL_DEADLINE: longest({r.deadline_text for r in rows}),
            COL_PROGRESS: longest({latest_progress(r) for r in rows if r.progress_note}),
        }
        self._least = {}
        for col, (low, high) in CHAR_BOUNDS.items():
            least = max(int(low * char) + pad, label[col])
            self._wanted[col] = max(least, min(content[col] + pad, int(high * char) + pad)) if content[col] \
                else max(least, int((low + high) / 2 * char) + pad)
            self._least[col] = least

    def fit(self) -> None:
        """Size the shown columns to the table's width: wishes first, then the flexible ones give
        way (down to their least) so that 具体内容 keeps TEXT_SHARE; the clerk's widths stay."""
        if not self._wanted:
            return
        header = self.view.header()
        width = self.view.viewport().width()
        char = QFontMetrics(self.view.font()).horizontalAdvance("中")
        shown = [c for c in range(len(HEADERS)) if c != COL_TEXT and not self.view.isColumnHidden(c)]
        sizes: dict[int, int] = {}
        flexible = []
        for col in shown:
            if col in self.user_widths:
                sizes[col] = self.user_widths[col]
                if col == COL_NUMBER:  # never so narrow that a number wraps or shows "…"
                    sizes[col] = max(sizes[col], self._wanted[col])
            elif col in self._least:
                flexible.append(col)
            else:
                sizes[col] = self._wanted[col]
        budget = width - max(int(width * TEXT_SHARE), TEXT_MIN_CHARS * char) - sum(sizes.values())
        for col in flexible:
            sizes[col] = self._wanted[col]
        short = sum(sizes[c] for c in flexible) - budget
        for col in sorted(flexible, key=GIVES_WAY_FIRST.index):  # 责任单位 keeps its width longest
            if short <= 0:
                break
            give = min(short, sizes[col] - self._least[col])
            sizes[col] -= give
            short -= give
        self._sizing += 1
        try:
            for col, size in sizes.items():
                if header.sectionSize(col) != size:
                    header.resizeSection(col, size)
        finally:
            self._sizing -= 1

    def column_resized(self, column: int, old: int, new: int) -> None:
        if old != new:
            self.view.scheduleDelayedItemsLayout()  # wrapped row heights depend on the column widths
        if self._sizing or column == COL_TEXT or new == 0 or self.view.isColumnHidden(column):
            return
        self.user_widths[column] = new  # the clerk dragged it (or double-clicked its edge)
        self._save_timer.start()  # written once the drag has stopped, not for every pixel

    # --- columns: remembered ------------------------------------------------------------------
    def use_settings(self, settings: Settings) -> None:
        """Read the clerk's column choices and widths from ``settings`` and keep them there."""
        self.settings = settings
        saved = settings.get(TASK_COLUMNS)
        col_of = {title: col for col, title in enumerate(HEADERS)}
        if not saved:
            saved = self._legacy_choices(settings.get(TASK_HEADER_LEGACY))
        self.choices = {col_of[t]: True for t in saved.get("shown", []) if t in col_of}
        self.choices.update({col_of[t]: False for t in saved.get("hidden", []) if t in col_of})
        widths = saved.get("widths", {})
        self.user_widths = {col_of[t]: int(w) for t, w in (widths.items() if isinstance(widths, dict) else ())
                            if t in col_of and col_of[t] != COL_TEXT and isinstance(w, int) and 10 <= w <= 2000}
        self.apply()

    def _legacy_choices(self, state: bytes) -> dict:
        """The columns a header saved before this version (``taskView/header2``) hid, or 落实情况
        shown there, as choices; its widths were the old defaults, not the clerk's, and are dropped."""
        if not state:
            return {}
        old = QHeaderView(Qt.Orientation.Horizontal)
        old.setModel(self.view.model())
        try:
            if not old.restoreState(QByteArray(state)):
                return {}
            hidden = [HEADERS[c] for c in range(len(HEADERS)) if c not in ALWAYS_SHOWN and old.isSectionHidden(c)
                      and c not in HIDDEN_BY_DEFAULT]
            shown = [HEADERS[c] for c in HIDDEN_BY_DEFAULT if not old.isSectionHidden(c)]
        finally:
            old.setModel(None)
            old.deleteLater()
        return {"hidden": hidden, "shown": shown}

    def flush(self) -> None:
        """Write a dragged width not written yet (the window closes)."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self.save()

    def save(self) -> None:
        self._save_timer.stop()
        if self.settings is None:
            return
        state = {"shown": [HEADERS[c] for c, on in sorted(self.choices.items()) if on],
                 "hidden": [HEADERS[c] for c, on in sorted(self.choices.items()) if not on],
                 "widths": {HEADERS[c]: w for c, w in sorted(self.user_widths.items())}}
        self.settings.set(TASK_COLUMNS, state)


def _empty_columns(rows: list[TaskRow]) -> set[int]:
    """The AUTO_HIDDEN columns no row of the notice fills."""
    empty = set(AUTO_HIDDEN)
    for r in rows:
        if r.title:
            empty.discard(COL_TITLE)
        if r.lead_units:
            empty.discard(COL_LEAD)
        if r.units:
            empty.discard(COL_UNITS)
        if r.deadline_text or (r.revised_at is not None and r.due_date is not None):
            empty.discard(COL_DEADLINE)
        if not empty:
            break
    return empty
