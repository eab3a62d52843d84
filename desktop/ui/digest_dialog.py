"""到期提醒: ONE window listing overdue tasks and tasks due within 7 days across all notices, grouped by unit.

Shown once after start-up when there is something to show (unless the clerk ticked 启动时不再显示,
kept in the settings as ``DIGEST_HIDE_ON_START``), from 查看 → 到期提醒 and from the status-bar count.
The content is ``Ledger.digest(today)`` (the start-up reader: no SQLAlchemy); ``today`` is a
callable so tests fix the date. Double-clicking a task emits ``jump_requested(notice_id, task_id)``.
"复制为文字" puts the list on the clipboard, for a reminder message to the units.

Each task line says where the task is: the notice's short name (its 文号, else the year and the
distinctive part of its title: ``short_notice_names``), the section(s) above the task and the task
(``path_text``), then its units, due date and how many days are left or over.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import NoticeInfo, TaskRow
from desktop.settings import DIGEST_HIDE_ON_START, Settings
from desktop.storage.ledger import Ledger, LedgerError
from desktop.tracking.digest import Digest, DueItem

from .messages import MessageBridge
from .task_delegates import clipped_text, text_margin, wrapped_height
from .window_fit import fit_to_screen

SEP = " › "  # notice › section › task
COL_TASK, COL_UNITS, COL_DUE, COL_WHEN = range(4)
DAYS = 7
IdsRole = Qt.ItemDataRole.UserRole + 1  # (notice_id, task_id) on task items
UnitRole = Qt.ItemDataRole.UserRole + 2  # the unit name on group items
_RED = QBrush(QColor(192, 32, 32))


def when_text(item: DueItem) -> str:
    """逾期 12 天 / 今天到期 / 3 天后到期."""
    if item.due.overdue:
        return f"逾期 {item.due.days} 天"
    return "今天到期" if item.due.days == 0 else f"{item.due.days} 天后到期"


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def task_label(item: DueItem, n: int = 28) -> str:
    r = item.row
    return _cut(f"{r.number}{r.title or r.text}", n)  # 一、… / （一）… / 1.…: the 序号 carries its punctuation


_TITLE_PREFIXES = ("印发", "转发", "下发")
_TITLE_ENDINGS = ("的通知", "的函", "通知")


def title_core(title: str) -> str:
    """The distinctive part of a notice title: without the issuer before 关于, 印发/转发, book-title
    marks and the closing 的通知 (乐至县人民政府办公室关于印发2023年…方案的通知 → 2023年…方案)."""
    core = " ".join(title.split())
    at = core.find("关于")
    if 0 <= at <= 30:
        core = core[at + 2:]
    for prefix in _TITLE_PREFIXES:
        if core.startswith(prefix):
            core = core[len(prefix):]
            break
    for ending in _TITLE_ENDINGS:
        if core.endswith(ending) and len(core) > len(ending):
            core = core[:-len(ending)]
            break
    core = core.replace("《", "").replace("》", "").strip()
    return core or title


def short_notice_names(notices: list[NoticeInfo], n: int = 18) -> dict[int, str]:
    """notice id → a short name that tells the notices apart: the 文号, else the year and the
    distinctive part of the title; names that still coincide get the 成文日期 (else the number)."""
    names: dict[int, str] = {}
    for notice in notices:
        if notice.doc_number and notice.doc_number.strip():
            names[notice.id] = notice.doc_number.strip()
            continue
        core = title_core(notice.title)
        year = notice.year or (notice.date.year if notice.date else None)
        if year and str(year) not in core:
            core = f"{year}年{core}"
        names[notice.id] = _cut(core, n)
    seen: dict[str, list[NoticeInfo]] = {}
    for notice in notices:
        seen.setdefault(names[notice.id], []).append(notice)
    for name, same in seen.items():
        if len(same) > 1:
            for notice in same:
                names[notice.id] = f"{name}（{notice.date.isoformat() if notice.date else f'#{notice.id}'}）"
    return names


def section_parts(row: TaskRow, rows_by_id: dict[int, TaskRow], n: int = 14) -> list[str]:
    """The headings above ``row``: its top-level section and its parent (a deeper chain is shortened)."""
    chain: list[TaskRow] = []
    parent = rows_by_id.get(row.parent_id) if row.parent_id else None
    while parent is not None and len(chain) < 20:
        chain.append(parent)
        parent = rows_by_id.get(parent.parent_id) if parent.parent_id else None
    chain.reverse()
    if len(chain) > 2:
        chain = [chain[0], chain[-1]]
    return [_cut(f"{a.number}{a.title or a.text}", n) for a in chain]


def path_text(item: DueItem, notice_name: str, rows_by_id: dict[int, TaskRow]) -> str:
    """通知 › 部分 › 任务: e.g. 川办发〔2024〕12号 › 一、着力扩大有效需求 › （二）培育壮大新型消费 › 1.以市场化…"""
    parts = [notice_name] if notice_name else []
    return SEP.join(parts + section_parts(item.row, rows_by_id) + [task_label(item)])


class PathDelegate(QStyledItemDelegate):
    """The 通知 › 部分 › 任务 column: wrapped to at most ``lines`` lines (the last one cut with "…")."""

    def __init__(self, tree: QTreeWidget, lines: int = 2) -> None:
        super().__init__(tree)
        self.tree, self.lines = tree, lines

    def _width(self, index: QModelIndex) -> int:
        depth = 1
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        indent = self.tree.indentation() * (depth if self.tree.rootIsDecorated() else depth - 1)
        return max(40, self.tree.header().sectionSize(index.column()) - indent - 2 * text_margin(self.tree))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if not index.parent().isValid():
            return hint  # a unit's heading: one line
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        line = option.fontMetrics.lineSpacing()
        height = min(wrapped_height(option.font, self._width(index), text), line * self.lines)
        return QSize(hint.width(), max(hint.height(), height + 6))

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if option.text and index.parent().isValid() and option.rect.height() > 0:
            lines = max(1, min(self.lines, (option.rect.height() - 2) // option.fontMetrics.lineSpacing()))
            option.text = clipped_text(option.font, self._width(index), option.text, lines)


def summary_text(d: Digest) -> str:
    if not d.count():
        return f"截至 {d.today:%Y年%m月%d日}，没有逾期或 {d.days} 天内到期的任务。"
    return (f"截至 {d.today:%Y年%m月%d日}：已逾期 {len(d.overdue)} 项，{d.days} 天内到期 {len(d.due_soon)} 项。"
            "按单位分组（有几个牵头单位的任务在各单位下都列出）；双击任务可转到该任务。")


def count_text(d: Digest) -> str:
    """The status-bar count: 逾期 5 · 7 天内到期 3."""
    return f"逾期 {len(d.overdue)} · {d.days} 天内到期 {len(d.due_soon)}"


class DigestDialog(QDialog):
    """The digest window (non-modal; one per main window)."""

    jump_requested = Signal(int, int)  # notice id, task id

    def __init__(self, ledger: Ledger, settings: Settings, today: Callable[[], dt.date] = dt.date.today,
                 messages: MessageBridge | None = None, parent: QWidget | None = None, days: int = DAYS) -> None:
        super().__init__(parent)
        self.setObjectName("digestDialog")
        self.setWindowTitle("到期提醒")
        self.ledger, self.settings, self.today, self.messages, self.days = ledger, settings, today, messages, days
        self.digest: Digest | None = None
        self._titles: dict[int, str] = {}
        self._names: dict[int, str] = {}  # notice id → short name
        self._rows: dict[int, TaskRow] = {}  # task id → row, for the sections above a due task

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("digestTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["单位 / 通知 › 部分 › 任务", "单位", "截止日期", "情况"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)  # a long path takes a second line rather than losing the task
        self.tree.setItemDelegateForColumn(COL_TASK, PathDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TASK, QHeaderView.ResizeMode.Stretch)
        fm = self.tree.fontMetrics()
        header.resizeSection(COL_UNITS, fm.horizontalAdvance("省经济和信息化厅、省财政厅") + 16)
        header.resizeSection(COL_DUE, fm.horizontalAdvance("2024-12-31") + 24)
        header.resizeSection(COL_WHEN, fm.horizontalAdvance("逾期 365 天") + 24)
        self.hide_check = QCheckBox("启动时不再显示")
        self.hide_check.setChecked(settings.get(DIGEST_HIDE_ON_START))
        self.copy_button = QPushButton("复制为文字")
        self.copy_button.setToolTip("把这份清单复制到剪贴板，可粘贴到通知或消息中")
        self.refresh_button = QPushButton("刷新")
        self.close_button = QPushButton("关闭")
        self.close_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hide_check)
        buttons.addStretch(1)
        for b in (self.copy_button, self.refresh_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, 860, 520)

        self.hide_check.toggled.connect(self._save_hide)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.tree.itemActivated.connect(self._activated)
        self.copy_button.clicked.connect(self.copy_text)
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.close_button.clicked.connect(self.close)

    # --- content ------------------------------------------------------------------------------
    def refresh(self, digest: Digest | None = None) -> Digest | None:
        """Fill from ``digest`` or from ``Ledger.digest(today())``; returns what is shown."""
        try:
            if digest is None:
                digest = self.ledger.digest(self.today(), self.days)
            notices = self.ledger.notices()
            ids = sorted({i.notice_id for i in digest.overdue + digest.due_soon})
            trees = self.ledger.tasks_by_notice(ids) if ids else {}
        except LedgerError as e:
            if self.messages is not None:
                self.messages.error(f"读取到期事项失败：{e}")
            return None
        self._titles = {n.id: n.title for n in notices}
        self._names = short_notice_names(notices)
        self._rows = {r.id: r for rows in trees.values() for r in rows}
        self.digest = digest
        self.summary.setText(summary_text(digest))
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for unit, overdue, soon in digest.by_unit():
            parts = [f"逾期 {len(overdue)} 项" if overdue else "", f"将到期 {len(soon)} 项" if soon else ""]
            group = QTreeWidgetItem([f"{unit}（{'，'.join(p for p in parts if p)}）"])
            group.setData(0, UnitRole, unit)
            group.setFont(0, bold)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)  # the counts do not fit the narrow 情况 column
            for item in overdue + soon:
                group.addChild(self._task_item(item))
        self.tree.expandAll()
        return digest

    def path(self, item: DueItem) -> str:
        """通知 › 部分 › 任务 of a due item (its row's text)."""
        return path_text(item, self._names.get(item.notice_id, ""), self._rows)

    def _task_item(self, item: DueItem) -> QTreeWidgetItem:
        r = item.row
        due = item.due.date.isoformat() if item.due.date else ""
        node = QTreeWidgetItem([self.path(item), "、".join(item.owners), due, when_text(item)])
        node.setData(COL_TASK, IdsRole, (item.notice_id, r.id))
        where = SEP.join(section_parts(r, self._rows, n=60))
        tip = "\n".join(x for x in (f"《{self._titles.get(item.notice_id, '')}》", where,
                                     task_label(item, 80), r.text if r.title else "",
                                     f"完成时限：{r.deadline_text}" if r.deadline_text else "",
                                     f"截止日期：{due}（{when_text(item)}）" if due else "",
                                     "双击转到该任务") if x and x != "《》")
        node.setToolTip(COL_TASK, tip)
        node.setToolTip(COL_UNITS, "、".join(item.owners))
        if r.deadline_text:
            node.setToolTip(COL_DUE, r.deadline_text)
        if item.due.overdue:
            node.setForeground(COL_WHEN, _RED)
        return node

    def units(self) -> list[str]:
        """The unit groups, in the order shown (tests)."""
        return [self.tree.topLevelItem(i).data(0, UnitRole) for i in range(self.tree.topLevelItemCount())]

    def task_items(self) -> list[QTreeWidgetItem]:
        """Every task line, in the order shown (tests)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            out += [group.child(j) for j in range(group.childCount())]
        return out

    def as_text(self) -> str:
        """The list as plain text: a heading per unit, one line per task."""
        d = self.digest
        if d is None:
            return ""
        lines = [summary_text(d).split("按单位分组")[0].strip()]
        for unit, overdue, soon in d.by_unit():
            lines.append("")
            lines.append(f"【{unit}】")
            for item in overdue + soon:
                due = item.due.date.isoformat() if item.due.date else ""
                when = "；".join(x for x in (when_text(item), item.row.deadline_text, f"截止 {due}" if due else "")
                                if x)
                lines.append(f"  {self.path(item)}（{when}）")
        return "\n".join(lines)

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())

    # --- reacting -----------------------------------------------------------------------------
    def _activated(self, node: QTreeWidgetItem, _column: int = 0) -> None:
        ids = node.data(0, IdsRole)
        if ids:
            self.jump_requested.emit(int(ids[0]), int(ids[1]))

    def _save_hide(self, on: bool) -> None:
        self.settings.set(DIGEST_HIDE_ON_START, bool(on))


def shows_on_start(settings: Settings) -> bool:
    return not settings.get(DIGEST_HIDE_ON_START)
