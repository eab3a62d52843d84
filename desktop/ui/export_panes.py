"""The right-hand side and the foot of the 导出公文 dialog: the page preview with its status line, progress
bar, 取消 and 刷新预览 (``PreviewSide``); the green banner that says what was exported, with 打开文件 and
打开文件所在位置 (``ResultBanner``); the row of 打印预览 / 打印 / 导出 / 关闭 buttons (``ButtonRow``); and
where 导出… proposes to save (``default_export_path``, ``ask_export_path``); the one-line answers the
dialog asks for (``ask_notice_title``, ``ask_office_name``).
They show what the dialog tells them and emit the clerk's clicks; the dialog decides.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .export_options import FORMAT_FILTERS, FORMAT_NAMES
from .export_source import safe_file_name
from .pdf_pages import PdfPages
from .pdf_preview import PdfPreview


def ask_text(parent: QWidget, title: str, prompt: str) -> str | None:
    """One line the clerk types (the notice's title, the office's name); None: cancelled or left empty."""
    text, ok = QInputDialog.getText(parent, title, prompt)
    return text.strip() if ok and text.strip() else None


def ask_notice_title(parent: QWidget) -> str | None:
    """The title of a notice stored without one, typed by the clerk (None: cancelled)."""
    return ask_text(parent, "填写通知标题", "这份通知没有读到标题，导出的文档要用它作标题，报告正文也要引用它。\n"
                                          "请输入通知的标题：")


def ask_office_name(parent: QWidget) -> str | None:
    """The office's own name, the report's 署名 (None: cancelled)."""
    return ask_text(parent, "本单位名称", "落实情况报告以本单位名称署名（只需填写一次，以后自动使用）。\n"
                                        "请输入本单位名称：")


def default_export_path(last_dir: str, title: str, fmt: str) -> Path:
    """Where 导出… proposes to write: the folder last exported to (else 文档), a name from the title."""
    folder = last_dir if last_dir and Path(last_dir).is_dir() else \
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(folder) / safe_file_name(title, fmt)


def ask_export_path(parent: QWidget, proposed: Path, fmt: str) -> Path | None:
    """The save dialog for ``fmt`` (its extension added when the clerk left it out); None: cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, "导出公文", str(proposed), FORMAT_FILTERS[fmt])
    if not path:
        return None
    out = Path(path)
    return out if out.suffix.lower() == f".{fmt}" else out.with_name(out.name + f".{fmt}")


class PreviewSide(QWidget):
    """The preview and, under it, the status of the job that makes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = PdfPreview()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setToolTip("停止正在生成的预览或导出")
        self.refresh_button = QPushButton("刷新预览")
        row = QHBoxLayout()
        row.addWidget(self.status_label, 1)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addWidget(self.refresh_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.preview, 1)
        box.addLayout(row)
        self.progress.hide()
        self.cancel_button.hide()
        self.refresh_button.hide()

    def set_running(self, on: bool) -> None:
        """A job runs (an indefinite progress bar and 取消) or none does."""
        if on:
            self.progress.setRange(0, 0)
            self.refresh_button.hide()
        self.progress.setVisible(on)
        self.cancel_button.setVisible(on)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def show_pages(self, pages: PdfPages, rows: int, notes: list[str]) -> None:
        """A new preview of ``rows`` rows; ``notes``: the fonts replaced (in the status line's tooltip)."""
        self.preview.set_pages(pages)
        self.status_label.setToolTip("\n".join(notes))
        self.status_label.setText(f"预览：共 {pages.page_count} 页（{rows} 条任务）。"
                                  + ("本机缺少部分公文字体，已用替代字体显示。" if notes else ""))

    def show_failure(self, error: str) -> None:
        self.preview.set_pages(None)
        self.preview.set_message(error)
        self.status_label.setText("无法生成预览。")
        self.refresh_button.show()

    def show_cancelled(self) -> None:
        self.status_label.setText("已取消预览。更改选项或点“刷新预览”可重新生成。")
        self.refresh_button.show()


class ResultBanner(QFrame):
    """What the last export wrote (and the font notes), with buttons to open it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportBanner")
        self.setStyleSheet("QFrame#exportBanner { background: #eaf5ea; border: 1px solid #9cc79c; "
                           "border-radius: 3px; }")
        self.path: Path | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton("打开文件所在位置")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_file_button = QPushButton("打开文件")
        self.open_file_button.clicked.connect(self.open_file)
        box = QHBoxLayout(self)
        box.addWidget(self.label, 1)
        box.addWidget(self.open_file_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addWidget(self.open_folder_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_result(self, path: Path, pages: int, notes: list[str]) -> None:
        self.path = Path(path)
        lines = [f"已导出：{path}{f'，共 {pages} 页' if pages else ''}。"]
        if notes:
            lines.append("注意（字体）：")
            lines += [f"· {n}" for n in notes]
        self.label.setText("\n".join(lines))
        self.show()

    def open_folder(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))

    def open_file(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))


class ButtonRow(QHBoxLayout):
    """打印预览… 打印… (stretch) 导出… 关闭; the default button is 打印 in print mode, else 导出."""

    def __init__(self, print_mode: bool) -> None:
        super().__init__()
        self.print_preview_button = QPushButton("打印预览…")
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("打印预览中的这份文档（Ctrl+P）")
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("选择保存位置并写出文件")
        self.close_button = QPushButton("关闭")
        (self.print_button if print_mode else self.export_button).setDefault(True)
        self.addWidget(self.print_preview_button)
        self.addWidget(self.print_button)
        self.addStretch(1)
        self.addWidget(self.export_button)
        self.addWidget(self.close_button)

    def update_for(self, can_print: bool, can_export: bool, fmt: str) -> None:
        """打印 and 打印预览 need a current preview; 导出 names the chosen format."""
        self.print_button.setEnabled(can_print)
        self.print_preview_button.setEnabled(can_print)
        self.export_button.setEnabled(can_export)
        self.export_button.setText(f"导出 {FORMAT_NAMES[fmt]}…")
