"""Every document type in both formats for every corpus notice and the 113-row provincial table (issue 20).

The notices are read and stored as an import stores them (a notice without a read title keeps the placeholder
older imports wrote), given a mix of statuses, and exported as of 2023-12-25 with the office's name. Checked:
a notice without a title is refused (``MissingTitle``) and, once the clerk gives one, no placeholder is printed;
no page holds only the 署名 or the date; every cell's text is on the pages (read back with pypdf); no date or
deadline cell wraps; and LibreOffice lays each .docx out on as many pages as the PDF has — these documents and
the 政府信息公开工作年度报告 — (one ``soffice`` run for all of them, on the bundled fonts: ``libreoffice``).
The LibreOffice tests are skipped without it; CI installs it (.ci/run)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from desktop.documents import KINDS, MissingTitle, build, export, layout
from desktop.documents.model import ItemRow, Table, Tree, clean, cn_date
from desktop.documents.pdf_writer import PdfWriter
from desktop.domain import Status
from desktop.tracking.rules import is_open
from tests.documents.libreoffice import convert, need_soffice
from tests.documents.provincial import make_provincial

TODAY = dt.date(2023, 12, 25)
OFFICE = "某某县人民政府办公室"
CLERK_TITLE = "关于印发2023年政务公开工作要点的通知"  # what the clerk types for a notice without one
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclasses.dataclass
class Case:
    name: str
    stored: object  # NoticeInfo as the ledger has it (maybe the placeholder title)
    notice: object  # the notice the documents are made of (the clerk's title where none was read)
    rows: list


def with_statuses(rows):
    """A mix as a year's tracking leaves it: done (with and without a note), in progress, paused, not started."""
    tree = Tree(rows)
    work = {r.id for r in tree.work_rows()}
    out, k = [], 0
    for r in rows:
        if r.id in work:
            k += 1
            if k % 6 in (1, 5):
                r = dataclasses.replace(r, status=Status.DONE, done_on=dt.date(2023, 6, 1 + k % 28),
                                        progress_note="已按要求印发实施方案并在政府网站公开，相关工作已完成。" if k % 6 == 1 else "")
            elif k % 6 == 2:
                r = dataclasses.replace(r, status=Status.IN_PROGRESS, progress_note="正在推进，已完成初稿，待审定后印发。")
            elif k % 6 == 3:
                r = dataclasses.replace(r, status=Status.PAUSED, progress_note="因上级政策调整暂缓实施。")
        out.append(r)
    return out


@pytest.fixture(scope="module")
def cases(corpus_dir, tmp_path_factory) -> list[Case]:
    from desktop.importing import parse_path
    from desktop.intake import ledger_rows
    from desktop.storage.ledger import Ledger

    ledger = Ledger(data_dir=tmp_path_factory.mktemp("ledger"))
    try:
        ids = []
        for f in sorted(corpus_dir.glob("*.txt")):
            meta, rows = ledger_rows(parse_path(f), source_name=f.name)
            ids.append((f.stem, ledger.create_notice_with_tasks(meta, rows)))
        ids.append(("provincial_113", make_provincial(ledger)))
        stored = {n.id: n for n in ledger.notices()}
        out = []
        for name, nid in ids:
            n = stored[nid]
            given = n if clean(n.title) and "无标题" not in n.title else dataclasses.replace(n, title=CLERK_TITLE)
            out.append(Case(name, n, given, with_statuses(ledger.tasks(nid))))
        return out
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def exported(cases, tmp_path_factory) -> dict[tuple[str, str, str], tuple[Path, object]]:
    """(case, kind, fmt) → (file, result)."""
    folder = tmp_path_factory.mktemp("documents")
    out = {}
    for case in cases:
        for kind in KINDS:
            for fmt in ("pdf", "docx"):
                path = folder / f"{case.name}-{kind}.{fmt}"
                out[(case.name, kind, fmt)] = path, export(kind, case.notice, case.rows, fmt, path, today=TODAY,
                                                           office=OFFICE)
    return out


