"""No key is bound twice where both bindings could fire (Qt would fire neither: "Ambiguous shortcut overload").

``bindings(window)`` lists every shortcut of every QAction and QShortcut of a window and its child widgets
with where it is live, the way Qt decides it (``Qt::ShortcutContext``): a window shortcut while its window is
active, a widget-with-children shortcut while the focus is in that widget or below it, a widget shortcut
while that widget has the focus; an action in a menu is live where the menu's own action is (the menu bar,
i.e. the window). Two bindings of one key clash when some focus widget would make both live.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

Ctx = Qt.ShortcutContext


@dataclass
class Binding:
    key: str  # QKeySequence in portable text, e.g. "Ctrl+Return"
    context: Qt.ShortcutContext
    widget: QWidget  # where the binding lives (the window for a menu-bar action)
    owner: QObject  # the QAction or QShortcut
    name: str

    def __str__(self) -> str:
        where = self.widget.objectName() or type(self.widget).__name__
        return f"{self.name} [{self.key}] ({self.context.name} on {where})"


def _label(obj: QObject) -> str:
    text = obj.text() if isinstance(obj, QAction) else ""
    return obj.objectName() or text or type(obj).__name__


def _action_widgets(action: QAction, seen: set[int] | None = None) -> list[QWidget]:
    """The widgets an action's shortcut is live in: its widgets; for a menu, where the menu's action is."""
    seen = seen if seen is not None else set()
    if id(action) in seen:
        return []
    seen.add(id(action))
    out: list[QWidget] = []
    for obj in action.associatedObjects():
        if isinstance(obj, QMenu):
            out += _action_widgets(obj.menuAction(), seen)
        elif isinstance(obj, QWidget):
            out.append(obj)
    return out


def bindings(window: QWidget) -> list[Binding]:
    """Every shortcut of the QActions and QShortcuts of ``window`` and its child widgets (other windows
    among its children, such as an open dialog, are listed too: ``clashes`` keeps windows apart)."""
    widgets = [window, *window.findChildren(QWidget)]
    actions: dict[int, QAction] = {id(a): a for a in window.findChildren(QAction)}
    for w in widgets:
        actions.update({id(a): a for a in QWidget.actions(w)})  # MainWindow.actions is its EditActions
    out: list[Binding] = []
    for action in actions.values():
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        for w in _action_widgets(action) if keys else []:
            out += [Binding(k.toString(QKeySequence.SequenceFormat.PortableText), action.shortcutContext(), w,
                            action, _label(action)) for k in keys]
    for sc in window.findChildren(QShortcut):
        parent = sc.parent()
        if not isinstance(parent, QWidget):
            continue
        out += [Binding(k.toString(QKeySequence.SequenceFormat.PortableText), sc.context(), parent, sc,
                        _label(sc) if sc.objectName() else f"QShortcut on {_label(parent)}")
                for k in sc.keys() if not k.isEmpty()]
    return out


def _within(outer: QWidget, inner: QWidget) -> bool:
    """``inner`` is ``outer`` or below it in the same window (where a widget-with-children shortcut reaches)."""
    return outer is inner or outer.isAncestorOf(inner)


def can_hold_focus(b: Binding) -> bool:
    """Whether the focus can rest where a widget(-with-children) shortcut is live: in its widget or below.
    Menu bars and tool bars are NoFocus (the menu bar holds the focus only while the clerk walks the menus
    after Alt, where no edit key is meant), so an action's menu and tool-button entries count for nothing."""
    if b.context in (Ctx.WindowShortcut, Ctx.ApplicationShortcut):
        return True
    inside = [b.widget] if b.context == Ctx.WidgetShortcut else [b.widget, *b.widget.findChildren(QWidget)]
    return any(w.focusPolicy() != Qt.FocusPolicy.NoFocus for w in inside if w.window() is b.widget.window())


def overlap(a: Binding, b: Binding) -> bool:
    """Whether some focus widget makes both bindings live at once."""
    if not (can_hold_focus(a) and can_hold_focus(b)):
        return False
    if Ctx.ApplicationShortcut in (a.context, b.context):
        return True
    if a.widget.window() is not b.widget.window():
        return False
    if Ctx.WindowShortcut in (a.context, b.context):
        return True
    if a.context == Ctx.WidgetShortcut and b.context == Ctx.WidgetShortcut:
        return a.widget is b.widget
    if a.context == Ctx.WidgetShortcut:
        return _within(b.widget, a.widget)
    if b.context == Ctx.WidgetShortcut:
        return _within(a.widget, b.widget)
    return _within(a.widget, b.widget) or _within(b.widget, a.widget)


