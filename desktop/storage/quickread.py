"""Start-up reads of an up-to-date SQLite ledger on the stdlib ``sqlite3``, so the window shows before SQLAlchemy is imported.

``ledger.Ledger`` opens a ``QuickReader`` when the ledger file exists and is already at
``CURRENT_VERSION``, and serves ``notices()``, ``tasks()`` and ``units()`` (what the main window
reads while it starts) from it until anything else is called; then the SQLAlchemy implementation
(``service.py``) is built and the reader closed. Every other case (no file yet, an older file to
back up and migrate, a newer or foreign file to refuse, PostgreSQL) goes to the SQLAlchemy
implementation at once, which keeps all the checking and error messages in one place.

The queries here are the SQL that ``service.py`` has SQLAlchemy emit, and the values are converted
the way the SQLAlchemy column types do (``models.py``: dates by ``date.fromisoformat``, enums by
value, aliases from JSON), so both paths return equal domain objects (``test_quickread`` checks).
A change to the schema (``CURRENT_VERSION``, which lives here so reading it needs no SQLAlchemy)
must be checked against these queries.

The connection is opened read-write but with ``PRAGMA query_only``: nothing can be written, and, unlike
``mode=ro``, it can still remove the WAL companions (-wal, -shm) when it is the last connection to
close, so a file only looked at (or refused) is left exactly as it was found.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from desktop.domain import DeadlineKind, NoticeInfo, Status, TaskRow, UnitCategory, UnitInfo, UnitRole
from desktop.numbering import number_for

CURRENT_VERSION = 2  # the schema version of ledgers this program writes (see migrations.py)
VERSION_KEY = "schema_version"
BUSY_TIMEOUT_S = 5.0  # as engine.BUSY_TIMEOUT_S: wait this long for another writer's lock

_NOTICES = """
SELECT notice.id, notice.title, notice.doc_number, notice.issuer, notice.date, notice.year,
       notice.recipients, notice.source_name, coalesce(counts.n, 0)
FROM notice LEFT OUTER JOIN (SELECT task.notice_id AS notice_id, count(*) AS n
                             FROM task GROUP BY task.notice_id) AS counts ON counts.notice_id = notice.id
ORDER BY notice.year DESC NULLS LAST, notice.date DESC NULLS LAST, notice.id DESC
"""
_TASKS = """
SELECT id, notice_id, parent_id, position, title, text, owner, deadline_text, due_date, deadline_kind,
       status, done_on, progress_note, remark, source_start, source_end
