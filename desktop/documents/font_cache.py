"""Parsed TrueType metrics kept between runs, so that an export does not parse its fonts again.

reportlab parses a font in pure Python every time it is loaded (``TTFontFile.extractInfo``: names, metrics,
the character map and every advance width: ~0.1 s for each CJK font, ~0.3 s for an export's three). Here a
``TTFont`` is made with a face whose ``extractInfo`` takes those values from a cache file written the first
time (``marshal``: plain values only, nothing executed on reading), keyed by the font file's name, size and
first and last 64 KiB, its subfont, the reportlab version and this format. The file itself is still read
(subsets are cut from it when the PDF is saved). Any problem with the cache: the font is parsed as usual.

The cache lives in the user's cache folder (``NOTICEDESK_CACHE_DIR`` replaces it; empty: no cache).
"""
from __future__ import annotations

import functools
import hashlib
import marshal
import os
import threading
from pathlib import Path

FORMAT = 1
_SKIP = {"_ttf_data", "filename", "_pdfScale", "_nd_index", "_pos", "validate"}
_NAME = "\x00TTFNameBytes"
_LOCK = threading.Lock()


def cache_dir() -> Path | None:
    env = os.environ.get("NOTICEDESK_CACHE_DIR")
    if env is not None:
        return Path(env) / "fonts" if env else None
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("NoticeDesk", appauthor=False)) / "fonts"
    except Exception:  # noqa: BLE001 - no cache folder: fonts are parsed as before
        return None


def _cache_file(path: Path, index: int) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    import reportlab

    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(65536)
            f.seek(max(0, size - 65536))
            tail = f.read(65536)
    except OSError:
        return None
    h = hashlib.sha1(head + tail)
    h.update(f"{path.name}|{size}|{index}|{reportlab.Version}|{FORMAT}".encode())
    return folder / f"{h.hexdigest()}.bin"


def _load(file: Path) -> dict | None:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    try:
        state = marshal.loads(file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(state, dict) or "unitsPerEm" not in state or "charWidths" not in state:
        return None
    for k, v in state.items():
        if isinstance(v, tuple) and len(v) == 2 and v[0] == _NAME:
            state[k] = TTFNameBytes(v[1].encode("utf8"))
    return state


def _save(file: Path, face) -> None:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    state = {}
    for k, v in face.__dict__.items():
        if k in _SKIP:
            continue
        state[k] = (_NAME, v.ustr) if isinstance(v, TTFNameBytes) else v
    try:
        data = marshal.dumps(state)
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_bytes(data)
        os.replace(tmp, file)
    except (OSError, ValueError):  # a value marshal cannot store, a read-only folder: no cache this time
        pass


def _scale(units_per_em: int):
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


@functools.cache
def _face_class():
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedFace(TTFontFace):
        """A TTFontFace whose parsed metrics come from the cache when it has them."""

        def __init__(self, filename, validate=0, subfontIndex=0):  # noqa: N803 - reportlab's names
            self._nd_index = subfontIndex
            super().__init__(filename, validate=validate, subfontIndex=subfontIndex)

        def extractInfo(self, charInfo=1):  # noqa: N802, N803
            file = _cache_file(Path(self.filename), self._nd_index) if charInfo and isinstance(
                self.filename, str) else None
            state = _load(file) if file is not None and file.exists() else None
            if state is not None:
                self.__dict__.update(state)
                self._pdfScale = _scale(self.unitsPerEm)
                return
            super().extractInfo(charInfo)
            if file is not None:
                _save(file, self)

    return CachedFace


def make_font(name: str, path: Path, index: int = 0):
    """``reportlab.pdfbase.ttfonts.TTFont(name, path, subfontIndex=index)``, its metrics from the cache."""
    from reportlab.pdfbase import ttfonts

    face = _face_class()
    with _LOCK:  # TTFont builds its face by the module's name for the class: ours for this call
        real = ttfonts.TTFontFace
        ttfonts.TTFontFace = face
        try:
            return ttfonts.TTFont(name, str(path), subfontIndex=index)
        finally:
            ttfonts.TTFontFace = real
