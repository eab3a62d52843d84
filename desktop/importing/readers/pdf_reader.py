"""PDF notices with a text layer (pypdf).  A scanned PDF without text is refused with a clear message.

Page furniture (page numbers such as "— 3 —") is dropped; lines broken by the page width are
joined later by ``normalise.reflow``.
"""
from __future__ import annotations

import io
import re
import warnings

from ..errors import NoticeReadError
from ..model import SourceDocument

_PAGE_NO = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$")
SCANNED = ("无法读取文件：该 PDF 没有文字层（可能是扫描件或图片），无法识别其中的文字。"
           "请向发文单位索取 .docx 原文，或用 WPS 的“图片转文字”转换后再导入。")
ENCRYPTED = "无法读取文件：该 PDF 设置了密码（已加密）。请在 PDF 阅读器中输入密码后另存为不加密的 PDF，或改为导入 .docx 原文。"


def read_pdf(data: bytes) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    if not reader.decrypt(""):
                        raise NoticeReadError(ENCRYPTED)
                except NoticeReadError:
                    raise
                except Exception:
                    raise NoticeReadError(ENCRYPTED) from None
            pages = [page.extract_text() or "" for page in reader.pages]
        except NoticeReadError:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
            raise NoticeReadError("无法读取文件：该文件不是有效的 .pdf（可能已损坏）。请重新下载或导出 PDF，或改为导入 .docx 原文。") from exc
    lines: list[str] = []
    for text in pages:
        for line in text.replace("\r", "\n").split("\n"):
            if not _PAGE_NO.match(line):
                lines.append(line.rstrip())
    if sum(len(s.strip()) for s in lines) < 10:
        raise NoticeReadError(SCANNED)
    return SourceDocument(lines, kind="pdf")
