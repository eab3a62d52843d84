"""TaskTreeModel: a QAbstractItemModel over one notice's task tree (the 任务分解表), read-only to storage.

The model holds the TaskRows that ``Ledger.tasks()`` returned, in pre-order. Indexes carry the
task id as ``internalId`` (0 = the invisible root). ``setData``, drops and ``moveRows`` never
write anything themselves: they emit ``edit_requested`` / ``move_requested`` and the controller
turns those into undo commands, which call the Ledger and then refresh this model
(``update_row`` for a field edit, ``set_rows`` for a structural change).

状态 shows a leaf's status and a parent's derived progress "done/total" (``tracking.rules.TaskTree``,
never editable). Overdue rows (``tracking.rules``, as of ``today`` and the notice's ``year``)
are drawn red, and so is the progress of a parent with an overdue item. 完成时限 shows the printed
text (plus the revised date after a 调整时限); its tooltip gives the due date in force. 落实情况 (hidden
by default) shows the latest progress-log entry. What each cell shows, role by role, is ``TaskCells``
(``task_cells``, the display half); dragging rows is ``TaskDragDrop`` (``task_drag``, the MIME data
of the dragged ids); this module keeps the tree structure, the edits and where a move lands.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop.domain import Status, TaskRow
from desktop.tracking.rules import TaskTree

from .task_cells import (  # noqa: F401 - the columns, roles and cell words are imported from here too
    COL_DEADLINE,
    COL_LEAD,
    COL_NUMBER,
    COL_PROGRESS,
    COL_STATUS,
    COL_TEXT,
    COL_TITLE,
    COL_UNITS,
    HEADERS,
    TEXT_COLUMNS,
    UNIT_COLUMNS,
    UNIT_SEPARATOR,
    TaskCells,
    TaskRowRole,
    due_state,
    due_text,
    latest_progress,
    split_unit_names,
)
from .task_drag import TaskDragDrop

_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
          | Qt.ItemFlag.ItemIsDropEnabled)  # computed once: flags() runs for every row on expandAll
_FLAGS_EDITABLE = _FLAGS | Qt.ItemFlag.ItemIsEditable
# leaves say so: QTreeView then skips hasChildren() for them (a reset follows any structural change)
_LEAF_FLAGS = _FLAGS | Qt.ItemFlag.ItemNeverHasChildren
_LEAF_FLAGS_EDITABLE = _FLAGS_EDITABLE | Qt.ItemFlag.ItemNeverHasChildren

_AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # default 'parent' argument (never modified)


class TaskTreeModel(TaskCells, TaskDragDrop, QAbstractItemModel):
    """The task tree of one notice, optionally narrowed by a filter (matches + their ancestors)."""

    #: (task_id, field, value): a cell was edited; field is a TaskRow field or "lead_units"/"units"
    edit_requested = Signal(int, str, object)
    #: (task_ids, parent_id or 0 for top level, index among the parent's children after the move)
    move_requested = Signal(list, int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRow] = []
        self._by_id: dict[int, TaskRow] = {}
        self._shown: set[int] | None = None
        self._matched: set[int] | None = None
        # the visible tree: parent id (0 = root) → child ids; id → (parent id, row)
        self._children: dict[int, list[int]] = {0: []}
        self._place: dict[int, tuple[int, int]] = {}
        # the full tree (ignores the filter): used for move/indent decisions
        self._all_children: dict[int, list[int]] = {0: []}
        self._progress: dict[int, tuple[int, int]] = {}  # parent id → (done, total) of its items
        self._late_parents: set[int] = set()  # parents with an overdue item below them
        self._overdue: set[int] = set()  # overdue items
        self.today = dt.date.today()
        self.year: int | None = None  # the notice's 年度 (全年 and recurring deadlines)
        self._derived_for: tuple[dt.date, int | None] | None = None
        self._notes: dict[int, str] = {}  # task id → why the row should be checked (import review)
        self.rows_version = 0  # +1 whenever set_rows brings other rows (not for a filter change)

    # --- loading ------------------------------------------------------------------------------
    def set_notes(self, notes: dict[int, str]) -> None:
        """Rows to check (task id → reason), shown tinted with the reason as their tooltip."""
        self._notes = dict(notes)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def note(self, task_id: int) -> str | None:
        return self._notes.get(task_id)

    def set_rows(self, rows: Iterable[TaskRow], shown: set[int] | None = None,
                 matched: set[int] | None = None) -> None:
        """Replace all rows (pre-order) and the filter result in one model reset."""
        self.beginResetModel()
        # a filter change passes the same rows: the derived progress is still right
        derived = (self.today, self.year)
        same = rows is self._rows and derived == self._derived_for
        self._rows = list(rows)
        self._by_id = {r.id: r for r in self._rows}
        self._shown, self._matched = shown, matched
        self._rebuild()
        if not same:
            self._derive()
            self._derived_for = derived
            self.rows_version += 1
        self.endResetModel()

    def set_filter(self, shown: set[int] | None, matched: set[int] | None) -> None:
        self.set_rows(self._rows, shown, matched)

    def _rebuild(self) -> None:
        all_children: dict[int, list[int]] = {0: []}
        children: dict[int, list[int]] = {0: []}
        place: dict[int, tuple[int, int]] = {}
        shown = self._shown
        for r in self._rows:
            pid = r.parent_id or 0
            all_children.setdefault(pid, []).append(r.id)
            if shown is not None and r.id not in shown:
                continue
            if pid and pid not in place:  # parent hidden or missing: cannot show the child
                continue
            siblings = children.setdefault(pid, [])  # only visible parents get an entry
            place[r.id] = (pid, len(siblings))
            siblings.append(r.id)
        self._all_children, self._children, self._place = all_children, children, place

    def _derive(self) -> None:
        """Parents' progress and which parents hold an overdue item (after any change of rows)."""
        tree = TaskTree(self._rows, self.year)
        self._progress = tree.progress_all()
        late: set[int] = set()
        overdue: set[int] = set()
        for r in self._rows:
            if not tree.is_overdue(r, self.today):
                continue
            overdue.add(r.id)
            p = r.parent_id
            while p is not None and p not in late:
                late.add(p)
                parent = self._by_id.get(p)
                p = parent.parent_id if parent else None
        self._late_parents = late
        self._overdue = overdue

    def overdue_count(self) -> int:
        """Overdue items (leaves) of the notice, filter or not (the status bar)."""
        return len(self._overdue)

    def progress(self, task_id: int) -> tuple[int, int] | None:
        """(done, total) of a parent's items; None for a leaf."""
        return self._progress.get(task_id)

    def update_row(self, row: TaskRow) -> None:
        """Replace one task's fields after a field edit; the tree shape must be unchanged."""
        old = self._by_id.get(row.id)
        if old is None:
            return
        row.depth, row.number, row.child_count = old.depth, old.number, old.child_count
        self._rows[self._rows.index(old)] = row
        self._by_id[row.id] = row
        if row.id in self._place:
            left = self.index_for_id(row.id, 0)
            self.dataChanged.emit(left, left.siblingAtColumn(len(HEADERS) - 1))
        if old.status != row.status or old.due_date != row.due_date or old.revised_at != row.revised_at \
                or old.progress_on != row.progress_on:
            before = (self._progress, self._late_parents)
            self._derive()
            p = row.parent_id
            while p is not None:  # the ancestors' progress cells
                if (before[0].get(p), p in before[1]) != (self._progress.get(p), p in self._late_parents):
                    ix = self.index_for_id(p, COL_STATUS)
                    if ix.isValid():
                        self.dataChanged.emit(ix, ix)
                parent = self._by_id.get(p)
                p = parent.parent_id if parent else None

    # --- lookups ------------------------------------------------------------------------------
    def parent_ids(self) -> list[int]:
        """Visible tasks that have visible children."""
        return [pid for pid in self._children if pid]

    def rows(self) -> list[TaskRow]:
        return self._rows

    def row_by_id(self, task_id: int) -> TaskRow | None:
        return self._by_id.get(task_id)

    def is_filtered(self) -> bool:
        return self._shown is not None

    def visible_count(self) -> int:
        return len(self._place)

    def matched_count(self) -> int:
        return len(self._matched) if self._matched is not None else len(self._rows)

    def task_id(self, index: _AnyIndex) -> int | None:
        return index.internalId() or None if index.isValid() else None

    def index_for_id(self, task_id: int, column: int = 0) -> QModelIndex:
        place = self._place.get(task_id)
        if place is None:
            return QModelIndex()
        return self.createIndex(place[1], column, task_id)

    def siblings_of(self, task_id: int) -> list[int]:
        """The task's siblings (itself included) in the full, unfiltered tree."""
        r = self._by_id[task_id]
        return self._all_children.get(r.parent_id or 0, [])

    def sibling_index(self, task_id: int) -> int:
        return self.siblings_of(task_id).index(task_id)

    def children_of(self, task_id: int | None) -> list[int]:
        return self._all_children.get(task_id or 0, [])

    def is_ancestor(self, ancestor_id: int, task_id: int | None) -> bool:
        """True when ``ancestor_id`` is ``task_id`` or one of its ancestors."""
        while task_id:
            if task_id == ancestor_id:
                return True
            r = self._by_id.get(task_id)
            task_id = r.parent_id if r else None
        return False

    # --- QAbstractItemModel -------------------------------------------------------------------
    def index(self, row: int, column: int, parent: _AnyIndex = _ROOT) -> QModelIndex:
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            kids = self._children.get(parent.internalId())
        else:
            kids = self._children[0]
        if not kids or not 0 <= row < len(kids) or not 0 <= column < len(HEADERS):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, index: _AnyIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        place = self._place.get(index.internalId())
        if place is None or place[0] == 0:
            return QModelIndex()
        pid = place[0]
        return self.createIndex(self._place[pid][1], 0, pid)

    def rowCount(self, parent: _AnyIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._children[0])
        if parent.column():
            return 0
        kids = self._children.get(parent.internalId())
        return len(kids) if kids else 0

    def columnCount(self, parent: _AnyIndex = _ROOT) -> int:
        return len(HEADERS)

    def hasChildren(self, parent: _AnyIndex = _ROOT) -> bool:
        if not parent.isValid():
            return bool(self._children[0])
        return not parent.column() and parent.internalId() in self._children

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None


    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        col = index.column()
        tid = index.internalId()
        if col == COL_NUMBER or col == COL_PROGRESS or (col == COL_STATUS and tid in self._progress):
            return _FLAGS if tid in self._children else _LEAF_FLAGS
        if tid in self._children:
            return _FLAGS_EDITABLE
        return _LEAF_FLAGS_EDITABLE

    def setData(self, index: _AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for an edit: emits ``edit_requested`` (the controller pushes the undo command)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        r = self._by_id.get(index.internalId())
        col = index.column()
        if r is None or col in (COL_NUMBER, COL_PROGRESS):
            return False
        if col in TEXT_COLUMNS:
            name = TEXT_COLUMNS[col]
            value = "" if value is None else str(value)
            if value == getattr(r, name):
                return False
            self.edit_requested.emit(r.id, name, value)
            return True
        if col in UNIT_COLUMNS:
            names = value if isinstance(value, list) else split_unit_names(str(value or ""))
            name = "lead_units" if col == COL_LEAD else "units"
            if names == getattr(r, name):
                return False
            self.edit_requested.emit(r.id, name, names)
            return True
        if col == COL_STATUS:
            if r.id in self._progress:
                return False  # a parent's progress is derived, never typed
            try:
                status = value if isinstance(value, Status) else Status.parse(str(value))
            except ValueError:
                return False
            if status == r.status:
                return False
            self.edit_requested.emit(r.id, "status", status)
            return True
        return False

    # --- moves (drag and drop: ``TaskDragDrop``) -----------------------------------------------
    def top_level_only(self, ids: Iterable[int]) -> list[int]:
        """Drop ids whose ancestor is also in ``ids``; keep tree (pre-)order."""
        wanted = set(ids)
        out = []
        for r in self._rows:
            if r.id not in wanted:
                continue
            p = r.parent_id
            while p and p not in wanted:
                p = self._by_id[p].parent_id if p in self._by_id else None
            if not p:
                out.append(r.id)
        return out

    def _drop_target(self, ids: list[int], row: int, parent: _AnyIndex) -> tuple[int, int] | None:
        """(parent id, final index) for dropping ``ids`` at ``row`` under ``parent``; None if invalid."""
        pid = parent.internalId() if parent.isValid() else 0
        if any(self.is_ancestor(i, pid) for i in ids):
            return None  # a task cannot go inside its own subtree
        visible = self._children.get(pid, [])
        full = self._all_children.get(pid, [])
        if row < 0 or row >= len(visible):
            index = len(full)  # dropped on the parent itself or past the end: last child
        else:
            index = full.index(visible[row])  # visible row → place in the full sibling list
        # the moved tasks that sit before the drop point leave a gap: count after removal
        index -= sum(1 for i in ids if i in full and full.index(i) < index)
        return pid, index

    def moveRows(self, sourceParent: _AnyIndex, sourceRow: int, count: int,
                 destinationParent: _AnyIndex, destinationChild: int) -> bool:
        """Ask to move ``count`` visible rows; the move happens through ``move_requested``."""
        spid = sourceParent.internalId() if sourceParent.isValid() else 0
        kids = self._children.get(spid, [])
        if count <= 0 or sourceRow < 0 or sourceRow + count > len(kids):
            return False
        ids = kids[sourceRow:sourceRow + count]
        target = self._drop_target(ids, destinationChild, destinationParent)
        if target is None:
            return False
        self.move_requested.emit(ids, *target)
        return True

