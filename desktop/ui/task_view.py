"""TaskView: the decomposition table as a tree table (QTreeView) with editors, drag-move and an empty hint.

The view knows nothing about storage. It remembers which tasks the clerk collapsed (everything
else is expanded after a reload), turns Tab / Shift+Tab into ``indent_requested`` /
``outdent_requested`` when no cell is being edited, and paints a hint over an empty table. While a
cell is being edited the keys work as in WPS/Excel: Tab / Shift+Tab store the cell and open the
next / previous editable cell of the row (then of the next / previous row), Enter stores it and
moves down to the same column of the next row. The header's context menu shows or
hides columns (落实情况 starts hidden, columns empty for the whole notice are hidden); the table's
context menu is ``context_menu`` (set by the window). Column sizing: see ``TaskView``.
"""
from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QTreeView,
    QWidget,
)

from desktop.domain import TaskRow
from desktop.settings import TASK_COLUMNS, TASK_HEADER_LEGACY, Settings
from desktop.tracking.status import progress_text

from .task_delegates import (
    ENTER_HINT,
    StatusDelegate,
    TextCellDelegate,
    UnitCellDelegate,
    WrappedTextDelegate,
    text_margin,
)
from .task_model import (
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
    TaskTreeModel,
    latest_progress,
)
from .unit_picker import UnitDirectory

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
ROWS_IN_VIEW = 9  # rows are at most 1/ROWS_IN_VIEW of the table's height (between MIN_LINES and MAX_LINES)
MIN_LINES, MAX_LINES = 2, 6
COMPACT_ABOVE = 1000  # notices with more tasks get uniform two-line rows (layout cost grows per row)
HINT_EMPTY = "这份通知还没有任务。按 Insert 添加第一条任务"
HINT_NO_NOTICE = "请在左侧选择或新建通知（Ctrl+N）"
HINT_NO_MATCH = "没有符合筛选条件的任务"


