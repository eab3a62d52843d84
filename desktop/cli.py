"""The command line of ../shared/docs/cli.md, on the same service API as the window.

Bad input or a bad request exits with status 2 and one Chinese line on stderr; nothing is written
to the ledger and no traceback is shown (``--debug`` shows one).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
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


def names_a_command(argv: list[str]) -> bool:
    """Whether ``argv`` holds a command (or asks for help): plain start-up of the window skips
    building the commands' parsers and importing their modules."""
    takes_value = {"--data-dir", "--db-url"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return True
    return False


ROLE_WORDS = "序号 分组 任务名称 具体内容 牵头单位 责任单位 配合单位 完成时限 忽略"


def _table_options(sp: argparse.ArgumentParser) -> None:
    """``parse``/``import`` … ``--columns R1,R2,… [--header-row N] [--table K] [--remember]`` (cli.md)."""
    sp.add_argument("--columns", metavar="R1,R2,…",
                    help=f"按列的顺序写出每一列的用途，用逗号分隔，可用：{ROLE_WORDS}")
    sp.add_argument("--header-row", type=int, metavar="N",
                    help="表头在表格的第 N 行（从 1 数起，上面各行是标题；0 表示没有表头）")
    sp.add_argument("--table", type=int, metavar="K", help="读通知中的第 K 个表格（默认：程序选定的表格）")
    sp.add_argument("--remember", action="store_true",
                    help="按表头的文字在台账中记住这次的列设置，下次遇到表头相同的表格时自动使用")


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    p = _Parser(prog="python -m desktop", description="要点台账 NoticeDesk")
    _common(p, suppress=False)
    p.add_argument("--version", action="version", version=f"NoticeDesk {__version__}")
    p.add_argument("--quit-when-ready", action="store_true", help="窗口就绪后立即退出（自检、测速）")
    p.add_argument("--no-err-windows", action="store_true", help="错误只写到标准错误输出，不弹窗")
    if not with_commands:
        return p
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def cmd(name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        _common(sp, suppress=True)
        sp.set_defaults(func=func)
        return sp

    sp = cmd("parse", "读取并解析通知，不保存", cmd_parse)
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--sheet", metavar="NAME", help="只读 .xlsx 工作簿中的这个工作表")
    _table_options(sp)
    sp = cmd("import", "解析通知并存入台账", cmd_import)
    sp.add_argument("file")
    sp.add_argument("--sheet", metavar="NAME", help="只读 .xlsx 工作簿中的这个工作表")
    _table_options(sp)
    sp.add_argument("--as-new", action="store_true", help="台账中已有这份通知时，仍作为一份新通知导入")
    sp = cmd("notices", "列出台账中的通知", cmd_notices)
    sp.add_argument("--json", action="store_true")
    sp = cmd("tasks", "列出某通知的任务", cmd_tasks)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算截止日期和逾期（默认今天）")
    sp = cmd("task", "修改一条任务", cmd_task)
    sp.add_argument("task_id", type=int)
    sp.add_argument("--status", help="未开始 推进中 已完成 暂缓 不适用")
    sp.add_argument("--done-on", metavar="YYYY-MM-DD", help="完成日期；与 --note 同用时也是这条进展的日期")
    sp.add_argument("--note", help="添加一条落实情况（进展记录）")
    sp.add_argument("--who", default="", help="进展记录的填报人")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="代替今天的日期")
    sp = cmd("digest", "逾期和即将到期的任务（按单位分组）", cmd_digest)
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算（默认今天）")
    sp.add_argument("--days", type=int, default=7, metavar="N", help="列出 N 天内到期的任务（默认 7）")
    sp.add_argument("--json", action="store_true")
    sp = cmd("stats", "各单位任务完成情况统计（牵头、责任）", cmd_stats)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算逾期（默认今天）")
    sp.add_argument("--expand", action="store_true", help="把“各乡镇人民政府”等统称展开为单位库中的各单位分别统计")
    sp.add_argument("--json", action="store_true")
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
    sp = cmd("backup", "把整个台账备份到一个文件", cmd_backup)
    sp.add_argument("--out", required=True, metavar="FILE", help="备份文件（.sqlite）；给出文件夹时在其中按日期命名")
    sp = cmd("restore", "用备份文件替换台账（原台账先保存到 backups 文件夹）", cmd_restore)
    sp.add_argument("file")
    sp.add_argument("--dry-run", action="store_true", help="只显示备份中有什么，不做替换")
    sp.add_argument("--replace", action="store_true", help="与 --db-url 同用：替换数据库服务器上已有的台账")
    from desktop.cli_server import add_commands as add_server_commands

    add_server_commands(cmd)  # migrate (creates or upgrades a server's schema)
    from desktop.cli_exchange import add_commands

    add_commands(cmd)  # returns, feedback, carry-forward, compare (the Excel exchange)
    from desktop.annual.cli import register as register_annual_report

    register_annual_report(sub, _common)  # annual-report YEAR [--load] [--save] [--out]
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


def _column_roles(text: str) -> list[str]:
    """``--columns 序号,分组,…`` → column roles (parse.columns.ROLES); a word that is not a role is the
    clerk's to fix. Chinese commas and 、 separate as well."""
    from desktop.importing.parse.columns import roles_from_names

    words = [w.strip() for w in re.split(r"[,，、]", text)]
    for i, word in enumerate(words, 1):
        if not word:
            raise UserError(f"--columns 的第 {i} 项是空的。请按列的顺序为每一列写一个用途，用逗号分隔，"
                            f"可用的有：{ROLE_WORDS}。")
    try:
        return roles_from_names(words)
    except ValueError as exc:
        raise UserError(f"--columns 中的“{exc}”不是列的用途。可用的有：{ROLE_WORDS}"
                        "（按列的顺序每列写一个，用逗号分隔）。") from None


def _table_choice(args: argparse.Namespace):
    """The clerk's reading of a table from ``--columns/--header-row/--table`` (None: the parser's own)."""
    from desktop.importing import TableChoice

    columns = _column_roles(args.columns) if args.columns is not None else None
    if args.table is not None and args.table < 1:
        raise UserError(f"--table {args.table} 不对：表格从 1 数起，第一个表格写 --table 1。")
    if args.header_row is not None and args.header_row < 0:
        raise UserError(f"--header-row {args.header_row} 不对：请写表头所在的行号（从 1 数起），没有表头写 0。")
    if columns is None and args.table is None and args.header_row is None:
        return None
    return TableChoice(table=args.table, header_row=args.header_row, columns=columns)


def _read_notice(path_text: str, sheet: str | None = None, choice=None):
    """(the read document, the notice parsed with ``choice``): the document is parsed again when a
    remembered column setting applies, without reading the file again."""
    from desktop.importing import parse_document, read_document

    path = Path(path_text)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}。请检查路径是否正确。")
    doc = read_document(path, sheet)
    parsed = parse_document(doc, None, choice)
    if choice is not None:
        if not parsed.tables:
            raise UserError("这份通知中没有表格，--columns、--header-row、--table 无从使用。请去掉这些选项再试。")
        _note_column_count(parsed, choice)
    return doc, parsed


