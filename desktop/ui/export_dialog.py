"""导出公文 dialog: choose the document, format (PDF, Word; Excel for the tables), columns, rows and as-of date;
preview it; export or print it. The preview is the PDF export itself, written to a temporary folder by a worker
(progress bar, 取消) a moment after the options last changed and shown page by page; 打印 and 打印预览 paint that
same PDF. 导出 writes the chosen format in a worker; the result or a Chinese error is shown when it ends. Nothing
here touches the ledger: the window hands over an ``ExportSource`` (notice, rows, filter result, selection).

Parts: ``export_source`` (what is exported), ``export_options`` (the form, remembered), ``export_jobs`` (the
workers), ``export_panes`` (preview side, result banner, buttons); reachable by their old names (``kind_combo``…).
"""
from __future__ import annotations

import dataclasses
import shutil
import tempfile
import weakref
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QSplitter, QVBoxLayout, QWidget

from desktop.notice_titles import has_title
from desktop.settings import EXPORT_LAST_DIR, REPORT_OFFICE, Settings

from . import export_panes as panes
from .export_jobs import EXPORT, PREVIEW, ExportJobs
from .export_options import ExportOptions
from .export_source import ExportSource, safe_file_name, subset_rows  # noqa: F401 - imported from here
from .export_worker import ExportRequest, ExportWorker
from .messages import MessageBridge
from .pdf_pages import PdfPages, PdfPagesError
from .printing import PrintHelper

#: widgets of the parts, reachable from the dialog under these names
_OPTION_WIDGETS = ("kind_combo", "unit_combo", "pdf_radio", "docx_radio", "xlsx_radio", "format_group",
                   "scope_buttons", "scope_group", "column_checks", "date_edit", "rotate_check", "form",
                   "report_group", "report_editor")
_SIDE_WIDGETS = ("preview", "status_label", "progress", "cancel_button", "refresh_button")
_BUTTONS = ("print_preview_button", "print_button", "export_button", "close_button")


