"""Commands that list and track tasks: ``tasks``, ``task`` (status, 完成日期, progress notes), ``digest``
and ``stats``. The rules (open, due date, overdue, units) are the tracking package's: nothing is decided here.
"""
from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from desktop.domain import section_text

from .common import AddCommand, UserError, iso, notice_or_fail, open_ledger, parse_date, print_json, today_arg


def add_commands(cmd: AddCommand) -> None:
    sp = cmd("tasks", "列出某通知的任务", cmd_tasks)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算截止日期和逾期（默认今天）")
    sp = cmd("task", "修改一条任务", cmd_task)
    sp.add_argument("task_id", type=int)
    sp.add_argument("--status", help="未开始 推进中 已完成 暂缓 不适用")
    sp.add_argument("--done-on", metavar="YYYY-MM-DD", help="完成日期；与 --note 同用时也是这条进展的日期")
    sp.add_argument("--note", help="添加一条落实情况（进展记录）")
    sp.add_argument("--who", default="", help="进展记录的填报人")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="代替今天的日期")
    sp = cmd("digest", "逾期和即将到期的任务（按单位分组）", cmd_digest)
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算（默认今天）")
    sp.add_argument("--days", type=int, default=7, metavar="N", help="列出 N 天内到期的任务（默认 7）")
    sp.add_argument("--json", action="store_true")
    sp = cmd("stats", "各单位任务完成情况统计（牵头、责任）", cmd_stats)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算逾期（默认今天）")
    sp.add_argument("--expand", action="store_true", help="把“各乡镇人民政府”等统称展开为单位库中的各单位分别统计")
    sp.add_argument("--json", action="store_true")


def task_json(r, by_id: dict, today: dt.date | None = None, year: int | None = None) -> dict[str, Any]:
    """One table row as ``tasks --json`` lists it (cli.md), plus the tracking keys: ``next_due`` and
    ``overdue`` (as of ``today``), ``original_due_date`` and ``revision_reason`` of a revised deadline."""
    from desktop.tracking.deadlines import due_of

    path, parent = [], r.parent_id
    while parent is not None:
        p = by_id[parent]
        path.append(f"{p.number}{p.title}")
        parent = p.parent_id
    due = due_of(r, today or dt.date.today(), year)
    return {
        "id": r.id, "number": r.number, "level": r.depth,
        "section": section_text(reversed(path)), "title": r.title, "text": r.text,
        "lead_units": r.lead_units, "units": r.units, "deadline": r.deadline_text or None,
        "due_date": iso(r.due_date), "deadline_kind": r.deadline_kind.value, "status": r.status.value,
        "done_on": iso(r.done_on), "note": r.progress_note or None,
        "next_due": iso(due.date), "overdue": due.overdue,
        "original_due_date": iso(r.original_due_date) if r.revised_at else None,
        "revision_reason": r.revision_reason or None,
    }


