"""The preview pane: one page of a PDF at a time, with page navigation and zoom.

Pages are rendered on demand (only the page on screen, at the zoom and the screen's device pixel ratio —
a 150% or 200% display gets 1.5× or 2× the pixels, drawn again when the window moves to another screen),
so a 200-page table previews as fast as a one-page report. The pane does not own the PDF's file:
``set_pages`` hands it an open ``PdfPages`` and takes back (closes) the previous one.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .pdf_pages import PdfPages, PdfPagesError

FIT_WIDTH, FIT_PAGE = "width", "page"
ZOOMS = [("整页", FIT_PAGE), ("适合宽度", FIT_WIDTH), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0),
         ("125%", 1.25), ("150%", 1.5), ("200%", 2.0)]
SCREEN_DPI = 96.0


class PdfPreview(QWidget):
    """Shows ``PdfPages`` page by page. ``page_changed(index)`` fires when the shown page changes."""

    page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: PdfPages | None = None
        self.current = 0

        self.prev_button = QToolButton()
        self.prev_button.setText("◀ 上一页")
        self.prev_button.setToolTip("上一页（PgUp）")
        self.prev_button.clicked.connect(lambda: self.show_page(self.current - 1))
        self.next_button = QToolButton()
        self.next_button.setText("下一页 ▶")
        self.next_button.setToolTip("下一页（PgDn）")
        self.next_button.clicked.connect(lambda: self.show_page(self.current + 1))
        self.page_spin = QSpinBox()
        self.page_spin.setRange(0, 0)
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.valueChanged.connect(lambda v: self.show_page(v - 1))
        self.count_label = QLabel("/ 0 页")
        self.zoom_combo = QComboBox()
        for text, value in ZOOMS:
            self.zoom_combo.addItem(text, value)
        self.zoom_combo.setToolTip("缩放")
        self.zoom_combo.currentIndexChanged.connect(lambda _i: self._render())

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.prev_button)
        bar.addWidget(QLabel("第"))
        bar.addWidget(self.page_spin)
        bar.addWidget(self.count_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("缩放"))
        bar.addWidget(self.zoom_combo)

        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setObjectName("previewPage")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page_label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setStyleSheet("QScrollArea { background: #8a8f96; } QLabel#previewPage { background: #8a8f96; }")
        self.scroll.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        for keys, step in ((QKeySequence.StandardKey.MoveToPreviousPage, -1),
                           (QKeySequence.StandardKey.MoveToNextPage, 1)):
            QShortcut(keys, self, activated=lambda s=step: self.show_page(self.current + s),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._resize_timer = QTimer(self, singleShot=True, interval=60, timeout=self._render)
        self.set_message("")
        self._update_controls()

    # --- content ----------------------------------------------------------------------------------
    def set_pages(self, pages: PdfPages | None) -> None:
        """Show ``pages`` (keeping the page number where possible); closes the previously shown PDF."""
        old, self.pages = self.pages, pages
        if old is not None and old is not pages:
            old.close()
        count = pages.page_count if pages is not None else 0
        self.current = min(self.current, max(0, count - 1))
        self._update_controls()
        self._render()

    def set_message(self, text: str) -> None:
        """Show ``text`` instead of a page (no document yet, an error…)."""
        self.page_label.setPixmap(QPixmap())
        self.page_label.setText(text)
        self.page_label.setStyleSheet("color: white; font-size: 14px;")

    def page_count(self) -> int:
        return self.pages.page_count if self.pages is not None else 0

    def show_page(self, index: int) -> None:
        if not self.page_count():
            return
        index = max(0, min(index, self.page_count() - 1))
        if index == self.current and not self.page_label.pixmap().isNull():
            self._update_controls()
            return
        self.current = index
        self._update_controls()
        self._render()
        self.scroll.verticalScrollBar().setValue(0)
        self.page_changed.emit(index)

    def _update_controls(self) -> None:
        n = self.page_count()
        self.page_spin.blockSignals(True)
        self.page_spin.setRange(1 if n else 0, max(n, 0))
        self.page_spin.setValue(self.current + 1 if n else 0)
        self.page_spin.blockSignals(False)
        self.count_label.setText(f"/ {n} 页")
        self.prev_button.setEnabled(n > 0 and self.current > 0)
        self.next_button.setEnabled(n > 0 and self.current < n - 1)
        self.page_spin.setEnabled(n > 1)

    # --- rendering -------------------------------------------------------------------------------
    def zoom_dpi(self) -> float:
        """Screen dots per inch of the shown page at the chosen zoom."""
        value = self.zoom_combo.currentData()
        if self.pages is None or not isinstance(value, str):
            return SCREEN_DPI * float(value or 1.0)
        w, h = self.pages.page_size(self.current)
        vp = self.scroll.viewport().size()
        avail_w, avail_h = max(50, vp.width() - 24), max(50, vp.height() - 24)
        dpi_w = avail_w / (w / 72.0)
        return dpi_w if value == FIT_WIDTH else min(dpi_w, avail_h / (h / 72.0))

    def _render(self) -> None:
        if self.pages is None or not self.pages.page_count:
            return
        ratio = self.devicePixelRatioF() or 1.0
        try:
            image = self.pages.render(self.current, self.zoom_dpi() * ratio)
        except PdfPagesError as e:
            self.set_message(str(e))
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page_label.setStyleSheet("")
        self.page_label.setText("")
        self.page_label.setPixmap(pixmap)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if obj is self.scroll.viewport() and event.type() == QEvent.Type.Resize \
                and isinstance(self.zoom_combo.currentData(), str):
            self._resize_timer.start()
        return super().eventFilter(obj, event)

    def event(self, event) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self._render()  # moved to a screen with another scaling: as many pixels as it shows
        return super().event(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.set_pages(None)
        super().closeEvent(event)
