"""到期提醒: ONE window listing overdue tasks and tasks due within 7 days across all notices, grouped by unit.

Shown once after start-up when there is something to show (unless the clerk ticked 启动时不再显示,
kept in QSettings under ``digest/hideOnStart``), from 查看 → 到期提醒 and from the status-bar count.
The content is ``Ledger.digest(today)`` (the start-up reader: no SQLAlchemy); ``today`` is a
callable so tests fix the date. Double-clicking a task emits ``jump_requested(notice_id, task_id)``.
"复制为文字" puts the list on the clipboard, for a reminder message to the units.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.ledger import Ledger, LedgerError
from desktop.tracking.digest import Digest, DueItem

from .messages import MessageBridge

HIDE_ON_START_KEY = "digest/hideOnStart"
DAYS = 7
IdsRole = Qt.ItemDataRole.UserRole + 1  # (notice_id, task_id) on task items
UnitRole = Qt.ItemDataRole.UserRole + 2  # the unit name on group items
_RED = QBrush(QColor(192, 32, 32))


def when_text(item: DueItem) -> str:
    """逾期 12 天 / 今天到期 / 3 天后到期."""
    if item.due.overdue:
        return f"逾期 {item.due.days} 天"
    return "今天到期" if item.due.days == 0 else f"{item.due.days} 天后到期"


def task_label(item: DueItem) -> str:
    r = item.row
    name = r.title or (r.text[:40] + ("…" if len(r.text) > 40 else ""))
    return f"{r.number}{name}"  # 一、… / （一）… / 1.…: the 序号 carries its own punctuation


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

    def __init__(self, ledger: Ledger, settings: QSettings, today: Callable[[], dt.date] = dt.date.today,
                 messages: MessageBridge | None = None, parent: QWidget | None = None, days: int = DAYS) -> None:
        super().__init__(parent)
        self.setObjectName("digestDialog")
        self.setWindowTitle("到期提醒")
        self.ledger, self.settings, self.today, self.messages, self.days = ledger, settings, today, messages, days
        self.digest: Digest | None = None
        self._titles: dict[int, str] = {}

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("digestTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["单位 / 任务", "情况", "完成时限", "通知"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 96)
        header.resizeSection(2, 110)
        header.resizeSection(3, 220)
        self.hide_check = QCheckBox("启动时不再显示")
        self.hide_check.setChecked(_truthy(settings.value(HIDE_ON_START_KEY, False)))
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
        self.resize(860, 520)

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
            self._titles = {n.id: n.title for n in self.ledger.notices()}
        except LedgerError as e:
            if self.messages is not None:
                self.messages.error(f"读取到期事项失败：{e}")
            return None
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
        # one notice only: its title on every line says nothing
        self.tree.setColumnHidden(3, len({i.notice_id for i in digest.overdue + digest.due_soon}) <= 1)
        return digest

    def _task_item(self, item: DueItem) -> QTreeWidgetItem:
        r = item.row
        deadline = r.deadline_text or (item.due.date.isoformat() if item.due.date else "")
        due = item.due.date.isoformat() if item.due.date else ""
        node = QTreeWidgetItem([task_label(item), when_text(item), deadline, self._titles.get(item.notice_id, "")])
        node.setData(0, IdsRole, (item.notice_id, r.id))
        tip = "\n".join(x for x in (task_label(item), r.text, f"截止日期：{due}" if due else "",
                                     "双击转到该任务") if x)
        node.setToolTip(0, tip)
        node.setToolTip(3, self._titles.get(item.notice_id, ""))
        if item.due.overdue:
            node.setForeground(1, _RED)
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
                title = self._titles.get(item.notice_id, "")
                lines.append(f"  {task_label(item)}（{when_text(item)}；{item.row.deadline_text or ''}）"
                             + (f" —《{title}》" if title else ""))
        return "\n".join(lines)

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())

    # --- reacting -----------------------------------------------------------------------------
    def _activated(self, node: QTreeWidgetItem, _column: int = 0) -> None:
        ids = node.data(0, IdsRole)
        if ids:
            self.jump_requested.emit(int(ids[0]), int(ids[1]))

    def _save_hide(self, on: bool) -> None:
        self.settings.setValue(HIDE_ON_START_KEY, bool(on))
        self.settings.sync()


def shows_on_start(settings: QSettings) -> bool:
    return not _truthy(settings.value(HIDE_ON_START_KEY, False))


def _truthy(value: object) -> bool:
    """QSettings (IniFormat) gives bools back as 'true' / 'false' strings."""
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
