"""Evidence (佐证材料) files on disk: content-addressed copies in the data folder, and safe display names.

A file is stored once per content (and extension) as ``<data>/evidence/<sha256[:2]>/<sha256><ext>``
(the extension lets the system viewer choose the program): the path comes
from the hash only (``ext`` is reduced to ``.[a-z0-9]{1,10}``), so no file name, however odd
(``../../etc/passwd``, ``a/b\\c.pdf``, ``CON.txt``, 300 characters), can point outside the folder.
The original name is kept, sanitised by ``display_name``, for the list and for "save as". Copies go
through a temporary file in the same folder and ``os.replace``, so a blob is either whole or absent.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path

EVIDENCE_DIR = "evidence"
MAX_NAME = 100  # characters of a display name (extension included)
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_BAD_CHARS = set('<>:"|?*')
_EXT = re.compile(r"\.[a-z0-9]{1,10}")
_CHUNK = 1 << 20


def display_name(original: str) -> str:
    """The last path component of ``original``, without control or Windows-forbidden characters,
    leading/trailing dots and spaces; a reserved device name gets a leading '_'; at most MAX_NAME
    characters (the extension kept); '附件' when nothing is left."""
    name = re.split(r"[\\/]", original or "")[-1]
    name = "".join(ch for ch in name if ch not in _BAD_CHARS and unicodedata.category(ch)[0] != "C")
    name = name.strip(" .")
    if not name:
        return "附件"
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = "_" + name
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        suffix = f".{ext}" if dot and stem and len(ext) <= 16 else ""
        name = name[: MAX_NAME - len(suffix)].rstrip(" .") + suffix
    return name


def safe_ext(name: str) -> str:
    """'.pdf' for 'x.PDF'; '' when the name has no short alphanumeric extension."""
    suffix = Path(display_name(name)).suffix.lower()
    return suffix if _EXT.fullmatch(suffix) else ""


class NotARegularFile(OSError):
    """The path names a folder, a pipe (FIFO), a socket or a device, not a file: reading it could block
    for ever (a FIFO with no writer) or never end (/dev/zero)."""


def open_regular(src: Path):
    """``src`` opened for reading as a binary file object, refusing anything but a regular file
    (NotARegularFile) without blocking: the file is opened non-blocking and checked on the open
    descriptor, so a FIFO put in its place after a check cannot hang the attach."""
    fd = os.open(src, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(f"not a regular file: {src}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def blob_path(data_dir: Path, sha256: str, ext: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256) or (ext and not _EXT.fullmatch(ext)):
        raise ValueError(f"not an evidence key: {sha256!r}{ext!r}")
    return data_dir / EVIDENCE_DIR / sha256[:2] / f"{sha256}{ext}"


def store(src: Path, data_dir: Path, ext: str) -> tuple[str, int]:
    """Copy ``src`` into the evidence folder (unless the same content is there); returns (sha256, size)."""
    root = data_dir / EVIDENCE_DIR
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=root)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open_regular(src) as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        dest = blob_path(data_dir, sha, ext)
        if dest.is_file() and dest.stat().st_size == size:
            tmp.unlink()
            os.utime(dest)  # recent again: a purge running meanwhile leaves it (see purge)
        else:
            dest.parent.mkdir(exist_ok=True)
            os.replace(tmp, dest)
        return sha, size
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def purge(data_dir: Path, keep: Iterable[tuple[str, str]], min_age_s: float = 3600) -> int:
    """Delete the blobs (and left-over temporary files) not in ``keep`` ((sha256, ext) pairs);
    returns how many files were deleted. Files touched in the last ``min_age_s`` seconds are left: an
    attach under way in another window stores its file before it writes its row."""
    root = data_dir / EVIDENCE_DIR
    if not root.is_dir():
        return 0
    wanted = {blob_path(data_dir, sha, ext) for sha, ext in keep}
    n = 0
    recent = time.time() - min_age_s
    for path in root.rglob("*"):
        if path.is_file() and path not in wanted and path.stat().st_mtime <= recent:
            path.unlink()
            n += 1
    for sub in root.iterdir():
        if sub.is_dir() and not any(sub.iterdir()):
            sub.rmdir()
    return n