def task_rows(ledger, notice_id: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The table's rows (leaves of the tree) with their heading path, as ``tasks --json`` lists them."""
    rows = ledger.tasks(notice_id)
    by_id = {r.id: r for r in rows}
    year = next((n.year for n in ledger.notices() if n.id == notice_id), None)
    return [task_json(r, by_id, today, year) for r in rows if not r.child_count]


def cmd_tasks(args: argparse.Namespace) -> int:
    ledger = open_ledger(args)
    try:
        notice_or_fail(ledger, args.notice_id)
        rows = task_rows(ledger, args.notice_id, parse_date(args.today) if args.today else None)
    finally:
        ledger.close()
    if args.json:
        print_json({"notice_id": args.notice_id, "tasks": rows})
        return 0
    for r in rows:
        units = "、".join(r["lead_units"] + r["units"])
        print(f"{r['id']}\t{r['number']}\t{r['title']}\t{units}\t{r['deadline'] or ''}\t{r['status']}")
    return 0


def cmd_task(args: argparse.Namespace) -> int:
    """Status and 完成日期 by the rules of tracking.status; --note adds a progress-log entry dated
    --done-on (else --today, else today)."""
    from desktop.domain import Status

    status = None
    if args.status is not None:
        try:
            status = Status.parse(args.status)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    done_on = parse_date(args.done_on) if args.done_on is not None else None
    today = parse_date(args.today) if args.today else dt.date.today()
    if status is None and done_on is None and args.note is None:
        raise UserError("没有要修改的内容：请给出 --status、--done-on 或 --note。")
    ledger = open_ledger(args)
    try:
        row = ledger.task(args.task_id)  # NotFoundError (a LedgerError) says the task is missing
        done = (status or row.status) == Status.DONE
        if done_on is not None and not done and args.note is None:
            raise UserError(f"任务 {row.id} 的状态是“{row.status.value}”，完成日期只用于已完成的任务。"
                            "请同时给出 --status 已完成。")
        fields: dict[str, Any] = {} if status is None else {"status": status}
        if done:
            fields["done_on"] = done_on or row.done_on or today
        if fields:
            ledger.set_fields(args.task_id, **fields)
        if args.note is not None:
            ledger.add_progress(args.task_id, done_on or today, args.note, args.who)
        row = ledger.task(args.task_id)
    finally:
        ledger.close()
    done_text = f"，完成日期 {row.done_on.isoformat()}" if row.done_on else ""
    print(f"已更新任务 {row.id}：{row.title}（{row.status.value}{done_text}）")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from desktop.tracking.digest import digest

    today = today_arg(args)
    if args.days < 0:
        raise UserError(f"天数不能为负数：{args.days}。请写 0 或正整数，例如 --days 7。")
    ledger = open_ledger(args)
    try:
        notices = {n.id: n for n in ledger.notices()}
        trees = ledger.tasks_by_notice()
    finally:
        ledger.close()
    years = {nid: n.year for nid, n in notices.items()}
    result = digest(trees, today, args.days, years)
    by_id = {nid: {r.id: r for r in rows} for nid, rows in trees.items()}

    def item_json(item, key: str) -> dict[str, Any]:
        return {**task_json(item.row, by_id[item.notice_id], today, years.get(item.notice_id)),
                "notice_id": item.notice_id, key: item.due.days, "owners": item.owners}

    if args.json:
        print_json({"today": today.isoformat(), "days": args.days,
                     "overdue": [item_json(i, "days_overdue") for i in result.overdue],
                     "due_soon": [item_json(i, "days_left") for i in result.due_soon]})
        return 0
    if not result.count():
        print(f"截至 {today.isoformat()}：没有逾期或 {args.days} 天内到期的任务。")
        return 0
    print(f"截至 {today.isoformat()}：逾期 {len(result.overdue)} 项，{args.days} 天内到期 {len(result.due_soon)} 项。")
    for unit, overdue, soon in result.by_unit():
        print(f"【{unit}】")
        for item in overdue + soon:
            r = item.row
            when = f"逾期 {item.due.days} 天" if item.due.overdue else (
                "今天到期" if item.due.days == 0 else f"还剩 {item.due.days} 天")
            title = r.title or r.text[:30]
            print(f"  {when}\t{item.due.date.isoformat()}\t{r.number}{title}\t（{notices[item.notice_id].title}）")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    today = today_arg(args)
    ledger = open_ledger(args)
    try:
        notice_or_fail(ledger, args.notice_id)
        stats = ledger.stats(today, notice_id=args.notice_id, expand_collective=args.expand)
    finally:
        ledger.close()
    if args.json:
        print_json({"notice_id": args.notice_id, "today": today.isoformat(),
                     "units": [s.as_json() for s in stats]})
        return 0
    print(f"截至 {today.isoformat()}\t角色\t任务\t已完成\t未完成\t逾期\t按时完成")
    for s in stats:
        role = "牵头" if s.role == "lead" else "责任"
        print(f"{s.unit}\t{role}\t{s.total}\t{s.done}\t{s.open}\t{s.overdue}\t{s.done_on_time}")
    return 0
