"""The SQLAlchemy implementation behind ``ledger.Ledger``: one shared core and one collaborator per concern.

``ledger.py`` is the documented contract and imports this module only when a ledger is opened, so
the ~0.6 s import of SQLAlchemy is not paid before the main window shows. ``SqlLedger`` opens the
ledger once (``core.Core``: engine, sessions, migrations) and composes the collaborators that share
it; ``Ledger`` forwards each public method to one of them:

    notice_store    notices, the notice's own fields, duplicates, storing an import  (notice_store.py)
    tree            a notice's task tree and its edits                               (task_tree.py, task_snapshots.py)
    tracking        loading across notices, status/deadlines of many tasks, progress (tracking_store.py)
    evidence_store  evidence files                                                   (evidence_store.py)
    exchange        fingerprints, signed hand-outs, units' returns, carry forward    (exchange_store.py)
    settings        schema_meta settings: column settings, the hand-out key          (settings_store.py)
    unit_store      the unit directory                                               (unit_store.py)
    history         the change log as the UI reads it                                (core.py)
    annual          政府信息公开工作年度报告 figures, one row per year               (annual_reports.py)

Every public method of a collaborator runs in exactly one ``with core.Session.begin() as s:`` block
(writes) or ``core.ReadSession`` (reads), writes its change-log rows inside that block (``core.log``),
and returns plain domain objects. What two collaborators share is public in ``core.py`` (statements)
or ``rows.py`` (values, snapshots, ordering); no collaborator imports another's private names.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from desktop.storage.annual_reports import AnnualReports
from desktop.storage.core import Core, History
from desktop.storage.evidence_store import EvidenceStore
from desktop.storage.exchange_store import ExchangeStore
from desktop.storage.notice_store import NoticeStore
from desktop.storage.settings_store import SettingsStore
from desktop.storage.task_tree import TaskTree
from desktop.storage.tracking_store import TrackingStore
from desktop.storage.unit_store import UnitStore


class SqlLedger:
    """One open ledger and its collaborators (see ``desktop.storage.ledger.Ledger`` for the contract).
    Opening raises LedgerError as ``core.Core`` does; ``close()`` disposes of the engine."""

    def __init__(self, data_dir: Path | None = None, db_url: str | None = None) -> None:
        self.core = core = Core(data_dir, db_url)
        self.notice_store = NoticeStore(core)
        self.tree = TaskTree(core)
        self.tracking = TrackingStore(core)
        self.evidence_store = EvidenceStore(core)
        self.settings = SettingsStore(core)
        self.exchange = ExchangeStore(core, self.settings)
        self.unit_store = UnitStore(core)
        self.history = History(core)
        self.annual = AnnualReports(core.Session, core.ReadSession)

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on a database server)."""
        return self.core.path

    @property
    def data_dir(self) -> Path | None:
        return self.core.data_dir

    @property
    def on_server(self) -> bool:
        return self.core.on_server

    @property
    def found_version(self) -> int:
        """The schema version the ledger had when opened (before any migration)."""
        return self.core.found_version

    @property
    def schema_version(self) -> int:
        return self.core.schema_version

    @property
    def _engine(self) -> Engine:
        """``core.engine`` under the name tests/safety/test_bad_environment.py reads."""
        return self.core.engine

    def close(self) -> None:
        self.core.close()
