"""The command line of ../shared/docs/cli.md, on the same service API as the window.

Bad input or a bad request exits with status 2 and one Chinese line on stderr; nothing is written
to the ledger and no traceback is shown (``--debug`` shows one).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from desktop import __version__


class UserError(Exception):
    """A request the clerk can fix: printed as one Chinese line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with its complaints in Chinese and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"命令行参数有误：{message}。运行 python -m desktop --help 查看用法。\n")


def _common(p: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    p.add_argument("--data-dir", default=default, metavar="DIR", help="台账所在文件夹")
    p.add_argument("--db-url", default=default, metavar="URL", help="使用数据库服务器代替本地文件")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS if suppress else False,
                   help="出错时显示详细信息")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m desktop", description="要点台账 NoticeDesk")
    _common(p, suppress=False)
    p.add_argument("--version", action="version", version=f"NoticeDesk {__version__}")
    p.add_argument("--quit-when-ready", action="store_true", help="窗口就绪后立即退出（自检、测速）")
    p.add_argument("--no-err-windows", action="store_true", help="错误只写到标准错误输出，不弹窗")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def cmd(name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        _common(sp, suppress=True)
        sp.set_defaults(func=func)
        return sp

    sp = cmd("parse", "读取并解析通知，不保存", cmd_parse)
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true")
    sp = cmd("import", "解析通知并存入台账", cmd_import)
    sp.add_argument("file")
    sp = cmd("notices", "列出台账中的通知", cmd_notices)
    sp.add_argument("--json", action="store_true")
    sp = cmd("tasks", "列出某通知的任务", cmd_tasks)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--json", action="store_true")
    sp = cmd("task", "修改一条任务", cmd_task)
    sp.add_argument("task_id", type=int)
    sp.add_argument("--status")
    sp.add_argument("--done-on", metavar="YYYY-MM-DD")
    sp.add_argument("--note")
    sp = cmd("export", "导出公文格式文档（.docx / .pdf）", cmd_export)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--what", required=True, choices=["table", "units", "open", "progress", "report"],
                    help="table 任务分解表，units 单位任务清单，open 未完成事项清单，progress 落实情况汇总表，report 落实情况报告")
    sp.add_argument("--format", required=True, choices=["docx", "pdf"], dest="fmt")
    sp.add_argument("--out", required=True, metavar="PATH")
    sp.add_argument("--unit", metavar="NAME", help="只导出这个单位的任务（用于 units）")
    sp.add_argument("--columns", metavar="COLS", help="任务分解表的附加列，用逗号分隔：owner,completion,remark")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算逾期（默认今天）")
    return p


# --- helpers -------------------------------------------------------------------------------------

def data_dir_of(args: argparse.Namespace) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    if os.environ.get("NOTICEDESK_DATA_DIR"):
        return Path(os.environ["NOTICEDESK_DATA_DIR"])
    from desktop.storage.paths import default_data_dir

    return default_data_dir()


def open_ledger(args: argparse.Namespace):
    from desktop.storage.ledger import Ledger

    return Ledger(data_dir=data_dir_of(args), db_url=args.db_url)


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期格式不对：{text}。请写成 YYYY-MM-DD，例如 2023-06-30。") from None


def _read_notice(path_text: str):
    from desktop.importing import parse_path

    path = Path(path_text)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}。请检查路径是否正确。")
    return parse_path(path)


# --- commands ------------------------------------------------------------------------------------

