"""The 编辑 actions (QActions with Chinese labels and shortcuts), their menu/toolbar order and enabled state.

Structure actions that reuse keys text fields need (Delete, Alt+↑/↓, Ctrl+←/→) only fire while the
task table has focus (``Qt.WidgetWithChildrenShortcut`` on the view); undo/redo, inserts, split,
merge, find and 新建通知 work anywhere in the window — except in the 落实情况 text box, which keeps
Ctrl+Enter for 添加记录 (``progress_log``). No two shortcuts of a window share a key where both could
fire (``tests/ui/test_shortcuts.py``). Tab / Shift+Tab (indent/outdent) are handled by the table itself,
and only when no cell is being edited: in a cell editor they move to the next / previous cell (the
tooltips of 降级 / 升级 say so). 批量 (bulk) actions act on the selected rows; the table's context menu
(``context_menu``) repeats the structure actions and the 批量 submenu. The toolbar's 撤销 / 重做 keep
their short text (the step they undo is in the tooltip and the 编辑 menu), so the toolbar never shifts.
"""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QToolBar, QWidget

Key = QKeySequence
#: Tab / Shift+Tab: demote / promote only while no cell is being edited (then they move between cells)
TAB_NOTE = "正在编辑单元格时，{key} 移到{cell}一个单元格。"


