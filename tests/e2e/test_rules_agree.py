"""One rule everywhere (issue 19): for random task trees, statuses, deadline kinds, dates, progress entries,
revised deadlines and unit assignments stored in a real SQLite ledger, every place that says which tasks
are overdue and whose they are says the same as ``tracking.rules`` — and so the same as each other:

- the command line (``digest --json``, ``stats --json``, ``tasks --json``) and the start-up reminder
  (``Ledger.digest``, read without loading whole trees);
- every document as the builders lay it out (未完成事项清单, 落实情况报告 with its 汇总表, 单位任务清单,
  任务分解表, 落实情况汇总表), and the .docx the command line writes, read back with python-docx;
- every .xlsx the command line writes (``export --format xlsx`` of table/units/open/progress, and the
  ``feedback`` hand-out workbooks), read back with openpyxl;
- the window: the 已逾期, unit and 无单位 filters (``ui.task_filter``), the table's red overdue cells and each
  parent's 下级完成 n/m (``ui.task_model``).

Rows are told apart in every output by a token in their text (〔K7〕). Hypothesis draws the trees
(derandomized: the same examples every run; no shrinking, so a failure reports its whole case in seconds
rather than minutes — add ``Phase.shrink`` locally for a minimal one).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from desktop.documents import build
from desktop.documents.model import ItemRow, Para, Table
from desktop.domain import DeadlineKind, NoticeInfo, Status
from desktop.storage.ledger import Ledger
from desktop.tracking.rules import TaskTree
from desktop.ui.task_filter import DeadlineFilter, TaskFilter, apply_filter
from tests.e2e.test_cli import run

UNITS = ["县财政局", "县教育局", "县发改局", "县政府办", "县审计局"]
TOKEN = re.compile(r"〔K(\d+)〕")
LATE = "已超期"
RECURRING_TEXTS = ["每月", "每季度", "每半年", "每年至少1次"]
DAY0 = dt.date(2022, 12, 1)


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


@st.composite
def node(draw, depth: int) -> dict:
    kind = draw(st.sampled_from(list(DeadlineKind)))
    due = draw(st.none() | st.integers(0, 480).map(day)) if kind != DeadlineKind.DATE else draw(st.integers(0, 480).map(day))
    text = {DeadlineKind.DATE: f"{due.month}月底前" if due else "", DeadlineKind.YEAR_ROUND: "全年",
            DeadlineKind.LONG_TERM: "长期坚持", DeadlineKind.RECURRING: draw(st.sampled_from(RECURRING_TEXTS)),
            DeadlineKind.NONE: ""}[kind]
    named = draw(st.booleans())
    lead = draw(st.lists(st.sampled_from(UNITS), max_size=2, unique=True)) if named else []
    resp = draw(st.lists(st.sampled_from(UNITS), max_size=2, unique=True)) if named else []
    status = draw(st.sampled_from(list(Status)))
    kids = draw(st.lists(node(depth + 1), max_size=3)) if depth < 4 and draw(st.booleans()) else []
    return {"kind": kind, "due": due if kind != DeadlineKind.LONG_TERM else None, "text": text, "lead": lead,
            "resp": resp, "status": status, "done_on": draw(st.integers(0, 480).map(day)),
            "progress": draw(st.none() | st.integers(0, 480).map(day)),
            "revised": draw(st.none() | st.integers(0, 480).map(day)) if draw(st.integers(0, 9)) == 0 else None,
            "kids": kids}


CASES = st.fixed_dictionaries({
    "notices": st.lists(st.tuples(st.sampled_from([2023, 2022, None]), st.lists(node(1), min_size=2, max_size=4)),
                        min_size=1, max_size=2),
    "today": st.integers(0, 480).map(day),
})


def store(led: Ledger, k: int, year: int | None, top: list[dict]) -> tuple[int, int]:
    nid = led.create_notice(f"关于印发《{year or ''}年第{k}批重点工作任务》的通知", year=year, issuer="X县人民政府办公室")
    count = 0

    def add(spec: dict, parent: int | None) -> None:
        nonlocal count
        count += 1
        key = f"〔K{nid * 1000 + count}〕"
        tid = led.add_task(nid, parent, title=f"事项{count}", text=f"做好第{count}项工作{key}。",
                           deadline_text=spec["text"], deadline_kind=spec["kind"], due_date=spec["due"],
                           lead_units=spec["lead"], units=spec["resp"])
        for kid in spec["kids"]:
            add(kid, tid)
        led.set_fields(tid, status=spec["status"],
                       done_on=spec["done_on"] if spec["status"] == Status.DONE else None)
        if spec["progress"] is not None:
            led.add_progress(tid, spec["progress"], "已推进")
        if spec["revised"] is not None:
            led.revise_deadline(tid, spec["revised"], "统一延期")

    for spec in top:
        add(spec, None)
    return nid, count


def key_of(text: str) -> int:
    keys = TOKEN.findall(text or "")
    assert len(keys) == 1, text
    return int(keys[0])


# ---- reading the outputs --------------------------------------------------------------------------


def doc_rows(doc) -> list[tuple[str | None, dict[str, str]]]:
    """(unit heading above, {column key: cell}) of every item row of every table of a built Doc."""
    out, unit = [], None
    for b in doc.blocks:
        if isinstance(b, Para) and b.role == "hei" and "（" in b.text:
            unit = b.text.split("（")[0]
        if isinstance(b, Table):
            keys = [c.key for c in b.columns]
            out += [(unit, dict(zip(keys, r.cells, strict=True))) for r in b.rows if isinstance(r, ItemRow)]
    return out


def grid_rows(grid: list[list[str]]) -> list[dict[str, str]]:
    """{header: cell} of the rows below each header row (a row starting 序号) that hold a token."""
    out, header = [], None
    for cells in grid:
        cells = ["" if c is None else str(c) for c in cells]
        if cells and cells[0] == "序号":
            header = cells
        elif header is not None and any(TOKEN.search(c) for c in cells):
            out.append(dict(zip(header, cells, strict=False)))
    return out


def xlsx_sheets(path: Path) -> dict[str, list[list[str]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def docx_text_and_rows(path: Path) -> tuple[str, list[dict[str, str]]]:
    import docx

    d = docx.Document(str(path))
    rows: list[list[str]] = []
    for t in d.tables:
        for r in t.rows:
            rows.append([c.text for c in r.cells])
    return "\n".join(p.text for p in d.paragraphs), grid_rows(rows)


def late_count(text: str) -> int:
    m = re.search(r"其中(\d+)项已超过完成时限", text)
    return int(m.group(1)) if m else 0


# ---- the property ---------------------------------------------------------------------------------


@settings(max_examples=24, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=CASES)
def test_every_layer_gives_the_same_overdue_set_and_units(qapp, tmp_path, capsys, case):
    today = case["today"]
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        data = Path(folder) / "data"
        data.mkdir()
        with Ledger(data) as led:
            ids = [store(led, k, year, top)[0] for k, (year, top) in enumerate(case["notices"])]
            notices = {n.id: n for n in led.notices()}
            trees = {nid: TaskTree(led.tasks(nid), notices[nid].year) for nid in ids}
            keys = {nid: {key_of(r.text): r for r in trees[nid].rows} for nid in ids}
            reminder = led.digest(today, 7)
        check_notices(data, capsys, today, ids, notices, trees, keys, reminder, Path(folder))


def check_notices(data, capsys, today, ids, notices, trees, keys, reminder, folder) -> None:
    argv = ("--data-dir", str(data))
    iso = today.isoformat()
    overdue = {nid: {r.id for r in trees[nid].rows if trees[nid].is_overdue(r, today)} for nid in ids}
    everyone = {i for nid in ids for i in overdue[nid]}
    assert not any(trees[nid].by_id[i].status == Status.PAUSED for nid in ids for i in overdue[nid])
    owners = {r.id: trees[nid].owners(r) for nid in ids for r in trees[nid].rows}

    # the command line's digest and the start-up reminder
    code, out, err = run(capsys, *argv, "digest", "--today", iso, "--days", "7", "--json")
    assert code == 0, err
    got = json.loads(out)
    assert {t["id"] for t in got["overdue"]} == everyone
    assert {t["id"]: t["owners"] for t in got["overdue"] + got["due_soon"]} == \
        {t["id"]: owners[t["id"]] for t in got["overdue"] + got["due_soon"]}
    assert {i.row.id for i in reminder.overdue} == everyone
    assert {i.row.id: i.owners for i in reminder.overdue + reminder.due_soon} == \
        {t["id"]: t["owners"] for t in got["overdue"] + got["due_soon"]}

    for nid in ids:
        tree, notice, late = trees[nid], notices[nid], overdue[nid]
        leaves = {r.id for r in tree.leaves()}
        check_tasks_and_stats(argv, capsys, iso, nid, tree, today, late)
        # the window's filters
        flt = apply_filter(tree.rows, TaskFilter(deadline=DeadlineFilter.OVERDUE), today, notice.year)
        assert flt[1] == late
        flt = apply_filter(tree.rows, TaskFilter(no_unit=True), today, notice.year)
        assert flt[1] == {i for i in leaves if not tree.names(tree.by_id[i])}
        for unit in UNITS:
            flt = apply_filter(tree.rows, TaskFilter(unit_names=frozenset({unit})), today, notice.year)
            assert flt[1] & leaves == {i for i in leaves if unit in tree.names(tree.by_id[i])}
        check_table_model(tree, notice.year, today, late)
        check_documents(tree, notice, keys[nid], today, late, leaves)
        check_files(argv, capsys, iso, nid, tree, keys[nid], late, leaves, folder / f"n{nid}")


def check_table_model(tree: TaskTree, year: int | None, today: dt.date, late: set[int]) -> None:
    """The window's task table: red 完成时限 cells exactly on the overdue rows; parents show 下级完成 n/m."""
    from PySide6.QtCore import Qt

    from desktop.tracking.status import progress_text
    from desktop.ui.task_model import COL_DEADLINE, COL_STATUS, TaskTreeModel

    model = TaskTreeModel()
    model.today, model.year = today, year
    model.set_rows(tree.rows)
    red = set()
    for r in tree.rows:
        brush = model.data(model.index_for_id(r.id, COL_DEADLINE), Qt.ItemDataRole.ForegroundRole)
        if brush is not None and brush.color().getRgb()[:3] == (192, 32, 32):
            red.add(r.id)
        if not tree.is_leaf(r):
            shown = model.data(model.index_for_id(r.id, COL_STATUS), Qt.ItemDataRole.DisplayRole)
            assert shown == progress_text(*tree.progress(r))
    assert red == late and model.overdue_count() == len(late)


