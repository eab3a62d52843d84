"""Fixtures for the storage tests: an open ledger on a temporary file and a small sample notice."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest

from desktop.domain import DeadlineKind, Status, TaskRow, UnitCategory
from desktop.storage.ledger import Ledger


@pytest.fixture
def ledger(data_dir) -> Iterator[Ledger]:
    led = Ledger(data_dir)
    yield led
    led.close()


@pytest.fixture
def sample(ledger: Ledger) -> dict[str, int]:
    """A notice with this tree (ids by name in the returned dict, plus 'notice'):

        A            lead 县政数局, responsible 各乡镇人民政府
          A1         text with three clauses, lead 县发改局
            A1a
            A1b
          A2
            A2a
        B
          B1
        C
    """
    ledger.add_unit("X县政务服务和数据管理局", short_name="县政数局", aliases=["政数局"],
                    category=UnitCategory.COUNTY_DEPT)
    ledger.add_unit("X县发展和改革局", short_name="县发改局", category=UnitCategory.COUNTY_DEPT)
    nid = ledger.create_notice("关于印发工作要点的通知", doc_number="X政办发〔2024〕1号", year=2024)
    ids = {"notice": nid}
    ids["A"] = ledger.add_task(nid, title="A", text="甲", lead_units=["政数局"], units=["各乡镇人民政府"])
    ids["A1"] = ledger.add_task(nid, ids["A"], title="A1", text="第一句，第二句。第三句", lead_units=["县发改局"],
                                deadline_text="9月底前", due_date="2024-09-30", deadline_kind=DeadlineKind.DATE,
                                status=Status.IN_PROGRESS, owner="张三", progress_note="已启动")
    ids["A1a"] = ledger.add_task(nid, ids["A1"], title="A1a")
    ids["A1b"] = ledger.add_task(nid, ids["A1"], title="A1b")
    ids["A2"] = ledger.add_task(nid, ids["A"], title="A2", text="乙", units=["X县发展和改革局", "县政数局"],
                                remark="备注乙")
    ids["A2a"] = ledger.add_task(nid, ids["A2"], title="A2a")
    ids["B"] = ledger.add_task(nid, title="B")
    ids["B1"] = ledger.add_task(nid, ids["B"], title="B1")
    ids["C"] = ledger.add_task(nid, title="C")
    return ids


def outline(rows: list[TaskRow]) -> list[str]:
    """'  A1a' style lines: the tree shape by title, for readable assertions."""
    return ["  " * (r.depth - 1) + r.title for r in rows]


def assert_dense(rows: list[TaskRow]) -> None:
    """Positions are 0..n-1 per parent, and pre-order matches the stored parents."""
    by_parent: dict[int | None, list[int]] = defaultdict(list)
    for r in rows:
        by_parent[r.parent_id].append(r.position)
    for parent, positions in by_parent.items():
        assert positions == list(range(len(positions))), (parent, positions)
