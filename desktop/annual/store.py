"""Reading and writing report JSON: a file the clerk chooses (打开已存的报告数据 / 另存报告数据, ``--load`` /
``--save``), and the same checked reading for the JSON text the ledger stores (``storage/annual_reports.py``).

Whatever the JSON comes from, the same limits apply before it is parsed: at most ``MAX_FILE_BYTES``, at most
``MAX_DEPTH`` levels of nesting, no integer beyond ``MAX_VALUE`` (``loads``). Writes go to a temporary file
in the same folder, are flushed to disk and then renamed over the old file, so a crash never leaves half a
report behind.

Before issue 19 each year was kept as ``annual-reports/YEAR.json`` in the data folder (``FOLDER``); the
ledger now keeps the reports, and ``legacy_files`` lists those files so that the ledger takes them in once.
"""
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


def legacy_files(data_dir: Path) -> list[tuple[int, Path]]:
    """(year, file) of the per-year files an earlier NoticeDesk kept in ``data_dir/annual-reports``, by year."""
    folder = Path(data_dir) / FOLDER
    if not folder.is_dir():
        return []
    found = [(int(p.stem), p) for p in folder.glob("*.json") if p.stem.isdigit() and p.is_file()]
    return sorted(found)


def load(path: Path) -> AnnualReport:
    """The report in ``path``; ReportFormatError (one Chinese sentence) when it cannot be read."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportFormatError(f"找不到文件：{path}。请检查路径是否正确。") from None
    except OSError as exc:
        raise ReportFormatError(f"无法读取文件 {path}：{exc.strerror or exc}。") from None
    return loads(raw, path.name)


def loads(raw: bytes | str, name: str) -> AnnualReport:
    """The report in the JSON ``raw`` (``name``: what to call it in messages), within the limits above;
    ReportFormatError (one Chinese sentence) when it is not a report."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise ReportFormatError(f"无法读取 {name}：文件太大（{size // (1024 * 1024)} MB），"
                                "不像年度报告数据（本软件保存的文件只有几十 KB）。请选择本软件保存的年度报告 .json 文件。")
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ReportFormatError(f"无法读取 {name}：文件不是 UTF-8 编码的 JSON。请选择本软件保存的年度报告 .json 文件。") from None
    else:
        text = raw
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise ReportFormatError(f"无法读取 {name}：JSON 的嵌套层数太多（{depth} 层，年度报告数据最多 {MAX_DEPTH} 层），"
                                "文件可能已损坏或被改坏。请选择本软件保存的年度报告 .json 文件。")
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise ReportFormatError(f"无法读取 {name}：JSON 格式有误（第{exc.lineno}行第{exc.colno}列）。"
                                "文件可能已损坏或被改坏，请检查后重试。") from None
    except (ValueError, RecursionError) as exc:  # an integer beyond any count, nesting past the check
        raise ReportFormatError(f"无法读取 {name}：{exc}") from None
    return AnnualReport.from_json(data)


def dumps(report: AnnualReport, indent: int | None = 2) -> str:
    """The JSON text of ``report`` (what ``save`` writes; the ledger stores it with ``indent=None``)."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=indent)


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
    text = dumps(report) + "\n"
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