def check_tasks_and_stats(argv, capsys, iso, nid, tree: TaskTree, today, late) -> None:
    code, out, err = run(capsys, *argv, "tasks", str(nid), "--today", iso, "--json")
    assert code == 0, err
    listed = json.loads(out)["tasks"]
    assert {t["id"] for t in listed} == {r.id for r in tree.leaves()}
    assert {t["id"] for t in listed if t["overdue"]} == late
    for t in listed:  # tasks --json lists the units stored on the row: where it names any, they are in force
        r = tree.by_id[t["id"]]
        assert (t["lead_units"], t["units"]) == (r.lead_units, r.units)
        if r.lead_units or r.units:
            assert (t["lead_units"], t["units"]) == tree.in_force(r)
    code, out, err = run(capsys, *argv, "stats", str(nid), "--today", iso, "--json")
    assert code == 0, err
    got = {(s["unit"], s["role"]): (s["total"], s["open"], s["overdue"]) for s in json.loads(out)["units"]}
    want: Counter = Counter()
    for r in tree.rows:
        if tree.is_counted(r):
            lead, resp = tree.in_force(r)
            for role, names in (("lead", lead), ("responsible", resp)):
                for u in names:
                    want[u, role, "total"] += 1
                    want[u, role, "open"] += tree.is_open(r)
                    want[u, role, "overdue"] += tree.is_overdue(r, today)
    assert got == {(u, role): (want[u, role, "total"], want[u, role, "open"], want[u, role, "overdue"])
                   for (u, role, what) in want if what == "total"}


