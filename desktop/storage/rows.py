"""Shared row helpers of the storage service: stored values ↔ domain values, task field rules, snapshots, ordering.

Plain Python, no SQLAlchemy: ``ledger.py`` (which must stay import-light) takes ``TaskSnapshot`` from
here, and every collaborator of the SQLAlchemy implementation (``core``, ``notice_store``, ``task_tree``,
``tracking_store``, ``evidence_store``, ``exchange_store``, ``settings_store``, ``unit_store``) brings
values to their stored types, names them in the change log and turns rows into domain objects with
these functions. Nothing here is private to one collaborator: what two of them use lives here.

Heading numbers: a section's title is its heading without the 序号, read the way the parser reads item
numbering (``importing.parse.patterns.strip_enum``); the chapter markers 第…部分/章/节/条, which are not
item numbering to the parser, are the one rule added here.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from desktop.domain import (
    TASK_FIELDS,
    TASK_TEXT_FIELDS,
    DeadlineKind,
    EvidenceInfo,
    ProgressEntry,
    Status,
    UnitCategory,
    UnitInfo,
)
from desktop.storage import column_maps
from desktop.storage.text import checked, plain

__all__ = [
    "EDITABLE_TASK_FIELDS", "NOTICE_FIELDS", "NOTICE_TEXTS", "REVISION_FIELDS", "SPLIT_COPIED", "TASK_DEFAULTS",
    "TaskSnapshot", "as_date", "as_datetime", "clean_task_fields", "clean_unit_fields", "describe",
    "described_map", "entry_info", "evidence_info", "field_of", "fmt", "heading_title", "names",
    "not_found", "notice_texts", "now", "place", "preorder", "same_text_key", "section_path", "unit_info",
    "unit_key",
]


@dataclass
class TaskSnapshot:
    """Everything needed to put a deleted subtree back exactly (same ids, same place)."""

    rows: list[dict[str, Any]] = field(default_factory=list)  # task column values, parents first
    units: list[tuple[int, str, str]] = field(default_factory=list)  # (task_id, role, unit name)
    # merge_with_next only: children moved under the merged task, as (task_id, old parent_id, old position)
    moved: list[tuple[int, int, int]] = field(default_factory=list)
    # progress_entry and evidence rows of the tasks (column values), put back with the tasks
    progress: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


# --- task, notice and unit fields ----------------------------------------------------------------
_EXTRA_TASK_FIELDS = ("source_start", "source_end")
# A revised deadline's bookkeeping: set by revise_deadline / shift_deadlines, and by set_fields on undo.
REVISION_FIELDS = ("due_date", "original_due_date", "revision_reason", "revised_at")
EDITABLE_TASK_FIELDS = frozenset(TASK_FIELDS) | frozenset(_EXTRA_TASK_FIELDS) | frozenset(REVISION_FIELDS)
TASK_DEFAULTS: dict[str, Any] = {
    **{name: "" for name in TASK_TEXT_FIELDS},
    "due_date": None, "deadline_kind": DeadlineKind.NONE, "status": Status.NOT_STARTED, "done_on": None,
    "source_start": None, "source_end": None,
    "original_due_date": None, "revision_reason": "", "revised_at": None,
}
# What split_task copies to the new sibling besides the units (deadline and status fields).
SPLIT_COPIED = ("owner", "deadline_text", "due_date", "deadline_kind", "status", "done_on")
NOTICE_FIELDS = ("title", "doc_number", "issuer", "date", "year", "recipients", "source_name",
                 "source_text", "source_bytes")
_UNIT_FIELDS = frozenset({"name", "short_name", "aliases", "category", "order", "collective"})
NOTICE_TEXTS = {"title": "标题", "doc_number": "文号", "issuer": "发文机关", "recipients": "主送机关",
                "source_name": "原文件名"}


def not_found(what: str, row_id: int, tail: str = "") -> str:
    """The message of a NotFoundError: the row was deleted (most often in another window)."""
    return f"找不到{what}（编号 {row_id}），它可能已在其他窗口中被删除。{tail}"


def notice_texts(*values: str | None) -> list[str | None]:
    """title, 文号, 发文机关, 主送, 原文件名 as stored (text.checked; None stays None)."""
    labels = NOTICE_TEXTS.values()
    return [None if v is None else checked(v, label) for v, label in zip(values, labels, strict=True)]


def now() -> dt.datetime:
    return dt.datetime.now()  # local wall time: the clerk reads the history in local time


def as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise TypeError(f"expected a date, got {value!r}")


def as_datetime(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value.strip())
    raise TypeError(f"expected a date and time, got {value!r}")


def _as_status(value: Any) -> Status:
    return value if isinstance(value, Status) else Status.parse(str(value))


def _as_kind(value: Any) -> DeadlineKind:
    if isinstance(value, DeadlineKind):
        return value
    try:
        return DeadlineKind(value)
    except ValueError:
        return DeadlineKind[str(value).upper()]


def _known(fields: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    """A field name outside ``allowed`` is a bug in the caller: TypeError naming them."""
    if unknown := set(fields) - allowed:
        raise TypeError(f"unknown {what} field(s): {', '.join(sorted(unknown))}")


def clean_task_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Check names (a wrong name is a bug: TypeError) and bring values to their stored types."""
    _known(fields, EDITABLE_TASK_FIELDS, "task")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TASK_TEXT_FIELDS or name == "revision_reason":
            out[name] = checked(value, TASK_TEXT_FIELDS.get(name, "调整理由"))
        elif name in ("due_date", "done_on", "original_due_date"):
            out[name] = as_date(value)
        elif name == "revised_at":
            out[name] = as_datetime(value)
        elif name == "status":
            out[name] = _as_status(value)
        elif name == "deadline_kind":
            out[name] = _as_kind(value)
        else:
            out[name] = None if value is None else int(value)
    return out


