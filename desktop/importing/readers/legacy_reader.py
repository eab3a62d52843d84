"""Old binary formats (.doc, .wps, .rtf): converted to .docx through LibreOffice when it is installed.

A binary (OLE) file named .docx or .xlsx is what Word/WPS/Excel write when a password is set,
so it is reported as encrypted; an old .xls is asked to be saved as .xlsx.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import NoticeReadError
from ..model import SourceDocument

OFFICE_TIMEOUT_S = 180  # a LibreOffice conversion taking longer is killed
NO_OFFICE = ("无法读取文件：本机没有安装 LibreOffice，无法直接读取 {kind} 文件。"
             "请在 WPS/Word 中打开后另存为 .docx 再导入。")


def find_office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _has_stream(data: bytes, name: str) -> bool:
    """Whether the OLE (compound file) directory names a stream ``name`` (stored as UTF-16LE)."""
    return name.encode("utf-16-le") + b"\0\0" in data


def read_legacy(data: bytes, path: Path, suffix: str) -> SourceDocument:
    if suffix in (".docx", ".xlsx", ".xlsm"):
        encrypted = _has_stream(data, "EncryptionInfo") or _has_stream(data, "EncryptedPackage")
        if not encrypted and suffix == ".docx" and _has_stream(data, "WordDocument"):
            suffix = ".doc"  # an old Word file renamed .docx: read it as what it is
        elif not encrypted and suffix != ".docx" and (_has_stream(data, "Workbook") or _has_stream(data, "Book")):
            raise NoticeReadError("无法读取文件：这是旧版 Excel（.xls）表格，只是扩展名写成了 .xlsx。"
                                  "请在 WPS/Excel 中打开后另存为 .xlsx 再导入。")
        else:
            raise NoticeReadError("无法读取文件：该文件设置了打开密码（已加密）或已损坏。"
                                  "请在 WPS/Office 中输入密码打开，取消密码后另存再导入。")
    if suffix in (".xls", ".et"):
        raise NoticeReadError("无法读取文件：这是旧版 Excel（.xls/.et）表格。请在 WPS/Excel 中打开后另存为 .xlsx 再导入。")
    kind = suffix or ".doc"
    office = find_office()
    if not office:
        raise NoticeReadError(NO_OFFICE.format(kind=kind))
    with tempfile.TemporaryDirectory(prefix="noticedesk-") as tmp:
        src = Path(tmp) / f"source{suffix or '.doc'}"
        src.write_bytes(data)
        try:
            subprocess.run([office, "--headless", "--norestore", "--convert-to", "docx", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=OFFICE_TIMEOUT_S)
        except (subprocess.SubprocessError, OSError):
            raise NoticeReadError(f"无法读取文件：LibreOffice 未能转换该 {kind} 文件（可能已损坏或已加密）。"
                                  "请在 WPS/Word 中打开后另存为 .docx 再导入。") from None
        out = Path(tmp) / "source.docx"
        if not out.exists():
            raise NoticeReadError(f"无法读取文件：LibreOffice 未能转换该 {kind} 文件（可能已损坏或已加密）。"
                                  "请在 WPS/Word 中打开后另存为 .docx 再导入。")
        from .docx_reader import read_docx

        doc = read_docx(out.read_bytes())
    doc.kind = suffix.lstrip(".") or "doc"
    return doc
