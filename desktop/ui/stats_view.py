"""完成情况统计: who is behind, per unit, as lead and as responsible — for one notice, one 年度 or all notices.

The numbers are ``Ledger.stats(today, notice_id=, year=, expand_collective=)`` as they are: total,
done, open, overdue (of the open), done on time (of the done). No rankings and no scores: rows come
in the unit directory's order (units not in the directory after them, as they first appear), the
clerk may sort by a column and go back with 按单位库顺序. The 完成情况 column is a stacked bar drawn
with QPainter (按时完成 / 逾期完成 / 未到期 / 已逾期), its length proportional to the unit's task count.
导出 writes the rows shown, in the order shown, to .xlsx or .csv (``stats_export``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import NoticeInfo, UnitRole
from desktop.storage.ledger import Ledger, LedgerError
from desktop.tracking.stats import UnitStats

from .messages import MessageBridge
from .window_fit import fit_to_screen

ROLE_LABELS = {UnitRole.LEAD: "牵头", UnitRole.RESPONSIBLE: "责任"}
HEADERS = ("单位", "角色", "任务数", "已完成", "未完成", "其中逾期", "按时完成", "完成情况")
EXPORT_HEADERS = HEADERS[:-1]
COL_UNIT, COL_ROLE, COL_TOTAL, COL_DONE, COL_OPEN, COL_OVERDUE, COL_ON_TIME, COL_BAR = range(8)
SortRole = Qt.ItemDataRole.UserRole + 1
StatsRole = Qt.ItemDataRole.UserRole + 2

# bar segments: (label, colour)
ON_TIME, LATE, OPEN, OVERDUE = (("按时完成", QColor("#2e7d32")), ("逾期完成", QColor("#9ccc65")),
                                ("未完成（未逾期）", QColor("#90a4ae")), ("已逾期", QColor("#c62828")))

_AnyIndex = QModelIndex | QPersistentModelIndex


def segments(s: UnitStats) -> list[tuple[int, QColor]]:
    """The bar's parts in order: done on time, done late, open not overdue, overdue."""
    return [(s.done_on_time, ON_TIME[1]), (s.done - s.done_on_time, LATE[1]),
            (s.open - s.overdue, OPEN[1]), (s.overdue, OVERDUE[1])]


class StatsModel(QAbstractTableModel):
    """Rows of UnitStats; SortRole gives numbers (and the directory order for the unit column)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[UnitStats] = []
        self._order: dict[str, int] = {}
        self.max_total = 1

    def set_stats(self, rows: list[UnitStats], directory_order: list[str]) -> None:
        self.beginResetModel()
        order = {name: i for i, name in enumerate(directory_order)}
        first: dict[str, int] = {}
        for s in rows:
            first.setdefault(s.unit, len(order) + len(first))
        self._order = {name: order.get(name, first[name]) for name in first}
        self._rows = sorted(rows, key=lambda s: (self._order[s.unit], s.role != UnitRole.LEAD))
        self.max_total = max((s.total for s in rows), default=1) or 1
        self.endResetModel()

    def stats(self) -> list[UnitStats]:
        return list(self._rows)

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    @staticmethod
    def values(s: UnitStats) -> tuple:
        return (s.unit, ROLE_LABELS[s.role], s.total, s.done, s.open, s.overdue, s.done_on_time)

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.values(s)[col] if col < COL_BAR else None
        if role == SortRole:
            if col == COL_UNIT:
                return (self._order[s.unit], s.role != UnitRole.LEAD)
            if col == COL_ROLE:
                return (s.role != UnitRole.LEAD, self._order[s.unit])
            if col == COL_BAR:
                return s.total
            return self.values(s)[col]
        if role == StatsRole:
            return s
        if role == Qt.ItemDataRole.TextAlignmentRole and COL_TOTAL <= col < COL_BAR:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_OVERDUE and s.overdue:
            return OVERDUE[1]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{s.unit}（{ROLE_LABELS[s.role]}单位）：共 {s.total} 项；已完成 {s.done} 项"
                    f"（按时 {s.done_on_time} 项）；未完成 {s.open} 项（其中逾期 {s.overdue} 项）")
        return None


class _Proxy(QSortFilterProxyModel):
    """Sorting by SortRole (tuples and numbers) and the role choice."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.role: UnitRole | None = None
        self.setSortRole(SortRole)

    def set_role(self, role: UnitRole | None) -> None:
        self.role = role
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _AnyIndex) -> bool:
        if self.role is None:
            return True
        s = self.sourceModel().index(source_row, 0, source_parent).data(StatsRole)
        return s is not None and s.role == self.role

    def lessThan(self, left: _AnyIndex, right: _AnyIndex) -> bool:
        return left.data(SortRole) < right.data(SortRole)


