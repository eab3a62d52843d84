"""The ``annual-report`` command: ``python -m desktop annual-report YEAR [--load F.json] [--save F.json]
[--out PATH]`` (../shared/docs/cli.md), registered by ``desktop.cli.entry``.

The report is kept in the ledger (``--data-dir`` / ``--db-url`` as every command; ``Ledger.annual_report``),
so backups, restores and a server ledger carry it. ``--load`` reads a JSON file and stores it as the year's
report in the ledger (replacing the stored one: last writer wins, as every command-line edit); without it the
stored report is used, else an empty one. ``--save`` writes its JSON, ``--out`` a .docx or .pdf chosen by
the extension; the open check problems are printed as "注意：…" lines (last year's stored report gives the
year-on-year checks). Bad input (a broken JSON, a wrong extension, a missing folder, a file of another year)
exits 2 with one Chinese line on stderr; nothing is written then, to the ledger or elsewhere.
"""
from __future__ import annotations

import argparse
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
    sp.add_argument("--load", metavar="FILE.json", help="从 JSON 文件读取报告数据并存入台账（不给出时使用台账中已保存的该年度报告）")
    sp.add_argument("--save", metavar="FILE.json", help="把报告数据保存为 JSON 文件")
    sp.add_argument("--out", metavar="PATH", help="导出报告：.docx 或 .pdf（按扩展名）")
    sp.set_defaults(func=run)
    return sp


def _open_ledger(args: argparse.Namespace):
    """The ledger of --data-dir / --db-url (else $NOTICEDESK_DATA_DIR, else the user's data folder), as every
    other command opens it."""
    from desktop.storage.ledger import Ledger

    data_dir = getattr(args, "data_dir", None)  # None: paths.default_data_dir() ($NOTICEDESK_DATA_DIR first)
    return Ledger(data_dir=Path(data_dir) if data_dir else None, db_url=getattr(args, "db_url", None))


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


def _from_file(path_text: str, year: int):
    """The report in the file ``--load`` names, which must be of ``year``."""
    from desktop.annual import store
    from desktop.annual.model import ReportFormatError

    try:
        report = store.load(Path(path_text))
    except ReportFormatError as exc:
        raise AnnualUserError(str(exc)) from None
    if report.year != year:
        raise AnnualUserError(f"文件 {Path(path_text).name} 是{report.year}年的报告，与命令中的年度{year}不一致。"
                              "请检查年度或文件。")
    return report


def _stored(ledger, year: int):
    """The ledger's report of ``year``, or None."""
    from desktop.annual.model import ReportFormatError

    try:
        found = ledger.annual_report(year)
    except ReportFormatError as exc:
        raise AnnualUserError(str(exc)) from None
    return None if found is None else found.report


def _last_year(ledger, year: int):
    from desktop.annual.model import ReportFormatError

    try:
        found = ledger.annual_report(year - 1)
    except ReportFormatError:
        return None  # a broken report of last year only means no year-on-year checks
    return None if found is None else found.report


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
    from desktop.annual.model import AnnualReport
    from desktop.storage.errors import cannot_write

    year = _year(args.year)
    out = _target(args.out, (".docx", ".pdf"), "导出文件") if args.out else None
    save = _target(args.save, (".json",), "保存文件") if args.save else None
    loaded = _from_file(args.load, year) if args.load else None  # a bad file: refused before the ledger opens
    with _open_ledger(args) as ledger:
        if loaded is not None:
            ledger.save_annual_report(loaded)
            report, stored = loaded, True
        else:
            found = _stored(ledger, year)
            report, stored = found or AnnualReport.empty(year), found is not None
        problems = check(report, _last_year(ledger, year))
    if loaded is not None:
        print(f"已存入台账：{report.title}")
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
    if save is None and out is None and loaded is None:
        print(f"{report.title}：{'台账中已有保存的数据' if stored else '台账中尚无数据'}。"
              "用 --load 从 JSON 文件存入台账，--save 保存 JSON，--out 导出 .docx 或 .pdf。")
    for p in problems:
        print(f"注意：{p.message}")
    return 0
