"""The unit directory (单位库) in the storage service: resolving printed unit names, and the directory's own edits.

``UnitDirectory`` is the directory as one transaction sees it (what importing, tree edits and bulk edits
use to turn names into unit ids, entering unknown names); ``replace_units`` sets a task's units of one
role; ``UnitStore`` is the collaborator behind ``Ledger.units / add_unit / update_unit / resolve_unit``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.domain import UnitCategory, UnitInfo, UnitRole
from desktop.storage.core import Part, bump, check_version, insert_links, link_rows, log, node, role_names
from desktop.storage.engine import guarded
from desktop.storage.errors import LedgerError, NotFoundError
from desktop.storage.models import TaskUnit, Unit
from desktop.storage.rows import clean_unit_fields, unit_info, unit_key
from desktop.storage.text import checked


class UnitDirectory:
    """The 单位库 as one transaction sees it, loaded once so a whole import resolves without a query
    per name. Resolution order: full name, then short name, then aliases."""

    def __init__(self, s: Session) -> None:
        self._s = s
        self.names: dict[int, str] = {}
        self._by_name: dict[str, int] = {}
        self._by_short: dict[str, int] = {}
        self._by_alias: dict[str, int] = {}
        self._next_order = 0
        for uid, name, short, aliases, order in s.execute(
                select(Unit.id, Unit.name, Unit.short_name, Unit.aliases, Unit.sort_order)
                .order_by(Unit.sort_order, Unit.id)):
            self._remember(uid, name, short, aliases)
            self._next_order = max(self._next_order, order + 1)

    def _remember(self, uid: int, name: str, short: str, aliases: list[str]) -> None:
        self.names[uid] = name
        self._by_name.setdefault(unit_key(name), uid)
        if short:
            self._by_short.setdefault(unit_key(short), uid)
        for alias in aliases:
            self._by_alias.setdefault(unit_key(alias), uid)

    def find(self, name: str) -> int | None:
        key = unit_key(name)
        if not key:
            return None
        return self._by_name.get(key) or self._by_short.get(key) or self._by_alias.get(key)

    def find_full_name(self, name: str) -> int | None:
        return self._by_name.get(unit_key(name))

    def add(self, name: str, **values: Any) -> int:
        values.setdefault("sort_order", self._next_order)
        unit = Unit(name=name, **values)
        self._s.add(unit)
        self._s.flush()
        self._remember(unit.id, unit.name, unit.short_name or "", list(unit.aliases or []))
        self._next_order = max(self._next_order, unit.sort_order + 1)
        return unit.id

    def id_for(self, name: str) -> int:
        """The unit for a printed name; an unknown name enters the directory (category 其他)."""
        found = self.find(name)
        if found is not None:
            return found
        clean = checked(name, "单位名称").strip()
        # 各乡镇人民政府, 县级各部门 …: a name with 各 stands for a group of units.
        return self.add(clean, short_name="", aliases=[], category=UnitCategory.OTHER, collective="各" in clean)

    def ids_for(self, names: Iterable[str]) -> list[int]:
        out: list[int] = []
        for name in names:
            if name and name.strip():
                uid = self.id_for(name)
                if uid not in out:
                    out.append(uid)
        return out


def replace_units(s: Session, directory: UnitDirectory, task_id: int, role: UnitRole, names: list[str],
                  expected_version: int | None = None) -> list[str]:
    """Replace a task's units of one role (unknown names enter the directory); returns the old names."""
    where = node(s, task_id)
    if expected_version is not None:
        check_version(s, task_id, expected_version,
                      {"lead_units" if role == UnitRole.LEAD else "units": [n for n in names if n and n.strip()]})
    old = role_names(s, task_id)[role]
    ids = directory.ids_for(names)
    new = [directory.names[i] for i in ids]
    if new != old:
        s.execute(delete(TaskUnit).where(TaskUnit.task_id == task_id, TaskUnit.role == role),
                  execution_options={"synchronize_session": False})
        insert_links(s, link_rows(task_id, role, ids))
        log(s, where.notice_id, task_id, (f"units:{role.value}", old, new), version=bump(s, task_id))
    return old


class UnitStore(Part):
    """The directory's own reads and edits (see ``ledger.Ledger`` for the contract)."""

    @guarded
    def units(self) -> list[UnitInfo]:
        with self.core.ReadSession.begin() as s:
            return [unit_info(u) for u in s.scalars(select(Unit).order_by(Unit.sort_order, Unit.id))]

    @guarded
    def add_unit(self, name: str, **fields: Any) -> int:
        values = clean_unit_fields({"name": name, **fields})
        with self.core.Session.begin() as s:
            directory = UnitDirectory(s)
            if directory.find_full_name(values["name"]) is not None:
                raise LedgerError(f"单位库中已有“{values['name']}”。")
            uid = directory.add(values.pop("name"), **values)
            log(s, None, None, ("unit:add", None, directory.names[uid]))
            return uid

    @guarded
    def update_unit(self, unit_id: int, **fields: Any) -> dict[str, Any]:
        values = clean_unit_fields(fields)
        with self.core.Session.begin() as s:
            u = s.get(Unit, unit_id)
            if u is None:
                raise NotFoundError(f"找不到单位（编号 {unit_id}），它可能已被删除。")
            if "name" in values:
                other = UnitDirectory(s).find_full_name(values["name"])
                if other is not None and other != unit_id:
                    raise LedgerError(f"单位库中已有“{values['name']}”。")
            old_info = unit_info(u)
            old = {name: getattr(old_info, name) for name in fields}
            changes = []
            for name, value in values.items():
                label = "order" if name == "sort_order" else name
                if getattr(u, name) != value:
                    changes.append((f"unit.{label}", getattr(u, name), value))
                    setattr(u, name, value)
            log(s, None, None, *changes)
            return old

    @guarded
    def resolve_unit(self, name: str) -> UnitInfo | None:
        with self.core.ReadSession.begin() as s:
            uid = UnitDirectory(s).find(name)
            return None if uid is None else unit_info(s.get_one(Unit, uid))
