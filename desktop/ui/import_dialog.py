"""The import window: a notice read from a file or pasted text, reviewed and corrected before it is stored.

The proposed table lives in a scratch ledger in a temporary folder, so the clerk edits it with the
very same table, detail panel and undo as the main window. 接受 copies it into the real ledger in
one transaction; 取消 (or closing the window) stores nothing.
"""
from __future__ import annotations

import datetime as dt
import tempfile
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
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.importing.model import DOUBTFUL
from desktop.storage.ledger import Ledger, LedgerError

from .actions import EditActions
from .detail_panel import DetailPanel
from .messages import MessageBridge
from .task_controller import TaskController
from .task_model import TaskTreeModel
from .task_view import TaskView
from .unit_picker import UnitDirectory

FILE_FILTER = "通知文件 (*.docx *.txt *.html *.htm *.mht *.mhtml *.pdf *.xlsx *.doc *.wps);;所有文件 (*)"
START_HINT = ("选择收到的通知文件（.docx、.txt、网页、PDF、.xlsx），\n"
              "或复制通知全文后在此按 Ctrl+V 粘贴。")


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
        self._scratch_dir: tempfile.TemporaryDirectory | None = None
        self.scratch: Ledger | None = None
        self._scratch_notice: int | None = None

        self.pages = QStackedWidget()
        self.pages.addWidget(self._start_page())
        self.review = QWidget()
        self.pages.addWidget(self.review)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        QShortcut(QKeySequence.StandardKey.Paste, self, activated=self.paste_clipboard,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setAcceptDrops(True)
        self.resize(1200, 760)

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
        self.load_text(QGuiApplication.clipboard().text())

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and self.pages.currentIndex() == 0:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.load_file(Path(urls[0].toLocalFile()))

    # --- reading ---------------------------------------------------------------------------------
    def load_file(self, path: Path) -> bool:
        from desktop.importing import NoticeReadError, list_sheets, parse_path

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
            parsed = parse_path(path, units_directory=self._directory(), sheet=sheet)
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
        from desktop.importing import NoticeReadError, parse_pasted

        try:
            parsed = parse_pasted(text, units_directory=self._directory())
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
        return True

    def _build_review(self, meta: dict) -> None:
        form = QFormLayout()
        self.title_edit = QLineEdit(meta["title"] or "")
        self.number_edit = QLineEdit(meta["doc_number"] or "")
        self.issuer_edit = QLineEdit(meta["issuer"] or "")
        self.date_edit = QLineEdit(meta["date"].isoformat() if meta["date"] else "")
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.year_edit = QSpinBox()
        self.year_edit.setRange(2000, 2100)
        self.year_edit.setValue(meta["year"] or dt.date.today().year)
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
        lb.addWidget(QLabel("通知原文（选中任务时高亮其出处）"))
        lb.addWidget(self.source_view, 1)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("接受并保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        count = QLabel(f"共识别出 {len(self.parsed.tasks)} 项任务。请核对后接受；取消则不保存任何内容。")

        box = QVBoxLayout(self.review)
        box.addLayout(form)
        box.addWidget(self.warnings)
        box.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(count, 1)
        bottom.addWidget(buttons)
        box.addLayout(bottom)

    def _wire_actions(self) -> None:
        a, c = self.actions, self.controller
        for action, slot in ((a.undo, c.undo), (a.redo, c.redo), (a.insert_sibling, c.insert_sibling),
                             (a.insert_child, c.insert_child), (a.delete, c.delete_selected),
                             (a.move_up, c.move_up), (a.move_down, c.move_down), (a.indent, c.indent),
                             (a.outdent, c.outdent), (a.split, c.split_at_cursor), (a.merge, c.merge_with_next)):
            action.triggered.connect(lambda _checked=False, s=slot: s())
        a.new_notice.setVisible(False)
        a.find.setVisible(False)
        c.capabilities_changed.connect(a.set_enabled)

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
        return {"title": self.title_edit.text().strip() or "（无标题通知）",
                "doc_number": self.number_edit.text().strip() or None,
                "issuer": self.issuer_edit.text().strip() or None, "date": date, "year": self.year_edit.value(),
                "recipients": self.parsed.recipients, "source_name": self.source_name,
                "source_text": self.parsed.source_text, "source_bytes": self.source_bytes}

    def accept(self) -> None:
        from desktop.intake import nested_rows

        if self.scratch is None:
            return
        self.controller.commit_pending()
        try:
            meta = self.meta()
        except ValueError as exc:
            self.messages.warning(str(exc))
            return
        try:
            self.notice_id = self.ledger.create_notice_with_tasks(
                meta, nested_rows(self.scratch.tasks(self._scratch_notice)))
        except LedgerError as exc:
            self.messages.error(str(exc), "保存失败")
            return
        self.imported.emit(self.notice_id)
        self._drop_scratch()
        super().accept()

    def reject(self) -> None:
        self._drop_scratch()
        super().reject()

    def _drop_scratch(self) -> None:
        if self.scratch is not None:
            self.scratch.close()
            self.scratch = None
        if self._scratch_dir is not None:
            self._scratch_dir.cleanup()
            self._scratch_dir = None
