"""Settings kept in the ledger (``schema_meta`` key-value rows): remembered column settings and the hand-out key.

``SettingsStore`` is the collaborator behind ``Ledger.remember_columns / remembered_columns /
column_maps / forget_columns`` (the rows' format is ``column_maps.py``, shared with the start-up
reader) and keeps the secret that binds feedback workbooks to their hand-out (``handout_key``, used by
``exchange_store``). Being ``schema_meta`` rows, all of these travel with the ledger: backups,
restore and server transfers carry them.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from desktop.storage import column_maps
from desktop.storage.core import Part, log
from desktop.storage.engine import guarded
from desktop.storage.errors import LedgerError
from desktop.storage.models import SchemaMeta
from desktop.storage.rows import described_map

# The schema_meta row holding the secret that binds feedback workbooks to their hand-out (hex, 32 bytes).
# It travels with the ledger (backups, restore, a server), so any copy of the ledger can check the
# workbooks it handed out; nobody without the ledger can make one up.
HANDOUT_KEY = "handout_key"


class SettingsStore(Part):
    """``schema_meta`` settings (see ``ledger.Ledger`` for the contract of the column settings)."""

    # --- binding feedback workbooks to their hand-out --------------------------------------------
    def handout_key(self, create: bool) -> bytes | None:
        """The hand-out key; ``create``: make it first if there is none (else None when missing or unreadable)."""
        if create:
            with self.core.Session.begin() as s:  # the write lock: two clients cannot make two keys
                row = s.get(SchemaMeta, HANDOUT_KEY)
                if row is None:
                    row = SchemaMeta(name=HANDOUT_KEY, value=secrets.token_hex(32))
                    s.add(row)
                value = row.value
        else:
            with self.core.ReadSession.begin() as s:
                value = s.execute(select(SchemaMeta.value).where(SchemaMeta.name == HANDOUT_KEY)).scalar()
        try:
            return bytes.fromhex(value) if value else None
        except ValueError:
            return None

    # --- remembered column settings (schema_meta rows, see column_maps.py) -----------------------
    @guarded
    def remember_columns(self, labels: list[str], roles: list[str]) -> None:
        key, value = column_maps.key_of(labels), column_maps.value_of(roles)
        if len(key.encode("utf-8")) > column_maps.MAX_KEY_BYTES:
            raise LedgerError("表头行的文字太长，不像表头，无法按它记住列设置。请确认表头所在的行。")
        shown = column_maps.clean_labels(labels)
        with self.core.Session.begin() as s:
            row = s.get(SchemaMeta, key)
            if row is not None and row.value == value:
                return
            old = None if row is None else described_map(key, row.value)
            if row is None:
                s.add(SchemaMeta(name=key, value=value))
            else:
                row.value = value
            log(s, None, None, ("columns:remember", old, column_maps.describe(shown, list(roles))))

    @guarded
    def remembered_columns(self, labels: list[str]) -> list[str] | None:
        key = column_maps.key_of(labels)
        with self.core.ReadSession.begin() as s:
            value = s.execute(select(SchemaMeta.value).where(SchemaMeta.name == key)).scalar()
        found = column_maps.decode([(key, value)]) if value is not None else []
        return found[0][1] if found else None

    @guarded
    def column_maps(self) -> list[tuple[list[str], list[str]]]:
        with self.core.ReadSession.begin() as s:
            rows = s.execute(select(SchemaMeta.name, SchemaMeta.value)
                             .where(SchemaMeta.name.startswith(column_maps.PREFIX, autoescape=True)))
            return column_maps.decode((r[0], r[1]) for r in rows)

    @guarded
    def forget_columns(self, labels: list[str]) -> None:
        key = column_maps.key_of(labels)
        with self.core.Session.begin() as s:
            row = s.get(SchemaMeta, key)
            if row is None:
                return
            old = described_map(key, row.value)
            s.delete(row)
            log(s, None, None, ("columns:forget", old, None))
