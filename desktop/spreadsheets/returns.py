"""Reading a feedback workbook a unit sent back, and planning the merge: what changes, old → new, per field.

``read_feedback(path)`` opens the file (broken, encrypted, legacy .xls or a workbook NoticeDesk did not
write → ``ReturnsError``), finds the marker sheet and the task sheet by its hidden id column (whatever
the sheet is now called) and reads the rows by id, so reordered rows do not matter. ``plan_returns``
compares each row with what was sent (the snapshot in the marker sheet) and with the ledger now: only
what the unit changed is proposed, old = the ledger's value, new = the unit's. Rows deleted, added,
duplicated or naming tasks that no longer exist are reported in ``problems`` and never imported.
``load_returns(path, ledger, notice_id)`` does both after checking the workbook belongs to the notice.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.domain import Status, TaskRow
from desktop.spreadsheets import ReturnsError
from desktop.spreadsheets import feedback as fb
from desktop.spreadsheets.sheet_style import cell_text

LABELS = {"status": "状态", "done_on": "完成日期", "note": "完成情况", "evidence": "佐证材料说明"}
NOT_FEEDBACK = ("这不是本程序生成的反馈表：文件中没有反馈表的标记（可能是另行制作的表格，或把内容复制到了新的工作簿）。"
                "请让填报单位直接在发给他们的反馈表中填写并保存后发回。")


@dataclass
class FeedbackRow:
    line: int  # row number in the sheet, as Excel shows it
    task_id: Any  # the hidden id cell as read (int when intact)
    values: dict[str, Any]  # column key → cell value


@dataclass
class Feedback:
    """A returned workbook as read: its marker data and its task rows."""

    name: str
    notice_id: int
    fingerprint: str
    unit: str
    notice_title: str
    exported_at: str
    sent: dict[int, dict[str, str]]  # task id → {status, done_on, note, evidence} as sent
    rows: list[FeedbackRow]
    sheet: str
    notes: list[str] = field(default_factory=list)


@dataclass
class FieldChange:
    task_id: int
    field: str  # status | done_on | note | evidence
    old: str
    new: str
    value: Any  # typed: Status, date or text

    @property
    def label(self) -> str:
        return LABELS[self.field]


@dataclass
class RowChange:
    task_id: int
    line: int
    number: str
    title: str
    changes: list[FieldChange]


@dataclass
class ReturnPlan:
    """What merging a returned workbook would do."""

    feedback: Feedback
    rows: list[RowChange]
    problems: list[str]

    @property
    def unit(self) -> str:
        return self.feedback.unit

    @property
    def notice_id(self) -> int:
        return self.feedback.notice_id

    def changes(self) -> list[FieldChange]:
        return [c for r in self.rows for c in r.changes]

    def ledger_args(self, accepted: set[tuple[int, str]] | None = None) -> tuple[dict[int, dict], dict[int, str]]:
        """(fields_by_task, reports) for ``Ledger.apply_returns`` from the changes ``accepted`` ((task id,
        field) pairs; None = all)."""
        fields: dict[int, dict] = {}
        reports: dict[int, str] = {}
        for row in self.rows:
            chosen = {c.field: c for c in row.changes if accepted is None or (c.task_id, c.field) in accepted}
            f = {k: chosen[k].value for k in ("status", "done_on") if k in chosen}
            if f:
                fields[row.task_id] = f
            text = report_text(chosen["note"].value if "note" in chosen else None,
                               chosen["evidence"].value if "evidence" in chosen else None)
            if text:
                reports[row.task_id] = text
        return fields, reports

    def summary(self) -> str:
        n = len(self.changes())
        return (f"{self.unit}反馈表：{len(self.rows)}项任务有{n}处修改" if n else f"{self.unit}反馈表：没有需要导入的修改") + (
            f"，另有{len(self.problems)}个问题未导入" if self.problems else "")


# --- reading -------------------------------------------------------------------------------------

def _open(path: Path):
    import openpyxl

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReturnsError(f"找不到文件：{path}。请检查路径是否正确。") from None
    except OSError as exc:
        raise ReturnsError(f"无法打开文件“{path.name}”：{exc.strerror or exc}。请确认文件没有被其他程序占用。") from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReturnsError(f"“{path.name}”设置了打开密码（已加密），无法读取。请让填报单位取消密码后另存为 .xlsx 再发回，"
                               "或在 Excel/WPS 中输入密码打开后另存为不加密的 .xlsx。")
        raise ReturnsError(f"“{path.name}”是旧版 .xls 格式，不是发出的反馈表。请在 Excel/WPS 中另存为 .xlsx 后再导入。")
    if not data.startswith(b"PK\x03\x04"):
        raise ReturnsError(f"无法读取“{path.name}”：该文件不是有效的 .xlsx（可能已损坏）。请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception:
            raise ReturnsError(f"无法读取“{path.name}”：该文件不是有效的 .xlsx（可能已损坏）。"
                               "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。") from None


def _meta(wb) -> tuple[dict[str, Any], dict[int, dict[str, str]]]:
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if not first or first[0] != fb.MARKER:
            continue
        meta: dict[str, Any] = {"version": first[1] if len(first) > 1 else None}
        sent: dict[int, dict[str, str]] = {}
        in_table = False
        for row in rows:
            row = tuple(row) + (None,) * 5
            if in_table:
                if isinstance(row[0], int | float):
                    sent[int(row[0])] = {k: cell_text(v) for k, v in zip(fb.SNAPSHOT_HEADER[1:], row[1:5], strict=True)}
            elif row[0] == fb.SNAPSHOT_HEADER[0]:
                in_table = True
            elif row[0]:
                meta[str(row[0])] = row[1]
        return meta, sent
    raise ReturnsError(NOT_FEEDBACK)


def _task_sheet(wb) -> tuple[Any, int, dict[str, int], list[tuple]]:
    """The sheet holding the id column: (sheet, header row number, column key → index, rows after the header)."""
    by_header = {c.header: c.key for c in fb.COLUMNS}
    found = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        for i, row in enumerate(rows[:40]):
            if fb.ID_HEADER in row:
                cols = {by_header[v]: c for c, v in enumerate(row) if v in by_header}
                found.append((ws, i + 1, cols, rows[i + 1:]))
                break
    if not found:
        raise ReturnsError("反馈表中找不到任务表：隐藏的任务编号列不见了（可能删除了列或把内容复制到了新表）。"
                           "请让填报单位在原反馈表中填写后发回。")
    return found[0]


def read_feedback(path: Path | str) -> Feedback:
    path = Path(path)
    wb = _open(path)
    try:
        meta, sent = _meta(wb)
        try:
            notice_id = int(meta.get("notice_id"))
        except (TypeError, ValueError):
            raise ReturnsError(NOT_FEEDBACK) from None
        ws, header, cols, rows = _task_sheet(wb)
        out: list[FeedbackRow] = []
        for offset, row in enumerate(rows):
            values = {k: (row[c] if c < len(row) else None) for k, c in cols.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            out.append(FeedbackRow(header + 1 + offset, values.pop("id", None), values))
        return Feedback(path.name, notice_id, str(meta.get("fingerprint") or ""), str(meta.get("unit") or ""),
                        str(meta.get("notice_title") or ""), str(meta.get("exported_at") or ""), sent, out, ws.title)
    finally:
        wb.close()


# --- values --------------------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value: Any) -> dt.date | None:
    """A date as a unit may enter it: a date cell, 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日, or an
    Excel serial number. ValueError when it is none of these."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 30000 < value < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    m = _DATE.match(str(value))
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(str(value))


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