def check_documents(tree: TaskTree, notice: NoticeInfo, keys, today, late, leaves) -> None:
    def rid(cells: dict[str, str]) -> int:
        return keys[key_of(cells["text"])].id

    opened = doc_rows(build("open", notice, tree.rows, today=today))
    assert {rid(c) for _, c in opened if LATE in c["status"]} == late
    assert {rid(c) for _, c in opened} >= late
    for _, c in opened:
        r = tree.by_id[rid(c)]
        assert tree.is_open(r) and c["owners"] == "、".join(tree.owners(r))
    report = build("report", notice, tree.rows, today=today)
    problems = [b.text for b in report.blocks if isinstance(b, Para) and b.text.startswith("目前还有")]
    assert late_count("".join(problems)) == len(late)  # 存在的问题: "目前还有N项任务未完成，其中M项已超过完成时限"
    for kind in ("progress", "report"):
        for _, c in doc_rows(build(kind, notice, tree.rows, today=today)):
            assert c["owners"] == "、".join(tree.answerable(tree.by_id[rid(c)]))
    for _, c in doc_rows(build("table", notice, tree.rows, today=today)):
        lead, resp = tree.in_force(tree.by_id[rid(c)])
        assert c.get("lead", "") == "、".join(lead) and c["units"] == "、".join(resp)
    per_unit = {(u, rid(c), c["role"]) for u, c in doc_rows(build("units", notice, tree.rows)) if rid(c) in leaves}
    assert per_unit == expected_roles(tree, leaves)


def expected_roles(tree: TaskTree, leaves: set[int]) -> set[tuple[str, int, str]]:
    out = set()
    for i in leaves:
        lead, resp = tree.in_force(tree.by_id[i])
        out |= {(u, i, "牵头" if u in lead else "责任") for u in tree.names(tree.by_id[i])}
    return out


def check_files(argv, capsys, iso, nid, tree: TaskTree, keys, late, leaves, folder: Path) -> None:
    folder.mkdir()

    def rid(cells: dict[str, str]) -> int:
        return keys[key_of(cells["具体内容"])].id

    def export(what: str, fmt: str) -> Path:
        out = folder / f"{what}.{fmt}"
        code, _, err = run(capsys, *argv, "export", str(nid), "--what", what, "--format", fmt, "--out", str(out),
                           "--today", iso)
        assert code == 0, err
        return out

    sheets = xlsx_sheets(export("open", "xlsx"))
    rows = [c for grid in sheets.values() for c in grid_rows(grid)]
    assert {rid(c) for c in rows if LATE in c["状态"]} == late
    assert all(c["责任单位"] == "、".join(tree.owners(tree.by_id[rid(c)])) for c in rows)
    text, rows = docx_text_and_rows(export("open", "docx"))
    assert {rid(c) for c in rows if LATE in c["状态"]} == late and late_count(text) == len(late)
    for what in ("progress", "table"):
        for c in (c for grid in xlsx_sheets(export(what, "xlsx")).values() for c in grid_rows(grid)):
            lead, resp = tree.in_force(tree.by_id[rid(c)])
            if what == "progress":
                assert c["责任单位"] == "、".join(tree.answerable(tree.by_id[rid(c)]))
            else:
                assert c.get("牵头单位", "") == "、".join(lead) and c["责任单位"] == "、".join(resp)
    sheets = xlsx_sheets(export("units", "xlsx"))
    per_unit = {(name, rid(c), c["角色"]) for name, grid in sheets.items() for c in grid_rows(grid)}
    assert {x for x in per_unit if x[1] in leaves} == expected_roles(tree, leaves)
    # the hand-out workbooks: one per unit, the task ids in the hidden first column
    hand = folder / "feedback"
    hand.mkdir()
    code, _, err = run(capsys, *argv, "feedback", str(nid), "--out", str(hand))
    want = expected_roles(tree, leaves)
    assert code == 0 or (code == 2 and not want), err
    got = set()
    for f in hand.glob("*.xlsx"):
        unit = f.name.removesuffix("-反馈表.xlsx")
        grid = xlsx_sheets(f)["反馈表"]
        head = next(i for i, r in enumerate(grid) if r and r[0] == "NoticeDesk任务编号")
        role = grid[head].index("角色")
        got |= {(unit, int(r[0]), r[role]) for r in grid[head + 1:] if r and r[0] is not None}
    assert {x for x in got if x[1] in leaves} == want
