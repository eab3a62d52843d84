"""Start-up reads of an up-to-date SQLite ledger on the stdlib ``sqlite3``, so the window shows before SQLAlchemy is imported.

``ledger.Ledger`` opens a ``QuickReader`` when the ledger file exists and is already at
``CURRENT_VERSION``, and serves ``notices()``, ``tasks()`` and ``units()`` (what the main window
reads while it starts) from it until anything else is called; then the SQLAlchemy implementation
(``service.py``) is built and the reader closed. Every other case (no file yet, an older file to
back up and migrate, a newer or foreign file to refuse, PostgreSQL) goes to the SQLAlchemy
implementation at once, which keeps all the checking and error messages in one place.

The queries here are the SQL that the collaborators of ``service.py`` have SQLAlchemy emit, and the
values are converted the way the SQLAlchemy column types do (``models.py``: dates by
``date.fromisoformat``, enums by value, aliases from JSON), so both paths return equal domain objects
(``test_quickread`` checks).
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
from desktop.storage import column_maps
from desktop.tracking.units import nearest_named

CURRENT_VERSION = 5  # the schema version of ledgers this program writes (see migrations.py)
VERSION_KEY = "schema_version"
BUSY_TIMEOUT_S = 5.0  # as engine.BUSY_TIMEOUT_S: wait this long for another writer's lock

_NOTICES = """
SELECT notice.id, notice.title, notice.doc_number, notice.issuer, notice.date, notice.year,
       notice.recipients, notice.source_name, coalesce(counts.n, 0), notice.version
FROM notice LEFT OUTER JOIN (SELECT task.notice_id AS notice_id, count(*) AS n
                             FROM task GROUP BY task.notice_id) AS counts ON counts.notice_id = notice.id
