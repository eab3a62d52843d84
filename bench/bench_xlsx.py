"""Excel exchange at 5,000 rows (goal: export ≤ 5 s, re-import ≤ 5 s): prints figures only, no pass/fail.

One notice of 1,250 tasks × 4 items (5,000 table rows, every one shared by 各乡镇人民政府) in a temporary
data folder. Measured, each n=3, median [min–max]:
- export: ``export --what table --format xlsx`` (build the document, lay out the sheet, save);
- re-import: the exported table read back by the importer (``parse_path``);
- feedback: the unit's feedback workbook of all 5,000 rows;
- returns parse: that workbook, 500 rows changed and 5,000 reordered by openpyxl, read and planned
  (``load_returns``), then merged in one transaction (``apply_returns``).
"""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_storage import UNITS, chinese_numeral  # noqa: E402

TASKS, ITEMS, RUNS = 1250, 4, 3
TOWNS = "各乡镇人民政府"


def tasks() -> list[dict]:
    out = []
    for i in range(TASKS):
        sec = i // 125
        out.append({
            "section": f"{chinese_numeral(sec + 1)}、第{sec + 1}方面工作",
            "title": f"任务{i + 1}", "text": f"围绕第{i + 1}项任务，细化工作措施，明确责任分工，确保按期完成。",
            "lead_units": [UNITS[i % len(UNITS)]], "units": [TOWNS],
            "deadline_text": "9月底前", "due_date": "2024-09-30", "deadline_kind": "date",
            "children": [{"text": f"第{j + 1}项具体措施：组织开展专项检查，形成工作台账并按月报送进展情况。"}
                         for j in range(ITEMS)],
        })
    return out


def timed(func, runs: int = RUNS) -> tuple[str, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return f"{statistics.median(times):.2f} s [{min(times):.2f}–{max(times):.2f}]", result


def main() -> None:
    import openpyxl

    from desktop.importing import parse_path
    from desktop.spreadsheets import feedback as fb
    from desktop.spreadsheets.returns import load_returns
    from desktop.spreadsheets.writer import export_xlsx
    from desktop.storage.ledger import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ledger = Ledger(tmp / "data")
        nid = ledger.create_notice_with_tasks({"title": "关于印发2024年工作要点的通知", "year": 2024}, tasks())
        notice, rows = ledger.notice(nid), ledger.tasks(nid)
        leaves = sum(1 for r in rows if not r.child_count)
        print(f"notice: {len(rows)} nodes, {leaves} table rows")
        out = tmp / "table.xlsx"
        shown, _ = timed(lambda: export_xlsx("table", notice, rows, out, today=dt.date(2024, 7, 1)))
        print(f"export table .xlsx:     {shown}  ({out.stat().st_size // 1024} KiB)")
        shown, parsed = timed(lambda: parse_path(out))
        print(f"re-import (parse_path): {shown}  ({len(parsed.tasks)} tasks)")
        fp = ledger.notice_fingerprint(nid)
        back = tmp / "feedback.xlsx"
        shown, _ = timed(lambda: fb.make_feedback_workbook(notice, rows, TOWNS, back, fingerprint=fp,
                                                             signer=ledger.sign_handout))
        print(f"feedback workbook:      {shown}  ({back.stat().st_size // 1024} KiB)")
        wb = openpyxl.load_workbook(back)
        ws = wb[fb.SHEET_TITLE]
        status_col = [c.key for c in fb.COLUMNS].index("status") + 1
        note_col = status_col + 1
        for r in range(4, 4 + 500):
            ws.cell(r, status_col).value = "推进中"
            ws.cell(r, note_col).value = f"第{r}行已推进"
        ws.title = "改名"
        values = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
        for i, row in enumerate(reversed(values)):  # the unit sorted the rows the other way round
            for j, v in enumerate(row, 1):
                ws.cell(4 + i, j).value = v
        wb.save(tmp / "returned.xlsx")
        shown, plan = timed(lambda: load_returns(tmp / "returned.xlsx", ledger, nid))
        print(f"returns parse:          {shown}  ({len(plan.changes())} changes, {len(plan.problems)} problems)")
        fields, reports = plan.ledger_args()
        t0 = time.perf_counter()
        ledger.apply_returns(nid, plan.unit, fields, reports, source="returned.xlsx",
                             expected_versions=plan.expected_versions())
        print(f"apply_returns:          {time.perf_counter() - t0:.2f} s (n=1, {len(fields)} tasks)")
        ledger.close()


if __name__ == "__main__":
    main()
