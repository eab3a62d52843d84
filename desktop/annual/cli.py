"""The ``annual-report`` command: ``python -m desktop annual-report YEAR [--load F.json] [--save F.json]
[--out PATH]`` (../shared/docs/cli.md), as a hook that ``desktop/cli.py``'s ``build_parser`` registers.

The report comes from ``--load``, else from ``annual-reports/YEAR.json`` in the data folder, else starts
empty. ``--save`` writes its JSON, ``--out`` a .docx or .pdf chosen by the extension; the open check
problems are printed as "注意：…" lines. Bad input (a broken JSON, a wrong extension, a missing folder, a
file of another year) exits 2 with one Chinese line on stderr; nothing is written then.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

HELP = "政府信息公开工作年度报告：读取/保存 JSON，导出 .docx 或 .pdf"


class AnnualUserError(Exception):
    """A request the clerk can fix: one Chinese line, exit status 2."""


def register(subparsers, common: Callable[[argparse.ArgumentParser, bool], None]) -> argparse.ArgumentParser:
    """Add ``annual-report`` to ``subparsers`` (``common`` = desktop.cli._common, called with suppress=True)."""
    sp = subparsers.add_parser("annual-report", help=HELP, description=HELP)
    common(sp, True)
    sp.add_argument("year", metavar="YEAR", help="报告年度，例如 2024")
    sp.add_argument("--load", metavar="FILE.json", help="从 JSON 文件读取报告数据（默认读取数据文件夹中已保存的该年度报告）")
    sp.add_argument("--save", metavar="FILE.json", help="把报告数据保存为 JSON 文件")
    sp.add_argument("--out", metavar="PATH", help="导出报告：.docx 或 .pdf（按扩展名）")
    sp.set_defaults(func=run)
    return sp


def _data_dir(args: argparse.Namespace) -> Path:
    """--data-dir, else $NOTICEDESK_DATA_DIR, else the user's data folder (as every other command)."""
    if getattr(args, "data_dir", None):
        return Path(args.data_dir)
    if os.environ.get("NOTICEDESK_DATA_DIR"):
        return Path(os.environ["NOTICEDESK_DATA_DIR"])
    from desktop.storage.paths import default_data_dir

    return default_data_dir()


def _year(text: str) -> int:
    t = str(text).strip()
    if not t.isdigit() or not 1990 <= int(t) <= 2999:
        raise AnnualUserError(f"年度不对：{text}。请写四位数的年份，例如 2024。")
    return int(t)


def _target(path_text: str, allowed: tuple[str, ...], what: str) -> Path:
    path = Path(path_text)
    if path.suffix.lower() not in allowed:
        raise AnnualUserError(f"{what}的扩展名不对：{path.name}。请用 {' 或 '.join(allowed)} 结尾的文件名。")
    if not path.parent.is_dir():
        raise AnnualUserError(f"保存位置不存在：{path.parent}。请先建立该文件夹或换一个位置。")
    return path


def _report(args: argparse.Namespace, year: int):
    from desktop.annual import store
    from desktop.annual.model import AnnualReport, ReportFormatError

    try:
        if args.load:
            report = store.load(Path(args.load))
            if report.year != year:
                raise AnnualUserError(f"文件 {Path(args.load).name} 是{report.year}年的报告，与命令中的年度{year}不一致。"
                                      "请检查年度或文件。")
            return report
        return store.load_year(_data_dir(args), year) or AnnualReport.empty(year)
    except ReportFormatError as exc:
        raise AnnualUserError(str(exc)) from None


def _last_year(args: argparse.Namespace, year: int):
    from desktop.annual import store
    from desktop.annual.model import ReportFormatError

    try:
        return store.load_year(_data_dir(args), year - 1)
    except ReportFormatError:
        return None  # a broken file of last year only means no year-on-year checks


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except AnnualUserError as exc:
        if getattr(args, "debug", False):
            raise
        sys.stderr.write(f"{exc}\n")
        return 2


def _run(args: argparse.Namespace) -> int:
    from desktop.annual import store
    from desktop.annual.checks import check
    from desktop.storage.errors import cannot_write

    year = _year(args.year)
    out = _target(args.out, (".docx", ".pdf"), "导出文件") if args.out else None
    save = _target(args.save, (".json",), "保存文件") if args.save else None
    report = _report(args, year)
    problems = check(report, _last_year(args, year))
    if save is not None:
        try:
            store.save(report, save)
        except OSError as exc:  # full disk, read-only folder …: the old file (if any) is as it was
            raise AnnualUserError(cannot_write(save, exc)) from None
        print(f"已保存：{save}")
    if out is not None:
        from desktop.documents.annual_report_doc import export_annual

        try:
            result = export_annual(report, out.suffix.lower().lstrip("."), out)
        except OSError as exc:
            raise AnnualUserError(cannot_write(out, exc)) from None
        pages = f"，共 {result.pages} 页" if result.pages else ""
        print(f"已导出：{result.path}{pages}")
        for message in result.messages():
            print(f"注意：{message}")
    if save is None and out is None:
        print(f"{report.title}：{'已有保存的数据' if args.load or store.path_for(_data_dir(args), year).is_file() else '尚无数据'}。"
              "用 --save 保存 JSON，--out 导出 .docx 或 .pdf。")
    for p in problems:
        print(f"注意：{p.message}")
    return 0
