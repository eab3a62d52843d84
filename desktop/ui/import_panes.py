"""The panes of the import window's review page: on the left the notice's text (the current task's source
highlighted), the tables with the clerk's column roles (``TableGridPanel``) and, for a scan read by OCR,
the page images; on the right the proposed table with its toolbar above the detail panel. And which
proposed rows the parser was not sure of (marked in the table).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSplitter, QTabWidget, QTextEdit, QVBoxLayout, QWidget

from desktop.importing.model import DOUBTFUL

SOURCE_HINT = "选中任务时高亮其出处；选中文字后右键可新建任务、设为单位或时限。"
HIGHLIGHT = "#fff2a8"


def page_images_view(images: list[bytes]) -> QWidget:
    """The scanned pages (PNG) one under the other, scrollable."""
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QScrollArea

    box = QWidget()
    column = QVBoxLayout(box)
    for data in images:
        pixmap = QPixmap()
        pixmap.loadFromData(data, "PNG")
        label = QLabel()
        label.setPixmap(pixmap.scaledToWidth(min(pixmap.width(), 900), Qt.TransformationMode.SmoothTransformation))
        column.addWidget(label)
    area = QScrollArea()
    area.setObjectName("pageImages")
    area.setWidget(box)
    return area


def doubtful_rows(parsed, rows) -> dict[int, str]:
    """Scratch task id → the parser's evidence, for the tasks it was not sure of (matched by source span)."""
    by_span = {tuple(t.source_span): t for t in parsed.tasks if t.confidence < DOUBTFUL}
    out: dict[int, str] = {}
    for r in rows:
        t = by_span.get((r.source_start, r.source_end))
        if t is not None:
            out[r.id] = "；".join(t.evidence)
    return out


def show_warnings(box, warnings: list[str]) -> None:
    """The reading's warnings in the list above the table (hidden when there are none)."""
    box.clear()
    for w in warnings:
        box.addItem(f"请检查：{w}")
    box.setVisible(bool(warnings))


def source_view(text: str) -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setObjectName("importSource")
    return view


def source_tabs(view: QPlainTextEdit, grid_panel: QWidget, has_tables: bool, images: list[bytes]) -> QTabWidget:
    """通知原文 (with its hint), 表格（指定各列） (enabled when the notice has tables) and the page images."""
    left = QWidget()
    lb = QVBoxLayout(left)
    lb.setContentsMargins(0, 0, 0, 0)
    hint = QLabel(SOURCE_HINT)
    hint.setWordWrap(True)
    lb.addWidget(hint)
    lb.addWidget(view, 1)
    tabs = QTabWidget()
    tabs.setObjectName("importLeftTabs")
    tabs.addTab(left, "通知原文")
    tabs.addTab(grid_panel, "表格（指定各列）")
    tabs.setTabEnabled(1, has_tables)
    if images:  # read by OCR: the page beside the text, to check every task against it
        tabs.addTab(page_images_view(images), "页面图像（OCR 识别，请核对）")
    return tabs


def review_split(left: QWidget, toolbar: QWidget, view: QWidget, panel: QWidget) -> QSplitter:
    """``left`` beside the table (its toolbar above it, the detail panel below); the table gets the room."""
    right = QSplitter(Qt.Orientation.Vertical)
    table_box = QWidget()
    tb = QVBoxLayout(table_box)
    tb.setContentsMargins(0, 0, 0, 0)
    tb.addWidget(toolbar)
    tb.addWidget(view, 1)
    right.addWidget(table_box)
    right.addWidget(panel)
    right.setStretchFactor(0, 3)
    right.setStretchFactor(1, 1)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(left)
    split.addWidget(right)
    split.setStretchFactor(0, 2)
    split.setStretchFactor(1, 3)
    split.setSizes([420, 780])  # the proposed table needs the room: its 具体内容 column stretches
    return split


def highlight_span(view: QPlainTextEdit, start: int | None, end: int | None, length: int) -> None:
    """Mark ``start:end`` of the text (``length`` characters long) and scroll it to the middle; no span
    clears the mark."""
    if start is None or end is None or end <= start:
        view.setExtraSelections([])
        return
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
    mark = QTextEdit.ExtraSelection()
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(HIGHLIGHT))
    mark.format = fmt
    mark.cursor = cursor
    view.setExtraSelections([mark])
    view_cursor = QTextCursor(view.document())
    view_cursor.setPosition(start)
    view.setTextCursor(view_cursor)
    view.centerCursor()


def highlighted_text(view: QPlainTextEdit) -> str:
    marks = view.extraSelections()
    return marks[0].cursor.selectedText() if marks else ""