# --- planning ------------------------------------------------------------------------------------

def plan_returns(feedback: Feedback, rows: list[TaskRow]) -> ReturnPlan:
    """The changes ``feedback`` proposes against the notice's ``rows`` now, and the problems found."""
    by_id = {r.id: r for r in rows}
    problems: list[str] = []
    seen: set[int] = set()
    planned: list[RowChange] = []
    for fr in feedback.rows:
        title = cell_text(fr.values.get("title")) or cell_text(fr.values.get("text"))[:20]
        where = f"第{fr.line}行"
        if fr.task_id is None or (isinstance(fr.task_id, str) and not fr.task_id.strip()):
            problems.append(f"{where}：新增行，未导入（{title or '无任务名称'}）")
            continue
        try:
            tid = int(fr.task_id)
        except (TypeError, ValueError):
            problems.append(f"{where}：任务编号“{fr.task_id}”无法识别（隐藏列被改动），未导入")
            continue
        if tid in seen:
            problems.append(f"{where}：与上面的行是同一项任务（编号 {tid}，复制出的行），未导入")
            continue
        seen.add(tid)
        row = by_id.get(tid)
        if row is None:
            problems.append(f"{where}：该任务（编号 {tid}，{title}）在台账中已不存在，可能已被删除，未导入")
            continue
        changes = _row_changes(feedback, fr, row, problems)
        if changes:
            planned.append(RowChange(tid, fr.line, cell_text(fr.values.get("seq")), row.title or title, changes))
    for tid in feedback.sent:
        if tid not in seen:
            r = by_id.get(tid)
            name = (r.title or r.text[:20]) if r else f"编号 {tid}"
            problems.append(f"反馈表中删去了“{name}”这一行，该任务未作修改")
    return ReturnPlan(feedback, planned, problems)