class EditActions(QObject):
    """All actions of the window's 编辑 menu and toolbar."""

    def __init__(self, parent: QWidget, undo_group: QUndoGroup) -> None:
        super().__init__(parent)
        style = QApplication.style()
        sp = QStyle.StandardPixmap

        # own actions rather than QUndoGroup.createUndoAction: the controller stores pending typing first
        self.undo = QAction("撤销", self)
        self.undo.setObjectName("undo")
        self.undo.setShortcuts([Key("Ctrl+Z")])
        self.undo.setIcon(style.standardIcon(sp.SP_ArrowBack))
        self.redo = QAction("重做", self)
        self.redo.setObjectName("redo")
        self.redo.setShortcuts([Key("Ctrl+Y"), Key("Ctrl+Shift+Z")])
        self.redo.setIcon(style.standardIcon(sp.SP_ArrowForward))
        self._bind_undo_group(undo_group)

        def make(name: str, text: str, keys: list[str], tip: str = "", icon=None, also: str = "") -> QAction:
            """``also``: a key the action answers to elsewhere (shown after its shortcuts, with when)."""
            action = QAction(text, self)
            action.setObjectName(name)
            action.setShortcuts([Key(k) for k in keys])
            shown = "、".join(Key(k).toString(Key.SequenceFormat.NativeText) for k in keys)
            shown += f"；{also}" if also else ""
            action.setToolTip(f"{text}（{shown}）" + (f"\n{tip}" if tip else "") if shown else text)
            action.setStatusTip(tip or text)
            if icon is not None:
                action.setIcon(style.standardIcon(icon))
            return action

        self.new_notice = make("newNotice", "新建通知", ["Ctrl+N"], icon=sp.SP_FileIcon)
        self.insert_sibling = make("insertSibling", "插入同级", ["Insert", "Ctrl+Return", "Ctrl+Enter"],
                                   "在当前任务之后插入一条同级任务（在“落实情况”的输入框中，Ctrl+Enter 是添加记录）")
        self.insert_child = make("insertChild", "插入下级", ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"],
                                 "在当前任务下插入一条下级任务")
        self.delete = make("deleteTasks", "删除", ["Delete"], "删除选中的任务（连同下级）",
                           icon=sp.SP_TrashIcon)
        self.move_up = make("moveUp", "上移", ["Alt+Up"], icon=sp.SP_ArrowUp)
        self.move_down = make("moveDown", "下移", ["Alt+Down"], icon=sp.SP_ArrowDown)
        self.outdent = make("outdent", "升级", ["Ctrl+Left"], "变为上级任务的下一条同级。" + TAB_NOTE.format(
            key="Shift+Tab", cell="上"), icon=sp.SP_ArrowLeft, also="Shift+Tab，未在编辑单元格时")
        self.indent = make("indent", "降级", ["Ctrl+Right"], "变为上一条同级任务的下级。" + TAB_NOTE.format(
            key="Tab", cell="下"), icon=sp.SP_ArrowRight, also="Tab，未在编辑单元格时")
        self.split = make("split", "在光标处拆分", ["Ctrl+Shift+S"],
                          "把右侧“具体内容”从光标处拆成两条任务")
        self.merge = make("merge", "与下一条合并", ["Ctrl+Shift+M"], "把下一条同级任务并入当前任务")
        self.find = make("find", "查找", ["Ctrl+F"], "按内容、单位、状态、时限筛选任务")
        self.bulk_status = make("bulkStatus", "设置状态…", [], "把选中的任务设为同一状态（可填完成日期）")
        self.bulk_units = make("bulkUnits", "设置单位…", [], "给选中的任务设置牵头单位或责任单位")
        self.bulk_shift = make("bulkShift", "调整时限…", [], "把选中任务的截止日期推后或提前若干天（需填理由）")

        self.tree_scoped = [self.delete, self.move_up, self.move_down, self.outdent, self.indent]
        for action in self.tree_scoped:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.task_actions = {
            "insert_sibling": self.insert_sibling, "insert_child": self.insert_child, "delete": self.delete,
            "move_up": self.move_up, "move_down": self.move_down, "outdent": self.outdent,
            "indent": self.indent, "split": self.split, "merge": self.merge, "find": self.find,
            "bulk_status": self.bulk_status, "bulk_units": self.bulk_units, "bulk_shift": self.bulk_shift,
        }

    def _bind_undo_group(self, group: QUndoGroup) -> None:
        """Menu labels follow the active stack (“撤销 修改任务名称”, “重做 删除任务” …); the toolbar buttons
        keep the plain 撤销 / 重做 (the icon text) so the toolbar does not shift, and their tooltip names the step."""
        def label(action: QAction, verb: str, key: str, text: str) -> None:
            action.setText(f"{verb} {text}" if text else verb)
            action.setIconText(verb)
            action.setToolTip(f"{verb}：{text}（{key}）" if text else f"{verb}（{key}）")
            action.setStatusTip(f"{verb}：{text}" if text else f"没有可{verb}的操作")

        group.undoTextChanged.connect(lambda t: label(self.undo, "撤销", "Ctrl+Z", t))
        group.redoTextChanged.connect(lambda t: label(self.redo, "重做", "Ctrl+Y", t))
        label(self.undo, "撤销", "Ctrl+Z", group.undoText())
        label(self.redo, "重做", "Ctrl+Y", group.redoText())
        group.canUndoChanged.connect(self.undo.setEnabled)
        group.canRedoChanged.connect(self.redo.setEnabled)
        self.undo.setEnabled(group.canUndo())
        self.redo.setEnabled(group.canRedo())

    def attach_tree_shortcuts(self, view: QWidget) -> None:
        """Make the tree-scoped shortcuts live while ``view`` (or its cell editor) has focus."""
        view.addActions(self.tree_scoped)

    def fill_menu(self, menu: QMenu) -> None:
        menu.addActions([self.undo, self.redo])
        menu.addSeparator()
        menu.addActions([self.insert_sibling, self.insert_child, self.delete])
        menu.addSeparator()
        menu.addActions([self.move_up, self.move_down, self.outdent, self.indent])
        menu.addSeparator()
        menu.addActions([self.split, self.merge])
        menu.addSeparator()
        self.fill_bulk_menu(menu.addMenu("批量(&B)"))
        menu.addSeparator()
        menu.addAction(self.find)

    def fill_bulk_menu(self, menu: QMenu) -> None:
        menu.setObjectName("bulkMenu")
        menu.setToolTipsVisible(True)
        menu.addActions([self.bulk_status, self.bulk_units, self.bulk_shift])

    def context_menu(self, parent: QWidget) -> QMenu:
        """The task table's right-click menu."""
        menu = QMenu(parent)
        menu.addActions([self.insert_sibling, self.insert_child, self.delete])
        menu.addSeparator()
        menu.addActions([self.move_up, self.move_down, self.outdent, self.indent])
        menu.addSeparator()
        self.fill_bulk_menu(menu.addMenu("批量"))
        return menu

    def fill_toolbar(self, toolbar: QToolBar, lead: Sequence[QAction] = ()) -> None:
        """The toolbar: ``lead`` first (the main window's 导入通知), then 新建通知 and the edit actions."""
        toolbar.addActions([*lead, self.new_notice])
        toolbar.addSeparator()
        toolbar.addActions([self.undo, self.redo])
        toolbar.addSeparator()
        toolbar.addActions([self.insert_sibling, self.insert_child, self.delete])
        toolbar.addSeparator()
        toolbar.addActions([self.move_up, self.move_down, self.outdent, self.indent])
        toolbar.addSeparator()
        toolbar.addActions([self.split, self.merge, self.find])

    def set_enabled(self, states: dict[str, bool]) -> None:
        """Enable task actions from the controller's ``capabilities()``."""
        for name, action in self.task_actions.items():
            action.setEnabled(states.get(name, False))
