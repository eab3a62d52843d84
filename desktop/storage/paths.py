"""Where the ledger lives: the data folder (``$NOTICEDESK_DATA_DIR`` or the per-user data folder)."""
from __future__ import annotations

import os
from pathlib import Path

DB_FILE_NAME = "noticedesk.sqlite"
BACKUP_DIR_NAME = "backups"


def default_data_dir() -> Path:
    """``$NOTICEDESK_DATA_DIR`` if set (tests, portable installs), else the OS's per-user data folder."""
    env = os.environ.get("NOTICEDESK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only needed when no folder is given

    return Path(platformdirs.user_data_dir("NoticeDesk", appauthor=False))
