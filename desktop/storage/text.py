"""The one place where text entering the ledger is made plain and kept to a sane length.

Every free-text value the service stores (notice title and 文号, task fields, unit names, progress entries,
a unit's returned report) goes through ``checked``:

- bidirectional controls (U+202A–202E, U+2066–2069, U+200E/F) are removed: invisible, they would make
  “财政局” and the same name with a right-to-left override two units with their own statistics, or
  turn a file name made from a unit name around (the importer's normaliser drops them too);
- a value longer than ``MAX_TEXT_CHARS`` characters is refused with ``TextTooLong`` (a LedgerError: the
  window shows it, the command line exits 2): a 1 MB cell would grow the ledger by megabytes, break
  Excel's 32,767-character cell limit and print as thousands of PDF pages.

The rule itself (``MAX_TEXT_CHARS``, ``BIDI_CONTROLS``, ``plain``) is ``desktop.plaintext``, shared with the
importer and the returns merge; this module adds the storage error.
"""
from __future__ import annotations

from desktop.plaintext import BIDI_CONTROLS, MAX_TEXT_CHARS, plain
from desktop.storage.errors import LedgerError

__all__ = ["BIDI_CONTROLS", "MAX_TEXT_CHARS", "TextTooLong", "checked", "plain", "too_long_message"]


class TextTooLong(LedgerError):
    """A text field over ``MAX_TEXT_CHARS``: nothing was written."""


def too_long_message(label: str, length: int) -> str:
    return (f"“{label}”太长（{length} 字），每一栏最多 {MAX_TEXT_CHARS} 字，没有保存。"
            "请精简后再填写；详细材料可作为佐证材料附上。")


def checked(value: object, label: str) -> str:
    """``value`` as stored text (None → ''), bidi controls removed; TextTooLong over the cap."""
    text = plain("" if value is None else str(value))
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLong(too_long_message(label, len(text)))
    return text
