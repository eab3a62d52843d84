"""Pages of an exported PDF as QImages, through pypdfium2 (PySide6-Essentials has no QtPdf).

``PdfPages`` opens a PDF, tells page sizes (points, as the page is displayed: /Rotate applied) and
renders one page at a given resolution to a QImage that owns its pixels. PDFium is not thread-safe,
so every call into it holds ``PDFIUM_LOCK``. The preview, print preview and printing all draw these
images, so what is shown and printed is exactly the PDF that is exported.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2
from PySide6.QtGui import QImage

PDFIUM_LOCK = threading.RLock()
MAX_PIXELS = 60_000_000  # a guard for absurd zooms: ~240 MB of RGBX


class PdfPagesError(Exception):
    """The PDF could not be opened or read."""


class PdfPages:
    """An open PDF document; ``close()`` it (or use ``with``) so the file can be deleted on Windows."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with PDFIUM_LOCK:
            try:
                self._doc = pypdfium2.PdfDocument(str(self.path))
                self._sizes = [self._page_size(i) for i in range(len(self._doc))]
                self.title = (self._doc.get_metadata_value("Title") or "").strip()
            except (pypdfium2.PdfiumError, OSError) as e:
                raise PdfPagesError(f"无法读取 PDF：{self.path.name}（{e}）") from None

    def _page_size(self, index: int) -> tuple[float, float]:
        page = self._doc[index]
        try:
            w, h = page.get_size()
            if page.get_rotation() % 180:
                w, h = h, w
            return float(w), float(h)
        finally:
            page.close()

    def __len__(self) -> int:
        return len(self._sizes)

    @property
    def page_count(self) -> int:
        return len(self._sizes)

    def page_size(self, index: int) -> tuple[float, float]:
        """Width and height of page ``index`` (0-based) in points, as displayed."""
        return self._sizes[index]

    def is_landscape(self, index: int) -> bool:
        w, h = self._sizes[index]
        return w > h

    def is_mixed(self) -> bool:
        """Both portrait and landscape pages (printing then needs per-page orientation or rotation)."""
        return len({self.is_landscape(i) for i in range(len(self))}) > 1

    def render(self, index: int, dpi: float) -> QImage:
        """Page ``index`` at ``dpi`` dots per inch, white background, as an RGBX QImage."""
        w, h = self._sizes[index]
        scale = dpi / 72.0
        while (w * scale) * (h * scale) > MAX_PIXELS:
            scale *= 0.8
        with PDFIUM_LOCK:
            if self._doc is None:
                raise PdfPagesError("PDF 已关闭。")
            page = self._doc[index]
            try:
                bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
                try:
                    fmt = QImage.Format.Format_RGBX8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888
                    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
                finally:
                    bitmap.close()
            finally:
                page.close()
        image.setDotsPerMeterX(round(scale * 72 / 0.0254))
        image.setDotsPerMeterY(round(scale * 72 / 0.0254))
        return image

    def close(self) -> None:
        with PDFIUM_LOCK:
            if self._doc is not None:
                self._doc.close()
                self._doc = None

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
