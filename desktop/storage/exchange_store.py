"""The Excel exchange in the storage service: notice fingerprints, signing hand-outs, merging units' returns, carry forward.

``ExchangeStore`` is the collaborator behind the "exchange with units" section of ``ledger.Ledger``
(``desktop.spreadsheets`` writes and reads the workbooks); the rules are those of every collaborator:
one method = one transaction, change-log rows in it, domain objects out. The hand-out key is a ledger
setting (``settings_store``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from desktop.domain import UnitRole
from desktop.storage.core import TASK_TABLE_COLUMNS, Core, Part, log, update_fields
from desktop.storage.engine import guarded
from desktop.storage.errors import LedgerError, NotFoundError
from desktop.storage.models import Notice, Task, TaskUnit
from desktop.storage.notice_store import Pending, insert_forest, insert_notice
from desktop.storage.rows import as_date, clean_task_fields, not_found, preorder
from desktop.storage.settings_store import SettingsStore
from desktop.storage.text import checked
from desktop.storage.tracking_store import add_entry
from desktop.tracking.carry import carried_title, carried_values


def fingerprint(notice_id: int, created: dt.datetime | None, title: str) -> str:
    """``id|created|title hash``: the id and creation time identify the notice in this ledger (a restored
    or rebuilt ledger gives other notices the same ids); the title hash only tells that it was renamed."""
    stamp = created.isoformat(timespec="microseconds") if created else ""
    return f"{notice_id}|{stamp}|{hashlib.sha1((title or '').encode('utf-8')).hexdigest()[:10]}"


class ExchangeStore(Part):
    """The Excel exchange (see ``ledger.Ledger`` for the contract)."""

    def __init__(self, core: Core, settings: SettingsStore) -> None:
        super().__init__(core)
        self.settings = settings

    @guarded
    def notice_fingerprint(self, notice_id: int) -> str:
        with self.core.ReadSession.begin() as s:
            r = s.execute(select(Notice.created_at, Notice.title).where(Notice.id == notice_id)).one_or_none()
            if r is None:
                raise NotFoundError(not_found("通知", notice_id))
            return fingerprint(notice_id, r[0], r[1])

    # --- binding feedback workbooks to their hand-out -------------------------------------------------
    @guarded
    def sign_handout(self, message: str) -> str:
        key = self.settings.handout_key(create=True)
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    @guarded
    def verify_handout(self, message: str, signature: str) -> bool:
        key = self.settings.handout_key(create=False)
        if key is None or not isinstance(signature, str):
            return False
        want = hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, signature.strip().lower())

    @guarded
    def apply_returns(self, notice_id: int, who: str, fields_by_task: dict[int, dict[str, Any]],
                      reports: dict[int, str], date: dt.date | None = None,
                      source: str = "", expected_versions: dict[int, int] | None = None
                      ) -> dict[int, dict[str, Any]]:
        cleaned = {tid: clean_task_fields(f) for tid, f in fields_by_task.items() if f}
        reports = {tid: checked(text, "落实情况") for tid, text in reports.items()}
        who = checked(who, "填报单位")
        day = as_date(date) or dt.date.today()
        what = f"{who}（{source}）" if source else who
        old: dict[int, dict[str, Any]] = {}
        with self.core.Session.begin() as s:
            conn = s.connection()
            task = Task.__table__.c
            ids = list(dict.fromkeys([*cleaned, *reports]))
            found = {tid: (nid, version) for tid, nid, version in
                     conn.execute(select(task.id, task.notice_id, task.version).where(task.id.in_(ids)))}
            for tid in ids:
                if tid not in found:
                    raise NotFoundError(not_found("任务", tid, "未导入任何内容。"))
                if found[tid][0] != notice_id:
                    raise NotFoundError(f"任务（编号 {tid}）属于另一份通知（编号 {found[tid][0]}），不是这份反馈表的通知。"
                                        "未导入任何内容。")
                expected = (expected_versions or {}).get(tid)
                if expected is not None and int(expected) != found[tid][1]:
                    raise LedgerError(f"任务（编号 {tid}）在核对反馈表期间又被修改了，为免覆盖，未导入任何内容。"
                                      "请重新导入这份反馈表，核对后再确认。")
            for tid in ids:
                if tid in cleaned:
                    old[tid] = update_fields(s, tid, cleaned[tid])
                text = (reports.get(tid) or "").strip()
                if text:
                    add_entry(s, notice_id, tid, day, text, who or "")
                log(s, notice_id, tid, ("returns", None, what))
        return old

    @guarded
    def carry_forward(self, notice_id: int, year: int, title: str | None = None) -> int:
        with self.core.Session.begin() as s:
            conn = s.connection()
            n = conn.execute(select(Notice.__table__).where(Notice.__table__.c.id == notice_id)).one_or_none()
            if n is None:
                raise NotFoundError(not_found("通知", notice_id))
            old_year = n.year or (n.date.year if n.date else None)
            task, link = Task.__table__.c, TaskUnit.__table__.c
            rows = conn.execute(select(*TASK_TABLE_COLUMNS).where(task.notice_id == notice_id)
                                .order_by(task.position, task.id)).all()
            links: dict[tuple[int, UnitRole], list[int]] = defaultdict(list)
            for tid, role, uid in conn.execute(
                    select(link.task_id, link.role, link.unit_id).join(Task.__table__, task.id == link.task_id)
                    .where(task.notice_id == notice_id).order_by(link.task_id, link.role, link.position)):
                links[tid, UnitRole(role)].append(uid)
            by_id = {r.id: r for r in rows}
            nodes: dict[int, Pending] = {}
            roots: list[Pending] = []
            order = preorder(((r.id, r.parent_id) for r in rows), [r.id for r in rows if r.parent_id is None])
            for r in (by_id[tid] for tid in order):  # parents before children, siblings in order
                node = Pending(carried_values(r, old_year, year), links.get((r.id, UnitRole.LEAD)),
                               links.get((r.id, UnitRole.RESPONSIBLE)))
                nodes[r.id] = node
                (roots if r.parent_id is None else nodes[r.parent_id].children).append(node)
            new_title = (title or "").strip() or carried_title(n.title, old_year, year)
            new_id = insert_notice(s, new_title, issuer=n.issuer, year=year, recipients=n.recipients)
            count = insert_forest(s, new_id, roots)
            log(s, new_id, None, ("create_notice", None, f"{new_title}（{count} 项，结转自“{n.title}”）"))
            return new_id
