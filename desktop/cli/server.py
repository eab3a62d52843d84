"""A ledger on a database server (``--db-url``): ``migrate``, and ``backup`` / ``restore`` across engines
(``storage/transfer.py``), which ``backup.py``'s commands hand over here when ``--db-url`` is given."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import AddCommand, open_ledger


def add_commands(cmd: AddCommand) -> None:
    cmd("migrate", "建立或升级台账数据库（数据库服务器上由信息技术管理员运行；本地文件打开时会自动升级）", cmd_migrate)


def cmd_migrate(args: argparse.Namespace) -> int:
    from desktop.storage import migrations

    if not args.db_url:  # the SQLite file: opening it migrates it (with a backup first)
        ledger = open_ledger(args)
        try:
            found = ledger._sql.found_version if ledger._sql is not None else ledger.schema_version
            now = ledger.schema_version
        finally:
            ledger.close()
    else:
        found, now = migrations.migrate(args.db_url)
    if found == now:
        print(f"台账已是最新版本（版本 {now}），无需升级。")
    elif found == 0:
        print(f"已建立台账数据库（版本 {now}）。")
    else:
        print(f"已把台账从版本 {found} 升级到版本 {now}。")
    return 0


def backup(args: argparse.Namespace) -> int:
    """``backup --out FILE`` of a server ledger: a SQLite file holding every row (evidence included)."""
    from desktop.storage.backup import inspect_backup
    from desktop.storage.transfer import backup_server

    written = backup_server(args.db_url, Path(args.out))
    summary = inspect_backup(written)
    print(f"已备份：{written}（{len(summary.notices)} 份通知，{summary.task_count} 项任务，"
          f"{summary.size // 1024} KB，台账版本 {summary.schema_version}）")
    return 0


def restore(args: argparse.Namespace, evidence_dir: Any) -> int:
    """``restore FILE --db-url URL [--replace]``: load a SQLite backup into the server."""
    from desktop.storage.backup import inspect_backup
    from desktop.storage.errors import LedgerError
    from desktop.storage.transfer import restore_to_server

    path = Path(args.file)
    if not path.is_file():
        raise LedgerError(f"找不到备份文件：{path}。请检查路径是否正确。")
    print(inspect_backup(path).describe())
    if args.dry_run:
        print("（--dry-run：只显示，未做任何修改）")
        return 0
    result = restore_to_server(args.db_url, path, replace=getattr(args, "replace", False),
                               evidence_dir=evidence_dir)
    print(result.describe())
    return 0
