"""The editable draft of the 落实情况报告: title, 主送机关, body (one paragraph per line), 署名, 成文日期.

The draft comes from ``desktop.documents.report.draft_report`` (every field filled) when it exists,
else from ``ReportInfo`` + ``draft_body``. Further ``ReportInfo`` fields (版头, 附件, 版记 …) get an
editor each, generated from the dataclass, in a folded 「更多（可选）」 section; fields the editor does not
understand are carried over from the draft unchanged.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.documents import report as report_mod
from desktop.domain import NoticeInfo, TaskRow
from desktop.notice_titles import subject
from desktop.plaintext import clean

BOOL_TEXT = {"attachment": "附上落实情况汇总表（横排附件页）"}
PLACEHOLDERS = {"header": "发文机关标志，如：××镇人民政府（填写后套红版头）", "doc_number": "如：×政发〔2024〕5号",
                "cc": "抄送机关，多个用顿号分隔", "printed_by": "如：××镇党政办公室",
                "signer": "发文机关署名", "recipients": "如：县人民政府"}
CORE = ("title", "recipients", "body", "signer", "date")
LABELS = {
    "title": "标题", "recipients": "主送机关", "body": "正文", "signer": "署名", "date": "成文日期",
    "header": "版头", "issuer_header": "版头", "masthead": "版头", "red_header": "版头",
    "doc_number": "发文字号", "issuer": "发文机关", "urgency": "紧急程度", "secrecy": "密级",
    "attachment": "附件", "attachments": "附件说明", "printed_on": "印发日期", "attachment_note": "附件说明",
    "cc": "抄送机关", "copy_to": "抄送机关", "copies_to": "抄送机关",
    "printer": "印发机关", "printed_by": "印发机关", "print_date": "印发日期",
    "contact": "联系人", "phone": "联系电话", "note": "附注", "remark": "附注",
}


def draft_report(notice: NoticeInfo, rows: list[TaskRow], today: dt.date, unit: str | None = None):
    """A fully filled ReportInfo for the clerk to edit (``unit``: the reporting unit, when chosen)."""
    drafter = getattr(report_mod, "draft_report", None)
    if callable(drafter):
        try:
            accepts_unit = "unit" in inspect.signature(drafter).parameters
        except (TypeError, ValueError):
            accepts_unit = False
        return drafter(notice, rows, today, unit) if accepts_unit else drafter(notice, rows, today)
    return report_mod.ReportInfo(title=f"关于{subject(notice)}落实情况的报告",
                                 recipients=clean(notice.issuer or ""),
                                 body=report_mod.draft_body(notice, rows, today), signer="", date=today)


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class _Field:
    """One ReportInfo field's editor: how to set it from a value and read a value back."""

    def __init__(self, name: str, kind: str, widget: QWidget, box: QCheckBox | None = None) -> None:
        self.name, self.kind, self.widget, self.box = name, kind, widget, box

    def set(self, value: Any) -> None:
        w = self.widget
        if self.kind == "lines":
            w.setPlainText("\n".join(str(v) for v in (value or [])) if not isinstance(value, str) else value)
        elif self.kind == "date":
            if self.box is not None:
                self.box.setChecked(value is not None)
                w.setEnabled(value is not None)
            w.setDate(_qdate(value if isinstance(value, dt.date) else dt.date.today()))
        elif self.kind == "bool":
            w.setChecked(bool(value))
        else:
            w.setText("" if value is None else str(value))
            w.setCursorPosition(0)  # long titles show their beginning

    def get(self) -> Any:
        w = self.widget
        if self.kind == "lines":
            return [line.strip() for line in w.toPlainText().splitlines() if line.strip()]
        if self.kind == "date":
            return _pydate(w.date()) if self.box is None or self.box.isChecked() else None
        if self.kind == "bool":
            return w.isChecked()
        return w.text().strip()  # "" = left out (an empty 标题 gets the standard one)

    def signal(self):
        if self.kind == "lines":
            return self.widget.textChanged
        if self.kind == "date":
            return self.widget.dateChanged
        if self.kind == "bool":
            return self.widget.toggled
        return self.widget.textChanged


