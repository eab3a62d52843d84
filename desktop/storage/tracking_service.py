"""The SQLAlchemy implementation of completion tracking: progress log, evidence files, bulk edits, loading across notices.

``TrackedSqlLedger`` extends ``service.SqlLedger`` (which ``ledger.Ledger`` builds) with the methods
that ``ledger.py`` documents under "completion tracking"; the same rules hold: one method = one
transaction, change-log rows in it, domain objects out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from desktop.domain import DeadlineKind, EvidenceInfo, ProgressEntry, Status, TaskRow, UnitRole
from desktop.storage import evidence_files
from desktop.storage.engine import fix_sequences
from desktop.storage.errors import LedgerError, NotFoundError
from desktop.storage.models import Evidence, EvidenceBlob, Task, TaskUnit, Unit
from desktop.storage.models import ProgressEntry as EntryModel
from desktop.storage.quickread import group_trees, open_rows
from desktop.storage.service import (
    _TASK_TABLE_COLUMNS,
    SqlLedger,
    _as_date,
    _guarded,
    _log,
    _node,
    _now,
    _refresh_latest,
    _replace_units,
    _UnitDirectory,
)
from desktop.storage.text import checked

_ENTRY = EntryModel.__table__
_EVIDENCE = Evidence.__table__
_BLOB = EvidenceBlob.__table__
# Evidence files larger than this are refused on a database server (each one travels whole in one
# statement; scans and photos of 佐证材料 are a few MB).
MAX_BLOB_BYTES = 200 * 1024 * 1024


def _entry(r: Any) -> ProgressEntry:
    return ProgressEntry(id=r.id, task_id=r.task_id, date=r.entry_date, text=r.text, who=r.who, created=r.created_at)


def _evidence(r: Any) -> EvidenceInfo:
    return EvidenceInfo(id=r.id, task_id=r.task_id, name=r.name, sha256=r.sha256, size=r.size, added=r.added_at)


def _one(s: Session, table: Any, row_id: int, what: str) -> Any:
    r = s.connection().execute(select(table).where(table.c.id == row_id)).one_or_none()
    if r is None:
        raise NotFoundError(f"找不到{what}（编号 {row_id}），它可能已在其他窗口中被删除。")
    return r


class TrackedSqlLedger(SqlLedger):
    """``SqlLedger`` plus completion tracking (see ``ledger.Ledger`` for the contract)."""

    # --- loading across notices ------------------------------------------------------------------
    @_guarded
    def tasks_by_notice(self, notice_ids: Sequence[int] | None = None) -> dict[int, list[TaskRow]]:
        task, link, unit = Task.__table__.c, TaskUnit.__table__.c, Unit.__table__.c
        with self._ReadSession.begin() as s:
            conn = s.connection()
            q = select(*_TASK_TABLE_COLUMNS).order_by(task.notice_id, task.position, task.id)
            lq = (select(link.task_id, link.role, unit.name).join(Unit.__table__, unit.id == link.unit_id)
                  .order_by(link.task_id, link.role, link.position))
            if notice_ids is not None:
                q = q.where(task.notice_id.in_(list(notice_ids)))
                lq = lq.join(Task.__table__, task.id == link.task_id).where(task.notice_id.in_(list(notice_ids)))
            rows, links = conn.execute(q).all(), conn.execute(lq).all()
        return group_trees(rows, links, notice_ids)

    @_guarded
    def open_tasks(self, due_by: dt.date | None = None) -> dict[int, list[TaskRow]]:
        task = Task.__table__.c
        cond = task.status.in_([Status.NOT_STARTED, Status.IN_PROGRESS])
        if due_by is not None:
            cond &= or_(task.deadline_kind == DeadlineKind.RECURRING, task.due_date <= due_by,
                        task.due_date.is_(None) & (task.deadline_kind == DeadlineKind.YEAR_ROUND))
        return self._leaves(cond)

    @_guarded
    def leaf_tasks(self, notice_ids: Sequence[int] | None = None) -> dict[int, list[TaskRow]]:
        if notice_ids is None:
            return self._leaves(None)
        found = self._leaves(Task.__table__.c.notice_id.in_(list(notice_ids)))
        return {n: found.get(n, []) for n in notice_ids}

    def _leaves(self, where: Any) -> dict[int, list[TaskRow]]:
        task, link, unit = Task.__table__.c, TaskUnit.__table__.c, Unit.__table__.c
        child = Task.__table__.alias("child")
        cond = ~exists().where(child.c.parent_id == task.id)
        if where is not None:
            cond &= where
        with self._ReadSession.begin() as s:
            conn = s.connection()
            rows = conn.execute(select(*_TASK_TABLE_COLUMNS).where(cond)
                                .order_by(task.notice_id, task.position, task.id)).all()
            skeleton = conn.execute(select(task.id, task.parent_id, task.position)).all()

            def links_of(ids: list[int]) -> list[Any]:
                return conn.execute(select(link.task_id, link.role, unit.name)
                                    .join(Unit.__table__, unit.id == link.unit_id).where(link.task_id.in_(ids))
                                    .order_by(link.task_id, link.role, link.position)).all()

            return open_rows(rows, skeleton, links_of)

    # --- progress log ----------------------------------------------------------------------------
    @_guarded
    def progress_log(self, task_id: int) -> list[ProgressEntry]:
        e = _ENTRY.c
        with self._ReadSession.begin() as s:
            _node(s, task_id)
            return [_entry(r) for r in s.connection().execute(
                select(_ENTRY).where(e.task_id == task_id).order_by(e.entry_date, e.id))]

    @_guarded
    def add_progress(self, task_id: int, date: dt.date | str | None, text: str, who: str = "") -> int:
        day = _as_date(date) or dt.date.today()
        text, who = checked(text, "落实情况"), checked(who, "填报人")
        with self._Session.begin() as s:
            node = _node(s, task_id)
            entry_id = int(s.connection().execute(insert(_ENTRY).values(
                task_id=task_id, entry_date=day, text=text, who=who, created_at=_now())
                .returning(_ENTRY.c.id)).scalar_one())
            version = _refresh_latest(s, task_id)
            _log(s, node.notice_id, task_id, ("progress:add", None, f"{day.isoformat()} {text}"), version=version)
            return entry_id

    @_guarded
    def update_progress(self, entry_id: int, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - {"date", "text", "who"}
        if unknown:
            raise TypeError(f"unknown progress field(s): {', '.join(sorted(unknown))}")
        values = {("entry_date" if k == "date" else k):
                  (_as_date(v) if k == "date" else checked(v, "落实情况" if k == "text" else "填报人"))
                  for k, v in fields.items()}
        with self._Session.begin() as s:
            r = _one(s, _ENTRY, entry_id, "进展记录")
            old = {k: getattr(r, "entry_date" if k == "date" else k) for k in fields}
            s.connection().execute(update(_ENTRY).where(_ENTRY.c.id == entry_id).values(**values))
            version = _refresh_latest(s, r.task_id)
            notice_id = _node(s, r.task_id).notice_id
            _log(s, notice_id, r.task_id, *((f"progress.{k}", old[k], fields[k]) for k in fields if old[k] != fields[k]),
                 version=version)
            return old

    @_guarded
    def delete_progress(self, entry_id: int) -> dict[str, Any]:
        with self._Session.begin() as s:
            r = _one(s, _ENTRY, entry_id, "进展记录")
            s.connection().execute(delete(_ENTRY).where(_ENTRY.c.id == entry_id))
            version = _refresh_latest(s, r.task_id)
            _log(s, _node(s, r.task_id).notice_id, r.task_id,
                 ("progress:delete", f"{r.entry_date.isoformat()} {r.text}", None), version=version)
            return dict(r._mapping)

    @_guarded
    def restore_progress(self, snapshot: dict[str, Any]) -> None:
        with self._Session.begin() as s:
            node = _node(s, snapshot["task_id"])
            s.connection().execute(insert(_ENTRY).values(**snapshot))
            fix_sequences(s.connection(), ["progress_entry"])
            version = _refresh_latest(s, node.id)
            _log(s, node.notice_id, node.id,
                 ("progress:restore", None, f"{snapshot['entry_date'].isoformat()} {snapshot['text']}"), version=version)

    # --- evidence --------------------------------------------------------------------------------
    # A SQLite ledger stores the bytes in its data folder (evidence_files); a ledger on a database server
    # stores them in the evidence_blob table (every client must see them), and evidence_path() copies
    # them into a local cache folder for the system viewer.
    def _evidence_root(self) -> Path:
        if self.data_dir is None:
            raise LedgerError("找不到数据文件夹，无法保存佐证材料。")
        return Path(self.data_dir)

    def _cache_root(self) -> Path:
        if self.data_dir is not None:
            return Path(self.data_dir) / "evidence-cache"
        import tempfile

        return Path(tempfile.gettempdir()) / "noticedesk-evidence-cache"

    @_guarded
    def attach_evidence(self, task_id: int, path: Path | str, name: str | None = None) -> int:
        src = Path(path)
        shown = evidence_files.display_name(name if name is not None else src.name)
        ext = evidence_files.safe_ext(shown)
        with self._ReadSession.begin() as s:
            _node(s, task_id)  # before copying anything
        content: bytes | None = None
        try:
            if self.on_server:
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
        with self._Session.begin() as s:
            node = _node(s, task_id)
            conn = s.connection()
            if content is not None and conn.execute(select(_BLOB.c.size).where(_BLOB.c.sha256 == sha)).first() is None:
                conn.execute(insert(_BLOB).values(sha256=sha, content=content, size=size, added_at=_now()))
            eid = int(conn.execute(insert(_EVIDENCE).values(
                task_id=task_id, sha256=sha, ext=ext, name=shown, size=size, added_at=_now())
                .returning(_EVIDENCE.c.id)).scalar_one())
            _log(s, node.notice_id, task_id, ("evidence:add", None, shown))
            return eid

    @_guarded
    def evidence(self, task_id: int) -> list[EvidenceInfo]:
        with self._ReadSession.begin() as s:
            _node(s, task_id)
            return [_evidence(r) for r in s.connection().execute(
                select(_EVIDENCE).where(_EVIDENCE.c.task_id == task_id).order_by(_EVIDENCE.c.id))]

    @_guarded
    def evidence_counts(self, notice_id: int) -> dict[int, int]:
        e, t = _EVIDENCE.c, Task.__table__.c
        with self._ReadSession.begin() as s:
            return {tid: int(n) for tid, n in s.connection().execute(
                select(e.task_id, func.count()).join(Task.__table__, t.id == e.task_id)
                .where(t.notice_id == notice_id).group_by(e.task_id))}

    def _blob(self, sha: str) -> bytes | None:
        with self._ReadSession.begin() as s:
            return s.connection().execute(select(_BLOB.c.content).where(_BLOB.c.sha256 == sha)).scalar()

    @_guarded
    def evidence_path(self, evidence_id: int) -> Path:
        with self._ReadSession.begin() as s:
            r = _one(s, _EVIDENCE, evidence_id, "佐证材料")
        if not self.on_server:
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

    @_guarded
    def rename_evidence(self, evidence_id: int, name: str) -> str:
        shown = evidence_files.display_name(name)
        with self._Session.begin() as s:
            r = _one(s, _EVIDENCE, evidence_id, "佐证材料")
            if shown != r.name:
                s.connection().execute(update(_EVIDENCE).where(_EVIDENCE.c.id == evidence_id).values(name=shown))
                _log(s, _node(s, r.task_id).notice_id, r.task_id, ("evidence:rename", r.name, shown))
            return r.name

    @_guarded
    def remove_evidence(self, evidence_id: int) -> dict[str, Any]:
        with self._Session.begin() as s:
            r = _one(s, _EVIDENCE, evidence_id, "佐证材料")
            s.connection().execute(delete(_EVIDENCE).where(_EVIDENCE.c.id == evidence_id))
            _log(s, _node(s, r.task_id).notice_id, r.task_id, ("evidence:remove", r.name, None))
            return dict(r._mapping)  # the file (or blob) stays: restore_evidence needs it

    @_guarded
    def restore_evidence(self, snapshot: dict[str, Any]) -> None:
        with self._Session.begin() as s:
            node = _node(s, snapshot["task_id"])
            s.connection().execute(insert(_EVIDENCE).values(**snapshot))
            fix_sequences(s.connection(), ["evidence"])
            _log(s, node.notice_id, node.id, ("evidence:restore", None, snapshot["name"]))

    @_guarded
    def purge_unreferenced_evidence(self, min_age_s: float = 3600) -> int:
        with self._Session.begin() as s:  # the write lock: no evidence row is added meanwhile
            conn = s.connection()
            if self.on_server:
                used = select(_EVIDENCE.c.sha256).where(_EVIDENCE.c.sha256 == _BLOB.c.sha256)
                cutoff = _now() - dt.timedelta(seconds=min_age_s)
                return int(conn.execute(delete(_BLOB).where(~exists(used), _BLOB.c.added_at <= cutoff)).rowcount)
            keep = {(sha, ext) for sha, ext in conn.execute(select(_EVIDENCE.c.sha256, _EVIDENCE.c.ext))}
            return evidence_files.purge(self._evidence_root(), keep, min_age_s)

    # --- bulk edits ------------------------------------------------------------------------------
    @_guarded
    def set_units_many(self, task_ids: Sequence[int], role: UnitRole | str, names: list[str]) -> dict[int, list[str]]:
        return self.set_units_each(role, dict.fromkeys(task_ids, names))

    @_guarded
    def set_units_each(self, role: UnitRole | str, names_by_task: dict[int, list[str]]) -> dict[int, list[str]]:
        role = UnitRole(role)
        with self._Session.begin() as s:
            directory = _UnitDirectory(s)
            return {tid: _replace_units(s, directory, tid, role, list(names)) for tid, names in names_by_task.items()}
