"""Evidence files (佐证材料) in the storage service: attaching, listing, opening, renaming, removing and purging them.

``EvidenceStore`` is the collaborator behind the evidence methods of ``ledger.Ledger``. A SQLite ledger
keeps the bytes in its data folder (``evidence_files``, once per content); a ledger on a database server
keeps them in the ``evidence_blob`` table (every client must see them), and ``evidence_path`` copies
them into a local cache folder for the system viewer.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from desktop.domain import EvidenceInfo
from desktop.storage import evidence_files
from desktop.storage.core import Part, log, node
from desktop.storage.engine import fix_sequences, guarded
from desktop.storage.errors import LedgerError, NotFoundError
from desktop.storage.models import Evidence, EvidenceBlob, Task
from desktop.storage.rows import evidence_info, not_found, now

_EVIDENCE = Evidence.__table__
_BLOB = EvidenceBlob.__table__
# Evidence files larger than this are refused on a database server (each one travels whole in one
# statement; scans and photos of 佐证材料 are a few MB).
MAX_BLOB_BYTES = 200 * 1024 * 1024


def _evidence_row(s: Session, evidence_id: int) -> Any:
    r = s.connection().execute(select(_EVIDENCE).where(_EVIDENCE.c.id == evidence_id)).one_or_none()
    if r is None:
        raise NotFoundError(not_found("佐证材料", evidence_id))
    return r


class EvidenceStore(Part):
    """Evidence files of tasks (see ``ledger.Ledger`` for the contract)."""

    def _evidence_root(self) -> Path:
        if self.core.data_dir is None:
            raise LedgerError("找不到数据文件夹，无法保存佐证材料。")
        return Path(self.core.data_dir)

    def _cache_root(self) -> Path:
        if self.core.data_dir is not None:
            return Path(self.core.data_dir) / "evidence-cache"
        return Path(tempfile.gettempdir()) / "noticedesk-evidence-cache"

    @guarded
    def attach_evidence(self, task_id: int, path: Path | str, name: str | None = None) -> int:
        src = Path(path)
        shown = evidence_files.display_name(name if name is not None else src.name)
        ext = evidence_files.safe_ext(shown)
        with self.core.ReadSession.begin() as s:
            node(s, task_id)  # before copying anything
        content: bytes | None = None
        try:
            if self.core.on_server:
                with evidence_files.open_regular(src) as f:
                    size = os.fstat(f.fileno()).st_size
                    if size > MAX_BLOB_BYTES:
                        raise LedgerError(f"佐证材料“{shown}”太大（{size // (1024 * 1024)} MB），数据库服务器上每个文件最多 "
                                          f"{MAX_BLOB_BYTES // (1024 * 1024)} MB。请压缩或拆分后再添加。")
                    content = f.read()
                sha, size = hashlib.sha256(content).hexdigest(), len(content)
            else:
                sha, size = evidence_files.store(src, self._evidence_root(), ext)
        except evidence_files.NotARegularFile:
            raise LedgerError(f"“{src.name}”不是普通文件（而是文件夹、管道或设备），不能作为佐证材料，未做任何修改。"
                              "请选择一个文件（如 .pdf、.jpg、.docx）。") from None
        except FileNotFoundError:
            raise LedgerError(f"找不到文件：{src}。它可能已被移动或删除。") from None
        except OSError as e:
            raise LedgerError(f"无法保存佐证材料“{shown}”：{e.strerror or e}。请检查文件是否可读、磁盘空间是否充足。",
                              detail=str(e)) from e
        with self.core.Session.begin() as s:
            where = node(s, task_id)
            conn = s.connection()
            if content is not None and conn.execute(select(_BLOB.c.size).where(_BLOB.c.sha256 == sha)).first() is None:
                conn.execute(insert(_BLOB).values(sha256=sha, content=content, size=size, added_at=now()))
            eid = int(conn.execute(insert(_EVIDENCE).values(
                task_id=task_id, sha256=sha, ext=ext, name=shown, size=size, added_at=now())
                .returning(_EVIDENCE.c.id)).scalar_one())
            log(s, where.notice_id, task_id, ("evidence:add", None, shown))
            return eid

    @guarded
    def evidence(self, task_id: int) -> list[EvidenceInfo]:
        with self.core.ReadSession.begin() as s:
            node(s, task_id)
            return [evidence_info(r) for r in s.connection().execute(
                select(_EVIDENCE).where(_EVIDENCE.c.task_id == task_id).order_by(_EVIDENCE.c.id))]

    @guarded
    def evidence_counts(self, notice_id: int) -> dict[int, int]:
        e, t = _EVIDENCE.c, Task.__table__.c
        with self.core.ReadSession.begin() as s:
            return {tid: int(n) for tid, n in s.connection().execute(
                select(e.task_id, func.count()).join(Task.__table__, t.id == e.task_id)
                .where(t.notice_id == notice_id).group_by(e.task_id))}

    def _blob(self, sha: str) -> bytes | None:
        with self.core.ReadSession.begin() as s:
            return s.connection().execute(select(_BLOB.c.content).where(_BLOB.c.sha256 == sha)).scalar()

    @guarded
    def evidence_path(self, evidence_id: int) -> Path:
        with self.core.ReadSession.begin() as s:
            r = _evidence_row(s, evidence_id)
        if not self.core.on_server:
            path = evidence_files.blob_path(self._evidence_root(), r.sha256, r.ext)
            if path.is_file():
                return path
            # A ledger that came from a server (backup --out) carries the bytes in evidence_blob.
            content = self._blob(r.sha256)
            if content is None:
                raise LedgerError(f"佐证材料“{r.name}”的文件不在数据文件夹中（{path}），可能被手工删除。请重新添加。")
            return self._materialise(path, content)
        path = evidence_files.blob_path(self._cache_root(), r.sha256, r.ext)
        if path.is_file() and path.stat().st_size == r.size:
            return path
        content = self._blob(r.sha256)
        if content is None:
            raise LedgerError(f"佐证材料“{r.name}”的内容不在数据库中，可能已被清理。请重新添加。")
        return self._materialise(path, content)

    @staticmethod
    def _materialise(path: Path, content: bytes) -> Path:
        """Write ``content`` to ``path`` whole or not at all (temporary file + rename)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(content)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            raise LedgerError(f"无法把佐证材料写到本机缓存文件夹（{path.parent}）：{e.strerror or e}。"
                              "请检查磁盘空间和权限。", detail=str(e)) from e
        return path

    @guarded
    def rename_evidence(self, evidence_id: int, name: str) -> str:
        shown = evidence_files.display_name(name)
        with self.core.Session.begin() as s:
            r = _evidence_row(s, evidence_id)
            if shown != r.name:
                s.connection().execute(update(_EVIDENCE).where(_EVIDENCE.c.id == evidence_id).values(name=shown))
                log(s, node(s, r.task_id).notice_id, r.task_id, ("evidence:rename", r.name, shown))
            return r.name

    @guarded
    def remove_evidence(self, evidence_id: int) -> dict[str, Any]:
        with self.core.Session.begin() as s:
            r = _evidence_row(s, evidence_id)
            s.connection().execute(delete(_EVIDENCE).where(_EVIDENCE.c.id == evidence_id))
            log(s, node(s, r.task_id).notice_id, r.task_id, ("evidence:remove", r.name, None))
            return dict(r._mapping)  # the file (or blob) stays: restore_evidence needs it

    @guarded
    def restore_evidence(self, snapshot: dict[str, Any]) -> None:
        with self.core.Session.begin() as s:
            where = node(s, snapshot["task_id"])
            s.connection().execute(insert(_EVIDENCE).values(**snapshot))
            fix_sequences(s.connection(), ["evidence"])
            log(s, where.notice_id, where.id, ("evidence:restore", None, snapshot["name"]))

    @guarded
    def purge_unreferenced_evidence(self, min_age_s: float = 3600) -> int:
        with self.core.Session.begin() as s:  # the write lock: no evidence row is added meanwhile
            conn = s.connection()
            if self.core.on_server:
                used = select(_EVIDENCE.c.sha256).where(_EVIDENCE.c.sha256 == _BLOB.c.sha256)
                cutoff = now() - dt.timedelta(seconds=min_age_s)
                return int(conn.execute(delete(_BLOB).where(~exists(used), _BLOB.c.added_at <= cutoff)).rowcount)
            keep = {(sha, ext) for sha, ext in conn.execute(select(_EVIDENCE.c.sha256, _EVIDENCE.c.ext))}
            return evidence_files.purge(self._evidence_root(), keep, min_age_s)
