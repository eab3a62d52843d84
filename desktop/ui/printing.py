"""Printing an exported PDF: the very pages of the PDF, rendered at the printer's resolution and painted page by page.

``print_pdf(printer, pages)`` honours the print dialog's page range, page order and copies. Landscape
pages either switch the paper orientation for that page (set on the printer before ``newPage()``; only
Qt's PDF engine — PDF files, CUPS — can do this mid-job: Qt refuses layout changes on an active Windows
printer and in print preview) or, with
``rotate_landscape``, are turned onto portrait paper. The rotation is always the same one, the one
GB/T 9704-2012 clause 8 prescribes: the table head towards the binding edge (left) of the sheet, i.e.
the landscape page is the portrait sheet turned 90° clockwise (``layout.LANDSCAPE``) — so on a duplex
printer every rotated page, front or back, reads the same way. Mixed portrait/landscape documents
printed on a real printer are therefore always rotated.

``PrintHelper`` wires this to QPrintDialog and QPrintPreviewDialog for a window. The print preview draws
the pages at the resolution they are shown at (the preview's zoom × the screen's device pixel ratio,
``PreviewSharpener``), not at the printer's: a 300 dpi page image shrunk to a 60–100 dpi preview loses the
thin strokes of the characters, since Qt's smooth scaling samples rather than averages. After a zoom or a
resize the pages are drawn again once the shown resolution has moved away from the drawn one.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMarginsF, QObject, QPointF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import QApplication, QGraphicsView, QProgressDialog, QWidget

from .messages import MessageBridge
from .pdf_pages import PdfPages, PdfPagesError
from .window_fit import fit_to_screen

MAX_PRINT_DPI = 300
MIN_PREVIEW_DPI = 24  # a whole-page overview of many pages; below this the text is unreadable anyway
PREVIEW_REDRAW_OFF = 0.15  # redraw the preview when the shown resolution is this far off the drawn one
ROTATE_OPTION_TEXT = "横向页面旋转到纵向纸张"


class PrintCancelled(Exception):
    """The clerk cancelled printing part way."""


def page_size_of(size_pt: tuple[float, float]) -> QPageSize:
    """The QPageSize (A4 …) of a PDF page of ``size_pt`` points, portrait."""
    w, h = sorted(size_pt)
    return QPageSize(QSizeF(w, h), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)


def page_layout_for(size_pt: tuple[float, float], landscape_paper: bool) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if landscape_paper else QPageLayout.Orientation.Portrait
    layout = QPageLayout(page_size_of(size_pt), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    layout.setMode(QPageLayout.Mode.FullPageMode)
    return layout


def can_switch_orientation(printer: QPrinter) -> bool:
    """Whether the printer takes a new page orientation in the middle of a job: Qt allows it only on its
    PDF engine (PDF files, CUPS on Linux), not on Windows printers nor in print preview."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Pdf


def pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """0-based page indexes the print dialog asked for (range, order); all pages by default."""
    pages = list(range(count))
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        if not ranges.isEmpty():
            pages = [i for i in pages if ranges.contains(i + 1)]
        elif printer.fromPage() > 0:
            last = printer.toPage() if printer.toPage() > 0 else count
            pages = [i for i in pages if printer.fromPage() <= i + 1 <= last]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages


def sheet_layouts(pages: PdfPages, indexes: list[int], rotate_landscape: bool,
                  switchable: bool) -> list[tuple[bool, bool]]:
    """Per page: (paper is landscape, page is rotated onto portrait paper)."""
    landscape = [pages.is_landscape(i) for i in indexes]
    if rotate_landscape or (not switchable and len(set(landscape)) > 1):
        return [(False, ls) for ls in landscape]
    return [(ls, False) for ls in landscape]


