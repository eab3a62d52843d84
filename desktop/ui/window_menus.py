"""The main window's menus and toolbar: 文件 (导入 first — bringing in the notice received is what a new clerk
came to do — 导出公文 Ctrl+E, 打印 Ctrl+P, 备份与恢复, 退出), 编辑 (the edit actions of ``actions``), 查看 (tracking,
the docks, the toolbar) and 工具 (exchange with units, carry forward, compare, the annual report, remembered
column readings, where the ledger lives). Each action calls a method of the window, which does the work.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle, QToolBar

if TYPE_CHECKING:
    from .main_window import MainWindow


def build_menus(w: MainWindow) -> None:
    """文件 / 编辑 / 查看 / 工具 menus and the toolbar of ``w``; the actions are kept on ``w``
    (``import_action``, ``export_action``, ``print_action``, ``backup_action``, ``quit_action``,
    ``annual_action``, ``handout_action``, ``returns_action``, ``carry_action``, ``compare_action``,
    ``column_maps_action``, ``server_action``), the edit actions are ``w.actions``."""
    a = w.actions
    file_menu = w.menuBar().addMenu("文件(&F)")
    # 导入 first (menu and toolbar): bringing in the notice they received is what a new clerk came to do
    w.import_action = QAction("导入通知…", w)
    w.import_action.setObjectName("importNotice")
    w.import_action.setIconText("导入通知")
    w.import_action.setIcon(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
    w.import_action.setShortcut(QKeySequence("Ctrl+O"))
    w.import_action.setToolTip("导入通知（Ctrl+O）\n打开收到的通知文件（Word、PDF、网页、Excel 或文本），生成任务分解表")
    w.import_action.setStatusTip("从 .docx、.txt、网页、PDF、.xlsx 或粘贴的文字导入通知，生成任务分解表")
    w.import_action.triggered.connect(lambda: w.import_notice())
    file_menu.addActions([w.import_action, a.new_notice])
    file_menu.addActions([w.notice_list.edit_action, w.notice_list.delete_action])
    file_menu.addSeparator()
    w.export_action = QAction("导出公文…", w)
    w.export_action.setObjectName("exportDocument")
    w.export_action.setIconText("导出公文")
    w.export_action.setShortcut(QKeySequence("Ctrl+E"))
    w.export_action.setIcon(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
    w.export_action.setToolTip("导出公文（Ctrl+E）\n任务分解表、单位任务清单、未完成事项清单、汇总表、落实情况报告")
    w.export_action.setStatusTip("把当前通知导出为 PDF、Word 公文或 Excel 表格，导出前可预览")
    w.export_action.triggered.connect(lambda: w.export_document())
    w.print_action = QAction("打印…", w)
    w.print_action.setObjectName("printDocument")
    w.print_action.setShortcut(QKeySequence("Ctrl+P"))
    w.print_action.setStatusTip("选择要打印的公文，预览后打印")
    w.print_action.triggered.connect(lambda: w.export_document(print_mode=True))
    file_menu.addActions([w.export_action, w.print_action])
    file_menu.addSeparator()
    w.backup_action = QAction("备份与恢复…", w)
    w.backup_action.setObjectName("backupRestore")
    w.backup_action.setStatusTip("立即备份台账、查看自动备份，或用备份恢复台账")
    w.backup_action.triggered.connect(lambda: w.open_backup_dialog())
    file_menu.addAction(w.backup_action)
    file_menu.addSeparator()
    w.quit_action = QAction("退出", w)
    w.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    w.quit_action.triggered.connect(w.close)
    file_menu.addAction(w.quit_action)
    w.edit_menu = w.menuBar().addMenu("编辑(&E)")
    a.fill_menu(w.edit_menu)
    view_menu = w.menuBar().addMenu("查看(&V)")
    w.tracking.fill_view_menu(view_menu)
    for dock in (w.notice_dock, w.detail_dock):
        view_menu.addAction(dock.toggleViewAction())
    toolbar = QToolBar("工具栏", w)
    toolbar.setObjectName("mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    a.fill_toolbar(toolbar, lead=[w.import_action])
    toolbar.addSeparator()
    toolbar.addAction(w.export_action)
    w.addToolBar(toolbar)
    view_menu.addAction(toolbar.toggleViewAction())
    w.annual_action = QAction("政府信息公开工作年度报告…", w)
    w.annual_action.setObjectName("annualReport")
    w.annual_action.setStatusTip("填写、检查并导出本机关的政府信息公开工作年度报告")
    w.annual_action.triggered.connect(lambda: w.open_annual_report())
    tools = w.menuBar().addMenu("工具(&T)")

    def tool(name: str, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, w)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.triggered.connect(lambda: slot())
        tools.addAction(action)
        return action

    w.handout_action = tool("handOut", "生成单位反馈表…", "为每个单位生成只含其任务的 Excel 反馈表，发给单位填写",
                               w.open_hand_out)
    w.returns_action = tool("returns", "导入单位反馈表…", "合并单位填好交回的反馈表：逐条核对后接受或拒绝",
                               w.open_returns)
    tools.addSeparator()
    w.carry_action = tool("carryForward", "以往年通知为底新建…", "复制上一年的分解表结构和单位，状态清空",
                             w.open_carry_forward)
    w.compare_action = tool("compareNotices", "比较两份通知…", "对照两年的分解表：新增、删去和改动的任务",
                               w.open_compare)
    tools.addSeparator()
    tools.addAction(w.annual_action)
    tools.addSeparator()
    w.column_maps_action = tool("columnMaps", "记住的列设置…", "导入表格时记住的各列含义：查看或删除",
                                   w.open_column_maps)
    w.server_action = tool("ledgerLocation", "台账位置（本机 / 单位服务器）…",
                              "多位同事共用一本台账时，改为连接单位的数据库服务器；下次启动时生效",
                              w.open_server_settings)
    w.notice_list.current_changed.connect(w.update_tool_actions)
    w.update_tool_actions()
