"""Document writers: the 113-row provincial table exported by a fresh process, in-process timings, LibreOffice.

Prints figures only (no pass/fail). Goals, on a 2-core machine:
- issue 20: ``python -m desktop export N --what table --format pdf`` as a fresh process for the 113-row table
  ≤ 0.4 s (it was 0.74 s: ~0.37 s opening the ledger through SQLAlchemy, ~0.29 s parsing the fonts on every
  run); the .docx figure beside it, and LibreOffice's conversion of that .docx to PDF for comparison;
- issue 4, in-process: 100 rows .docx ≤ 0.3 s, .pdf ≤ 0.5 s; 5,000 rows .docx ≤ 1.5 s, .pdf ≤ 6 s.

The fresh-process figures are medians of 5 runs after one that fills the font cache (its time is shown as
"cold"); the in-process figures are medians of warm runs, the first export of each format timed apart.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from desktop.documents import export  # noqa: E402
from tests.documents.sample import NOTICE, make_rows  # noqa: E402

GOALS = {("docx", 100): 0.3, ("pdf", 100): 0.5, ("docx", 5000): 1.5, ("pdf", 5000): 6.0}
FRESH_GOAL_PDF = 0.4
RUNS = 5


def rows_for(n: int):
    """About ``n`` table rows: every third task has three items, so ~n/2 tasks."""
    return make_rows(max(1, n // 2))


def timed(fmt: str, rows, out: Path) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = export("table", NOTICE, rows, fmt, out)
    return time.perf_counter() - t0, result


def pages_of(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _once(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env, cwd=REPO, timeout=120)
    return time.perf_counter() - t0


def fresh_process(tmpd: Path) -> None:
    """``python -m desktop export`` of the 113-row table, a new process each time, and LibreOffice beside it."""
    from desktop.storage.ledger import Ledger
    from tests.documents.provincial import make_provincial

    data = tmpd / "data"
    with Ledger(data_dir=data) as ledger:
        nid = make_provincial(ledger)
        rows = len(ledger.tasks(nid))
    env = dict(os.environ, NOTICEDESK_DATA_DIR=str(data), NOTICEDESK_CACHE_DIR=str(tmpd / "cache"),
               QT_QPA_PLATFORM="offscreen")
    for fmt in ("pdf", "docx"):
        out = tmpd / f"fresh.{fmt}"
        argv = [sys.executable, "-m", "desktop", "export", str(nid), "--what", "table", "--format", fmt,
                "--out", str(out)]

        cold = _once(argv, env)  # fills the font cache (and the .pyc files)
        times = [_once(argv, env) for _ in range(RUNS)]
        goal = f" (goal ≤ {FRESH_GOAL_PDF} s)" if fmt == "pdf" else ""
        pages = f", {pages_of(out)} pages" if fmt == "pdf" else ""
        print(f"fresh process, {rows}-row table .{fmt}: median {statistics.median(times):.3f} s of {RUNS} "
              f"[{min(times):.3f}–{max(times):.3f}], cold font cache {cold:.3f} s{pages}{goal}")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        profile = (tmpd / "lo-profile").as_uri()
        t0 = time.perf_counter()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmpd / "lo"), str(tmpd / "fresh.docx")], check=True, capture_output=True,
                       timeout=300)
        lo = time.perf_counter() - t0
        print(f"LibreOffice .docx → .pdf of the same table (whole process, fresh profile): {lo:.2f} s, "
              f"{pages_of(tmpd / 'lo' / 'fresh.pdf')} pages")
    else:
        print("LibreOffice (soffice) not installed: its conversion is not timed")


def in_process(tmpd: Path) -> None:
    for fmt in ("docx", "pdf"):
        first, _ = timed(fmt, rows_for(10), tmpd / f"warm.{fmt}")
        print(f"first {fmt} export in this process (imports, fonts): {first * 1000:.0f} ms")
    for n, runs in ((100, 5), (5000, 3)):
        rows = rows_for(n)
        for fmt in ("docx", "pdf"):
            times, result = [], None
            for _ in range(runs):
                t, result = timed(fmt, rows, tmpd / f"t{n}.{fmt}")
                times.append(t)
            med = statistics.median(times)
            pages = f", {result.pages} pages" if result.pages else ""
            size = (tmpd / f"t{n}.{fmt}").stat().st_size // 1024
            print(f"{len(rows)} rows .{fmt}: median {med:.3f} s of {runs} [{min(times):.3f}–{max(times):.3f}]"
                  f"{pages}, {size} KiB (goal ≤ {GOALS[(fmt, n)]} s)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        fresh_process(tmpd)
        in_process(tmpd)


if __name__ == "__main__":
    main()
