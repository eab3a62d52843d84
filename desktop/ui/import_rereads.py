"""The import window's scratch ledger (a temporary folder holding the proposed table, edited like the
main table), and reading the notice's table again with the clerk's column roles (``TableChoice``),
undone and redone like an edit: Ctrl+Z undoes the last edit of the proposed table, else the last
re-reading; the rows the clerk edited and whose source did not change keep the edits (``keep_edits``).

Each reading is a notice of its own in the window's scratch ledger, so undoing a re-reading only shows
the previous one again.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from desktop.storage.ledger import Ledger, LedgerError

from .import_panes import doubtful_rows, show_warnings
from .import_source_actions import keep_edits

Reading = tuple[int, object, object]  # (scratch notice, TableChoice or None, ParsedNotice)


def open_scratch(meta: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[tempfile.TemporaryDirectory, Ledger, int]:
    """(its folder, a fresh scratch ledger, the proposed notice stored in it); LedgerError leaves nothing."""
    folder = tempfile.TemporaryDirectory(prefix="noticedesk-import-")
    scratch = None
    try:
        scratch = Ledger(data_dir=Path(folder.name))
        return folder, scratch, scratch.create_notice_with_tasks(meta, rows)
    except LedgerError:
        close_scratch(folder, scratch)
        raise


def close_scratch(folder: tempfile.TemporaryDirectory | None, scratch: Ledger | None) -> None:
    if scratch is not None:
        scratch.close()
    if folder is not None:
        folder.cleanup()


class Rereads:
    """The re-readings of one import window, with their undo and redo stacks."""

    def __init__(self, dialog: Any) -> None:  # the ImportDialog (not imported: no cycle)
        self.dialog = dialog
        self.back: list[Reading] = []
        self.forward: list[Reading] = []

    def current(self) -> Reading:
        d = self.dialog
        return d._scratch_notice, d.choice, d.parsed

    def reread(self, choice) -> bool:
        """Parse the notice again with ``choice`` into a new proposed table (module docstring)."""
        from desktop.import_service import parse_with_directory
        from desktop.importing import NoticeReadError
        from desktop.intake import ledger_rows

        d = self.dialog
        if d.document is None or d.scratch is None:
            return False
        d.controller.commit_pending()
        try:
            parsed = parse_with_directory(d.document, d.ledger, choice)
        except NoticeReadError as exc:
            d.messages.warning(str(exc))
            return False
        meta, rows = ledger_rows(parsed, source_name=d.source_name)
        keep_edits(rows, d.scratch.tasks(d._scratch_notice), d.parsed)
        try:
            new_id = d.scratch.create_notice_with_tasks(meta, rows)
        except LedgerError as exc:
            d.messages.error(str(exc), "无法重新读取")
            return False
        self.back.append(self.current())
        self.forward.clear()
        self.show(new_id, choice, parsed)
        return True

    def step(self, back: bool) -> None:
        """Undo (``back``) or redo: an edit of the proposed table first, else a re-reading."""
        controller = self.dialog.controller
        stack = controller.stack()
        if stack is not None and (stack.canUndo() if back else stack.canRedo()):
            controller.undo() if back else controller.redo()
            return
        source, target = (self.back, self.forward) if back else (self.forward, self.back)
        if source:
            target.append(self.current())
            self.show(*source.pop())

    def show(self, notice_id: int, choice, parsed) -> None:
        """Make a reading the window's: its table, its warnings, the grid panel's roles, the count."""
        d = self.dialog
        d._scratch_notice, d.choice, d.parsed = notice_id, choice, parsed
        d.controller.set_notice(notice_id)
        d.model.set_notes(doubtful_rows(parsed, d.scratch.tasks(notice_id)))
        show_warnings(d.warnings, parsed.warnings)
        panel = d.grid_panel
        panel.blockSignals(True)
        try:
            panel.show_tables(parsed.tables, choice.table if choice and choice.table else panel.index + 1,
                              parsed.has_items, bool(choice and choice.items))
            panel.set_roles_from_clerk(bool(choice and choice.columns))
        finally:
            panel.blockSignals(False)
        d.show_count()
        d.actions.undo.setEnabled(True)
