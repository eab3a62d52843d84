"""The import window: a notice read from a file or pasted text, reviewed and corrected before it is stored.

The notice is read and stored through ``desktop.import_service`` — the same unit directory, remembered
column settings, duplicate rule and storing as ``python -m desktop import``. The proposed table lives in
a scratch ledger in a temporary folder, so the clerk edits it with the very same table, detail panel and
undo as the main window. 接受 copies it into the real ledger in one transaction (after asking 打开已有 /
作为新版本导入 / 取消 when the ledger already holds the notice, and only once a 年度 is filled in); 取消
(or Esc, or closing the window) stores nothing, after asking 保存 / 放弃 / 取消 when the clerk changed
the table or the notice fields.

Helpers: ``import_start``, ``import_fields``, ``import_panes``, ``import_rereads`` (scratch ledger, undoable
re-readings), ``import_source_actions``, ``import_questions``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.ledger import Ledger, LedgerError

from .actions import EditActions
from .detail_panel import DetailPanel
from .import_fields import NoticeFields
from .import_panes import (
    doubtful_rows,
    highlight_span,
    highlighted_text,
    review_split,
    show_warnings,
    source_tabs,
    source_view,
)
from .import_questions import ask_duplicate, ask_unsaved, count_line, remembered_note, table_state
from .import_rereads import Rereads, close_scratch, open_scratch
from .import_source_actions import SourceActions
from .import_start import FILE_FILTER, start_page
from .messages import MessageBridge
from .table_grid_panel import TableGridPanel
from .task_controller import TaskController
from .task_model import TaskTreeModel
from .task_view import TaskView
from .unit_picker import UnitDirectory
from .window_fit import fit_to_screen


class ImportDialog(QDialog):
    """Read → review → accept. ``imported(notice_id)`` fires after a successful accept."""

    imported = Signal(int)
    #: 打开已有 on a duplicate: the dialog closed storing nothing; show this notice of the ledger
    open_existing = Signal(int)

    def __init__(self, ledger: Ledger, messages: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入通知")
        self.setObjectName("importDialog")
        self.ledger = ledger
        self.messages = messages
        self.parsed = None
        self.source_name: str | None = None
        self.source_bytes: bytes | None = None
        self.notice_id: int | None = None  # in the real ledger, after accept
        self._start_state: tuple | None = None  # the notice fields and table as the review opened
        self._scratch_dir: tempfile.TemporaryDirectory | None = None
        self.scratch: Ledger | None = None
        self._scratch_notice: int | None = None
        self.document = None  # the read file, parsed again when the clerk changes how a table is read
        self.choice = None  # the clerk's TableChoice in force (None: the parser's own reading)
        self.rereads = Rereads(self)  # re-readings of the table, undone by Ctrl+Z

        self.pages = QStackedWidget()
        self.pages.addWidget(start_page(self.choose_file, self.paste_clipboard))
        self.review = QWidget()
        self.pages.addWidget(self.review)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        QShortcut(QKeySequence.StandardKey.Paste, self, activated=self.paste_clipboard,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setAcceptDrops(True)
        # 1200×760 where the screen allows, never more than the space the taskbar leaves (a 1366×768
        # laptop): the 接受并保存 button stays on screen
        fit_to_screen(self, 1200, 760)

    # --- start page ------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择通知文件", "", FILE_FILTER)
        if path:
            self.load_file(Path(path))

    def paste_clipboard(self) -> None:
        if self.pages.currentIndex() != 0:
            return  # on the review page Ctrl+V belongs to the editors
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasHtml() and "<table" in mime.html().lower():
            self.load_html(mime.html())  # Excel, WPS and browsers put the cells there as an HTML table
            return
        self.load_text(QGuiApplication.clipboard().text())

    def load_html(self, html: str) -> bool:
        """Cells copied from a spreadsheet or a web page (the clipboard's HTML), read as a table."""
        from desktop.importing.readers.html_reader import read_html

        return self._load_unsaved(lambda: read_html(html.encode("utf-8"), "utf-8"))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and self.pages.currentIndex() == 0:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.load_file(Path(urls[0].toLocalFile()))

    # --- reading ---------------------------------------------------------------------------------
    def load_file(self, path: Path) -> bool:
        from desktop.importing import NoticeReadError, list_sheets, read_document

        sheet = None
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                sheets = list_sheets(path)
            except NoticeReadError as exc:
                self.messages.error(str(exc), "无法导入")
                return False
            if len(sheets) > 1:
                sheet = self.choose_sheet(sheets)
                if sheet is None:
                    return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.document = read_document(path, sheet)
            reading = self._reading()
            data = path.read_bytes()
        except NoticeReadError as exc:
            self.messages.error(str(exc), "无法导入")
            return False
        except OSError as exc:
            self.messages.error(f"无法读取文件：{exc.strerror or exc}。请确认文件存在且没有被其他程序占用。", "无法导入")
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.source_name, self.source_bytes = path.name, data
        return self._show_parsed(reading)

    def choose_sheet(self, sheets: list[tuple[str, int]]) -> str | None:
        """Ask which of several task-table sheets to import; None when the clerk cancels."""
        labels = [f"{name}（{rows} 行）" for name, rows in sheets]
        label, ok = QInputDialog.getItem(self, "选择工作表", "这个工作簿中有多张任务表，请选择要导入的一张：",
                                         labels, 0, False)
        return sheets[labels.index(label)][0] if ok and label in labels else None

    def load_text(self, text: str) -> bool:
        from desktop.importing import pasted_document

        return self._load_unsaved(lambda: pasted_document(text))

    def _load_unsaved(self, read) -> bool:
        """Read a notice that is not a file (pasted text or cells) with ``read()`` and show its parse."""
        from desktop.importing import NoticeReadError

        try:
            self.document = read()
            reading = self._reading()
        except NoticeReadError as exc:
            self.messages.error(str(exc), "无法导入")
            return False
        self.source_name, self.source_bytes = None, None
        return self._show_parsed(reading)

    def _reading(self):
        """The document as the ledger takes it (``import_service.read_notice``: the ledger's unit directory,
        a remembered column setting); NoticeReadError on bad input."""
        from desktop.import_service import read_notice

        try:
            maps = self.ledger.column_maps()
        except LedgerError:
            maps = []
        return read_notice(self.document, self.ledger, maps=maps)

    # --- review page -----------------------------------------------------------------------------
    def _show_parsed(self, reading) -> bool:
        from desktop.intake import ledger_rows

        meta, rows = ledger_rows(reading.parsed, source_name=self.source_name)
        try:
            self._scratch_dir, self.scratch, self._scratch_notice = open_scratch(meta, rows)
        except LedgerError as exc:
            self.messages.error(str(exc), "无法导入")
            return False
        self.parsed, self.choice = reading.parsed, reading.choice
        self._build_review(meta)
        self.pages.setCurrentIndex(1)
        if reading.remembered:  # the start of the review, not a step to undo; the window says so
            self.grid_panel.set_roles_from_clerk(True)
            self.warnings.addItem(remembered_note(reading.remembered[2]))
            self.warnings.setVisible(True)
        self._remember_start()
        return True

    def _build_review(self, meta: dict) -> None:
        self.fields = NoticeFields(self.parsed, meta)
        for name in ("title_edit", "number_edit", "issuer_edit", "date_edit", "year_edit"):  # as tests know them
            setattr(self, name, getattr(self.fields, name))
        self.warnings = QListWidget()
        self.warnings.setMaximumHeight(72)
        show_warnings(self.warnings, self.parsed.warnings)
        self.source_view = source_view(self.parsed.source_text)

        directory = UnitDirectory(parent=self)
        self.model = TaskTreeModel(self)
        self.view = TaskView(self.model, directory)
        self.panel = DetailPanel(directory)
        self.controller = TaskController(self.scratch, self.messages, self.view, self.panel, directory, self)
        self.controller.reload_units()
        self.controller.set_notice(self._scratch_notice)
        self.model.set_notes(doubtful_rows(self.parsed, self.scratch.tasks(self._scratch_notice)))
        self.actions = EditActions(self, self.controller.undo_group)
        self.actions.attach_tree_shortcuts(self.view)
        self._wire_actions()
        self.view.selectionModel().currentChanged.connect(self._highlight_source)
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions.fill_toolbar(toolbar)
        self.actions.set_enabled(self.controller.capabilities())

        self.grid_panel = TableGridPanel()
        self.grid_panel.show_tables(self.parsed.tables, self.choice.table if self.choice else None,
                                    self.parsed.has_items)
        self.grid_panel.choice_changed.connect(self.reread)
        self.left_tabs = source_tabs(self.source_view, self.grid_panel, bool(self.parsed.tables),
                                     getattr(self.document, "page_images", None) or [])
        self.source_actions = SourceActions(self)
        split = review_split(self.left_tabs, toolbar, self.view, self.panel)

        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("接受并保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.count_label = count = QLabel()
        self.show_count()

        box = QVBoxLayout(self.review)
        box.addLayout(self.fields.form)
        box.addWidget(self.warnings)
        box.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(count, 1)
        bottom.addWidget(buttons)
        box.addLayout(bottom)

    def show_count(self) -> None:
        text, tab = count_line(self.parsed)
        if tab is not None:
            self.left_tabs.setCurrentIndex(tab)
        self.count_label.setText(text)

    # --- reading the table again with the clerk's column roles (import_rereads) -------------------
    def reread(self, choice) -> bool:
        """Parse the notice again with the clerk's ``TableChoice``; undone by Ctrl+Z."""
        return self.rereads.reread(choice)

    def undo(self) -> None:
        """Ctrl+Z: the last edit of the proposed table, else the last re-reading of the table."""
        self.rereads.step(back=True)

    def redo(self) -> None:
        self.rereads.step(back=False)

    def _wire_actions(self) -> None:
        a, c = self.actions, self.controller
        for action, slot in ((a.undo, self.undo), (a.redo, self.redo), (a.insert_sibling, c.insert_sibling),
                             (a.insert_child, c.insert_child), (a.delete, c.delete_selected),
                             (a.move_up, c.move_up), (a.move_down, c.move_down), (a.indent, c.indent),
                             (a.outdent, c.outdent), (a.split, c.split_at_cursor), (a.merge, c.merge_with_next)):
            action.triggered.connect(lambda _checked=False, s=slot: s())
        a.new_notice.setVisible(False)
        a.find.setVisible(False)
        c.capabilities_changed.connect(a.set_enabled)
        c.capabilities_changed.connect(lambda *_: a.undo.setEnabled(a.undo.isEnabled() or bool(self.rereads.back)))

    def _highlight_source(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        task_id = self.view.current_id()
        if task_id is None or self.scratch is None:
            return
        row = self.scratch.task(task_id)
        highlight_span(self.source_view, row.source_start, row.source_end, len(self.parsed.source_text))

    def highlighted_text(self) -> str:
        return highlighted_text(self.source_view)

    # --- accept / cancel -------------------------------------------------------------------------
    def accept(self) -> None:
        """Store the reviewed table and notice fields through ``import_service.import_notice`` (the same
        storing and duplicate rule as ``python -m desktop import``), asking first on a duplicate."""
        from desktop.import_service import DuplicateNotice, import_notice
        from desktop.intake import nested_rows

        if self.scratch is None:
            return
        self.controller.commit_pending()
        if not self.fields.year_given(self.messages):
            return
        try:
            fields_ = self.fields.values()
        except ValueError as exc:
            self.messages.warning(str(exc))
            return
        labels = self.grid_panel.header_labels()
        remember = None
        if self.grid_panel.remember.isChecked() and labels and self.choice is not None and self.choice.columns:
            remember = (labels, list(self.choice.columns))
        rows = nested_rows(self.scratch.tasks(self._scratch_notice))

        def store(as_new: bool):
            return import_notice(self.ledger, self.parsed, source_name=self.source_name, source_bytes=self.source_bytes,
                                 rows=rows, fields=fields_, as_new=as_new, remember=remember)
        try:
            try:
                done = store(as_new=False)
            except DuplicateNotice as same:
                if not self._as_new_version(same):
                    return
                done = store(as_new=True)
        except LedgerError as exc:
            self.messages.error(str(exc), "保存失败")
            return
        if done.not_remembered:
            self.messages.warning(f"任务已保存，但列设置没有记住：{done.not_remembered}")
        self.notice_id = done.notice_id
        self.imported.emit(self.notice_id)
        self._drop_scratch()
        super().accept()

    def reject(self) -> None:
        """取消, Esc and the window's close button: with changes, asks 保存 / 放弃 / 取消 first."""
        if not self._may_close():
            return
        self._drop_scratch()
        super().reject()

    # --- unsaved changes, duplicates (issue 15) ----------------------------------------------------
    def _table_state(self) -> list[tuple]:
        return table_state(self.scratch.tasks(self._scratch_notice) if self.scratch is not None else [])

    def _remember_start(self) -> None:
        self._start_state = (self.fields.state(), self._table_state())

    def has_changes(self) -> bool:
        """Has the clerk changed the proposed table or the notice fields since the window opened?"""
        if self.scratch is None or self._start_state is None:
            return False
        return (self.fields.state(), self._table_state()) != self._start_state

    def _may_close(self) -> bool:
        """True: close now (nothing changed, or 放弃). 保存 stores like 接受并保存 (which closes the
        window itself when it succeeds); 取消 stays."""
        if self.scratch is None:
            return True
        self.controller.commit_pending()  # what is still being typed counts (and is kept on 取消)
        if not self.has_changes():
            return True
        answer = ask_unsaved(self.messages)
        if answer == "保存":
            self.accept()
        return answer == "放弃"

    def _as_new_version(self, same) -> bool:
        """The ledger already holds the notice: True to store it as a new version (作为新版本导入). 打开已有
        closes the window storing nothing and shows that notice; 取消 goes back to the review."""
        answer = ask_duplicate(self.messages, same.existing)
        if answer == "打开已有":
            self._drop_scratch()
            QDialog.reject(self)
            self.open_existing.emit(same.existing_id)
        return answer == "作为新版本导入"

    def _drop_scratch(self) -> None:
        close_scratch(self._scratch_dir, self.scratch)
        self._scratch_dir = self.scratch = None
