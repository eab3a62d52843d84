"""How ``ledger.Ledger`` opens its ledger: start-up reads on the stdlib ``sqlite3``, the SQLAlchemy implementation built on first need.

``Opening`` holds what the facade needs before and after SQLAlchemy: a ``quickread.QuickReader`` on an
existing, up-to-date SQLite file (it answers the start-up reads while the main window shows), and the
``service.SqlLedger`` built by the first call that needs it (or ``warm_up()`` in a background thread),
which closes the reader. Every other case (no file yet, an older file to back up and migrate, a newer
or foreign file to refuse, PostgreSQL) builds the implementation at once. Import-light like ledger.py:
``service`` (and SQLAlchemy) is imported inside ``build``.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.storage.errors import LedgerError
from desktop.storage.paths import DB_FILE_NAME, default_data_dir
from desktop.storage.quickread import CURRENT_VERSION, QuickReader

if TYPE_CHECKING:
    from desktop.storage.service import SqlLedger

_log = logging.getLogger(__name__)

# The start-up reads (served by ``QuickReader`` while there is one) → the collaborator of the
# implementation (``service.SqlLedger``) that answers them otherwise.
FULL_READ = {"notices": "notice_store", "tasks": "tree", "tasks_by_notice": "tracking", "open_tasks": "tracking",
             "leaf_tasks": "tracking", "units": "unit_store", "remembered_columns": "settings",
             "column_maps": "settings", "changed_since": "history"}


class Opening:
    """The quick reader and/or the implementation of one ledger (see the module docstring). Thread-safe
    in that respect only: one thread may ``warm_up()`` while another reads or builds."""

    def __init__(self, data_dir: Path | None, db_url: str | None) -> None:
        self.sql: SqlLedger | None = None
        self.quick: QuickReader | None = None
        self._build_lock = threading.Lock()  # one build of the implementation; close() waits for it
        self._quick_lock = threading.Lock()  # the reader's connection: one query at a time, then closed
        self._closed = False
        if db_url is None:
            data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
            self.quick = QuickReader.open_if_current(data_dir / DB_FILE_NAME)
        self._data_dir, self._db_url = data_dir, db_url
        if self.quick is None:  # new, older, newer or foreign file, or PostgreSQL: checked and opened now
            self.build()

    def build(self) -> SqlLedger:
        """The SQLAlchemy implementation, built on first need (SQLAlchemy is imported here)."""
        sql = self.sql
        if sql is not None:
            return sql
        with self._build_lock:
            if self.sql is None:
                from desktop.storage.service import SqlLedger

                sql = SqlLedger(self._data_dir, self._db_url)  # a LedgerError leaves the reader in place
                with self._quick_lock:  # waits for a quick read under way in another thread
                    self.sql = sql
                    quick, self.quick = self.quick, None
                    if quick is not None:
                        quick.close()
            return self.sql

    def read(self, name: str, *args: Any) -> Any:
        """A start-up read: from the quick reader while there is one, else from the implementation."""
        if self.quick is not None:
            with self._quick_lock:
                quick = self.quick
                if quick is not None:
                    try:
                        return getattr(quick, name)(*args)
                    except sqlite3.Error:
                        # Locked, damaged, changed under us …: the implementation answers, or raises
                        # the LedgerError it raises for that problem.
                        _log.info("quick read %s failed; using the full implementation", name, exc_info=True)
        return getattr(getattr(self.build(), FULL_READ[name]), name)(*args)

    def warm_up(self) -> None:
        """Build the implementation now if it is not built yet; a LedgerError is logged, not raised."""
        with self._build_lock:
            if self._closed or self.sql is not None:
                return
        try:
            self.build()
        except LedgerError:
            _log.warning("opening the ledger in the background failed", exc_info=True)

    @property
    def path(self) -> Path | None:
        if self.sql is not None:
            return self.sql.path
        return None if self._data_dir is None else self._data_dir / DB_FILE_NAME

    @property
    def data_dir(self) -> Path | None:
        if self.sql is not None:
            return self.sql.data_dir
        return self._data_dir

    @property
    def on_server(self) -> bool:
        return self._db_url is not None

    @property
    def schema_version(self) -> int:
        if self.sql is not None:
            return self.sql.schema_version
        return CURRENT_VERSION  # the quick reader is only used on files at this version

    def close(self) -> None:
        with self._build_lock:  # a warm-up under way finishes first, so its engine is disposed too
            self._closed = True
            with self._quick_lock:
                quick, self.quick = self.quick, None
                if quick is not None:
                    quick.close()
            if self.sql is not None:
                self.sql.close()