@pytest.fixture(scope="module")
def pdf_pages(exported) -> dict[tuple[str, str], list[str]]:
    """(case, kind) → the text of each page of the PDF."""
    return {(c, k): [p.extract_text() for p in PdfReader(str(path)).pages]
            for (c, k, fmt), (path, _r) in exported.items() if fmt == "pdf"}


@pytest.fixture(scope="module")
def annual(tmp_path_factory) -> dict[tuple[str, str, str], tuple[Path, object]]:
    """The 政府信息公开工作年度报告 with introductions of three lengths (表三 breaks at different rows)."""
    from desktop.documents.annual_report_doc import export_annual
    from tests.annual.conftest import consistent_report

    folder = tmp_path_factory.mktemp("annual")
    out = {}
    for k in (0, 7, 15):
        report = consistent_report()
        report.texts["一"] = "（一）主动公开\n" + "本年度主动公开政府信息120条。" * (1 + k)
        for fmt in ("pdf", "docx"):
            path = folder / f"annual{k}.{fmt}"
            out[(f"annual{k}", "annual", fmt)] = path, export_annual(report, fmt, path)
    return out


@pytest.fixture(scope="module")
def laid_out(exported, annual, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(case, kind) → the .docx as LibreOffice lays it out (PDF); the annual reports too."""
    need_soffice()
    every = {**exported, **annual}
    docx = {path.stem: (c, k) for (c, k, fmt), (path, _r) in every.items() if fmt == "docx"}
    work = tmp_path_factory.mktemp("libreoffice")
    pdfs = convert([every[(c, k, "docx")][0] for c, k in docx.values()], work / "out", work)
    return {docx[stem]: pdf for stem, pdf in pdfs.items()}


def test_a_notice_without_a_title_is_refused_never_printed_with_a_placeholder(cases):
    untitled = [c for c in cases if c.stored is not c.notice]
    assert len(untitled) >= 4  # 105–109 start at the table body: no title was read
    for c in untitled:
        assert "无标题" in c.stored.title or not clean(c.stored.title)
        for kind in KINDS:
            with pytest.raises(MissingTitle, match="没有标题"):
                build(kind, c.stored, c.rows, today=TODAY)


def test_no_placeholder_text_in_any_document(exported, pdf_pages):
    for (c, k), pages in pdf_pages.items():
        assert "无标题" not in "".join(pages), (c, k)
    for (c, k, fmt), (path, _r) in exported.items():
        if fmt == "docx":
            d = Document(str(path))
            text = "".join(p.text for p in d.paragraphs) + "".join(
                cell.text for t in d.tables for row in t.rows for cell in row.cells)
            assert "无标题" not in text and d.core_properties.title and "无标题" not in d.core_properties.title, (c, k)


def _alone(lines: list[str], signer: str, date: str) -> bool:
    body = [squash(x) for x in lines if squash(x) and not PAGE_NUMBER.match(x.strip())]
    return bool(body) and set(body) <= {squash(signer), squash(date)}


def test_no_page_holds_only_the_signature_or_the_date(cases, pdf_pages, laid_out):
    date = cn_date(TODAY)
    for case in cases:
        pages = pdf_pages[(case.name, "report")]
        assert any(OFFICE in p and date in p for p in pages), case.name  # 署名 and date are printed
        for n, text in enumerate(pages, 1):
            assert not _alone(text.splitlines(), OFFICE, date), (case.name, n)
        for n, page in enumerate(PdfReader(str(laid_out[(case.name, "report")])).pages, 1):
            assert not _alone(page.extract_text().splitlines(), OFFICE, date), (case.name, "docx", n)


def _tables(case: Case, kind: str) -> list[Table]:
    doc = build(kind, case.notice, case.rows, today=TODAY, office=OFFICE)
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_every_cell_is_on_the_pages(cases, exported, pdf_pages):
    """Each cell's text (this page's part of a row cut across pages; a task's 序号/任务名称 again on every
    page it continues on) is read back from the page the layout put it on."""
    checked = 0
    for case in cases:
        for kind in KINDS:
            pages = [squash(p) for p in pdf_pages[(case.name, kind)]]
            missing = exported[(case.name, kind, "pdf")][1].missing_glyphs  # no font has them: boxes
            doc = build(kind, case.notice, case.rows, today=TODAY, office=OFFICE)
            w = PdfWriter(doc, None)
            plans = w.paginate()
            assert w.page == len(pages), (case.name, kind)  # the layout is the export's
            for block, plan in plans.items():
                table = doc.blocks[block]
                for page in plan:
                    for k, e in enumerate(page):
                        src = table.rows[e.src]
                        if e.kind == "section":
                            cells = [src.text]
                        else:
                            first = not k or page[k - 1].kind != "item" or page[k - 1].head != e.head
                            cells = [(table.rows[e.head].cells[i] if first else "") if i in table.merged else
                                     (e.texts[i] if e.texts is not None else t) for i, t in enumerate(src.cells)]
                        for cell in cells:
                            pieces = re.split(f"[{re.escape(missing)}]", squash(cell)) if missing else [squash(cell)]
                            for piece in pieces:
                                assert piece in pages[e.page - 1], (case.name, kind, e.page, cell[:40])
                                checked += 1
    assert checked > 5000


def test_no_date_or_deadline_cell_wraps(cases):
    """Values of a date or deadline column no longer than its no-wrap length are one line (the PDF's own
    line breaking, the one that draws them; LibreOffice's agrees, see the page counts)."""
    checked = 0
    for case in cases:
        for kind in ("table", "units", "open", "progress", "report"):
            doc = build(kind, case.notice, case.rows, today=TODAY, office=OFFICE)
            w = PdfWriter(doc, None)
            w.paginate()
            for table in (b for b in doc.blocks if isinstance(b, Table)):
                _widths, _aligns, _head, units = w._prepare(table)
                for unit in units:
                    for row in unit.rows:
                        if row.section or row.split:
                            continue
                        src = table.rows[row.src]
                        for i, col in enumerate(table.columns):
                            text = src.cells[i] if isinstance(src, ItemRow) else ""
                            if col.nowrap_em and text and row.cells[i] is not None \
                                    and layout.text_em(text) <= col.nowrap_em:
                                assert len(row.cells[i]) == text.count("\n") + 1, (case.name, kind, text)
                                checked += 1
    assert checked > 1000


def test_docx_laid_out_by_libreoffice_has_the_pdf_pages(exported, annual, laid_out):
    every = {**exported, **annual}
    assert len(laid_out) == len(every) // 2
    wrong = []
    for (c, k), pdf in laid_out.items():
        want = every[(c, k, "pdf")][1].pages
        got = len(PdfReader(str(pdf)).pages)
        if got != want:
            wrong.append((c, k, want, got))
    assert not wrong, wrong


def test_open_items_one_row_per_task_a_third_of_the_pages(cases, tmp_path):
    """乐至: 41 open items printed on 30 pages when each was repeated under every one of its units."""
    case = next(c for c in cases if c.name.startswith("002_lezhi"))
    tree = Tree(case.rows)
    work = tree.work_rows()
    done = {r.id for r in work[:3]}
    rows = [dataclasses.replace(r, status=Status.DONE if r.id in done else Status.NOT_STARTED, progress_note="")
            for r in case.rows]
    assert sum(is_open(r) for r in Tree(rows).work_rows()) == 41
    result = export("open", case.notice, rows, "pdf", tmp_path / "open.pdf", today=TODAY)
    assert result.pages <= 30 // 3
    text = squash("".join(p.extract_text() for p in PdfReader(str(tmp_path / "open.pdf")).pages))
    assert "共41项" in text
    table = _tables(dataclasses.replace(case, rows=rows), "open")[0]
    items = [r for r in table.rows if isinstance(r, ItemRow)]
    assert len(items) == 41  # one row each, its units in their column
    assert [c.header for c in table.columns][:4] == ["序号", "任务名称", "具体内容", "责任单位"]
