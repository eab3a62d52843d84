"""The import window: a notice read from a file or pasted text, reviewed and corrected before it is stored.

The proposed table lives in a scratch ledger in a temporary folder, so the clerk edits it with the
very same table, detail panel and undo as the main window. 接受 copies it into the real ledger in
one transaction (after asking 打开已有 / 作为新版本导入 / 取消 when the ledger already holds the notice,
and only once a 年度 is filled in); 取消 (or Esc, or closing the window) stores nothing, after asking
保存 / 放弃 / 取消 when the clerk changed the table or the notice fields.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.importing.model import DOUBTFUL
from desktop.storage.ledger import Ledger, LedgerError

from .actions import EditActions
from .detail_panel import DetailPanel
from .import_source_actions import SourceActions, keep_edits
from .messages import MessageBridge
from .table_grid_panel import TableGridPanel
from .task_controller import TaskController
from .task_model import TaskTreeModel
from .task_view import TaskView
from .unit_picker import UnitDirectory
from .window_fit import fit_to_screen
from .year_box import YearBox

FILE_FILTER = ("通知文件 (*.docx *.txt *.html *.htm *.mht *.mhtml *.pdf *.ofd *.xlsx *.xls *.et *.doc *.wps "
               "*.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)")
START_HINT = ("选择收到的通知文件（.docx、.txt、网页、PDF、OFD、.xlsx/.xls、扫描件或照片），\n"
              "或复制通知全文后在此按 Ctrl+V 粘贴。")


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
        self._rereads: list[tuple[int, object, object]] = []  # undone by Ctrl+Z: (scratch notice, choice, parsed)
        self._redos: list[tuple[int, object, object]] = []

        self.pages = QStackedWidget()
        self.pages.addWidget(self._start_page())
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
    def _start_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        hint = QLabel(START_HINT)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        choose = QPushButton("选择文件…")
        choose.clicked.connect(self.choose_file)
        paste = QPushButton("粘贴通知文本（Ctrl+V）")
        paste.clicked.connect(self.paste_clipboard)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(choose)
        row.addWidget(paste)
        row.addStretch(1)
        box.addStretch(1)
        box.addWidget(hint)
        box.addLayout(row)
        box.addStretch(1)
        return page

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
        from desktop.importing import NoticeReadError, list_sheets, parse_document, read_document

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
            parsed = parse_document(self.document, self._directory())
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
        return self._show_parsed(parsed)

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
        from desktop.importing import NoticeReadError, parse_document

        try:
            self.document = read()
            parsed = parse_document(self.document, self._directory())
        except NoticeReadError as exc:
            self.messages.error(str(exc), "无法导入")
            return False
        self.source_name, self.source_bytes = None, None
        return self._show_parsed(parsed)

    def _directory(self) -> list[tuple[str, list[str]]]:
        try:
            return [(u.name, [u.short_name, *u.aliases] if u.short_name else list(u.aliases))
                    for u in self.ledger.units()]
        except LedgerError:
            return []

    # --- review page -----------------------------------------------------------------------------
    def _show_parsed(self, parsed) -> bool:
        from desktop.intake import ledger_rows

        meta, rows = ledger_rows(parsed, source_name=self.source_name)
        self._scratch_dir = tempfile.TemporaryDirectory(prefix="noticedesk-import-")
        try:
            self.scratch = Ledger(data_dir=Path(self._scratch_dir.name))
            self._scratch_notice = self.scratch.create_notice_with_tasks(meta, rows)
        except LedgerError as exc:
            self.messages.error(str(exc), "无法导入")
            self._drop_scratch()
            return False
        self.parsed = parsed
        self._build_review(meta)
        self.pages.setCurrentIndex(1)
        self._apply_remembered()
        self._remember_start()
        return True

    def _apply_remembered(self) -> None:
        """A table whose header the clerk has read before with other column roles is read that way again
        (the start of the review, not a step to undo), and the window says so."""
        from desktop.importing import TableChoice
        from desktop.importing.parse.columns import NAME_OF

        for n, t in enumerate(self.parsed.tables, 1):
            # the header the parser found, else one of the first rows (labels it did not know)
            roles, h = None, 0
            for h in ([t.header_row] if t.header_row else range(1, min(3, len(t.rows)) + 1)):
                try:
                    roles = self.ledger.remembered_columns(["".join(c.split()) for c in t.rows[h - 1]])
                except LedgerError:
                    return
                if roles:
                    break
            if roles and (list(roles) != list(t.roles[:len(roles)]) or h != t.header_row):
                if self.reread(TableChoice(table=n, header_row=h, columns=list(roles))):
                    self._rereads.clear()
                    self.warnings.addItem("已按记住的列设置读取表格（" + "、".join(NAME_OF.get(r, r) for r in roles)
                                          + "）；不对可在“表格（指定各列）”中修改。")
                    self.warnings.setVisible(True)
                return

    def _build_review(self, meta: dict) -> None:
        form = QFormLayout()
        # a notice that prints no title gets none made up: the field waits for the clerk
        self.title_edit = QLineEdit(self.parsed.title or "")
        self.title_edit.setPlaceholderText("原文没有标题，请填写（例如：关于印发2024年政务公开工作要点的通知）")
        self.number_edit = QLineEdit(meta["doc_number"] or "")
        self.issuer_edit = QLineEdit(meta["issuer"] or "")
        self.date_edit = QLineEdit(meta["date"].isoformat() if meta["date"] else "")
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.year_edit = YearBox(meta["year"])  # no printed year: empty and marked, never this year silently
        form.addRow("标题", self.title_edit)
        line = QHBoxLayout()
        for label, w in (("文号", self.number_edit), ("发文机关", self.issuer_edit), ("成文日期", self.date_edit),
                         ("年度", self.year_edit)):
            line.addWidget(QLabel(label))
            line.addWidget(w, 1)
        form.addRow(line)

        self.warnings = QListWidget()
        self.warnings.setMaximumHeight(72)
        for w in self.parsed.warnings:
            self.warnings.addItem(f"请检查：{w}")
        self.warnings.setVisible(bool(self.parsed.warnings))

        self.source_view = QPlainTextEdit(self.parsed.source_text)
        self.source_view.setReadOnly(True)
        self.source_view.setObjectName("importSource")

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

        right = QSplitter(Qt.Orientation.Vertical)
        table_box = QWidget()
        tb = QVBoxLayout(table_box)
        tb.setContentsMargins(0, 0, 0, 0)
        tb.addWidget(toolbar)
        tb.addWidget(self.view, 1)
        right.addWidget(table_box)
        right.addWidget(self.panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lb = QVBoxLayout(left)
        lb.setContentsMargins(0, 0, 0, 0)
        source_hint = QLabel("选中任务时高亮其出处；选中文字后右键可新建任务、设为单位或时限。")
        source_hint.setWordWrap(True)
        lb.addWidget(source_hint)
        lb.addWidget(self.source_view, 1)
        self.grid_panel = TableGridPanel()
        self.grid_panel.show_tables(self.parsed.tables, self.choice.table if self.choice else None,
                                    self.parsed.has_items)
        self.grid_panel.choice_changed.connect(self.reread)
        self.left_tabs = QTabWidget()
        self.left_tabs.setObjectName("importLeftTabs")
        self.left_tabs.addTab(left, "通知原文")
        self.left_tabs.addTab(self.grid_panel, "表格（指定各列）")
        self.left_tabs.setTabEnabled(1, bool(self.parsed.tables))
        images = getattr(self.document, "page_images", None) or []
        if images:  # read by OCR: the page beside the text, to check every task against it
            self.left_tabs.addTab(page_images_view(images), "页面图像（OCR 识别，请核对）")
        self.source_actions = SourceActions(self)
        split.addWidget(self.left_tabs)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 780])  # the proposed table needs the room: its 具体内容 column stretches

        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("接受并保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.count_label = count = QLabel()
        self._show_count()

        box = QVBoxLayout(self.review)
        box.addLayout(form)
        box.addWidget(self.warnings)
        box.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(count, 1)
        bottom.addWidget(buttons)
        box.addLayout(bottom)

    def _show_count(self) -> None:
        n = len(self.parsed.tasks)
        if n == 0 and self.parsed.tables:
            self.left_tabs.setCurrentIndex(1)
            text = ("没有读出任务：请在左边的“表格（指定各列）”中指明哪一列是具体内容、哪一列是单位和时限；"
                    "或在“通知原文”中选中文字，右键“新建任务”。")
        elif n == 0:
            self.left_tabs.setCurrentIndex(0)
            text = "没有读出任务：请在左边的通知原文中选中一项任务的文字，右键“新建任务”（Ctrl+Shift+N）。"
        elif any(t.confidence < DOUBTFUL for t in self.parsed.tasks) and self.parsed.tables:
            text = (f"共识别出 {n} 项任务，标黄的几行把握不大：可在“表格（指定各列）”中核对各列的含义。"
                    "请核对后接受；取消则不保存任何内容。")
        else:
            text = f"共识别出 {n} 项任务。请核对后接受；取消则不保存任何内容。"
        self.count_label.setText(text)

    # --- reading the table again with the clerk's column roles ------------------------------------
    def reread(self, choice) -> bool:
        """Parse the notice again with the clerk's ``TableChoice`` into a new proposed table; the rows the
        clerk edited and whose source did not change keep the edits. Undone by Ctrl+Z."""
        from desktop.importing import NoticeReadError, parse_document
        from desktop.intake import ledger_rows

        if self.document is None or self.scratch is None:
            return False
        self.controller.commit_pending()
        try:
            parsed = parse_document(self.document, self._directory(), choice)
        except NoticeReadError as exc:
            self.messages.warning(str(exc))
            return False
        meta, rows = ledger_rows(parsed, source_name=self.source_name)
        keep_edits(rows, self.scratch.tasks(self._scratch_notice), self.parsed)
        try:
            new_id = self.scratch.create_notice_with_tasks(meta, rows)
        except LedgerError as exc:
            self.messages.error(str(exc), "无法重新读取")
            return False
        self._rereads.append((self._scratch_notice, self.choice, self.parsed))
        self._redos.clear()
        self._switch(new_id, choice, parsed)
        return True

    def _switch(self, notice_id: int, choice, parsed) -> None:
        self._scratch_notice, self.choice, self.parsed = notice_id, choice, parsed
        self.controller.set_notice(notice_id)
        self.model.set_notes(doubtful_rows(parsed, self.scratch.tasks(notice_id)))
        self.warnings.clear()
        for w in parsed.warnings:
            self.warnings.addItem(f"请检查：{w}")
        self.warnings.setVisible(bool(parsed.warnings))
        panel = self.grid_panel
        panel.blockSignals(True)
        try:
            panel.show_tables(parsed.tables, choice.table if choice and choice.table else panel.index + 1,
                              parsed.has_items, bool(choice and choice.items))
            panel.set_roles_from_clerk(bool(choice and choice.columns))
        finally:
            panel.blockSignals(False)
        self._show_count()
        self.actions.undo.setEnabled(True)

    def undo(self) -> None:
        """Ctrl+Z: the last edit of the proposed table, else the last re-reading of the table."""
        self._step(back=True)

    def redo(self) -> None:
        self._step(back=False)

    def _step(self, back: bool) -> None:
        stack = self.controller.stack()
        if stack is not None and (stack.canUndo() if back else stack.canRedo()):
            self.controller.undo() if back else self.controller.redo()
            return
        source, target = (self._rereads, self._redos) if back else (self._redos, self._rereads)
        if source:
            target.append((self._scratch_notice, self.choice, self.parsed))
            self._switch(*source.pop())

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
        c.capabilities_changed.connect(lambda *_: a.undo.setEnabled(a.undo.isEnabled() or bool(self._rereads)))

    def _highlight_source(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        task_id = self.view.current_id()
        if task_id is None or self.scratch is None:
            return
        row = self.scratch.task(task_id)
        if row.source_start is None or row.source_end is None or row.source_end <= row.source_start:
            self.source_view.setExtraSelections([])
            return
        cursor = QTextCursor(self.source_view.document())
        cursor.setPosition(row.source_start)
        cursor.setPosition(min(row.source_end, len(self.parsed.source_text)), QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#fff2a8"))
        mark.format = fmt
        mark.cursor = cursor
        self.source_view.setExtraSelections([mark])
        view_cursor = QTextCursor(self.source_view.document())
        view_cursor.setPosition(row.source_start)
        self.source_view.setTextCursor(view_cursor)
        self.source_view.centerCursor()

    def highlighted_text(self) -> str:
        marks = self.source_view.extraSelections()
        return marks[0].cursor.selectedText() if marks else ""

    # --- accept / cancel -------------------------------------------------------------------------
    def meta(self) -> dict:
        date_text = self.date_edit.text().strip()
        try:
            date = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError:
            raise ValueError(f"成文日期“{date_text}”格式不对，请写成 YYYY-MM-DD，例如 2023-06-20。") from None
        title = self.title_edit.text().strip()
        if not title:
            self.title_edit.setFocus()
            raise ValueError("请先填写通知标题：原文中没有找到标题，打印的公文和清单都要用到它。")
        return {"title": title,
                "doc_number": self.number_edit.text().strip() or None,
                "issuer": self.issuer_edit.text().strip() or None, "date": date, "year": self.year_edit.year(),
                "recipients": self.parsed.recipients, "source_name": self.source_name,
                "source_text": self.parsed.source_text, "source_bytes": self.source_bytes}

    def accept(self) -> None:
        from desktop.intake import nested_rows

        if self.scratch is None:
            return
        self.controller.commit_pending()
        if not self._year_given():
            return
        try:
            meta = self.meta()
        except ValueError as exc:
            self.messages.warning(str(exc))
            return
        if not self._not_a_duplicate(meta):
            return
        try:
            self.notice_id = self.ledger.create_notice_with_tasks(
                meta, nested_rows(self.scratch.tasks(self._scratch_notice)))
        except LedgerError as exc:
            self.messages.error(str(exc), "保存失败")
            return
        labels = self.grid_panel.header_labels()
        if self.grid_panel.remember.isChecked() and labels and self.choice is not None and self.choice.columns:
            try:
                self.ledger.remember_columns(labels, list(self.choice.columns))
            except LedgerError as exc:
                self.messages.warning(f"任务已保存，但列设置没有记住：{exc}")
        self.imported.emit(self.notice_id)
        self._drop_scratch()
        super().accept()

    def reject(self) -> None:
        """取消, Esc and the window's close button: with changes, asks 保存 / 放弃 / 取消 first."""
        if not self._may_close():
            return
        self._drop_scratch()
        super().reject()

    # --- unsaved changes, the year, duplicates (issue 15) ------------------------------------------
    def _table_state(self) -> list[tuple]:
        """The proposed table as the clerk sees it (not ids or versions, which undo does not restore)."""
        skip = {"id", "notice_id", "parent_id", "version"}
        rows = self.scratch.tasks(self._scratch_notice) if self.scratch is not None else []
        return [tuple(getattr(r, f.name) for f in fields(r) if f.name not in skip) for r in rows]

    def _fields_state(self) -> tuple:
        return (self.title_edit.text(), self.number_edit.text(), self.issuer_edit.text(), self.date_edit.text(),
                self.year_edit.year())

    def _remember_start(self) -> None:
        self._start_state = (self._fields_state(), self._table_state())

    def has_changes(self) -> bool:
        """Has the clerk changed the proposed table or the notice fields since the window opened?"""
        if self.scratch is None or self._start_state is None:
            return False
        return (self._fields_state(), self._table_state()) != self._start_state

    def _may_close(self) -> bool:
        """True: close now (nothing changed, or 放弃). 保存 stores like 接受并保存 (which closes the
        window itself when it succeeds); 取消 stays."""
        if self.scratch is None:
            return True
        self.controller.commit_pending()  # what is still being typed counts (and is kept on 取消)
        if not self.has_changes():
            return True
        answer = self.messages.choose(
            "导入通知", "提议的任务表或通知信息已经修改，还没有保存到台账。\n\n"
            "保存：与“接受并保存”相同；放弃：关闭窗口，不保存任何内容；取消：回到导入窗口继续核对。",
            ["保存", "放弃", "取消"], proceed="放弃")
        if answer == "保存":
            self.accept()
        return answer == "放弃"

    def _year_given(self) -> bool:
        """A notice with no printed year is stored only once the clerk has filled in its 年度."""
        if not self.year_edit.is_missing():
            return True
        self.messages.warning("请先填写“年度”：通知原文没有写明是哪一年的工作，系统不会自动按今年归档。"
                              "请在标题下方的“年度”中填写（例如 2024），再接受并保存。", "请填写年度")
        self.year_edit.setFocus()
        self.year_edit.selectAll()
        return False

    def _not_a_duplicate(self, meta: dict) -> bool:
        """True: store it (no such notice in the ledger yet, or 作为新版本导入). 打开已有 closes the window
        storing nothing and shows that notice; 取消 goes back to the review."""
        try:
            existing = self.ledger.find_duplicate(doc_number=meta["doc_number"], title=meta["title"],
                                                  year=meta["year"], source_bytes=meta["source_bytes"])
            if existing is None:
                return True
            old = self.ledger.notice(existing)
        except LedgerError as exc:
            self.messages.error(f"无法检查台账中是否已有这份通知：{exc}", "保存失败")
            return False
        about = "、".join(x for x in (old.doc_number, f"{old.year}年" if old.year else None) if x)
        answer = self.messages.choose(
            "台账中已有这份通知",
            f"台账中已经有这份通知：\n“{old.title}”" + (f"（{about}）" if about else "") + "\n\n"
            "打开已有：不导入，转到已有的通知；作为新版本导入：另存一份新的通知；取消：回到导入窗口。",
            ["打开已有", "作为新版本导入", "取消"], proceed="作为新版本导入")
        if answer == "打开已有":
            self._drop_scratch()
            QDialog.reject(self)
            self.open_existing.emit(existing)
        return answer == "作为新版本导入"

    def _drop_scratch(self) -> None:
        if self.scratch is not None:
            self.scratch.close()
            self.scratch = None
        if self._scratch_dir is not None:
            self._scratch_dir.cleanup()
            self._scratch_dir = None