ORDER BY notice.year DESC NULLS LAST, notice.date DESC NULLS LAST, notice.id DESC
"""
_TASK_COLUMNS = """id, notice_id, parent_id, position, title, text, owner, deadline_text, due_date, deadline_kind,
       status, done_on, progress_note, remark, source_start, source_end, original_due_date, revision_reason,
       revised_at, progress_on, version"""
_TASKS = f"SELECT {_TASK_COLUMNS} FROM task WHERE notice_id = ? ORDER BY position, id"
_ALL_TASKS = f"SELECT {_TASK_COLUMNS} FROM task ORDER BY notice_id, position, id"
_LINKS = """
SELECT task_unit.task_id, task_unit.role, unit.name
FROM task_unit JOIN task ON task.id = task_unit.task_id JOIN unit ON unit.id = task_unit.unit_id
WHERE task.notice_id = ?
ORDER BY task_unit.task_id, task_unit.role, task_unit.position
"""
# Candidates of "what is due" (tracking.digest): open, active leaves whose due date could fall on or
# before :due_by (recurring and undated 全年 ones are always candidates; the rules decide in Python).
OPEN_FILTER = """status IN ('未开始', '推进中')
  AND NOT EXISTS (SELECT 1 FROM task AS child WHERE child.parent_id = task.id)
  AND (:due_by IS NULL OR deadline_kind = 'recurring' OR (due_date IS NULL AND deadline_kind = 'year_round')
       OR due_date <= :due_by)"""
_OPEN_TASKS = f"SELECT {_TASK_COLUMNS} FROM task WHERE {OPEN_FILTER} ORDER BY notice_id, position, id"
_LEAF_TASKS = f"""SELECT {_TASK_COLUMNS} FROM task
WHERE NOT EXISTS (SELECT 1 FROM task AS child WHERE child.parent_id = task.id){{notices}}
ORDER BY notice_id, position, id"""
_SKELETON = "SELECT id, parent_id, position FROM task"
_LINKS_OF = """
SELECT task_unit.task_id, task_unit.role, unit.name
FROM task_unit JOIN unit ON unit.id = task_unit.unit_id
WHERE task_unit.task_id IN (SELECT value FROM json_each(?))
ORDER BY task_unit.task_id, task_unit.role, task_unit.position
"""
_ALL_LINKS = """
SELECT task_unit.task_id, task_unit.role, unit.name
FROM task_unit JOIN unit ON unit.id = task_unit.unit_id
ORDER BY task_unit.task_id, task_unit.role, task_unit.position
"""
_UNITS = """
SELECT id, name, short_name, aliases, category, sort_order, collective FROM unit ORDER BY sort_order, id
"""
_COLUMN_MAPS = "SELECT name, value FROM schema_meta WHERE substr(name, 1, ?) = ?"

# Ledger.changed_since: the newest change-log id, and the notices of the entries after a given one.
CHANGES_SINCE = "SELECT DISTINCT notice_id FROM change_log WHERE id > ? AND id <= ?"
LAST_CHANGE = "SELECT coalesce(max(id), 0) FROM change_log"

_KINDS = {m.value: m for m in DeadlineKind}
_STATUSES = {m.value: m for m in Status}
_CATEGORIES = {m.value: m for m in UnitCategory}


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)  # SQLAlchemy's str_to_date


def _datetime(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)  # SQLAlchemy's str_to_datetime


def _enum(members: dict[str, Any], cls: Any, value: str | None) -> Any:
    if value is None:
        return None
    member = members.get(value)
    return member if member is not None else cls(value)  # models.EnumText: ValueError for unknown


def build_tree(rows: Iterable[Sequence[Any]], links: Iterable[Sequence[Any]]) -> list[TaskRow]:
    """A notice's TaskRows in pre-order from its task rows (the 20 columns of ``_TASKS``, typed, in
    (position, id) order) and its unit links ((task_id, role, unit name) in printed order).

    Shared by both paths (``task_tree.TaskTree.tasks`` calls it too), so depth, number, units and
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
         progress_note, remark, source_start, source_end, original_due_date, revision_reason, revised_at,
         progress_on, version) = r
        kids = children.get(tid, no_kids)
        out.append(TaskRow(
            id=tid, notice_id=nid, parent_id=pid, position=pos, depth=depth, number=number_for(depth, index),
            title=title, text=text, lead_units=lead.get(tid, []), units=resp.get(tid, []), owner=owner,
            deadline_text=deadline_text, due_date=due_date, deadline_kind=deadline_kind, status=status,
            done_on=done_on, progress_note=progress_note, remark=remark, source_start=source_start,
            source_end=source_end, child_count=len(kids), original_due_date=original_due_date,
            revision_reason=revision_reason, revised_at=revised_at, progress_on=progress_on, version=version))
        for i in range(len(kids), 0, -1):
            stack.append((kids[i - 1], depth + 1, i))
    return out


def group_trees(rows: Iterable[Sequence[Any]], links: Iterable[Sequence[Any]],
                notice_ids: Sequence[int] | None = None) -> dict[int, list[TaskRow]]:
    """``build_tree`` per notice over task rows of many notices (``notice_ids``: only these; None:
    every notice that has tasks). Rows must be in (notice_id, position, id) order."""
    wanted = None if notice_ids is None else set(notice_ids)
    per_rows: dict[int, list[Any]] = {} if wanted is None else {n: [] for n in notice_ids or ()}
    task_notice: dict[int, int] = {}
    for r in rows:
        if wanted is None or r[1] in wanted:
            per_rows.setdefault(r[1], []).append(r)
            task_notice[r[0]] = r[1]
    per_links: dict[int, list[Any]] = defaultdict(list)
    for link in links:
        nid = task_notice.get(link[0])
        if nid is not None:
            per_links[nid].append(link)
    return {nid: build_tree(rs, per_links.get(nid, ())) for nid, rs in per_rows.items()}


