"""Progress and cancelling of one export, shared by the PDF and .docx writers.

A writer counts its work in units (table rows laid out, rows written) against a ``total`` fixed when it
starts, reports ``progress(done, total)`` every ``every`` units, and asks ``cancel()`` at the same
moments: when it returns True the writer stops with ``Cancelled``.
"""
from __future__ import annotations

from collections.abc import Callable


class Cancelled(Exception):
    """The caller's ``cancel()`` returned True."""


class Progress:
    """Work done by one writer, reported to the caller's ``progress`` and checked against its ``cancel``."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None,
                 cancel: Callable[[], bool] | None, every: int) -> None:
        self.done, self.total, self.every = 0, max(1, total), every
        self.progress, self.cancel = progress, cancel

    def tick(self, n: int, force: bool = False) -> None:
        """``n`` more units done; every ``every`` units (or when ``force``), check cancel and report."""
        self.done += n
        if force or self.done % self.every < n:
            if self.cancel is not None and self.cancel():
                raise Cancelled
            self.report()

    def follow(self, done: int, _total: int = 0) -> None:
        """A part of the work done by another writer (the PDF layout of a .docx): ``done`` units so far,
        counted in this writer's units."""
        self.done = done
        self.report()

    def report(self) -> None:
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)
