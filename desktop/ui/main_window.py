"""MainWindow: assembles the notice list, filter bar, task table, detail panel, menus and status bar.

The window only wires parts together; the edit logic lives in ``TaskController``, the commands
in ``undo_commands``, the menus and toolbar in ``window_menus``, the widgets in their own modules.
文件 → 导出公文… (Ctrl+E) and 打印… (Ctrl+P) open ``ExportDialog`` (imported on first use, keeping
pypdfium2 and QtPrintSupport out of start-up). Every edit is stored by the Ledger at once, so there
is no save action; closing stores what is still being typed and the window and
dock layout (``desktop.settings``: ``noticedesk.ini`` in the data folder).
Completion tracking (the panel's log and evidence, bulk actions, 查看 → 到期提醒 / 完成情况统计 and the
status-bar count) is wired by ``TrackingController``; ``start()`` (after the window shows) runs the
start-up digest. ``today`` (a callable) is the date overdue marks and the digest use; tests fix it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import (
    WINDOW_GEOMETRY,
    WINDOW_LAST_NOTICE,
    WINDOW_STATE,
    Settings,
)
from desktop.storage.ledger import Ledger, LedgerError

from .actions import EditActions
from .detail_panel import DetailPanel
from .filter_bar import FilterBar
from .legacy_settings import take_over
from .messages import MessageBridge
from .notice_list import NoticeList
from .task_controller import TaskController
from .task_filter import apply_filter
from .task_model import TaskTreeModel
from .task_view import TaskView
from .tracking_controller import TrackingController
from .unit_picker import UnitDirectory
from .window_fit import keep_on_screen
from .window_menus import build_menus

if TYPE_CHECKING:  # imported when first used: pypdfium2 and QtPrintSupport stay out of the start-up path
    from .export_dialog import ExportDialog, ExportSource

WINDOW_TITLE = "要点台账"


def open_settings(ledger: Ledger, settings: Settings | str | Path | None) -> Settings:
    """The window's settings: as given, a file path, or ``noticedesk.ini`` in the ledger's data folder
    (this PC's data folder for a server ledger opened without one)."""
    if isinstance(settings, Settings):
        return settings
    if settings is None:
        data_dir = getattr(ledger, "data_dir", None)
        if data_dir is None:
            from desktop.storage.paths import default_data_dir

            data_dir = default_data_dir()
        store = Settings.in_data_dir(data_dir)
    else:
        store = Settings(settings)
    take_over(store)  # a file an older version wrote through QSettings: read once
    return store


class MainWindow(QMainWindow):
    """The 要点台账 main window over one Ledger."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None, *,
                 settings: Settings | str | Path | None = None, messages: MessageBridge | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(WINDOW_TITLE)
        self.ledger = ledger
        self.settings = open_settings(ledger, settings)
        self.messages = messages if messages is not None else MessageBridge(self)

        self.directory = UnitDirectory(parent=self)
        self.model = TaskTreeModel(self)
        self.view = TaskView(self.model, self.directory)
        self.filter_bar = FilterBar(self.directory)
        self.panel = DetailPanel(self.directory)
        self.notice_list = NoticeList(ledger, self.messages)
        self.controller = TaskController(ledger, self.messages, self.view, self.panel, self.directory, self,
                                         today=today)
        self.controller.reload_units()
        self.actions = EditActions(self, self.controller.undo_group)
        self.actions.attach_tree_shortcuts(self.view)
        self.tracking = TrackingController(self, today)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.notice_dock = self._dock("noticeDock", "通知", self.notice_list, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.detail_dock = self._dock("detailDock", "任务详情", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)

        build_menus(self)
        self.count_label = QLabel()
        # The counts may be elided rather than forcing the whole window wider than a small screen.
        self.count_label.setMinimumWidth(80)
        self.statusBar().addPermanentWidget(self.count_label)
        self._connect()
        self._default_size()
        self.resizeDocks([self.notice_dock, self.detail_dock], [230, 300], Qt.Orientation.Horizontal)
        self._restore_settings()
        keep_on_screen(self)  # a geometry saved on a bigger screen is shrunk to this one's
        self.setAcceptDrops(True)
        if self.notice_list.current_id() is None:
            ids = self.notice_list.notice_ids()
            last = self.settings.get(WINDOW_LAST_NOTICE)
            self.notice_list.select(last if last in ids else (ids[0] if ids else None))
        self.controller.set_notice(self.notice_list.current_id())
        self.actions.set_enabled(self.controller.capabilities())
        self._update_document_actions()
        self.view.setFocus()  # not the search box, which would take Ctrl+E (行尾) before 导出公文

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def open_column_maps(self):
        """工具 → 记住的列设置…: list and remove remembered column readings; returns the dialog."""
        from .column_maps_dialog import ColumnMapsDialog

        dialog = ColumnMapsDialog(self.ledger, self.messages, self)
        dialog.show()
        return dialog

    def update_tool_actions(self, *_args) -> None:
        has_notice = self.notice_list.current_id() is not None
        for action in (self.handout_action, self.carry_action):
            action.setEnabled(has_notice)

    def open_server_settings(self):
        from .server_settings_dialog import ServerSettingsDialog

        dialog = ServerSettingsDialog(self, self.settings)
        dialog.open()
        return dialog

    def watch_server(self, interval_ms: int = 10_000) -> None:
        """On a shared server ledger: pick up other clerks' changes every ``interval_ms`` while idle."""
        from .conflict_dialog import ChangeWatcher

        self.watcher = ChangeWatcher(self.ledger, interval_ms, busy=lambda: self.view.state() == self.view.State.EditingState,
                                     parent=self)
        self.watcher.changed.connect(self._others_changed)
        self.watcher.start()

    def _others_changed(self, notice_ids) -> None:
        current = self.notice_list.current_id()
        self.notice_list.reload(select_id=current)
        if None in notice_ids or current in notice_ids:
            self.controller.reload_units()
            self.controller.reload()
        self.statusBar().showMessage("其他同事更新了台账，已刷新。", 8000)

    # --- exchange, carry forward, backup (each dialog imported on first use) ------------------
    def open_hand_out(self):
        from .returns_dialog import HandOutDialog

        notice_id = self.notice_list.current_id()
        if notice_id is None:
            return None
        self.controller.commit_pending()
        dialog = HandOutDialog(self.ledger, self.messages, self, notice_id=notice_id)
        dialog.open()
        return dialog

    def open_returns(self):
        from .returns_dialog import ReturnsDialog

        self.controller.commit_pending()
        dialog = ReturnsDialog(self.ledger, self.messages, self, notice_id=None)
        dialog.applied.connect(self._imported)
        dialog.open()
        return dialog

    def open_carry_forward(self):
        from .carry_forward_dialog import CarryForwardDialog

        self.controller.commit_pending()
        dialog = CarryForwardDialog(self.ledger, self.messages, self, notice_id=self.notice_list.current_id())
        dialog.created.connect(self._imported)
        dialog.open()
        return dialog

    def open_compare(self):
        from .compare_view import CompareView

        ids = self.notice_list.notice_ids()
        current = self.notice_list.current_id()
        older = next((i for i in ids if i != current), None)
        view = CompareView(self.ledger, self.messages, self, old_id=older, new_id=current)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view

    def open_backup_dialog(self):
        from .backup_dialog import BackupDialog, refresh_after_restore

        self.controller.commit_pending()
        dialog = BackupDialog(self.ledger, self.messages, self)
        dialog.restored.connect(lambda _text: refresh_after_restore(self))
        dialog.open()
        return dialog

    def open_annual_report(self):
        """工具 → 政府信息公开工作年度报告…: the annual report window (imported on first use), shown and returned."""
        from .annual_report_window import AnnualReportWindow

        self.controller.commit_pending()
        window = AnnualReportWindow.for_ledger(self.ledger, self.messages, self)
        window.setWindowFlag(Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        return window

    def _connect(self) -> None:
        a, c = self.actions, self.controller
        a.undo.triggered.connect(c.undo)
        a.redo.triggered.connect(c.redo)
        a.new_notice.triggered.connect(lambda: self.notice_list.new_notice())
        a.insert_sibling.triggered.connect(lambda: c.insert_sibling())
        a.insert_child.triggered.connect(lambda: c.insert_child())
        a.delete.triggered.connect(c.delete_selected)
        a.move_up.triggered.connect(c.move_up)
        a.move_down.triggered.connect(c.move_down)
        a.indent.triggered.connect(c.indent)
        a.outdent.triggered.connect(c.outdent)
        a.split.triggered.connect(c.split_at_cursor)
        a.merge.triggered.connect(c.merge_with_next)
        a.find.triggered.connect(self.filter_bar.focus_search)
        c.capabilities_changed.connect(a.set_enabled)
        c.counts_changed.connect(self.count_label.setText)
        c.task_count_changed.connect(self.notice_list.set_task_count)
        self.notice_list.current_changed.connect(c.set_notice)
        self.notice_list.current_changed.connect(self._update_document_actions)
        self.notice_list.notice_deleted.connect(c.forget_notice)
        self.filter_bar.filter_changed.connect(c.set_filter)
        self.messages.shown.connect(lambda _level, _title, text: self.statusBar().showMessage(text, 8000))

    # --- import -------------------------------------------------------------------------------
    def import_notice(self, path: Path | None = None):
        """Open the import window (on ``path`` when given: drag-and-drop, tests); returns it."""
        self.controller.commit_pending()
        from .import_dialog import ImportDialog  # on first use: keeps start-up light

        dialog = ImportDialog(self.ledger, self.messages, self)
        dialog.imported.connect(self._imported)
        dialog.open_existing.connect(self.show_existing_notice)
        if path is not None and not dialog.load_file(path):
            dialog.deleteLater()
            return dialog
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _imported(self, notice_id: int) -> None:
        self.notice_list.reload(select_id=notice_id)
        self.controller.reload_units()
        self.controller.set_notice(notice_id)
        self.statusBar().showMessage("通知已导入。", 8000)

    def show_existing_notice(self, notice_id: int) -> None:
        """打开已有 in the import window: the ledger already held this notice; select it."""
        self.notice_list.reload(select_id=notice_id)
        self.controller.set_notice(notice_id)
        self.statusBar().showMessage("台账中已有这份通知，已为您打开，没有重复导入。", 8000)

    # --- export / print -------------------------------------------------------------------------
    def _update_document_actions(self, *_args) -> None:
        has_notice = self.notice_list.current_id() is not None
        self.export_action.setEnabled(has_notice)
        self.print_action.setEnabled(has_notice)

    def export_source(self) -> ExportSource | None:
        """The current notice with its rows, the table's filter result and selection (None: no notice)."""
        from .export_dialog import ExportSource

        self.controller.commit_pending()
        nid = self.controller.notice_id
        if nid is None:
            self.messages.warning("请先在左侧选择一份通知。")
            return None
        try:
            notice, rows = self.ledger.notice(nid), self.ledger.tasks(nid)
        except LedgerError as e:
            self.messages.error(f"读取通知失败：{e}")
            return None
        filtered = apply_filter(rows, self.controller.filter)
        return ExportSource(notice, rows, filtered[0] if filtered else None, self.view.selected_ids())

    def export_document(self, print_mode: bool = False) -> ExportDialog | None:
        """导出公文… / 打印…: the export dialog over the current notice (shown, returned)."""
        from .export_dialog import ExportDialog

        source = self.export_source()
        if source is None:
            return None
        dialog = ExportDialog(source, self.messages, self.settings, self, print_mode=print_mode)
        dialog.title_given.connect(lambda title, nid=source.notice.id: self._save_title(nid, title))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _save_title(self, notice_id: int, title: str) -> None:
        """The title the clerk gave a notice stored without one (asked before an export) is kept."""
        try:
            self.ledger.update_notice(notice_id, title=title)
        except LedgerError as e:
            self.messages.warning(f"标题没有保存：{e}")
            return
        self.notice_list.reload(select_id=notice_id)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.import_notice(Path(files[0]))

    # --- settings -----------------------------------------------------------------------------
    def _default_size(self) -> None:
        """First start: most of the screen (office PCs are often 1366×768), until a saved size exists."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None or screen.width() < 200:
            self.resize(1280, 800)
            return
        self.resize(min(1600, int(screen.width() * 0.95)), min(1000, int(screen.height() * 0.92)))

    def _restore_settings(self) -> None:
        s = self.settings
        # Docks first: which ones are open decides the window's minimum size, then the geometry.
        for setting, restore in ((WINDOW_STATE, self.restoreState), (WINDOW_GEOMETRY, self.restoreGeometry)):
            value = s.get(setting)
            if value:
                restore(QByteArray(value))
        self.view.use_settings(s)  # the clerk's shown / hidden columns and widths (TASK_COLUMNS)

    def save_settings(self) -> None:
        s = self.settings
        self.view.columns.flush()
        s.set(WINDOW_GEOMETRY, self.saveGeometry().data())
        s.set(WINDOW_STATE, self.saveState().data())
        if self.controller.notice_id is not None:
            s.set(WINDOW_LAST_NOTICE, self.controller.notice_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.commit_pending()
        self.save_settings()
        for dialog in self.findChildren(QDialog, "exportDialog"):  # its previews go with the window
            dialog.close()
        super().closeEvent(event)