FROM task WHERE notice_id = ? ORDER BY position, id
"""
_LINKS = """
SELECT task_unit.task_id, task_unit.role, unit.name
FROM task_unit JOIN task ON task.id = task_unit.task_id JOIN unit ON unit.id = task_unit.unit_id
WHERE task.notice_id = ?
ORDER BY task_unit.task_id, task_unit.role, task_unit.position
"""
_UNITS = """
SELECT id, name, short_name, aliases, category, sort_order, collective FROM unit ORDER BY sort_order, id
"""

_KINDS = {m.value: m for m in DeadlineKind}
_STATUSES = {m.value: m for m in Status}
_CATEGORIES = {m.value: m for m in UnitCategory}


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)  # SQLAlchemy's str_to_date


def _enum(members: dict[str, Any], cls: Any, value: str | None) -> Any:
    if value is None:
        return None
    member = members.get(value)
    return member if member is not None else cls(value)  # models.EnumText: ValueError for unknown


def build_tree(rows: Iterable[Sequence[Any]], links: Iterable[Sequence[Any]]) -> list[TaskRow]:
    """A notice's TaskRows in pre-order from its task rows (the 16 columns of ``_TASKS``, typed, in
    (position, id) order) and its unit links ((task_id, role, unit name) in printed order).

    Shared by both paths (``service.SqlLedger.tasks`` calls it too), so depth, number, units and
    child_count are derived the same way."""
    lead: dict[int, list[str]] = defaultdict(list)
    resp: dict[int, list[str]] = defaultdict(list)
    for task_id, role, name in links:
        (lead if role == UnitRole.LEAD else resp)[task_id].append(name)
    children: dict[int | None, list[Any]] = defaultdict(list)
    for r in rows:
        children[r[2]].append(r)
    out: list[TaskRow] = []
    no_kids: list[Any] = []
    # Pre-order walk with an explicit stack (no recursion limit on deep trees).
    stack: list[tuple[Any, int, int]] = [(r, 1, i) for i, r in reversed(list(enumerate(children[None], 1)))]
    while stack:
        r, depth, index = stack.pop()
        (tid, nid, pid, pos, title, text, owner, deadline_text, due_date, deadline_kind, status, done_on,
         progress_note, remark, source_start, source_end) = r
        kids = children.get(tid, no_kids)
        out.append(TaskRow(
            id=tid, notice_id=nid, parent_id=pid, position=pos, depth=depth, number=number_for(depth, index),
            title=title, text=text, lead_units=lead.get(tid, []), units=resp.get(tid, []), owner=owner,
            deadline_text=deadline_text, due_date=due_date, deadline_kind=deadline_kind, status=status,
            done_on=done_on, progress_note=progress_note, remark=remark, source_start=source_start,
            source_end=source_end, child_count=len(kids)))
        for i in range(len(kids), 0, -1):
            stack.append((kids[i - 1], depth + 1, i))
    return out


class QuickReader:
    """Read-only queries on one ledger file. Any ``sqlite3.Error`` is the caller's cue to fall back to
    the SQLAlchemy implementation (which reports the problem as a LedgerError).

    Not thread-safe by itself: ``Ledger`` serialises the calls (and the close) with a lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open_if_current(cls, path: Path) -> QuickReader | None:
        """A reader on ``path`` if it is a ledger at CURRENT_VERSION, else None (no file, an empty,
        older, newer or foreign file, or any error: the SQLAlchemy path handles those)."""
        if not path.is_file():
            return None
        try:
            # mode=rw: never create a missing file; check_same_thread=False: the warm-up thread may close it.
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            conn.execute("PRAGMA query_only = ON")
            if read_version(conn) == CURRENT_VERSION:
                return cls(conn, path)
        except (sqlite3.Error, ValueError, TypeError):
            pass
        conn.close()
        return None

    def close(self) -> None:
        self._conn.close()

    def notices(self) -> list[NoticeInfo]:
        return [NoticeInfo(id=r[0], title=r[1], doc_number=r[2], issuer=r[3], date=_date(r[4]), year=r[5],
                           recipients=r[6], source_name=r[7], task_count=int(r[8]))
                for r in self._conn.execute(_NOTICES)]

    def tasks(self, notice_id: int) -> list[TaskRow]:
        conn = self._conn
        conn.execute("BEGIN")  # both queries see the same state, as in the service's one read transaction
        try:
            rows = [(tid, nid, pid, pos, title, text, owner, deadline_text, _date(due),
                     _enum(_KINDS, DeadlineKind, kind), _enum(_STATUSES, Status, status), _date(done),
                     progress_note, remark, source_start, source_end)
                    for (tid, nid, pid, pos, title, text, owner, deadline_text, due, kind, status, done,
                         progress_note, remark, source_start, source_end) in conn.execute(_TASKS, (notice_id,))]
            links = conn.execute(_LINKS, (notice_id,)).fetchall()
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
        return build_tree(rows, links)

    def units(self) -> list[UnitInfo]:
        return [UnitInfo(id=uid, name=name, short_name=short, aliases=list(json.loads(aliases)) if aliases else [],
                         category=_enum(_CATEGORIES, UnitCategory, category), order=order,
                         collective=bool(collective))
                for uid, name, short, aliases, category, order, collective in self._conn.execute(_UNITS)]


def read_version(conn: sqlite3.Connection) -> int | None:
    """The ``schema_meta`` version as ``migrations.read_version`` reads it; None when the file has no
    ``schema_meta`` table (empty or not a ledger). ValueError for a value that is not a number."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_meta'").fetchone() is None:
        return None
    row = conn.execute("SELECT value FROM schema_meta WHERE name = ?", (VERSION_KEY,)).fetchone()
    if row is None:
        raise ValueError("no schema_version")
    return int(row[0])
