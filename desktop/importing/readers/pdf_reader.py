"""PDF notices: text and tables read by position (pdfplumber), scanned pages by OCR.

pdfplumber (on pdfminer.six) gives every character with its box and the page's ruling lines. Ruled
tables are found from the rules (pdfplumber's table finder: merged cells come back empty, as from a
.docx); the rest of the text is laid out by ``positioned``: lines, tables without rules (cells
aligned by x), a table running over pages read as one, page numbers and running headers dropped.

pypdf opens the file first (encryption, page count) and remains the text path when pdfminer cannot
parse a damaged file. Pages without text are read by OCR when the extra is installed
(``ocr_reader``); a PDF with no text at all and no OCR gets a clear message saying how to add it.
"""
from __future__ import annotations

import io
import logging
import re
import warnings

from ..errors import NoticeReadError
from ..model import SourceDocument
from .positioned import Grid, Page, Piece, layout_blocks

log = logging.getLogger(__name__)

MAX_PAGES = 1000  # the longest real notice with its tables is a few hundred pages
_PAGE_NO = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$")
SCANNED = ("无法读取文件：该 PDF 没有文字层（可能是扫描件或图片），无法识别其中的文字。"
           "请向发文单位索取 .docx 原文，或用 WPS 的“图片转文字”转换后再导入。")
ENCRYPTED = "无法读取文件：该 PDF 设置了密码（已加密）。请在 PDF 阅读器中输入密码后另存为不加密的 PDF，或改为导入 .docx 原文。"
DAMAGED = "无法读取文件：该文件不是有效的 .pdf（可能已损坏）。请重新下载或导出 PDF，或改为导入 .docx 原文。"
MIN_PAGE_TEXT = 10  # a page with fewer characters of text is taken for an image


def _open_pypdf(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

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
        count = len(reader.pages)
    except NoticeReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise NoticeReadError(DAMAGED) from exc
    if count > MAX_PAGES:
        raise NoticeReadError(f"无法读取文件：该 PDF 有 {count} 页，远超一份通知的篇幅（最多 {MAX_PAGES} 页）。"
                              "请确认选择的文件是否正确，或只把通知本身另存为 PDF 后再导入。")
    return reader


def _pypdf_lines(reader) -> list[str]:
    lines: list[str] = []
    for page in reader.pages:
        text = page.extract_text() or ""
        for line in text.replace("\r", "\n").split("\n"):
            if not _PAGE_NO.match(line):
                lines.append(line.rstrip())
    return lines


def _grids(page) -> list[Grid]:
    """Ruled tables of a pdfplumber page (at least two rows and two columns)."""
    out = []
    for t in page.find_tables():
        rows = t.extract()
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        if sum(1 for r in rows for c in r if c and c.strip()) < 3:
            continue
        x0, top, x1, bottom = t.bbox
        out.append(Grid(rows, top, bottom, x0, x1))
    return out


def _plumber_pages(data: bytes) -> list[tuple[Page, bool]]:
    """Each page's characters and ruled tables, and whether it shows an image."""
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            pieces, seen = [], set()
            for c in page.chars:
                if not c.get("upright", True) or not c["text"].strip():
                    continue
                key = (c["text"], round(c["x0"]), round(c["top"]))
                if key in seen:  # text drawn twice (or offset by a hair) to look bold
                    continue
                seen.add(key)
                pieces.append(Piece(c["x0"], c["x1"], c["top"], c["bottom"], c["text"]))
            grids = _grids(page) if len(pieces) >= MIN_PAGE_TEXT and (page.lines or page.rects) else []
            out.append((Page(pieces, float(page.width), float(page.height), grids), bool(page.images)))
    return out


def read_pdf(data: bytes) -> SourceDocument:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        reader = _open_pypdf(data)
        try:
            pages = _plumber_pages(data)
        except NoticeReadError:
            raise
        except Exception:  # pdfminer could not parse it: pypdf's text layer, as before
            log.info("pdfplumber failed; reading the text layer with pypdf", exc_info=True)
            try:
                lines = _pypdf_lines(reader)
            except Exception as exc:
                raise NoticeReadError(DAMAGED) from exc
            if sum(len(s.strip()) for s in lines) < MIN_PAGE_TEXT:
                raise NoticeReadError(SCANNED) from None
            return SourceDocument(lines, kind="pdf")
    empty = [n for n, (page, _) in enumerate(pages) if sum(len(p.text) for p in page.pieces) < MIN_PAGE_TEXT]
    if len(empty) == len(pages):
        return _ocr_pdf(data, list(range(len(pages))))
    doc = SourceDocument(layout_blocks([page for page, _ in pages]), kind="pdf")
    pictures = [n for n in empty if pages[n][1]]
    if pictures:
        shown = "、".join(str(n + 1) for n in pictures[:10]) + ("等" if len(pictures) > 10 else "")
        doc.warnings.append(f"第 {shown} 页是图片（扫描页），其中的文字没有读入，请对照原件补充。")
    return doc


def _ocr_pdf(data: bytes, numbers: list[int]) -> SourceDocument:
    from .ocr_reader import NO_OCR, ocr_available, ocr_document, render_pdf_pages

    what = "该 PDF 没有文字层（是扫描件或图片）"
    if not ocr_available():
        raise NoticeReadError(NO_OCR.format(what=what))
    try:
        images = render_pdf_pages(data, numbers)
    except Exception as exc:
        raise NoticeReadError(DAMAGED) from exc
    doc = ocr_document(images, what)
    doc.kind = "pdf"
    return doc
