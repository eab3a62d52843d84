"""Reading a feedback workbook a unit sent back, and planning the merge in three groups: what can be
imported (old → new per field), what conflicts with later work in the ledger, and what is refused.

``read_feedback(path)`` (``returns_read``) opens the file and reads the task sheet that was handed out,
its rows by their hidden task ids.

``load_returns(path, ledger, notice_id)`` checks that the workbook belongs to a notice of this ledger
(else ``ReturnsError``) and that its hand-out record verifies (``Ledger.verify_handout``): the unit,
the list of task ids and the values as sent are what this ledger handed out. Then ``plan_returns``
sorts every row:

- **refused** (``Refusal``, with the reason), row by row: a hand-out record that does not verify (an
  edited unit or task list, or an old unsigned workbook: every row), a row whose task was not handed to
  this unit (another unit's task, a section heading, a task of another notice), an added or copied row,
  an unreadable id, a task deleted since, and single fields that cannot be taken (a status not in the
  list, a date that is not one, a text over ``plaintext.MAX_TEXT_CHARS``);
- **conflicts**: rows the unit changed whose task changed in the ledger after the hand-out (its status,
  完成日期 or 落实情况 is no longer what was sent): listed with the ledger's value, the value sent and the
  unit's, and left alone unless the clerk accepts them (``returns --overwrite-newer``, or ticking them in
  the window);
- **accepted** (``rows``): what the unit changed on a task that is as it was sent, only the fillable
  columns (状态, 完成情况, 完成日期, 佐证材料说明); old = the ledger's value, new = the unit's.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.documents.model import clean
from desktop.domain import Status, TaskRow
from desktop.plaintext import MAX_TEXT_CHARS, plain
from desktop.spreadsheets import ReturnsError
from desktop.spreadsheets.returns_read import Feedback, FeedbackRow, read_feedback
from desktop.spreadsheets.sheet_style import cell_text

__all__ = ["Feedback", "FeedbackRow", "FieldChange", "Refusal", "ReturnPlan", "RowChange", "load_returns",
           "parse_date", "plan_returns", "read_feedback", "report_text"]

LABELS = {"status": "状态", "done_on": "完成日期", "note": "完成情况", "evidence": "佐证材料说明"}
UNSIGNED = ("这份反馈表没有发出记录的校验（由旧版本程序生成，或隐藏的发出记录被删改），无法确认填报单位和发给它的任务，"
            "未导入。请重新生成反馈表发给该单位")
FORGED = ("反馈表中隐藏的发出记录（填报单位、任务清单或发出时的内容）与本台账发出时不符，可能被改动过，"
          "无法确认是哪个单位填报的哪些任务，未导入。请重新生成反馈表发给该单位")


@dataclass
class FieldChange:
    task_id: int
    field: str  # status | done_on | note | evidence
    old: str  # the ledger's value now
    new: str  # the unit's
    value: Any  # typed: Status, date or text
    sent: str = ""  # the value handed out (shown for conflicts)

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
    version: int = 0  # the task's version when planned (a change since refuses the merge)
    conflict: bool = False  # the task changed in the ledger after the hand-out


@dataclass
class Refusal:
    """A row (or one field of a row) that is not imported, and why."""

    line: int | None  # sheet row; None for the workbook as a whole
    task_id: int | None
    title: str
    reason: str

    @property
    def text(self) -> str:
        return f"第{self.line}行：{self.reason}" if self.line else self.reason


@dataclass
class ReturnPlan:
    """What merging a returned workbook would do, in three groups."""

    feedback: Feedback
    rows: list[RowChange]  # accepted
    refused: list[Refusal] = field(default_factory=list)
    conflicts: list[RowChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # deleted rows and other things to tell the unit
    trusted: bool = True  # the hand-out record verified

    @property
    def problems(self) -> list[str]:
        """Everything not imported, as lines (refusals, then notes)."""
        return [r.text for r in self.refused] + self.notes

    @property
    def unit(self) -> str:
        return self.feedback.unit

    @property
    def notice_id(self) -> int:
        return self.feedback.notice_id

    def changes(self) -> list[FieldChange]:
        """The accepted group's changes."""
        return [c for r in self.rows for c in r.changes]

    def conflict_changes(self) -> list[FieldChange]:
        return [c for r in self.conflicts for c in r.changes]

    def _chosen_rows(self, accepted: set[tuple[int, str]] | None,
                     overwrite_newer: bool) -> list[tuple[RowChange, dict]]:
        out = []
        for row in self.rows + self.conflicts:
            if accepted is None:
                if row.conflict and not overwrite_newer:
                    continue
                chosen = {c.field: c for c in row.changes}
            else:
                chosen = {c.field: c for c in row.changes if (c.task_id, c.field) in accepted}
            if chosen:
                out.append((row, chosen))
        return out

    def ledger_args(self, accepted: set[tuple[int, str]] | None = None,
                    overwrite_newer: bool = False) -> tuple[dict[int, dict], dict[int, str]]:
        """(fields_by_task, reports) for ``Ledger.apply_returns``: the changes ``accepted`` ((task id,
        field) pairs, from either group); None = the accepted group, and the conflicts too with
        ``overwrite_newer``."""
        fields: dict[int, dict] = {}
        reports: dict[int, str] = {}
        for row, chosen in self._chosen_rows(accepted, overwrite_newer):
            f = {k: chosen[k].value for k in ("status", "done_on") if k in chosen}
            if f:
                fields[row.task_id] = f
            text = report_text(chosen["note"].value if "note" in chosen else None,
                               chosen["evidence"].value if "evidence" in chosen else None)
            if text:
                reports[row.task_id] = text
        return fields, reports

    def expected_versions(self, accepted: set[tuple[int, str]] | None = None,
                          overwrite_newer: bool = False) -> dict[int, int]:
        """{task id: version when planned} of the tasks ``ledger_args`` would change."""
        return {row.task_id: row.version for row, _c in self._chosen_rows(accepted, overwrite_newer)}

    def summary(self) -> str:
        n = len(self.changes())
        head = (f"{self.unit}反馈表：{len(self.rows)}项任务有{n}处修改可导入" if n
                else f"{self.unit}反馈表：没有可直接导入的修改")
        if self.conflicts:
            head += f"，{len(self.conflicts)}项任务与台账中较新的修改冲突"
        if self.refused:
            head += f"，{len(self.refused)}处拒绝导入"
        return head


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

