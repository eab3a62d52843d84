"""What the clerk does with the notice's own text in the import window, and how a re-read keeps edits.

``SourceActions``: text selected in the source pane becomes a new task (keeping its place in the
source), is added to the current task, becomes the current task's 牵头/责任单位 or 完成时限, or the
notice's 标题/文号/发文机关/成文日期 — by the context menu or a shortcut, every task change undoable.

``keep_edits``: when the clerk re-reads a table with other column roles, rows the clerk had edited and
whose source did not move keep the edits, and rows the clerk added by hand are kept.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop.domain import UnitRole

_FIELDS = (("title", "title"), ("text", "text"), ("lead_units", "lead_units"), ("units", "units"),
           ("deadline_text", "deadline"))


def keep_edits(new_rows: list[dict[str, Any]], current: list, previous) -> None:
    """Carry the clerk's edits into ``new_rows`` (ledger rows of the new reading), in place: a current leaf
    whose fields differ from what the previous reading proposed for the same source span gives those
    fields to the new row with that span; a leaf the clerk added (no span the reading knew) is appended."""
    proposed = {tuple(t.source_span): t for t in previous.tasks}
    by_span = {(r["source_start"], r["source_end"]): r for r in new_rows}
    for row in current:
        if row.child_count:
            continue
        span = (row.source_start, row.source_end)
        was = proposed.get(span)
        if was is None:
            new_rows.append({"section": None, "title": row.title, "text": row.text, "lead_units": list(row.lead_units),
                             "units": list(row.units), "deadline_text": row.deadline_text,
                             "source_start": row.source_start, "source_end": row.source_end})
            continue
        target = by_span.get(span)
        if target is None:
            continue
        for field, attr in _FIELDS:
            mine, theirs = _plain(getattr(row, field)), _plain(getattr(was, attr))
            if mine != theirs:
                target[field] = mine if mine is not None else ""


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return list(value)
    return value or None


class SourceActions:
    """The source pane's context menu and shortcuts (module docstring)."""

    def __init__(self, dialog: Any) -> None:  # the ImportDialog (not imported: no cycle)
        self.dialog = dialog
        view = dialog.source_view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._menu)
        self.actions: dict[str, QAction] = {}
        for key, label, shortcut, slot in (
            ("new", "新建任务", "Ctrl+Shift+N", self.new_task),
            ("append", "追加到当前任务", "Ctrl+Shift+J", self.append_to_current),
            ("lead", "设为牵头单位", "Ctrl+Shift+L", lambda: self.set_units(UnitRole.LEAD)),
            ("units", "设为责任单位", "Ctrl+Shift+U", lambda: self.set_units(UnitRole.RESPONSIBLE)),
            ("deadline", "设为完成时限", "Ctrl+Shift+D", self.set_deadline),
            ("title", "设为通知标题", "", lambda: self.set_meta("title")),
            ("doc_number", "设为文号", "", lambda: self.set_meta("doc_number")),
            ("issuer", "设为发文机关", "", lambda: self.set_meta("issuer")),
            ("date", "设为成文日期", "", lambda: self.set_meta("date")),
        ):
            action = QAction(label, view)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                view.addAction(action)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            self.actions[key] = action

    def _menu(self, pos) -> None:
        has = bool(self.selection()[0])
        current = self.dialog.view.current_id() is not None
        menu = QMenu(self.dialog.source_view)
        for key in ("new", "append", "lead", "units", "deadline", None, "title", "doc_number", "issuer", "date"):
            if key is None:
                menu.addSeparator()
                continue
            action = self.actions[key]
            action.setEnabled(has and (current or key in ("new", "title", "doc_number", "issuer", "date")))
            menu.addAction(action)
        menu.exec(self.dialog.source_view.mapToGlobal(pos))

    def selection(self) -> tuple[str, int, int]:
        cursor = self.dialog.source_view.textCursor()
        text = cursor.selectedText().replace("\u2029", "\n").strip()
        return text, cursor.selectionStart(), cursor.selectionEnd()

    # --- tasks -----------------------------------------------------------------------------------
    def new_task(self) -> int | None:
        """The selection as a new task after the current one: its first clause the title, the whole the
        body, its place in the source kept (selecting the task highlights it again)."""
        from desktop.importing.parse.patterns import first_clause, strip_enum

        text, start, end = self.selection()
        if not text:
            return None
        body = strip_enum(text)
        fields = {"title": first_clause(body)[:60], "text": body, "source_start": start, "source_end": end}
        return self.dialog.controller.insert_sibling(fields=fields, edit=False)

    def append_to_current(self) -> bool:
        text, _, _ = self.selection()
        task_id = self.dialog.view.current_id()
        if not text or task_id is None:
            return False
        row = self.dialog.scratch.task(task_id)
        joined = f"{row.text}\n{text}" if row.text else text
        return self.dialog.controller.edit_fields(task_id, {"text": joined})

    def set_units(self, role: UnitRole) -> bool:
        from desktop.importing.parse.units import split_names

        text, _, _ = self.selection()
        task_id = self.dialog.view.current_id()
        names = split_names(text)
        if not names or task_id is None:
            return False
        return self.dialog.controller.edit_units(task_id, role, names)

    def set_deadline(self) -> bool:
        text, _, _ = self.selection()
        task_id = self.dialog.view.current_id()
        if not text or task_id is None:
            return False
        return self.dialog.controller.edit_fields(task_id, {"deadline_text": " ".join(text.split())})

    # --- the notice's own fields ------------------------------------------------------------------
    def set_meta(self, field: str) -> bool:
        from desktop.importing.parse.metadata import parse_date

        text, _, _ = self.selection()
        text = "".join(text.split()) if field != "title" else " ".join(text.split())
        if not text:
            return False
        d = self.dialog
        if field == "date":
            day = parse_date(text)
            if day is None:
                d.messages.warning(f"“{text}”不是日期，请选中“2023年6月20日”这样的文字。")
                return False
            d.date_edit.setText(day.isoformat())
            return True
        {"title": d.title_edit, "doc_number": d.number_edit, "issuer": d.issuer_edit}[field].setText(text)
        return True
