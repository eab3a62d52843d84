"""The exceptions storage raises for the clerk to read (kept import-light: no SQLAlchemy here).

``LedgerError`` is an 'environment' problem (disk full, file locked or corrupt, made by a newer
NoticeDesk, a row deleted by another window): its message is Chinese and meant to be shown as is.
Programming errors (wrong argument names, bad values from code, integrity violations) are NOT
wrapped: they reach the crash handler.
"""
from __future__ import annotations


class LedgerError(Exception):
    """An 'environment' problem to show the clerk (disk full, locked, corrupt, too new): message is Chinese."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail  # the driver's own words, for the log and the "details" box


class NotFoundError(LedgerError):
    """The notice, task or unit no longer exists (deleted in another window or by the command line)."""
