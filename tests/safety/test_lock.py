"""One window per data folder: noticedesk.lock held with an OS lock, stale locks recovered."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.storage import lock
from desktop.storage.lock import LOCK_FILE_NAME, InstanceLock, LedgerLockedError, acquire, holder
from tests.safety.conftest import REPO, assert_refused

HOLD = ("import sys, time; from pathlib import Path; from desktop.storage.lock import acquire; "
        "acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(120)")


@pytest.fixture
def other_process(data_dir):
    """Another process holding the data folder's lock, killed (SIGKILL) at the end if still alive."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(data_dir)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    proc.stdout.close()


def test_lock_file_records_who_holds_it_and_goes_on_release(data_dir):
    held = acquire(data_dir)
    try:
        info = json.loads((data_dir / LOCK_FILE_NAME).read_text(encoding="utf-8"))
        assert info["pid"] == os.getpid() and info["host"] and info["started"]
        assert holder(data_dir) is None  # held by us
    finally:
        held.release()
    assert not (data_dir / LOCK_FILE_NAME).exists()
    acquire(data_dir).release()  # and can be taken again


def test_second_instance_is_told_the_ledger_is_open_elsewhere(data_dir, other_process):
    with pytest.raises(LedgerLockedError) as err:
        acquire(data_dir)
    text = str(err.value)
    assert text.startswith(f"台账已在另一个窗口中打开（进程 {other_process.pid}，开始于 20")
    assert holder(data_dir).pid == other_process.pid


def test_two_locks_in_one_process_also_conflict(data_dir):
    with InstanceLock(data_dir), pytest.raises(LedgerLockedError):
        InstanceLock(data_dir).acquire()


def test_stale_lock_of_a_killed_process_is_recovered_silently(data_dir, other_process):
    other_process.send_signal(signal.SIGKILL)
    other_process.wait()
    assert (data_dir / LOCK_FILE_NAME).exists()  # left behind by the crash
    assert holder(data_dir) is None
    held = acquire(data_dir)
    try:
        assert held.recovered is not None and held.recovered.pid == other_process.pid
        assert json.loads((data_dir / LOCK_FILE_NAME).read_text(encoding="utf-8"))["pid"] == os.getpid()
    finally:
        held.release()


def test_leftover_lock_file_with_junk_is_recovered(data_dir):
    (data_dir / LOCK_FILE_NAME).write_text("not json at all", encoding="utf-8")
    with InstanceLock(data_dir) as held:
        assert held.held


def test_without_os_locks_the_recorded_pid_decides(data_dir, monkeypatch, other_process):
    monkeypatch.setattr(lock, "_try_lock", lambda fd: None)  # a share without byte-range locks
    with pytest.raises(LedgerLockedError):  # the recorded process is alive on this host
        acquire(data_dir)
    other_process.kill()
    other_process.wait()
    with InstanceLock(data_dir) as held:  # now it is gone
        assert held.recovered.pid == other_process.pid


def test_gui_refuses_a_second_window_and_runs_after_a_crash(run_cli, data_dir, other_process):
    assert_refused(run_cli("--quit-when-ready", "--no-err-windows", data_dir=data_dir),
                   "台账已在另一个窗口中打开", f"进程 {other_process.pid}")
    other_process.kill()
    other_process.wait()
    ok = run_cli("--quit-when-ready", "--no-err-windows", data_dir=data_dir)
    assert ok.returncode == 0, ok.stderr
    assert not (data_dir / LOCK_FILE_NAME).exists()  # released on exit


def test_command_line_reads_and_writes_do_not_need_the_lock(run_cli, data_dir, other_process, corpus_dir):
    imported = run_cli("import", str(corpus_dir / "000_songming_2021.txt"), data_dir=data_dir)
    assert imported.returncode == 0, imported.stderr
    assert run_cli("notices", data_dir=data_dir).returncode == 0


def test_unwritable_folder_is_left_unlocked_not_refused(tmp_path, monkeypatch):
    real_open = os.open

    def refuse(path, *a, **k):
        if str(path).endswith(LOCK_FILE_NAME):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    monkeypatch.setattr(os, "open", refuse)
    held = acquire(tmp_path)
    assert not held.held
    held.release()


def test_release_is_idempotent(data_dir):
    held = acquire(data_dir)
    held.release()
    held.release()
    assert not Path(data_dir / LOCK_FILE_NAME).exists()
