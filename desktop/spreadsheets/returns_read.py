"""Reading a feedback workbook a unit sent back: which task sheet was handed out, and its rows by task id.

``read_feedback(path)`` opens the file (broken, encrypted, legacy .xls or a workbook NoticeDesk did not
write → ``ReturnsError``), finds the marker sheet, and reads the task sheet that was handed out by its
identity (the codeName recorded and signed at hand-out; see ``feedback``), never by its place: a copy
put first, hidden or not, is not read. Rows are read by their hidden id, so reordered rows do not
matter. What to do with the rows is ``returns``' (the merge plan).
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.spreadsheets import ReturnsError
from desktop.spreadsheets import feedback as fb
from desktop.spreadsheets.sheet_style import cell_text

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
    handout: str = ""  # the hand-out's id (format 2)
    sheet_code: str = ""  # the task sheet's codeName as recorded at hand-out
    signature: str = ""
    sent_rows: list[list[Any]] = field(default_factory=list)  # the snapshot rows as read, in order
    raw_notice_id: Any = None  # the notice id cell as read (the signed text)

    def handout_message(self) -> str:
        return fb.handout_message(self.raw_notice_id, self.fingerprint, self.notice_title, self.unit,
                                  self.exported_at, self.handout, self.sheet_code, self.sent_rows)




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


def _code_name(ws) -> str | None:
    """The sheet's codeName (``<sheetPr codeName=…>``, before the cells), read from its XML in the archive."""
    from openpyxl.xml.functions import iterparse

    try:
        with ws._get_source() as src:
            for _event, el in iterparse(src, events=("start",)):
                tag = el.tag.rsplit("}", 1)[-1]
                if tag == "sheetPr":
                    return el.get("codeName")
                if tag in ("dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData"):
                    return None
    except Exception:  # an unreadable part: no identity
        return None
    return None


def _meta(wb) -> tuple[dict[str, Any], list[list[Any]]]:
    """The marker sheet's values and its snapshot rows. The sheet is the one named ``META_SHEET`` holding
    the marker; a workbook whose marker sheets cannot be told apart is refused."""
    marked = []
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first and first[0] == fb.MARKER:
            marked.append(ws)
    named = [ws for ws in marked if ws.title == fb.META_SHEET]
    if len(named) == 1:
        sheet = named[0]
    elif len(marked) == 1:
        sheet = marked[0]
    elif not marked:
        raise ReturnsError(NOT_FEEDBACK)
    else:
        raise ReturnsError("这份反馈表中有多份发出记录（隐藏的工作表被复制过），无法确定是哪一次发出的反馈表，未导入任何内容。"
                           "请让填报单位直接在发给他们的反馈表中填写后发回。")
    rows = sheet.iter_rows(values_only=True)
    first = next(rows)
    meta: dict[str, Any] = {"version": first[1] if len(first) > 1 else None}
    sent: list[list[Any]] = []
    in_table = False
    for row in rows:
        row = tuple(row) + (None,) * 5
        if in_table:
            if row[0] is not None:
                sent.append([row[0], *(cell_text(v) for v in row[1:4])])
        elif row[0] == fb.SNAPSHOT_HEADER[0]:
            in_table = True
        elif row[0]:
            meta.setdefault(str(row[0]), row[1])
    return meta, sent


def _task_sheet(wb, code: str, name: str) -> tuple[Any, int, dict[str, int], list[tuple], list[str]]:
    """The sheet that was handed out: (sheet, header row number, column key → index, rows after the
    header, notes). Found by its codeName ``code``; when no sheet keeps it (a program that drops
    codeNames), by the name it was handed out under, or as the only sheet holding the id column."""
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
    notes: list[str] = []
    chosen = [f for f in found if code and _code_name(f[0]) == code]
    if not chosen:
        named = [f for f in found if name and f[0].title == name]
        chosen = named if len(named) == 1 else found if len(found) == 1 else []
        if chosen and code:
            notes.append(f"工作表“{chosen[0][0].title}”的内部标识没有保留（可能用其他软件另存过），已按工作表名称读取。")
    if len(chosen) != 1:
        raise ReturnsError(f"反馈表中有 {len(found)} 个含任务编号列的工作表（"
                           f"{'、'.join(f[0].title for f in found)}），无法确定哪一个是发出的反馈表（可能复制过工作表），"
                           "未导入任何内容。请让填报单位在原反馈表中填写后发回，不要复制工作表。")
    sheet = chosen[0]
    if sheet[0].sheet_state != "visible":
        raise ReturnsError(f"发出的反馈表工作表“{sheet[0].title}”被隐藏了，单位填写的可能是另一张表，无法确定该读哪一张，"
                           "未导入任何内容。请让填报单位取消隐藏、在原反馈表中填写后发回。")
    others = [f[0].title for f in found if f is not sheet]
    if others:
        notes.append(f"工作簿中另有含任务编号列的工作表（{'、'.join(others)}），未读取：只读取发出的工作表“{sheet[0].title}”。")
    return (*sheet, notes)


def read_feedback(path: Path | str) -> Feedback:
    path = Path(path)
    wb = _open(path)
    try:
        meta, sent_rows = _meta(wb)
        try:
            notice_id = int(meta.get("notice_id"))
        except (TypeError, ValueError, OverflowError):
            raise ReturnsError(NOT_FEEDBACK) from None
        code, sheet_name = cell_text(meta.get("sheet")), cell_text(meta.get("sheet_name"))
        ws, header, cols, rows, notes = _task_sheet(wb, code, sheet_name)
        out: list[FeedbackRow] = []
        for offset, row in enumerate(rows):
            values = {k: (row[c] if c < len(row) else None) for k, c in cols.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            out.append(FeedbackRow(header + 1 + offset, values.pop("id", None), values))
        sent: dict[int, dict[str, str]] = {}
        for row in sent_rows:
            tid = row[0]
            if (isinstance(tid, int) and not isinstance(tid, bool)) or (isinstance(tid, float) and tid.is_integer()):
                sent.setdefault(int(tid), dict(zip(("status", "done_on", "note"), row[1:4], strict=True)))
        for values in sent.values():
            values["evidence"] = ""
        return Feedback(path.name, notice_id, cell_text(meta.get("fingerprint")), cell_text(meta.get("unit")),
                        cell_text(meta.get("notice_title")), cell_text(meta.get("exported_at")), sent, out,
                        ws.title, notes, handout=cell_text(meta.get("handout")), sheet_code=code,
                        signature=cell_text(meta.get("signature")), sent_rows=sent_rows,
                        raw_notice_id=meta.get("notice_id"))
    finally:
        wb.close()
