"""The live checks of an annual report: plain Chinese messages, each pointing at a cell or a section.

Rules (annual-report.md, T3/T4 ``checks``, and issue 7):

* ``balance`` — 表三, every column (总计 too): 一 + 二 = 三（七）总计 + 四 (blank counts as 0; a column whose
  four cells are all blank is not checked). Points at the column's （七）总计 cell. The 总计 column is
  reported only when no applicant column is (its imbalance is theirs added up).
* ``total`` — a total stated in an imported file that differs from the sum of its parts (表三 （七）总计
  row and 总计 column, 表四 总计). The report itself always shows the computed sum.
* ``value`` — a value that is negative, or not whole (except 表二's 万元 amount, which may have decimals).
* ``blank`` — blank cells, one message per table (blank is not 0: 没有发生的事项填 0).
* ``jump`` — with last year's report: a value more than 3× last year's, or less than a third of it (both
  above 0), for a second look.
* ``carry`` — with last year's report: 表三 「二、上年结转」 differs from last year's 「四、结转下年度继续办理」.
* ``same_text`` — with last year's report: a text section unchanged (or ≥ 90 % the same) from last year.
* ``organ`` / ``empty_text`` / ``placeholder`` — the organ's name (the title needs it), a text section not
  filled in, or one that still holds a draft's 【请补充…】.

Export refuses nothing: the caller lists ``check(report, last_year)`` before writing.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from desktop.annual.grids import format_value
from desktop.annual.labels import SECTION_BY_NO, T3_COL_KEYS, TABLES, TEXT_SECTIONS
from desktop.annual.model import AnnualReport, Value

JUMP_FACTOR = 3
PLACEHOLDER = re.compile(r"【[^】]*】")  # what a draft leaves for the clerk to fill in
SIMILAR_RATIO = 0.9


@dataclass(frozen=True)
class Problem:
    """One open problem. ``table``/``row``/``col`` name a cell (keys), ``section`` a text section ("一")."""

    kind: str
    message: str
    table: str | None = None
    row: str | None = None
    col: str | None = None
    section: str | None = None

    @property
    def cell(self) -> tuple[str, str, str] | None:
        return (self.table, self.row, self.col) if self.table and self.row and self.col else None


def where(table: str, row: str, col: str) -> str:
    """表三“一、本年新收政府信息公开申请数量”行“自然人”列."""
    spec = TABLES[table]
    return f"{spec.name}“{spec.row(row).label}”行“{spec.col_labels[col]}”列"


def _n(v: Value) -> str:
    return "空白" if v is None else format_value(v)


def _balance(report: AnnualReport) -> list[Problem]:
    t3 = report.tables["T3"]
    out: list[Problem] = []
    for col in T3_COL_KEYS:
        a, b = t3.get("new_received", col), t3.get("carried_in", col)
        p, o = t3.get("total_processed", col), t3.get("carried_out", col)
        if a is None and b is None and p is None and o is None:
            continue
        left, right = (a or 0) + (b or 0), (p or 0) + (o or 0)
        if left == right or (col == "total" and out):
            continue
        label = TABLES["T3"].col_labels[col]
        out.append(Problem(
            "balance",
            f"表三“{label}”列不平衡：一、本年新收（{_n(a)}）加二、上年结转（{_n(b)}）为{format_value(left)}，"
            f"三、（七）总计（{_n(p)}）加四、结转下年度（{_n(o)}）为{format_value(right)}，"
            f"相差{format_value(abs(left - right))}。请核对这一列。",
            "T3", "total_processed", col))
    return out


def _stated(report: AnnualReport) -> list[Problem]:
    out = []
    for tid, t in report.tables.items():
        for (row, col), v in t.stated.items():
            w = t.get(row, col)
            if v != w:
                out.append(Problem(
                    "total", f"{where(tid, row, col)}：文件中填写的总计是{_n(v)}，各项相加为{_n(w)}。"
                             "总计已按各项相加填写，请核对各项是否漏填或填错。", tid, row, col))
    return out


def _values(report: AnnualReport) -> list[Problem]:
    out = []
    for tid, t in report.tables.items():
        for row, col in t.spec.input_cells():
            v = t.values.get((row, col))
            if v is None:
                continue
            if v < 0:
                out.append(Problem("value", f"{where(tid, row, col)}：{_n(v)}是负数，数量不能为负。", tid, row, col))
            elif isinstance(v, float) and not v.is_integer() and not t.spec.row(row).decimal:
                out.append(Problem("value", f"{where(tid, row, col)}：{_n(v)}不是整数，件数应为整数。", tid, row, col))
    return out


def _blanks(report: AnnualReport) -> list[Problem]:
    out = []
    for tid, t in report.tables.items():
        blank = [(r, c) for r, c in t.spec.input_cells() if t.values.get((r, c)) is None]
        if not blank:
            continue
        r, c = blank[0]
        name = t.spec.name
        if len(blank) == len(list(t.spec.input_cells())):
            msg = f"{name}（{t.spec.title}）尚未填写。没有发生的事项请填 0，空白表示未填。"
        else:
            msg = (f"{name}还有{len(blank)}个单元格空白，第一个是{where(tid, r, c)}。"
                   "没有发生的事项请填 0，空白表示未填。")
        out.append(Problem("blank", msg, tid, r, c))
    return out


def _jumps(report: AnnualReport, last: AnnualReport) -> list[Problem]:
    out = []
    for tid, t in report.tables.items():
        before = last.tables[tid]
        for row, col in t.spec.input_cells():
            v, w = t.values.get((row, col)), before.values.get((row, col))
            if v is None or w is None or v <= 0 or w <= 0:
                continue
            if v > JUMP_FACTOR * w:
                change = f"是上年（{_n(w)}）的{v / w:.1f}倍"
            elif v * JUMP_FACTOR < w:
                change = f"不到上年（{_n(w)}）的三分之一"
            else:
                continue
            out.append(Problem("jump", f"{where(tid, row, col)}：本年{_n(v)}，{change}，请再核对一次。", tid, row, col))
    return out


def _carry(report: AnnualReport, last: AnnualReport) -> list[Problem]:
    out = []
    t3, before = report.tables["T3"], last.tables["T3"]
    for col in T3_COL_KEYS:
        v, w = t3.get("carried_in", col), before.get("carried_out", col)
        if v is not None and w is not None and v != w and not (col == "total" and out):
            out.append(Problem(
                "carry", f"{where('T3', 'carried_in', col)}为{_n(v)}，上年报告的“四、结转下年度继续办理”为{_n(w)}，"
                         "两者应当一致，请核对。", "T3", "carried_in", col))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def similarity(a: str, b: str) -> float:
    """How much of two texts is the same (0–1), whitespace ignored."""
    a, b = _squash(a), _squash(b)
    if not a or not b:
        return 0.0
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def same_text(report: AnnualReport, last: AnnualReport) -> list[Problem]:
    """Sections whose text is unchanged (or nearly) from last year's report."""
    out = []
    for no in TEXT_SECTIONS:
        ratio = similarity(report.texts.get(no, ""), last.texts.get(no, ""))
        if ratio < SIMILAR_RATIO:
            continue
        name = f"第{no}部分“{SECTION_BY_NO[no].title}”"
        how = "与上年报告完全相同" if ratio == 1.0 else f"与上年报告约{int(ratio * 100)}%相同"
        out.append(Problem("same_text", f"{name}{how}。照搬上年内容在评议中会被指出，请按{report.year}年的实际情况改写。",
                           section=no))
    return out


def check(report: AnnualReport, last_year: AnnualReport | None = None) -> list[Problem]:
    """Every open problem of ``report`` (with ``last_year``'s report, the year-on-year checks too)."""
    out: list[Problem] = []
    if not report.organ.strip():
        out.append(Problem("organ", "请填写机关名称：报告标题为“机关名称＋年度＋政府信息公开工作年度报告”。"))
    for no in TEXT_SECTIONS:
        text = report.texts.get(no, "")
        if not text.strip():
            out.append(Problem("empty_text", f"第{no}部分“{SECTION_BY_NO[no].title}”尚未填写。", section=no))
        elif PLACEHOLDER.search(text):
            first = PLACEHOLDER.search(text).group(0)
            out.append(Problem("placeholder", f"第{no}部分“{SECTION_BY_NO[no].title}”还有待补充的内容：{first[:40]}",
                               section=no))
    out += _balance(report) + _stated(report) + _values(report)
    if last_year is not None:
        out += _carry(report, last_year) + _jumps(report, last_year)
    out += _blanks(report)
    if last_year is not None:
        out += same_text(report, last_year)
    return out