def plan_returns(feedback: Feedback, rows: list[TaskRow], *, trusted: bool = True, distrust: str = "",
                 notice_of: Callable[[int], int | None] | None = None) -> ReturnPlan:
    """Sort ``feedback``'s rows against the notice's ``rows`` now (see the module docstring).
    ``trusted``: the hand-out record verified (else every row is refused with ``distrust``);
    ``notice_of(task id)``: the notice a task id belongs to (None: no such task), for the reasons."""
    by_id = {r.id: r for r in rows}
    plan = ReturnPlan(feedback, [], notes=list(feedback.notes), trusted=trusted)
    seen: set[int] = set()
    for fr in feedback.rows:
        title = cell_text(fr.values.get("title")) or cell_text(fr.values.get("text"))[:20]

        def refuse(reason: str, tid: int | None = None, _fr: FeedbackRow = fr, _title: str = title) -> None:
            plan.refused.append(Refusal(_fr.line, tid, _title, reason))

        if not trusted:
            refuse(distrust or FORGED, fr.task_id if isinstance(fr.task_id, int) else None)
            continue
        if fr.task_id is None or (isinstance(fr.task_id, str) and not fr.task_id.strip()):
            refuse(f"新增行，未导入（{title or '无任务名称'}）")
            continue
        try:
            tid = int(fr.task_id)
            if isinstance(fr.task_id, float) and not fr.task_id.is_integer():
                raise ValueError(fr.task_id)
        except (TypeError, ValueError, OverflowError):
            refuse(f"任务编号“{cell_text(fr.task_id)[:20]}”无法识别（隐藏列被改动），未导入")
            continue
        if tid in seen:
            refuse(f"与上面的行是同一项任务（编号 {tid}，复制出的行），未导入", tid)
            continue
        seen.add(tid)
        if tid not in feedback.sent:
            refuse(_not_handed_out(tid, feedback, by_id, notice_of), tid)
            continue
        row = by_id.get(tid)
        if row is None:
            refuse(f"该任务（编号 {tid}，{title}）在台账中已不存在，可能已被删除，未导入", tid)
            continue
        planned = _row_changes(feedback, fr, row, plan)
        if planned is not None:
            (plan.conflicts if planned.conflict else plan.rows).append(planned)
    if trusted:
        for tid in feedback.sent:
            if tid not in seen:
                r = by_id.get(tid)
                name = (r.title or r.text[:20]) if r else f"编号 {tid}"
                plan.notes.append(f"反馈表中删去了“{name}”这一行，该任务未作修改")
    return plan


def _not_handed_out(tid: int, feedback: Feedback, by_id: dict[int, TaskRow],
                    notice_of: Callable[[int], int | None] | None) -> str:
    here = by_id.get(tid)
    if here is not None:
        name = here.title or here.text[:20]
        if here.child_count:
            return f"编号 {tid} 是分组标题“{name}”，不是发给{feedback.unit}的任务，未导入"
        return f"编号 {tid} 的任务“{name}”不是发给{feedback.unit}的任务（是其他单位的任务），未导入"
    other = notice_of(tid) if notice_of is not None else None
    if other is not None:
        return f"编号 {tid} 的任务属于另一份通知（编号 {other}），不是这份反馈表的通知，未导入"
    return f"编号 {tid} 的任务不是发给{feedback.unit}的任务，台账中也已不存在，未导入"


