"""The ORM mapping of the ledger tables (SQLAlchemy 2 typed declarative).

The tables themselves are created by ``migrations.py`` (explicit DDL per schema version), never by
``Base.metadata.create_all``; ``tests/storage/test_migrations.py`` checks that the two agree, so a
change here must come with a migration step.
"""
from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.domain import DeadlineKind, Status, UnitCategory, UnitRole


class EnumText(TypeDecorator[Enum]):
    """Stores a ``str`` enum by its value (Chinese for statuses) so the file reads well in any SQL tool."""

    impl = Text
    cache_ok = True

    def __init__(self, enum_cls: type[Enum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls
        self._members = {m.value: m for m in enum_cls}  # a dict lookup: Enum(value) is slow per row

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return self.enum_cls(value).value

    def process_result_value(self, value: Any, dialect: Any) -> Enum | None:
        if value is None:
            return None
        member = self._members.get(value)
        return member if member is not None else self.enum_cls(value)


class JsonList(TypeDecorator[list]):
    """A list of strings kept as JSON text: aliases are few, read whole and never queried by SQL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str:
        return json.dumps(list(value or []), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Any) -> list[str]:
        return list(json.loads(value)) if value else []


class Base(DeclarativeBase):
    """The ledger's tables (used for mapping and for checking the migrations, never to create them)."""


class SchemaMeta(Base):
    """Key/value facts about the file; ``schema_version`` is the one migrations read."""

    __tablename__ = "schema_meta"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Notice(Base):
    """A notice (通知) and its original file."""

    __tablename__ = "notice"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # 标题
    doc_number: Mapped[str | None] = mapped_column(Text)  # 文号
    issuer: Mapped[str | None] = mapped_column(Text)  # 发文机关
    date: Mapped[dt.date | None] = mapped_column(Date)  # 成文日期
    year: Mapped[int | None] = mapped_column(Integer)  # 年度
    recipients: Mapped[str | None] = mapped_column(Text)  # 主送
    source_name: Mapped[str | None] = mapped_column(Text)  # original file name
    # The original file travels inside the ledger, so one file (and its backups) holds everything.
    source_bytes: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    source_text: Mapped[str | None] = mapped_column(Text, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # schema v4: +1 per update_notice


class Task(Base):
    """One node of a notice's task tree (section heading, task or item: same table, any depth)."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_tree", "notice_id", "parent_id", "position"),
        Index("ix_task_parent", "parent_id"),  # ON DELETE CASCADE of a parent looks children up by it
        {"sqlite_autoincrement": True},  # never reuse an id: undo snapshots and the log refer to ids
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 0..n-1 among siblings, kept dense
    title: Mapped[str] = mapped_column(Text, server_default="")  # 任务名称
    text: Mapped[str] = mapped_column(Text, server_default="")  # 具体内容
    owner: Mapped[str] = mapped_column(Text, server_default="")  # 责任人
    deadline_text: Mapped[str] = mapped_column(Text, server_default="")  # 完成时限, as printed
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    deadline_kind: Mapped[DeadlineKind] = mapped_column(EnumText(DeadlineKind), server_default="none")
    status: Mapped[Status] = mapped_column(EnumText(Status), server_default=Status.NOT_STARTED.value)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    progress_note: Mapped[str] = mapped_column(Text, server_default="")  # 落实情况
    remark: Mapped[str] = mapped_column(Text, server_default="")  # 备注
    source_start: Mapped[int | None] = mapped_column(Integer)  # span in notice.source_text
    source_end: Mapped[int | None] = mapped_column(Integer)
    # schema v3: a revised deadline keeps the one before it; the date of the latest progress entry
    original_due_date: Mapped[dt.date | None] = mapped_column(Date)
    revision_reason: Mapped[str] = mapped_column(Text, server_default="")
    revised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    progress_on: Mapped[dt.date | None] = mapped_column(Date)
    # schema v4: +1 on every change of the row's content (optimistic concurrency between clients)
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class Unit(Base):
    """An entry of the 单位库."""

    __tablename__ = "unit"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)  # 全称
    short_name: Mapped[str] = mapped_column(Text, server_default="")  # 简称
    aliases: Mapped[list[str]] = mapped_column(JsonList, server_default="[]")
    category: Mapped[UnitCategory] = mapped_column(EnumText(UnitCategory),
                                                   server_default=UnitCategory.OTHER.value)
    sort_order: Mapped[int] = mapped_column(Integer, server_default="0")
    collective: Mapped[bool] = mapped_column(Boolean, server_default="0")  # schema v2


class TaskUnit(Base):
    """A unit attached to a task as 牵头 (lead) or 责任 (responsible), in the printed order."""

    __tablename__ = "task_unit"
    __table_args__ = (Index("ix_task_unit_unit", "unit_id"),)

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[UnitRole] = mapped_column(EnumText(UnitRole), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class ChangeLog(Base):
    """One line of history. No foreign keys on purpose: the history outlives deleted rows."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_notice", "notice_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    notice_id: Mapped[int | None] = mapped_column(Integer)
    task_id: Mapped[int | None] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # schema v4: the task's version this change produced (names what changed since a version)
    task_version: Mapped[int | None] = mapped_column(Integer)


class ProgressEntry(Base):
    """One dated line of a task's 落实情况 log (schema v3). The task's progress_note / progress_on
    repeat the latest entry (by date, then id) so the table reads one row per task."""

    __tablename__ = "progress_entry"
    __table_args__ = (
        Index("ix_progress_entry_task", "task_id", "entry_date"),
        {"sqlite_autoincrement": True},  # undo puts an entry back under its old id
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, server_default="")
    who: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Evidence(Base):
    """A 佐证材料 file of a task (schema v3): the bytes are ``evidence/<sha[:2]>/<sha><ext>`` in the data
    folder (content-addressed, shared by equal files); ``name`` is the sanitised original name."""

    __tablename__ = "evidence"
    __table_args__ = (
        Index("ix_evidence_task", "task_id"),
        Index("ix_evidence_sha256", "sha256"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(Text)
    ext: Mapped[str] = mapped_column(Text, server_default="")  # '.pdf' (lower case, safe) or ''
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class EvidenceBlob(Base):
    """The bytes of an evidence file, by content (schema v4). Used when the ledger is on a database
    server (every client must see the files); a SQLite ledger keeps them in the data folder and has
    rows here only when it came from a server (``transfer.py``), as a fallback for missing files."""

    __tablename__ = "evidence_blob"

    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AnnualReportRow(Base):
    """The 政府信息公开工作年度报告 of one year (schema v5): ``content`` is the report's JSON
    (``desktop.annual.store.dumps``, read back through ``store.loads`` with its limits); ``version`` +1 per
    save, for two clients saving the same year (``storage/annual_reports.py``)."""

    __tablename__ = "annual_report"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
