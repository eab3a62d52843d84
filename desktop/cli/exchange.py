"""The Excel exchange with the units: ``feedback`` (hand out one workbook per unit), ``returns`` (merge what a
unit sent back), ``carry-forward`` (next year's notice from this one) and ``compare``. A problem the clerk
can fix is a ``UserError`` (exit 2, one line in Chinese), and nothing is written to the ledger then.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import AddCommand, UserError, notice_or_fail, open_ledger, parse_date, print_json


def add_commands(cmd: AddCommand) -> None:
    sp = cmd("returns", "导入单位填报后发回的反馈表（.xlsx）", cmd_returns)
    sp.add_argument("file")
    sp.add_argument("--dry-run", action="store_true", help="只显示会做哪些修改，不写入台账")
    sp.add_argument("--overwrite-newer", action="store_true",
                    help="发出反馈表后台账中又修改过的任务（冲突），也以单位填报的为准导入")
    sp.add_argument("--notice", type=int, metavar="NOTICE_ID", help="只接受这份通知的反馈表")
    sp.add_argument("--today", metavar="YYYY-MM-DD", help="进展记录的日期（默认今天）")
    sp = cmd("feedback", "为各单位生成反馈表（.xlsx），发给单位填写", cmd_feedback)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--out", required=True, metavar="DIR", help="保存反馈表的文件夹")
    sp.add_argument("--unit", metavar="NAME", help="只生成这个单位的反馈表")
    sp = cmd("carry-forward", "以某通知的任务表为底，建立新一年的通知（状态、进展清空）", cmd_carry_forward)
    sp.add_argument("notice_id", type=int)
    sp.add_argument("--year", type=int, required=True, metavar="YYYY")
    sp.add_argument("--title", help="新通知的标题（默认把原标题中的年份改为新年份）")
    sp = cmd("compare", "比较两份通知的任务（新增、删除、修改）", cmd_compare)
    sp.add_argument("old_id", type=int)
    sp.add_argument("new_id", type=int)
    sp.add_argument("--json", action="store_true")


def cmd_returns(args: argparse.Namespace) -> int:
    """Three groups, as the window shows them: 可导入 (applied unless --dry-run), 冲突 (the ledger changed
    the task after the hand-out: applied only with --overwrite-newer) and 拒绝 (never applied, with why)."""
    from desktop.spreadsheets import ReturnsError
    from desktop.spreadsheets.returns import load_returns

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}。请检查路径是否正确。")
    today = parse_date(args.today) if args.today else None
    ledger = open_ledger(args)
    try:
        try:
            plan = load_returns(path, ledger, args.notice)
        except ReturnsError as exc:
            raise UserError(str(exc)) from None
        title = ledger.notice(plan.notice_id).title
        sent = f"，发出时间：{plan.feedback.exported_at.replace('T', ' ')}" if plan.feedback.exported_at else ""
        print(f"{plan.summary()}（通知：{title}，工作表：{plan.feedback.sheet}{sent}）")
        for note in plan.notes:
            print(f"注意：{note}")
        print(f"可导入（{len(plan.rows)} 项任务，{len(plan.changes())} 处修改）：")
        for row in plan.rows:
            print(f"  [{row.task_id}] {row.number} {row.title}")
            for c in row.changes:
                print(f"      {c.label}：{c.old or '（空）'} → {c.new}")
        take = "，已按 --overwrite-newer 以单位填报为准" if args.overwrite_newer else \
            "，未导入；确认以单位填报为准时加 --overwrite-newer"
        print(f"冲突（{len(plan.conflicts)} 项任务：发出反馈表后台账中已修改{take if plan.conflicts else ''}）：")
        for row in plan.conflicts:
            print(f"  [{row.task_id}] {row.number} {row.title}")
            for c in row.changes:
                print(f"      {c.label}：台账现为 {c.old or '（空）'}（发出时 {c.sent or '（空）'}），单位填报 {c.new}")
        print(f"拒绝（{len(plan.refused)} 处，未导入）：")
        for r in plan.refused:
            print(f"  {r.text}")
        fields, reports = plan.ledger_args(overwrite_newer=args.overwrite_newer)
        if args.dry_run or not (fields or reports):
            print("（试运行，未写入台账）" if args.dry_run else "没有需要写入台账的修改。")
            return 0
        ledger.apply_returns(plan.notice_id, plan.unit, fields, reports, today, path.name,
                             expected_versions=plan.expected_versions(overwrite_newer=args.overwrite_newer))
        n = len(plan.changes()) + (len(plan.conflict_changes()) if args.overwrite_newer else 0)
        print(f"已导入 {n} 处修改（{len(set(fields) | set(reports))} 项任务），填报单位：{plan.unit}")
    finally:
        ledger.close()
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from desktop.spreadsheets.feedback import make_feedback_workbook, unit_names
    from desktop.spreadsheets.writer import sheet_name
    from desktop.storage.errors import cannot_write

    folder = Path(args.out)
    if not folder.is_dir():
        raise UserError(f"保存位置不存在：{folder}。请先建立该文件夹或换一个位置。")
    ledger = open_ledger(args)
    try:
        notice_or_fail(ledger, args.notice_id)
        notice, rows = ledger.notice(args.notice_id), ledger.tasks(args.notice_id)
        fingerprint = ledger.notice_fingerprint(args.notice_id)
        units = unit_names(rows)
        if args.unit:
            if args.unit not in units:
                raise UserError(f"这份通知中没有单位“{args.unit}”的任务。请检查单位名称（需与台账中的写法一致）。")
            units = [args.unit]
        if not units:
            raise UserError("这份通知的任务还没有指定单位，无法生成反馈表。请先填写牵头单位或责任单位。")
        taken: set[str] = set()
        for unit in units:
            out = folder / f"{sheet_name(unit, taken)}-反馈表.xlsx"
            try:  # signed with this ledger's hand-out key: only it can take the workbook back
                make_feedback_workbook(notice, rows, unit, out, fingerprint=fingerprint,
                                       signer=ledger.sign_handout)
            except OSError as exc:
                raise UserError(cannot_write(out, exc)) from None
            print(out)
    finally:
        ledger.close()
    print(f"已生成 {len(units)} 份反馈表：{folder}")
    return 0


def cmd_carry_forward(args: argparse.Namespace) -> int:
    if not 2000 <= args.year <= 2100:
        raise UserError(f"年份不对：{args.year}。请写四位年份，例如 --year 2025。")
    ledger = open_ledger(args)
    try:
        notice_or_fail(ledger, args.notice_id)
        new_id = ledger.carry_forward(args.notice_id, args.year, args.title)
        notice = ledger.notice(new_id)
    finally:
        ledger.close()
    print(f"已建立：{notice.title}（{notice.task_count} 项，状态和进展已清空）")
    print(new_id)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from desktop.spreadsheets.compare import FIELD_LABELS, compare_notices, counts

    ledger = open_ledger(args)
    try:
        for nid in (args.old_id, args.new_id):
            notice_or_fail(ledger, nid)
        pairs = compare_notices(ledger.tasks(args.old_id), ledger.tasks(args.new_id))
    finally:
        ledger.close()
    n = counts(pairs)
    if args.json:
        def side(s):
            return None if s is None else {"id": s.row.id, **s.values}
        print_json({"old_id": args.old_id, "new_id": args.new_id, "counts": n,
                     "pairs": [{"kind": p.kind, "fields": p.fields, "ratio": round(p.ratio, 3),
                                "old": side(p.old), "new": side(p.new)} for p in pairs]})
        return 0
    print(f"相同 {n['same']} 项，修改 {n['changed']} 项，新增 {n['new']} 项，删除 {n['dropped']} 项")
    names = {"changed": "修改", "new": "新增", "dropped": "删除"}
    for p in pairs:
        if p.kind == "same":
            continue
        s = p.new or p.old
        what = "、".join(FIELD_LABELS[f] for f in p.fields)
        print(f"{names[p.kind]}\t{s.values['title'] or s.values['text'][:30]}" + (f"\t（{what}）" if what else ""))
    return 0