class TaskView(QTreeView):
    """Tree table of tasks: ExtendedSelection of whole rows, inline editors, internal drag-move.

    Columns follow the notice shown: 序号 as wide as its widest number (with its indentation), the
    other columns sized to their content within ``CHAR_BOUNDS``, 具体内容 stretching into the rest
    (at least ``TEXT_SHARE`` of the width while the others can give way), and a column empty for the
    whole notice (``AUTO_HIDDEN``) hidden. The clerk's own choices (the header menu, a dragged
    width) win over all of this and are kept in the settings (``TASK_COLUMNS``, ``use_settings``).
    """

    indent_requested = Signal()
    outdent_requested = Signal()

    def __init__(self, model: TaskTreeModel, directory: UnitDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskView")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setAllColumnsShowFocus(True)
        self.setIndentation(12)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)  # per-pixel would size every wrapped row
        self.hint = HINT_NO_NOTICE
        self.collapsed_ids: set[int] = set()
        self.collapsed.connect(self._remember_collapsed)
        self.expanded.connect(self._remember_expanded)

        self.settings: Settings | None = None
        self.choices: dict[int, bool] = {}  # column → shown, as the clerk set it in the header menu
        self.user_widths: dict[int, int] = {}  # column → width the clerk dragged it to
        self.empty_columns: set[int] = set()  # AUTO_HIDDEN columns empty for the whole notice
        self._wanted: dict[int, int] = {}  # column → width its content asks for
        self._least: dict[int, int] = {}  # column → the narrowest it may get when width is short
        self._fitted_notice: int | None = None
        self._measured_version = -1  # the model's rows_version the widths were measured for
        self._sizing = 0  # > 0 while the view itself sizes or hides sections
        self.max_lines = 4  # the most lines a cell shows (from the table's height: ``_fit_lines``)

        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._column_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.context_menu: QMenu | None = None

        self._text_delegate = WrappedTextDelegate(header, self)
        self._unit_delegate = UnitCellDelegate(directory, header, self)
        self._cell_delegate = TextCellDelegate(header, self)
        self._status_delegate = StatusDelegate(self)
        self.setItemDelegateForColumn(COL_TEXT, self._text_delegate)
        self.setItemDelegateForColumn(COL_LEAD, self._unit_delegate)
        self.setItemDelegateForColumn(COL_UNITS, self._unit_delegate)
        for col in (COL_TITLE, COL_DEADLINE, COL_PROGRESS):
            self.setItemDelegateForColumn(col, self._cell_delegate)
        self.setItemDelegateForColumn(COL_STATUS, self._status_delegate)
        model.modelReset.connect(self._rows_reset)
        self._rows_reset()

    # --- columns: which are shown -------------------------------------------------------------
    def column_menu(self) -> QMenu:
        """显示列: a checkable entry per column that may be hidden (its column number as data), and
        恢复默认列 (forget the clerk's choices and widths)."""
        menu = QMenu("显示列", self)
        for col, title in enumerate(HEADERS):
            if col in ALWAYS_SHOWN:
                continue
            empty = col in self.empty_columns
            action = menu.addAction(f"{title}（本通知中为空）" if empty else title)
            action.setData(col)
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(col))
            action.toggled.connect(lambda on, c=col: self.show_column(c, on))
        menu.addSeparator()
        reset = menu.addAction("恢复默认列")
        reset.setToolTip("按本通知的内容重新排列各列的宽度，空列不显示")
        reset.triggered.connect(self.reset_columns)
        return menu

    def show_column(self, column: int, shown: bool = True) -> None:
        """The clerk shows / hides a column: remembered (settings) for every notice."""
        self.choices[column] = shown
        self._apply_columns()
        self._save_columns()

    def reset_columns(self) -> None:
        self.choices.clear()
        self.user_widths.clear()
        self._apply_columns()
        self._save_columns()

    def column_shown(self, column: int) -> bool:
        """Whether ``column`` should be shown: the clerk's choice, else hidden by default / empty."""
        if column in ALWAYS_SHOWN:
            return True
        if column in self.choices:
            return self.choices[column]
        return column not in HIDDEN_BY_DEFAULT and column not in self.empty_columns

    def _header_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.header().mapToGlobal(pos))
        menu.deleteLater()

    def _rows_reset(self) -> None:
        """After a model reset: which columns are empty and what width each column's content asks for.
        A column is newly hidden as empty only when another notice is shown (not while the clerk
        edits this one); a hidden empty column that gets content is shown again."""
        model = self.task_model()
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
        self._apply_columns()

    def _apply_columns(self) -> None:
        self._sizing += 1
        try:
            for col in range(len(HEADERS)):
                hidden = not self.column_shown(col)
                if self.isColumnHidden(col) != hidden:
                    self.setColumnHidden(col, hidden)
        finally:
            self._sizing -= 1
        self.fit_columns()

    # --- columns: how wide --------------------------------------------------------------------
    def _measure(self, rows: list[TaskRow]) -> None:
        """The width each column's content asks for (``_wanted``) and the narrowest it may get."""
        fm = QFontMetrics(self.font())
        char = fm.horizontalAdvance("中")
        pad = 2 * text_margin(self) + 4
        style = self.header().style()
        header_pad = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self.header()) + 8
        hfm = self.header().fontMetrics()
        label = {col: hfm.horizontalAdvance(title) + header_pad for col, title in enumerate(HEADERS)}
        indent = self.indentation()
        lead = 0 if self.rootIsDecorated() else 1
        numbers = {(r.depth, r.number) for r in rows}
        number = max((indent * (depth - lead) + fm.horizontalAdvance(text) for depth, text in numbers), default=0)
        self._wanted = {COL_NUMBER: max(number + pad, label[COL_NUMBER], indent + 3 * char)}
        model = self.task_model()
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

    def fit_columns(self) -> None:
        """Size the shown columns to the table's width: wishes first, then the flexible ones give
        way (down to their least) so that 具体内容 keeps TEXT_SHARE; the clerk's widths stay."""
        if not self._wanted:
            return
        header = self.header()
        width = self.viewport().width()
        char = QFontMetrics(self.font()).horizontalAdvance("中")
        shown = [c for c in range(len(HEADERS)) if c != COL_TEXT and not self.isColumnHidden(c)]
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

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name (the viewport's size)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()
        if event.size().height() != event.oldSize().height():
            self._fit_lines()

    def _fit_lines(self) -> None:
        """Rows at most 1/ROWS_IN_VIEW of the table's height: a screenful shows that many rows."""
        line = self.fontMetrics().lineSpacing()
        lines = (self.viewport().height() // ROWS_IN_VIEW - 6) // max(1, line)
        lines = max(MIN_LINES, min(MAX_LINES, lines))
        if lines != self.max_lines:
            self.max_lines = lines
            self.scheduleDelayedItemsLayout()

    def _column_resized(self, column: int, old: int, new: int) -> None:
        if old != new:
            self.scheduleDelayedItemsLayout()  # wrapped row heights depend on the column widths
        if self._sizing or column == COL_TEXT or new == 0 or self.isColumnHidden(column):
            return
        self.user_widths[column] = new  # the clerk dragged it (or double-clicked its edge)
        self._save_columns()

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
        self._apply_columns()

    def _legacy_choices(self, state: bytes) -> dict:
        """The columns a header saved before this version (``taskView/header2``) hid, or 落实情况
        shown there, as choices; its widths were the old defaults, not the clerk's, and are dropped."""
        if not state:
            return {}
        old = QHeaderView(Qt.Orientation.Horizontal)
        old.setModel(self.model())
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

    def _save_columns(self) -> None:
        if self.settings is None:
            return
        state = {"shown": [HEADERS[c] for c, on in sorted(self.choices.items()) if on],
                 "hidden": [HEADERS[c] for c, on in sorted(self.choices.items()) if not on],
                 "widths": {HEADERS[c]: w for c, w in sorted(self.user_widths.items())}}
        self.settings.set(TASK_COLUMNS, state)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.context_menu is not None:
            self.context_menu.exec(event.globalPos())
            event.accept()
            return
        super().contextMenuEvent(event)

    def task_model(self) -> TaskTreeModel:
        model = self.model()
        assert isinstance(model, TaskTreeModel)
        return model

    # --- expanded state -----------------------------------------------------------------------
    def _remember_collapsed(self, index: QModelIndex) -> None:
        tid = self.task_model().task_id(index)
        if tid:
            self.collapsed_ids.add(tid)

    def _remember_expanded(self, index: QModelIndex) -> None:
        tid = self.task_model().task_id(index)
        if tid:
            self.collapsed_ids.discard(tid)

    def restore_expanded(self) -> None:
        """Expand every parent except those the clerk collapsed (call right after a model reset).

        Right after a reset the view's layout is still pending, so ``expand`` only records the
        index; one layout follows. ``expandAll`` would instead ask the (Python) model for the flags
        of every row, twice as slow at 5,000 tasks.
        """
        model = self.task_model()
        collapsed = self.collapsed_ids
        self.blockSignals(True)
        try:
            for tid in model.parent_ids():
                if tid not in collapsed:
                    self.expand(model.index_for_id(tid))
        finally:
            self.blockSignals(False)

    def set_row_count_hint(self, count: int) -> None:
        """Wrapped rows grow to fit their text (up to MAX_WRAPPED_LINES lines); above COMPACT_ABOVE
        tasks every row is two lines high, which keeps a reset + layout of 5,000 rows within a keystroke."""
        compact = count > COMPACT_ABOVE
        if compact != self.uniformRowHeights():
            self.setUniformRowHeights(compact)

    # --- selection ----------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """Ids of the selected rows in tree order (the current row if nothing is selected)."""
        model = self.task_model()
        ids = {model.task_id(ix) for ix in self.selectionModel().selectedRows()}
        ids.discard(None)
        if not ids:
            cur = model.task_id(self.currentIndex())
            return [cur] if cur else []
        order = {r.id: i for i, r in enumerate(model.rows())}
        return sorted((i for i in ids if i is not None), key=lambda i: order.get(i, 0))

    def current_id(self) -> int | None:
        return self.task_model().task_id(self.currentIndex())

    def select_ids(self, ids: list[int], current: int | None = None, column: int = COL_TITLE) -> None:
        """Select these tasks' rows and make ``current`` (default: the first) the current row."""
        model = self.task_model()
        sel = QItemSelection()
        for tid in ids:
            ix = model.index_for_id(tid)
            if ix.isValid():
                sel.select(ix, ix.siblingAtColumn(model.columnCount() - 1))
        current = current if current is not None else (ids[0] if ids else None)
        cur_ix = model.index_for_id(current, column) if current else QModelIndex()
        sm = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        if cur_ix.isValid():
            sm.setCurrentIndex(cur_ix, flags.NoUpdate)
            self.scrollTo(cur_ix)
        sm.select(sel, flags.ClearAndSelect | flags.Rows)
        if not cur_ix.isValid():
            sm.setCurrentIndex(QModelIndex(), flags.NoUpdate)

    def open_editor(self) -> QWidget | None:
        """The cell editor that has the focus (None when no cell is being edited)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return None
        editor = QApplication.focusWidget()
        while editor is not None and editor.parentWidget() is not self.viewport():
            editor = editor.parentWidget()
        return editor

    def commit_open_editor(self) -> None:
        """Store and close a cell editor that is still open (before an action reloads the model)."""
        editor = self.open_editor()
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    # --- moving between cells while editing ---------------------------------------------------
    def neighbour_cell(self, index: QModelIndex, forward: bool = True) -> QModelIndex:
        """The next (``forward``) or previous editable cell after ``index`` in reading order: along
        the row's shown columns, then on to the next / previous shown row. Invalid at the table's end."""
        header = self.header()
        columns = [c for c in (header.logicalIndex(v) for v in range(header.count()))
                   if not self.isColumnHidden(c)]
        if not forward:
            columns.reverse()
        if not index.isValid() or index.column() not in columns:
            return QModelIndex()
        model = self.model()
        row = index.siblingAtColumn(0)
        after = columns[columns.index(index.column()) + 1:]
        while row.isValid():
            for col in after:
                cell = row.siblingAtColumn(col)
                if model.flags(cell) & Qt.ItemFlag.ItemIsEditable:
                    return cell
            row = self.indexBelow(row) if forward else self.indexAbove(row)
            after = columns
        return QModelIndex()

    def _editor_index(self, editor: QWidget) -> QModelIndex:
        """The cell ``editor`` edits: the editors are laid over their cell (the current one by default)."""
        index = self.indexAt(editor.geometry().topLeft() + QPoint(2, 2))
        return index if index.isValid() else self.currentIndex()

    def _go_to_cell(self, index: QModelIndex, edit: bool) -> None:
        flags = QItemSelectionModel.SelectionFlag
        self.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.scrollTo(index)
        if edit:
            self.edit(index)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        """Tab / Shift+Tab (``EditNextItem`` / ``EditPreviousItem``) open the next / previous editable
        cell; Enter (``ENTER_HINT``) moves down to the same column. The delegate has already stored
        the text. At the table's last (first) cell Tab (Shift+Tab) leaves the editor open: the cell
        is never opened again with its text selected, where the next key would replace it."""
        hints = QAbstractItemDelegate.EndEditHint
        if hint not in (hints.EditNextItem, hints.EditPreviousItem, ENTER_HINT):
            super().closeEditor(editor, hint)
            return
        origin = self._editor_index(editor)
        if hint == ENTER_HINT:
            below = self.indexBelow(origin) if origin.isValid() else QModelIndex()
            super().closeEditor(editor, hint)
            if below.isValid():
                self._go_to_cell(below, edit=False)
            return
        target = self.neighbour_cell(origin, forward=hint == hints.EditNextItem)
        if not target.isValid():
            return
        super().closeEditor(editor, hints.NoHint)
        self._go_to_cell(target, edit=True)

    # --- keys and painting --------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Enter on a cell that is not being edited moves down as well (as in Excel), and is used up
        here: in the import window it would otherwise press 接受并保存."""
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain \
                and self.state() != QAbstractItemView.State.EditingState:
            below = self.indexBelow(self.currentIndex())
            if below.isValid():
                self._go_to_cell(below, edit=False)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        """Tab indents and Shift+Tab outdents the selected tasks (instead of moving focus) when no cell
        is being edited; in a cell editor that lets the key through (a completion just taken) they
        store the cell and move to the next / previous one, as the delegates do."""
        editor = self.open_editor()
        if editor is not None:
            hints = QAbstractItemDelegate.EndEditHint
            self.commitData(editor)
            self.closeEditor(editor, hints.EditNextItem if next else hints.EditPreviousItem)
            return True
        if self.state() == QAbstractItemView.State.EditingState:
            return super().focusNextPrevChild(next)
        (self.indent_requested if next else self.outdent_requested).emit()
        return True

    def drawBranches(self, painter: QPainter, rect: QRect, index: QModelIndex) -> None:  # noqa: N802
        """The expand arrow beside the first line of a tall row (the 序号 is drawn at the top)."""
        top = QRect(rect)
        top.setHeight(min(rect.height(), self.fontMetrics().lineSpacing() + 6))
        super().drawBranches(painter, top, index)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0 and self.hint:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(20, 20, -20, -20),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, self.hint)
            painter.end()


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
