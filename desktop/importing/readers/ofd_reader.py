"""OFD notices (GB/T 33190, the national fixed-layout format e-government systems issue 公文 in).

ofdkit (Apache-2.0, pure Python, pinned: it is alpha) opens the package and gives every text run with
its position, template pages included; it refuses XML with a DTD or entity declarations (no XXE, no
entity expansion) and bounds the size of each part. This module keeps ofdkit behind the reader
interface: the runs become ``positioned.Piece``s and are laid out like a PDF's characters (lines in
reading order, tables rebuilt from run positions, page numbers dropped).

Before anything is parsed the archive guard checks the zip (bombs), and the reader refuses what no
real notice is: more than ``MAX_PAGES`` pages, a page holding more text than a page can
(``MAX_PAGE_CHARS``), or a page whose text lies mostly outside it.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import NoticeReadError
from ..model import SourceDocument
from .positioned import Page, Piece, layout_blocks

MAX_PAGES = 1000
MAX_PAGE_CHARS = 20_000  # a dense A4 page of 5-point text holds about 12,000 characters
MAX_PAGE_RUNS = 20_000
MAX_DOC_CHARS = 2_000_000
OFF_PAGE_MARGIN = 5.0  # mm a run may stick out of the page box and still be on it
DAMAGED = "无法读取文件：该文件不是有效的 .ofd（可能已损坏）。请重新下载或导出 OFD，或向发文单位索取 .docx 原文。"
HOSTILE = ("无法读取文件：该 .ofd 文件{why}，可能已损坏或是恶意文件，已拒绝读取。"
           "请向发文单位索取正常的文件或 .docx 原文。")


def _refuse(why: str) -> NoticeReadError:
    return NoticeReadError(HOSTILE.format(why=why))


def _pieces(page) -> list[Piece]:
    x0, y0, width, height = page.box
    runs = page.runs
    if len(runs) > MAX_PAGE_RUNS:
        raise _refuse(f"第 {page.index + 1} 页有 {len(runs)} 段文字，远超一页所能容纳")
    chars = sum(len(r.text) for r in runs)
    if chars > MAX_PAGE_CHARS:
        raise _refuse(f"第 {page.index + 1} 页有 {chars} 个字，远超一页所能容纳")
    out, outside = [], 0
    for r in runs:
        if not r.text.strip():
            continue
        size = r.size if r.size > 0 else 3.5
        if not (x0 - OFF_PAGE_MARGIN <= r.x <= x0 + width + OFF_PAGE_MARGIN
                and y0 - OFF_PAGE_MARGIN <= r.y <= y0 + height + OFF_PAGE_MARGIN):
            outside += len(r.text)
            continue
        width_est = r.width if r.width > 0 else size * len(r.text)
        out.append(Piece(r.x - x0, r.x - x0 + width_est, r.y - y0 - 0.86 * size, r.y - y0 + 0.14 * size, r.text))
    if outside > 200 and outside > chars // 2:
        raise _refuse(f"第 {page.index + 1} 页的文字大多排在页面之外（{outside} 个字）")
    return out


def read_ofd(data: bytes) -> SourceDocument:
    import ofdkit

    if not data.startswith(b"PK"):
        raise NoticeReadError(DAMAGED)
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise NoticeReadError(DAMAGED) from None
    if not any(n.lstrip("/").lower() == "ofd.xml" for n in names):
        raise NoticeReadError(DAMAGED)
    try:
        doc = ofdkit.open(data)
    except ofdkit.OFDLimitError:
        raise _refuse("含有不允许的 XML 声明（DTD/实体）或超大的部件") from None
    except ofdkit.OFDError:
        raise NoticeReadError(DAMAGED) from None
    try:
        if len(doc.pages) > MAX_PAGES:
            raise _refuse(f"声称有 {len(doc.pages)} 页，远超一份通知的篇幅（最多 {MAX_PAGES} 页）")
        pages: list[Page] = []
        total = 0
        for page in doc.pages:
            try:
                pieces = _pieces(page)
                box = page.box
            except ofdkit.OFDLimitError:
                raise _refuse(f"第 {page.index + 1} 页含有不允许的 XML 声明（DTD/实体）或超大的部件") from None
            except ofdkit.OFDError:
                raise NoticeReadError(DAMAGED) from None
            total += sum(len(p.text) for p in pieces)
            if total > MAX_DOC_CHARS:
                raise _refuse("的文字量远超一份通知")
            pages.append(Page(pieces, box[2], box[3]))
    finally:
        doc.close()
    if sum(len(p.text.strip()) for page in pages for p in page.pieces) == 0:
        raise NoticeReadError("无法读取文件：该 .ofd 文件中没有文字（可能是扫描图片）。请向发文单位索取 .docx 原文。")
    return SourceDocument(layout_blocks(pages), kind="ofd")