def _target_table(parsed, choice) -> int | None:
    """The 1-based table a reading is about: ``--table``, else the one the parser reads under a choice
    (the largest), else the one that gave the most tasks (None if none gave any)."""
    tables = parsed.tables
    if not tables:
        return None
    if choice is not None:
        return choice.table or max(range(len(tables)), key=lambda i: len(tables[i].rows)) + 1
    best = max(range(len(tables)), key=lambda i: tables[i].tasks)
    return best + 1 if tables[best].tasks else None


def _width(grid) -> int:
    return max((len(r) for r in grid.rows), default=0)


def _note_column_count(parsed, choice) -> None:
    if not choice.columns:
        return
    k = _target_table(parsed, choice)
    width, given = _width(parsed.tables[k - 1]), len(choice.columns)
    if given > width:
        parsed.warnings.append(f"--columns 写了 {given} 列的用途，第 {k} 个表格只有 {width} 列：多出的已忽略。")
    elif given < width:
        parsed.warnings.append(f"--columns 写了 {given} 列的用途，第 {k} 个表格有 {width} 列：其余各列按“忽略”处理。")


def _existing_ledger(args: argparse.Namespace):
    """The ledger of ``--db-url``, or of the data folder if a ledger file is there; None otherwise (a
    command that only reads must not create one)."""
    from desktop.storage.paths import DB_FILE_NAME

    if args.db_url is None and not (data_dir_of(args) / DB_FILE_NAME).is_file():
        return None
    return open_ledger(args)


