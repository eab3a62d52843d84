"""Builder of the 政府信息公开工作年度报告 (2021 format) as a portrait official document.

Title in 2号小标宋 (centred), the opening paragraph and the text sections in 3号仿宋 (indented two
characters), section headings "一、总体情况" in 黑体 and "（一）主动公开"-style lines in 楷体, and tables 二/三/四
as ``Grid`` blocks laid out by ``desktop.annual.grids`` (merged headers as in the published template), 五号
cells with 黑体 headers. Page numbers "— N —" as every portrait document (clause 7.5). Blank cells stay
blank, 0 prints as 0, totals print as computed.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.annual.grids import HEAD, HEADING, LAYOUTS, format_value
from desktop.annual.labels import SECTIONS
from desktop.annual.model import AnnualReport
from desktop.documents import layout
from desktop.documents.model import Doc, Grid, GridCell, Para, clean

KEEP_TOGETHER_ROWS = 16  # 表二 and 表四 never break across pages; 表三 may (its header rows repeat)
TITLE_LINE_CHARS = layout.TITLE_MAX_CHARS_PER_LINE


def grid(report: AnnualReport, table_id: str) -> Grid:
    """Table ``table_id`` (T2, T3, T4) of ``report`` as a document grid."""
    g = LAYOUTS[table_id]
    cells = []
    for c in g.cells:
        text = format_value(report.get(table_id, *c.key)) if c.key else c.text
        role = "hei" if c.kind in (HEAD, HEADING) else "fang"
        cells.append(GridCell(c.row, c.col, text, c.rowspan, c.colspan, role, c.align))
    return Grid(list(g.widths), cells, g.n_rows, g.header_rows, keep_together=g.n_rows <= KEEP_TOGETHER_ROWS)


def _body(text: str) -> list[Para]:
    out = []
    for line in clean(text).split("\n"):
        line = line.strip()
        if line:
            role = layout.heading_role(line)
            out.append(Para(line, role, layout.SIZE_BODY, "justify", indent=layout.INDENT_CHARS,
                            keep_with_next=role != "fang"))
    return out


def build_annual(report: AnnualReport) -> Doc:
    """The whole report as a ``Doc``."""
    title = report.title
    shown = title
    rest = title[len(report.organ.strip()):]
    if len(title) > TITLE_LINE_CHARS and report.organ.strip() and len(rest) <= TITLE_LINE_CHARS:
        shown = f"{report.organ.strip()}\n{rest}"  # the organ on the first line, as published reports do
    blocks: list = [Para(shown, "title", layout.SIZE_TITLE, "center"), Para("")]
    blocks += _body(report.intro)
    for s in SECTIONS:
        blocks.append(Para(f"{s.no}、{s.title}", "hei", layout.SIZE_BODY, "left", indent=layout.INDENT_CHARS,
                           keep_with_next=True))
        if s.kind == "text":
            blocks += _body(report.texts.get(s.no, ""))
        else:
            blocks.append(grid(report, s.table_id))
    return Doc(title, blocks, landscape=False)


def export_annual(report: AnnualReport, fmt: str, out: Path | str, *,
                  progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None):
    """Write the report as 'docx' or 'pdf' to ``out``; returns ``desktop.documents.ExportResult``."""
    from desktop.documents import write_doc

    return write_doc(build_annual(report), fmt, out, progress=progress, cancel=cancel)
