"""The 政府信息公开工作年度报告 kept in the ledger (table ``annual_report``, schema v5): list, load, save, and
taking in the ``annual-reports/YEAR.json`` files an earlier NoticeDesk kept beside the ledger.

One row per year holds the report as JSON text (``desktop.annual.store.dumps``), not as columns: the report
is a document read and written whole (texts of sections 一/五/六, about 300 cells of tables 二/三/四), never
queried cell by cell; the same JSON is what the clerk exports and imports (另存报告数据 / ``--save``), so
there is one format and one checked reader (``store.loads``: size, nesting and number limits apply to what
is stored and to what is read back), and a change of the official form changes ``annual/model.py`` only,
not the schema. Because the row is an ordinary table row, backups (a page copy of a SQLite file, or
``transfer.py`` for a server), restores and a server ledger carry the reports with everything else.

Two clients saving the same year (a server ledger): as for tasks and notices, each row has a ``version``
(+1 per save). ``save(report, expected_version)`` with the version the caller last read raises
``AnnualReportConflict`` (a ``ConflictError``, nothing written) when another client saved the year since;
``expected_version=0`` means "the year was not stored yet"; ``None`` saves without a check (last writer
wins: the command line's ``--load``, a conflict the clerk chose to overwrite). Saving writes no change-log
row: the window saves a moment after every edit, and the change log names notices and tasks.

The model ``desktop.annual.model.AnnualReport`` stays plain Python; this module only moves its JSON.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from desktop.annual import store
from desktop.annual.model import AnnualReport, ReportFormatError
from desktop.storage.errors import ConflictError
from desktop.storage.models import AnnualReportRow

_log = logging.getLogger(__name__)

IMPORTED_FOLDER = "已导入"  # annual-reports/已导入: files taken into the ledger, kept for the clerk


@dataclass
class StoredAnnualReport:
    """A report as the ledger holds it: the report, its row version and when it was last saved."""

    report: AnnualReport
    version: int
    updated_at: dt.datetime


@dataclass
class AnnualImport:
    """What ``import_files`` did: the years taken in (and where each file went), and the files left in place
    with the reason (a file that cannot be read, or a year the ledger holds with other figures)."""

    imported: list[tuple[int, Path]] = field(default_factory=list)
    left: list[tuple[Path, str]] = field(default_factory=list)

    def messages(self) -> list[str]:
        """One Chinese line per file left in place (for the clerk)."""
        return [f"{path.name}：{why}" for path, why in self.left]


class AnnualReportConflict(ConflictError):
    """Another client saved this year's report after the version the caller read; nothing was written.
    ``row_id`` is the year; ``current_version`` what is stored now (0: the year was deleted)."""

    def __init__(self, year: int, expected_version: int, current_version: int) -> None:
        super().__init__("annual_report", year, expected_version, current_version, {}, {}, {"*"})
        self.args = (f"{year}年的年度报告已被其他人修改并保存（在你打开之后），你的修改尚未保存。"
                     "可以用你的内容覆盖对方的修改，或重新加载对方保存的内容。",)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _read(row_year: int, content: str) -> AnnualReport:
    try:
        report = store.loads(content, f"台账中{row_year}年的年度报告")
    except ReportFormatError as exc:
        raise ReportFormatError(f"{exc}（台账中{row_year}年的年度报告数据已损坏，可从备份恢复，或重新导入该年度的报告数据。）") from None
    report.year = row_year
    return report


def _text(report: AnnualReport) -> str:
    """The JSON stored for ``report``, checked by the same reader that will read it back."""
    text = store.dumps(report, indent=None)
    store.loads(text, f"{report.year}年的年度报告")  # the limits hold for what is stored (ReportFormatError)
    return text


class AnnualReports:
    """The annual reports of one ledger, over its session factories (``write``: transactions that take the
    write lock at once; ``read``: snapshot reads)."""

    def __init__(self, write: Any, read: Any | None = None) -> None:
        self._write = write
        self._read = read if read is not None else write

    def years(self) -> list[int]:
        """The years that have a stored report, oldest first."""
        with self._read.begin() as s:
            return [int(y) for (y,) in s.execute(select(AnnualReportRow.year).order_by(AnnualReportRow.year))]

    def load(self, year: int) -> StoredAnnualReport | None:
        """The stored report of ``year`` (None: none stored). ReportFormatError if the stored JSON cannot
        be read (only a damaged or hand-edited ledger)."""
        with self._read.begin() as s:
            row = s.execute(select(AnnualReportRow.content, AnnualReportRow.version, AnnualReportRow.updated_at)
                            .where(AnnualReportRow.year == int(year))).one_or_none()
        if row is None:
            return None
        return StoredAnnualReport(_read(int(year), row[0]), int(row[1]), row[2])

    def save(self, report: AnnualReport, expected_version: int | None = None) -> int:
        """Store ``report`` as the report of ``report.year`` (replacing the stored one); returns the row's
        new version. ``expected_version``: see the module docstring."""
        text = _text(report)
        year = int(report.year)
        t = AnnualReportRow.__table__
        with self._write.begin() as s:
            current = s.execute(select(t.c.version).where(t.c.year == year)).scalar_one_or_none()
            if expected_version is not None and int(expected_version) != int(current or 0):
                raise AnnualReportConflict(year, int(expected_version), int(current or 0))
            if current is None:
                s.execute(insert(t).values(year=year, content=text, version=1, updated_at=_now()))
                return 1
            s.execute(update(t).where(t.c.year == year).values(content=text, version=t.c.version + 1,
                                                               updated_at=_now()))
            return int(current) + 1

    def import_files(self, data_dir: Path) -> AnnualImport:
        return import_files(self._write, data_dir)


def import_files(write: Any, data_dir: Path) -> AnnualImport:
    """Take ``data_dir/annual-reports/YEAR.json`` (the files of an earlier NoticeDesk) into the ledger.

    A file is read with the checks of ``store.load`` (its year is the file name's, as the earlier program
    read it). A year the ledger does not hold is stored; a year it holds with the same figures counts as
    taken in; a year it holds with other figures is left alone. Every file taken in is then moved to
    ``annual-reports/已导入/`` (never deleted: the clerk keeps it, and it is not read twice). A file that
    cannot be read, or whose year the ledger holds differently, stays where it is with a logged warning and
    is reported in ``AnnualImport.left``. Never raises for a file; LedgerError only for the ledger itself."""
    result = AnnualImport()
    for year, path in store.legacy_files(data_dir):
        try:
            report = store.load(path)
        except ReportFormatError as exc:
            _leave(result, path, f"无法读取，未导入台账（{exc}）")
            continue
        report.year = year
        try:
            text = _text(report)
        except ReportFormatError as exc:
            _leave(result, path, f"无法导入台账（{exc}）")
            continue
        t = AnnualReportRow.__table__
        with write.begin() as s:
            stored = s.execute(select(t.c.content).where(t.c.year == year)).scalar_one_or_none()
            if stored is None:
                s.execute(insert(t).values(year=year, content=text, version=1, updated_at=_file_time(path)))
            elif not _same(stored, text):
                _leave(result, path, f"台账中已有{year}年的年度报告，内容与这个文件不同，文件未导入。"
                                     "如需使用文件中的内容，请在年度报告窗口中用“打开已存的报告数据…”打开它。")
                continue
        result.imported.append((year, _move_aside(path)))
        _log.info("annual report %s taken into the ledger from %s", year, path)
    return result


def _same(stored: str, text: str) -> bool:
    try:
        return bool(json.loads(stored) == json.loads(text))
    except ValueError:
        return False


def _file_time(path: Path) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except (OSError, ValueError, OverflowError):
        return _now()


def _leave(result: AnnualImport, path: Path, why: str) -> None:
    _log.warning("annual-report file left in place: %s: %s", path, why)
    result.left.append((path, why))


def _move_aside(path: Path) -> Path:
    """Move a file taken in to ``annual-reports/已导入/`` (``2024~2.json`` … when the name is taken); the file's
    own path when it cannot be moved (logged; the next import finds the year stored and tries again)."""
    folder = path.parent / IMPORTED_FOLDER
    try:
        folder.mkdir(exist_ok=True)
        dest, n = folder / path.name, 1
        while dest.exists():
            n += 1
            dest = folder / f"{path.stem}~{n}{path.suffix}"
        os.replace(path, dest)
        return dest
    except FileNotFoundError:  # another window took it in at the same moment
        return path
    except OSError:
        _log.warning("could not move %s into %s", path, folder, exc_info=True)
        return path


__all__ = ["IMPORTED_FOLDER", "AnnualImport", "AnnualReportConflict", "AnnualReports", "StoredAnnualReport",
           "import_files"]
