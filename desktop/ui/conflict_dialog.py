"""When another clerk saved the same task (or notice) first: show what changed and offer 合并 or 重新加载.

``storage`` raises ``ConflictError`` (a LedgerError) from ``set_fields`` / ``set_units`` /
``update_notice`` when the caller passes the version it last saw (``expected_version``) and the row
has been saved by someone else since; nothing was written. ``resolve_conflict`` shows this dialog
and, on 合并, writes the clerk's fields on top of the other clerk's row (only offered when the two
touched different fields); on 重新加载 the caller reloads the row or tree and the clerk's edit is
dropped.

``ChangeWatcher`` polls ``Ledger.changed_since`` on a timer while the window is idle, so other
clients' changes show up without a manual refresh.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.errors import ConflictError, LedgerError, field_label

from .window_fit import fit_to_screen

MERGE = "merge"
RELOAD = "reload"


def show_value(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) or "（空）"
    return str(value)


class ConflictDialog(QDialog):
    """The second save's dialog: what you changed, what is stored now, 合并 / 重新加载."""

    def __init__(self, err: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.err = err
        self.choice = RELOAD
        what = "任务" if err.kind == "task" else "通知"
        self.setWindowTitle(f"{what}已被其他人修改")
        layout = QVBoxLayout(self)
        theirs = "、".join(field_label(f) for f in sorted(err.their_fields)) or "内容"
        intro = QLabel(f"在你修改的同时，其他人已保存了这条{what}（编号 {err.row_id}）的：{theirs}。\n"
                       "你的修改还没有保存。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        table = QTableWidget(len(err.yours), 3, self)
        table.setHorizontalHeaderLabels(["项目", "你的修改", "现在保存的内容"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (name, yours) in enumerate(err.yours.items()):
            clash = name in err.their_fields
            cells = [field_label(name) + ("（双方都改了）" if clash else ""), show_value(yours),
                     show_value(err.theirs.get(name))]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if clash:
                    item.setForeground(Qt.GlobalColor.darkRed)
                table.setItem(i, j, item)
        # long texts wrap in the two value columns instead of running off to the right
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(table, 1)
        hint = QLabel("合并：保留对方的修改，再写入你改的项目。" if err.can_merge else
                      "双方改了同一项（或对方调整了任务结构），不能自动合并：请重新加载，看过对方的修改后再改。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(self)
        self.merge_button = QPushButton("合并", self)
        self.merge_button.setEnabled(err.can_merge)
        self.reload_button = QPushButton("重新加载", self)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.merge_button.clicked.connect(self._merge)
        self.reload_button.clicked.connect(self.reject)
        (self.merge_button if err.can_merge else self.reload_button).setDefault(True)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 440)

    def _merge(self) -> None:
        self.choice = MERGE
        self.accept()


def merge(ledger: Any, err: ConflictError) -> None:
    """Write the clerk's fields on top of the stored row (the stored version is the one expected)."""
    if err.kind == "notice":
        ledger.update_notice(err.row_id, expected_version=err.current_version, **err.yours)
        return
    from desktop.domain import UnitRole

    fields = {k: v for k, v in err.yours.items() if k not in ("lead_units", "units")}
    version = err.current_version
    if fields:
        ledger.set_fields(err.row_id, expected_version=version, **fields)
        version = None  # the same transaction chain: the units go on top of our own save
    for key, role in (("lead_units", UnitRole.LEAD), ("units", UnitRole.RESPONSIBLE)):
        if key in err.yours:
            ledger.set_units(err.row_id, role, list(err.yours[key]), expected_version=version)
            version = None


def resolve_conflict(parent: QWidget | None, ledger: Any, err: ConflictError,
                     ask: Callable[[ConflictDialog], int] | None = None) -> bool:
    """Show the dialog for ``err``; True when the clerk chose 合并 and the merged save went through
    (another conflict on the way asks again), False for 重新加载 (the caller reloads). A LedgerError of
    the merged save propagates. ``ask`` replaces ``dialog.exec()`` (tests)."""
    while True:
        dialog = ConflictDialog(err, parent)
        (ask or (lambda d: d.exec()))(dialog)
        if dialog.choice != MERGE:
            return False
        try:
            merge(ledger, err)
            return True
        except ConflictError as again:  # a third save in between: show the new state
            err = again


class ChangeWatcher(QObject):
    """Every ``interval_ms`` while idle, asks ``ledger.changed_since`` and emits ``changed(ids)`` with
    the ids of the notices others changed (``None`` among them: reload everything). One indexed query
    per tick when nothing changed. ``busy()`` (e.g. an editor is open) postpones a tick; so does a
    modal dialog."""

    changed = Signal(object)

    def __init__(self, ledger: Any, interval_ms: int = 10_000, busy: Callable[[], bool] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.busy = busy or (lambda: False)
        self.token: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.token = None
        self.poll()  # takes the current token
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self.token is not None and (self.busy() or QApplication.activeModalWidget() is not None):
            return
        try:
            token, ids = self.ledger.changed_since(self.token)
        except LedgerError:
            return  # the server is away for a moment: the next tick tries again; edits report errors
        first = self.token is None
        self.token = token
        if ids and not first:
            self.changed.emit(ids)
