"""Reading and writing report JSON: any file, and the per-year files ``annual-reports/YEAR.json`` in the
ledger's data folder. Writes go to a temporary file in the same folder, are flushed to disk and then
renamed over the old file, so a crash never leaves half a report behind."""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from desktop.annual.model import MAX_VALUE, AnnualReport, ReportFormatError

FOLDER = "annual-reports"
MAX_FILE_BYTES = 8 * 1024 * 1024  # a report is tens of KB
MAX_DEPTH = 16  # the deepest a report goes is 5 ({"tables": {"T3": {"denied": {"x": {"col": 1}}}}})


def path_for(data_dir: Path, year: int) -> Path:
    return Path(data_dir) / FOLDER / f"{year}.json"


def saved_years(data_dir: Path) -> list[int]:
    folder = Path(data_dir) / FOLDER
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit())


def load(path: Path) -> AnnualReport:
    """The report in ``path``; ReportFormatError (one Chinese sentence) when it cannot be read."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportFormatError(f"找不到文件：{path}。请检查路径是否正确。") from None
    except OSError as exc:
        raise ReportFormatError(f"无法读取文件 {path}：{exc.strerror or exc}。") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ReportFormatError(f"无法读取 {path.name}：文件太大（{len(raw) // (1024 * 1024)} MB），"
                                "不像年度报告数据（本软件保存的文件只有几十 KB）。请选择本软件保存的年度报告 .json 文件。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportFormatError(f"无法读取 {path.name}：文件不是 UTF-8 编码的 JSON。请选择本软件保存的年度报告 .json 文件。") from None
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise ReportFormatError(f"无法读取 {path.name}：JSON 的嵌套层数太多（{depth} 层，年度报告数据最多 {MAX_DEPTH} 层），"
                                "文件可能已损坏或被改坏。请选择本软件保存的年度报告 .json 文件。")
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise ReportFormatError(f"无法读取 {path.name}：JSON 格式有误（第{exc.lineno}行第{exc.colno}列）。"
                                "文件可能已损坏或被改坏，请检查后重试。") from None
    except (ValueError, RecursionError) as exc:  # an integer beyond any count, nesting past the check
        raise ReportFormatError(f"无法读取 {path.name}：{exc}") from None
    return AnnualReport.from_json(data)


def _bounded_int(text: str) -> int:
    """JSON integers: refused past ``MAX_VALUE`` before Python builds a huge number (or refuses to, past
    4,300 digits, with a ValueError)."""
    digits = text.lstrip("-")
    if len(digits) > len(str(MAX_VALUE)) or int(digits) > MAX_VALUE:
        raise ValueError(f"数字 {text[:12]}{'…' if len(text) > 12 else ''}（{len(digits)} 位）太大，不是合理的件数或金额"
                         f"（最大 {MAX_VALUE}）。文件可能被改坏，请检查后重试。")
    return int(text)


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _nesting(text: str) -> int:
    """The deepest nesting of [ and { in JSON ``text`` (outside strings), counted without recursion."""
    depth = deepest = 0
    for ch in re.findall(r"[\[\]{}]", _STRINGS.sub("", text)):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def save(report: AnnualReport, path: Path) -> Path:
    """Write ``report`` to ``path`` atomically (the folder is created if missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".json.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load_year(data_dir: Path, year: int) -> AnnualReport | None:
    """The saved report of ``year`` in the data folder, or None if there is none."""
    p = path_for(data_dir, year)
    if not p.is_file():
        return None
    report = load(p)
    report.year = year
    return report
