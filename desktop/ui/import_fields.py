"""The notice fields of the import window (标题, 文号, 发文机关, 成文日期, 年度) as the clerk reviews them.

A notice that prints no title gets none made up, and one that prints no year is not filed under this year
silently: the fields wait for the clerk, and ``values()`` / ``year_given()`` say what is still missing.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit

from .year_box import YearBox

TITLE_HINT = "原文没有标题，请填写（例如：关于印发2024年政务公开工作要点的通知）"
NO_TITLE = "请先填写通知标题：原文中没有找到标题，打印的公文和清单都要用到它。"
NO_YEAR = ("请先填写“年度”：通知原文没有写明是哪一年的工作，系统不会自动按今年归档。"
           "请在标题下方的“年度”中填写（例如 2024），再接受并保存。")


class NoticeFields:
    """The edits of the notice's own fields, laid out in ``form`` (a QFormLayout for the review page)."""

    def __init__(self, parsed: Any, meta: dict[str, Any]) -> None:
        self.title_edit = QLineEdit(parsed.title or "")
        self.title_edit.setPlaceholderText(TITLE_HINT)
        self.number_edit = QLineEdit(meta["doc_number"] or "")
        self.issuer_edit = QLineEdit(meta["issuer"] or "")
        self.date_edit = QLineEdit(meta["date"].isoformat() if meta["date"] else "")
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.year_edit = YearBox(meta["year"])  # no printed year: empty and marked, never this year silently
        self.form = QFormLayout()
        self.form.addRow("标题", self.title_edit)
        line = QHBoxLayout()
        for label, w in (("文号", self.number_edit), ("发文机关", self.issuer_edit), ("成文日期", self.date_edit),
                         ("年度", self.year_edit)):
            line.addWidget(QLabel(label))
            line.addWidget(w, 1)
        self.form.addRow(line)

    def values(self) -> dict[str, Any]:
        """title, doc_number, issuer, date, year as the clerk left them; ValueError (in Chinese) for a
        date that is not one or a missing title (which then has the focus)."""
        date_text = self.date_edit.text().strip()
        try:
            date = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError:
            raise ValueError(f"成文日期“{date_text}”格式不对，请写成 YYYY-MM-DD，例如 2023-06-20。") from None
        title = self.title_edit.text().strip()
        if not title:
            self.title_edit.setFocus()
            raise ValueError(NO_TITLE)
        return {"title": title, "doc_number": self.number_edit.text().strip() or None,
                "issuer": self.issuer_edit.text().strip() or None, "date": date, "year": self.year_edit.year()}

    def state(self) -> tuple:
        """What the clerk sees, to tell whether anything changed."""
        return (self.title_edit.text(), self.number_edit.text(), self.issuer_edit.text(), self.date_edit.text(),
                self.year_edit.year())

    def year_given(self, messages) -> bool:
        """True when a 年度 is filled in; else says so (``messages``) and puts the focus there."""
        if not self.year_edit.is_missing():
            return True
        messages.warning(NO_YEAR, "请填写年度")
        self.year_edit.setFocus()
        self.year_edit.selectAll()
        return False
