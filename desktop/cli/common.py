"""What every command of the command line shares: the clerk's errors (``UserError``: one Chinese line, exit
status 2), the Chinese argparse, the ``--data-dir/--db-url/--debug`` options, opening the ledger, dates and
JSON output. The command groups import from here; nothing here imports a command group.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

#: ``cmd(name, help, func)`` → the command's parser: how a command group registers its commands
AddCommand = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]


class UserError(Exception):
    """A request the clerk can fix: printed as one Chinese line, exit status 2."""


class ChineseParser(argparse.ArgumentParser):
    """argparse with its complaints in Chinese and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"命令行参数有误：{message}。运行 python -m desktop --help 查看用法。\n")


def common_options(p: argparse.ArgumentParser, suppress: bool) -> None:
    """``--data-dir``, ``--db-url`` and ``--debug``, on the program and (``suppress``) on each command."""
    default = argparse.SUPPRESS if suppress else None
    p.add_argument("--data-dir", default=default, metavar="DIR", help="台账所在文件夹")
    p.add_argument("--db-url", default=default, metavar="URL", help="使用数据库服务器代替本地文件")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS if suppress else False,
                   help="出错时显示详细信息")


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


def existing_ledger(args: argparse.Namespace):
    """The ledger of ``--db-url``, or of the data folder if a ledger file is there; None otherwise (a
    command that only reads must not create one)."""
    from desktop.storage.paths import DB_FILE_NAME

    if args.db_url is None and not (data_dir_of(args) / DB_FILE_NAME).is_file():
        return None
    return open_ledger(args)


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期格式不对：{text}。请写成 YYYY-MM-DD，例如 2023-06-30。") from None


def today_arg(args: argparse.Namespace) -> dt.date:
    """``--today``, else today."""
    return parse_date(args.today) if args.today else dt.date.today()


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def notice_or_fail(ledger, notice_id: int) -> None:
    if notice_id not in {n.id for n in ledger.notices()}:
        raise UserError(f"台账中没有编号为 {notice_id} 的通知。运行 python -m desktop notices 查看已有通知。")

