"""Notice importer: read what clerks receive (.docx .pdf .ofd .xlsx .xls .txt .html .mht .doc .wps .et, photos
and scans by OCR, pasted text) and parse it into a ParsedNotice of metadata and tasks.  Plain Python: no Qt,
no SQLAlchemy.

Public API (cheap to import; the readers and heavy libraries load on first use):
``parse_path``, ``parse_pasted``, ``read_document``/``pasted_document`` + ``parse_document`` (parse again
with the clerk's ``TableChoice``), ``list_sheets``, ``to_json_dict``, ``NoticeReadError``, ``ParsedNotice``,
``ParsedTask``, ``TableGrid``.
"""
from __future__ import annotations

import logging
import os

from .errors import NoticeReadError
from .jsonout import to_json_dict
from .model import ParsedNotice, ParsedTask, TableChoice, TableGrid

__all__ = ["NoticeReadError", "ParsedNotice", "ParsedTask", "TableChoice", "TableGrid", "list_sheets", "parse_path",
           "parse_pasted", "to_json_dict"]

log = logging.getLogger(__name__)
INTERNAL = "解析失败：程序未能解析这份通知（内部错误，已记录日志）。请把原文件发给技术支持，或将正文另存为 .docx 后重试。"

UnitsDirectory = list[tuple[str, list[str]]] | None


def _parse(doc, units_directory: UnitsDirectory, choice: TableChoice | None = None) -> ParsedNotice:
    from .parse.notice import parse_document

    try:
        return parse_document(doc, units_directory, choice)
    except NoticeReadError:
        raise
    except Exception:  # a parser bug must not reach the clerk as a traceback
        log.exception("parse failed for %s", doc.name)
        raise NoticeReadError(INTERNAL) from None


def parse_path(path: str | os.PathLike, units_directory: UnitsDirectory = None,
               sheet: str | None = None, choice: TableChoice | None = None) -> ParsedNotice:
    """Read and parse a notice file; raises NoticeReadError (and only that) on bad input. ``sheet``: for a
    workbook, read only that sheet (see ``list_sheets``); None reads every visible sheet. ``choice``: the
    clerk's reading of a table (which table, its header row, the role of each column)."""
    from .readers import read_path

    return _parse(read_path(path, sheet), units_directory, choice)


def read_document(path: str | os.PathLike, sheet: str | None = None):
    """The read file (SourceDocument), to parse again with ``parse_document`` as the clerk changes the
    reading of a table without reading the file again."""
    from .readers import read_path

    return read_path(path, sheet)


def parse_document(doc, units_directory: UnitsDirectory = None, choice: TableChoice | None = None) -> ParsedNotice:
    """Parse a document from ``read_document`` or ``pasted_document``."""
    return _parse(doc, units_directory, choice)


def pasted_document(text: str):
    """Pasted text as a SourceDocument (see ``parse_pasted``)."""
    from .model import SourceDocument
    from .readers.text_reader import text_to_blocks

    if not isinstance(text, str) or not text.strip():
        raise NoticeReadError("没有可解析的内容：粘贴的文字是空的。请复制通知正文后再粘贴。")
    return SourceDocument(text_to_blocks(text), kind="paste")


def list_sheets(path: str | os.PathLike) -> list[tuple[str, int]]:
    """For an .xlsx: (sheet name, task rows) of each visible sheet that looks like a task table (a header
    row of 任务名称/具体内容 and 责任单位/完成时限 labels), in workbook order; [] for other files.
    NoticeReadError when the workbook cannot be read."""
    from pathlib import Path

    from .parse.sheets import list_sheets as task_sheets
    from .readers import _damaged
    from .readers.xlsx_reader import sheet_rows

    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError:
        raise NoticeReadError(f"无法读取文件：“{p.name}”无法打开。请确认文件存在且没有被其他程序占用。") from None
    if not data.startswith(b"PK\x03\x04") or p.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    try:
        return task_sheets(sheet_rows(data))
    except NoticeReadError:
        raise
    except Exception:
        raise NoticeReadError(_damaged("xlsx", ".xlsx")) from None


def parse_pasted(text: str, units_directory: UnitsDirectory = None, choice: TableChoice | None = None) -> ParsedNotice:
    """Parse notice text pasted by the clerk."""
    return _parse(pasted_document(text), units_directory, choice)
