"""``export``: the documents of a notice in 公文 format (.docx / .pdf, the documents package) or as Excel
tables (.xlsx, the spreadsheets package), and the office's name that signs the 落实情况报告.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import AddCommand, UserError, data_dir_of, notice_or_fail, open_ledger, parse_date


def add_commands(cmd: AddCommand) -> None:
    sp = cmd("export", "导出公文格式文档（.docx / .pdf）或 Excel 表格（.xlsx）", cmd_export)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--what", required=True, choices=["table", "units", "open", "progress", "report"],
                    help="table 任务分解表，units 单位任务清单，open 未完成事项清单，progress 落实情况汇总表，report 落实情况报告")
    sp.add_argument("--format", required=True, choices=["docx", "pdf", "xlsx"], dest="fmt",
                    help="xlsx 用于 table、units、open、progress")
    sp.add_argument("--out", required=True, metavar="PATH")
    sp.add_argument("--unit", metavar="NAME", help="只导出这个单位的任务（用于 units）")
    sp.add_argument("--columns", metavar="COLS", help="任务分解表的附加列，用逗号分隔：owner,completion,remark")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算逾期（默认今天）")
    sp.add_argument("--title", metavar="TEXT", help="通知的标题（台账中这份通知没有标题时必须给出）")
    sp.add_argument("--office", metavar="NAME", help="本单位名称：落实情况报告的署名和文件作者（记住后不必再给）")


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.documents import export

    if args.fmt == "xlsx" and args.what == "report":
        raise UserError("落实情况报告是公文，不能导出为 Excel 表格。请用 --format docx 或 --format pdf；"
                        "Excel 可导出 table、units、open、progress。")
    today = parse_date(args.today) if args.today else None
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"保存位置不存在：{out.parent}。请先建立该文件夹或换一个位置。")
    if out.suffix.lower() != f".{args.fmt}":
        out = out.with_name(out.name + f".{args.fmt}") if not out.suffix else out
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    ledger = open_ledger(args)
    try:
        # the start-up reads only (no SQLAlchemy): a fresh export process stays quick
        notice = next((n for n in ledger.notices() if n.id == args.notice_id), None)
        if notice is None:
            notice_or_fail(ledger, args.notice_id)
        rows = ledger.tasks(args.notice_id)
    finally:
        ledger.close()
    notice, office = _document_notice(args, notice)
    if args.unit and args.unit not in {u for r in rows for u in r.lead_units + r.units}:
        raise UserError(f"这份通知中没有单位“{args.unit}”的任务。请检查单位名称（需与台账中的写法一致）。")
    if args.fmt == "xlsx":
        return _export_xlsx(args, out, notice, rows, columns, today)
    try:
        result = export(args.what, notice, rows, args.fmt, out, unit=args.unit, columns=columns, today=today,
                        office=office or None)
    except OSError as exc:  # full disk, read-only folder, file open in WPS/Word: nothing left at out
        from desktop.storage.errors import cannot_write

        raise UserError(cannot_write(out, exc)) from None
    pages = f"，共 {result.pages} 页" if result.pages else ""
    print(f"已导出：{result.path}{pages}")
    for message in result.messages():
        print(f"注意：{message}")
    if args.what == "report" and not office:
        print("注意：报告没有署名。请用 --office 给出本单位名称（只需一次，之后导出的报告都会署名）。")
    return 0


def _document_notice(args: argparse.Namespace, notice):
    """(the notice with the title the documents print, the office's name): ``--title`` supplies a missing
    title (never a placeholder: a notice without one is refused); ``--office`` is remembered for next time."""
    import dataclasses

    from desktop.documents.office import load_office, save_office, settings_path
    from desktop.notice_titles import has_title

    if args.title and args.title.strip():
        notice = dataclasses.replace(notice, title=args.title.strip())
    if not has_title(notice):
        raise UserError("这份通知没有标题（导入时没有读到），导出的文档要用它作标题。请用 --title 给出通知的标题，"
                        "例如 --title \"关于印发2023年政务公开工作要点的通知\"。")
    ini = settings_path(data_dir_of(args))
    office = (args.office or "").strip()
    if office:
        save_office(ini, office)
    return notice, office or load_office(ini)


def _export_xlsx(args: argparse.Namespace, out: Path, notice, rows, columns, today) -> int:
    """``export --format xlsx`` (after ``cmd_export``'s checks): the spreadsheets package writes it."""
    from desktop.spreadsheets.writer import XLSX_KINDS
    from desktop.spreadsheets.writer import export_xlsx as write

    if args.what not in XLSX_KINDS:
        raise UserError("落实情况报告是公文，不能导出为 Excel 表格。请用 --format docx 或 --format pdf；"
                        "Excel 可导出 table、units、open、progress。")
    try:
        path = write(args.what, notice, rows, out, unit=args.unit, columns=columns, today=today)
    except OSError as exc:
        from desktop.storage.errors import cannot_write

        raise UserError(cannot_write(out, exc)) from None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(f"已导出：{path}")
    return 0