def _row_changes(feedback: Feedback, fr: FeedbackRow, row: TaskRow, problems: list[str]) -> list[FieldChange]:
    sent = feedback.sent.get(row.id) or {"status": row.status.value, "done_on": _iso(row.done_on),
                                         "note": row.progress_note, "evidence": ""}
    where = f"第{fr.line}行"
    out: list[FieldChange] = []
    status_text = cell_text(fr.values.get("status"))
    status = row.status
    if status_text and status_text != sent["status"]:
        try:
            status = Status.parse(status_text)
        except ValueError:
            problems.append(f"{where}：状态“{status_text}”不是可选的状态（{'、'.join(s.value for s in Status)}），状态未导入")
        else:
            if status != row.status:
                out.append(FieldChange(row.id, "status", row.status.value, status.value, status))
    raw_date = fr.values.get("done_on")
    try:
        done_on = parse_date(raw_date)
    except ValueError:
        problems.append(f"{where}：完成日期“{cell_text(raw_date)}”无法识别（请写成 2024-06-30），完成日期未导入")
        done_on = None
    if done_on is not None and _iso(done_on) != sent["done_on"] and done_on != row.done_on:
        if status == Status.DONE:
            out.append(FieldChange(row.id, "done_on", _iso(row.done_on), _iso(done_on), done_on))
        else:
            problems.append(f"{where}：填了完成日期，但状态不是“已完成”，完成日期未导入")
    texts = {}
    for key in ("note", "evidence"):
        text = cell_text(fr.values.get(key))
        if text and text != (sent.get(key) or ""):
            texts[key] = text
    # already merged (the same workbook again): the latest 落实情况 is what this report would write
    if texts and report_text(texts.get("note"), texts.get("evidence")) != row.progress_note:
        for key, text in texts.items():
            out.append(FieldChange(row.id, key, row.progress_note if key == "note" else "", text, text))
    return out


def report_text(note: str | None, evidence: str | None) -> str:
    """The progress-log text of a unit's report: its 完成情况, then its 佐证材料说明."""
    return "；".join(([note] if note else []) + ([f"佐证材料：{evidence}"] if evidence else []))


def load_returns(path: Path | str, ledger, notice_id: int | None = None) -> ReturnPlan:
    """Read ``path`` and plan its merge into ``ledger``. ReturnsError when the workbook is not a feedback
    workbook of a notice in this ledger, or (``notice_id`` given) of another notice than that one."""
    from desktop.storage.ledger import NotFoundError

    feedback = read_feedback(path)
    title = feedback.notice_title or f"编号 {feedback.notice_id}"
    try:
        current = ledger.notice_fingerprint(feedback.notice_id)
    except NotFoundError:
        raise ReturnsError(f"这份反馈表属于通知“{title}”，本台账中没有这份通知（可能已删除，或是其他台账发出的）。"
                           "未导入任何内容。") from None
    if current.split("|")[:2] != feedback.fingerprint.split("|")[:2]:
        raise ReturnsError(f"这份反馈表属于另一份通知“{title}”（来自其他台账，或该通知已删除后重建），"
                           "与本台账中编号相同的通知不是同一份。未导入任何内容。")
    if notice_id is not None and feedback.notice_id != notice_id:
        here = ledger.notice(notice_id).title
        raise ReturnsError(f"这份反馈表属于通知“{title}”，不是当前选中的通知“{here}”。请先选中该通知再导入，"
                           "或确认是否发错了文件。未导入任何内容。")
    if current.split("|")[2:] != feedback.fingerprint.split("|")[2:]:
        feedback.notes.append(f"发出反馈表后通知标题已修改（原为“{title}”）。")
    return plan_returns(feedback, ledger.tasks(feedback.notice_id))