def _apply_remembered(doc, parsed, choice, maps):
    """Parse again by a remembered column setting that fits one of the notice's tables (``--table`` and
    ``--header-row`` narrow the search); returns (parsed, the choice it was read with)."""
    from desktop.importing import TableChoice, parse_document
    from desktop.intake import describe_columns, remembered_reading

    found = remembered_reading(parsed.tables, maps, choice.table if choice else None,
                               choice.header_row if choice else None)
    if found is None:
        return parsed, choice
    k, row, labels, roles = found
    left_out = [(j, g.tasks) for j, g in enumerate(parsed.tables, 1) if j != k and g.tasks]
    choice = TableChoice(table=k, header_row=row, columns=roles)
    parsed = parse_document(doc, None, choice)
    note = f"已按记住的列设置读取第 {k} 个表格（{describe_columns(labels, roles)}）。如需改动，请用 --columns 重新指定。"
    for j, n in left_out:
        note += f"只读了这个表格：第 {j} 个表格的 {n} 项任务未列入，需要时请加 --table {j} 读取。"
    parsed.warnings.append(note)
    return parsed, choice


def _to_remember(parsed, choice) -> tuple[list[str], list[str]]:
    """(header labels, roles) that ``--remember`` stores: the table's reading under its header's labels;
    a table read without a header has nothing to be remembered by."""
    from desktop.intake import header_labels

    k = _target_table(parsed, choice)
    if k is None:
        raise UserError("这份通知没有按表格读出任务，没有可以记住的列设置。请去掉 --remember，"
                        "或用 --table、--columns 指定要读的表格。")
    grid = parsed.tables[k - 1]
    labels = header_labels(grid)
    if labels is None:
        raise UserError(f"第 {k} 个表格是按没有表头读的，--remember 要按表头的文字记住列设置，这里无从记起。"
                        "请用 --header-row 写明表头所在的行，或去掉 --remember。")
    width = _width(grid)
    roles = list(choice.columns) if choice is not None and choice.columns else list(grid.roles)
    roles = roles[:width] + ["other"] * (width - len(roles))
    return labels, roles


def _print_tables(parsed) -> None:
    """How each table was read (its header row, each column's role), for choosing --columns/--header-row."""
    from desktop.intake import describe_columns, header_labels

    for k, grid in enumerate(parsed.tables, 1):
        if not grid.roles:
            print(f"表格 {k}：{len(grid.rows)} 行，未读取")
            continue
        head = f"第 {grid.header_row} 行是表头" if grid.header_row else "没有表头"
        columns = describe_columns(header_labels(grid) or [], grid.roles)
        print(f"表格 {k}：{len(grid.rows)} 行，{head}，读出 {grid.tasks} 项任务（{columns}）")


def _remembered_line(labels: list[str], roles: list[str]) -> str:
    from desktop.intake import describe_columns

    return f"已记住列设置：表头为“{'|'.join(labels)}”的表格，今后按（{describe_columns(labels, roles)}）读取。"


def _notice_year(parsed) -> int | None:
    return parsed.year if parsed.year is not None else (parsed.date.year if parsed.date else None)


