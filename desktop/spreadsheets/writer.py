"""Documents as print-ready .xlsx: the ``documents.model.Doc`` the .docx/.pdf writers render, laid into sheets.

Same builders, same rows: ``documents.build(kind, …)`` gives the title paragraphs and tables; here each
page-break-separated part becomes a sheet (the per-unit lists: one sheet per unit). A sheet has the title
merged across, the sub-title, the header row (frozen, repeated on every printed page), section rows merged
across, a task's 序号/任务名称 merged over its item rows, wrapped text with fitted row heights and the
documents' fitted column widths; A4 landscape, one page wide, "第 N 页 共 M 页" in the footer.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import warnings
from pathlib import Path

from desktop.documents import KINDS, build
from desktop.documents.model import Doc, ItemRow, PageBreak, Para, SectionRow, Table, table_widths
from desktop.domain import NoticeInfo, TaskRow
from desktop.spreadsheets import sheet_style as st

XLSX_KINDS = ("table", "units", "open", "progress")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\) from ``text``."""
    base = _BAD_SHEET_CHARS.sub("", text.split("（")[0]).strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f"({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _parts(doc: Doc) -> list[list]:
    """The doc's blocks split at page breaks (one sheet each)."""
    parts: list[list] = [[]]
    for b in doc.blocks:
        if isinstance(b, PageBreak):
            parts.append([])
        else:
            parts[-1].append(b)
    return [p for p in parts if p]


def _para_style(p: Para) -> str:
    if p.role == "title":
        return "title"
    if p.role == "kai":
        return "sub"
    return "label"


def _write_para(ws, styles, r: int, p: Para, ncol: int, width_pt: float) -> int:
    style = _para_style(p)
    if p.role == "hei" and p.align == "left" and p.text.startswith("附件"):
        st.put(ws, r, 1, p.text, styles[style])
        ws.row_dimensions[r].height = st.row_height(1, st.SIZE_SUB)
        return r + 1
    st.put(ws, r, 1, p.text, styles[style])
    if ncol > 1:
        st.merge(ws, r, 1, r, ncol)
    size = st.SIZE_TITLE if style == "title" else st.SIZE_SUB
    lines = st.text_lines(p.text, width_pt, size)
    ws.row_dimensions[r].height = round(lines * size * 1.45 + 6, 2) if style == "title" else st.row_height(lines, size)
    return r + 1


def _write_table(ws, styles, r: int, table: Table, widths: list[float]) -> tuple[int, int]:
    """Header at row ``r``, then the rows; returns (header row, next free row)."""
    header_row = r
    for c, col in enumerate(table.columns, 1):
        st.put(ws, r, c, col.header, styles["head"])
    head_lines = max(st.text_lines(col.header, w) for col, w in zip(table.columns, widths, strict=True))
    ws.row_dimensions[r].height = st.row_height(head_lines)
    r += 1
    ncol = len(table.columns)
    merged = set(table.merged)
    body = [styles["center"] if col.align == "center" else styles["body"] for col in table.columns]
    heights: dict[int, float] = {}
    open_span: dict[int, tuple[int, int]] = {}  # merged column → (first row, lines its text needs)

    def close_spans() -> None:
        for c, (first, need) in open_span.items():
            last = r - 1
            if last > first:
                st.merge(ws, first, c + 1, last, c + 1)
            have = sum(heights[x] for x in range(first, last + 1))
            want = st.row_height(need)
            if want > have:
                heights[last] += want - have
        open_span.clear()

    for row in table.rows:
        if isinstance(row, SectionRow):
            close_spans()
            level = min(row.level, 3)
            st.put(ws, r, 1, row.text, styles[f"section{level}"])
            for c in range(2, ncol + 1):
                st.put(ws, r, c, None, styles[f"section{level}"])
            if ncol > 1:
                st.merge(ws, r, 1, r, ncol)
            heights[r] = st.row_height(st.text_lines(row.text, sum(widths)))
            r += 1
            continue
        assert isinstance(row, ItemRow)
        if not row.cont:
            close_spans()
        lines = 1
        for c, text in enumerate(row.cells):
            if row.cont and c in merged:
                st.put(ws, r, c + 1, None, body[c])
                continue
            st.put(ws, r, c + 1, text, body[c])
            n = st.text_lines(text, widths[c])
            if c in merged:
                open_span[c] = (r, n)
            else:
                lines = max(lines, n)
        heights[r] = st.row_height(lines)
        r += 1
    close_spans()
    for row_no, h in heights.items():
        ws.row_dimensions[row_no].height = min(st.MAX_ROW_PT, round(h, 2))
    return header_row, r


def _fill_sheet(ws, styles, blocks: list) -> None:
    tables = [b for b in blocks if isinstance(b, Table)]
    table = tables[0] if tables else None
    widths = table_widths(table, st.PRINT_WIDTH_PT) if table is not None else [st.PRINT_WIDTH_PT]
    ncol = len(widths)
    from openpyxl.utils import get_column_letter

    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = st.width_chars(w)
    r, header_row = 1, None
    for b in blocks:
        if isinstance(b, Para):
            if b.text.strip():
                r = _write_para(ws, styles, r, b, ncol, sum(widths))
        elif isinstance(b, Table):
            if header_row is None:
                header_row, r = _write_table(ws, styles, r, b, widths)
            else:  # a second table on one page (not produced today): its own header, not repeated
                _, r = _write_table(ws, styles, r + 1, b, table_widths(b, st.PRINT_WIDTH_PT))
    st.page_setup(ws, header_row, ncol)


def build_workbook(doc: Doc, name: str = "Sheet1"):
    """An openpyxl Workbook of ``doc`` (one sheet per page-break-separated part; a part's sheet is named
    after its unit heading, else ``name``)."""
    wb = st.new_workbook()
    styles = st.Styles(wb)
    taken: set[str] = set()
    for i, blocks in enumerate(_parts(doc)):
        ws = wb.active if i == 0 else wb.create_sheet()
        heading = next((b.text for b in blocks if isinstance(b, Para) and b.role == "hei" and b.text
                        and not b.text.startswith("附件")), None)
        ws.title = sheet_name(heading or name, taken)
        _fill_sheet(ws, styles, blocks)
    wb.properties.title = doc.title
    wb.properties.creator = "要点台账 NoticeDesk"
    return wb


def export_xlsx(kind: str, notice: NoticeInfo, rows: list[TaskRow], out: Path | str, *, unit: str | None = None,
                columns: list[str] | None = None, today: dt.date | None = None) -> Path:
    """Write document ``kind`` ('table' | 'units' | 'open' | 'progress') of ``notice`` as .xlsx to ``out``
    (the file appears only when complete); returns the path. ValueError for 'report' (a 公文, not a table)."""
    if kind not in XLSX_KINDS:
        raise ValueError(f"“{KINDS.get(kind, kind)}”是公文，不能导出为 Excel 表格。请选择 docx 或 pdf 格式。")
    out = Path(out)
    doc = build(kind, notice, rows, unit=unit, columns=columns, today=today or dt.date.today())
    wb = build_workbook(doc, KINDS[kind])
    save_atomic(wb, out)
    return out


def save_atomic(wb, out: Path) -> None:
    """Save ``wb`` next to ``out`` and move it into place (no half-written file on failure)."""
    fd, tmp_name = tempfile.mkstemp(prefix=".noticedesk-", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb.save(tmp)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()


