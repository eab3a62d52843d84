"""Notice importer: read what clerks receive (.docx .txt .html .mht .pdf .xlsx .doc, pasted text)
and parse it into a ParsedNotice of metadata and tasks.  Plain Python: no Qt, no SQLAlchemy.

Public API (cheap to import; the readers and heavy libraries load on first use):
``parse_path``, ``parse_pasted``, ``to_json_dict``, ``NoticeReadError``, ``ParsedNotice``, ``ParsedTask``.
"""
from __future__ import annotations

import logging
import os

from .errors import NoticeReadError
from .jsonout import to_json_dict
from .model import ParsedNotice, ParsedTask

__all__ = ["NoticeReadError", "ParsedNotice", "ParsedTask", "parse_path", "parse_pasted", "to_json_dict"]

log = logging.getLogger(__name__)
INTERNAL = "解析失败：程序未能解析这份通知（内部错误，已记录日志）。请把原文件发给技术支持，或将正文另存为 .docx 后重试。"

UnitsDirectory = list[tuple[str, list[str]]] | None


def _parse(doc, units_directory: UnitsDirectory) -> ParsedNotice:
    from .parse.notice import parse_document

    try:
        return parse_document(doc, units_directory)
    except NoticeReadError:
        raise
    except Exception:  # a parser bug must not reach the clerk as a traceback
        log.exception("parse failed for %s", doc.name)
        raise NoticeReadError(INTERNAL) from None


def parse_path(path: str | os.PathLike, units_directory: UnitsDirectory = None) -> ParsedNotice:
    """Read and parse a notice file; raises NoticeReadError (and only that) on bad input."""
    from .readers import read_path

    return _parse(read_path(path), units_directory)


def parse_pasted(text: str, units_directory: UnitsDirectory = None) -> ParsedNotice:
    """Parse notice text pasted by the clerk."""
    from .model import SourceDocument
    from .readers.text_reader import text_to_blocks

    if not isinstance(text, str) or not text.strip():
        raise NoticeReadError("没有可解析的内容：粘贴的文字是空的。请复制通知正文后再粘贴。")
    return _parse(SourceDocument(text_to_blocks(text), kind="paste"), units_directory)