# --- commands ------------------------------------------------------------------------------------

def cmd_parse(args: argparse.Namespace) -> int:
    from desktop.importing import to_json_dict
    from desktop.storage.ledger import LedgerError

    choice = _table_choice(args)
    doc, parsed = _read_notice(args.file, args.sheet, choice)
    ledger = None
    try:
        if args.columns is None:
            try:  # a ledger that cannot be opened only means no remembered settings: parse does not need it
                ledger = _existing_ledger(args)
                maps = ledger.column_maps() if ledger is not None else []
            except LedgerError as exc:
                maps = []
                parsed.warnings.append(f"未能读取台账中记住的列设置（{' '.join(str(exc).split())}），已按程序的判断读取。")
            parsed, choice = _apply_remembered(doc, parsed, choice, maps)
        remembered = None
        if args.remember:
            remembered = _to_remember(parsed, choice)
            if ledger is None:
                ledger = open_ledger(args)
            ledger.remember_columns(*remembered)
    finally:
        if ledger is not None:
            ledger.close()
    if args.json:
        _print_json(to_json_dict(parsed))
        if remembered:
            sys.stderr.write(_remembered_line(*remembered) + "\n")
        return 0
    print(parsed.title or "（无标题）")
    _print_tables(parsed)
    for t in parsed.tasks:
        units = "、".join(t.lead_units + t.units)
        print(f"  {t.number or ''}{t.title}  [{units}]  {t.deadline or ''}")
    for w in parsed.warnings:
        print(f"注意：{w}")
    if remembered:
        print(_remembered_line(*remembered))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Refuses a notice the ledger already holds (``Ledger.find_duplicate``) unless ``--as-new``; every
    refusal comes before anything is written (a ledger is created only to store the notice)."""
    from desktop.intake import ledger_rows

    choice = _table_choice(args)
    doc, parsed = _read_notice(args.file, args.sheet, choice)
    source = Path(args.file).read_bytes()
    ledger = _existing_ledger(args)
    try:
        if args.columns is None and ledger is not None:
            parsed, choice = _apply_remembered(doc, parsed, choice, ledger.column_maps())
        remembered = _to_remember(parsed, choice) if args.remember else None
        meta, rows = ledger_rows(parsed, source_name=Path(args.file).name)
        meta["source_bytes"] = source
        if ledger is None:
            ledger = open_ledger(args)
        if not args.as_new:
            same = ledger.find_duplicate(doc_number=parsed.doc_number, title=parsed.title,
                                         year=_notice_year(parsed), source_bytes=source)
            if same is not None:
                raise UserError(f"台账中已有这份通知（编号 {same}：{ledger.notice(same).title}）。"
                                "如确需再导入一份，请加 --as-new。")
        notice_id = ledger.create_notice_with_tasks(meta, rows)
        if remembered:
            ledger.remember_columns(*remembered)
    finally:
        if ledger is not None:
            ledger.close()
    print(f"已导入：{parsed.title}（{len(parsed.tasks)} 项任务）")
    for w in parsed.warnings:
        print(f"注意：{w}")
    if remembered:
        print(_remembered_line(*remembered))
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


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def task_json(r, by_id: dict, today: dt.date | None = None, year: int | None = None) -> dict[str, Any]:
    """One table row as ``tasks --json`` lists it (cli.md), plus the tracking keys: ``next_due`` and
    ``overdue`` (as of ``today``), ``original_due_date`` and ``revision_reason`` of a revised deadline."""
    from desktop.tracking.deadlines import due_of

    path, parent = [], r.parent_id
    while parent is not None:
        p = by_id[parent]
        path.append(f"{p.number}{p.title}")
        parent = p.parent_id
    due = due_of(r, today or dt.date.today(), year)
    return {
        "id": r.id, "number": r.number, "level": r.depth,
        "section": " > ".join(reversed(path)) or None, "title": r.title, "text": r.text,
        "lead_units": r.lead_units, "units": r.units, "deadline": r.deadline_text or None,
        "due_date": _iso(r.due_date), "deadline_kind": r.deadline_kind.value, "status": r.status.value,
        "done_on": _iso(r.done_on), "note": r.progress_note or None,
        "next_due": _iso(due.date), "overdue": due.overdue,
        "original_due_date": _iso(r.original_due_date) if r.revised_at else None,
        "revision_reason": r.revision_reason or None,
    }


def task_rows(ledger, notice_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The table's rows (leaves of the tree) with their heading path, as ``tasks --json`` lists them."""
    rows = ledger.tasks(notice_id)
    by_id = {r.id: r for r in rows}
    year = next((n.year for n in ledger.notices() if n.id == notice_id), None)
    return [task_json(r, by_id, today, year) for r in rows if not r.child_count]


