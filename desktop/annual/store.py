"""Reading and writing report JSON: any file, and the per-year files ``annual-reports/YEAR.json`` in the
ledger's data folder. Writes go to a temporary file in the same folder, are flushed to disk and then
renamed over the old file, so a crash never leaves half a report behind."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from desktop.annual.model import AnnualReport, ReportFormatError

FOLDER = "annual-reports"


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
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ReportFormatError(f"无法读取 {path.name}：文件不是 UTF-8 编码的 JSON。请选择本软件保存的年度报告 .json 文件。") from None
    except json.JSONDecodeError as exc:
        raise ReportFormatError(f"无法读取 {path.name}：JSON 格式有误（第{exc.lineno}行第{exc.colno}列）。"
                                "文件可能已损坏或被改坏，请检查后重试。") from None
    return AnnualReport.from_json(data)


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
