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
