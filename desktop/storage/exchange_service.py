"""The SQLAlchemy implementation of the Excel exchange: notice fingerprints, merging units' returns, carry forward.

``ExchangeSqlLedger`` extends ``TrackedSqlLedger`` (which ``ledger.Ledger`` builds) with the methods that
``ledger.py`` documents under "exchange with units"; the rules are the same: one method = one transaction,
change-log rows in it, domain objects out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select

from desktop.domain import UnitRole
from desktop.storage.errors import LedgerError, NotFoundError
from desktop.storage.models import Notice, SchemaMeta, Task, TaskUnit
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
from desktop.storage.text import checked
from desktop.storage.tracking_service import TrackedSqlLedger
from desktop.tracking.carry import carried_title, carried_values

_ENTRY = EntryModel.__table__
# The schema_meta row holding the secret that binds feedback workbooks to their hand-out (hex, 32 bytes).
# It travels with the ledger (backups, restore, a server), so any copy of the ledger can check the
# workbooks it handed out; nobody without the ledger can make one up.
HANDOUT_KEY = "handout_key"


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

    # --- binding feedback workbooks to their hand-out -------------------------------------------------
    def _handout_key(self, create: bool) -> bytes | None:
        if create:
            with self._Session.begin() as s:  # the write lock: two clients cannot make two keys
                row = s.get(SchemaMeta, HANDOUT_KEY)
                if row is None:
                    row = SchemaMeta(name=HANDOUT_KEY, value=secrets.token_hex(32))
                    s.add(row)
                value = row.value
        else:
            with self._ReadSession.begin() as s:
                value = s.execute(select(SchemaMeta.value).where(SchemaMeta.name == HANDOUT_KEY)).scalar()
        try:
            return bytes.fromhex(value) if value else None
        except ValueError:
            return None

    @_guarded
    def sign_handout(self, message: str) -> str:
        key = self._handout_key(create=True)
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    @_guarded
    def verify_handout(self, message: str, signature: str) -> bool:
        key = self._handout_key(create=False)
        if key is None or not isinstance(signature, str):
            return False
        want = hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, signature.strip().lower())

    @_guarded
    def apply_returns(self, notice_id: int, who: str, fields_by_task: dict[int, dict[str, Any]],
                      reports: dict[int, str], date: dt.date | None = None,
                      source: str = "", expected_versions: dict[int, int] | None = None
                      ) -> dict[int, dict[str, Any]]:
        cleaned = {tid: _clean_task_fields(f) for tid, f in fields_by_task.items() if f}
        reports = {tid: checked(text, "落实情况") for tid, text in reports.items()}
        who = checked(who, "填报单位")
        day = _as_date(date) or dt.date.today()
        what = f"{who}（{source}）" if source else who
        old: dict[int, dict[str, Any]] = {}
        with self._Session.begin() as s:
            conn = s.connection()
            task = Task.__table__.c
            ids = list(dict.fromkeys([*cleaned, *reports]))
            found = {tid: (nid, version) for tid, nid, version in
                     conn.execute(select(task.id, task.notice_id, task.version).where(task.id.in_(ids)))}
            for tid in ids:
                if tid not in found:
                    raise NotFoundError(f"找不到任务（编号 {tid}），它可能已在其他窗口中被删除。未导入任何内容。")
                if found[tid][0] != notice_id:
                    raise NotFoundError(f"任务（编号 {tid}）属于另一份通知（编号 {found[tid][0]}），不是这份反馈表的通知。"
                                        "未导入任何内容。")
                expected = (expected_versions or {}).get(tid)
                if expected is not None and int(expected) != found[tid][1]:
                    raise LedgerError(f"任务（编号 {tid}）在核对反馈表期间又被修改了，为免覆盖，未导入任何内容。"
                                      "请重新导入这份反馈表，核对后再确认。")
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