def clashes(found: list[Binding]) -> list[str]:
    """One line per pair of actions / shortcuts that share a key where both could fire."""
    out: dict[tuple, str] = {}
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            pair = (a.key, *sorted((id(a.owner), id(b.owner))))
            if a.key == b.key and a.owner is not b.owner and pair not in out and overlap(a, b):
                out[pair] = f"{a}  ×  {b}"
    return sorted(out.values())


def test_the_checker_sees_a_clash_between_a_window_action_and_a_field_shortcut(qtbot):
    """The Ctrl+Enter of issue 16: 插入同级 (window) and 落实情况's Ctrl+Enter (a text field) clash."""
    window = QWidget()
    qtbot.addWidget(window)
    field, other = QWidget(window), QWidget(window)
    for w in (field, other):
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    action = QAction("插入同级", window)
    action.setShortcuts([QKeySequence("Insert"), QKeySequence("Ctrl+Return")])
    window.addAction(action)
    QShortcut(QKeySequence("Ctrl+Return"), field, context=Ctx.WidgetShortcut)
    assert len(clashes(bindings(window))) == 1
    # the same key on two sibling widgets, each only while it has the focus: no clash
    a, b = QAction("a", field), QAction("b", other)
    for act, w in ((a, field), (b, other)):
        act.setShortcut(QKeySequence("Delete"))
        act.setShortcutContext(Ctx.WidgetWithChildrenShortcut)
        w.addAction(act)
    assert len(clashes(bindings(window))) == 1


def test_no_ambiguous_shortcut_in_the_main_window_and_the_import_window(make_window, notice_id, corpus_dir, qtbot):
    w = make_window()
    w.export_document()  # the export dialog and its preview are children of the window too
    found = bindings(w)
    keys = {b.key for b in found}
    # the list covers the menus, the edit actions, the table's own shortcuts and the panels' QShortcuts
    for key in ("Ctrl+O", "Ctrl+N", "Ctrl+Z", "Ctrl+Return", "Ctrl+Enter", "Ins", "Del", "F2", "F9",
                "Alt+Up", "Ctrl+E", "Ctrl+P", "PgDown"):
        assert key in keys, key
    found_clashes = clashes(found)
    assert not found_clashes, "\n".join(found_clashes)

    dialog = w.import_notice(corpus_dir / "002_lezhi_2023_table.txt")
    assert dialog.pages.currentIndex() == 1
    found = bindings(dialog)
    keys = {b.key for b in found}
    for key in ("Ctrl+Z", "Ctrl+Return", "Ins", "Ctrl+V", "Ctrl+Shift+N", "Ctrl+Shift+U"):
        assert key in keys, key
    found_clashes = clashes(found)
    assert not found_clashes, "\n".join(found_clashes)
    dialog.reject()


def test_ctrl_enter_adds_the_progress_entry_in_its_box_and_inserts_a_task_in_the_table(
        make_window, ledger, notice_id, qtbot, qtlog):
    w = make_window(today=dt.date(2024, 7, 1))
    rows = [r for r in w.model.rows() if not r.child_count]
    w.view.select_ids([rows[0].id], rows[0].id)
    count = len(ledger.tasks(notice_id))
    log = w.panel.log_widget
    w.panel.tabs.setCurrentWidget(log)
    log.text_edit.setFocus()
    qtbot.waitUntil(log.text_edit.hasFocus)
    log.text_edit.setPlainText("已完成清单梳理")
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # main and keypad Enter
        qtbot.keyClick(log.text_edit, key, Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Return:
            log.text_edit.setPlainText("正在验收")
    texts = [e.text for e in ledger.progress_log(rows[0].id)]
    assert texts == ["已完成清单梳理", "正在验收"]
    assert log.text_edit.toPlainText() == ""
    assert len(ledger.tasks(notice_id)) == count  # no task was inserted

    w.view.setFocus()
    qtbot.waitUntil(w.view.hasFocus)
    qtbot.keyClick(w.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(ledger.tasks(notice_id)) == count + 1  # 插入同级
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]

