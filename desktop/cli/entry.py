"""The program's entry: ``main`` starts the window or runs one command of ../shared/docs/cli.md; the parser
is wired from the command groups (``notices``, ``tracking``, ``documents``, ``backup``, ``server``,
``exchange``, and the annual package's ``annual-report``), imported only when a command is named so that a
plain start-up of the window stays light.

Bad input or a bad request exits with status 2 and one Chinese line on stderr; nothing is written
to the ledger and no traceback is shown (``--debug`` shows one).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from desktop import __version__

from .common import ChineseParser, UserError, common_options, data_dir_of


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


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    p = ChineseParser(prog="python -m desktop", description="要点台账 NoticeDesk")
    common_options(p, suppress=False)
    p.add_argument("--version", action="version", version=f"NoticeDesk {__version__}")
    p.add_argument("--quit-when-ready", action="store_true", help="窗口就绪后立即退出（自检、测速）")
    p.add_argument("--no-err-windows", action="store_true", help="错误只写到标准错误输出，不弹窗")
    if not with_commands:
        return p
    from desktop.cli.annual import register as register_annual_report

    from . import backup, documents, exchange, notices, server, tracking

    sub = p.add_subparsers(dest="command", parser_class=ChineseParser, metavar="COMMAND")

    def cmd(name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        common_options(sp, suppress=True)
        sp.set_defaults(func=func)
        return sp

    notices.add_commands(cmd)  # parse, import, notices
    tracking.add_commands(cmd)  # tasks, task, digest, stats
    documents.add_commands(cmd)  # export
    backup.add_commands(cmd)  # backup, restore
    server.add_commands(cmd)  # migrate (creates or upgrades a server's schema)
    exchange.add_commands(cmd)  # returns, feedback, carry-forward, compare (the Excel exchange)
    register_annual_report(sub, common_options)  # annual-report YEAR [--load] [--save] [--out]
    return p


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
