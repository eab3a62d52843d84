"""TaskView: the decomposition table as a tree table (QTreeView) with editors, drag-move and an empty hint.

The view knows nothing about storage. It remembers which tasks the clerk collapsed (everything
else is expanded after a reload), turns Tab / Shift+Tab into ``indent_requested`` /
``outdent_requested`` when no cell is being edited, and paints a hint over an empty table. While a
cell is being edited the keys work as in WPS/Excel: Tab / Shift+Tab store the cell and open the
next / previous editable cell of the row (then of the next / previous row), Enter stores it and
moves down to the same column of the next row. The header's context menu shows or
hides columns (落实情况 starts hidden, columns empty for the whole notice are hidden); the table's
context menu is ``context_menu`` (set by the window). Columns: ``task_columns``.
"""
from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QTreeView,
    QWidget,
)

from desktop.settings import Settings

from .task_columns import TaskColumns
from .task_delegates import (
    ENTER_HINT,
    StatusDelegate,
    TextCellDelegate,
    UnitCellDelegate,
    WrappedTextDelegate,
)
from .task_model import (
    COL_DEADLINE,
    COL_LEAD,
    COL_PROGRESS,
    COL_STATUS,
    COL_TEXT,
    COL_TITLE,
    COL_UNITS,
    TaskTreeModel,
)
from .unit_picker import UnitDirectory

ROWS_IN_VIEW = 9  # rows are at most 1/ROWS_IN_VIEW of the table's height (between MIN_LINES and MAX_LINES)
MIN_LINES, MAX_LINES = 2, 6
COMPACT_ABOVE = 1000  # notices with more tasks get uniform two-line rows (layout cost grows per row)
HINT_EMPTY = "这份通知还没有任务。按 Insert 添加第一条任务"
HINT_NO_NOTICE = "请在左侧选择或新建通知（Ctrl+N）"
HINT_NO_MATCH = "没有符合筛选条件的任务"


class TaskView(QTreeView):
    """Tree table of tasks: ExtendedSelection of whole rows, inline editors, internal drag-move.

    Which columns show and how wide they are is its part ``columns`` (``task_columns.TaskColumns``:
    sized to the notice shown, the clerk's header-menu choices and dragged widths kept in the settings).
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

        self.max_lines = 4  # the most lines a cell shows (from the table's height: ``_fit_lines``)

        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.columns = TaskColumns(self)  # shown / hidden, widths, the header's 显示列 menu
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
        model.modelReset.connect(self.columns.rows_reset)
        self.columns.rows_reset()

    # --- columns (TaskColumns) -----------------------------------------------------------------
    def column_menu(self) -> QMenu:
        """显示列: a checkable entry per column that may be hidden, and 恢复默认列."""
        return self.columns.column_menu()

    def show_column(self, column: int, shown: bool = True) -> None:
        """The clerk shows / hides a column: remembered (settings) for every notice."""
        self.columns.show_column(column, shown)

    def reset_columns(self) -> None:
        self.columns.reset_columns()

    def column_shown(self, column: int) -> bool:
        return self.columns.column_shown(column)

    def fit_columns(self) -> None:
        self.columns.fit()

    def use_settings(self, settings: Settings) -> None:
        """Read the clerk's column choices and widths from ``settings`` and keep them there."""
        self.columns.use_settings(settings)

    @property
    def user_widths(self) -> dict[int, int]:
        return self.columns.user_widths

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name (the viewport's size)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.columns.fit()
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

