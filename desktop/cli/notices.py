"""Commands that bring notices in and list them: ``parse``, ``import`` (with ``--columns/--header-row/--table
/--remember`` and ``--as-new``) and ``notices``. ``import`` goes through ``desktop.import_service`` — the
same reading (unit directory, remembered column settings), duplicate rule and storing as the import window.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .common import AddCommand, UserError, existing_ledger, open_ledger, print_json

ROLE_WORDS = "序号 分组 任务名称 具体内容 牵头单位 责任单位 配合单位 完成时限 忽略"


def add_commands(cmd: AddCommand) -> None:
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


def _table_options(sp: argparse.ArgumentParser) -> None:
    """``parse``/``import`` … ``--columns R1,R2,… [--header-row N] [--table K] [--remember]`` (cli.md)."""
    sp.add_argument("--columns", metavar="R1,R2,…",
                    help=f"按列的顺序写出每一列的用途，用逗号分隔，可用：{ROLE_WORDS}")
    sp.add_argument("--header-row", type=int, metavar="N",
                    help="表头在表格的第 N 行（从 1 数起，上面各行是标题；0 表示没有表头）")
    sp.add_argument("--table", type=int, metavar="K", help="读通知中的第 K 个表格（默认：程序选定的表格）")
    sp.add_argument("--remember", action="store_true",
                    help="按表头的文字在台账中记住这次的列设置，下次遇到表头相同的表格时自动使用")


# --- the clerk's reading of a table --------------------------------------------------------------

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


def _read_document(path_text: str, sheet: str | None = None):
    from desktop.importing import read_document

    path = Path(path_text)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}。请检查路径是否正确。")
    return read_document(path, sheet)


def _check_choice(parsed, choice) -> None:
    """A reading the clerk asked for needs a table; more or fewer roles than columns is said."""
    if choice is None:
        return
    if not parsed.tables:
        raise UserError("这份通知中没有表格，--columns、--header-row、--table 无从使用。请去掉这些选项再试。")
    if not choice.columns:
        return
    k = _target_table(parsed, choice)
    width, given = _width(parsed.tables[k - 1]), len(choice.columns)
    if given > width:
        parsed.warnings.append(f"--columns 写了 {given} 列的用途，第 {k} 个表格只有 {width} 列：多出的已忽略。")
    elif given < width:
        parsed.warnings.append(f"--columns 写了 {given} 列的用途，第 {k} 个表格有 {width} 列：其余各列按“忽略”处理。")


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


def _read(doc, choice, ledger, maps: list | None = None):
    """``import_service.read_notice`` of the read file under the clerk's options, the remembered setting
    it applied said as a warning (with the tables it left out)."""
    from desktop.import_service import read_notice
    from desktop.intake import describe_columns

    reading = read_notice(doc, ledger, choice, maps)
    _check_choice(reading.parsed, choice)
    if reading.remembered is not None:
        k, labels, roles = reading.remembered
        note = f"已按记住的列设置读取第 {k} 个表格（{describe_columns(labels, roles)}）。如需改动，请用 --columns 重新指定。"
        for j, n in reading.left_out:
            note += f"只读了这个表格：第 {j} 个表格的 {n} 项任务未列入，需要时请加 --table {j} 读取。"
        reading.parsed.warnings.append(note)
    return reading


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


# --- commands ------------------------------------------------------------------------------------

def cmd_parse(args: argparse.Namespace) -> int:
    """The notice as the parser reads it (by a remembered column setting when one fits), not stored; a
    ledger that cannot be opened only means no remembered settings (parse does not need it)."""
    from desktop.importing import to_json_dict
    from desktop.storage.ledger import LedgerError

    choice = _table_choice(args)
    doc = _read_document(args.file, args.sheet)
    ledger, maps, trouble = None, [], None
    try:
        if args.columns is None:
            try:
                ledger = existing_ledger(args)
                maps = ledger.column_maps() if ledger is not None else []
            except LedgerError as exc:
                trouble = f"未能读取台账中记住的列设置（{' '.join(str(exc).split())}），已按程序的判断读取。"
        reading = _read(doc, choice, None, maps)  # the unit directory is the import's to apply
        parsed = reading.parsed
        if trouble:
            parsed.warnings.append(trouble)
        remembered = None
        if args.remember:
            remembered = _to_remember(parsed, reading.choice)
            if ledger is None:
                ledger = open_ledger(args)
            ledger.remember_columns(*remembered)
    finally:
        if ledger is not None:
            ledger.close()
    if args.json:
        print_json(to_json_dict(parsed))
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
    from desktop.import_service import DuplicateNotice, import_notice

    choice = _table_choice(args)
    doc = _read_document(args.file, args.sheet)
    source = Path(args.file).read_bytes()
    ledger = existing_ledger(args)
    try:
        reading = _read(doc, choice, ledger)
        parsed = reading.parsed
        remember = _to_remember(parsed, reading.choice) if args.remember else None
        if ledger is None:
            ledger = open_ledger(args)
        try:
            done = import_notice(ledger, parsed, source_name=Path(args.file).name, source_bytes=source,
                                 as_new=args.as_new, remember=remember)
        except DuplicateNotice as same:
            raise UserError(f"{same}如确需再导入一份，请加 --as-new。") from None
    finally:
        if ledger is not None:
            ledger.close()
    print(f"已导入：{parsed.title}（{len(parsed.tasks)} 项任务）")
    for w in done.warnings:
        print(f"注意：{w}")
    if done.remembered:
        print(_remembered_line(*done.remembered))
    if done.not_remembered:
        print(f"注意：任务已保存，但列设置没有记住：{done.not_remembered}")
    print(done.notice_id)
    return 0


def cmd_notices(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    try:
        notices = ledger.notices()
    finally:
        ledger.close()
    if args.json:
        print_json({"notices": [{
            "id": n.id, "title": n.title, "doc_number": n.doc_number, "issuer": n.issuer,
            "date": n.date.isoformat() if n.date else None, "year": n.year, "task_count": n.task_count,
        } for n in notices]})
        return 0
    for n in notices:
        print(f"{n.id}\t{n.year or ''}\t{n.title}\t{n.doc_number or ''}\t{n.task_count} 项")
    return 0
