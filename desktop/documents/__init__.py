"""Official-format documents (GB/T 9704-2012) from a notice's tasks, as .docx and .pdf.

``export(kind, notice, rows, fmt, out)`` builds the document (one builder module per kind: table_doc,
unit_lists, open_items, report) and renders it with ``docx_writer`` or ``pdf_writer``; both read every
number from ``layout``. Plain Python on plain data: no Qt, no SQLAlchemy; python-docx and reportlab are
imported only when a document is written. The file appears at ``out`` only when complete.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain import NoticeInfo, TaskRow

KINDS = {
    "table": "任务分解表",
    "units": "单位任务清单",
    "open": "未完成事项清单",
    "progress": "落实情况汇总表",
    "report": "落实情况报告",
}
FORMATS = ("docx", "pdf")


class ExportCancelled(Exception):
    """The export was cancelled through ``cancel()``; no file was written."""


@dataclass
class ExportResult:
    """What an export wrote: the file, its page count (PDF only), and fonts that stood in for official ones.

    ``fallbacks_used`` (PDF): one ``Fallback`` per role whose official font is not installed here and per
    font that supplied missing characters; ``missing_fonts`` (docx): official fonts the document names that
    this machine lacks (Word/WPS will substitute them here, not on a PC that has them); ``missing_glyphs``:
    characters no available font has (they print as boxes).
    """

    path: Path
    pages: int | None = None
    fallbacks_used: list = field(default_factory=list)
    missing_fonts: list[str] = field(default_factory=list)
    missing_glyphs: str = ""

    def messages(self) -> list[str]:
        """Sentences for the clerk, in Chinese."""
        out = [f.message() for f in self.fallbacks_used]
        out += [f"本机未安装字体“{n}”，在本机打开时会显示为替代字体" for n in self.missing_fonts]
        if self.missing_glyphs:
            out.append(f"以下字符没有可用字体，将显示为方框：{self.missing_glyphs}")
        return out


def draft_report(notice: NoticeInfo, rows: list[TaskRow], today: dt.date | None = None, unit: str | None = None):
    """Every field of the 落实情况报告 drafted for the clerk to edit (``report.ReportInfo``)."""
    from desktop.documents.report import draft_report as draft

    return draft(notice, rows, today or dt.date.today(), unit)


def build(kind: str, notice: NoticeInfo, rows: list[TaskRow], *, unit: str | None = None,
          columns: list[str] | None = None, today: dt.date | None = None, report=None):
    """The ``model.Doc`` of a document kind (see ``KINDS``)."""
    today = today or dt.date.today()
    if kind == "table":
        from desktop.documents.table_doc import build_table
        return build_table(notice, rows, columns)
    if kind == "progress":
        from desktop.documents.table_doc import build_progress
        return build_progress(notice, rows, today)
    if kind == "units":
        from desktop.documents.unit_lists import build_units
        return build_units(notice, rows, unit)
    if kind == "open":
        from desktop.documents.open_items import build_open
        return build_open(notice, rows, today)
    if kind == "report":
        from desktop.documents.report import build_report
        return build_report(notice, rows, today, report)
    raise ValueError(f"未知的文档类型：{kind}（可选：{'、'.join(KINDS)}）")


def export(kind: str, notice: NoticeInfo, rows: list[TaskRow], fmt: str, out: Path | str, *,
           unit: str | None = None, columns: list[str] | None = None, today: dt.date | None = None,
           report=None, progress: Callable[[int, int], None] | None = None,
           cancel: Callable[[], bool] | None = None) -> ExportResult:
    """Write document ``kind`` of ``notice`` as ``fmt`` ('docx' | 'pdf') to ``out``.

    ``rows``: the notice's tasks in tree pre-order (depth, number, child_count, parent_id filled).
    ``unit``: only this unit's list (kind 'units'). ``columns``: extra columns of the 任务分解表 among
    'owner', 'completion', 'remark'. ``today``: the as-of date of 'open', 'progress', 'report'.
    ``report``: a ``report.ReportInfo`` for kind 'report' (None: ``draft_report``'s draft, with the
    落实情况汇总表 attached). ``progress(done, total)`` is called as rows are
    laid out; when ``cancel()`` returns True the export stops and raises ``ExportCancelled``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"不支持的格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    doc = build(kind, notice, rows, unit=unit, columns=columns, today=today, report=report)
    return write_doc(doc, fmt, out, progress=progress, cancel=cancel)


def write_doc(doc, fmt: str, out: Path | str, *, progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None) -> ExportResult:
    """Render a built ``model.Doc`` as ``fmt`` ('docx' | 'pdf') to ``out`` (written in full, then renamed)."""
    if fmt not in FORMATS:
        raise ValueError(f"不支持的格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    out = Path(out)
    from desktop.documents.pdf_writer import Cancelled

    fd, tmp_name = tempfile.mkstemp(prefix=".noticedesk-", suffix=f".{fmt}", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "pdf":
            from desktop.documents.pdf_writer import PdfWriter
            w = PdfWriter(doc, tmp, progress, cancel)
            pages = w.render()
            result = ExportResult(out, pages, w.fonts.fallback_report(),
                                  missing_glyphs="".join(sorted(w.fonts.missing)))
        else:
            from desktop.documents.docx_writer import DocxWriter
            missing = DocxWriter(doc, tmp, progress, cancel).render()
            result = ExportResult(out, None, [], missing)
        os.replace(tmp, out)
        return result
    except Cancelled:
        raise ExportCancelled from None
    finally:
        if tmp.exists():
            tmp.unlink()
