"""Fixtures for the trust-boundary tests (issue 17): a ledger on BOTH engines, a realistic notice, small
filesystems to write into (a full and a read-only tmpfs), and the command line run in-process.

``ledger``/``store`` come from tests/storage/conftest.py: every test using them runs on the SQLite file of
``data_dir`` and on a fresh schema of the PostgreSQL server of ``$NOTICEDESK_TEST_PG_URL`` (marked
``postgresql``; ``-m "not postgresql"`` deselects that half explicitly).

``small_fs(kind)``: ``kind`` "full" mounts a 256 KiB tmpfs and fills it, "ro" mounts a read-only tmpfs
(root is needed, as in CI). Where mounting is not permitted the folder returned is a path under a
regular file, whose writes fail with ENOTDIR — the test still runs (never a silent skip), it only checks
the weaker case; ``.mounted`` tells which.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.domain import DeadlineKind, Status
from tests.e2e.test_cli import run  # noqa: E402,F401  (the CLI in-process: one helper)
from tests.storage.conftest import ENGINES, ledger, open_ledger, pg_admin, pg_url, store  # noqa: F401

TOWNS = "各乡镇人民政府"
TASKS = [
    {"section": "一、持续优化营商环境", "title": "压减审批时限", "text": "全面压减企业开办时间至1个工作日内。",
     "lead_units": ["县行政审批服务局"], "units": ["县市场监督管理局"], "deadline_text": "6月底前",
     "due_date": dt.date(2024, 6, 30), "deadline_kind": DeadlineKind.DATE,
     "children": [{"title": "梳理事项清单", "text": "梳理企业开办事项清单并公布。"},
                  {"title": "上线一网通办", "text": "企业开办全流程网上办理。", "status": Status.IN_PROGRESS}]},
    {"section": "一、持续优化营商环境", "title": "清理拖欠账款", "text": "开展清理拖欠企业账款专项行动。",
     "lead_units": ["县财政局"], "units": [TOWNS], "deadline_text": "长期坚持",
     "deadline_kind": DeadlineKind.LONG_TERM},
    {"section": "二、全面推进乡村振兴", "title": "人居环境整治", "text": "开展农村人居环境整治提升行动，完成改厕500户。",
     "lead_units": ["县农业农村局"], "units": [TOWNS], "deadline_text": "11月底前",
     "due_date": dt.date(2024, 11, 30), "deadline_kind": DeadlineKind.DATE},
    {"section": "二、全面推进乡村振兴", "title": "粮食生产", "text": "稳定粮食播种面积。",
     "lead_units": ["县农业农村局"], "deadline_text": "全年", "deadline_kind": DeadlineKind.YEAR_ROUND},
]


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def where(store: str | None, data_dir: Path) -> list[str]:  # noqa: F811
    """The command-line options naming the fixture ledger (a data folder or a server)."""
    return ["--db-url", store] if store else ["--data-dir", str(data_dir)]


@pytest.fixture
def notice_id(ledger) -> int:  # noqa: F811
    return ledger.create_notice_with_tasks(
        {"title": "关于印发2024年县政府重点工作任务分解的通知", "doc_number": "×政办发〔2024〕3号",
         "date": dt.date(2024, 2, 20)}, TASKS)


def titled(ledger, notice_id: int) -> dict[str, int]:  # noqa: F811
    return {r.title: r.id for r in ledger.tasks(notice_id)}




def refused(code: int, out: str, err: str, *words: str) -> str:
    """Exit status 2, one Chinese line on stderr, no traceback, no 程序内部错误; returns stderr."""
    assert code == 2, (code, out, err)
    text = err.strip()
    assert text and "Traceback" not in text and "程序内部错误" not in text, text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    for w in words:
        assert w in text, text
    return text


# --- small filesystems ---------------------------------------------------------------------------
@dataclass
class Place:
    folder: Path
    mounted: bool
    kind: str  # "full" | "ro"

    def contents(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir()) if self.folder.is_dir() else []


FILLER = "filler.bin"


def _fill(folder: Path) -> None:
    """Write zeros into ``folder`` until the filesystem has no block left."""
    fd = os.open(folder / FILLER, os.O_WRONLY | os.O_CREAT)
    try:
        block = b"\0" * 4096
        while True:
            try:
                if os.write(fd, block) == 0:
                    break
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
                break
    finally:
        os.close(fd)
    assert os.statvfs(folder).f_bavail == 0


@pytest.fixture
def small_fs(tmp_path: Path):
    mounts: list[Path] = []

    def make(kind: str) -> Place:
        mnt = tmp_path / f"mnt-{kind}-{len(mounts)}"
        mnt.mkdir()
        opts = "size=256k,mode=0777" + (",ro" if kind == "ro" else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(mnt)], capture_output=True)
        if done.returncode != 0:  # not root, or no CAP_SYS_ADMIN: the weaker case, still checked
            blocker = tmp_path / f"a-file-{kind}"
            blocker.write_text("not a folder")
            return Place(blocker / "out", False, kind)
        mounts.append(mnt)
        if kind == "full":
            _fill(mnt)
        return Place(mnt, True, kind)

    yield make
    for mnt in mounts:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
