"""Dragging rows of the task table: the dragged task ids as MIME data, and a drop turned into a move request.

``TaskDragDrop`` is the drag-and-drop half of ``TaskTreeModel`` (``task_model``): it encodes the dragged
rows (only the topmost of a dragged subtree), decodes a drop and asks the model where it lands
(``_drop_target``). A drop never moves anything itself: it emits ``move_requested``, and the controller's
move command reloads the model.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, Qt, SignalInstance

MIME_TYPE = "application/x-noticedesk-task-ids"


class TaskDragDrop:
    """Qt's drag-and-drop hooks of the task model (move only); the model gives ``top_level_only`` and
    ``_drop_target``."""

    if TYPE_CHECKING:
        from desktop.domain import TaskRow

        _by_id: dict[int, TaskRow]
        move_requested: SignalInstance

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        ids: list[int] = []
        for ix in indexes:
            tid = ix.internalId() if ix.isValid() else 0
            if tid and tid not in ids:
                ids.append(tid)
        ids = self.top_level_only(ids)
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(json.dumps(ids).encode()))
        return mime

    def _decode(self, data: QMimeData) -> list[int]:
        if data is None or not data.hasFormat(MIME_TYPE):
            return []
        try:
            ids = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
        except ValueError:
            return []
        return [i for i in ids if isinstance(i, int) and i in self._by_id]

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        ids = self._decode(data)
        return bool(ids) and action == Qt.DropAction.MoveAction and \
            self._drop_target(ids, row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        """Drop on a row = make children; between rows = siblings. Returns False on purpose: the
        move command reloads the model, so the view must not remove the dragged rows itself."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        ids = self._decode(data)
        target = self._drop_target(ids, row, parent) if ids else None
        if target is None:
            return False
        self.move_requested.emit(ids, *target)
        return False

