"""Document writers: time the 任务分解表 as .docx and .pdf in-process (100 and 5,000 rows), and LibreOffice.

Prints figures only (no pass/fail). Goals (issue 4, 2-core machine): 100 rows .docx ≤ 0.3 s, .pdf ≤ 0.5 s;
5,000 rows .docx ≤ 1.5 s, .pdf ≤ 6 s. The first export of each format (imports, font registration) is
timed apart; the figures are medians of the warm runs. If ``soffice`` is installed, the 100-row .docx is
also converted to PDF by LibreOffice, for comparison.
"""
from __future__ import annotations

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


def rows_for(n: int):
    """About ``n`` table rows: every third task has three items, so ~n/2 tasks."""
    return make_rows(max(1, n // 2))


def timed(fmt: str, rows, out: Path) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = export("table", NOTICE, rows, fmt, out)
    return time.perf_counter() - t0, result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        for fmt in ("docx", "pdf"):
            first, _ = timed(fmt, rows_for(10), tmpd / f"warm.{fmt}")
            print(f"first {fmt} export (imports, fonts): {first * 1000:.0f} ms")
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
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            src = tmpd / "t100.docx"
            profile = (tmpd / "lo-profile").as_uri()
            t0 = time.perf_counter()
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(tmpd / "lo"), str(src)], check=True, capture_output=True, timeout=300)
            print(f"LibreOffice .docx → .pdf, 100 rows (whole process, fresh profile): "
                  f"{time.perf_counter() - t0:.2f} s, beside the in-process .pdf above")
        else:
            print("LibreOffice (soffice) not installed: conversion not timed")


if __name__ == "__main__":
    main()