def names(value: Any) -> list[str]:
    """Unit names as given (None, one name or a list) → a list of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def clean_unit_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Unit fields (name, short_name, aliases, category, order, collective) as stored; order → sort_order."""
    _known(fields, _UNIT_FIELDS, "unit")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "name":
            text = checked(value, "单位名称").strip()
            if not text:
                raise ValueError("单位名称不能为空")
            out["name"] = text
        elif name == "short_name":
            out["short_name"] = checked(value, "简称").strip()
        elif name == "aliases":
            out["aliases"] = [a for a in (checked(a, "别名").strip() for a in names(value)) if a]
        elif name == "category":
            out["category"] = UnitCategory(value)
        elif name == "order":
            out["sort_order"] = int(value)
        else:
            out["collective"] = bool(value)
    return out


_SPACES = re.compile(r"\s+")


def unit_key(name: str) -> str:
    """A unit name as the directory matches it: notices mix half- and full-width brackets and stray
    spaces in unit names; match through both."""
    return _SPACES.sub("", plain(name)).replace("(", "（").replace(")", "）")


# --- domain objects from rows --------------------------------------------------------------------
def unit_info(u: Any) -> UnitInfo:
    """A ``models.Unit`` as the domain's UnitInfo."""
    return UnitInfo(id=u.id, name=u.name, short_name=u.short_name, aliases=list(u.aliases),
                    category=u.category, order=u.sort_order, collective=bool(u.collective))


def entry_info(r: Any) -> ProgressEntry:
    """A progress_entry row as the domain's ProgressEntry."""
    return ProgressEntry(id=r.id, task_id=r.task_id, date=r.entry_date, text=r.text, who=r.who, created=r.created_at)


def evidence_info(r: Any) -> EvidenceInfo:
    """An evidence row as the domain's EvidenceInfo."""
    return EvidenceInfo(id=r.id, task_id=r.task_id, name=r.name, sha256=r.sha256, size=r.size, added=r.added_at)


def preorder(pairs: Iterable[tuple[Any, Any]], roots: Iterable[Any]) -> list[Any]:
    """Keys in tree pre-order (parents before children, siblings in the order given) from
    (key, parent key) pairs listed in sibling order, starting at ``roots``."""
    children: dict[Any, list[Any]] = defaultdict(list)
    for key, parent in pairs:
        children[parent].append(key)
    out: list[Any] = []
    stack = list(reversed(list(roots)))
    while stack:
        key = stack.pop()
        out.append(key)
        stack.extend(reversed(children.get(key, ())))
    return out


# --- the change log ------------------------------------------------------------------------------
def fmt(value: Any) -> str | None:
    """A value as the change log shows it."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"（{len(value)} 字节）"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def describe(values: Any) -> str:
    """A task's name for the history: its title, or the start of its text."""
    title = (values["title"] or "").strip()
    if title:
        return title
    body = (values["text"] or "").strip()
    return body[:40] + ("…" if len(body) > 40 else "")


def place(parent_id: int | None, index: int) -> str:
    """A place in the tree as the history shows it."""
    where = "顶层" if parent_id is None else f"任务 #{parent_id} 下"
    return f"{where}第 {index + 1} 项"


def field_of(what: str) -> str:
    """The field a change-log row changed, as ConflictError names it ("*": not a single field)."""
    if what in EDITABLE_TASK_FIELDS:
        return what
    if what.startswith("units:"):
        return "lead_units" if what == "units:lead" else "units"
    if what.startswith("progress"):
        return "progress_note"
    if what.startswith("notice."):
        return what[len("notice."):]
    return "*"


def described_map(key: str, value: str) -> str:
    """A stored column setting as the change log shows it (the raw value if it does not decode)."""
    found = column_maps.decode([(key, value)])
    return column_maps.describe(*found[0]) if found else value


# --- texts of an import ----------------------------------------------------------------------------
@functools.cache
def _chapter() -> re.Pattern[str]:
    """第一部分 / 第二章 / 第三节 / 第四条: chapter markers, which the parser does not read as item numbering."""
    from desktop.importing.parse.patterns import CN_NUM

    return re.compile(rf"^\s*第(?:{CN_NUM}|\d+)(?:部分|章|节|条)\s*")


def heading_title(heading: str) -> str:
    """The heading text without its printed 序号: '（一）加强组织领导' → '加强组织领导'. (The parser's
    patterns are imported here, not at the top: ledger.py imports this module while the window starts.)"""
    from desktop.importing.parse.patterns import strip_enum

    m = _chapter().match(heading)
    return heading[m.end():].strip() if m else strip_enum(heading)


def section_path(section: Any) -> tuple[str, ...]:
    """'一、… > (一)…' (or a list of headings) → the tuple of heading texts."""
    if not section:
        return ()
    parts = section.split(">") if isinstance(section, str) else list(section)
    return tuple(p.strip() for p in parts if p and p.strip())


_BRACKETS = str.maketrans("〔【〖(〕】〗)", "[[[[]]]]")  # after NFKC: （ is (, ［ is [


def same_text_key(text: str | None) -> str:
    """A 文号 or title as duplicates are compared: full-width forms folded (NFKC), no whitespace, and
    the brackets of a 文号's year (〔〕 [] 【】 （）) made one kind."""
    s = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", s).translate(_BRACKETS)
