"""Readers: one module per file format, each returning a SourceDocument (paragraphs and tables).

``read_path`` checks size and emptiness, sniffs what the bytes really are (a .doc that is in fact
a .docx or a web page is common) and hands over to the right reader.  Anything unexpected a
reader raises is turned into a NoticeReadError.

Every read has a time limit (``READ_TIMEOUT_S``, or ``$NOTICEDESK_READ_TIMEOUT`` in seconds): the
format reader runs in a worker thread, and when it has not finished in time the caller gets
NoticeReadError('读取超时…') at once. Python cannot stop a thread, so a reader stuck in a library
is abandoned (a daemon thread: it ends with the program); what it can hold is bounded by the size
limits (``MAX_BYTES``, ``archive_guard``). LibreOffice conversions of old formats get the
conversion's own limit on top (the child process is killed when it runs out).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import NoticeReadError
from ..model import SourceDocument

MAX_BYTES = 50 * 1024 * 1024
MAX_TEXT_BYTES = 10 * 1024 * 1024  # plain text: the longest real notices are ~100 KB, a 5,000-row table ~2 MB
READ_TIMEOUT_S = 30.0
SUPPORTED = ("请导入 .docx、.pdf、.ofd、.xlsx、.xls、.txt、.html、.mht 文件或通知的图片（.jpg、.png、.tif），"
             "或把通知正文直接粘贴进来。")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")


def _sniff(head: bytes, suffix: str) -> str:
    """The format the bytes are in, trusting the content over the file name where it is clear."""
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".ofd" or b"OFD.xml" in head[:1024] and b"word/" not in head[:1024]:
            return "ofd"
        return "xlsx" if suffix in (".xlsx", ".xlsm") else "docx"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")) \
            or head.startswith(b"BM") and suffix == ".bmp":
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    low = head[:2048].lower()
    if suffix in (".mht", ".mhtml") or (b"mime-version" in low and b"multipart" in low):
        return "mht"
    if suffix in (".html", ".htm", ".shtml", ".xhtml") or low.lstrip().startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in IMAGE_SUFFIXES:
        return "image"  # not an image the reader knows: it says so
    return {".docx": "docx", ".xlsx": "xlsx", ".pdf": "pdf", ".ofd": "ofd", ".doc": "ole", ".wps": "ole", ".et": "ole",
            ".xls": "ole", ".txt": "txt", ".text": "txt", ".csv": "txt", ".md": "txt"}.get(suffix, "unknown")


def read_path(path: str | os.PathLike, sheet: str | None = None) -> SourceDocument:
    """Read a notice file of any supported kind into a SourceDocument (``sheet``: of a workbook, only
    that sheet; ignored for other formats)."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise NoticeReadError(f"无法读取文件：找不到文件“{p.name}”。请确认文件位置后重新导入。") from None
    except OSError:
        raise NoticeReadError(f"无法读取文件：“{p.name}”无法打开。请确认文件没有被其他程序占用后重试。") from None
    if p.is_dir():
        raise NoticeReadError(f"无法读取文件：“{p.name}”是一个文件夹。请选择通知文件本身再导入。")
    if size > MAX_BYTES:
        raise NoticeReadError(f"无法读取文件：该文件超过 50 MB（{size // (1024 * 1024)} MB），不像是一份通知。"
                              "请确认选择的文件是否正确，或只把通知正文另存后再导入。")
    if size == 0:
        raise NoticeReadError("无法读取文件：该文件是空的（0 字节）。请确认文件是否完整后重新导入。")
    try:
        data = p.read_bytes()
    except FileNotFoundError:  # gone between the look and the read: moved, deleted, drive unplugged
        raise NoticeReadError(f"无法读取文件：“{p.name}”在读取时不见了（可能已被移动或删除，或者网络盘、U 盘已断开）。"
                              "请确认文件位置后重新导入。") from None
    except OSError:
        raise NoticeReadError(f"无法读取文件：“{p.name}”无法打开。请确认文件没有被其他程序占用后重试。") from None
    if len(data) > MAX_BYTES:  # grew after the size check
        raise NoticeReadError(f"无法读取文件：该文件超过 50 MB（{len(data) // (1024 * 1024)} MB），不像是一份通知。"
                              "请确认选择的文件是否正确，或只把通知正文另存后再导入。")
    kind = _sniff(data[:4096], suffix)
    if kind == "txt" and len(data) > MAX_TEXT_BYTES:  # parsing it would take minutes and fill the ledger
        raise NoticeReadError(f"无法读取文件：该文本文件有 {len(data) // (1024 * 1024)} MB，远超一份通知的篇幅（最多 "
                              f"{MAX_TEXT_BYTES // (1024 * 1024)} MB）。请确认选择的文件是否正确，或只把通知正文另存后再导入。")
    if kind in ("docx", "xlsx", "ofd"):
        from .archive_guard import check_archive

        check_archive(data, {"xlsx": ".xlsx", "ofd": ".ofd"}.get(kind, ".docx"))
    try:
        doc = _with_time_limit(_dispatch, _time_limit(kind), p.name, kind, data, p, suffix, sheet)
    except NoticeReadError:
        raise
    except Exception:  # any library failure on a damaged file becomes one clear message
        raise NoticeReadError(_damaged(kind, suffix)) from None
    doc.name = p.name
    return doc


