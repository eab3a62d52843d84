"""The clerk's remembered column settings: how the rows of ``schema_meta`` hold them (no SQL here).

A table's header labels (its header row's cells, whitespace removed) name a mapping to one column role
per column (``desktop.importing.parse.columns.ROLES``). Each mapping is one ``schema_meta`` row: name
``column_map:`` + the labels as JSON, value the roles as JSON. Shared by ``settings_store.py`` (writes and
reads) and ``quickread.py`` (reads without SQLAlchemy), so both read the rows the same way; backups
and transfers carry the rows with the rest of ``schema_meta``.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence

PREFIX = "column_map:"
MAX_KEY_BYTES = 2000  # a primary-key value; PostgreSQL's index refuses entries above ~2.7 KB

_log = logging.getLogger(__name__)
_SPACE = re.compile(r"\s+")


def clean_labels(labels: Sequence[str]) -> list[str]:
    """The labels as they are stored and looked up: each cell without whitespace (None as "")."""
    return [_SPACE.sub("", label or "") for label in labels]


def key_of(labels: Sequence[str]) -> str:
    """The ``schema_meta`` name of a mapping: ValueError for labels that name nothing (no cell with text)."""
    cleaned = clean_labels(labels)
    if not any(cleaned):
        raise ValueError("column labels must hold at least one non-blank label")
    return PREFIX + json.dumps(cleaned, ensure_ascii=False, separators=(",", ":"))


def value_of(roles: Sequence[str]) -> str:
    """The stored value of a mapping; ValueError for an empty list or a role that is not a plain word."""
    if not roles or not all(isinstance(r, str) and r and r.isascii() and r.isalpha() for r in roles):
        raise ValueError(f"column roles must be a non-empty list of role names, got {roles!r}")
    return json.dumps(list(roles))


def decode(rows: Iterable[tuple[str, str]]) -> list[tuple[list[str], list[str]]]:
    """(labels, roles) of the ``column_map:`` rows among ``(name, value)`` rows, by name (code points, so
    the order is the same on every engine); rows that do not decode (edited by hand) are skipped."""
    out = []
    for name, value in sorted(rows):
        if not name.startswith(PREFIX):
            continue
        try:
            labels, roles = json.loads(name[len(PREFIX):]), json.loads(value)
        except (TypeError, ValueError):
            _log.warning("ignoring an unreadable column setting %r", name)
            continue
        if isinstance(labels, list) and isinstance(roles, list) and all(isinstance(x, str) for x in labels + roles):
            out.append((labels, roles))
    return out


def describe(labels: Sequence[str], roles: Sequence[str]) -> str:
    """The change log's text of a mapping: ``序号|重点任务|… → seq,group,…``."""
    return f"{'|'.join(labels)} → {','.join(roles)}"
