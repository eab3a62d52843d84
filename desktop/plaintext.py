"""What text the ledger keeps, in one place: no bidirectional controls, at most ``MAX_TEXT_CHARS`` a field.

Bidirectional controls (U+202A–202E, U+2066–2069, U+200E/F) are invisible: they would make “财政局”
and the same name with a right-to-left override two units with their own statistics, or turn a
file name made from a unit name around. The importer's normaliser drops them, the storage service
(``storage.text.checked``) strips them from every stored value and refuses longer texts, and the
returns merge checks a unit's cells by the same rule. ``clean``: text safe for XML and PDF (documents, titles).
"""
from __future__ import annotations

import re

MAX_TEXT_CHARS = 10_000  # per field; the longest task text in the corpus is under 500 characters
BIDI_CONTROLS = frozenset((0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_DROP = dict.fromkeys(BIDI_CONTROLS)


def plain(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return text.translate(_DROP)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str | None) -> str:
    """Text safe for XML and PDF: no control characters, "\\r\\n" → "\\n", trimmed."""
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
