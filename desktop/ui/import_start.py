"""The import window's first page: choose a notice file or paste the notice's text (Ctrl+V)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

FILE_FILTER = ("通知文件 (*.docx *.txt *.html *.htm *.mht *.mhtml *.pdf *.ofd *.xlsx *.xls *.et *.doc *.wps "
               "*.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)")
START_HINT = ("选择收到的通知文件（.docx、.txt、网页、PDF、OFD、.xlsx/.xls、扫描件或照片），\n"
              "或复制通知全文后在此按 Ctrl+V 粘贴。")


def start_page(choose: Callable[[], None], paste: Callable[[], None]) -> QWidget:
    """The hint and the two buttons, centred."""
    page = QWidget()
    box = QVBoxLayout(page)
    hint = QLabel(START_HINT)
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    choose_button = QPushButton("选择文件…")
    choose_button.clicked.connect(lambda: choose())
    paste_button = QPushButton("粘贴通知文本（Ctrl+V）")
    paste_button.clicked.connect(lambda: paste())
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(choose_button)
    row.addWidget(paste_button)
    row.addStretch(1)
    box.addStretch(1)
    box.addWidget(hint)
    box.addLayout(row)
    box.addStretch(1)
    return page
