"""Scanned pages and photos of a notice (.jpg/.png/.tif/.bmp, or a PDF without a text layer) read by OCR.

OCR is an optional extra (``pip install -e '.[ocr]'`` or ``make ocr``): rapidocr-onnxruntime, whose
PP-OCR models come inside its wheel, so nothing is downloaded when it runs. Without it, a clear
Chinese message says how to add it. Each text line the OCR finds becomes a ``Piece`` at its box, so
lines and table cells are laid out by ``positioned`` exactly as a PDF's characters are.

A document read by OCR has ``SourceDocument.ocr = True`` (every task from it is to be checked against
the page) and carries the page images (PNG) for the import window to show beside the text.
"""
from __future__ import annotations

import io
import logging
import threading

from ..errors import NoticeReadError
from ..model import SourceDocument
from .positioned import Page, Piece, layout_blocks

log = logging.getLogger(__name__)

MAX_IMAGE_PAGES = 50  # a multi-page TIFF of more pages is not a notice
MAX_PIXELS = 60_000_000  # about a 600 dpi A3 scan; larger images are refused before decoding
OCR_TIMEOUT_S = 240.0  # the read time limit when pages may go through OCR (a few seconds a page)
OCR_DPI = 200  # PDF pages are rendered at this resolution for OCR
MIN_SCORE = 0.5  # OCR lines recognised with less confidence are dropped
NO_OCR = ("无法读取文件：{what}，识别其中的文字需要离线文字识别（OCR）组件，本机尚未安装。"
          "请由技术人员在程序目录执行 pip install -e '.[ocr]'（或 make ocr）安装，或安装带 OCR 的版本后重新导入；"
          "也可向发文单位索取 .docx 原文。")
NOTHING_READ = ("无法读取文件：{what}，但其中没有识别出文字（可能太模糊、太小或方向不对）。"
                "请重新扫描或拍摄清晰、端正的页面（建议 200 dpi 以上），或向发文单位索取 .docx 原文。")
OCR_NOTE = "本文件的文字由 OCR 从图像识别得到，可能有错字：每一项任务都已标为待核对，请对照原件逐项检查。"

_ENGINE: list = []
_LOCK = threading.Lock()


def ocr_available() -> bool:
    """Whether the OCR extra is installed (without loading it)."""
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def _engine():
    with _LOCK:
        if not _ENGINE:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError:
                return None
            logging.getLogger("RapidOCR").setLevel(logging.WARNING)
            _ENGINE.append(RapidOCR())
        return _ENGINE[0]


def require_engine(what: str):
    engine = _engine() if ocr_available() else None
    if engine is None:
        raise NoticeReadError(NO_OCR.format(what=what))
    return engine


def ocr_page(engine, image) -> Page:
    """The text lines OCR finds on a PIL image, as positioned pieces (pixels)."""
    image = image.convert("RGB")
    result, _ = engine(image, use_cls=False)
    pieces = []
    for box, text, score in result or []:
        if not text or not text.strip() or float(score) < MIN_SCORE:
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        pieces.append(Piece(min(xs), max(xs), min(ys), max(ys), _brackets(text.strip())))
    return Page(pieces, float(image.width), float(image.height))


_HALF = str.maketrans({"(": "（", ")": "）"})


def _brackets(text: str) -> str:
    """OCR reads a Chinese bracket as a half-width one about as often as not, and pairs them at random
    （…); Chinese text brackets with full-width ones, so those are what OCR's brackets become."""
    return text.translate(_HALF)


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def ocr_document(images: list, what: str) -> SourceDocument:
    """OCR of page images (PIL) into a SourceDocument marked ``ocr``."""
    engine = require_engine(what)
    pages = [ocr_page(engine, img) for img in images]
    if sum(len(p.text.strip()) for page in pages for p in page.pieces) < 4:
        raise NoticeReadError(NOTHING_READ.format(what=what))
    blocks = layout_blocks(pages)
    return SourceDocument(blocks, kind="ocr", ocr=True, warnings=[OCR_NOTE],
                          page_images=[_png(img.convert("RGB")) for img in images])


def read_image(data: bytes, suffix: str) -> SourceDocument:
    """A photo or scan of the notice: every frame of a (multi-page) TIFF is a page."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    what = "这是一张图片（照片或扫描件）"
    if not ocr_available():
        raise NoticeReadError(NO_OCR.format(what=what))
    try:
        img = Image.open(io.BytesIO(data))  # reads the header only
        if img.width * img.height > MAX_PIXELS:
            raise Image.DecompressionBombError(f"{img.width}x{img.height}")
        frames = []
        for n in range(getattr(img, "n_frames", 1)):
            if n >= MAX_IMAGE_PAGES:
                raise NoticeReadError(f"无法读取文件：该图片文件有 {img.n_frames} 页，远超一份通知的篇幅。"
                                      "请只扫描通知本身的页面后再导入。")
            img.seek(n)
            frame = ImageOps.exif_transpose(img.copy())  # a phone photo's orientation tag
            frames.append(frame)
    except NoticeReadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NoticeReadError("无法读取文件：该图片的像素尺寸异常巨大，可能已损坏或是恶意文件，已拒绝读取。"
                              "请把页面重新扫描为普通分辨率（200–300 dpi）的图片后再导入。") from None
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError):
        raise NoticeReadError(f"无法读取文件：该文件不是有效的图片（{suffix or '未知格式'}，可能已损坏）。"
                              "请重新扫描或拍摄后导入 .jpg、.png 或 .tif 图片。") from None
    doc = ocr_document(frames, what)
    doc.kind = "image"
    return doc


def render_pdf_pages(data: bytes, numbers: list[int]) -> list:
    """The PDF's pages ``numbers`` (0-based) as PIL images at ``OCR_DPI``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for n in numbers:
            page = pdf[n]
            try:
                bitmap = page.render(scale=OCR_DPI / 72)
                out.append(bitmap.to_pil())
            finally:
                page.close()
        return out
    finally:
        pdf.close()
