"""The one way a notice gets into the ledger, for the command line (``python -m desktop import``) and the
import window alike.

``read_notice``: parse a read document with the ledger's unit directory (aliases mapped to the full names,
names the directory lacks warned), then, unless the clerk said how to read the table, by a column setting
remembered for one of its tables. ``import_notice``: what the clerk accepted (the parse as proposed, or the
window's reviewed rows and notice fields) is refused when the ledger already holds the notice (unless as a
new version), stored in one transaction, and the clerk's column setting remembered.

Plain Python over the storage service API (``Ledger``) and the importer's public API: no Qt, no SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UnitsDirectory = list[tuple[str, list[str]]]


class DuplicateNotice(Exception):
    """The ledger already holds the notice (``Ledger.find_duplicate``): nothing was stored."""

    def __init__(self, existing_id: int, existing: Any) -> None:
        super().__init__(f"台账中已有这份通知（编号 {existing_id}：{existing.title}）。")
        self.existing_id = existing_id
        self.existing = existing


@dataclass
class Reading:
    """A notice parsed for the ledger: the parse, the table reading it was parsed with (None: the
    parser's own), and the remembered setting applied — (1-based table, labels, roles) — if any."""

    parsed: Any
    choice: Any = None
    remembered: tuple[int, list[str], list[str]] | None = None
    left_out: list[tuple[int, int]] = field(default_factory=list)  # (table, tasks) the remembered one leaves out


@dataclass
class Imported:
    """A stored notice: its id, the warnings of its reading, and whether the column setting was kept."""

    notice_id: int
    warnings: list[str] = field(default_factory=list)
    remembered: tuple[list[str], list[str]] | None = None
    not_remembered: str | None = None  # why the column setting could not be kept (the notice is stored)


def unit_directory(ledger: Any) -> UnitsDirectory:
    """The ledger's units as the parser maps printed names: (full name, [short name, aliases…]); empty
    when there is no ledger or it cannot be read (the notice is read without a directory then)."""
    from desktop.storage.errors import LedgerError

    if ledger is None:
        return []
    try:
        return [(u.name, [u.short_name, *u.aliases] if u.short_name else list(u.aliases)) for u in ledger.units()]
    except LedgerError:
        return []


def parse_with_directory(doc: Any, ledger: Any, choice: Any = None) -> Any:
    """``parse_document`` with the ledger's unit directory (NoticeReadError on bad input)."""
    from desktop.importing import parse_document

    return parse_document(doc, unit_directory(ledger), choice)


def remembered_choice(parsed: Any, maps: list[tuple[list[str], list[str]]], choice: Any = None):
    """A ``TableChoice`` by a remembered setting (``Ledger.column_maps()``) that fits one of the notice's
    tables (``choice``'s table and header row narrow the search), with (table, labels, roles); None when
    none fits."""
    from desktop.importing import TableChoice
    from desktop.intake import remembered_reading

    found = remembered_reading(parsed.tables, maps, choice.table if choice else None,
                               choice.header_row if choice else None)
    if found is None:
        return None
    k, row, labels, roles = found
    return TableChoice(table=k, header_row=row, columns=roles), (k, labels, roles)


def read_notice(doc: Any, ledger: Any, choice: Any = None, maps: list | None = None) -> Reading:
    """The notice as the ledger would take it: parsed with its unit directory and, when ``choice`` names
    no columns, read again by a remembered column setting that fits one of its tables (``maps``, default
    the ledger's)."""
    parsed = parse_with_directory(doc, ledger, choice)
    if choice is not None and choice.columns is not None:
        return Reading(parsed, choice)
    if maps is None:
        maps = ledger.column_maps() if ledger is not None else []
    found = remembered_choice(parsed, maps, choice)
    if found is None:
        return Reading(parsed, choice)
    choice, remembered = found
    left_out = [(j, g.tasks) for j, g in enumerate(parsed.tables, 1) if j != remembered[0] and g.tasks]
    return Reading(parse_with_directory(doc, ledger, choice), choice, remembered, left_out)


def notice_year(fields: dict[str, Any]) -> int | None:
    """The 年度 a duplicate is looked for under: the notice's year, else its date's year."""
    if fields.get("year") is not None:
        return fields["year"]
    return fields["date"].year if fields.get("date") else None


def import_notice(ledger: Any, parsed: Any, *, source_name: str | None = None, source_bytes: bytes | None = None,
                  rows: list[dict[str, Any]] | None = None, fields: dict[str, Any] | None = None,
                  as_new: bool = False, remember: tuple[list[str], list[str]] | None = None) -> Imported:
    """Store what the clerk accepted: ``parsed`` (from ``read_notice``) as proposed, or the reviewed ``rows``
    (``create_notice_with_tasks`` tasks, nested or by section) and corrected notice ``fields`` (title,
    doc_number, issuer, date, year). Raises ``DuplicateNotice`` (nothing stored) when the ledger already
    holds the notice, unless ``as_new``. ``remember``: (header labels, roles) to keep for the next table
    with that header; a failure there leaves the notice stored and is told in ``not_remembered``."""
    from desktop.intake import ledger_rows
    from desktop.storage.errors import LedgerError

    meta, proposed = ledger_rows(parsed, source_name=source_name)
    meta.update(fields or {})
    meta["source_bytes"] = source_bytes
    if not as_new:
        same = ledger.find_duplicate(doc_number=meta["doc_number"], title=meta["title"], year=notice_year(meta),
                                     source_bytes=source_bytes)
        if same is not None:
            raise DuplicateNotice(same, ledger.notice(same))
    result = Imported(ledger.create_notice_with_tasks(meta, proposed if rows is None else rows),
                      list(parsed.warnings))
    if remember:
        try:
            ledger.remember_columns(*remember)
            result.remembered = remember
        except LedgerError as exc:
            result.not_remembered = str(exc)
    return result
