"""Plain dataclasses of the importer: what readers return and what the parser produces.

Readers give a ``SourceDocument`` (blocks: paragraph strings and ``Table`` grids); the parser
gives a ``ParsedNotice`` holding ``ParsedTask`` rows.  No behaviour lives here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DOUBTFUL = 0.75  # a task read with less confidence than this is listed for the clerk to check


@dataclass
class Table:
    """A table as a grid of cell strings; merged-away cells are empty strings."""

    rows: list[list[str]]
    rebuilt: str = ""  # how a table that arrived as text was rebuilt (shown in each row's evidence)
    index: int = 0  # 1-based place among the notice's tables (0: not numbered yet)
    header: int | None = None  # the clerk's word: None the parser looks; -1 no header; n the header row
    columns: list[str] | None = None  # the clerk's roles for the columns (parse.columns.ROLES)
    # a spreadsheet's sheet as read ("xlsx", "xls"): its title rows above the header row are still in it;
    # ``parse.sheets.lift_sheet_titles`` makes them paragraphs before anything else reads the blocks
    sheet: str = ""


@dataclass
class TableChoice:
    """The clerk's reading of a table: ``parse --columns/--header-row/--table`` and the import window's
    grid view. None everywhere is the parser's own reading."""

    table: int | None = None  # 1-based: read only the K-th table of the notice
    header_row: int | None = None  # 1-based row of the grid holding the header (rows above: the title); 0: none
    columns: list[str] | None = None  # one role per column (parse.columns.ROLES)
    items: bool = False  # read the numbered items of the text, not the table (a notice holding both)


@dataclass
class TableGrid:
    """A table of the notice as the clerk sees it in the grid view, with how the parser read it."""

    rows: list[list[str]]  # the grid as read, title rows included
    header_row: int  # 1-based row of the header, 0: none
    roles: list[str]  # one role per column (parse.columns.ROLES)
    rebuilt: str = ""
    tasks: int = 0  # how many tasks it gave


Block = str | Table


@dataclass
class SourceDocument:
    """What a reader extracted from a file: blocks in reading order."""

    blocks: list[Block]
    kind: str = "txt"  # docx, txt, html, mht, pdf, xlsx, xls, ofd, image, paste
    name: str | None = None
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False  # the text was read from page images by OCR: every task is to be checked
    page_images: list[bytes] = field(default_factory=list)  # PNG of each page read by OCR, to show beside the text


@dataclass
class ParsedTask:
    """One row of the decomposition table a clerk would number and assign."""

    level: int
    number: str | None
    section: str | None
    title: str
    text: str
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    collective: set[str] = field(default_factory=set)  # names among the units that are collective
    deadline: str | None = None
    due_date: dt.date | None = None
    deadline_kind: str = "none"  # date | year_round | long_term | recurring | none
    source_span: tuple[int, int] = (0, 0)
    confidence: float = 1.0  # how sure the reading is (0..1); low values are flagged for checking
    evidence: list[str] = field(default_factory=list)  # why it was read so, in Chinese


@dataclass
class NoticeMeta:
    """What a notice says about itself: 标题, 文号, 发文机关, 成文日期, the year it is about, 主送, 附件."""

    title: str | None
    doc_number: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    year: int | None = None
    recipients: str | None = None
    attachments: list[str] = field(default_factory=list)


@dataclass
class ParsedNotice(NoticeMeta):
    """A parsed notice: metadata, the clerk's warnings, the tasks and the text they point into."""

    warnings: list[str] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    source_text: str = ""  # normalised text; task source spans index into it
    original_text: str = ""  # the text as read, before width/繁简/pinyin normalisation
    script: object | None = None  # normalise.ScriptMap back to the printed traditional characters, if folded
    tables: list[TableGrid] = field(default_factory=list)  # the notice's tables, for the grid view
    has_items: bool = False  # the text has numbered items too (a notice with both: 按表格 / 按正文条目)