def is_preview(printer: QPrinter) -> bool:
    """Whether ``printer`` is painting a print preview (Qt records the pages as pictures) rather than printing."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def preview_dpi(view_scale: float, printer_dpi: float, ratio: float) -> float:
    """Device pixels per inch of a page a print preview shows at ``view_scale`` (screen pixels per printer
    pixel) on a screen of device pixel ratio ``ratio``: the resolution to draw its pages at."""
    return max(MIN_PREVIEW_DPI, min(MAX_PRINT_DPI, view_scale * printer_dpi * ratio))


def print_pdf(printer: QPrinter, pages: PdfPages, *, rotate_landscape: bool = False,
              switchable: bool | None = None, progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None, dpi: float | None = None) -> int:
    """Print ``pages`` on ``printer`` (already set up by a print dialog or the caller); returns sheets printed.

    ``switchable``: whether the paper orientation may change between pages (default: PDF output only).
    ``dpi``: the resolution the pages are rendered at (default: the printer's, at most ``MAX_PRINT_DPI``).
    Raises ``PrintCancelled`` when ``cancel()`` turns True (the job is aborted), ``PdfPagesError`` when a
    page cannot be rendered, ``OSError`` when the printer cannot be opened.
    """
    indexes = pages_to_print(printer, pages.page_count)
    if not indexes:
        return 0
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    indexes = indexes * copies if printer.collateCopies() or copies == 1 else [i for i in indexes for _ in range(copies)]
    if switchable is None:
        switchable = can_switch_orientation(printer)
    layouts = sheet_layouts(pages, indexes, rotate_landscape, switchable)
    dpi = dpi if dpi is not None else min(MAX_PRINT_DPI, printer.resolution())
    printer.setFullPage(True)
    printer.setPageLayout(page_layout_for(pages.page_size(indexes[0]), layouts[0][0]))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印：打印机不可用，或无法写入打印输出文件。")
    done = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for n, (index, (landscape_paper, rotated)) in enumerate(zip(indexes, layouts, strict=True)):
            if cancel is not None and cancel():
                printer.abort()
                raise PrintCancelled
            if n:
                if printer.pageLayout().orientation() != page_layout_for(
                        pages.page_size(index), landscape_paper).orientation():
                    printer.setPageLayout(page_layout_for(pages.page_size(index), landscape_paper))
                printer.newPage()
            _paint_page(painter, printer, pages, index, dpi, rotated)
            done += 1
            if progress is not None:
                progress(done, len(indexes))
    finally:
        if painter.isActive():
            painter.end()
    return done


def _paint_page(painter: QPainter, printer: QPrinter, pages: PdfPages, index: int, dpi: float,
                rotated: bool) -> None:
    image = pages.render(index, dpi)
    paper = printer.pageLayout().fullRectPixels(printer.resolution())
    target_w, target_h = float(paper.width()), float(paper.height())
    painter.save()
    if rotated:
        # the landscape page's top edge → the sheet's left (binding) edge: content turned 90° anticlockwise
        painter.translate(QPointF(0, target_h))
        painter.rotate(-90)
        target_w, target_h = target_h, target_w
    painter.drawImage(QRectF(0, 0, target_w, target_h), image)
    painter.restore()


class PrintHelper(QObject):
    """Print / print preview of one PDF file for a parent widget; errors go to the MessageBridge."""

    def __init__(self, parent: QWidget, messages: MessageBridge) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.messages = messages
        self.printer: QPrinter | None = None  # kept so the dialog remembers the chosen printer

    def _printer(self, pages: PdfPages) -> QPrinter:
        if self.printer is None:
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self.printer.setDocName(pages.title or Path(pages.path).stem)
        landscape = all(pages.is_landscape(i) for i in range(pages.page_count))
        self.printer.setPageLayout(page_layout_for(pages.page_size(0), landscape))
        return self.printer

    def print_dialog(self, pages: PdfPages, rotate_landscape: bool) -> bool:
        """QPrintDialog, then print; True when something was printed."""
        printer = self._printer(pages)
        dialog = QPrintDialog(printer, self.parent_widget)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, pages.page_count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        return self.run(printer, pages, rotate_landscape)

    def run(self, printer: QPrinter, pages: PdfPages, rotate_landscape: bool) -> bool:
        """Print with a progress window and 取消; report failures in Chinese."""
        progress = QProgressDialog("正在打印…", "取消", 0, pages.page_count, self.parent_widget)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def step(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            QApplication.processEvents()

        try:
            print_pdf(printer, pages, rotate_landscape=rotate_landscape, progress=step,
                      cancel=progress.wasCanceled)
        except PrintCancelled:
            self.messages.info("已取消打印。", "打印")
            return False
        except (OSError, PdfPagesError) as e:
            self.messages.error(f"打印失败：{e}", "打印")
            return False
        finally:
            progress.close()
            progress.deleteLater()
        return True

    def preview_dialog(self, pages: PdfPages, rotate_landscape: bool) -> QPrintPreviewDialog:
        """Qt's print preview of exactly what 打印 will print (the same paint routine, the pages drawn at the
        resolution they are shown at); returns it, shown. Its 打印 button prints at the printer's resolution."""
        printer = self._printer(pages)
        dialog = QPrintPreviewDialog(printer, self.parent_widget)
        dialog.setWindowTitle("打印预览")
        fit_to_screen(dialog, 1000, 760, key="printPreview")
        sharpener = PreviewSharpener(dialog, self.parent_widget.devicePixelRatioF())

        def paint(p: QPrinter) -> None:
            try:
                if is_preview(p):
                    print_pdf(p, pages, rotate_landscape=rotate_landscape, dpi=sharpener.drawing(p, pages))
                else:
                    print_pdf(p, pages, rotate_landscape=rotate_landscape)
            except (OSError, PdfPagesError, PrintCancelled) as e:
                self.messages.error(f"无法生成打印预览：{e}", "打印预览")

        dialog.paintRequested.connect(paint)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


