"""The service API over the ledger: everything the UI and the command line may do to stored data.

Every public method is one user action and one transaction. Methods take and return plain domain
objects (``desktop.domain``); nothing outside ``desktop.storage`` sees a session or SQL.
Methods that change data return what an undo command needs to reverse them:

    action                              undo
    add_task(…) -> id                   delete_task(id)          (redo: add_task(…, new_id=id))
    delete_task(id) -> snapshot         restore_tasks(snapshot)
    set_fields(id, **new) -> old        set_fields(id, **old)
    set_units(id, role, names) -> old   set_units(id, role, old)
    move_task / indent / outdent        move_task(id, *returned_place)
    split_task(id, at) -> new_id        unsplit(id, new_id, old_text) (redo: split_task(id, at, new_id))
    merge_with_next(id) -> snapshot     unmerge(id, snapshot)
    update_notice / update_unit -> old  the same call with the old values
    set_status_many(ids, …) -> old      set_fields_many(old)
    revise_deadline(id, …) -> old       set_fields(id, **old)
    shift_deadlines(ids, …) -> old      set_fields_many(old)
    set_units_many(ids, role, …) -> old set_units_each(role, old)
    add_progress(…) -> entry_id         delete_progress(entry_id)  (redo: restore_progress(snapshot))
    delete_progress(id) -> snapshot     restore_progress(snapshot)
    update_progress(id, **new) -> old   update_progress(id, **old)
    attach_evidence(…) -> evidence_id   remove_evidence(evidence_id) (redo: restore_evidence(snapshot))
    remove_evidence(id) -> snapshot     restore_evidence(snapshot)
    rename_evidence(id, name) -> old    rename_evidence(id, old)
    apply_returns(…) -> old             set_fields_many(old) (the progress entries stay: delete them)
    carry_forward(id, year) -> new_id   delete_notice(new_id)

Every change writes change-log rows (``changes()``) in the same transaction. ``ChangeEntry.what`` is
a task field name (domain.TASK_FIELDS, one row per changed field, old → new) or one of: add, delete,
restore, move, indent, outdent, split, unsplit, merge, unmerge, units:lead, units:responsible,
create_notice, delete_notice, notice.<field>, unit:add, unit.<field>, progress:add, progress:delete,
progress:restore, progress.<field>, evidence:add, evidence:remove, evidence:restore, evidence:rename,
returns (a unit's feedback workbook merged: new = "unit（file）"), columns:remember, columns:forget (a
remembered column setting, "labels → roles"; no notice);
a revised deadline logs due_date, original_due_date, revision_reason and revised_at as fields. Problems of the file
or disk raise ``LedgerError`` (Chinese message, show it); ``NotFoundError`` (a LedgerError) when a row
was deleted elsewhere. Wrong field names raise TypeError, impossible tree moves ValueError: bugs.

Several clients on one database server (``db_url``): every task and notice row has a ``version``
(``TaskRow.version``, ``NoticeInfo.version``), +1 on every change of its content. ``set_fields``,
``set_units``, ``set_fields_many`` and ``update_notice`` take the version the caller last saw
(``expected_version``); when another client saved the row since, they raise ``ConflictError`` (a
LedgerError: field → (yours, theirs), the fields the other side changed, ``can_merge``) and write
nothing. ``changed_since(token)`` tells a window cheaply which notices other clients (or windows)
changed, for a refresh on a timer. A server's schema is created and upgraded only by
``python -m desktop migrate`` (``migrations.migrate``); opening an older one raises LedgerError.

This module is import-light on purpose: the SQLAlchemy implementation (``service.SqlLedger``: a shared
core and one collaborator per concern, which each method below forwards to; ~0.6 s to import) is
loaded when it is first needed, not when the UI imports these names. Opening an existing,
up-to-date SQLite file does not need it: ``notices()``, ``tasks()`` and ``units()`` (all the main
window reads while it starts) are then answered by ``quickread`` on the stdlib ``sqlite3`` until any
other method is called or ``warm_up()`` runs (``opening.py``); from then on everything goes through
``service.py``.

Size: over 400 lines because it is the whole contract of stored data in one class — some 70 public methods,
each with the docstring callers read, each body forwarding to a collaborator or the start-up reader (``digest``,
``stats`` and the first annual-report call combine a few such calls); the machinery lives elsewhere, and
splitting the class would split the one contract the UI and the command line code against.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.domain import (
    ChangeEntry,
    EvidenceInfo,
    NoticeInfo,
    ProgressEntry,
    Status,
    TaskRow,
    UnitInfo,
    UnitRole,
)
from desktop.storage import column_maps
from desktop.storage.errors import ConflictError, LedgerError, NotFoundError
from desktop.storage.opening import Opening
from desktop.storage.rows import TaskSnapshot

if TYPE_CHECKING:
    from desktop.annual.model import AnnualReport
    from desktop.storage.annual_reports import AnnualImport, AnnualReports, StoredAnnualReport
    from desktop.storage.quickread import QuickReader
    from desktop.storage.service import SqlLedger
    from desktop.tracking.digest import Digest
    from desktop.tracking.stats import UnitStats

__all__ = ["ConflictError", "Ledger", "LedgerError", "NotFoundError", "TaskSnapshot"]

class Ledger:
    """Open a ledger: a SQLite file in ``data_dir`` (``noticedesk.sqlite``) or ``db_url``.

    ``data_dir=None`` means ``paths.default_data_dir()``; the folder is created if missing. An older
    file is backed up to ``backups/`` and migrated; a file from a newer NoticeDesk, a corrupt file or
    a locked one raises LedgerError and is left as it was.

    An existing SQLite file already at the current schema version is opened without SQLAlchemy (see
    the module docstring): the SQLAlchemy implementation is built by the first call that is not one
    of the start-up reads, or by ``warm_up()``. Thread-safe in that respect only: one thread may
    call ``warm_up()`` while another uses the ledger.
    """

    def __init__(self, data_dir: Path | None = None, db_url: str | None = None) -> None:
        self._open = Opening(data_dir, db_url)

    @property
    def _sql(self) -> SqlLedger | None:
        """The SQLAlchemy implementation if it is built (else None: the start-up reader answers)."""
        return self._open.sql

    @property
    def _quick(self) -> QuickReader | None:
        return self._open.quick

    @property
    def _impl(self) -> SqlLedger:
        return self._open.build()

    def _read(self, name: str, *args: Any) -> Any:
        return self._open.read(name, *args)

    def warm_up(self) -> None:
        """Build the SQLAlchemy implementation now if it is not built yet (for a background thread
        after the window shows, so the first edit does not wait for the import). A LedgerError is
        logged, not raised: the next call that needs the implementation raises it."""
        self._open.warm_up()

    @property
    def path(self) -> Path | None:
        """The SQLite file (None when opened by ``db_url``)."""
        return self._open.path

    @property
    def data_dir(self) -> Path | None:
        return self._open.data_dir

    @property
    def on_server(self) -> bool:
        """True when the ledger is on a database server (``db_url``), not a SQLite file."""
        return self._open.on_server

    @property
    def schema_version(self) -> int:
        return self._open.schema_version

    def close(self) -> None:
        self._open.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- notices -------------------------------------------------------------------------
    def notices(self) -> list[NoticeInfo]:
        """All notices, newest year first (then newest date, then newest id), with task_count
        (every node of the tree, section headings included)."""
        return self._read("notices")

    def notice(self, notice_id: int) -> NoticeInfo:
        return self._impl.notice_store.notice(notice_id)

    def notice_source(self, notice_id: int) -> tuple[str | None, bytes | None, str | None]:
        """(original file name, its bytes, source_text) of a notice."""
        return self._impl.notice_store.notice_source(notice_id)

    def create_notice(self, title: str, *, doc_number: str | None = None, issuer: str | None = None,
                      date: dt.date | None = None, year: int | None = None, recipients: str | None = None,
                      source_name: str | None = None, source_text: str | None = None,
                      source_bytes: bytes | None = None) -> int:
        """Store a notice without tasks; ``year`` defaults to ``date.year``."""
        return self._impl.notice_store.create_notice(title, doc_number=doc_number, issuer=issuer, date=date, year=year,
                                        recipients=recipients, source_name=source_name,
                                        source_text=source_text, source_bytes=source_bytes)

    def create_notice_with_tasks(self, meta: dict[str, Any], tasks: list[dict[str, Any]]) -> int:
        """Store a notice and its tasks in ONE transaction (what importing calls); returns its id.

        ``meta``: the keyword arguments of create_notice, ``title`` required. Each task dict holds
        task fields (domain.TASK_FIELDS, source_start/source_end, lead_units/units as lists of names)
        plus optionally ``section``: the heading path, "一、… > （一）…" or a list of heading texts, and
        ``children``: a list of task dicts (items under the task). One section node is created per
        distinct heading path (title = heading without its 序号), in first-seen order, and the task
        goes under the deepest one; tasks without a section go to the top level.
        """
        return self._impl.notice_store.create_notice_with_tasks(meta, tasks)

    def find_duplicate(self, *, doc_number: str | None, title: str | None, year: int | None,
                       source_bytes: bytes | None) -> int | None:
        """The id of a stored notice that a notice about to be imported repeats, else None (the oldest
        when several do). A repeat has the same 文号, or the same title and 年度 (only with a year given),
        or the same file content (SHA-256 of ``source_bytes`` against each stored notice's original file
        of the same size). 文号 and titles are compared without whitespace, with full-width forms folded
        and the year's brackets (〔〕 [] 【】 （）) alike; None or empty values take no part. The command
        line and the import window both ask this before storing (``import --as-new`` skips it)."""
        return self._impl.notice_store.find_duplicate(doc_number=doc_number, title=title, year=year, source_bytes=source_bytes)

    def update_notice(self, notice_id: int, expected_version: int | None = None, **fields: Any) -> dict[str, Any]:
        """Set notice fields; returns the old values (for undo). ``expected_version``: the
        ``NoticeInfo.version`` the caller saw; ConflictError (nothing written) if it is stale."""
        return self._impl.notice_store.update_notice(notice_id, expected_version, **fields)

    def delete_notice(self, notice_id: int) -> None:
        """Delete a notice with all its tasks (not undoable; ask the clerk first)."""
        self._impl.notice_store.delete_notice(notice_id)

    # --- tasks ---------------------------------------------------------------------------
    def tasks(self, notice_id: int) -> list[TaskRow]:
        """The notice's tree in pre-order (parents before children, siblings by position), with
        depth, derived number, units and child_count filled in."""
        return self._read("tasks", notice_id)

    def task(self, task_id: int) -> TaskRow:
        return self._impl.tree.task(task_id)

    def add_task(self, notice_id: int, parent_id: int | None = None, index: int | None = None, *,
                 new_id: int | None = None, **fields: Any) -> int:
        """Insert a task as child ``index`` of ``parent_id`` (None = top level; index None = last).
        ``fields`` may include any of domain.TASK_FIELDS plus lead_units / units (lists of names).
        ``new_id`` forces the id (redo of an undone add)."""
        return self._impl.tree.add_task(notice_id, parent_id, index, new_id=new_id, **fields)

    def delete_task(self, task_id: int) -> TaskSnapshot:
        """Delete a task and its subtree; returns the snapshot that restore_tasks puts back."""
        return self._impl.tree.delete_task(task_id)

    def restore_tasks(self, snapshot: TaskSnapshot) -> None:
        """Undo of delete_task: re-insert the rows with their ids, parents and positions."""
        self._impl.tree.restore_tasks(snapshot)

    def set_fields(self, task_id: int, expected_version: int | None = None, **fields: Any) -> dict[str, Any]:
        """Set task fields (domain.TASK_FIELDS, source_start, source_end, and the revision fields
        original_due_date / revision_reason / revised_at that undo of a revision sets); returns the
        old values of all the fields given. Logged in the change log (one row per field that changed).

        The 完成日期 rule (``tracking.status.settle``) applies whenever status or done_on is given:
        已完成 keeps the done date given, else the stored one, else today; any other status clears
        it (a done date given for a task that is not done is dropped). When the rule changes done_on,
        the returned old values include it, so ``set_fields(id, **old)`` still undoes the edit.
        ``progress_note`` written here shows until the progress log next changes (prefer add_progress).

        ``expected_version``: the ``TaskRow.version`` the caller last saw. When given and another client
        (or window) changed the row since, ConflictError is raised and nothing is written; its
        ``can_merge`` says whether the two edits touched different fields, and then
        ``set_fields(task_id, expected_version=err.current_version, **err.yours)`` merges them. None:
        no check (undo of one's own edit, the command line)."""
        return self._impl.tree.set_fields(task_id, expected_version, **fields)

    def set_units(self, task_id: int, role: UnitRole, names: list[str],
                  expected_version: int | None = None) -> list[str]:
        """Replace the task's units of a role by ``names`` (new names enter the unit directory);
        returns the old names. ``expected_version`` as in set_fields."""
        return self._impl.tree.set_units(task_id, role, names, expected_version)

    def move_task(self, task_id: int, parent_id: int | None, index: int) -> tuple[int | None, int]:
        """Move a task (with its subtree) to child ``index`` of ``parent_id``; returns the old
        (parent_id, index) so the move can be undone by calling move_task again.
        ``index`` is the task's index after the move (clamped to the list)."""
        return self._impl.tree.move_task(task_id, parent_id, index)

    def indent(self, task_id: int) -> tuple[int | None, int]:
        """Make the task the last child of its previous sibling; returns the old place.
        ValueError for a first child (the UI disables the action there)."""
        return self._impl.tree.indent(task_id)

    def outdent(self, task_id: int) -> tuple[int | None, int]:
        """Make the task the next sibling of its parent; returns the old place.
        ValueError for a top-level task."""
        return self._impl.tree.outdent(task_id)

    def split_task(self, task_id: int, at: int, new_id: int | None = None) -> int:
        """Cut ``text`` at character ``at``: the rest becomes a new next sibling (same units,
        deadline); returns its id (``new_id`` forces the id on redo)."""
        return self._impl.tree.split_task(task_id, at, new_id)

    def unsplit(self, task_id: int, new_id: int, text: str | None = None) -> None:
        """Undo of split_task: remove the split-off sibling ``new_id`` and give ``task_id`` its
        original ``text`` back (None: join the two texts)."""
        self._impl.tree.unsplit(task_id, new_id, text)

    def merge_with_next(self, task_id: int) -> TaskSnapshot:
        """Append the next sibling's text to this task, move its children under this task and
        delete it; returns a snapshot from which ``unmerge`` restores both."""
        return self._impl.tree.merge_with_next(task_id)

    def unmerge(self, task_id: int, snapshot: TaskSnapshot) -> None:
        self._impl.tree.unmerge(task_id, snapshot)

    # --- completion tracking -------------------------------------------------------------
    # Rules (plain Python, no storage) live in desktop.tracking: status (完成日期 rule, derived
    # progress of parents), deadlines (due date in force per kind), digest (what is due), stats.
    def tasks_by_notice(self, notice_ids: list[int] | None = None) -> dict[int, list[TaskRow]]:
        """notice id → its tree as ``tasks()`` gives it, for several notices (None: every notice with
        tasks) in two queries. Served by the start-up reader like ``tasks()``."""
        return self._read("tasks_by_notice", notice_ids)

    def open_tasks(self, due_by: dt.date | None = None) -> dict[int, list[TaskRow]]:
        """notice id → the table rows (leaves) that are 未开始 or 推进中 and could be due on or before
        ``due_by`` (None: all of them), in table order: what the digest needs, without loading whole
        trees. Each row has its depth and number; ``lead_units`` / ``units`` are the units in force
        (its own, else its nearest ancestor's); ``parent_id`` is set but the parents are not in the
        result. Served by the start-up reader like ``tasks()``."""
        return self._read("open_tasks", due_by)

    def leaf_tasks(self, notice_ids: list[int] | None = None) -> dict[int, list[TaskRow]]:
        """notice id → its table rows (leaves, any status) as ``open_tasks`` gives them (units in
        force filled in): what statistics count. None: every notice with tasks."""
        return self._read("leaf_tasks", notice_ids)

    def digest(self, today: dt.date | None = None, days: int = 7) -> Digest:
        """What is due across all notices (``tracking.digest.digest``): overdue items and items due
        within ``days`` days, ``by_unit()`` for the grouped view, ``count()`` for the status bar.
        Uses only start-up reads (``open_tasks``), so showing it on start needs no SQLAlchemy."""
        from desktop.tracking.digest import digest

        today = today or dt.date.today()
        years = {n.id: n.year for n in self.notices()}
        return digest(self.open_tasks(today + dt.timedelta(days=days)), today, days, years)

    def stats(self, today: dt.date | None = None, *, notice_id: int | None = None, year: int | None = None,
              expand_collective: bool = False) -> list[UnitStats]:
        """Per-unit counts (``tracking.stats.unit_stats``) for one notice, or for every notice of a
        年度 (``year``), or for all notices. ``expand_collective``: count 各乡镇人民政府 / 县级各部门 …
        as each member unit of the directory (rule in ``tracking.units``)."""
        from desktop.tracking.stats import unit_stats
        from desktop.tracking.units import collective_members

        notices = self.notices()
        years = {n.id: n.year for n in notices}
        if notice_id is not None:
            if notice_id not in years:
                raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")
            ids: list[int] | None = [notice_id]
        else:
            ids = None if year is None else [n.id for n in notices if n.year == year]
        members = collective_members(self.units()) if expand_collective else None
        return unit_stats(self.leaf_tasks(ids), today or dt.date.today(), years, members)

    def set_status_many(self, task_ids: list[int], status: Status | str,
                        done_on: dt.date | None = None) -> dict[int, dict[str, Any]]:
        """Set one status on many tasks in one transaction (the 完成日期 rule of set_fields applies;
        ``done_on`` None with 已完成 keeps each task's date or uses today). Returns
        {task_id: old values} for ``set_fields_many``."""
        return self._impl.tracking.set_status_many(task_ids, status, done_on)

    def set_fields_many(self, changes: dict[int, dict[str, Any]],
                        expected_versions: dict[int, int] | None = None) -> dict[int, dict[str, Any]]:
        """``set_fields`` on many tasks in one transaction ({task_id: fields}); returns {task_id: old}.
        ``expected_versions`` {task_id: version}: a stale one raises ConflictError, nothing written."""
        return self._impl.tree.set_fields_many(changes, expected_versions)

    def set_units_many(self, task_ids: list[int], role: UnitRole, names: list[str]) -> dict[int, list[str]]:
        """Give many tasks the same units of one role in one transaction; returns {task_id: old names}
        for ``set_units_each``."""
        return self._impl.tracking.set_units_many(task_ids, role, names)

    def set_units_each(self, role: UnitRole, names_by_task: dict[int, list[str]]) -> dict[int, list[str]]:
        """Set each task's units of one role ({task_id: names}) in one transaction; returns the old."""
        return self._impl.tracking.set_units_each(role, names_by_task)

    def revise_deadline(self, task_id: int, due_date: dt.date | None, reason: str) -> dict[str, Any]:
        """Give a task a revised due date with a reason (调整时限). The printed deadline_text stays; the
        first revision keeps the due date it replaces in ``original_due_date``; ``revised_at`` is now.
        A revised due date is in force whatever the deadline kind (``tracking.deadlines``). Returns
        the old due_date / original_due_date / revision_reason / revised_at: ``set_fields(id, **old)``
        undoes it."""
        return self._impl.tracking.revise_deadline(task_id, due_date, reason)

    def shift_deadlines(self, task_ids: list[int], days: int, reason: str) -> dict[int, dict[str, Any]]:
        """Revise the due dates of many tasks by ``days`` (negative: earlier) in one transaction, as
        revise_deadline does; tasks without a stored due date are skipped. Returns {task_id: old}
        of the tasks changed, for ``set_fields_many``."""
        return self._impl.tracking.shift_deadlines(task_ids, days, reason)

    def progress_log(self, task_id: int) -> list[ProgressEntry]:
        """The task's 落实情况 log, oldest first (by date, then entry order)."""
        return self._impl.tracking.progress_log(task_id)

    def add_progress(self, task_id: int, date: dt.date | None, text: str, who: str = "") -> int:
        """Add a log entry (``date`` None: today); returns its id. The task's progress_note and
        progress_on then repeat the latest entry (by date, then id), as after every log change."""
        return self._impl.tracking.add_progress(task_id, date, text, who)

    def update_progress(self, entry_id: int, **fields: Any) -> dict[str, Any]:
        """Edit an entry's ``date``, ``text`` or ``who``; returns the old values."""
        return self._impl.tracking.update_progress(entry_id, **fields)

    def delete_progress(self, entry_id: int) -> dict[str, Any]:
        """Delete an entry; returns the snapshot ``restore_progress`` puts back (same id)."""
        return self._impl.tracking.delete_progress(entry_id)

    def restore_progress(self, snapshot: dict[str, Any]) -> None:
        self._impl.tracking.restore_progress(snapshot)

    def attach_evidence(self, task_id: int, path: Path, name: str | None = None) -> int:
        """Store a file as evidence of a task (never required to mark it done); returns the evidence
        id. A SQLite ledger copies it into the data folder, a ledger on a database server stores its
        bytes in the database (``evidence_blob``: every client sees it); once per content either way
        (``storage.evidence_files``). ``name`` (default the file's name) is sanitised for display.
        LedgerError if the file cannot be read or copied (or, on a server, is over 200 MB)."""
        return self._impl.evidence_store.attach_evidence(task_id, path, name)

    def evidence(self, task_id: int) -> list[EvidenceInfo]:
        """The task's evidence files in the order attached."""
        return self._impl.evidence_store.evidence(task_id)

    def evidence_counts(self, notice_id: int) -> dict[int, int]:
        """task id → number of evidence files, for the tasks of a notice that have any (a table column)."""
        return self._impl.evidence_store.evidence_counts(notice_id)

    def evidence_path(self, evidence_id: int) -> Path:
        """The stored file, to open with the system viewer (``QDesktopServices.openUrl``) or copy out
        under ``EvidenceInfo.name``. Do not write to it: equal files share it. On a database server
        the bytes are first copied into a local cache folder (``<data>/evidence-cache``, else the
        temporary folder). LedgerError if missing."""
        return self._impl.evidence_store.evidence_path(evidence_id)

    def rename_evidence(self, evidence_id: int, name: str) -> str:
        """Change the display name (sanitised); returns the old one. The stored file is untouched."""
        return self._impl.evidence_store.rename_evidence(evidence_id, name)

    def remove_evidence(self, evidence_id: int) -> dict[str, Any]:
        """Detach an evidence file; returns the snapshot ``restore_evidence`` puts back. The file
        stays in the data folder (an undo may need it) until ``purge_unreferenced_evidence``."""
        return self._impl.evidence_store.remove_evidence(evidence_id)

    def restore_evidence(self, snapshot: dict[str, Any]) -> None:
        self._impl.evidence_store.restore_evidence(snapshot)

    def purge_unreferenced_evidence(self, min_age_s: float = 3600) -> int:
        """Maintenance: delete stored files no evidence row refers to (older than ``min_age_s``);
        returns how many. Breaks the redo of removals still on an undo stack: run it when no window
        holds one (at start, or after clearing the undo stacks)."""
        return self._impl.evidence_store.purge_unreferenced_evidence(min_age_s)

    # --- exchange with units (desktop.spreadsheets) ----------------------------------------------
    def notice_fingerprint(self, notice_id: int) -> str:
        """``id|created|title-hash`` of a notice: what a feedback workbook carries to name its notice. Two
        fingerprints name the same notice when their first two parts agree (the title may have changed)."""
        return self._impl.exchange.notice_fingerprint(notice_id)

    def sign_handout(self, message: str) -> str:
        """HMAC-SHA256 (hex) of ``message`` under this ledger's hand-out key (a secret in ``schema_meta``,
        made on first use): what binds a feedback workbook to the unit and tasks it was handed out for."""
        return self._impl.exchange.sign_handout(message)

    def verify_handout(self, message: str, signature: str) -> bool:
        """Whether ``signature`` is ``sign_handout(message)`` of this ledger (constant-time compare)."""
        return self._impl.exchange.verify_handout(message, signature)

    def apply_returns(self, notice_id: int, who: str, fields_by_task: dict[int, dict[str, Any]],
                      reports: dict[int, str], date: dt.date | None = None,
                      source: str = "", expected_versions: dict[int, int] | None = None
                      ) -> dict[int, dict[str, Any]]:
        """Merge what a unit reported, in ONE transaction: ``fields_by_task`` {task_id: fields} as
        set_fields takes them (status, done_on …), ``reports`` {task_id: text} each added to the progress
        log dated ``date`` (None: today) with ``who`` = the unit, and one change-log row ``returns`` per
        task ("unit（source）"). Every task must belong to ``notice_id`` (NotFoundError, nothing written);
        ``expected_versions`` {task_id: version seen when the merge was planned}: a task changed since
        raises LedgerError and nothing is written. Returns {task_id: old field values}
        (``set_fields_many`` undoes the fields)."""
        return self._impl.exchange.apply_returns(notice_id, who, fields_by_task, reports, date, source,
                                        expected_versions)

    def carry_forward(self, notice_id: int, year: int, title: str | None = None) -> int:
        """Start year ``year``'s notice from this one (结转), in one transaction; returns the new id. The
        tree, texts, units, owners and remarks are copied; deadlines and due dates move to the new year
        (``tracking.carry``); status, done dates, 落实情况, revisions and evidence start afresh. ``title``
        None: the old title with its year moved (or "（YYYY年）" added)."""
        return self._impl.exchange.carry_forward(notice_id, year, title)

    # --- units ---------------------------------------------------------------------------
    def units(self) -> list[UnitInfo]:
        """The unit directory in its order."""
        return self._read("units")

    def add_unit(self, name: str, **fields: Any) -> int:
        """Fields: short_name, aliases, category, order, collective. LedgerError if the name exists."""
        return self._impl.unit_store.add_unit(name, **fields)

    def update_unit(self, unit_id: int, **fields: Any) -> dict[str, Any]:
        """Set unit fields (name and those of add_unit); returns the old values."""
        return self._impl.unit_store.update_unit(unit_id, **fields)

    def resolve_unit(self, name: str) -> UnitInfo | None:
        """Find a unit by full name, short name or alias."""
        return self._impl.unit_store.resolve_unit(name)

    # --- remembered column settings --------------------------------------------------------------
    # How the clerk read a table (``parse --columns … --remember``, the import window's grid view), kept
    # under the table's header labels for the next table that has them. Labels are the header row's
    # cells; whitespace in them is ignored. Roles are the role names of
    # ``desktop.importing.parse.columns.ROLES`` (seq, group, title, content, …), one per column.
    # Kept in ``schema_meta`` (``storage.column_maps``), so backups and server transfers carry them.
    def remember_columns(self, labels: list[str], roles: list[str]) -> None:
        """Store (or replace) the roles for tables whose header has these labels; logged as
        ``columns:remember``. ValueError for labels without any text or roles that are not role names (a
        bug); LedgerError for a header row too long to be a header."""
        self._impl.settings.remember_columns(list(labels), list(roles))

    def remembered_columns(self, labels: list[str]) -> list[str] | None:
        """The roles remembered for these header labels, or None. Served by the start-up reader."""
        if not any(column_maps.clean_labels(labels)):
            return None
        return self._read("remembered_columns", list(labels))

    def column_maps(self) -> list[tuple[list[str], list[str]]]:
        """Every remembered setting as (labels as stored, roles), ordered by labels. Served by the
        start-up reader (so ``parse`` looks them up without loading SQLAlchemy)."""
        return self._read("column_maps")

    def forget_columns(self, labels: list[str]) -> None:
        """Drop the setting of these labels (nothing happens if there is none); logged as
        ``columns:forget``."""
        if any(column_maps.clean_labels(labels)):
            self._impl.settings.forget_columns(list(labels))

    # --- history -------------------------------------------------------------------------
    def changed_since(self, token: int | None) -> tuple[int, set[int | None]]:
        """(new token, ids of the notices changed since ``token``), for a refresh on a timer (~10 s
        while idle): one indexed query of the change log when nothing changed. ``token`` None: start
        watching (returns the current token and no ids). ``None`` among the ids: something not tied
        to one notice changed (the unit directory), or the ledger was replaced (restore): reload
        everything. A notice in the ids may have been deleted. Changes made through this Ledger are
        reported too. Served by the start-up reader on an up-to-date SQLite file."""
        return self._read("changed_since", token)

    def changes(self, notice_id: int | None = None, limit: int = 200) -> list[ChangeEntry]:
        """The change log, newest first."""
        return self._impl.history.changes(notice_id, limit)

    # --- annual reports (政府信息公开工作年度报告) ---------------------------------------------------
    # One row per year in the ledger (``storage/annual_reports.py``), so backups, restores and a server
    # ledger carry them. The ``annual-reports/YEAR.json`` files an earlier NoticeDesk kept beside a SQLite
    # ledger are taken in when it is upgraded, and again (any left since) on the first call here.
    def _annual(self) -> AnnualReports:
        reports = self._impl.annual
        if not self.__dict__.get("_annual_files_checked"):
            self._annual_files_checked = True
            if not self.on_server and self.data_dir is not None:
                reports.import_files(self.data_dir)
        return reports

    def annual_years(self) -> list[int]:
        """The years that have a stored annual report, oldest first."""
        return self._annual().years()

    def annual_report(self, year: int) -> StoredAnnualReport | None:
        """The stored report of ``year`` (``.report``, ``.version``, ``.updated_at``), or None.
        ``desktop.annual.model.ReportFormatError`` if the stored data cannot be read."""
        return self._annual().load(year)

    def save_annual_report(self, report: AnnualReport, expected_version: int | None = None) -> int:
        """Store ``report`` as the report of ``report.year``; returns its new version. ``expected_version``:
        the version last read (0: the year was not stored); when another client saved the year since,
        ConflictError (``kind == "annual_report"``, nothing written). None: no check (last writer wins)."""
        return self._annual().save(report, expected_version)

    def import_annual_files(self) -> AnnualImport:
        """Take the ``annual-reports/YEAR.json`` files beside a SQLite ledger in now (imported ones are moved
        to ``annual-reports/已导入``; ``.left``: files left in place, with why). Nothing on a server."""
        reports = self._annual()
        if self.on_server or self.data_dir is None:
            from desktop.storage.annual_reports import AnnualImport

            return AnnualImport()
        return reports.import_files(self.data_dir)
