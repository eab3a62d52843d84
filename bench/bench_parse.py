"""Parser figures: a ~40 KB notice parsed in-process, a 150-row task table flattened into text three ways
(tab rows, every pipe on its own line, one cell per line) parsed in-process, and a ~40 KB .docx
imported end to end.

    .venv/bin/python bench/bench_parse.py

Prints medians (goals: ≤ 100 ms for the in-process parse, ≤ 1 s for the .docx import); no asserts.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus"

from desktop.importing import parse_pasted, parse_path  # noqa: E402


def _median_ms(fn, runs: int = 15) -> tuple[float, float]:
    first = time.perf_counter()
    fn()
    first = (time.perf_counter() - first) * 1000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return first, statistics.median(times)


def notice_40k() -> str:
    """The 临沂 notice (prose + flattened table) followed by the 嵩明 items until the text is ~40 KB."""
    text = (CORPUS / "003_linyi_2023_web.txt").read_text(encoding="utf-8")
    extra = (CORPUS / "000_songming_2021.txt").read_text(encoding="utf-8").split("\n")[6:-1]
    while len(text.encode("utf-8")) < 40_000:
        text += "\n" + "\n".join(extra)
    return text


def table_150(flattening: str) -> str:
    """A 150-row 任务分解表 (two grouping levels, merged cells dropped as a browser copy drops them)."""
    header = ["序号", "重点任务", "工作举措", "具体任务", "牵头单位", "配合单位", "完成时限"]
    rows = []
    for n in range(1, 151):
        group = [f"{(n - 1) // 10 + 1}. 推进第{(n - 1) // 10 + 1}类重点领域信息公开"] if n % 10 == 1 else []
        sub = [f"完善第{(n - 1) // 5 + 1}项工作机制"] if n % 5 == 1 else []
        rows.append([str(n), *group, *sub, f"围绕第{n}项重点工作主动公开重大项目信息，做好政策解读和回应关切，确保准确规范。",
                     "县发展和改革局", "县财政局、县自然资源和规划局", ["全年", "9月底前", "2024年6月底前", "持续推进"][n % 4]])
    lines = ["某县2024年重点任务分解表"]
    if flattening == "tabs":
        lines += ["\t".join(r) for r in [header, *rows]]
    elif flattening == "pipe-per-line":
        for r in [header, *rows]:
            lines += ["|"] + [x for c in r for x in (c, "|")]
    else:
        lines += [c for r in [header, *rows] for c in (*r, "")]
    return "\n".join(lines)


def docx_40k(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("某县人民政府办公室关于印发2024年政务公开工作要点任务分解表的通知")
    d.add_paragraph("各乡镇人民政府、街道办事处，县级各部门：")
    d.add_paragraph("现将任务分解表印发给你们，请认真抓好贯彻落实。")
    d.add_paragraph("某县人民政府办公室")
    d.add_paragraph("2024年3月5日")
    rows = 0
    table = d.add_table(rows=1, cols=5)
    for c, label in enumerate(["序号", "任务名称", "具体内容", "责任单位", "完成时限"]):
        table.cell(0, c).text = label
    while True:
        rows += 1
        cells = table.add_row().cells
        cells[0].text = str(rows)
        cells[1].text = f"推进第{rows}项重点领域信息公开"
        cells[2].text = (f"（{rows}）围绕重点工作，主动公开重大项目、重大平台、重大改革等信息，做好政策解读和回应关切，"
                         "及时更新政府信息公开专栏内容，确保信息准确规范。")
        cells[3].text = "县发展和改革局、县财政局、县自然资源和规划局等县级部门；各乡镇人民政府、街道办事处"
        cells[4].text = ["全年", "9月底前", "2024年6月底前", "长期坚持", "每季度"][rows % 5]
        if rows % 20 == 0:
            d.save(path)
            if path.stat().st_size >= 40_000:
                return path


def main() -> None:
    text = notice_40k()
    first, median = _median_ms(lambda: parse_pasted(text))
    n_tasks = len(parse_pasted(text).tasks)
    print(f"parse a {len(text.encode('utf-8')) / 1024:.1f} KB notice in-process ({n_tasks} tasks): "
          f"median {median:.1f} ms (first run {first:.1f} ms; goal ≤ 100 ms)")
    for flattening in ("tabs", "pipe-per-line", "cell-per-line"):
        text = table_150(flattening)
        first, median = _median_ms(lambda text=text: parse_pasted(text))
        n_tasks = len(parse_pasted(text).tasks)
        print(f"parse a 150-row table flattened as {flattening} in-process ({n_tasks} tasks): "
              f"median {median:.1f} ms (first run {first:.1f} ms; goal ≤ 100 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        path = docx_40k(Path(tmp) / "notice.docx")
        first, median = _median_ms(lambda: parse_path(path), runs=9)
        n_tasks = len(parse_path(path).tasks)
        print(f"import a {path.stat().st_size / 1024:.1f} KB .docx (read + parse, {n_tasks} tasks) in-process: "
              f"median {median:.1f} ms (first run, with the python-docx import, {first:.1f} ms; goal ≤ 1 s)")
        code = ("import sys, time; t=time.perf_counter(); sys.path.insert(0, sys.argv[1]);"
                "from desktop.importing import parse_path; parse_path(sys.argv[2]);"
                "print((time.perf_counter()-t)*1000)")
        walls = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code, str(REPO), str(path)], check=True, capture_output=True)
            walls.append((time.perf_counter() - t0) * 1000)
        print(f"import the same .docx in a fresh process (interpreter start + imports + read + parse): "
              f"median {statistics.median(walls):.0f} ms over 5 runs")


if __name__ == "__main__":
    main()