class PreviewSharpener(QObject):
    """Keeps a QPrintPreviewDialog's page images at the resolution they are shown at.

    ``drawing(printer, pages)`` (from the dialog's paint) says the resolution to draw at: the shown one once
    the preview is on screen, before that an estimate for the whole first page in the dialog. Each paint of
    the preview's view compares its scale with the drawn resolution; when they are more than
    ``PREVIEW_REDRAW_OFF`` apart (zoom, resize), the preview is drawn again a moment later. ``drawn_dpi`` and
    ``draws`` tell what was drawn (tests)."""

    def __init__(self, dialog: QPrintPreviewDialog, ratio: float = 1.0, delay_ms: int = 250) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.ratio = ratio or 1.0
        self.widget = dialog.findChild(QPrintPreviewWidget)
        self.view = self.widget.findChild(QGraphicsView) if self.widget is not None else None
        self.drawn_dpi: float | None = None
        self.draws = 0
        self._printer_dpi = 0
        self._timer = QTimer(self, singleShot=True, interval=delay_ms, timeout=self._redraw)
        if self.view is not None:
            self.view.viewport().installEventFilter(self)

    def device_ratio(self) -> float:
        return (self.view.devicePixelRatioF() if self.view is not None else 0.0) or self.ratio

    def shown_dpi(self) -> float | None:
        """The resolution the preview shows its pages at now (None until it is on screen)."""
        if self.view is None or not self.view.isVisible() or not self._printer_dpi:
            return None
        t = self.view.transform()
        scale = math.hypot(t.m11(), t.m12())
        if scale <= 0:
            return None
        return preview_dpi(scale, self._printer_dpi, self.device_ratio())

    def _estimate(self, pages: PdfPages) -> float:
        """Before the preview is shown: the first page fitted into the dialog (Qt's default zoom)."""
        w_pt, h_pt = pages.page_size(0) if pages.page_count else (595.0, 842.0)
        room_w = max(200, self.dialog.width() - 60)
        room_h = max(200, self.dialog.height() - 110)
        inches = min(room_w / (w_pt / 72.0), room_h / (h_pt / 72.0))
        return max(MIN_PREVIEW_DPI, min(MAX_PRINT_DPI, inches * self.ratio))

    def drawing(self, printer: QPrinter, pages: PdfPages) -> float:
        self._printer_dpi = printer.resolution()
        dpi = self.shown_dpi() or self._estimate(pages)
        self.drawn_dpi = dpi
        self.draws += 1
        return dpi

    def is_off(self) -> bool:
        """Whether the shown resolution has moved too far from the drawn one."""
        shown = self.shown_dpi()
        return shown is not None and bool(self.drawn_dpi) and abs(shown / self.drawn_dpi - 1) > PREVIEW_REDRAW_OFF

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self.is_off():
            self._timer.start()
        return False

    def _redraw(self) -> None:
        if self.widget is not None and self.is_off():
            self.widget.updatePreview()
