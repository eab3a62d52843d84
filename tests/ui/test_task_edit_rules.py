"""The table's edit rules without a window: what a selection allows, 上移 / 下移, the row after a delete, counts."""
from __future__ import annotations

import dataclasses

from desktop.domain import Status
from desktop.ui.task_edit_rules import after_delete, capabilities, counts_text, reordered

from .conftest import tree_rows

# 1 ─┬ 2          5
#    ├ 3 ─ 4
ROWS = tree_rows([(1, None, "甲"), (2, 1, "乙"), (3, 1, "丙"), (4, 3, "丁"), (5, None, "戊")])
BY_ID = {r.id: r for r in ROWS}


def siblings_of(tid: int) -> list[int]:
    return [r.id for r in ROWS if r.parent_id == BY_ID[tid].parent_id]


def parent_of(tid: int) -> int | None:
    return BY_ID[tid].parent_id


def is_ancestor(a: int, b: int | None) -> bool:
    while b is not None:
        if a == b:
            return True
        b = BY_ID[b].parent_id
    return False


def test_capabilities_follow_the_selection():
    none = capabilities(False, [], None, siblings_of, parent_of)
    assert not any(none.values())
    first = capabilities(True, [2], 2, siblings_of, parent_of)
    assert first["move_down"] and first["outdent"] and first["merge"] and first["delete"]
    assert not first["move_up"] and not first["indent"]
    last = capabilities(True, [3], 3, siblings_of, parent_of)
    assert last["move_up"] and last["indent"] and not last["move_down"] and not last["merge"]
    mixed = capabilities(True, [2, 5], 5, siblings_of, parent_of)  # two parents: no moves
    assert mixed["delete"] and not (mixed["move_up"] or mixed["move_down"] or mixed["indent"] or mixed["outdent"])
    both = capabilities(True, [1, 5], 1, siblings_of, parent_of)  # all the top level: nowhere to go
    assert not both["move_up"] and not both["move_down"]


def test_reordered_moves_a_block_one_place():
    assert reordered([1, 2, 3, 4], {3}, up=True) == [1, 3, 2, 4]
    assert reordered([1, 2, 3, 4], {2, 3}, up=False) == [1, 4, 2, 3]
    assert reordered([1, 2, 3, 4], {1, 3}, up=True) == [1, 3, 2, 4]  # the first stays, the other moves
    assert reordered([1, 2], {2}, up=False) == [1, 2]


def test_after_delete_selects_the_next_row_left_else_the_one_before():
    assert after_delete(ROWS, [3], is_ancestor) == 5  # 4 goes with 3
    assert after_delete(ROWS, [5], is_ancestor) == 4
    assert after_delete(ROWS, [1, 5], is_ancestor) is None


def test_counts_text():
    rows = [dataclasses.replace(r, status=Status.DONE) if r.id == 2 else r for r in ROWS]
    assert counts_text(rows, 0, None) == "共 5 条任务，具体事项 3 项 · 未开始 2 · 已完成 1"
    assert counts_text(rows, 2, 4).endswith("已逾期 2 · 筛选出 4 条")
