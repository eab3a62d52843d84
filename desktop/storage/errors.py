"""The exceptions storage raises for the clerk to read (kept import-light: no SQLAlchemy here).

``LedgerError`` is an 'environment' problem (disk full, file locked or corrupt, made by a newer
NoticeDesk, a row deleted by another window): its message is Chinese and meant to be shown as is.
Programming errors (wrong argument names, bad values from code, integrity violations) are NOT
wrapped: they reach the crash handler.
"""
from __future__ import annotations


class LedgerError(Exception):
    """An 'environment' problem to show the clerk (disk full, locked, corrupt, too new): message is Chinese."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail  # the driver's own words, for the log and the "details" box


class NotFoundError(LedgerError, LookupError):
    """The notice, task or unit no longer exists (deleted in another window or by the command line).

    Also a ``LookupError``, so the pure layers that take a ledger (``spreadsheets.returns``) catch it
    without importing storage."""


# The field names a ConflictError reports, as the clerk reads them (domain.TASK_FIELDS has the rest).
_EXTRA_LABELS = {"lead_units": "牵头单位", "units": "责任单位", "progress_note": "落实情况", "*": "任务结构或其他内容"}


class ConflictError(LedgerError):
    """Another client saved this row after the version the caller last saw; nothing was written.

    ``changes``: field → (yours, theirs) for each field the caller tried to set whose stored value
    (theirs) is not what the caller wanted (yours). ``their_fields``: the fields the other saves
    changed since ``expected_version``, from the change log ("*": something the log cannot name, e.g.
    a split or merge). ``theirs``: the stored values of the fields given (for a reload without a
    query). ``can_merge``: the two sides touched different fields, so saving ``yours`` on top of the
    stored row (with ``expected_version=current_version``) loses nothing of theirs.
    """

    def __init__(self, kind: str, row_id: int, expected_version: int, current_version: int,
                 yours: dict, theirs: dict, their_fields: set[str]) -> None:
        self.kind = kind  # "task" or "notice"
        self.row_id = row_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.yours = dict(yours)
        self.theirs = dict(theirs)
        self.their_fields = set(their_fields)
        self.changes = {k: (v, self.theirs.get(k)) for k, v in self.yours.items() if self.theirs.get(k) != v}
        what = "任务" if kind == "task" else "通知"
        names = "、".join(field_label(f) for f in sorted(self.their_fields)) or "内容"
        super().__init__(f"这条{what}（编号 {row_id}）已被其他人修改（{names}），你的修改尚未保存。"
                         "可以合并（保留对方的修改，再写入你的）或重新加载后再改。",
                         detail=f"version {expected_version} → {current_version}")

    @property
    def task_id(self) -> int:
        return self.row_id

    @property
    def can_merge(self) -> bool:
        if "*" in self.their_fields:
            return False
        return not any(f in self.their_fields for f in self.changes)


def field_label(name: str) -> str:
    from desktop.domain import TASK_FIELDS  # light: no SQLAlchemy

    return TASK_FIELDS.get(name) or _EXTRA_LABELS.get(name) or name


def cannot_write(path: object, exc: OSError) -> str:
    """One Chinese line for a file that could not be written (export, feedback workbooks, annual report):
    the disk is full, the folder is read-only, the folder is missing, or the file is open elsewhere.
    The writers go through a temporary file, so nothing is left at ``path`` then. The files the writer
    left open are closed here (``close_abandoned``), so no "Exception ignored" follows the message."""
    import errno

    close_abandoned(exc)

    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        why = "磁盘空间已满"
        what = "请清理磁盘空间或换一个位置后重试"
    elif code == errno.EROFS:
        why = "所在的磁盘或文件夹是只读的（只读的共享文件夹、光盘或写保护的 U 盘）"
        what = "请换一个可以写入的位置"
    elif code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        why = "没有写入权限，或文件正被 Excel/WPS/Word 打开"
        what = "请关闭该文件或换一个位置后重试"
    elif code in (errno.ENOENT, errno.ENOTDIR):
        why = "保存位置不存在"
        what = "请先建立该文件夹或换一个位置"
    else:
        why = f"写入时出错（{exc.strerror or exc}）"
        what = "请检查磁盘（U 盘、网络盘是否已断开）后重试，或换一个位置"
    return f"无法写入 {path}：{why}，没有留下不完整的文件。{what}。"


def close_abandoned(exc: BaseException) -> None:
    """Close the files a writer (openpyxl, python-docx, reportlab) left open when ``exc`` interrupted it:
    their unwritten bytes can no longer be written, and closing them later — when the traceback is
    dropped — would print "Exception ignored … No space left on device" after the clerk's message.
    Looks at the locals of every frame of the traceback and at their attributes, one level down."""
    import io
    import zipfile

    def close(value: object) -> None:
        if isinstance(value, io.IOBase | zipfile.ZipFile):
            try:
                value.close()  # a buffered file closes its descriptor even when the final flush fails
            except Exception:  # noqa: BLE001  (the write already failed; this only tidies up)
                pass

    seen: set[int] = set()
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if id(value) in seen:
                continue
            seen.add(id(value))
            close(value)
            for attr in list(getattr(value, "__dict__", {}).values()):
                close(attr)
        tb = tb.tb_next
