"""Printing: the PDF's own pages through QPrinter (PDF output), orientation per page or rotated, page ranges."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QImage, QTransform
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from desktop.documents import export
from desktop.documents.report import ReportInfo
from desktop.ui.pdf_pages import PdfPages
from desktop.ui.printing import pages_to_print, print_pdf

TODAY = dt.date(2024, 7, 1)


def pdf_printer(out: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return printer


def orientations(path: Path) -> list[str]:
    out = []
    for page in PdfReader(str(path)).pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        if page.get("/Rotate", 0) % 180:
            w, h = h, w
        out.append("L" if w > h else "P")
    return out


@pytest.fixture
def table_pdf(ledger, notice_id, tmp_path) -> Path:
    out = tmp_path / "table.pdf"
    export("table", ledger.notice(notice_id), ledger.tasks(notice_id), "pdf", out, today=TODAY)
    return out


@pytest.fixture
def mixed_pdf(ledger, notice_id, tmp_path) -> Path:
    """落实情况报告 (portrait) with the 汇总表 as a landscape 附件."""
    out = tmp_path / "report.pdf"
    export("report", ledger.notice(notice_id), ledger.tasks(notice_id), "pdf", out, today=TODAY,
           report=ReportInfo(attachment=True, signer="某某镇人民政府"))
    assert len(set(orientations(out))) == 2
    return out


def test_landscape_table_prints_landscape_pages(qapp, table_pdf, tmp_path):
    printed = tmp_path / "printed.pdf"
    with PdfPages(table_pdf) as pages:
        assert print_pdf(pdf_printer(printed), pages) == pages.page_count
    assert orientations(printed) == orientations(table_pdf) == ["L"] * len(PdfReader(str(table_pdf)).pages)


def test_mixed_document_switches_orientation_per_page(qapp, mixed_pdf, tmp_path):
    printed = tmp_path / "printed.pdf"
    with PdfPages(mixed_pdf) as pages:
        assert pages.is_mixed()
        print_pdf(pdf_printer(printed), pages, rotate_landscape=False)
    assert orientations(printed) == orientations(mixed_pdf)


def gray(image: QImage, w: int = 90, h: int = 64) -> list[int]:
    small = image.convertToFormat(QImage.Format.Format_Grayscale8).scaled(w, h)
    return [small.pixelColor(x, y).value() for y in range(h) for x in range(w)]


def difference(a: QImage, b: QImage) -> float:
    ga, gb = gray(a), gray(b)
    return sum(abs(x - y) for x, y in zip(ga, gb, strict=True)) / len(ga)


def test_rotate_option_puts_landscape_pages_on_portrait_paper_one_way(qapp, mixed_pdf, tmp_path):
    printed = tmp_path / "rotated.pdf"
    with PdfPages(mixed_pdf) as pages:
        print_pdf(pdf_printer(printed), pages, rotate_landscape=True)
        source = [pages.render(i, 30) for i in range(pages.page_count)]
        kinds = orientations(mixed_pdf)
    assert orientations(printed) == ["P"] * len(kinds)
    with PdfPages(printed) as out:
        for i, kind in enumerate(kinds):
            if kind != "L":
                continue
            sheet = out.render(i, 30)
            # the landscape page's top went to the sheet's left: turning the sheet clockwise restores it
            back = sheet.transformed(QTransform().rotate(90))
            wrong = sheet.transformed(QTransform().rotate(-90))
            assert difference(back, source[i]) < 0.75 * difference(wrong, source[i])


def test_page_range_and_order_are_honoured(qapp, mixed_pdf, tmp_path):
    printed = tmp_path / "range.pdf"
    printer = pdf_printer(printed)
    with PdfPages(mixed_pdf) as pages:
        n = pages.page_count
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(n, n)
        assert pages_to_print(printer, n) == [n - 1]
        assert print_pdf(printer, pages) == 1
    assert orientations(printed) == [orientations(mixed_pdf)[-1]]
    printer.setFromTo(1, 2)
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert pages_to_print(printer, n) == [1, 0]
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    assert pages_to_print(printer, 3) == [2, 1, 0]


def test_dialog_print_preview_and_rotate_default(qtbot, qtlog, make_window, notice_id, messages):
    from desktop.ui.export_dialog import ExportDialog

    w = make_window()
    dlg = w.export_document(print_mode=True)
    assert isinstance(dlg, ExportDialog)
    with qtbot.waitSignal(dlg.preview_ready, timeout=20000):
        dlg.start_preview()
    assert not dlg.rotate_check.isChecked()  # all landscape: the printer turns the paper instead
    dlg.set_kind("report")
    dlg.report_editor.fields["attachment"].widget.setChecked(True)
    with qtbot.waitSignal(dlg.preview_ready, timeout=20000):
        dlg.start_preview()
    assert dlg.preview.pages.is_mixed() and dlg.rotate_check.isChecked()
    preview = dlg.print_preview()
    assert isinstance(preview, QPrintPreviewDialog)
    qtbot.waitUntil(preview.isVisible)
    preview.close()
    # unrotated mixed pages in preview: Qt cannot turn the paper mid-job there, so pages are rotated instead
    dlg.rotate_check.setChecked(False)
    preview = dlg.print_preview()
    qtbot.waitUntil(preview.isVisible)
    preview.close()
    assert not [r for r in qtlog.records if "setPageLayout" in r.message]
    assert not [m for m in messages.log if m[0] == "error"]


def test_page_images_follow_the_requested_resolution(qapp, table_pdf):
    with PdfPages(table_pdf) as pages:
        w_pt, h_pt = pages.page_size(0)
        for dpi in (72, 96, 150, 300):
            image = pages.render(0, dpi)
            assert abs(image.width() - w_pt / 72 * dpi) <= 1 and abs(image.height() - h_pt / 72 * dpi) <= 1
            assert abs(image.dotsPerMeterX() * 0.0254 - dpi) < 1


def test_export_preview_follows_the_screens_device_pixel_ratio(qtbot, table_pdf, monkeypatch):
    from desktop.ui.pdf_preview import SCREEN_DPI, PdfPreview

    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.zoom_combo.setCurrentIndex(preview.zoom_combo.findText("100%"))
    preview.set_pages(PdfPages(table_pdf))
    pages = preview.pages
    w_pt, _h = pages.page_size(0)
    logical = w_pt / 72 * SCREEN_DPI
    rendered = []
    real_render = pages.render
    monkeypatch.setattr(pages, "render", lambda i, dpi: rendered.append(real_render(i, dpi)) or rendered[-1])
    for ratio in (1.0, 1.5, 2.0):  # 100%, 150% and 200% display scaling
        monkeypatch.setattr(preview, "devicePixelRatioF", lambda r=ratio: r)
        preview._render()
        image = rendered[-1]
        assert abs(image.width() - logical * ratio) <= 1  # device pixels: sharp on a high-DPI screen
    # (QLabel.pixmap() gives the pixmap for the offscreen screen's own ratio, 1, so the images are checked)
    preview.set_pages(None)


def test_preview_dpi_is_the_shown_resolution():
    from desktop.ui.printing import MAX_PRINT_DPI, MIN_PREVIEW_DPI, preview_dpi

    assert preview_dpi(0.05, 1200, 1.0) == pytest.approx(60)
    assert preview_dpi(0.05, 1200, 2.0) == pytest.approx(120)  # device pixel ratio 2: twice the pixels
    assert preview_dpi(1.0, 1200, 1.0) == MAX_PRINT_DPI and preview_dpi(0.001, 1200, 1.0) == MIN_PREVIEW_DPI


def test_print_preview_draws_pages_at_the_shown_resolution(qtbot, make_window, notice_id, monkeypatch, tmp_path):
    """Not a 300 dpi print image shrunk by the preview (which breaks the strokes of the characters): the
    pages are drawn at the preview's zoom × device pixel ratio, and again after zooming; 打印 stays at the
    printer's resolution."""
    from desktop.ui.printing import MAX_PRINT_DPI, PREVIEW_REDRAW_OFF, PreviewSharpener

    w = make_window()
    dlg = w.export_document()
    with qtbot.waitSignal(dlg.preview_ready, timeout=20000):
        dlg.start_preview()
    pages = dlg.preview.pages
    rendered: list[tuple[float, int]] = []
    real_render = pages.render

    def render(index, dpi):
        image = real_render(index, dpi)
        rendered.append((dpi, image.width()))
        return image

    monkeypatch.setattr(pages, "render", render)
    preview = dlg.print_preview()
    sharp = preview.findChild(PreviewSharpener)
    qtbot.waitUntil(lambda: sharp.shown_dpi() is not None and not sharp.is_off() and not sharp._timer.isActive(),
                    timeout=10000)

    def settled_near(dpi: float) -> bool:
        return abs(sharp.drawn_dpi / dpi - 1) <= PREVIEW_REDRAW_OFF and not sharp._timer.isActive()

    first = sharp.drawn_dpi
    assert first < MAX_PRINT_DPI / 2  # a page fitted into the preview window: far below the printer's dpi
    assert abs(sharp.shown_dpi() / first - 1) <= PREVIEW_REDRAW_OFF
    w_pt, _h = pages.page_size(0)
    dpi, width = rendered[-1]
    assert dpi == sharp.drawn_dpi and abs(width - w_pt / 72 * dpi) <= 1  # the image's pixels follow the dpi

    widget = sharp.widget
    widget.setZoomFactor(widget.zoomFactor() * 2)  # zoom in: drawn again, at twice the resolution
    qtbot.waitUntil(lambda: settled_near(first * 2), timeout=10000)
    assert rendered[-1][0] == sharp.drawn_dpi

    # a screen at 200%: the same zoom needs twice the device pixels
    before = sharp.drawn_dpi
    monkeypatch.setattr(sharp.view, "devicePixelRatioF", lambda: 2.0)
    sharp.view.viewport().update()
    qtbot.waitUntil(lambda: settled_near(min(MAX_PRINT_DPI, before * 2)), timeout=10000)
    preview.close()

    # printing (not previewing) renders at the printer's resolution
    rendered.clear()
    printer = pdf_printer(tmp_path / "printed.pdf")
    assert print_pdf(printer, pages) == pages.page_count
    assert {dpi for dpi, _w in rendered} == {min(MAX_PRINT_DPI, printer.resolution())}
    dlg.reject()


def test_export_preview_is_drawn_again_on_a_screen_with_another_scaling(qtbot, table_pdf, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QEvent

    from desktop.ui.pdf_preview import PdfPreview

    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.set_pages(PdfPages(table_pdf))
    dpis = []
    real_render = preview.pages.render
    monkeypatch.setattr(preview.pages, "render", lambda i, dpi: dpis.append(dpi) or real_render(i, dpi))
    monkeypatch.setattr(preview, "devicePixelRatioF", lambda: 2.0)
    QCoreApplication.sendEvent(preview, QEvent(QEvent.Type.DevicePixelRatioChange))
    assert dpis and dpis[-1] == preview.zoom_dpi() * 2.0
    preview.set_pages(None)
