"""Import of the fixed-layout carriers (issue 18): a 10-page PDF task table (ruled and unruled) read and parsed
in-process, an OFD 公文 in-process, and OCR seconds per A4 page (when the ``ocr`` extra is installed).

    .venv/bin/python bench/bench_formats.py

Prints medians (goals: 10-page PDF table ≤ 2 s, OFD 公文 ≤ 0.5 s; OCR is reported); no asserts.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"

from desktop.importing import parse_document, parse_path, read_document  # noqa: E402


def _median(func, runs: int) -> tuple[float, float, float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times), result


def make_table_pdf(path: Path, rows: int, ruled: bool) -> int:
    """A task table of ``rows`` rows (header repeated on each page, cells wrapped) as a PDF; its page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("WQY", str(REPO / "resources" / "fonts" / "wqy-microhei.ttc"), subfontIndex=0))
    style = ParagraphStyle("c", fontName="WQY", fontSize=9, leading=12, wordWrap="CJK")
    units = ["县财政局", "县政府办公室、县司法局", "各乡镇人民政府、街道办事处", "县发展和改革局牵头，县统计局配合"]
    data = [[Paragraph(t, style) for t in ("序号", "任务名称", "具体内容", "责任单位", "完成时限")]]
    for n in range(1, rows + 1):
        data.append([Paragraph(str(n), style), Paragraph(f"第{n}项重点工作", style),
                     Paragraph(f"（{n}）围绕第{n}项重点工作，主动公开有关政策文件、执行情况和工作成效，加强政策解读和回应关切。", style),
                     Paragraph(units[n % 4], style), Paragraph(["全年", "6月底前", "长期坚持", "每季度"][n % 4], style)])
    table = Table(data, colWidths=[30, 80, 220, 110, 60], repeatRows=1)
    cmds = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if ruled:
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    table.setStyle(TableStyle(cmds))
    pages = []
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([Paragraph("某县2024年政务公开工作要点任务分解表", style), table],
              onLaterPages=lambda c, d: pages.append(1), onFirstPage=lambda c, d: pages.append(1))
    return len(pages)


def bench_pdf(tmpd: Path) -> None:
    for ruled in (False, True):
        path = tmpd / f"table-{ruled}.pdf"
        pages = make_table_pdf(path, 190, ruled)
        parse_path(path)  # imports warm
        med, lo, hi, parsed = _median(lambda p=path: parse_path(p), 5)
        kind = "ruled" if ruled else "unruled (cells aligned by x)"
        print(f"PDF task table, {pages} pages, {kind}: read + parse median {med:.2f} s [{lo:.2f}–{hi:.2f}], "
              f"{len(parsed.tasks)} tasks (goal ≤ 2 s for 10 pages)")


def bench_ofd() -> None:
    for name in ("pifu_luqiao_2011.ofd", "shouwen_chuli_2020.ofd", "invoice_list_999.ofd"):
        path = SHARED / "samples" / "ofd" / name
        if not path.exists():
            print(f"{name}: not found (../shared/samples/ofd)")
            continue
        parse_path(path)
        med, lo, hi, _ = _median(lambda p=path: parse_path(p), 20)
        print(f"OFD {name}: read + parse median {med * 1000:.0f} ms [{lo * 1000:.0f}–{hi * 1000:.0f}] (goal ≤ 500 ms)")


def bench_ocr(tmpd: Path) -> None:
    from desktop.importing.readers.ocr_reader import ocr_available
    from tests.importing.builders import corpus_blocks, render_page

    if not ocr_available():
        print("OCR extra not installed (make ocr): OCR not timed")
        return
    (page,) = render_page(corpus_blocks(SHARED / "corpus" / "102_beijing-2018-zwgk-yaodian.txt"))
    png = tmpd / "page.png"
    page.save(png)
    t0 = time.perf_counter()
    read_document(png)
    print(f"OCR first page (loads the models): {time.perf_counter() - t0:.1f} s")
    med, lo, hi, doc = _median(lambda: read_document(png), 3)
    chars = sum(len(b) for b in doc.blocks if isinstance(b, str))
    parsed = parse_document(doc)
    print(f"OCR of an A4 page at 200 dpi ({chars} characters, {len(parsed.tasks)} tasks): "
          f"median {med:.1f} s/page [{lo:.1f}–{hi:.1f}]")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        bench_pdf(tmpd)
        bench_ofd()
        bench_ocr(tmpd)


if __name__ == "__main__":
    main()