def open_rows(rows: Sequence[Sequence[Any]], skeleton: Iterable[Sequence[Any]],
              links_of: Any) -> dict[int, list[TaskRow]]:
    """TaskRows of the leaves ``rows`` (typed task columns), in table order (the tree's pre-order),
    with depth and number from ``skeleton``
    ((id, parent_id, position) of every task) and the units in force: their own, else those of their
    nearest ancestor with any. ``links_of(ids)`` returns (task_id, role, name) links of those tasks."""
    parent: dict[int, tuple[int | None, int]] = {tid: (pid, pos) for tid, pid, pos in skeleton}
    memo: dict[int, tuple[tuple[Any, ...], tuple[int, ...]]] = {}  # node → (its order key, ancestors nearest first)

    def ancestry(pid: int | None) -> tuple[tuple[Any, ...], tuple[int, ...]]:
        path, p = [], pid
        while p is not None and p not in memo:
            path.append(p)
            p = parent[p][0]
        key, chain = memo[p] if p is not None else ((), ())
        for a in reversed(path):
            key, chain = (*key, (parent[a][1], a)), (a, *chain)
            memo[a] = (key, chain)
        return memo[pid] if pid is not None else ((), ())

    chains, place = {}, {}
    for r in rows:
        key, chains[r[0]] = ancestry(r[2])
        place[r[0]] = (r[1], *key, (r[3], r[0]))  # table order: the tree's pre-order
    rows = sorted(rows, key=lambda r: place[r[0]])
    own = _by_task(links_of([r[0] for r in rows]))
    need = {a for r in rows if r[0] not in own for a in chains[r[0]]}
    inherited = _by_task(links_of(sorted(need))) if need else {}
    out: dict[int, list[TaskRow]] = {}
    named = {**inherited, **own}
    for (tid, nid, pid, pos, title, text, owner, deadline_text, due_date, deadline_kind, status, done_on,
         progress_note, remark, source_start, source_end, original_due_date, revision_reason, revised_at,
         progress_on, version) in rows:
        units = nearest_named((tid, *chains[tid]), named)  # the one inheritance rule (tracking.units)
        depth = len(chains[tid]) + 1
        out.setdefault(nid, []).append(TaskRow(
            id=tid, notice_id=nid, parent_id=pid, position=pos, depth=depth, number=number_for(depth, pos + 1),
            title=title, text=text, lead_units=list(units[0]), units=list(units[1]), owner=owner, deadline_text=deadline_text,
            due_date=due_date, deadline_kind=deadline_kind, status=status, done_on=done_on,
            progress_note=progress_note, remark=remark, source_start=source_start, source_end=source_end,
            original_due_date=original_due_date, revision_reason=revision_reason, revised_at=revised_at,
            progress_on=progress_on, version=version))
    return out


