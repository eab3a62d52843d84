"""The table's edit rules as plain functions over rows and ids: which edits the selection allows
(``capabilities``), the order 上移 / 下移 makes (``reordered``), the ledger moves that reach an order
(``plan_moves``), the row selected after a delete (``after_delete``) and the status-bar counts
(``counts_text``). ``TaskController`` asks them and pushes the undo commands; no Qt, no ledger here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from desktop.domain import Status, TaskRow

Move = tuple[int, int | None, int]


def plan_moves(current: list[int], final: list[int], moving: list[int], parent_id: int | None) -> list[Move]:
    """Ledger ``move_task`` calls that turn the parent's child list ``current`` into ``final``.

    ``moving`` are the tasks to move (they may come from other parents). Each call's index is the
    task's place after the move, counted among the children present at that moment.
    """
    pos = {x: i for i, x in enumerate(final)}
    children = list(current)
    pending = set(moving)
    moves: list[Move] = []
    for tid in sorted(moving, key=lambda t: pos[t]):
        pending.discard(tid)
        if tid in children:
            children.remove(tid)
        index = 0
        for i, other in enumerate(children):
            if other not in pending and pos.get(other, -1) < pos[tid]:
                index = i + 1
        children.insert(index, tid)
        moves.append((tid, parent_id, index))
    return moves


def reordered(siblings: Sequence[int], chosen: set[int], up: bool) -> list[int]:
    """The siblings after the ``chosen`` ones moved one place up (or down), as a block that stops at the end."""
    final = list(siblings)
    rng = range(1, len(final)) if up else range(len(final) - 2, -1, -1)
    for i in rng:
        j = i - 1 if up else i + 1
        if final[i] in chosen and final[j] not in chosen:
            final[i], final[j] = final[j], final[i]
    return final


def capabilities(has_notice: bool, ids: list[int], current: int | None, siblings_of: Callable[[int], list[int]],
                 parent_of: Callable[[int], int | None]) -> dict[str, bool]:
    """The edits the selection allows: ``ids`` the selected tasks (top-level only), ``current`` the current one."""
    caps = {"insert_sibling": has_notice, "insert_child": has_notice and current is not None,
            "delete": bool(ids), "find": has_notice, "split": current is not None,
            "bulk_status": bool(ids), "bulk_units": bool(ids), "bulk_shift": bool(ids),
            "move_up": False, "move_down": False, "indent": False, "outdent": False, "merge": False}
    if ids and len({parent_of(i) for i in ids}) == 1:
        sibs = siblings_of(ids[0])
        places = [sibs.index(i) for i in ids]
        caps["move_up"] = min(places) > 0 and places != list(range(len(places)))
        caps["move_down"] = max(places) < len(sibs) - 1 and \
            places != list(range(len(sibs) - len(places), len(sibs)))
        caps["indent"] = min(places) > 0
        caps["outdent"] = parent_of(ids[0]) is not None
    if current is not None:
        sibs = siblings_of(current)
        caps["merge"] = sibs.index(current) < len(sibs) - 1
    return caps


def after_delete(rows: list[TaskRow], ids: list[int], is_ancestor: Callable[[int, int], bool]) -> int | None:
    """The task to select once ``ids`` (with their subtrees) are deleted: the next one left, else the one before."""
    alive = [r.id for r in rows if not any(is_ancestor(d, r.id) for d in ids)]
    order = {r.id: i for i, r in enumerate(rows)}
    last = max(order[i] for i in ids)
    after = [a for a in alive if order[a] > last]
    before = [a for a in alive if order[a] < last]
    return after[0] if after else (before[-1] if before else None)


def counts_text(rows: list[TaskRow], overdue: int, matched: int | None) -> str:
    """The status bar's counts: tasks, 具体事项 by status, overdue and — when filtered — how many match."""
    leaves = [r for r in rows if not r.child_count]
    by_status = Counter(r.status for r in leaves)
    parts = [f"共 {len(rows)} 条任务，具体事项 {len(leaves)} 项"]
    parts += [f"{s.value} {by_status[s]}" for s in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)
              if by_status[s]]
    if overdue:
        parts.append(f"已逾期 {overdue}")
    if matched is not None:
        parts.append(f"筛选出 {matched} 条")
    return " · ".join(parts)
