"""Notices in the storage service: reading and editing a notice's own fields, duplicates, and storing a whole import.

``NoticeStore`` is the collaborator behind ``Ledger.notices / notice / notice_source / create_notice /
create_notice_with_tasks / find_duplicate / update_notice / delete_notice``. ``insert_notice``,
``Pending`` and ``insert_forest`` (a notice row; a tree of new task rows inserted level by level) are
shared with ``exchange_store.carry_forward``, which builds a new notice the same way.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from desktop.domain import NoticeInfo, UnitRole
from desktop.storage.core import Part, insert_links, link_rows, log, their_fields
from desktop.storage.engine import guarded
from desktop.storage.errors import ConflictError, NotFoundError
from desktop.storage.models import Notice, Task
from desktop.storage.rows import (
    NOTICE_FIELDS,
    NOTICE_TEXTS,
    TASK_DEFAULTS,
    as_date,
    clean_task_fields,
    heading_title,
    names,
    not_found,
    notice_texts,
    now,
    same_text_key,
    section_path,
)
from desktop.storage.text import checked
from desktop.storage.unit_store import UnitDirectory


def insert_notice(s: Session, title: str, *, doc_number: str | None = None, issuer: str | None = None,
                  date: dt.date | str | None = None, year: int | None = None,
                  recipients: str | None = None, source_name: str | None = None,
                  source_text: str | None = None, source_bytes: bytes | None = None) -> int:
    """Insert a notice row (no change-log row: the caller writes it); returns its id."""
    date = as_date(date)
    if year is None and date is not None:
        year = date.year  # 年度 defaults to the year the notice was written
    title, doc_number, issuer, recipients, source_name = notice_texts(title, doc_number, issuer, recipients,
                                                                      source_name)
    when = now()
    nid = s.execute(insert(Notice).values(
        title=title, doc_number=doc_number, issuer=issuer, date=date, year=year, recipients=recipients,
        source_name=source_name, source_text=source_text, source_bytes=source_bytes,
        created_at=when, updated_at=when).returning(Notice.id)).scalar_one()
    return int(nid)


class Pending:
    """A node of an import not yet inserted: its column values, unit ids and children."""

    __slots__ = ("values", "lead", "resp", "children")

    def __init__(self, values: dict[str, Any], lead: list[int] | None = None, resp: list[int] | None = None):
        self.values = {**TASK_DEFAULTS, **values}
        self.lead = lead or []
        self.resp = resp or []
        self.children: list[Pending] = []

    @classmethod
    def from_dict(cls, item: dict[str, Any], directory: UnitDirectory) -> Pending:
        children = item.pop("children", None) or []
        lead = directory.ids_for(names(item.pop("lead_units", None)))
        resp = directory.ids_for(names(item.pop("units", None)))
        node = cls(clean_task_fields(item), lead, resp)
        node.children = [cls.from_dict(dict(c), directory) for c in children]
        return node


def insert_forest(s: Session, notice_id: int, roots: list[Pending]) -> int:
    """Insert the nodes level by level: one multi-row INSERT … RETURNING per depth gives the ids the
    next level needs as parents (the same on SQLite and PostgreSQL). Returns the number of nodes."""
    level: list[tuple[int | None, list[Pending]]] = [(None, roots)]
    total = 0
    while level:
        params: list[dict[str, Any]] = []
        nodes: list[Pending] = []
        for parent_id, kids in level:
            for position, node in enumerate(kids):
                params.append({"notice_id": notice_id, "parent_id": parent_id, "position": position, **node.values})
                nodes.append(node)
        if not params:
            break
        table = Task.__table__
        ids = s.connection().execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                     params).scalars().all()
        links: list[dict[str, Any]] = []
        for task_id, node in zip(ids, nodes, strict=True):
            links += link_rows(task_id, UnitRole.LEAD, node.lead) + link_rows(task_id, UnitRole.RESPONSIBLE, node.resp)
        insert_links(s, links)
        total += len(ids)
        level = [(task_id, node.children) for task_id, node in zip(ids, nodes, strict=True) if node.children]
    return total


def _notice_query() -> Any:
    counts = (select(Task.notice_id, func.count().label("n")).group_by(Task.notice_id).subquery())
    return (select(Notice.id, Notice.title, Notice.doc_number, Notice.issuer, Notice.date, Notice.year,
                   Notice.recipients, Notice.source_name, func.coalesce(counts.c.n, 0), Notice.version)
            .outerjoin(counts, counts.c.notice_id == Notice.id))


def _notice_info(r: Row[Any]) -> NoticeInfo:
    return NoticeInfo(id=r[0], title=r[1], doc_number=r[2], issuer=r[3], date=r[4], year=r[5],
                      recipients=r[6], source_name=r[7], task_count=int(r[8]), version=r[9])


class NoticeStore(Part):
    """Notices and imports (see ``ledger.Ledger`` for the contract)."""

    @guarded
    def notices(self) -> list[NoticeInfo]:
        with self.core.ReadSession.begin() as s:
            q = _notice_query().order_by(Notice.year.desc().nulls_last(), Notice.date.desc().nulls_last(),
                                         Notice.id.desc())
            return [_notice_info(r) for r in s.execute(q)]

    @guarded
    def notice(self, notice_id: int) -> NoticeInfo:
        with self.core.ReadSession.begin() as s:
            r = s.execute(_notice_query().where(Notice.id == notice_id)).one_or_none()
            if r is None:
                raise NotFoundError(not_found("通知", notice_id))
            return _notice_info(r)

    @guarded
    def notice_source(self, notice_id: int) -> tuple[str | None, bytes | None, str | None]:
        with self.core.ReadSession.begin() as s:
            r = s.execute(select(Notice.source_name, Notice.source_bytes, Notice.source_text)
                          .where(Notice.id == notice_id)).one_or_none()
            if r is None:
                raise NotFoundError(not_found("通知", notice_id))
            return r[0], r[1], r[2]

    @guarded
    def create_notice(self, title: str, **meta: Any) -> int:
        with self.core.Session.begin() as s:
            nid = insert_notice(s, title, **meta)
            log(s, nid, None, ("create_notice", None, title))
            return nid

    @guarded
    def find_duplicate(self, *, doc_number: str | None, title: str | None, year: int | None,
                       source_bytes: bytes | None) -> int | None:
        doc_key, title_key = same_text_key(doc_number), same_text_key(title)
        digest = hashlib.sha256(source_bytes).digest() if source_bytes else None
        found: list[int] = []
        with self.core.ReadSession.begin() as s:
            conn = s.connection()
            n = Notice.__table__.c
            for nid, doc, name, when in conn.execute(select(n.id, n.doc_number, n.title, n.year)):
                if doc_key and same_text_key(doc) == doc_key:
                    found.append(nid)
                elif title_key and year is not None and when == year and same_text_key(name) == title_key:
                    found.append(nid)
            if digest is not None:  # only files of the same size are read and hashed
                same_size = conn.execute(select(n.id, n.source_bytes).where(
                    n.source_bytes.is_not(None), func.length(n.source_bytes) == len(source_bytes or b"")))
                found += [nid for nid, data in same_size if hashlib.sha256(bytes(data)).digest() == digest]
        return min(found) if found else None

    @guarded
    def update_notice(self, notice_id: int, expected_version: int | None = None, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - set(NOTICE_FIELDS)
        if unknown:
            raise TypeError(f"unknown notice field(s): {', '.join(sorted(unknown))}")
        if "date" in fields:
            fields["date"] = as_date(fields["date"])
        for name in NOTICE_TEXTS:
            if fields.get(name) is not None:
                fields[name] = checked(fields[name], NOTICE_TEXTS[name])
        with self.core.Session.begin() as s:
            n = s.get(Notice, notice_id)
            if n is None:
                raise NotFoundError(not_found("通知", notice_id))
            old = {name: getattr(n, name) for name in fields}
            if expected_version is not None and int(expected_version) != n.version:
                raise ConflictError("notice", notice_id, int(expected_version), n.version, fields, old,
                                    their_fields(s, notice_id, None, int(expected_version)))
            changes = [(f"notice.{k}", old[k], v) for k, v in fields.items() if old[k] != v]
            for k, v in fields.items():
                setattr(n, k, v)
            if changes:
                n.version = n.version + 1
            log(s, notice_id, None, *changes, version=n.version)
            return old

    @guarded
    def delete_notice(self, notice_id: int) -> None:
        with self.core.Session.begin() as s:
            title = s.execute(select(Notice.title).where(Notice.id == notice_id)).scalar()
            if title is None:
                raise NotFoundError(not_found("通知", notice_id))
            count = int(s.execute(select(func.count()).select_from(Task).where(Task.notice_id == notice_id))
                        .scalar_one())
            # ON DELETE CASCADE removes the tasks and their unit links with the notice.
            s.execute(delete(Notice).where(Notice.id == notice_id),
                      execution_options={"synchronize_session": False})
            log(s, notice_id, None, ("delete_notice", f"{title}（{count} 项）", None))

    @guarded
    def create_notice_with_tasks(self, meta: dict[str, Any], tasks: list[dict[str, Any]]) -> int:
        with self.core.Session.begin() as s:
            meta = dict(meta)
            title = meta.pop("title")
            nid = insert_notice(s, title, **meta)
            directory = UnitDirectory(s)
            top = Pending({})
            sections: dict[tuple[str, ...], Pending] = {}
            for item in tasks:
                item = dict(item)
                path = section_path(item.pop("section", None))
                parent = top
                for depth in range(1, len(path) + 1):
                    key = path[:depth]
                    if key not in sections:
                        heading = clean_task_fields({"title": heading_title(key[-1]) or key[-1]})
                        sections[key] = Pending(heading)
                        parent.children.append(sections[key])
                    parent = sections[key]
                parent.children.append(Pending.from_dict(item, directory))
            count = insert_forest(s, nid, top.children)
            log(s, nid, None, ("create_notice", None, f"{title}（{count} 项）"))
            return nid
