"""``backup`` and ``restore`` of the whole ledger: a local ledger file here (``storage/backup.py``), a server
ledger through ``server.py`` (``storage/transfer.py``).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import AddCommand, UserError, data_dir_of


def add_commands(cmd: AddCommand) -> None:
    sp = cmd("backup", "把整个台账备份到一个文件", cmd_backup)
    sp.add_argument("--out", required=True, metavar="FILE", help="备份文件（.sqlite）；给出文件夹时在其中按日期命名")
    sp = cmd("restore", "用备份文件替换台账（原台账先保存到 backups 文件夹）", cmd_restore)
    sp.add_argument("file")
    sp.add_argument("--dry-run", action="store_true", help="只显示备份中有什么，不做替换")
    sp.add_argument("--replace", action="store_true", help="与 --db-url 同用：替换数据库服务器上已有的台账")


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent copy of the ledger file (storage/backup.py); evidence files are not included."""
    from desktop.storage.backup import backup_to

    if args.db_url:  # a server ledger → one SQLite file (storage/transfer.py)
        from .server import backup as backup_server

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
        from .server import restore as restore_server

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
