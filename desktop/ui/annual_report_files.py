"""The annual report window's file buttons: 打开已存的报告数据… / 另存报告数据… (the report's data as a .json
file, e.g. to carry to another PC) and 导出 Word/PDF (the open problems are listed first; export is never
refused), with the default file dialogs the window's ``ask_open_path`` / ``ask_save_path`` start as.

Each function takes the window and acts on its report; good news goes to its status bar, failures to a box.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from desktop.annual import store
from desktop.annual.model import ReportFormatError

if TYPE_CHECKING:
    from .annual_report_window import AnnualReportWindow

FILTERS = {"json": "年度报告数据 (*.json)", "docx": "Word 文档 (*.docx)", "pdf": "PDF 文档 (*.pdf)"}
TITLES = {"json": "另存报告数据", "docx": "导出 Word", "pdf": "导出 PDF"}
PROBLEMS_LISTED = 12  # open problems named in the box before an export; the rest are counted


def import_json(win: AnnualReportWindow) -> bool:
    """打开已存的报告数据…: a .json file's report replaces the year shown (asked first when it has content or
    the file is of another year); stored in the ledger at once."""
    path = win.ask_open_path()
    if path is None:
        return False
    try:
        report = store.load(path)
    except ReportFormatError as exc:
        win.messages.error(str(exc))
        return False
    year = win.report.year
    if report.year != year and not win.confirm(
            "打开已存的报告数据", f"文件中是{report.year}年的报告，当前年度是{year}年。作为{year}年的报告打开吗？"):
        return False
    if win.has_content() and not win.confirm("打开已存的报告数据",
                                             f"{year}年的报告已有内容，将被文件中的内容替换。继续吗？"):
        return False
    report.year = year
    win.replace_report(report)
    win.info(f"已打开 {Path(path).name} 中的报告数据。")
    return True


def save_json_as(win: AnnualReportWindow) -> Path | None:
    """另存报告数据…: the whole report as a .json file; its path, or None when cancelled or not written."""
    path = win.ask_save_path("json", f"{win.report.title}.json")
    if path is None:
        return None
    try:
        store.save(win.report, path)
    except OSError as exc:
        win.messages.error(f"无法保存到 {path}：{exc.strerror or exc}")
        return None
    win.info(f"已保存：{path}")
    return Path(path)


def export(win: AnnualReportWindow, fmt: str) -> Path | None:
    """导出 Word/PDF: the open problems first (the clerk may go on), then the file."""
    win.flush()
    win.refresh_checks()
    problems = win.problems
    if problems:
        shown = "\n".join(f"· {p.message}" for p in problems[:PROBLEMS_LISTED])
        more = f"\n……另有 {len(problems) - PROBLEMS_LISTED} 项" if len(problems) > PROBLEMS_LISTED else ""
        if not win.confirm("导出前请核对", f"还有 {len(problems)} 项问题没有处理：\n{shown}{more}\n\n仍要导出吗？"):
            return None
    path = win.ask_save_path(fmt, f"{win.report.title}.{fmt}")
    if path is None:
        return None
    path = Path(path)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(path.name + f".{fmt}")
    from desktop.documents.annual_report_doc import export_annual

    try:
        result = export_annual(win.report, fmt, path)
    except OSError as exc:
        win.messages.error(f"无法写入 {path}：文件可能正在被 WPS/Word 打开，或没有写入权限（{exc.strerror or exc}）。")
        return None
    pages = f"，共 {result.pages} 页" if result.pages else ""
    notes = result.messages()
    win.info(f"已导出：{path}{pages}" + ("。" + "；".join(notes[:3]) if notes else ""))
    return path


def ask_open_path(win: AnnualReportWindow) -> Path | None:
    """The default 打开已存的报告数据 dialog, starting in the window's data folder."""
    name, _ = QFileDialog.getOpenFileName(win, "打开已存的报告数据", str(win.data_dir), FILTERS["json"])
    return Path(name) if name else None


def ask_save_path(win: AnnualReportWindow, fmt: str, suggested: str) -> Path | None:
    """The default save dialog for ``fmt`` (json/docx/pdf), suggesting ``suggested`` in the home folder."""
    title = TITLES.get(fmt, "保存")
    name, _ = QFileDialog.getSaveFileName(win, title, str(Path.home() / suggested), FILTERS[fmt])
    return Path(name) if name else None
