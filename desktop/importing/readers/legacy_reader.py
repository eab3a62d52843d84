"""Old binary formats: .xls (and a WPS .et in the same format) read with python-calamine; .doc, .wps,
.rtf — and an .et calamine cannot read — converted through LibreOffice when it is installed.

A binary (OLE) file named .docx or .xlsx is what Word/WPS/Excel write when a password is set,
so it is reported as encrypted, unless it holds an old Word document or workbook renamed.
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
NO_OFFICE_SHEET = ("无法读取文件：本机没有安装 LibreOffice，无法直接读取 {kind} 表格。"
                   "请在 WPS/Excel 中打开后另存为 .xlsx 再导入。")


def find_office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _has_stream(data: bytes, name: str) -> bool:
    """Whether the OLE (compound file) directory names a stream ``name`` (stored as UTF-16LE)."""
    return name.encode("utf-16-le") + b"\0\0" in data


def _is_workbook(data: bytes) -> bool:
    return _has_stream(data, "Workbook") or _has_stream(data, "Book")


def read_legacy(data: bytes, path: Path, suffix: str, sheet: str | None = None) -> SourceDocument:
    if suffix in (".docx", ".xlsx", ".xlsm"):
        encrypted = _has_stream(data, "EncryptionInfo") or _has_stream(data, "EncryptedPackage")
        if not encrypted and suffix == ".docx" and _has_stream(data, "WordDocument"):
            suffix = ".doc"  # an old Word file renamed .docx: read it as what it is
        elif not encrypted and suffix != ".docx" and _is_workbook(data):
            suffix = ".xls"  # an old Excel file renamed .xlsx
        else:
            raise NoticeReadError("无法读取文件：该文件设置了打开密码（已加密）或已损坏。"
                                  "请在 WPS/Office 中输入密码打开，取消密码后另存再导入。")
    if suffix in (".xls", ".et") or _is_workbook(data) and not _has_stream(data, "WordDocument"):
        from .xls_reader import read_xls

        if _is_workbook(data):
            return read_xls(data, sheet, kind=suffix.lstrip(".") or "xls")
        if suffix == ".xls":
            raise NoticeReadError("无法读取文件：该文件不是有效的 .xls 表格（可能已损坏）。"
                                  "请在 WPS/Excel 中打开后另存为 .xlsx 再导入。")
        return _convert(data, suffix, "xlsx")  # a WPS .et of its own format
    return _convert(data, suffix, "docx")


def _convert(data: bytes, suffix: str, target: str) -> SourceDocument:
    """The file converted by LibreOffice to .docx (or .xlsx) and read as such."""
    kind = suffix or ".doc"
    office = find_office()
    if not office:
        raise NoticeReadError((NO_OFFICE_SHEET if target == "xlsx" else NO_OFFICE).format(kind=kind))
    with tempfile.TemporaryDirectory(prefix="noticedesk-") as tmp:
        src = Path(tmp) / f"source{suffix or '.doc'}"
        src.write_bytes(data)
        try:
            subprocess.run([office, "--headless", "--norestore", f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                            "--convert-to", target, "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=OFFICE_TIMEOUT_S)
        except (subprocess.SubprocessError, OSError):
            raise NoticeReadError(f"无法读取文件：LibreOffice 未能转换该 {kind} 文件（可能已损坏或已加密）。"
                                  "请在 WPS/Word 中打开后另存为 .docx 再导入。") from None
        out = Path(tmp) / f"source.{target}"
        if not out.exists():
            raise NoticeReadError(f"无法读取文件：LibreOffice 未能转换该 {kind} 文件（可能已损坏或已加密）。"
                                  "请在 WPS/Word 中打开后另存为 .docx 再导入。")
        if target == "xlsx":
            from .xlsx_reader import read_xlsx

            doc = read_xlsx(out.read_bytes())
        else:
            from .docx_reader import read_docx

            doc = read_docx(out.read_bytes())
    doc.kind = suffix.lstrip(".") or "doc"
    return doc