def _notice_or_fail(ledger, notice_id: int) -> None:
    if notice_id not in {n.id for n in ledger.notices()}:
        raise UserError(f"台账中没有编号为 {notice_id} 的通知。运行 python -m desktop notices 查看已有通知。")


def cmd_tasks(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    try:
        _notice_or_fail(ledger, args.notice_id)
        rows = task_rows(ledger, args.notice_id, _parse_date(args.today) if args.today else None)
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
    """Status and 完成日期 by the rules of tracking.status; --note adds a progress-log entry dated
    --done-on (else --today, else today)."""
    from desktop.domain import Status

    status = None
    if args.status is not None:
        try:
            status = Status.parse(args.status)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    done_on = _parse_date(args.done_on) if args.done_on is not None else None
    today = _parse_date(args.today) if args.today else dt.date.today()
    if status is None and done_on is None and args.note is None:
        raise UserError("没有要修改的内容：请给出 --status、--done-on 或 --note。")
    ledger = open_ledger(args)
    try:
        row = ledger.task(args.task_id)  # NotFoundError (a LedgerError) says the task is missing
        done = (status or row.status) == Status.DONE
        if done_on is not None and not done and args.note is None:
            raise UserError(f"任务 {row.id} 的状态是“{row.status.value}”，完成日期只用于已完成的任务。"
                            "请同时给出 --status 已完成。")
        fields: dict[str, Any] = {} if status is None else {"status": status}
        if done:
            fields["done_on"] = done_on or row.done_on or today
        if fields:
            ledger.set_fields(args.task_id, **fields)
        if args.note is not None:
            ledger.add_progress(args.task_id, done_on or today, args.note, args.who)
        row = ledger.task(args.task_id)
    finally:
        ledger.close()
    done_text = f"，完成日期 {row.done_on.isoformat()}" if row.done_on else ""
    print(f"已更新任务 {row.id}：{row.title}（{row.status.value}{done_text}）")
    return 0


def _today_arg(args: argparse.Namespace) -> dt.date:
    return _parse_date(args.today) if args.today else dt.date.today()


def cmd_digest(args: argparse.Namespace) -> int:
    from desktop.tracking.digest import digest

    today = _today_arg(args)
    if args.days < 0:
        raise UserError(f"天数不能为负数：{args.days}。请写 0 或正整数，例如 --days 7。")
    ledger = open_ledger(args)
    try:
        notices = {n.id: n for n in ledger.notices()}
        trees = ledger.tasks_by_notice()
    finally:
        ledger.close()
    years = {nid: n.year for nid, n in notices.items()}
    result = digest(trees, today, args.days, years)
    by_id = {nid: {r.id: r for r in rows} for nid, rows in trees.items()}

    def item_json(item, key: str) -> dict[str, Any]:
        return {**task_json(item.row, by_id[item.notice_id], today, years.get(item.notice_id)),
                "notice_id": item.notice_id, key: item.due.days, "owners": item.owners}

    if args.json:
        _print_json({"today": today.isoformat(), "days": args.days,
                     "overdue": [item_json(i, "days_overdue") for i in result.overdue],
                     "due_soon": [item_json(i, "days_left") for i in result.due_soon]})
        return 0
    if not result.count():
        print(f"截至 {today.isoformat()}：没有逾期或 {args.days} 天内到期的任务。")
        return 0
    print(f"截至 {today.isoformat()}：逾期 {len(result.overdue)} 项，{args.days} 天内到期 {len(result.due_soon)} 项。")
    for unit, overdue, soon in result.by_unit():
        print(f"【{unit}】")
        for item in overdue + soon:
            r = item.row
            when = f"逾期 {item.due.days} 天" if item.due.overdue else (
                "今天到期" if item.due.days == 0 else f"还剩 {item.due.days} 天")
            title = r.title or r.text[:30]
            print(f"  {when}\t{item.due.date.isoformat()}\t{r.number}{title}\t（{notices[item.notice_id].title}）")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    today = _today_arg(args)
    ledger = open_ledger(args)
    try:
        _notice_or_fail(ledger, args.notice_id)
        stats = ledger.stats(today, notice_id=args.notice_id, expand_collective=args.expand)
    finally:
        ledger.close()
    if args.json:
        _print_json({"notice_id": args.notice_id, "today": today.isoformat(),
                     "units": [s.as_json() for s in stats]})
        return 0
    print(f"截至 {today.isoformat()}\t角色\t任务\t已完成\t未完成\t逾期\t按时完成")
    for s in stats:
        role = "牵头" if s.role == "lead" else "责任"
        print(f"{s.unit}\t{role}\t{s.total}\t{s.done}\t{s.open}\t{s.overdue}\t{s.done_on_time}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.documents import export

    if args.fmt == "xlsx" and args.what == "report":
        raise UserError("落实情况报告是公文，不能导出为 Excel 表格。请用 --format docx 或 --format pdf；"
                        "Excel 可导出 table、units、open、progress。")
    today = _parse_date(args.today) if args.today else None
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
            _notice_or_fail(ledger, args.notice_id)
        rows = ledger.tasks(args.notice_id)
    finally:
        ledger.close()
    notice, office = _document_notice(args, notice)
    if args.unit and args.unit not in {u for r in rows for u in r.lead_units + r.units}:
        raise UserError(f"这份通知中没有单位“{args.unit}”的任务。请检查单位名称（需与台账中的写法一致）。")
    if args.fmt == "xlsx":
        from desktop.cli_exchange import export_xlsx

        return export_xlsx(args, out, notice, rows, columns, today)
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

    from desktop.documents.model import has_title
    from desktop.documents.office import load_office, save_office, settings_path

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


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent copy of the ledger file (storage/backup.py); evidence files are not included."""
    from desktop.storage.backup import backup_to

    if args.db_url:  # a server ledger → one SQLite file (storage/transfer.py)
        from desktop.cli_server import backup as backup_server

        return backup_server(args)
    data_dir = data_dir_of(args)
    written, summary = backup_to(data_dir, Path(args.out))
    print(f"已备份：{written}（{len(summary.notices)} 份通知，{summary.task_count} 项任务，"
          f"{summary.size // 1024} KB，台账版本 {summary.schema_version}）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Show what the backup holds, then replace the ledger by it, keeping the old one in backups/."""
    from desktop.storage.backup import inspect_backup, restore

    if args.db_url:  # a SQLite backup → the server (storage/transfer.py); evidence files from the data folder
        from desktop.cli_server import restore as restore_server

        return restore_server(args, data_dir_of(args))
    data_dir = data_dir_of(args)
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"找不到备份文件：{path}。请检查路径是否正确。")
    summary = inspect_backup(path)  # refuses a foreign, damaged or newer file before anything else
    print(summary.describe())
    if args.dry_run:
        print("（--dry-run：只显示，未做任何修改）")
        return 0
    result = restore(data_dir, path)
    print(result.describe())
    return 0


# --- entry ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(with_commands=names_a_command(argv)).parse_args(argv)
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