def _row_changes(feedback: Feedback, fr: FeedbackRow, row: TaskRow, plan: ReturnPlan) -> RowChange | None:
    """The changes the unit made on ``row`` (None: none), as accepted or (the ledger changed the task's
    fillable values after the hand-out) as a conflict; fields that cannot be taken are refused."""
    sent = feedback.sent[row.id]
    where = fr.line

    def refuse(reason: str) -> None:
        plan.refused.append(Refusal(where, row.id, row.title or row.text[:20], reason))

    now = {"status": row.status.value, "done_on": _iso(row.done_on),
           "note": cell_text(clean(row.progress_note))}
    changed_here = [k for k in now if now[k] != (sent.get(k) or "")]
    out: list[FieldChange] = []
    status_text = _plain_cell(fr.values.get("status"))
    status = row.status
    if status_text and status_text != sent["status"]:
        try:
            status = Status.parse(status_text)
        except ValueError:
            refuse(f"状态“{status_text[:20]}”不是可选的状态（{'、'.join(s.value for s in Status)}），状态未导入")
        else:
            if status != row.status:
                new = status.value
                if row.done_on and status != Status.DONE:
                    new += f"（完成日期 {_iso(row.done_on)} 将清空）"
                out.append(FieldChange(row.id, "status", row.status.value, new, status, sent["status"]))
    raw_date = fr.values.get("done_on")
    try:
        done_on = parse_date(raw_date)
    except (ValueError, OverflowError):
        refuse(f"完成日期“{cell_text(raw_date)[:20]}”无法识别（请写成 2024-06-30），完成日期未导入")
        done_on = None
    if done_on is not None and _iso(done_on) != sent["done_on"] and done_on != row.done_on:
        if status == Status.DONE:
            out.append(FieldChange(row.id, "done_on", _iso(row.done_on), _iso(done_on), done_on,
                                   sent["done_on"]))
        else:
            refuse("填了完成日期，但状态不是“已完成”，完成日期未导入")
    texts = {}
    for key in ("note", "evidence"):
        text = _plain_cell(fr.values.get(key))
        if len(text) > MAX_TEXT_CHARS:
            refuse(f"{LABELS[key]}太长（{len(text)} 字），每一栏最多 {MAX_TEXT_CHARS} 字，{LABELS[key]}未导入。"
                   "请精简后重新填报，详细材料可作为佐证材料另附")
            continue
        if text and text != (sent.get(key) or ""):
            texts[key] = text
    # already merged (the same workbook again): the latest 落实情况 is what this report would write
    if texts:
        report = report_text(texts.get("note"), texts.get("evidence"))
        if len(report) > MAX_TEXT_CHARS:
            refuse(f"完成情况和佐证材料说明合起来太长（{len(report)} 字，最多 {MAX_TEXT_CHARS} 字），未导入。请精简后重新填报")
        elif report != row.progress_note:
            for key, text in texts.items():
                out.append(FieldChange(row.id, key, row.progress_note if key == "note" else "", text, text,
                                       sent.get(key) or ""))
    if not out:
        return None
    return RowChange(row.id, fr.line, cell_text(fr.values.get("seq")), row.title or row.text[:20], out,
                     row.version, conflict=bool(changed_here))


def _plain_cell(value: Any) -> str:
    return plain(cell_text(value))


def report_text(note: str | None, evidence: str | None) -> str:
    """The progress-log text of a unit's report: its 完成情况, then its 佐证材料说明."""
    return "；".join(([note] if note else []) + ([f"佐证材料：{evidence}"] if evidence else []))


def load_returns(path: Path | str, ledger, notice_id: int | None = None) -> ReturnPlan:
    """Read ``path`` and plan its merge into ``ledger``. ReturnsError when the workbook is not a feedback
    workbook of a notice in this ledger, or (``notice_id`` given) of another notice than that one. A
    notice or task the ledger no longer has raises a ``LookupError`` there (``storage.errors.NotFoundError``)."""
    feedback = read_feedback(path)
    title = feedback.notice_title or f"编号 {feedback.notice_id}"
    try:
        current = ledger.notice_fingerprint(feedback.notice_id)
    except LookupError:
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
    if not feedback.signature:
        trusted, distrust = False, UNSIGNED
    else:
        trusted, distrust = ledger.verify_handout(feedback.handout_message(), feedback.signature), FORGED

    def notice_of(task_id: int) -> int | None:
        try:
            return ledger.task(task_id).notice_id
        except LookupError:
            return None

    return plan_returns(feedback, ledger.tasks(feedback.notice_id), trusted=trusted, distrust=distrust,
                        notice_of=notice_of)
