"""Refuses .docx/.xlsx archives that would expand far beyond any real notice (zip bombs).

Checked from the archive's directory before anything is decompressed, so memory stays bounded.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import NoticeReadError

MAX_EXPANDED = 200 * 1024 * 1024  # a 5,000-row table expands to a few MB; 200 MB is far beyond any notice
MAX_RATIO = 200  # ordinary XML compresses 5–20×; bombs compress hundreds to millions of times
RATIO_FROM = 5 * 1024 * 1024  # tiny members may have any ratio


def check_archive(data: bytes, shown: str) -> None:
    """Raise NoticeReadError when the zip's declared sizes are those of a decompression bomb."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable zip: the format's own reader reports the damage
    total = sum(i.file_size for i in infos)
    suspicious = any(i.file_size > RATIO_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos)
    if total > MAX_EXPANDED or suspicious:
        raise NoticeReadError(f"无法读取文件：该 {shown} 解压后异常巨大（约 {total // (1024 * 1024)} MB），"
                              "可能已损坏或是恶意文件，已拒绝读取。请向发文单位索取正常的文件。")