def _by_task(links: Iterable[Sequence[Any]]) -> dict[int, tuple[list[str], list[str]]]:
    """task id → (lead names, responsible names) from (task_id, role, name) links."""
    out: dict[int, tuple[list[str], list[str]]] = {}
    lead = UnitRole.LEAD.value
    for tid, role, name in links:
        pair = out.get(tid)
        if pair is None:
            pair = out[tid] = ([], [])
        pair[0 if role == lead else 1].append(name)
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
                           recipients=r[6], source_name=r[7], task_count=int(r[8]), version=r[9])
                for r in self._conn.execute(_NOTICES)]

    def tasks(self, notice_id: int) -> list[TaskRow]:
        rows, links = self._read_tasks(_TASKS, _LINKS, (notice_id,))
        return build_tree(rows, links)

    def tasks_by_notice(self, notice_ids: Sequence[int] | None = None) -> dict[int, list[TaskRow]]:
        rows, links = self._read_tasks(_ALL_TASKS, _ALL_LINKS, ())
        return group_trees(rows, links, notice_ids)

    def open_tasks(self, due_by: dt.date | None = None) -> dict[int, list[TaskRow]]:
        return self._leaves(_OPEN_TASKS, {"due_by": None if due_by is None else due_by.isoformat()})

    def leaf_tasks(self, notice_ids: Sequence[int] | None = None) -> dict[int, list[TaskRow]]:
        if notice_ids is None:
            return self._leaves(_LEAF_TASKS.format(notices=""), ())
        ids = [int(n) for n in notice_ids]
        found = self._leaves(_LEAF_TASKS.format(notices=f" AND notice_id IN ({', '.join('?' * len(ids))})"), ids) \
            if ids else {}
        return {n: found.get(n, []) for n in ids}

    def _leaves(self, sql: str, params: Any) -> dict[int, list[TaskRow]]:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            rows = self._typed(conn.execute(sql, params))
            skeleton = conn.execute(_SKELETON).fetchall()
            return open_rows(rows, skeleton, lambda ids: conn.execute(_LINKS_OF, (json.dumps(ids),)).fetchall())
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    @staticmethod
    def _typed(cursor: Iterable[Sequence[Any]]) -> list[Any]:
        return [(tid, nid, pid, pos, title, text, owner, deadline_text, _date(due),
                 _enum(_KINDS, DeadlineKind, kind), _enum(_STATUSES, Status, status), _date(done),
                 progress_note, remark, source_start, source_end, _date(orig), reason, _datetime(revised),
                 _date(progress_on), version)
                for (tid, nid, pid, pos, title, text, owner, deadline_text, due, kind, status, done,
                     progress_note, remark, source_start, source_end, orig, reason, revised, progress_on, version)
                in cursor]

    def _read_tasks(self, tasks_sql: str, links_sql: str, params: tuple[Any, ...]) -> tuple[list[Any], list[Any]]:
        conn = self._conn
        conn.execute("BEGIN")  # both queries see the same state, as in the service's one read transaction
        try:
            rows = self._typed(conn.execute(tasks_sql, params))
            links = conn.execute(links_sql, params).fetchall()
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
        return rows, links

    def changed_since(self, token: int | None) -> tuple[int, set[int | None]]:
        conn = self._conn
        newest = int(conn.execute(LAST_CHANGE).fetchone()[0])
        return changes_since(token, newest, lambda lo, hi: [r[0] for r in conn.execute(CHANGES_SINCE, (lo, hi))])

    def units(self) -> list[UnitInfo]:
        return [UnitInfo(id=uid, name=name, short_name=short, aliases=list(json.loads(aliases)) if aliases else [],
                         category=_enum(_CATEGORIES, UnitCategory, category), order=order,
                         collective=bool(collective))
                for uid, name, short, aliases, category, order, collective in self._conn.execute(_UNITS)]

    def column_maps(self) -> list[tuple[list[str], list[str]]]:
        prefix = column_maps.PREFIX
        return column_maps.decode(self._conn.execute(_COLUMN_MAPS, (len(prefix), prefix)).fetchall())

    def remembered_columns(self, labels: list[str]) -> list[str] | None:
        key = column_maps.key_of(labels)
        row = self._conn.execute("SELECT value FROM schema_meta WHERE name = ?", (key,)).fetchone()
        found = column_maps.decode([(key, row[0])]) if row is not None else []
        return found[0][1] if found else None


def changes_since(token: int | None, newest: int, entries_between: Any) -> tuple[int, set[int | None]]:
    """``Ledger.changed_since`` from the newest change-log id and ``entries_between(lo, hi)``, the
    notice ids of the entries with lo < id <= hi (shared by both paths)."""
    if token is None or newest == token:
        return newest, set()
    if newest < token:  # the log got shorter: the whole ledger was replaced (restore)
        return newest, {None}
    return newest, set(entries_between(int(token), newest))


def read_version(conn: sqlite3.Connection) -> int | None:
    """The ``schema_meta`` version as ``migrations.read_version`` reads it; None when the file has no
    ``schema_meta`` table (empty or not a ledger). ValueError for a value that is not a number."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_meta'").fetchone() is None:
        return None
    row = conn.execute("SELECT value FROM schema_meta WHERE name = ?", (VERSION_KEY,)).fetchone()
    if row is None:
        raise ValueError("no schema_version")
    return int(row[0])
