"""Official-format documents (GB/T 9704-2012) from a notice's tasks, as .docx and .pdf.

``export(kind, notice, rows, fmt, out)`` builds the document (one builder module per kind: table_doc,
unit_lists, open_items, report) and renders it with ``docx_writer`` or ``pdf_writer``; both read every
number from ``layout``. Plain Python on plain data: no Qt, no SQLAlchemy; python-docx and reportlab are
imported only when a document is written. The file appears at ``out`` only when complete, with the mode any
new file of the user gets (the umask; an existing file keeps its own), and names the office as its author.

A notice without a real title (empty, or the placeholder "（无标题通知）" older imports stored) raises
``MissingTitle``: nothing prints a placeholder as a title; the caller asks the clerk for the title.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import stat
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


class MissingTitle(ValueError):
    """The notice has no title to print (none was read on import): ask the clerk for it."""

    def __init__(self) -> None:
        super().__init__("这份通知没有标题（导入时没有读到），文档的标题和报告正文都要用到它。请先填写通知的标题再导出。")


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


def draft_report(notice: NoticeInfo, rows: list[TaskRow], today: dt.date | None = None, unit: str | None = None,
                 office: str | None = None):
    """Every field of the 落实情况报告 drafted for the clerk to edit (``report.ReportInfo``); ``office``: the
    office's own name, the 署名 when no ``unit`` reports."""
    from desktop.documents.report import draft_report as draft

    return draft(notice, rows, today or dt.date.today(), unit, office=office)


def build(kind: str, notice: NoticeInfo, rows: list[TaskRow], *, unit: str | None = None,
          columns: list[str] | None = None, today: dt.date | None = None, report=None, office: str | None = None):
    """The ``model.Doc`` of a document kind (see ``KINDS``); ``MissingTitle`` when the notice has no title."""
    from desktop.documents.model import clean, has_title

    if kind not in KINDS:
        raise ValueError(f"未知的文档类型：{kind}（可选：{'、'.join(KINDS)}）")
    if not has_title(notice):
        raise MissingTitle
    today = today or dt.date.today()
    if kind == "table":
        from desktop.documents.table_doc import build_table
        doc = build_table(notice, rows, columns)
    elif kind == "progress":
        from desktop.documents.table_doc import build_progress
        doc = build_progress(notice, rows, today)
    elif kind == "units":
        from desktop.documents.unit_lists import build_units
        doc = build_units(notice, rows, unit)
    elif kind == "open":
        from desktop.documents.open_items import build_open
        doc = build_open(notice, rows, today)
    else:
        from desktop.documents.report import build_report
        doc = build_report(notice, rows, today, report, office=office)
    doc.author = doc.author or clean(office)
    return doc


def export(kind: str, notice: NoticeInfo, rows: list[TaskRow], fmt: str, out: Path | str, *,
           unit: str | None = None, columns: list[str] | None = None, today: dt.date | None = None,
           report=None, office: str | None = None, progress: Callable[[int, int], None] | None = None,
           cancel: Callable[[], bool] | None = None) -> ExportResult:
    """Write document ``kind`` of ``notice`` as ``fmt`` ('docx' | 'pdf') to ``out``.

    ``rows``: the notice's tasks in tree pre-order (depth, number, child_count, parent_id filled).
    ``unit``: only this unit's list (kind 'units'). ``columns``: extra columns of the 任务分解表 among
    'owner', 'completion', 'remark'. ``today``: the as-of date of 'open', 'progress', 'report'.
    ``report``: a ``report.ReportInfo`` for kind 'report' (None: ``draft_report``'s draft, with the
    落实情况汇总表 attached). ``office``: the office's own name — the report's 署名 when ``report`` gives
    none (the callers ask the clerk for it once) and every file's author. ``progress(done, total)`` is called
    as rows are laid out; when ``cancel()`` returns True the export stops and raises ``ExportCancelled``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"不支持的格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    doc = build(kind, notice, rows, unit=unit, columns=columns, today=today, report=report, office=office)
    return write_doc(doc, fmt, out, progress=progress, cancel=cancel)


def write_doc(doc, fmt: str, out: Path | str, *, progress: Callable[[int, int], None] | None = None,
              cancel: Callable[[], bool] | None = None) -> ExportResult:
    """Render a built ``model.Doc`` as ``fmt`` ('docx' | 'pdf') to ``out`` (written in full, then renamed)."""
    if fmt not in FORMATS:
        raise ValueError(f"不支持的格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    out = Path(out)
    from desktop.documents.progress import Cancelled

    tmp = _new_file_beside(out, fmt)
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
        _keep_mode(out, tmp)
        os.replace(tmp, out)
        return result
    except Cancelled:
        raise ExportCancelled from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _new_file_beside(out: Path, fmt: str) -> Path:
    """A new empty hidden file in ``out``'s folder, created with mode 0666 less the umask: the mode any new
    file of the user gets (``tempfile`` would make it 0600, unreadable for colleagues on a shared folder)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = out.parent / f".noticedesk-{secrets.token_hex(6)}.{fmt}"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"无法在 {out.parent} 中建立临时文件")


def _keep_mode(out: Path, tmp: Path) -> None:
    """A file written over an existing one keeps that file's permissions."""
    try:
        mode = stat.S_IMODE(out.stat().st_mode)
    except OSError:
        return
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass
