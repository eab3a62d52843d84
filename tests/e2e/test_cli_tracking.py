"""The tracking commands of cli.md on the corpus notices: `task` rules and progress notes, `digest` and
`stats` JSON shapes, text output, exit status 2 — with the expected answers computed here, independently,
from `tasks --json` (no hard-coded counts)."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from desktop.storage.ledger import Ledger
from tests.e2e.test_cli import has_chinese, run

TASK_KEYS = {"id", "number", "level", "section", "title", "text", "lead_units", "units", "deadline", "due_date",
             "deadline_kind", "status", "done_on", "note"}
OPEN_ACTIVE = {"未开始", "推进中"}


@pytest.fixture
def corpus_ledger(data_dir, corpus_dir, capsys) -> list[int]:
    """All corpus notices imported by the CLI, then a clerk's year of edits (by the CLI and the API)."""
    ids = []
    for f in sorted(Path(corpus_dir).glob("*.txt")):
        code, out, err = run(capsys, "--data-dir", str(data_dir), "import", str(f))
        assert code == 0, err
        ids.append(int(out.strip().splitlines()[-1]))
    tasks = {nid: tasks_json(capsys, data_dir, nid) for nid in ids}
    lezhi = next(nid for nid in ids if any(t["deadline_kind"] == "date" for t in tasks[nid]))
    rows = tasks[lezhi]
    edits = [("--status", "已完成", "--done-on", "2023-05-06"), ("--status", "已完成", "--done-on", "2024-01-15"),
             ("--status", "不适用",), ("--status", "暂缓",), ("--status", "推进中", "--note", "已部署")]
    for t, argv in zip(rows, edits, strict=False):
        code, _, err = run(capsys, "--data-dir", str(data_dir), "task", str(t["id"]), *argv, "--today", "2023-04-01")
        assert code == 0, err
    dated = [t for nid in ids for t in tasks[nid] if t["deadline_kind"] == "date"]
    with Ledger(data_dir) as led:  # a revised deadline and a done date task
        led.revise_deadline(dated[0]["id"], dt.date(2023, 7, 3), "市里统一延期")
        led.set_fields(dated[-1]["id"], status="已完成", done_on="2023-06-29")
    return ids


def tasks_json(capsys, data_dir, nid: int, today: str | None = None) -> list[dict]:
    code, out, err = run(capsys, "--data-dir", str(data_dir), "tasks", str(nid), "--json",
                         *(["--today", today] if today else []))
    assert code == 0, err
    return json.loads(out)["tasks"]


def due_date(t: dict) -> dt.date | None:
    """The due date in force, from the fields `tasks --json` prints (the corpus has no recurring kind)."""
    assert t["deadline_kind"] != "recurring"
    if t["deadline_kind"] == "long_term" and not t["revision_reason"]:
        return None
    return dt.date.fromisoformat(t["due_date"]) if t["due_date"] else None


@pytest.mark.parametrize("today", ["2023-06-28", "2023-07-05", "2023-12-28", "2024-01-02"])
def test_digest_lists_what_tasks_json_says_is_overdue_or_due(data_dir, corpus_ledger, capsys, today):
    day = dt.date.fromisoformat(today)
    expected_over, expected_soon = {}, {}
    for nid in corpus_ledger:
        for t in tasks_json(capsys, data_dir, nid, today):
            due = due_date(t)
            if t["status"] not in OPEN_ACTIVE or due is None:
                continue
            left = (due - day).days
            if left < 0:
                expected_over[t["id"]] = (nid, -left, t)
            elif left <= 7:
                expected_soon[t["id"]] = (nid, left, t)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "digest", "--today", today, "--json")
    assert code == 0, err
    got = json.loads(out)
    assert set(got) >= {"today", "overdue", "due_soon"} and got["today"] == today
    assert {i["id"] for i in got["overdue"]} == set(expected_over)
    assert {i["id"] for i in got["due_soon"]} == set(expected_soon)
    for key, items, expected in (("days_overdue", got["overdue"], expected_over),
                                 ("days_left", got["due_soon"], expected_soon)):
        for item in items:
            nid, days, t = expected[item["id"]]
            assert TASK_KEYS <= set(item) and item["notice_id"] == nid and item[key] == days
            assert {k: item[k] for k in TASK_KEYS} == {k: t[k] for k in TASK_KEYS}
            # who the reminder goes to: the row's lead units, else its responsible units, else inherited
            assert item["owners"] == (t["lead_units"] or t["units"] or item["owners"]) and item["owners"]
        assert [i[key] for i in items] == sorted((i[key] for i in items), reverse=key == "days_overdue")
    assert expected_over or expected_soon  # the dates chosen do exercise the digest

    code, text, _ = run(capsys, "--data-dir", str(data_dir), "digest", "--today", today)
    assert code == 0 and f"逾期 {len(expected_over)} 项" in text
    for item in got["overdue"] + got["due_soon"]:
        for unit in item["owners"]:
            assert f"【{unit}】" in text


