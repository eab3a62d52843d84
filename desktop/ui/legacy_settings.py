"""Settings written by QSettings before issue 19, taken into the one store (``desktop.settings``) once.

Before, ``noticedesk.ini`` was written by QSettings (window geometry as ``@ByteArray(...)``, sizes as
``@Size(w h)``, lists as ``a, b``) and the server address was in Qt's native store (the registry on
Windows). ``take_over`` reads such a file with QSettings — the only reader of those encodings — and,
when asked, the native store, converts every declared value to its declared type and writes it through
the store, then marks the file as converted (``meta/format``). It runs when the file has no mark, i.e.
once. This is the only module outside the store that makes a QSettings (tests/ui/test_settings.py).
"""
from __future__ import annotations

import json
from typing import Any

from desktop.logs import log
from desktop.settings import FORMAT, SETTINGS_FORMAT, Setting, Settings, decode, lookup


def take_over(store: Settings, native: bool = False) -> int:
    """Bring QSettings-written values into ``store`` once: those of its own file (an older version wrote
    it) and, when ``native``, those of Qt's native store that ``store`` does not hold. Returns how many."""
    if store.path is None or store.get(SETTINGS_FORMAT) >= FORMAT:
        return 0
    from PySide6.QtCore import QSettings

    taken = 0
    sources: list[tuple[QSettings, bool]] = []
    if store.path.is_file():
        sources.append((QSettings(str(store.path), QSettings.Format.IniFormat), True))
    if native:
        sources.append((QSettings("NoticeDesk", "NoticeDesk"), False))
    for qs, overwrite in sources:
        for key in qs.allKeys():
            try:
                setting = lookup(key)
            except KeyError:
                continue
            if setting is SETTINGS_FORMAT or (not overwrite and store.contains(setting)):
                continue
            value = _converted(setting, qs.value(key))
            if value is not None:
                store.set(setting, value)
                taken += 1
    store.set(SETTINGS_FORMAT, FORMAT)
    if taken:
        log.info("settings: %d value(s) written by an older version taken into %s", taken, store.path)
    return taken


def _converted(setting: Setting, value: Any) -> Any:
    """``value`` as QSettings read it, as the declared kind of ``setting`` (None: not convertible)."""
    from PySide6.QtCore import QByteArray, QSize

    kind = setting.kind
    try:
        if kind == "bytes":
            return bytes(value.data()) if isinstance(value, QByteArray) else None
        if kind == "size":
            return (value.width(), value.height()) if isinstance(value, QSize) else None
        if kind == "bool" and isinstance(value, bool):
            return value
        if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, list):  # QSettings splits an unquoted "a, b"
            return [str(v) for v in value] if kind == "list" else ", ".join(str(v) for v in value) \
                if kind == "str" else None
        if not isinstance(value, str):
            return None
        if kind == "str":
            return value
        if kind == "dict":
            parsed = json.loads(value or "{}")
            return parsed if isinstance(parsed, dict) else None
        return decode(setting, value)
    except (ValueError, TypeError, AttributeError):
        return None