def cmd_parse(args: argparse.Namespace) -> int:
    from desktop.importing import to_json_dict

    parsed = _read_notice(args.file)
    if args.json:
        _print_json(to_json_dict(parsed))
        return 0
    print(parsed.title or "（无标题）")
    for t in parsed.tasks:
        units = "、".join(t.lead_units + t.units)
        print(f"  {t.number or ''}{t.title}  [{units}]  {t.deadline or ''}")
    for w in parsed.warnings:
        print(f"注意：{w}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.intake import ledger_rows

    parsed = _read_notice(args.file)
    meta, rows = ledger_rows(parsed, source_name=Path(args.file).name)
    meta["source_bytes"] = Path(args.file).read_bytes()
    ledger = open_ledger(args)
    try:
        notice_id = ledger.create_notice_with_tasks(meta, rows)
    finally:
        ledger.close()
    print(f"已导入：{parsed.title}（{len(parsed.tasks)} 项任务）")
    for w in parsed.warnings:
        print(f"注意：{w}")
    print(notice_id)
    return 0


def cmd_notices(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    try:
        notices = ledger.notices()
    finally:
        ledger.close()
    if args.json:
        _print_json({"notices": [{
            "id": n.id, "title": n.title, "doc_number": n.doc_number, "issuer": n.issuer,
            "date": n.date.isoformat() if n.date else None, "year": n.year, "task_count": n.task_count,
        } for n in notices]})
        return 0
    for n in notices:
        print(f"{n.id}\t{n.year or ''}\t{n.title}\t{n.doc_number or ''}\t{n.task_count} 项")
    return 0


def task_rows(ledger, notice_id: int) -> list[dict[str, Any]]:
    """The table's rows (leaves of the tree) with their heading path, as ``tasks --json`` lists them."""
    rows = ledger.tasks(notice_id)
    by_id = {r.id: r for r in rows}
    out = []
    for r in rows:
        if r.child_count:
            continue
        path, parent = [], r.parent_id
        while parent is not None:
            p = by_id[parent]
            path.append(f"{p.number}{p.title}")
            parent = p.parent_id
        out.append({
            "id": r.id, "number": r.number, "level": r.depth,
            "section": " > ".join(reversed(path)) or None, "title": r.title, "text": r.text,
            "lead_units": r.lead_units, "units": r.units, "deadline": r.deadline_text or None,
            "due_date": r.due_date.isoformat() if r.due_date else None,
            "deadline_kind": r.deadline_kind.value, "status": r.status.value,
            "done_on": r.done_on.isoformat() if r.done_on else None, "note": r.progress_note or None,
        })
    return out


def _notice_or_fail(ledger, notice_id: int) -> None:
    if notice_id not in {n.id for n in ledger.notices()}:
        raise UserError(f"台账中没有编号为 {notice_id} 的通知。运行 python -m desktop notices 查看已有通知。")


def cmd_tasks(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    try:
        _notice_or_fail(ledger, args.notice_id)
        rows = task_rows(ledger, args.notice_id)
    finally:
        ledger.close()
    if args.json:
        _print_json({"notice_id": args.notice_id, "tasks": rows})
        return 0
    for r in rows:
        units = "、".join(r["lead_units"] + r["units"])
        print(f"{r['id']}\t{r['number']}\t{r['title']}\t{units}\t{r['deadline'] or ''}\t{r['status']}")
    return 0


def cmd_task(args: argparse.Namespace) -> int:
    from desktop.domain import Status

    fields: dict[str, Any] = {}
    if args.status is not None:
        try:
            fields["status"] = Status.parse(args.status)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    if args.done_on is not None:
        fields["done_on"] = _parse_date(args.done_on)
    if args.note is not None:
        fields["progress_note"] = args.note
    if not fields:
        raise UserError("没有要修改的内容：请给出 --status、--done-on 或 --note。")
    ledger = open_ledger(args)
    try:
        ledger.task(args.task_id)  # NotFoundError (a LedgerError) says the task is missing
        ledger.set_fields(args.task_id, **fields)
        row = ledger.task(args.task_id)
    finally:
        ledger.close()
    print(f"已更新任务 {row.id}：{row.title}（{row.status.value}）")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.documents import export

    today = _parse_date(args.today) if args.today else None
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"保存位置不存在：{out.parent}。请先建立该文件夹或换一个位置。")
    if out.suffix.lower() != f".{args.fmt}":
        out = out.with_name(out.name + f".{args.fmt}") if not out.suffix else out
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    ledger = open_ledger(args)
    try:
        _notice_or_fail(ledger, args.notice_id)
        notice = ledger.notice(args.notice_id)
        rows = ledger.tasks(args.notice_id)
    finally:
        ledger.close()
    if args.unit and args.unit not in {u for r in rows for u in r.lead_units + r.units}:
        raise UserError(f"这份通知中没有单位“{args.unit}”的任务。请检查单位名称（需与台账中的写法一致）。")
    try:
        result = export(args.what, notice, rows, args.fmt, out, unit=args.unit, columns=columns, today=today)
    except PermissionError:
        raise UserError(f"无法写入 {out}：文件可能正在被 WPS/Word 打开，或没有写入权限。请关闭后重试。") from None
    pages = f"，共 {result.pages} 页" if result.pages else ""
    print(f"已导出：{result.path}{pages}")
    for message in result.messages():
        print(f"注意：{message}")
    return 0


# --- entry ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        from desktop.app import run_gui

        return run_gui(data_dir_of(args), args.db_url, quit_when_ready=args.quit_when_ready,
                       no_err_windows=args.no_err_windows, debug=args.debug)
    return run_command(func, args)


def run_command(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command, turning the errors a clerk can act on into one Chinese line and status 2."""
    from desktop.importing import NoticeReadError
    from desktop.storage.ledger import LedgerError

    try:
        return func(args)
    except (UserError, NoticeReadError, LedgerError) as exc:
        if args.debug:
            raise
        sys.stderr.write(f"{exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head/more that closed early: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: one line for the clerk, the details with --debug
        if args.debug:
            raise
        sys.stderr.write(f"程序内部错误（{type(exc).__name__}）：{exc}。请加 --debug 重试并将输出发给技术支持。\n")
        return 1
