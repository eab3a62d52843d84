"""The import window's grid view: a notice's table as raw cells, with the role of each column above it.

Like Excel's text-import wizard or WPS's 分列: the clerk sees the grid the parser read, with what the
parser decided each column is (序号 / 分组 / 任务名称 / 具体内容 / 牵头单位 / 责任单位 / 配合单位 /
完成时限 / 忽略), which row is the header (rows above it are the title), and — when the notice holds
several tables — which one to read. Every change emits ``choice_changed(TableChoice)``; the dialog
re-reads the notice with it. Plain widgets over the importer's ``TableGrid`` data: no parsing here.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.importing import TableChoice, TableGrid
from desktop.importing.parse.columns import NAME_OF, ROLE_NAMES

_HEADER_BRUSH = QBrush(QColor(230, 236, 245))
_TITLE_BRUSH = QBrush(QColor(140, 140, 140))
_CELL_CHARS = 60


class TableGridPanel(QWidget):
    """Raw grid + role per column + header row + table picker (module docstring)."""

    choice_changed = Signal(object)  # TableChoice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tableGridPanel")
        self.tables: list[TableGrid] = []
        self.index = 0  # position in ``tables`` of the table shown
        self._filling = False
        self._roles_set_by_clerk = False

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.table_box = QComboBox()
        self.table_box.setObjectName("gridTable")
        self.table_label = QLabel("表格：")
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("gridHeaderRow")
        self.header_spin.setSpecialValueText("无表头")
        self.header_spin.setToolTip("表头在第几行；它上面的行是表格标题。0 表示没有表头。")
        self.source_box = QComboBox()
        self.source_box.setObjectName("gridSource")
        self.source_box.addItems(["按表格", "按正文条目"])
        self.source_box.setToolTip("通知既有任务分解表又有编号条目时：任务按表格逐行列出，或按正文的编号条目列出。")
        self.source_label = QLabel("任务来自：")
        self.remember = QCheckBox("记住这种列设置（表头相同的表格下次自动套用）")
        self.remember.setObjectName("gridRemember")
        self.grid = QTableWidget()
        self.grid.setObjectName("gridCells")
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.setWordWrap(False)
        self.grid.verticalHeader().setDefaultSectionSize(24)
        self.grid.setMinimumWidth(220)  # it scrolls: the proposed table beside it needs the room

        top = QHBoxLayout()
        top.addWidget(self.source_label)
        top.addWidget(self.source_box)
        top.addWidget(self.table_label)
        top.addWidget(self.table_box)
        top.addWidget(QLabel("表头所在行："))
        top.addWidget(self.header_spin)
        top.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.hint)
        box.addLayout(top)
        box.addWidget(self.grid, 1)
        box.addWidget(self.remember)

        self.table_box.currentIndexChanged.connect(self._table_chosen)
        self.source_box.currentIndexChanged.connect(self._header_moved)
        self.header_spin.valueChanged.connect(self._header_moved)

    # --- showing -----------------------------------------------------------------------------------
    def show_tables(self, tables: list[TableGrid], shown: int | None = None, has_items: bool = False,
                    items: bool = False) -> None:
        """Show the notice's tables; ``shown`` is the 1-based table to show (default: the one that gave
        the most tasks, else the largest); ``has_items``: the text has numbered items too (offer the
        switch), ``items``: they are what is read now."""
        self._filling = True
        try:
            both = bool(tables) and has_items
            self.source_box.setVisible(both)
            self.source_label.setVisible(both)
            self.source_box.setCurrentIndex(1 if items else 0)
            self.tables = list(tables)
            self.table_box.clear()
            for n, t in enumerate(self.tables, 1):
                self.table_box.addItem(f"第 {n} 个（{len(t.rows)} 行，{t.tasks} 项任务）")
            several = len(self.tables) > 1
            self.table_box.setVisible(several)
            self.table_label.setVisible(several)
            if not self.tables:
                self.index = 0
                self.grid.clear()
                self.grid.setRowCount(0)
                self.grid.setColumnCount(0)
                self.hint.setText("这份通知中没有表格。")
                return
            if shown is None:
                shown = max(range(len(self.tables)), key=lambda i: (self.tables[i].tasks, len(self.tables[i].rows))) + 1
            self.index = shown - 1
            self.table_box.setCurrentIndex(self.index)
            self._fill()
        finally:
            self._filling = False

    def _fill(self) -> None:
        t = self.tables[self.index]
        width = max([len(r) for r in t.rows] + [len(t.roles), 1])
        roles = list(t.roles) + ["other"] * (width - len(t.roles))
        self.header_spin.setRange(0, len(t.rows))
        self.header_spin.setValue(t.header_row)
        self.hint.setText("每列上方是程序对这一列的理解，选错了就改；表头行和要读的表格也可以改。每次修改都会立即"
                          f"重新读取右侧的任务（Ctrl+Z 可撤销）。本表读出 {t.tasks} 项任务。")
        self.grid.clear()
        self.grid.setColumnCount(width)
        self.grid.setRowCount(len(t.rows) + 1)
        self.grid.setHorizontalHeaderLabels([f"第{c + 1}列" for c in range(width)])
        self.grid.setVerticalHeaderLabels(["含义"] + [str(r + 1) for r in range(len(t.rows))])
        for c in range(width):
            combo = QComboBox()
            combo.setObjectName(f"gridRole{c + 1}")
            combo.addItems(list(ROLE_NAMES))
            combo.setCurrentText(NAME_OF.get(roles[c], "忽略"))
            combo.currentIndexChanged.connect(self._role_changed)
            self.grid.setCellWidget(0, c, combo)
        bold = QFont()
        bold.setBold(True)
        for r, row in enumerate(t.rows, 1):
            for c in range(width):
                text = row[c] if c < len(row) else ""
                item = QTableWidgetItem(text if len(text) <= _CELL_CHARS else text[:_CELL_CHARS] + "…")
                item.setToolTip(text if len(text) > _CELL_CHARS else "")
                if t.header_row and r == t.header_row:
                    item.setBackground(_HEADER_BRUSH)
                    item.setFont(bold)
                elif t.header_row and r < t.header_row:
                    item.setForeground(_TITLE_BRUSH)
                self.grid.setItem(r, c, item)
        self.grid.resizeColumnsToContents()
        for c in range(width):
            self.grid.setColumnWidth(c, min(max(self.grid.columnWidth(c), 90), 260))

    # --- reading the clerk's choice -----------------------------------------------------------------
    def roles(self) -> list[str]:
        out = []
        for c in range(self.grid.columnCount()):
            combo = self.grid.cellWidget(0, c)
            out.append(ROLE_NAMES[combo.currentText()] if isinstance(combo, QComboBox) else "other")
        return out

    def role_combo(self, column: int) -> QComboBox:
        """The role drop-down above a column (0-based)."""
        return self.grid.cellWidget(0, column)

    def choice(self) -> TableChoice:
        if self.source_box.currentIndex() == 1:
            return TableChoice(items=True)
        return TableChoice(table=self.index + 1, header_row=self.header_spin.value(),
                           columns=self.roles() if self._roles_set_by_clerk else None)

    def header_labels(self) -> list[str]:
        """The cells of the header row shown (what a remembered mapping is kept under), [] without one."""
        if not self.tables:
            return []
        t = self.tables[self.index]
        h = self.header_spin.value()
        return ["".join(c.split()) for c in t.rows[h - 1]] if 0 < h <= len(t.rows) else []

    def set_roles_from_clerk(self, flag: bool) -> None:
        """The roles shown are the clerk's (a re-read keeps them) or the parser's."""
        self._roles_set_by_clerk = flag

    def _role_changed(self) -> None:
        if self._filling:
            return
        self._roles_set_by_clerk = True
        self.choice_changed.emit(self.choice())

    def _header_moved(self) -> None:
        if not self._filling:
            self.choice_changed.emit(self.choice())

    def _table_chosen(self, index: int) -> None:
        if self._filling or index < 0:
            return
        self.index = index
        self._roles_set_by_clerk = False
        self.choice_changed.emit(TableChoice(table=index + 1))