def _time_limit(kind: str) -> float:
    limit = READ_TIMEOUT_S
    env = os.environ.get("NOTICEDESK_READ_TIMEOUT")
    if env:
        try:
            limit = float(env)
        except ValueError:
            pass
    if kind in ("ole", "rtf"):  # converted by LibreOffice, which has its own (killing) limit
        from .legacy_reader import OFFICE_TIMEOUT_S

        limit += OFFICE_TIMEOUT_S
    if kind in ("pdf", "image") and not env:  # OCR of scanned pages takes seconds a page
        from .ocr_reader import OCR_TIMEOUT_S, ocr_available

        if ocr_available():
            limit = max(limit, OCR_TIMEOUT_S)
    return limit


def _with_time_limit(func: Callable[..., SourceDocument], limit: float, name: str, *args) -> SourceDocument:
    """``func(*args)`` in a worker thread; NoticeReadError('读取超时…') when it takes over ``limit`` s."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["doc"] = func(*args)
        except BaseException as exc:  # handed to the caller's thread below
            box["exc"] = exc

    worker = threading.Thread(target=work, name="notice-reader", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():  # abandoned: see the module docstring
        raise NoticeReadError(f"读取超时：“{name}”在 {limit:g} 秒内没有读完，可能已损坏或结构异常，已停止读取。"
                              "请在 WPS/Word 中打开后另存为 .docx，或把通知正文复制粘贴进来。")
    if "exc" in box:
        raise box["exc"]  # type: ignore[misc]
    return box["doc"]  # type: ignore[return-value]


def _damaged(kind: str, suffix: str) -> str:
    shown = {"docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf", "html": "网页", "mht": ".mht 网页", "ofd": ".ofd",
             "image": "图片"}.get(kind, suffix or "文件")
    todo = {"xlsx": "请在 WPS/Excel 中打开后另存为 .xlsx 再导入。",
            "pdf": "请重新下载或导出 PDF，或改为导入 .docx 原文。",
            "ofd": "请重新下载或导出 OFD，或向发文单位索取 .docx 原文。",
            "image": "请重新扫描或拍摄后导入 .jpg、.png 或 .tif 图片。"}.get(kind, "请在 WPS/Word 中打开后另存为 .docx 再导入。")
    return f"无法读取文件：该文件不是有效的 {shown}（可能已损坏）。{todo}"


def _dispatch(kind: str, data: bytes, path: Path, suffix: str, sheet: str | None = None) -> SourceDocument:
    if kind == "docx":
        if suffix in (".xlsx", ".pptx"):
            raise NoticeReadError(_damaged("xlsx" if suffix == ".xlsx" else "docx", suffix))
        from .docx_reader import read_docx

        return read_docx(data)
    if kind == "xlsx":
        from .xlsx_reader import read_xlsx

        return read_xlsx(data, sheet)
    if kind == "pdf":
        from .pdf_reader import read_pdf

        return read_pdf(data)
    if kind == "ofd":
        from .ofd_reader import read_ofd

        return read_ofd(data)
    if kind == "image":
        from .ocr_reader import read_image

        return read_image(data, suffix)
    if kind in ("html", "mht"):
        from .html_reader import read_html, read_mht

        return read_mht(data) if kind == "mht" else read_html(data)
    if kind in ("ole", "rtf"):
        from .legacy_reader import read_legacy

        return read_legacy(data, path, suffix, sheet)
    if kind == "txt":
        from .text_reader import read_text_bytes

        return read_text_bytes(data)
    raise NoticeReadError(f"无法读取文件：不支持“{suffix or '无扩展名'}”类型的文件。{SUPPORTED}")
