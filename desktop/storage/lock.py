"""One NoticeDesk window per data folder: ``noticedesk.lock`` held with an OS lock.

The window takes the lock (``acquire``) before it opens the ledger and keeps it until it quits. The
file holds who took it (pid, host, start time, as JSON) for the message a second window shows:
"台账已在另一个窗口中打开（进程 …，开始于 …）". What decides is the OS lock on the open file, not the
file's existence: ``fcntl.flock`` on Linux/macOS, ``msvcrt.locking`` (on a byte past the text, so
others can still read who holds it) on Windows. The OS drops the lock when the process dies however
it dies, so a lock file left by a crash or a power cut is stale and is taken over silently. Where the
file system offers no locks (some network shares) the recorded pid decides: the lock is stale when
that process is gone on this host.

Short command-line commands do not take the lock: reads never conflict, and writes are single
SQLite transactions that SQLite's own file locking serialises with the window's (the window then
shows the change on its next reload). ``restore`` does check it (``holder``): replacing the whole
ledger under an open window is refused.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from desktop.storage.errors import LedgerError

_log = logging.getLogger(__name__)

LOCK_FILE_NAME = "noticedesk.lock"
_WIN_LOCK_OFFSET = 1 << 16  # the byte locked on Windows: beyond the JSON, which stays readable
_NO_LOCKS = {errno.ENOLCK, errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", 95), getattr(errno, "EOPNOTSUPP", 95)}
_held: dict[str, InstanceLock] = {}  # locks this process holds, by resolved path


@dataclass
class LockInfo:
    pid: int | None
    host: str
    started: str

    def describe(self) -> str:
        where = "" if not self.host or self.host == socket.gethostname() else f"，计算机 {self.host}"
        return f"进程 {self.pid if self.pid is not None else '未知'}，开始于 {self.started or '未知时间'}{where}"


class LedgerLockedError(LedgerError):
    """Another NoticeDesk window has this data folder open."""

    def __init__(self, info: LockInfo, data_dir: Path) -> None:
        super().__init__(f"台账已在另一个窗口中打开（{info.describe()}）。请切换到那个窗口继续工作；"
                         f"如果确认没有其他 NoticeDesk 窗口，请稍候片刻再打开。\n数据文件夹：{data_dir}")
        self.info = info


def _read_info(path: Path) -> LockInfo:
    try:
        raw = json.loads(path.read_text(encoding="utf-8").strip() or "{}")
    except (OSError, ValueError):
        raw = {}
    pid = raw.get("pid")
    return LockInfo(pid=pid if isinstance(pid, int) else None, host=str(raw.get("host") or ""),
                    started=str(raw.get("started") or ""))


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _try_lock(fd: int) -> bool | None:
    """True: locked; False: held by another process; None: the file system has no locks."""
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except (BlockingIOError, PermissionError):
        return False
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            return False
        if e.errno in _NO_LOCKS:
            return None
        raise


def _unlock(fd: int) -> None:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def _same_file(fd: int, path: Path) -> bool:
    """The open file is still the one at ``path`` (another process may have removed it while
    releasing its lock between our open and our lock)."""
    if os.name == "nt":
        return True  # an open file cannot be removed on Windows
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


class InstanceLock:
    """The lock of one data folder, held by this process until ``release``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_FILE_NAME
        self._fd: int | None = None
        self.recovered: LockInfo | None = None  # a stale lock that was taken over

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> InstanceLock:
        """Take the lock; LedgerLockedError when another live process holds it. A folder where no
        lock file can be written (read-only) is logged and left unlocked: nothing can write there."""
        if self._fd is not None:
            return self
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            _log.warning("cannot create %s; continuing without an instance lock", self.data_dir, exc_info=True)
            return self
        for _attempt in range(5):
            try:
                existed = self.path.exists()
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                _log.warning("cannot write %s; continuing without an instance lock", self.path, exc_info=True)
                return self
            try:
                got = _try_lock(fd)
            except OSError:
                os.close(fd)
                raise
            if got is False:
                os.close(fd)
                raise LedgerLockedError(_read_info(self.path), self.data_dir)
            if got is None:  # no OS locks here: the recorded pid decides
                info = _read_info(self.path)
                if (info.pid is not None and info.pid != os.getpid() and info.host == socket.gethostname()
                        and _pid_alive(info.pid)):
                    os.close(fd)
                    raise LedgerLockedError(info, self.data_dir)
            if not _same_file(fd, self.path):
                _unlock(fd)
                os.close(fd)
                continue
            if existed:
                info = _read_info(self.path)
                if info.pid is not None or info.started:
                    self.recovered = info
                    _log.info("took over a stale lock of %s (%s)", self.data_dir, info.describe())
            self._write(fd)
            self._fd = fd
            _held[str(self.path.resolve())] = self
            return self
        raise LedgerError(f"无法锁定台账文件夹 {self.data_dir}（锁文件不断被替换）。请稍后重试。")

    def _write(self, fd: int) -> None:
        from desktop import __version__

        text = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                           "started": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                           "program": f"NoticeDesk {__version__}"}, ensure_ascii=False)
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, text.encode("utf-8"))
        try:
            os.fsync(fd)
        except OSError:
            pass

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _held.pop(str(self.path.resolve()), None)
        if os.name != "nt":
            try:
                self.path.unlink()  # while still locked: nobody can take a file about to vanish
            except OSError:
                pass
        _unlock(fd)
        os.close(fd)
        if os.name == "nt":
            try:
                self.path.unlink()
            except OSError:
                pass

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(data_dir: Path) -> InstanceLock:
    """Take the data folder's lock for this process (the window calls this before opening the ledger)."""
    return InstanceLock(data_dir).acquire()


def holder(data_dir: Path) -> LockInfo | None:
    """Who holds the folder's lock, if another process does (None: free, stale, or held by us)."""
    path = Path(data_dir) / LOCK_FILE_NAME
    if not path.exists():
        return None
    if str(path.resolve()) in _held:
        return None
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        got = _try_lock(fd)
        if got:
            _unlock(fd)
            return None
        info = _read_info(path)
        if got is None and not (info.pid is not None and info.host == socket.gethostname() and _pid_alive(info.pid)):
            return None
        return info
    finally:
        os.close(fd)
