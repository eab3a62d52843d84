"""What one table cell looks like, read from the cell alone: the evidence the table reader builds on.

A cell is one of:
  * ``SEQ``      a running number standing alone (``1``, ``12``, ``3.``, ``五``);
  * ``DEADLINE`` a 完成时限: a date or period with at most a few words (``12月底前``, ``全年``,
    ``持续推进``, ``9月投入使用``), or ``YEAR`` — a year alone, the first half of a wrapped deadline;
  * ``UNITS``    a list of organisations (``县水务局``, ``财政所、便民综合服务中心、土管所等``,
    ``办公室牵头,各科室配合``, ``市发改委牵头落实``), or ``NONE`` — 无 / / / — standing for no unit;
  * ``HEADING``  a short numbered heading without a full stop (``一、深化主动公开``);
  * ``TEXT``     anything else that has words; ``EMPTY`` when blank.

Nothing here knows a header label: a column's role is read from its cells (``columns``) and a
flattened table's rows from the order in which these kinds come (``grid``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .deadlines import is_deadline_cell
from .patterns import match_enum
from .units import is_unit_like, parse_attribution

SEQ, DEADLINE, YEAR, UNITS, NONE, HEADING, TEXT, EMPTY = (
    "seq", "deadline", "year", "units", "none", "heading", "text", "empty")

_SEQ = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[.、．]?$")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年度?$")
# a month followed by a short event: 9月投入使用, 6月开工, 10月完成验收
_MONTH_EVENT = re.compile(r"^(?:(?:19|20)\d{2}\s*年)?\s*(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月(?:底|末|份|中旬|上旬|下旬)?"
                          r"(?:前|之前|以前)?[\u4e00-\u9fff]{0,6}$")
_ATTRIBUTION_WORD = re.compile(r"牵头|负责|配合|落实|参与|协助")
NO_UNIT = re.compile(r"^(?:无|/|／|—+|-+|－|\\|暂无)$")


@lru_cache(maxsize=4096)
def kind(cell: str) -> str:
    """The kind of one cell (module docstring)."""
    s = re.sub(r"\s+", "", cell or "")
    if not s:
        return EMPTY
    if _SEQ.match(s):
        return SEQ
    if _YEAR_ONLY.match(s):
        return YEAR
    if NO_UNIT.match(s):
        return NONE
    if is_deadline_cell(s) or _MONTH_EVENT.match(s):
        return DEADLINE
    if is_units_cell(cell):
        return UNITS
    e = match_enum(s)
    if e and e.style in ("cn", "pcn") and len(s) <= 40 and "。" not in s.rstrip("。"):
        return HEADING
    return TEXT


def is_units_cell(cell: str) -> bool:
    """A cell that names organisations only (a 责任单位 cell), with or without 牵头/配合 words."""
    s = cell.strip()
    if not s or len(s) > 300 or "。" in s.rstrip("。"):
        return False
    if s.endswith("。") and not _ATTRIBUTION_WORD.search(s):
        return False  # a sentence: names of units are not closed by a full stop
    att = parse_attribution(s, plain_list=True)
    return bool(att and (att.units or att.lead))


def unit_share(cells: list[str]) -> float:
    """How many of the names printed in ``cells`` look like organisations (0..1)."""
    names = [n for c in cells for n in re.split(r"[、，,；;\n]", c) if n.strip()]
    return sum(is_unit_like(n) for n in names) / len(names) if names else 0.0