def _kind_of(f: dataclasses.Field) -> str | None:
    t = str(f.type).replace(" ", "")
    if "list[str]" in t or "tuple[str" in t or "Sequence[str]" in t:
        return "lines"
    if "date" in t:
        return "date"
    if t.startswith("bool"):
        return "bool"
    if t.startswith("str") or t == "str|None":
        return "text"
    return None


class ReportEditor(QWidget):
    """Form over a ReportInfo; ``edited()`` fires on every change the clerk makes."""

    edited = Signal()
    redraft_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base: Any = None  # the draft, carrying fields without an editor
        self._loading = False
        self.touched = False  # the clerk changed something since the last draft
        self.fields: dict[str, _Field] = {}

        core = QFormLayout()
        core.setContentsMargins(0, 0, 0, 0)
        extra = QFormLayout()
        extra.setContentsMargins(0, 0, 0, 0)
        for f in dataclasses.fields(report_mod.ReportInfo):
            kind = "lines" if f.name == "body" else _kind_of(f)
            if kind is None:
                continue
            field = self._make(f.name, kind, optional_date=f.name != "date")
            label = LABELS.get(f.name, f.name)
            target = core if f.name in CORE else extra
            if field.box is not None:
                row = QHBoxLayout()
                row.addWidget(field.box)
                row.addWidget(field.widget, 1)
                target.addRow(label, row)
            else:
                target.addRow(label, field.widget)
            self.fields[f.name] = field
            field.signal().connect(self._changed)
        body = self.fields.get("body")
        if body is not None:
            body.widget.setPlaceholderText("一行一段。以“一、”“（一）”开头的短行排为标题。")
            body.widget.setMinimumHeight(200)

        self.redraft_button = QPushButton("重新起草")
        self.redraft_button.setToolTip("按当前导出范围和统计日期重新生成报告草稿（会替换已修改的内容）")
        self.redraft_button.clicked.connect(self.redraft_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(core)
        if extra.rowCount():
            self.more_button = QToolButton()
            self.more_button.setText("版头、附件、版记（可选）")
            self.more_button.setCheckable(True)
            self.more_button.setArrowType(self._arrow(False))
            self.more_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.more_button.setAutoRaise(True)
            self.more_box = QWidget()
            self.more_box.setLayout(extra)
            self.more_box.setVisible(False)
            self.more_button.toggled.connect(self._toggle_more)
            layout.addWidget(self.more_button)
            layout.addWidget(self.more_box)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.redraft_button)
        layout.addLayout(row)

    @staticmethod
    def _arrow(open_: bool) -> Qt.ArrowType:
        return Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow

    def _toggle_more(self, on: bool) -> None:
        self.more_box.setVisible(on)
        self.more_button.setArrowType(self._arrow(on))

    def _make(self, name: str, kind: str, optional_date: bool) -> _Field:
        if kind == "lines":
            w: QWidget = QPlainTextEdit()
            w.setTabChangesFocus(True)
            if name != "body":
                w.setFixedHeight(60)
                w.setPlaceholderText("一行一项")
            return _Field(name, kind, w)
        if kind == "date":
            w = QDateEdit()
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy年M月d日")
            box = QCheckBox() if optional_date else None
            if box is not None:
                box.setToolTip("勾选后填写")
                w.setEnabled(False)
                box.toggled.connect(w.setEnabled)
                box.toggled.connect(self._changed)
            return _Field(name, kind, w, box)
        if kind == "bool":
            return _Field(name, kind, QCheckBox(BOOL_TEXT.get(name, "")))
        w = QLineEdit()
        w.setClearButtonEnabled(True)
        w.setPlaceholderText(PLACEHOLDERS.get(name, ""))
        return _Field(name, kind, w)

    def _changed(self, *_args) -> None:
        if not self._loading:
            self.touched = True
            self.edited.emit()

    def set_info(self, info: Any) -> None:
        """Fill the form from a ReportInfo (a fresh draft: ``touched`` is reset)."""
        self._loading = True
        try:
            self._base = info
            for name, field in self.fields.items():
                field.set(getattr(info, name, None))
        finally:
            self._loading = False
        self.touched = False

    def info(self) -> Any:
        """The ReportInfo as edited (fields without an editor as drafted)."""
        values = {name: field.get() for name, field in self.fields.items()}
        base = self._base if self._base is not None else report_mod.ReportInfo()
        return dataclasses.replace(base, **values)

    def has_draft(self) -> bool:
        return self._base is not None