class ExportDialog(QDialog):
    """The 导出公文 window over one ``ExportSource``."""

    preview_ready = Signal(int)  # pages
    preview_failed = Signal(str)
    exported = Signal(object)  # ExportResult
    export_failed = Signal(str)
    export_cancelled = Signal()
    title_given = Signal(str)  # the title the clerk typed for a notice stored without one

    def __init__(self, source: ExportSource, messages: MessageBridge, settings: Settings | None = None,
                 parent: QWidget | None = None, *, print_mode: bool = False, preview_delay: int = 350) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("打印公文" if print_mode else "导出公文")
        self.source = source
        self.messages = messages
        self.settings = settings if settings is not None else Settings(None)  # None: remembered nowhere
        self.print_mode = print_mode
        self.printing = PrintHelper(self, messages)
        self._tmp = Path(tempfile.mkdtemp(prefix="noticedesk-preview-"))
        # removed when the dialog is done, and in any case when it is collected or the program ends
        weakref.finalize(self, shutil.rmtree, str(self._tmp), True)
        self.jobs = ExportJobs(self._tmp, self)
        self._version = 0  # bumped on every option change
        self._preview_version = -1  # options the shown preview reflects
        self._preview_paused = False  # the clerk cancelled the preview: wait for the next change
        self._previews = 0
        self.last_result = None  # the last successful export's ExportResult
        self.preview_result = None  # the shown preview's ExportResult (font notes)
        self._title_asked = False  # the preview asks for a missing title once; export asks again

        self._timer = QTimer(self, singleShot=True, interval=preview_delay, timeout=self.start_preview)
        self.options = ExportOptions(source)
        self.options_panel = self.options.panel
        self.side = panes.PreviewSide()
        self.banner = panes.ResultBanner()
        self.banner_label, self.open_folder_button = self.banner.label, self.banner.open_folder_button
        self.buttons = panes.ButtonRow(print_mode)
        for parts, names in ((self.options, _OPTION_WIDGETS), (self.side, _SIDE_WIDGETS), (self.buttons, _BUTTONS)):
            for name in names:
                setattr(self, name, getattr(parts, name))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.options)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([390, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.banner)
        layout.addLayout(self.buttons)
        self._connect()

        self.options.restore(self.settings)
        self.options.show_for_kind()
        self._kind_changed()
        from .window_fit import fit_to_screen

        fit_to_screen(self, 1240, 820)
        self._options_changed()

    def _connect(self) -> None:
        o = self.options
        o.kind_changed.connect(self._kind_changed)
        for follows_rows in (o.scope_changed, o.unit_changed, o.date_changed):
            follows_rows.connect(self._rows_changed)
        o.changed.connect(self._options_changed)
        o.format_changed.connect(self._update_buttons)
        o.report_editor.redraft_requested.connect(self._redraft_clicked)
        self.side.cancel_button.clicked.connect(self.cancel_job)
        self.side.refresh_button.clicked.connect(self._refresh_clicked)
        self.jobs.progressed.connect(self.side.set_progress)
        self.jobs.finished.connect(self._job_done)
        b = self.buttons
        b.print_preview_button.clicked.connect(self.print_preview)
        b.print_button.clicked.connect(self.print_document)
        b.export_button.clicked.connect(self.choose_path_and_export)
        b.close_button.clicked.connect(self.reject)

    # --- the options (ExportOptions) -------------------------------------------------------------
    def kind(self) -> str:
        return self.options.kind()

    def set_kind(self, kind: str) -> None:
        self.options.set_kind(kind)

    def fmt(self) -> str:
        return self.options.fmt()

    def set_format(self, fmt: str) -> None:
        self.options.set_format(fmt)

    def set_scope(self, scope: str) -> None:
        self.options.set_scope(scope)

    def rows(self):
        return self.options.rows()

    def as_of(self):
        return self.options.as_of()

    def request(self, fmt: str, out: Path) -> ExportRequest:
        """The export of the current options as ``fmt`` to ``out``."""
        return self.options.request(self.source.notice, fmt, out, {"version": self._version})

    def _kind_changed(self) -> None:
        if self.kind() == "report" and not self.report_editor.has_draft():
            self.redraft()
        self._options_changed()

    def _rows_changed(self) -> None:
        """Scope, unit or date: the report's draft follows unless the clerk has edited it."""
        if self.kind() == "report" and not self.report_editor.touched:
            self.redraft()
        self._options_changed()

    def redraft(self) -> None:
        """Fill the report editor with a fresh draft for the current rows and date (署名: the reporting unit,
        else the office's own name)."""
        self.options.redraft(self.source.notice, self.office())

    # --- what every document needs: the notice's title, the report's 署名 -------------------------------------
    def ask_title(self) -> str | None:
        """The notice's title, typed by the clerk (None: cancelled)."""
        return panes.ask_notice_title(self)

    def ensure_title(self) -> bool:
        """True when the notice has a title to print; a notice stored without one (or with the placeholder
        "（无标题通知）") gets the one the clerk types now (``title_given``), never a placeholder."""
        if has_title(self.source.notice):
            return True
        self._title_asked = True
        title = self.ask_title()
        if not title:
            return False
        self.source.notice = dataclasses.replace(self.source.notice, title=title)
        self.title_given.emit(title)
        if self.kind() == "report" and not self.report_editor.touched:
            self.redraft()
        self._options_changed()
        return True

    def office(self) -> str:
        """The office's own name (the report's 署名), a setting asked once."""
        return self.settings.get(REPORT_OFFICE).strip()

    def ask_office(self) -> str | None:
        return panes.ask_office_name(self)

    def ensure_signer(self) -> bool:
        """For the report: True when it has a 署名, asking for the office's name (once) when it has none."""
        if not self.options.needs_signer():
            return True
        if not self.office():
            name = self.ask_office()
            if not name:
                return False
            self.settings.set(REPORT_OFFICE, name)
        self.options.sign(self.office())
        self._options_changed()
        return True

    def _redraft_clicked(self) -> None:
        if self.report_editor.touched and not self.messages.confirm(
                "重新起草", "将按当前范围和统计日期重新生成报告草稿，已修改的内容会被替换。继续吗？"):
            return
        self.redraft()
        self._options_changed()

    def _options_changed(self, *_args) -> None:
        """Any option changed: the preview is out of date; regenerate it shortly."""
        self._version += 1
        self._preview_paused = False
        self.banner.hide()
        self._update_buttons()
        if not self.jobs.busy():
            self._set_status("正在准备预览…" if self._preview_version < 0 else "选项已更改，正在更新预览…")
        self._timer.start()

    def _update_buttons(self) -> None:
        exporting = self.jobs.exporting()
        self.buttons.update_for(self.preview_is_current() and not exporting,
                                not exporting and bool(self.source.rows or self.kind() == "report"), self.fmt())
        self.options_panel.setEnabled(not exporting)

    def preview_is_current(self) -> bool:
        return self._preview_version == self._version and self.preview.page_count() > 0

    # --- jobs (ExportJobs) -----------------------------------------------------------------------
    def _start(self, request: ExportRequest, kind: str) -> ExportWorker:
        worker = self.jobs.start(request, kind)
        self.side.set_running(True)
        self._update_buttons()
        return worker

    def is_busy(self) -> bool:
        return self.jobs.busy()

    @Slot()
    def start_preview(self) -> None:
        """Regenerate the preview now (normally a moment after the last option change)."""
        self._timer.stop()
        if self.jobs.busy():
            if self.jobs.kind == PREVIEW:
                self.jobs.cancel()  # its end starts the preview of the new options
            return
        if self._preview_paused or self.preview_is_current():
            return
        if not has_title(self.source.notice):
            if not self._title_asked and self.ensure_title():
                return  # the options changed: the timer starts the preview
            self.preview.set_pages(None)
            self.preview.set_message("这份通知没有标题。点“导出…”时填写标题，预览随后生成。")
            self._set_status("需要通知的标题。")
            return
        self._previews += 1
        out = self._tmp / f"preview-{self._previews}.pdf"
        self._set_status("正在生成预览…")
        self._start(self.request("pdf", out), PREVIEW)

    def cancel_job(self) -> None:
        """取消: stop the running preview or export (no file is left)."""
        if not self.jobs.busy():
            return
        if self.jobs.kind == PREVIEW:
            self._preview_paused = True
        self.jobs.cancel()
        self._set_status("正在取消…")

    def _refresh_clicked(self) -> None:
        self._preview_paused = False
        self._preview_version = -1
        self.start_preview()

    def _job_done(self, worker: ExportWorker, kind: str) -> None:
        self.side.set_running(False)
        if kind == PREVIEW:
            self._preview_done(worker)
        else:
            self._export_done(worker)
        self._update_buttons()
        if not self.jobs.busy() and not self._preview_paused and self._preview_version != self._version \
                and not self._timer.isActive():
            self.start_preview()

    def _preview_done(self, worker: ExportWorker) -> None:
        if worker.outcome == "cancelled":
            if self._preview_paused:
                self.side.show_cancelled()
            return
        if worker.outcome == "failed":
            self.side.show_failure(worker.error)
            self.preview_failed.emit(worker.error)
            return
        try:
            pages = PdfPages(worker.result.path)
        except PdfPagesError as e:
            self._set_status(str(e))
            self.preview_failed.emit(str(e))
            return
        for old in self._tmp.glob("preview-*.pdf"):
            if old != worker.result.path:
                old.unlink(missing_ok=True)
        self._preview_version = worker.request.tag["version"]
        self.preview_result = worker.result
        self.options.set_rotation(pages.is_mixed())
        self.side.show_pages(pages, len(worker.request.rows), worker.result.messages())
        self.preview_ready.emit(pages.page_count)

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)

    # --- export ----------------------------------------------------------------------------------
    def document_title(self) -> str:
        if self.preview_is_current() and self.preview.pages is not None and self.preview.pages.title:
            return self.preview.pages.title
        return self.options.document_title(self.source.notice)

    def default_path(self) -> Path:
        return panes.default_export_path(self.settings.get(EXPORT_LAST_DIR), self.document_title(), self.fmt())

    def choose_path_and_export(self) -> None:
        """导出…: ask where (last-used folder, name from the title), then write."""
        if not self.ensure_title() or not self.ensure_signer():
            return
        out = panes.ask_export_path(self, self.default_path(), self.fmt())
        if out is not None:
            self.export_to(out)

    def export_to(self, out: Path | str) -> bool:
        """Write the document in the chosen format to ``out`` in a worker; False when busy exporting."""
        out = Path(out)
        if not self.ensure_title():
            return False
        if self.jobs.busy():
            if self.jobs.kind == EXPORT:
                return False
            self.jobs.stop()  # a preview: its late end is ignored
            self.side.set_running(False)
        if not out.parent.is_dir():
            self.messages.error(f"保存位置不存在：{out.parent}。请换一个位置。", "导出失败")
            return False
        self.banner.hide()
        self._set_status(f"正在导出“{out.name}”…")
        self._start(self.request(self.fmt(), out), EXPORT)
        return True

    def _export_done(self, worker: ExportWorker) -> None:
        out = Path(worker.request.out)
        if worker.outcome == "cancelled":
            self._set_status("已取消导出，没有写入文件。")
            self.export_cancelled.emit()
            return
        if worker.outcome == "failed":
            self._set_status("导出失败，没有写入文件。")
            self.messages.error(worker.error, "导出失败")
            self.export_failed.emit(worker.error)
            return
        result = worker.result
        self.last_result = result
        self.settings.set(EXPORT_LAST_DIR, str(out.parent))
        self.banner.show_result(result.path, result.pages, result.messages())
        self._set_status(f"已导出“{out.name}”。")
        self.exported.emit(result)

    # --- printing --------------------------------------------------------------------------------
    def print_document(self) -> bool:
        """打印…: the print dialog, then the preview's pages."""
        if not self.preview_is_current():
            self.messages.warning("预览还没有生成完，请稍候再打印。", "打印")
            return False
        if printed := self.printing.print_dialog(self.preview.pages, self.rotate_check.isChecked()):
            self._set_status("已发送到打印机。")
        return printed

    def print_preview(self):
        if not self.preview_is_current():
            self.messages.warning("预览还没有生成完，请稍候。", "打印预览")
            return None
        return self.printing.preview_dialog(self.preview.pages, self.rotate_check.isChecked())

    # --- closing ---------------------------------------------------------------------------------
    def done(self, result: int) -> None:  # noqa: D102 - QDialog.done
        self._release()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - closed hidden (with its window): no done()
        super().closeEvent(event)
        self._release()

    def _release(self) -> None:
        """Stop the work, remember the options, remove the preview folder (twice is harmless)."""
        self._timer.stop()
        self.side.set_running(False)
        self.jobs.stop_all()
        self.options.save(self.settings)
        self.preview.set_pages(None)
        shutil.rmtree(self._tmp, ignore_errors=True)
