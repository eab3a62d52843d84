"""UI test fixtures: a real Ledger in a temp folder, a box-free message bridge, a realistic notice, the window."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.domain import DeadlineKind, Status, TaskRow
from desktop.numbering import number_for
from desktop.storage.ledger import Ledger

REALISTIC_TASKS = [
    {"section": "一、持续优化营商环境", "title": "压减审批时限",
     "text": "全面压减企业开办时间至1个工作日内，推行“一窗受理、集成服务”。",
     "lead_units": ["县行政审批服务局"], "units": ["县市场监督管理局", "县税务局"], "deadline_text": "6月底前",
     "due_date": dt.date(2024, 6, 30), "deadline_kind": DeadlineKind.DATE,
     "children": [{"title": "梳理事项清单", "text": "梳理企业开办事项清单并公布。"},
                  {"title": "上线一网通办", "text": "企业开办全流程网上办理。", "status": Status.IN_PROGRESS}]},
    {"section": "一、持续优化营商环境", "title": "清理拖欠账款", "text": "开展清理拖欠企业账款专项行动。",
     "lead_units": ["县财政局"], "units": ["各乡镇人民政府"], "deadline_text": "长期坚持",
     "deadline_kind": DeadlineKind.LONG_TERM},
    {"section": "二、全面推进乡村振兴", "title": "人居环境整治", "text": "开展农村人居环境整治提升行动，完成改厕500户。",
     "lead_units": ["县农业农村局"], "units": ["各乡镇人民政府"], "deadline_text": "11月底前",
     "due_date": dt.date(2024, 11, 30), "deadline_kind": DeadlineKind.DATE, "status": Status.DONE},
    {"section": "二、全面推进乡村振兴", "title": "粮食生产", "text": "稳定粮食播种面积，确保粮食产量稳定。",
     "lead_units": ["县农业农村局"], "deadline_text": "全年", "deadline_kind": DeadlineKind.YEAR_ROUND},
]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    led = Ledger(data_dir=tmp_path / "ledger")
    yield led
    led.close()


@pytest.fixture
def messages(qapp):
    from desktop.ui.messages import MessageBridge

    return MessageBridge(show_boxes=False)


@pytest.fixture
def notice_id(ledger: Ledger) -> int:
    """A notice as an import leaves it: two sections, tasks, items under a task, units, deadlines."""
    for name, short in (("县行政审批服务局", "县审批局"), ("县发展和改革局", "县发改局")):
        ledger.add_unit(name, short_name=short)
    return ledger.create_notice_with_tasks(
        {"title": "关于印发2024年县政府重点工作任务分解的通知", "doc_number": "×政办发〔2024〕3号",
         "date": dt.date(2024, 2, 20)}, REALISTIC_TASKS)


@pytest.fixture
def make_window(qtbot, ledger, messages, tmp_path):
    """Build MainWindows over ``ledger`` (settings in tmp, no message boxes)."""
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow

    def make(led: Ledger | None = None, today: dt.date | None = None) -> MainWindow:
        """``today``: the window's fixed date (overdue marks, new 完成日期, the digest)."""
        kwargs = {"today": (lambda: today)} if today is not None else {}
        w = MainWindow(led or ledger, settings=tmp_path / "ui.ini", messages=messages, **kwargs)
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
        return w

    return make


def tree_rows(spec: list[tuple[int, int | None, str]], notice_id: int = 1) -> list[TaskRow]:
    """TaskRows in pre-order from (id, parent_id, title), numbered like storage does."""
    counters: dict[int | None, int] = {}
    depth: dict[int | None, int] = {None: 0}
    out = []
    for tid, pid, title in spec:
        counters[pid] = counters.get(pid, 0) + 1
        depth[tid] = depth[pid] + 1
        out.append(TaskRow(id=tid, notice_id=notice_id, parent_id=pid, position=counters[pid] - 1,
                           depth=depth[tid], number=number_for(depth[tid], counters[pid]), title=title,
                           text=f"{title}的具体内容"))
    for r in out:
        r.child_count = sum(1 for x in out if x.parent_id == r.id)
    return out


def outline(ledger: Ledger, notice_id: int) -> list[tuple[str, str]]:
    """(序号 with indentation, title) of every task, for whole-tree comparisons."""
    return [("  " * (r.depth - 1) + r.number, r.title) for r in ledger.tasks(notice_id)]
