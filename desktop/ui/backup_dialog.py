"""备份与恢复… : back the ledger up to a chosen file, list the backups in ``backups/``, restore one.

Restore first shows what the backup holds (notices with their task counts, version, date) and asks;
only then is the ledger replaced (``storage.backup.restore``: the current ledger is kept as
``backups/noticedesk-before-restore-….sqlite``, an older backup is migrated, a foreign or newer file
is refused with a Chinese message and nothing changes). The window's Ledger stays open: the restored
content is written into the live file, and ``restored`` tells the window to reload
(``refresh_after_restore`` does that for the MainWindow, clearing the undo history, whose ids
belong to the replaced ledger).

Wiring in MainWindow (文件 menu)::

    self.backup_action = QAction("备份与恢复…", self)
    self.backup_action.triggered.connect(self.open_backup_dialog)
    file_menu.addAction(self.backup_action)

    def open_backup_dialog(self):
        from .backup_dialog import BackupDialog, refresh_after_restore
        self.controller.commit_pending()
        dialog = BackupDialog(self.ledger, self.messages, self)
        dialog.restored.connect(lambda _text: refresh_after_restore(self))
        dialog.exec()
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.storage import backup
from desktop.storage.ledger import Ledger, LedgerError

from .messages import MessageBridge
from .window_fit import fit_to_screen

COLUMNS = ("备份时间", "类型", "大小", "通知", "任务", "文件")


class BackupDialog(QDialog):
    """Backup now, the list of backups, restore (see the module docstring)."""

    restored = Signal(str)  # the result text, after the ledger was replaced

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("备份与恢复")
        self.setObjectName("backupDialog")
        self.ledger = ledger
        self.messages = messages
        self.data_dir: Path | None = ledger.data_dir if ledger.path is not None else None
        self.entries: list[backup.BackupEntry] = []

        info = QLabel("程序每天第一次打开时自动备份台账，保留最近 30 份；升级和恢复之前的台账也保存在这里。"
                      "备份只包含台账本身，佐证材料文件仍保存在数据文件夹的 evidence 中。")
        info.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())

        self.backup_button = QPushButton("立即备份到文件…")
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.restore_button = QPushButton("从选中的备份恢复…")
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.restore_file_button = QPushButton("从其他文件恢复…")
        self.restore_file_button.clicked.connect(lambda: self.restore_from())
        self.folder_button = QPushButton("打开备份文件夹")
        self.folder_button.clicked.connect(self._open_folder)
        row = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.restore_file_button, self.folder_button):
            row.addWidget(b)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        fit_to_screen(self, 820, 460)
        if self.data_dir is None:
            for b in (self.backup_button, self.restore_button, self.restore_file_button, self.folder_button):
                b.setEnabled(False)
            info.setText("台账保存在数据库服务器上，请使用数据库服务器自己的备份工具。")
        self.refresh()

    # --- the list -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.entries = backup.list_backups(self.data_dir) if self.data_dir is not None else []
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            try:
                s = backup.inspect_backup(e.path, verify=False)
                notices, tasks = str(len(s.notices)), str(s.task_count)
            except LedgerError:
                notices, tasks = "无法读取", ""
            size = f"{e.size / (1024 * 1024):.1f} MB" if e.size >= 1024 * 1024 else f"{max(1, e.size // 1024)} KB"
            for c, text in enumerate((e.taken_at.strftime("%Y-%m-%d %H:%M"), e.kind_text, size, notices, tasks,
                                      e.path.name)):
                item = QTableWidgetItem(text)
                if c in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.data_dir is not None and self.selected() is not None)

    def selected(self) -> Path | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.entries[min(rows)].path if rows else None

    def _open_folder(self) -> None:
        if self.data_dir is not None:
            folder = backup.backups_dir(self.data_dir)
            folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # --- actions (a path given: no file dialog, for tests and drag-and-drop) --------------------
    def backup_now(self, path: Path | str | None = None) -> Path | None:
        if self.data_dir is None:
            return None
        if path is None:
            start = Path.home() / f"要点台账备份-{dt.datetime.now():%Y%m%d-%H%M}.sqlite"
            chosen, _ = QFileDialog.getSaveFileName(self, "备份台账到", str(start), "台账备份 (*.sqlite)")
            if not chosen:
                return None
            path = chosen
        try:
            written, summary = backup.backup_to(self.data_dir, Path(path))
        except LedgerError as e:
            self.messages.error(str(e), "备份失败")
            return None
        self.messages.info(f"已备份到 {written}（{len(summary.notices)} 份通知，{summary.task_count} 项任务）。",
                           "备份完成")
        self.refresh()
        return written

    def restore_selected(self) -> Any:
        path = self.selected()
        return self.restore_from(path) if path is not None else None

    def restore_from(self, path: Path | str | None = None) -> backup.RestoreResult | None:
        """Show what ``path`` holds, ask, then replace the ledger by it."""
        if self.data_dir is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份", str(Path.home()),
                                                    "台账备份 (*.sqlite *.db);;所有文件 (*)")
            if not chosen:
                return None
            path = chosen
        try:
            summary = backup.inspect_backup(Path(path))
        except LedgerError as e:
            self.messages.error(str(e), "不能恢复")
            return None
        question = (f"{summary.describe(limit=20)}\n\n恢复后，当前台账将被这个备份替换；当前台账会先保存到 backups 文件夹"
                    "（“恢复前备份”），撤销记录将被清空。是否恢复？")
        if not self.messages.confirm("恢复台账", question):
            return None
        try:
            result = backup.restore(self.data_dir, Path(path))
        except LedgerError as e:
            self.messages.error(str(e), "恢复失败")
            return None
        text = result.describe()
        self.messages.info(text, "恢复完成")
        self.refresh()
        self.restored.emit(text)
        return result


def refresh_after_restore(window: Any) -> None:
    """Reload a MainWindow after its ledger was restored: notices, units, the current notice, and no
    undo history (its ids belong to the replaced ledger)."""
    controller = window.controller
    for stack in controller.undo_group.stacks():
        stack.clear()
    window.notice_list.reload()
    ids = window.notice_list.notice_ids()
    current = window.notice_list.current_id()
    window.notice_list.select(current if current in ids else (ids[0] if ids else None))
    controller.reload_units()
    controller.set_notice(window.notice_list.current_id())