@pytest.mark.parametrize("today", ["2023-07-05", "2024-01-02"])
def test_stats_count_what_tasks_json_shows(data_dir, corpus_ledger, capsys, today):
    day = dt.date.fromisoformat(today)
    for nid in corpus_ledger:
        expected: dict[tuple[str, str], Counter] = {}
        for t in tasks_json(capsys, data_dir, nid, today):
            if t["status"] == "不适用":
                continue
            due, done = due_date(t), t["status"] == "已完成"
            flags = Counter(total=1, done=done, open=not done,
                            overdue=t["status"] in OPEN_ACTIVE and due is not None and due < day,
                            done_on_time=done and t["done_on"] is not None
                            and (due is None or dt.date.fromisoformat(t["done_on"]) <= due))
            for role, names in (("lead", t["lead_units"]), ("responsible", t["units"])):
                for name in names:
                    expected.setdefault((name, role), Counter()).update(flags)
        code, out, err = run(capsys, "--data-dir", str(data_dir), "stats", str(nid), "--today", today, "--json")
        assert code == 0, err
        got = json.loads(out)
        assert got["notice_id"] == nid
        table = {(u["unit"], u["role"]): u for u in got["units"]}
        assert len(table) == len(got["units"]) and set(table) == set(expected)
        for key, u in table.items():
            assert set(u) == {"unit", "role", "total", "done", "open", "overdue", "done_on_time"}
            assert {k: u[k] for k in ("total", "done", "open", "overdue", "done_on_time")} == {
                k: expected[key][k] for k in ("total", "done", "open", "overdue", "done_on_time")}, key
            assert u["done"] + u["open"] == u["total"] and u["overdue"] <= u["open"]
        code, text, _ = run(capsys, "--data-dir", str(data_dir), "stats", str(nid), "--today", today)
        assert code == 0 and all(unit in text for unit, _ in table)


def test_task_command_keeps_the_rules_and_logs_notes(data_dir, corpus_ledger, capsys):
    tid = tasks_json(capsys, data_dir, corpus_ledger[0])[0]["id"]
    base = ("--data-dir", str(data_dir), "task", str(tid))
    assert run(capsys, *base, "--note", "召开部署会", "--who", "办公室", "--today", "2023-03-02")[0] == 0
    assert run(capsys, *base, "--status", "已完成", "--today", "2023-06-01")[0] == 0
    t = tasks_json(capsys, data_dir, corpus_ledger[0])[0]
    assert (t["status"], t["done_on"], t["note"]) == ("已完成", "2023-06-01", "召开部署会")
    assert run(capsys, *base, "--note", "补充材料", "--done-on", "2023-06-03")[0] == 0  # dated, done date moves
    t = tasks_json(capsys, data_dir, corpus_ledger[0])[0]
    assert (t["done_on"], t["note"]) == ("2023-06-03", "补充材料")
    assert run(capsys, *base, "--status", "推进中")[0] == 0
    t = tasks_json(capsys, data_dir, corpus_ledger[0])[0]
    assert (t["status"], t["done_on"]) == ("推进中", None)  # leaving 已完成 clears the date
    with Ledger(data_dir) as led:
        log = led.progress_log(tid)
    assert [(e.date.isoformat(), e.text, e.who) for e in log] == [
        ("2023-03-02", "召开部署会", "办公室"), ("2023-06-03", "补充材料", "")]


@pytest.mark.parametrize("argv, needle", [
    (["stats", "999"], "没有编号为 999 的通知"),
    (["stats", "1", "--today", "2023/7/1"], "日期格式不对"),
    (["digest", "--today", "明天"], "日期格式不对"),
    (["digest", "--days", "-1"], "天数不能为负数"),
    (["digest", "--days", "七"], "命令行参数有误"),
    (["tasks", "1", "--today", "2023-13-01"], "日期格式不对"),
    (["task", "1", "--done-on", "2023-05-06"], "完成日期只用于已完成的任务"),
    (["task", "1", "--status", "完成"], "未知的状态"),
    (["task", "99999", "--note", "x"], "找不到任务"),
])
def test_bad_requests_exit_2_in_chinese_and_write_nothing(data_dir, corpus_ledger, capsys, argv, needle):
    with Ledger(data_dir) as led:
        before = (len(led.changes(limit=10_000)), led.tasks_by_notice())
    code, out, err = run(capsys, "--data-dir", str(data_dir), *argv)
    assert code == 2 and needle in err and has_chinese(err) and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with Ledger(data_dir) as led:
        assert (len(led.changes(limit=10_000)), led.tasks_by_notice()) == before


def test_digest_on_an_empty_ledger(data_dir, capsys):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "digest", "--today", "2024-01-01", "--json")
    assert code == 0 and json.loads(out) == {"today": "2024-01-01", "days": 7, "overdue": [], "due_soon": []}
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "digest", "--today", "2024-01-01")
    assert code == 0 and "没有逾期" in out
