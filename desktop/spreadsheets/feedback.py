"""Feedback workbooks (反馈表): one unit's tasks, to fill in and send back; ``returns`` merges them.

Layout of the sheet "反馈表" (the unit may rename it): title, a line of instructions, the header row, one
row per task the unit leads or shares (the units in force, ``tracking.rules``, as in the 单位任务清单). Column A is
hidden and holds the task id (header ``ID_HEADER``, the marker ``returns`` finds the sheet by). Editable,
unlocked, tinted columns: 状态 (a list of the five statuses), 完成情况（落实情况）, 完成日期, 佐证材料说明;
everything else is locked by sheet protection **without a password** (a guard against slips, not
security: Excel/WPS 审阅 → 撤销工作表保护 lifts it).

A very hidden sheet ``META_SHEET`` holds the marker ``MARKER``, the notice id, its fingerprint (see
``Ledger.notice_fingerprint``), the unit, the hand-out time and id, and the values as sent
(``SNAPSHOT_HEADER`` rows), so a merge changes only what the unit changed. The defined name
``DEFINED_NAME`` repeats the fingerprint.

Binding to the hand-out (format 2): ``signature`` in the marker sheet is ``Ledger.sign_handout`` (an HMAC
keyed by a secret kept in the ledger) over ``handout_message``: the notice, its fingerprint and title,
the unit, the hand-out time and id, the task sheet's identity and every task id with the values sent.
Whoever edits the unit, adds a task id to the list or changes a value as sent breaks it, and the ledger
that handed the workbook out is the only one that can make it. The task sheet's identity is its
``codeName`` (``sheet_code``: kept by Excel/WPS when the sheet is renamed or moved, not given to a copy),
so a returned workbook is read from the sheet that was handed out, never from whichever comes first.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.documents import layout
from desktop.documents.model import Tree, task_lines
from desktop.documents.table_doc import cell_text
from desktop.domain import NoticeInfo, Status, TaskRow
from desktop.notice_titles import core_subject
from desktop.plaintext import clean
from desktop.spreadsheets import sheet_style as st

MARKER = "NoticeDesk反馈表"
FORMAT_VERSION = 2  # 2: signed (``handout_message``); 1 (unsigned) is refused on return
META_SHEET = "noticedesk"
DEFINED_NAME = "NoticeDeskFeedback"
ID_HEADER = "NoticeDesk任务编号"
SNAPSHOT_HEADER = ("task_id", "status", "done_on", "note", "evidence")
SHEET_TITLE = "反馈表"
STATUS_LIST = ",".join(s.value for s in Status)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    editable: bool = False


COLUMNS = (
    Column("id", ID_HEADER),
    Column("seq", "序号"),
    Column("title", "任务名称"),
    Column("text", "具体内容"),
    Column("role", "角色"),
    Column("deadline", "完成时限"),
    Column("status", "状态", True),
    Column("note", "完成情况（落实情况）", True),
    Column("done_on", "完成日期", True),
    Column("evidence", "佐证材料说明", True),
)
EDITABLE = {c.key: c.header for c in COLUMNS if c.editable}
_SPECS = {
    "seq": layout.COLUMNS["seq"], "title": layout.COLUMNS["title"], "text": layout.COLUMNS["text"],
    "role": layout.COLUMNS["role"], "deadline": layout.COLUMNS["deadline"],
    "status": layout.ColumnSpec("status", "状态", "center", 3.0, 3.0),
    "note": layout.ColumnSpec("note", "完成情况（落实情况）", "left", 11.0, 30.0, 1.0),
    "done_on": layout.ColumnSpec("done_on", "完成日期", "center", 5.0, 5.5),
    "evidence": layout.ColumnSpec("evidence", "佐证材料说明", "left", 6.0, 12.0, 0.3),
}
WIDTH_PT = st.PRINT_WIDTH_PT * 1.2  # a working form with room to write: printed at ~83 %
INSTRUCTIONS = ("填写说明：只需填写带底色的四列——状态（从下拉列表选择）、完成情况、完成日期（如 2024-06-30，"
                "仅已完成的任务填写）、佐证材料说明；其他列已锁定。请勿删除隐藏列，勿增删行；填好后保存为 .xlsx 发回。")


@dataclass
class FeedbackLine:
    """One row of a feedback workbook as sent."""

    task_id: int
    cells: dict[str, str]
    status: Status
    done_on: dt.date | None
    note: str


def unit_lines(rows: list[TaskRow], unit: str) -> list[FeedbackLine]:
    """The rows ``unit`` leads or shares, numbered as in its 单位任务清单."""
    tree = Tree(rows)
    out: list[FeedbackLine] = []

    def has(r: TaskRow) -> bool:
        return unit in tree.names(r)

    def cells(seq: int, task: TaskRow | None, item: TaskRow) -> list[str]:
        values = {k: cell_text(k, tree, seq, task, item) for k in ("seq", "title", "text", "deadline")}
        values["role"] = "牵头" if unit in tree.lead(item) else "责任"
        out.append(FeedbackLine(item.id, values, item.status, item.done_on, clean(item.progress_note)))
        return []

    task_lines(tree, cells, has)
    return out


def _shown(ln: FeedbackLine, key: str) -> str:
    if key == "status":
        return ln.status.value
    if key == "note":
        return ln.note
    return ln.cells.get(key, "")


def fingerprint_of(notice: NoticeInfo, created: str = "") -> str:
    """The fingerprint when no ledger is at hand (``Ledger.notice_fingerprint`` adds the creation time)."""
    import hashlib

    return f"{notice.id}|{created}|{hashlib.sha1(notice.title.encode('utf-8')).hexdigest()[:10]}"


def handout_message(notice_id: object, fingerprint: str, title: str, unit: str, exported_at: str,
                    handout: str, sheet: str, sent: Sequence[Sequence[object]]) -> str:
    """What ``signature`` signs: one canonical text (JSON) of the hand-out and of every (task id, status,
    完成日期, 落实情况) row as sent, the values as a cell shows them (``cell_text``), in sheet order."""
    from desktop.spreadsheets.sheet_style import cell_text

    rows = [[cell_text(v) for v in row[:4]] for row in sent]
    return json.dumps([MARKER, FORMAT_VERSION, cell_text(notice_id), fingerprint, title, unit, exported_at,
                       handout, sheet, rows], ensure_ascii=False, separators=(",", ":"))


def make_feedback_workbook(notice: NoticeInfo, rows: list[TaskRow], unit: str, out: Path | str, *,
                           fingerprint: str | None = None, now: dt.datetime | None = None,
                           signer: Callable[[str], str] | None = None) -> Path:
    """Write ``unit``'s feedback workbook for ``notice`` (``rows``: its tasks as ``Ledger.tasks`` gives them)
    to ``out``; ``signer``: ``Ledger.sign_handout`` of the ledger the returns will be merged into (without
    it the workbook is unsigned, and every row of it is refused when it comes back: for previews only);
    ``fingerprint``: ``Ledger.notice_fingerprint(notice.id)``. ValueError if the unit has no task; OSError
    when the file cannot be written (nothing is left at ``out`` then)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    from desktop.spreadsheets.writer import save_atomic

    lines = unit_lines(rows, unit)
    if not lines:
        raise ValueError(f"该通知中没有“{unit}”的任务。请检查单位名称。")
    fingerprint = fingerprint or fingerprint_of(notice)
    wb = st.new_workbook()
    styles = st.Styles(wb)
    ws = wb.active
    ws.title = SHEET_TITLE
    handout = secrets.token_hex(8)
    ws.sheet_properties.codeName = sheet_code(handout)
    keys = [c.key for c in COLUMNS]
    sample = [[_shown(ln, k) for k in keys[1:]] for ln in lines]
    widths = st.widths_fit([_SPECS[k] for k in keys[1:]], sample, WIDTH_PT)
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["A"].hidden = True
    for c, w in enumerate(widths, 2):
        ws.column_dimensions[get_column_letter(c)].width = st.width_chars(w)
    last = len(keys)
    title = f"{core_subject(notice)}落实情况反馈表"
    st.put(ws, 1, 2, title, styles["title"])
    st.merge(ws, 1, 2, 1, last)
    ws.row_dimensions[1].height = round(st.text_lines(title, sum(widths), st.SIZE_TITLE) * st.SIZE_TITLE * 1.45 + 6, 2)
    info = f"填报单位：{unit}（共{len(lines)}项）。{INSTRUCTIONS}"
    st.put(ws, 2, 2, info, styles["label"])
    st.merge(ws, 2, 2, 2, last)
    ws.row_dimensions[2].height = st.row_height(st.text_lines(info, sum(widths), st.SIZE_SUB), st.SIZE_SUB)
    header = 3
    for c, col in enumerate(COLUMNS, 1):
        st.put(ws, header, c, col.header, styles["head"])
    ws.row_dimensions[header].height = st.row_height(max(st.text_lines(_SPECS[k].header, w)
                                                         for k, w in zip(keys[1:], widths, strict=True)))
    style_of = {"id": styles["center"], "seq": styles["center"], "title": styles["body"], "text": styles["body"],
                "role": styles["center"], "deadline": styles["center"], "status": styles["edit_center"],
                "note": styles["edit"], "done_on": styles["edit_date"], "evidence": styles["edit"]}
    for i, ln in enumerate(lines):
        r = header + 1 + i
        need = 1
        for c, key in enumerate(keys, 1):
            if key in ("id", "done_on"):
                cell = ws.cell(row=r, column=c, value=ln.task_id if key == "id" else ln.done_on)
                cell._style = copy.copy(style_of[key])
            else:
                text = _shown(ln, key)
                st.put(ws, r, c, text, style_of[key])
                need = max(need, st.text_lines(text, widths[c - 2]))
        ws.row_dimensions[r].height = st.row_height(need)
    last_row = header + len(lines)
    letter = {k: get_column_letter(i) for i, k in enumerate(keys, 1)}
    dv = DataValidation(type="list", formula1=f'"{STATUS_LIST}"', allow_blank=True, showErrorMessage=True,
                        errorTitle="状态", error="请从下拉列表中选择：" + STATUS_LIST.replace(",", "、"))
    dv.add(f"{letter['status']}{header + 1}:{letter['status']}{last_row}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                           showErrorMessage=True, errorTitle="完成日期", error="请填写日期，例如 2024-06-30。")
    dates.add(f"{letter['done_on']}{header + 1}:{letter['done_on']}{last_row}")
    ws.add_data_validation(dv)
    ws.add_data_validation(dates)
    st.page_setup(ws, header, last)
    ws.print_area = f"B1:{get_column_letter(last)}{last_row}"
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    _meta_sheet(wb, notice, fingerprint, unit, lines, now or dt.datetime.now(), handout, signer)
    wb.defined_names[DEFINED_NAME] = DefinedName(DEFINED_NAME, attr_text=f'"{fingerprint}"')
    wb.properties.title = f"{title}（{unit}）"
    wb.properties.creator = "要点台账 NoticeDesk"
    out = Path(out)
    save_atomic(wb, out)
    return out


def sheet_code(handout: str) -> str:
    """The task sheet's codeName for hand-out ``handout`` (a VBA name: a letter, then letters and digits)."""
    return f"NDFB{handout}"


def _meta_sheet(wb, notice: NoticeInfo, fingerprint: str, unit: str, lines: list[FeedbackLine],
                now: dt.datetime, handout: str, signer: Callable[[str], str] | None) -> None:
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.append([MARKER, FORMAT_VERSION])
    exported = now.isoformat(timespec="seconds")
    sent = [[ln.task_id, ln.status.value, ln.done_on.isoformat() if ln.done_on else "", ln.note]
            for ln in lines]
    message = handout_message(notice.id, fingerprint, notice.title, unit, exported, handout,
                              sheet_code(handout), sent)
    signature = "" if signer is None else signer(message)
    for key, value in (("notice_id", notice.id), ("fingerprint", fingerprint), ("unit", unit),
                       ("notice_title", notice.title), ("exported_at", exported), ("handout", handout),
                       ("sheet", sheet_code(handout)), ("sheet_name", SHEET_TITLE), ("signature", signature)):
        meta.append([key, value])
    meta.append([])
    meta.append(list(SNAPSHOT_HEADER))
    for row in sent:
        meta.append([*row, ""])
    for row in meta.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a note starting with "=" stays text
    meta.protection.sheet = True


def unit_names(rows: list[TaskRow]) -> list[str]:
    """Every unit with tasks in the notice (lead or responsible, inherited), in order of first appearance."""
    from desktop.documents.unit_lists import all_units

    return all_units(Tree(rows))
