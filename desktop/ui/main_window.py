"""MainWindow: assembles the notice list, filter bar, task table, detail panel, menus and status bar.

The window only wires parts together; the edit logic lives in ``TaskController``, the commands
in ``undo_commands``, the widgets in their own modules. 文件 → 导出公文… (Ctrl+E) and 打印… (Ctrl+P)
open ``ExportDialog`` (imported on first use, keeping pypdfium2 and QtPrintSupport out of start-up). Every edit is stored by the Ledger at
once, so there is no save action; closing stores what is still being typed and the window and
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
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QStyle,
    QToolBar,
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

        self._build_menus()
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

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        a = self.actions
        file_menu = self.menuBar().addMenu("文件(&F)")
        # 导入 first (menu and toolbar): bringing in the notice they received is what a new clerk came to do
        self.import_action = QAction("导入通知…", self)
        self.import_action.setObjectName("importNotice")
        self.import_action.setIconText("导入通知")
        self.import_action.setIcon(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.import_action.setShortcut(QKeySequence("Ctrl+O"))
        self.import_action.setToolTip("导入通知（Ctrl+O）\n打开收到的通知文件（Word、PDF、网页、Excel 或文本），生成任务分解表")
        self.import_action.setStatusTip("从 .docx、.txt、网页、PDF、.xlsx 或粘贴的文字导入通知，生成任务分解表")
        self.import_action.triggered.connect(lambda: self.import_notice())
        file_menu.addActions([self.import_action, a.new_notice])
        file_menu.addActions([self.notice_list.edit_action, self.notice_list.delete_action])
        file_menu.addSeparator()
        self.export_action = QAction("导出公文…", self)
        self.export_action.setObjectName("exportDocument")
        self.export_action.setIconText("导出公文")
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setIcon(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.export_action.setToolTip("导出公文（Ctrl+E）\n任务分解表、单位任务清单、未完成事项清单、汇总表、落实情况报告")
        self.export_action.setStatusTip("把当前通知导出为 PDF、Word 公文或 Excel 表格，导出前可预览")
        self.export_action.triggered.connect(lambda: self.export_document())
        self.print_action = QAction("打印…", self)
        self.print_action.setObjectName("printDocument")
        self.print_action.setShortcut(QKeySequence("Ctrl+P"))
        self.print_action.setStatusTip("选择要打印的公文，预览后打印")
        self.print_action.triggered.connect(lambda: self.export_document(print_mode=True))
        file_menu.addActions([self.export_action, self.print_action])
        file_menu.addSeparator()
        self.backup_action = QAction("备份与恢复…", self)
        self.backup_action.setObjectName("backupRestore")
        self.backup_action.setStatusTip("立即备份台账、查看自动备份，或用备份恢复台账")
        self.backup_action.triggered.connect(lambda: self.open_backup_dialog())
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        self.quit_action = QAction("退出", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)
        self.edit_menu = self.menuBar().addMenu("编辑(&E)")
        a.fill_menu(self.edit_menu)
        view_menu = self.menuBar().addMenu("查看(&V)")
        self.tracking.fill_view_menu(view_menu)
        for dock in (self.notice_dock, self.detail_dock):
            view_menu.addAction(dock.toggleViewAction())
        toolbar = QToolBar("工具栏", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        a.fill_toolbar(toolbar, lead=[self.import_action])
        toolbar.addSeparator()
        toolbar.addAction(self.export_action)
        self.addToolBar(toolbar)
        view_menu.addAction(toolbar.toggleViewAction())
        self.annual_action = QAction("政府信息公开工作年度报告…", self)
        self.annual_action.setObjectName("annualReport")
        self.annual_action.setStatusTip("填写、检查并导出本机关的政府信息公开工作年度报告")
        self.annual_action.triggered.connect(lambda: self.open_annual_report())
        tools = self.menuBar().addMenu("工具(&T)")

        def tool(name: str, text: str, tip: str, slot: Callable[[], object]) -> QAction:
            action = QAction(text, self)
            action.setObjectName(name)
            action.setStatusTip(tip)
            action.triggered.connect(lambda: slot())
            tools.addAction(action)
            return action

        self.handout_action = tool("handOut", "生成单位反馈表…", "为每个单位生成只含其任务的 Excel 反馈表，发给单位填写",
                                   self.open_hand_out)
        self.returns_action = tool("returns", "导入单位反馈表…", "合并单位填好交回的反馈表：逐条核对后接受或拒绝",
                                   self.open_returns)
        tools.addSeparator()
        self.carry_action = tool("carryForward", "以往年通知为底新建…", "复制上一年的分解表结构和单位，状态清空",
                                 self.open_carry_forward)
        self.compare_action = tool("compareNotices", "比较两份通知…", "对照两年的分解表：新增、删去和改动的任务",
                                   self.open_compare)
        tools.addSeparator()
        tools.addAction(self.annual_action)
        tools.addSeparator()
        self.column_maps_action = tool("columnMaps", "记住的列设置…", "导入表格时记住的各列含义：查看或删除",
                                       self.open_column_maps)
        self.server_action = tool("ledgerLocation", "台账位置（本机 / 单位服务器）…",
                                  "多位同事共用一本台账时，改为连接单位的数据库服务器；下次启动时生效",
                                  self.open_server_settings)
        self.notice_list.current_changed.connect(self._update_tool_actions)
        self._update_tool_actions()

    def open_column_maps(self):
        """工具 → 记住的列设置…: list and remove remembered column readings; returns the dialog."""
        from .column_maps_dialog import ColumnMapsDialog

        dialog = ColumnMapsDialog(self.ledger, self.messages, self)
        dialog.show()
        return dialog

    def _update_tool_actions(self, *_args) -> None:
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
        s.set(WINDOW_GEOMETRY, self.saveGeometry().data())
        s.set(WINDOW_STATE, self.saveState().data())
        if self.controller.notice_id is not None:
            s.set(WINDOW_LAST_NOTICE, self.controller.notice_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.commit_pending()
        self.save_settings()
        super().closeEvent(event)