class BarDelegate(QStyledItemDelegate):
    """完成情况: a stacked horizontal bar, its full length = the largest task count in the table."""

    def __init__(self, model: StatsModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        s = index.data(StatsRole)
        if s is None or not s.total:
            return
        area = option.rect.adjusted(6, 5, -6, -5)
        full = area.width()
        width_total = max(1, round(full * s.total / self.model.max_total))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        x = area.left()
        done_px = 0
        for count, colour in segments(s):
            if not count:
                continue
            w = round(width_total * (done_px + count) / s.total) - round(width_total * done_px / s.total)
            painter.fillRect(QRect(x, area.top(), max(w, 1), area.height()), colour)
            x += w
            done_px += count
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _AnyIndex) -> QSize:
        return QSize(220, option.fontMetrics.height() + 6)


def legend_html() -> str:
    parts = [f'<span style="background-color:{c.name()}">&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{label}'
             for label, c in (ON_TIME, LATE, OPEN, OVERDUE)]
    return "完成情况：" + "&nbsp;&nbsp;&nbsp;".join(parts) + "&nbsp;&nbsp;（条长＝任务数）"


class StatsDialog(QDialog):
    """The statistics window (non-modal). ``today`` is a callable so tests fix the date."""

    def __init__(self, ledger: Ledger, messages: MessageBridge, today: Callable[[], dt.date] = dt.date.today,
                 notice_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsDialog")
        self.setWindowTitle("完成情况统计")
        self.ledger, self.messages, self.today = ledger, messages, today
        self.last_stats: list[UnitStats] = []

        self.scope_combo = QComboBox()
        self.scope_combo.setMinimumContentsLength(30)
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.role_combo = QComboBox()
        self.role_combo.addItem("牵头和责任单位", None)
        self.role_combo.addItem("只看牵头单位", UnitRole.LEAD)
        self.role_combo.addItem("只看责任单位", UnitRole.RESPONSIBLE)
        self.expand_check = QCheckBox("展开“各乡镇”等统称")
        self.expand_check.setToolTip("把“各乡镇人民政府”“县级各部门”等统称按单位库拆到每个成员单位分别计数")
        self.order_button = QPushButton("按单位库顺序")
        self.order_button.setToolTip("恢复单位库中的顺序（点击列标题可按该列排序）")

        self.model = StatsModel(self)
        self.proxy = _Proxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("statsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setItemDelegateForColumn(COL_BAR, BarDelegate(self.model, self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_UNIT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_UNIT, 220)
        header.resizeSection(COL_ROLE, 48)
        for col in range(COL_TOTAL, COL_BAR):
            header.resizeSection(col, 70)
        header.setSectionResizeMode(COL_BAR, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

        self.legend = QLabel(legend_html())
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.xlsx_button = QPushButton("导出 Excel…")
        self.csv_button = QPushButton("导出 CSV…")
        self.close_button = QPushButton("关闭")

        top = QHBoxLayout()
        top.addWidget(QLabel("范围"))
        top.addWidget(self.scope_combo, 1)
        top.addWidget(self.role_combo)
        top.addWidget(self.expand_check)
        bottom = QHBoxLayout()
        bottom.addWidget(self.order_button)
        bottom.addStretch(1)
        bottom.addWidget(self.xlsx_button)
        bottom.addWidget(self.csv_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(bottom)
        fit_to_screen(self, 940, 600)

        self._fill_scopes(notice_id)
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.expand_check.toggled.connect(lambda _on: self.refresh())
        self.role_combo.currentIndexChanged.connect(lambda _i: self.proxy.set_role(self.role_combo.currentData()))
        self.order_button.clicked.connect(self.directory_order)
        self.xlsx_button.clicked.connect(lambda: self.export_dialog("xlsx"))
        self.csv_button.clicked.connect(lambda: self.export_dialog("csv"))
        self.close_button.clicked.connect(self.close)
        self.refresh()

    # --- scope --------------------------------------------------------------------------------
    def _fill_scopes(self, notice_id: int | None) -> None:
        """全部通知, then per 年度: the year, then its notices (indented)."""
        try:
            notices = self.ledger.notices()
        except LedgerError as e:
            self.messages.error(f"读取通知失败：{e}")
            notices = []
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem("全部通知", ("all", None))
        by_year: dict[int | None, list[NoticeInfo]] = {}
        for n in notices:
            by_year.setdefault(n.year, []).append(n)
        current = 0
        for year, group in by_year.items():
            if year is not None:
                self.scope_combo.addItem(f"{year}年度（{len(group)} 份通知）", ("year", year))
            for n in group:
                self.scope_combo.addItem(f"　{n.title}" if year is not None else n.title, ("notice", n.id))
                self.scope_combo.setItemData(self.scope_combo.count() - 1, n.title, Qt.ItemDataRole.ToolTipRole)
                if n.id == notice_id:
                    current = self.scope_combo.count() - 1
        self.scope_combo.setCurrentIndex(current)
        self.scope_combo.blockSignals(False)

    def set_scope(self, kind: str, value: int | None = None) -> None:
        """Choose 全部通知 ("all"), a 年度 ("year", 2024) or a notice ("notice", id)."""
        for i in range(self.scope_combo.count()):
            if self.scope_combo.itemData(i) == (kind, value):
                self.scope_combo.setCurrentIndex(i)
                return
        raise ValueError(f"no scope {kind} {value}")

    def scope_title(self) -> str:
        return self.scope_combo.currentText().strip()

    # --- content ------------------------------------------------------------------------------
    def refresh(self) -> None:
        kind, value = self.scope_combo.currentData() or ("all", None)
        try:
            stats = self.ledger.stats(self.today(), notice_id=value if kind == "notice" else None,
                                      year=value if kind == "year" else None,
                                      expand_collective=self.expand_check.isChecked())
            order = [u.name for u in self.ledger.units()]
        except LedgerError as e:
            self.messages.error(f"统计失败：{e}")
            return
        self.last_stats = stats
        self.model.set_stats(stats, order)
        self.note.setText(f"截至 {self.today():%Y年%m月%d日}。只计表格中的具体事项（有下级的任务按其下级计），"
                          "不适用的不计；未写单位的事项按上级任务的单位计。逾期按完成时限计（长期坚持、暂缓的不算逾期）。"
                          "不排名次、不打分。")

    def directory_order(self) -> None:
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.proxy.invalidate()

    def shown_rows(self) -> list[tuple]:
        """The rows as shown (role choice and sorting applied): export values."""
        out = []
        for r in range(self.proxy.rowCount()):
            s = self.proxy.index(r, 0).data(StatsRole)
            out.append(StatsModel.values(s))
        return out

    # --- export -------------------------------------------------------------------------------
    def export_dialog(self, kind: str) -> None:
        name = f"完成情况统计_{self.today():%Y%m%d}.{kind}"
        filt = "Excel 工作簿 (*.xlsx)" if kind == "xlsx" else "CSV 文件 (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, "导出完成情况统计", name, filt)
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> bool:
        """Write the view to ``path`` (.xlsx or .csv by its suffix); errors go to the message bridge."""
        from .stats_export import write_csv, write_xlsx

        path = Path(path)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
        try:
            if path.suffix.lower() == ".xlsx":
                title = f"完成情况统计：{self.scope_title()}（{self.role_combo.currentText()}，截至 {self.today().isoformat()}）"
                write_xlsx(path, title, EXPORT_HEADERS, self.shown_rows())
            else:
                write_csv(path, EXPORT_HEADERS, self.shown_rows())
        except LedgerError as e:
            self.messages.error(f"导出失败：{e}")
            return False
        self.messages.info(f"已导出到 {path}")
        return True
