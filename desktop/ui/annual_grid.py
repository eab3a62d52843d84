"""AnnualGrid: one of the annual report's tables 二/三/四 as an editable grid with the official labels.

The grid is drawn from ``desktop.annual.grids`` (the same layout as the documents), so the merged header
cells and row labels look like the published template. Header and label cells are read-only; value cells
take numbers; computed totals are read-only and shaded. ``value_edited(table, row, col, text)`` reports an
edit (the window parses and stores it); ``show_values(table_data)`` refills the numbers without signals;
``mark(keys, tips)`` tints the cells that have open problems. The column header rows of 三 and 四 stay in
place while the rows scroll under them (``head``: a view of the same model showing only those rows, laid
over the top of the grid, as in Qt's frozen-column example).
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.annual.grids import HEAD, HEADING, LABEL, LAYOUTS, TOTAL, VALUE, format_value
from desktop.annual.model import TableData

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
HEAD_BRUSH = QBrush(QColor("#e8ecf2"))
TOTAL_BRUSH = QBrush(QColor("#f1f1e4"))
PROBLEM_BRUSH = QBrush(QColor("#ffd9d4"))
# on-screen widths (px) of the template's relative widths
GRID_WIDTH_PX = {"T2": 760, "T3": 1080, "T4": 1000}


class AnnualGrid(QTableWidget):
    """The grid of table ``table_id`` (T2, T3, T4)."""

    value_edited = Signal(str, str, str, str)  # table, row key, column key, typed text

    def __init__(self, table_id: str, parent: QWidget | None = None) -> None:
        self.layout_ = LAYOUTS[table_id]
        g = self.layout_
        self.head: QTableView | None = None  # the frozen header rows (updateGeometries runs from here on)
        super().__init__(g.n_rows, g.n_cols, parent)
        self.table_id = table_id
        self.setObjectName(f"annualGrid{table_id}")
        self._filling = False
        self._pos: dict[tuple[str, str], tuple[int, int]] = {}
        self._kind: dict[tuple[int, int], str] = {}
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        bold = QFont(self.font())
        bold.setBold(True)
        for c in g.cells:
            if c.rowspan > 1 or c.colspan > 1:
                self.setSpan(c.row, c.col, c.rowspan, c.colspan)
            item = QTableWidgetItem(c.text)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if c.kind == VALUE:
                flags |= Qt.ItemFlag.ItemIsEditable
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip("填写数字；没有发生的事项填 0，空白表示未填")
            elif c.kind == TOTAL:
                item.setBackground(TOTAL_BRUSH)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip("总计：由各项相加自动得出，不能直接填写")
            else:
                if c.kind in (HEAD, HEADING):
                    item.setBackground(HEAD_BRUSH)
                    item.setFont(bold)
                align = Qt.AlignmentFlag.AlignLeft if c.align == "left" and c.kind == LABEL else Qt.AlignmentFlag.AlignHCenter
                item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            item.setFlags(flags)
            if c.key:
                item.setData(KEY_ROLE, c.key)
                self._pos[c.key] = (c.row, c.col)
            self._kind[(c.row, c.col)] = c.kind
            self.setItem(c.row, c.col, item)
        total = GRID_WIDTH_PX[table_id]
        for i, w in enumerate(g.widths):
            self.setColumnWidth(i, max(36, round(total * w / sum(g.widths))))
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.head = self._frozen_head() if g.header_rows else None
        self.resizeRowsToContents()
        self.itemChanged.connect(self._changed)

    # ---- the frozen header rows -----------------------------------------------------------------

    def _frozen_head(self) -> QTableView:
        """A view of the header rows over the top of the grid; it scrolls sideways with the grid only."""
        g = self.layout_
        head = QTableView(self)
        head.setObjectName(f"annualGridHead{self.table_id}")
        head.setModel(self.model())
        head.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head.horizontalHeader().hide()
        head.verticalHeader().hide()
        head.setFrameShape(QFrame.Shape.NoFrame)
        head.setWordWrap(True)
        head.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        head.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        head.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        head.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        head.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for c in g.cells:
            if c.row < g.header_rows and (c.rowspan > 1 or c.colspan > 1):
                head.setSpan(c.row, c.col, c.rowspan, c.colspan)
        for r in range(g.header_rows, g.n_rows):
            head.setRowHidden(r, True)
        for i in range(g.n_cols):
            head.setColumnWidth(i, self.columnWidth(i))
        self.horizontalHeader().sectionResized.connect(lambda i, _old, new: head.setColumnWidth(i, new))
        self.verticalHeader().sectionResized.connect(self._row_resized)
        self.horizontalScrollBar().valueChanged.connect(head.horizontalScrollBar().setValue)
        head.horizontalScrollBar().rangeChanged.connect(
            lambda *_r: head.horizontalScrollBar().setValue(self.horizontalScrollBar().value()))
        return head

    def head_height(self) -> int:
        """The height of the frozen header rows (0: this grid has none)."""
        return sum(self.rowHeight(r) for r in range(self.layout_.header_rows)) if self.head is not None else 0

    def _row_resized(self, row: int, _old: int, new: int) -> None:
        if self.head is not None and row < self.layout_.header_rows:
            self.head.setRowHeight(row, new)
            self._place_head()

    def _place_head(self) -> None:
        if self.head is None:
            return
        vp = self.viewport().geometry()
        self.head.setGeometry(vp.x(), vp.y(), vp.width(), min(self.head_height(), vp.height()))
        self.head.horizontalScrollBar().setValue(self.horizontalScrollBar().value())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._place_head()

    def updateGeometries(self) -> None:  # noqa: N802 - Qt's name
        super().updateGeometries()
        self._place_head()

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt's name
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        """As QTableView, then clear of the frozen header rows."""
        super().scrollTo(index, hint)
        if self.head is None or not index.isValid() or index.row() < self.layout_.header_rows:
            return
        top = self.visualRect(index).top()
        if top < self.head_height():
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - (self.head_height() - top))

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        key = item.data(KEY_ROLE)
        if key and self._kind.get((item.row(), item.column())) == VALUE:
            self.value_edited.emit(self.table_id, key[0], key[1], item.text())

    def position(self, row: str, col: str) -> tuple[int, int]:
        return self._pos[(row, col)]

    def item_at_key(self, row: str, col: str) -> QTableWidgetItem:
        return self.item(*self._pos[(row, col)])

    def is_editable(self, row: str, col: str) -> bool:
        return bool(self.item_at_key(row, col).flags() & Qt.ItemFlag.ItemIsEditable)

    def show_values(self, data: TableData) -> None:
        """Every value and total cell from ``data`` (no ``value_edited``)."""
        self._filling = True
        try:
            for (row, col), (r, c) in self._pos.items():
                text = format_value(data.get(row, col))
                item = self.item(r, c)
                if item.text() != text:
                    item.setText(text)
        finally:
            self._filling = False

    def mark(self, tips: dict[tuple[str, str], str]) -> None:
        """Tint the cells in ``tips`` (key → message) and put the message in their tooltip; clear the rest."""
        self._filling = True
        try:
            for key, (r, c) in self._pos.items():
                item = self.item(r, c)
                kind = self._kind[(r, c)]
                if key in tips:
                    item.setBackground(PROBLEM_BRUSH)
                    item.setToolTip(tips[key])
                else:
                    item.setBackground(TOTAL_BRUSH if kind == TOTAL else QBrush())
                    item.setToolTip("总计：由各项相加自动得出，不能直接填写" if kind == TOTAL
                                    else "填写数字；没有发生的事项填 0，空白表示未填")
        finally:
            self._filling = False

    def go_to(self, row: str, col: str) -> None:
        r, c = self._pos[(row, col)]
        self.setCurrentCell(r, c)
        self.scrollToItem(self.item(r, c), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
