"""TrackingController: completion tracking in the main window — the panel's log, evidence and deadline,
the bulk actions, the 到期提醒 digest (window, menu entry, status-bar count) and the statistics view.

It pushes its commands (``tracking_commands``) onto the TaskController's per-notice undo stack, so
撤销 undoes a log entry, an attached file or a bulk edit like any other edit. Questions to the clerk
(a reason, a bulk choice) go through ``Prompts`` (``tracking_prompts``), which tests replace; opening
a file goes through ``Prompts.open_url``.

Start-up: ``start()`` runs once the window has painted (``app.py`` calls it through
``QTimer.singleShot``): one ``Ledger.digest`` (the start-up reader, no SQLAlchemy) gives the
status-bar count and, when there is something due and the clerk has not ticked 启动时不再显示, the
digest window. The count is recomputed (debounced) after edits.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton

from desktop.domain import DeadlineKind, Status, UnitRole
from desktop.settings import TRACKING_WHO
from desktop.storage.ledger import LedgerError
from desktop.tracking import rules

from .detail_panel import TAB_EVIDENCE, TAB_LOG
from .digest_dialog import DigestDialog, count_text, shows_on_start
from .tracking_commands import (
    AddProgressCommand,
    AttachEvidenceCommand,
    BulkStatusCommand,
    BulkUnitsCommand,
    DeleteProgressCommand,
    RemoveEvidenceCommand,
    RenameEvidenceCommand,
    ReviseDeadlineCommand,
    ShiftDeadlinesCommand,
    UpdateProgressCommand,
)
from .tracking_prompts import Prompts  # noqa: F401 - also imported from here

if TYPE_CHECKING:
    from desktop.tracking.digest import Digest

    from .main_window import MainWindow
    from .stats_view import StatsDialog


class TrackingController(QObject):
    """Wires completion tracking into a MainWindow (built right after its TaskController)."""

    def __init__(self, window: MainWindow, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(window)
        self.window = window
        self.today = today
        self.ledger, self.messages, self.settings = window.ledger, window.messages, window.settings
        self.controller = window.controller
        self.panel = window.panel
        self.prompts = Prompts(window, today, window.directory)
        self.digest_dialog: DigestDialog | None = None
        self.stats_dialog: StatsDialog | None = None
        self.last_digest: Digest | None = None
        self._asking = False
        self._started = False

        panel = self.panel
        panel.today = today
        panel.log_widget.today = today
        panel.due_edited.connect(self.edit_due)
        panel.extras_needed.connect(self.load_extras)
        log = panel.log_widget
        log.add_requested.connect(self.add_progress)
        log.edit_requested.connect(self.edit_progress)
        log.delete_requested.connect(self.delete_progress)
        log.set_default_who(self.settings.get(TRACKING_WHO))
        ev = panel.evidence_widget
        ev.files_added.connect(self.attach_files)
        ev.open_requested.connect(self.open_evidence)
        ev.rename_requested.connect(self.rename_evidence)
        ev.remove_requested.connect(self.remove_evidence)

        a = window.actions
        a.bulk_status.triggered.connect(lambda: self.bulk_status())
        a.bulk_units.triggered.connect(lambda: self.bulk_units())
        a.bulk_shift.triggered.connect(lambda: self.bulk_shift())
        window.view.context_menu = a.context_menu(window.view)

        self.digest_action = QAction("到期提醒", window)
        self.digest_action.setObjectName("showDigest")
        self.digest_action.setShortcut(QKeySequence("F9"))
        self.digest_action.setStatusTip("所有通知中已逾期和 7 天内到期的任务，按单位分组")
        self.digest_action.triggered.connect(lambda: self.show_digest())
        self.stats_action = QAction("完成情况统计…", window)
        self.stats_action.setObjectName("showStats")
        self.stats_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.stats_action.setStatusTip("各单位（牵头、责任）的任务数、完成、未完成、逾期、按时完成")
        self.stats_action.triggered.connect(lambda: self.show_stats())

        self.due_button = QToolButton()
        self.due_button.setObjectName("dueCount")
        self.due_button.setAutoRaise(True)
        self.due_button.setToolTip("查看到期提醒（F9）")
        self.due_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.due_button.clicked.connect(lambda: self.show_digest())
        self.due_button.hide()
        window.statusBar().addPermanentWidget(self.due_button)
        self._due_timer = QTimer(self)
        self._due_timer.setSingleShot(True)
        self._due_timer.setInterval(600)
        self._due_timer.timeout.connect(self.refresh_due_count)

    def fill_view_menu(self, menu: QMenu) -> None:
        menu.addActions([self.digest_action, self.stats_action])
        menu.addSeparator()

    # --- TrackingContext (for the commands) ----------------------------------------------------
    def row_changed(self, task_id: int) -> None:
        self.controller.row_changed(task_id)

    def tree_changed(self, select_ids: list[int], current: int | None = None) -> None:
        self.controller.tree_changed(select_ids, current)

    def units_changed(self) -> None:
        self.controller.units_changed()

    def rows_changed(self, task_ids: list[int]) -> None:
        self.controller.reload()  # many rows: reload, keeping the selection

    def log_changed(self, task_id: int) -> None:
        if self.panel.task_id() == task_id:
            self.panel.forget_extras()
            self._load(task_id, TAB_LOG)

    def evidence_changed(self, task_id: int) -> None:
        if self.panel.task_id() == task_id:
            self.panel.forget_extras()
            self._load(task_id, TAB_EVIDENCE)

    # --- panel: log and evidence ---------------------------------------------------------------
    def load_extras(self, task_id: int) -> None:
        self._load(task_id, self.panel.tabs.currentIndex())

    def _load(self, task_id: int, tab: int) -> None:
        with self.messages.guard("读取落实情况" if tab == TAB_LOG else "读取佐证材料"):
            if tab == TAB_LOG:
                self.panel.set_log(self.ledger.progress_log(task_id))
            elif tab == TAB_EVIDENCE:
                self.panel.set_evidence(self.ledger.evidence(task_id))

    def _push_for_shown(self, command: Callable[[int], Any], *needed: object) -> bool:
        """Push ``command(task id)`` for the task the panel shows, when there is one and every
        ``needed`` value is there (the text of an entry, the files to attach …)."""
        task_id = self.panel.task_id()
        if task_id is None or not all(needed):
            return False
        return self.controller.push(command(task_id))

    def add_progress(self, date: dt.date | None, text: str, who: str = "") -> bool:
        if self.panel.task_id() is None or not text.strip():
            return False
        if who != self.settings.get(TRACKING_WHO):
            self.settings.set(TRACKING_WHO, who)
        return self._push_for_shown(lambda t: AddProgressCommand(self, t, date, text.strip(), who))

    def edit_progress(self, entry_id: int, fields: dict) -> bool:
        return self._push_for_shown(lambda t: UpdateProgressCommand(self, t, entry_id, fields), fields)

    def delete_progress(self, entry_id: int) -> bool:
        return self._push_for_shown(lambda t: DeleteProgressCommand(self, t, entry_id))

    def attach_files(self, paths: list[Path]) -> bool:
        return self._push_for_shown(lambda t: AttachEvidenceCommand(self, t, [Path(p) for p in paths]), paths)

    def rename_evidence(self, evidence_id: int, name: str) -> bool:
        return self._push_for_shown(lambda t: RenameEvidenceCommand(self, t, evidence_id, name))

    def remove_evidence(self, evidence_id: int) -> bool:
        return self._push_for_shown(lambda t: RemoveEvidenceCommand(self, t, evidence_id))

    def open_evidence(self, evidence_id: int) -> bool:
        """打开: the stored copy, with the system's viewer for its type."""
        try:
            path = self.ledger.evidence_path(evidence_id)
        except LedgerError as e:
            self.messages.error(f"无法打开佐证材料：{e}")
            return False
        if not self.prompts.open_url(QUrl.fromLocalFile(str(path))):
            self.messages.error(f"无法打开佐证材料：系统中没有可以打开“{path.suffix or '此类'}”文件的程序。")
            return False
        return True

    # --- panel: deadline -----------------------------------------------------------------------
    def edit_due(self, task_id: int, new: dt.date | None) -> bool:
        """The 截止日期 was changed in the panel: a first date for a task without a deadline is simply
        stored; any other change asks the reason and is a 调整时限 (the original is kept)."""
        row = self.controller.model.row_by_id(task_id)
        if row is None or self._asking:
            return False
        old = rules.due(row, self.today(), self.controller.year).date
        if old == new:
            return False
        if old is None and row.revised_at is None and row.deadline_kind == DeadlineKind.NONE:
            return self.controller.edit_fields(task_id, {"due_date": new})
        self._asking = True
        try:
            reason = self.prompts.reason(row.title or row.text[:30], old, new)
        finally:
            self._asking = False
        if not reason:
            if self.panel.task_id() == task_id:
                self.panel.revert_due()
            return False
        return self.controller.push(ReviseDeadlineCommand(self, task_id, new, reason.strip()))

    # --- bulk actions --------------------------------------------------------------------------
    def _selected(self, leaves: bool) -> list[int]:
        """The selected rows; with ``leaves`` a selected parent stands for its items (the rows a
        status applies to), otherwise the rows and everything below them."""
        model = self.controller.model
        picked = model.top_level_only(self.controller.view.selected_ids())
        out: list[int] = []
        for r in model.rows():
            if any(model.is_ancestor(p, r.id) for p in picked) and not (leaves and r.child_count):
                out.append(r.id)
        return out

    def bulk_status(self, status: Status | None = None, done_on: dt.date | None = None) -> bool:
        """批量设置状态 on the selected items (a selected parent: all its items); one undo step."""
        self.controller.commit_pending()
        ids = self._selected(leaves=True)
        if not ids:
            return False
        if status is None:
            answer = self.prompts.bulk_status(len(ids))
            if answer is None:
                return False
            status, done_on = answer
        ok = self.controller.push(BulkStatusCommand(self, ids, Status(status), done_on))
        if ok:
            self.window.statusBar().showMessage(f"已将 {len(ids)} 条任务设为{Status(status).value}。", 6000)
        return ok

    def bulk_units(self, role: UnitRole | None = None, names: list[str] | None = None) -> bool:
        """批量设置单位 on the selected rows (as selected: items inherit a parent's units)."""
        self.controller.commit_pending()
        ids = self.controller.model.top_level_only(self.controller.view.selected_ids())
        if not ids:
            return False
        if role is None or names is None:
            answer = self.prompts.bulk_units(len(ids))
            if answer is None:
                return False
            role, names = answer
        return self.controller.push(BulkUnitsCommand(self, ids, UnitRole(role), list(names)))

    def bulk_shift(self, days: int | None = None, reason: str | None = None) -> bool:
        """批量调整时限: the selected rows and the rows below them that have a due date."""
        self.controller.commit_pending()
        model = self.controller.model
        ids = [i for i in self._selected(leaves=False) if model.row_by_id(i).due_date is not None]
        if not ids:
            self.messages.warning("选中的任务都没有具体的截止日期，无法调整时限。")
            return False
        if days is None or reason is None:
            answer = self.prompts.shift(len(ids))
            if answer is None:
                return False
            days, reason = answer
        if not days or not reason.strip():
            return False
        return self.controller.push(ShiftDeadlinesCommand(self, ids, days, reason.strip()))

    # --- digest ------------------------------------------------------------------------------
    def start(self) -> None:
        """After the window has painted: the status-bar count, and the digest window when due."""
        if self._started:
            return
        self._started = True
        digest = self.refresh_due_count()
        self.controller.counts_changed.connect(lambda _text: self._due_timer.start())
        if digest is not None and digest.count() and shows_on_start(self.settings):
            self.show_digest(digest)

    def refresh_due_count(self) -> Digest | None:
        try:
            digest = self.ledger.digest(self.today())
        except LedgerError as e:
            self.messages.error(f"读取到期事项失败：{e}")
            return None
        self.last_digest = digest
        self.due_button.setText(count_text(digest) if digest.count() else "无逾期或近期到期任务")
        self.due_button.setVisible(True)
        if digest.overdue:
            self.due_button.setStyleSheet("QToolButton { color: #b71c1c; }")
        else:
            self.due_button.setStyleSheet("")
        if self.digest_dialog is not None and self.digest_dialog.isVisible():
            self.digest_dialog.refresh(digest)
        return digest

    def show_digest(self, digest: Digest | None = None) -> DigestDialog:
        """到期提醒: the one digest window (created once, raised again)."""
        self.controller.commit_pending()
        if self.digest_dialog is None:
            self.digest_dialog = DigestDialog(self.ledger, self.settings, self.today, self.messages, self.window)
            self.digest_dialog.jump_requested.connect(self.jump_to)
        self.digest_dialog.refresh(digest)
        self.digest_dialog.show()
        self.digest_dialog.raise_()
        self.digest_dialog.activateWindow()
        return self.digest_dialog

    def jump_to(self, notice_id: int, task_id: int) -> bool:
        """Show a notice's task: select the notice, clear a filter that hides the task, select the row."""
        w = self.window
        if notice_id not in w.notice_list.notice_ids():
            w.notice_list.reload()
        w.notice_list.select(notice_id)
        if self.controller.notice_id != notice_id:
            return False
        if not self.controller.model.index_for_id(task_id).isValid():
            w.filter_bar.clear()
        if not self.controller.model.index_for_id(task_id).isValid():
            self.messages.warning("找不到这条任务，它可能已被删除。")
            return False
        w.view.collapsed_ids.difference_update(self._ancestors(task_id))
        w.view.restore_expanded()
        w.view.select_ids([task_id])
        w.view.setFocus()
        w.raise_()
        w.activateWindow()
        return True

    def _ancestors(self, task_id: int) -> set[int]:
        model = self.controller.model
        out: set[int] = set()
        row = model.row_by_id(task_id)
        while row is not None and row.parent_id is not None:
            out.add(row.parent_id)
            row = model.row_by_id(row.parent_id)
        return out

    # --- statistics ----------------------------------------------------------------------------
    def show_stats(self) -> StatsDialog:
        """完成情况统计 for the current notice (the scope can be changed in the window)."""
        from .stats_view import StatsDialog

        self.controller.commit_pending()
        if self.stats_dialog is not None:
            self.stats_dialog.close()
            self.stats_dialog.deleteLater()
        self.stats_dialog = StatsDialog(self.ledger, self.messages, self.today, self.controller.notice_id,
                                        self.window)
        self.stats_dialog.show()
        return self.stats_dialog
