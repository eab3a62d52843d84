"""The SQLAlchemy implementation of the Excel exchange: notice fingerprints, merging units' returns, carry forward.

``ExchangeSqlLedger`` extends ``TrackedSqlLedger`` (which ``ledger.Ledger`` builds) with the methods that
``ledger.py`` documents under "exchange with units"; the rules are the same: one method = one transaction,
change-log rows in it, domain objects out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select

from desktop.domain import UnitRole
from desktop.storage.errors import NotFoundError
from desktop.storage.models import Notice, Task, TaskUnit
from desktop.storage.models import ProgressEntry as EntryModel
from desktop.storage.service import (
    _TASK_TABLE_COLUMNS,
    _as_date,
    _clean_task_fields,
    _guarded,
    _insert_forest,
    _log,
    _now,
    _Pending,
    _refresh_latest,
    _update_fields,
)
from desktop.storage.tracking_service import TrackedSqlLedger
from desktop.tracking.carry import carried_title, carried_values

_ENTRY = EntryModel.__table__


def fingerprint(notice_id: int, created: dt.datetime | None, title: str) -> str:
    """``id|created|title hash``: the id and creation time identify the notice in this ledger (a restored
    or rebuilt ledger gives other notices the same ids); the title hash only tells that it was renamed."""
    stamp = created.isoformat(timespec="microseconds") if created else ""
    return f"{notice_id}|{stamp}|{hashlib.sha1((title or '').encode('utf-8')).hexdigest()[:10]}"


class ExchangeSqlLedger(TrackedSqlLedger):
    """``TrackedSqlLedger`` plus the Excel exchange (see ``ledger.Ledger`` for the contract)."""

    @_guarded
    def notice_fingerprint(self, notice_id: int) -> str:
        with self._ReadSession.begin() as s:
            r = s.execute(select(Notice.created_at, Notice.title).where(Notice.id == notice_id)).one_or_none()
            if r is None:
                raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")
            return fingerprint(notice_id, r[0], r[1])

    @_guarded
    def apply_returns(self, notice_id: int, who: str, fields_by_task: dict[int, dict[str, Any]],
                      reports: dict[int, str], date: dt.date | None = None,
                      source: str = "") -> dict[int, dict[str, Any]]:
        cleaned = {tid: _clean_task_fields(f) for tid, f in fields_by_task.items() if f}
        day = _as_date(date) or dt.date.today()
        what = f"{who}（{source}）" if source else who
        old: dict[int, dict[str, Any]] = {}
        with self._Session.begin() as s:
            conn = s.connection()
            task = Task.__table__.c
            ids = list(dict.fromkeys([*cleaned, *reports]))
            found = {tid: nid for tid, nid in conn.execute(select(task.id, task.notice_id).where(task.id.in_(ids)))}
            for tid in ids:
                if found.get(tid) != notice_id:
                    raise NotFoundError(f"找不到任务（编号 {tid}），它可能已在其他窗口中被删除。未导入任何内容。")
            for tid in ids:
                if tid in cleaned:
                    old[tid] = _update_fields(s, tid, cleaned[tid])
                text = (reports.get(tid) or "").strip()
                if text:
                    conn.execute(insert(_ENTRY).values(task_id=tid, entry_date=day, text=text, who=who or "",
                                                       created_at=_now()))
                    version = _refresh_latest(s, tid)
                    _log(s, notice_id, tid, ("progress:add", None, f"{day.isoformat()} {text}"), version=version)
                _log(s, notice_id, tid, ("returns", None, what))
        return old

    @_guarded
    def carry_forward(self, notice_id: int, year: int, title: str | None = None) -> int:
        with self._Session.begin() as s:
            conn = s.connection()
            n = conn.execute(select(Notice.__table__).where(Notice.__table__.c.id == notice_id)).one_or_none()
            if n is None:
                raise NotFoundError(f"找不到通知（编号 {notice_id}），它可能已在其他窗口中被删除。")
            old_year = n.year or (n.date.year if n.date else None)
            task, link = Task.__table__.c, TaskUnit.__table__.c
            rows = conn.execute(select(*_TASK_TABLE_COLUMNS).where(task.notice_id == notice_id)
                                .order_by(task.position, task.id)).all()
            links: dict[tuple[int, UnitRole], list[int]] = defaultdict(list)
            for tid, role, uid in conn.execute(
                    select(link.task_id, link.role, link.unit_id).join(Task.__table__, task.id == link.task_id)
                    .where(task.notice_id == notice_id).order_by(link.task_id, link.role, link.position)):
                links[tid, UnitRole(role)].append(uid)
            nodes: dict[int, _Pending] = {}
            roots: list[_Pending] = []
            children: dict[int | None, list[Any]] = defaultdict(list)
            for r in rows:
                children[r.parent_id].append(r)
            stack = list(reversed(children[None]))
            order: list[Any] = []
            while stack:  # parents before children, siblings in order
                r = stack.pop()
                order.append(r)
                stack.extend(reversed(children.get(r.id, [])))
            for r in order:
                node = _Pending(carried_values(r, old_year, year), links.get((r.id, UnitRole.LEAD)),
                                links.get((r.id, UnitRole.RESPONSIBLE)))
                nodes[r.id] = node
                (roots if r.parent_id is None else nodes[r.parent_id].children).append(node)
            new_title = (title or "").strip() or carried_title(n.title, old_year, year)
            new_id = self._insert_notice(s, new_title, issuer=n.issuer, year=year, recipients=n.recipients)
            count = _insert_forest(s, new_id, roots)
            _log(s, new_id, None, ("create_notice", None, f"{new_title}（{count} 项，结转自“{n.title}”）"))
            return new_id
