"""Whose task is it: the units a row counts for (inherited from its parent when it has none), and
the expansion of collective units (各乡镇人民政府 …) to the directory's members.

Inheritance: a row with no lead and no responsible units takes both lists of its nearest ancestor
that has any (items under a task belong to the task's units).

Expansion of a collective unit (``UnitInfo.collective``) to its members, by name:
- a name with 乡镇, 乡（镇）, 镇 or 街道 (各乡镇人民政府, 各乡镇（街道）) → every directory unit of
  category 乡镇街道 that is not itself collective;
- a name with 部门 or 单位 (县级各部门, 各相关部门, 县直各单位) → every non-collective unit of category 县级部门;
- anything else, or a category with no members in the directory → the name stays as it is.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from desktop.domain import TaskRow, UnitCategory, UnitInfo

NO_UNIT = "（未明确单位）"


def inherited_units(rows: Sequence[TaskRow]) -> dict[int, tuple[list[str], list[str]]]:
    """task id → (lead units, responsible units) in force: its own, or its nearest ancestor's."""
    by_id = {r.id: r for r in rows}
    named = {r.id: (r.lead_units, r.units) for r in rows if r.lead_units or r.units}
    out: dict[int, tuple[list[str], list[str]]] = {}
    for r in rows:
        chain = [r.id]
        node = r
        while node.id not in named and node.parent_id is not None and node.parent_id in by_id:
            node = by_id[node.parent_id]
            chain.append(node.id)
        out[r.id] = nearest_named(chain, named)
    return out


def nearest_named(chain: Iterable[int], named: Mapping[int, tuple[list[str], list[str]]]) -> tuple[list[str], list[str]]:
    """The inheritance rule on ids: ``chain`` is a row then its ancestors, nearest first; ``named`` maps
    the ids that name units to their (lead, responsible) lists. Both lists of the first id of the chain
    that names any, else ([], []). For callers that hold only part of a tree (storage's leaf reads)."""
    for i in chain:
        units = named.get(i)
        if units is not None and (units[0] or units[1]):
            return units
    return [], []


def owners(lead: list[str], responsible: list[str]) -> list[str]:
    """The units a reminder goes to: the lead units, else the responsible ones, else NO_UNIT."""
    return list(lead or responsible) or [NO_UNIT]


def collective_members(units: Iterable[UnitInfo]) -> dict[str, list[str]]:
    """collective unit name → member unit names, by the rule in the module docstring."""
    units = list(units)
    members = {
        cat: [u.name for u in units if u.category == cat and not u.collective]
        for cat in (UnitCategory.TOWNSHIP, UnitCategory.COUNTY_DEPT)
    }
    out: dict[str, list[str]] = {}
    for u in units:
        if not u.collective:
            continue
        cat = _category_of(u.name)
        if cat is not None and members[cat]:
            out[u.name] = members[cat]
    return out


def _category_of(name: str) -> UnitCategory | None:
    if any(w in name for w in ("乡镇", "街道", "乡（镇）", "乡(镇)", "镇")):
        return UnitCategory.TOWNSHIP
    if "部门" in name or "单位" in name:
        return UnitCategory.COUNTY_DEPT
    return None


def expand(names: list[str], members: Mapping[str, list[str]]) -> list[str]:
    """``names`` with each collective unit replaced by its members (each name once, in order)."""
    if not members:
        return names
    out: list[str] = []
    for n in names:
        for m in members.get(n, (n,)):
            if m not in out:
                out.append(m)
    return out
