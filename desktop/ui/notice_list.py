"""Notice list (left dock): notices grouped by year, newest first, with 新建 / 属性（重命名） / 删除.

The list calls the Ledger's notice methods itself (these are not undoable; deleting asks first)
and emits ``current_changed(notice_id or None)`` when the clerk picks another notice.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import NoticeInfo
from desktop.storage.ledger import Ledger

from .messages import MessageBridge
from .new_notice_dialog import NewNoticeDialog

NoticeIdRole = Qt.ItemDataRole.UserRole + 1
NO_YEAR = "未标年度"


def notice_year(n: NoticeInfo) -> int | None:
    return n.year or (n.date.year if n.date else None)


class NoticeList(QWidget):
    """Tree of 年度 → 通知 (title, task count)."""

    current_changed = Signal(object)  # notice id or None
    notice_deleted = Signal(int)

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeList")
        self.ledger = ledger
        self.messages = messages
        self._notices: dict[int, NoticeInfo] = {}
        self._current: int | None = None

        self.tree = QTreeWidget()
        self.tree.setObjectName("noticeTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["通知", "任务"])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.setIndentation(12)

        self.new_action = QAction("新建", self)
        self.new_action.setToolTip("新建通知（Ctrl+N）")
        self.edit_action = QAction("重命名", self)
        self.edit_action.setToolTip("修改通知标题、文号等（F2）")
        self.edit_action.setShortcut(QKeySequence("F2"))
        self.delete_action = QAction("删除", self)
        self.delete_action.setToolTip("删除通知及其全部任务（Delete）")
        self.delete_action.setShortcut(QKeySequence("Delete"))
        for a in (self.edit_action, self.delete_action):
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tree.addActions([self.new_action, self.edit_action, self.delete_action])
        self.new_action.triggered.connect(lambda: self.new_notice())
        self.edit_action.triggered.connect(lambda: self.edit_notice())
        self.delete_action.triggered.connect(lambda: self.delete_notice())

        bar = QToolBar()
        bar.setIconSize(bar.iconSize() / 2)
        bar.addActions([self.new_action, self.edit_action, self.delete_action])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.tree)
        self.tree.currentItemChanged.connect(self._item_changed)
        self.reload()

    # --- contents -----------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Re-read the notices; keep (or move to) the selected one."""
        select_id = select_id if select_id is not None else self._current
        notices: list[NoticeInfo] = []
        with self.messages.guard("读取通知列表"):
            notices = self.ledger.notices()
        self._notices = {n.id: n for n in notices}
        groups: dict[int | None, list[NoticeInfo]] = {}
        for n in notices:
            groups.setdefault(notice_year(n), []).append(n)
        self.tree.blockSignals(True)
        self.tree.clear()
        target = None
        for year in sorted(groups, key=lambda y: (y is None, -(y or 0))):
            group = QTreeWidgetItem([f"{year}年" if year else NO_YEAR, ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            items = sorted(groups[year], key=lambda n: (n.date or dt.date.min, n.id), reverse=True)
            for n in items:
                item = QTreeWidgetItem([n.title, str(n.task_count)])
                item.setData(0, NoticeIdRole, n.id)
                item.setToolTip(0, _tooltip(n))
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                group.addChild(item)
                if n.id == select_id:
                    target = item
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if target is not None:
            self.tree.setCurrentItem(target)
        self._item_changed(self.tree.currentItem())
        self._update_actions()

    def _find(self, notice_id: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, NoticeIdRole) == notice_id:
                    return group.child(j)
        return None

    def notice_ids(self) -> list[int]:
        """Notice ids in display order."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            out += [group.child(j).data(0, NoticeIdRole) for j in range(group.childCount())]
        return out

    def current_id(self) -> int | None:
        return self._current

    def select(self, notice_id: int | None) -> None:
        item = self._find(notice_id) if notice_id is not None else None
        if item is not None:
            self.tree.setCurrentItem(item)
        elif notice_id is None:
            self.tree.setCurrentItem(None)

    def set_task_count(self, notice_id: int, count: int) -> None:
        item = self._find(notice_id)
        if item is not None:
            item.setText(1, str(count))
        if notice_id in self._notices:
            self._notices[notice_id].task_count = count

    def _item_changed(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        nid = item.data(0, NoticeIdRole) if item is not None else None
        self._update_actions()
        if nid != self._current:
            self._current = nid
            self.current_changed.emit(nid)

    def _update_actions(self) -> None:
        has = self._current is not None
        self.edit_action.setEnabled(has)
        self.delete_action.setEnabled(has)

    # --- actions ------------------------------------------------------------------------------
    def new_notice(self, values: dict[str, Any] | None = None) -> int | None:
        """新建通知: ask with the dialog (or take ``values``), create, select it."""
        if values is None:
            dialog = NewNoticeDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        values = dict(values)
        title = (values.pop("title", "") or "").strip()
        if not title:
            self.messages.warning("通知标题不能为空。")
            return None
        with self.messages.guard("新建通知"):
            nid = self.ledger.create_notice(title, **values)
            self.reload(select_id=nid)
            return nid
        return None

    def edit_notice(self, notice_id: int | None = None, values: dict[str, Any] | None = None) -> bool:
        """重命名 / 修改通知属性."""
        nid = notice_id if notice_id is not None else self._current
        if nid is None or nid not in self._notices:
            return False
        if values is None:
            dialog = NewNoticeDialog(self, self._notices[nid])
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        if "title" in values and not (values["title"] or "").strip():
            self.messages.warning("通知标题不能为空。")
            return False
        with self.messages.guard("修改通知"):
            self.ledger.update_notice(nid, **values)
            self.reload(select_id=nid)
            return True
        return False

    def delete_notice(self, notice_id: int | None = None) -> bool:
        """删除通知 (after confirmation): the notice and all its tasks."""
        nid = notice_id if notice_id is not None else self._current
        n = self._notices.get(nid) if nid is not None else None
        if n is None:
            return False
        question = f"确定删除通知“{n.title}”及其 {n.task_count} 条任务吗？\n删除后不能撤销。"
        if not self.messages.confirm("删除通知", question):
            return False
        ids = self.notice_ids()
        pos = ids.index(n.id)
        rest = ids[:pos] + ids[pos + 1:]
        nxt = rest[min(pos, len(rest) - 1)] if rest else None
        with self.messages.guard("删除通知"):
            self.ledger.delete_notice(n.id)
            self.notice_deleted.emit(n.id)
            if self._current == n.id:
                self._current = None
            self.reload(select_id=nxt)
            return True
        return False


def _tooltip(n: NoticeInfo) -> str:
    lines = [n.title]
    if n.doc_number:
        lines.append(f"文号：{n.doc_number}")
    if n.issuer:
        lines.append(f"发文机关：{n.issuer}")
    if n.date:
        lines.append(f"成文日期：{n.date.isoformat()}")
    return "\n".join(lines)
