"""The annual report of one year as dataclasses, and its JSON (keys as in annual-report.md's outline).

A report has the organ's name, the year, the opening paragraph, the text of sections 一/五/六 and the values
of tables 二 (T2), 三 (T3) and 四 (T4). Table values are ``int``, ``float`` (the 万元 amount, or a wrong
entry the checks flag) or ``None`` (blank, which is not 0). Totals — T3's 总计 column and its 「（七）总计」
row, T4's three 总计 — are computed from their parts and never stored as typed; a total that an imported
file states differently is kept in ``TableData.stated`` so that the checks can point at it.

JSON (``to_json`` / ``from_json``)::

    {"format": "noticedesk.annual-report", "version": 1,
     "report": {"organ": "…", "year": 2024, "title": "…（derived, ignored on load）", "intro": "…",
                "sections": [{"no": "一", "title": "总体情况", "kind": "text", "text": "…"},
                             {"no": "二", "title": "主动公开政府信息情况", "kind": "table", "table_id": "T2"}, …]},
     "tables": {"T2": {"rules": {"issued": 1, "repealed": 0, "in_force": 12}, …, "fees": {"amount": 0.5}},
                "T3": {"new_received": {"natural_person": 3, …, "total": 4},
                       "denied": {"state_secret": {…}, …}, …, "carried_out": {…}},
                "T4": {"review": {"maintain": 0, …, "total": 0}, "direct": {…}, "after_review": {…}}}}

Row and column keys are the outline's (T3 ``denied.state_secret`` nests as ``"denied": {"state_secret": …}``);
T2 has no keys in the outline, so they are defined with the official labels (``desktop.annual.labels``, whose
specs name each row and column by key and label). On load the official Chinese labels are accepted in place
of any key, and a number written as a string ("12") is read as a number.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .labels import SECTIONS, T3_SUBGROUPS, TABLES, TEXT_SECTIONS, TableSpec

Value = int | float | None

FORMAT = "noticedesk.annual-report"
VERSION = 1
# The largest count or amount a cell takes: far above any organ's yearly figures, far below what would
# print as a 309-digit number. Larger values (in a file or typed) are refused.
MAX_VALUE = 999_999_999


class ReportFormatError(ValueError):
    """The JSON does not describe a report; the message is one Chinese sentence for the clerk."""


class ValueTooLarge(ValueError):
    """A number beyond ``MAX_VALUE``: not a plausible count or amount."""


def title_of(organ: str, year: int) -> str:
    """{机关名称}{年度}年政府信息公开工作年度报告."""
    return f"{organ.strip()}{year}年政府信息公开工作年度报告"


def default_intro(year: int) -> str:
    """The opening paragraph seen in most reports (practice; the 30号 text does not fix it)."""
    return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。本报告所列数据的统计期限为"
            f"{year}年1月1日至{year}年12月31日。")




def sum_or_blank(values: list[Value]) -> Value:
    """Sum of the filled values; blank when every one is blank (0 + blank = 0, blank + blank = blank)."""
    filled = [v for v in values if v is not None]
    if not filled:
        return None
    total = sum(filled)
    return int(total) if all(isinstance(v, int) for v in filled) else total


@dataclass
class TableData:
    """The values of one table: ``values`` holds the input cells only; totals are computed by ``get``."""

    spec: TableSpec
    values: dict[tuple[str, str], Value] = field(default_factory=dict)
    stated: dict[tuple[str, str], Value] = field(default_factory=dict)  # totals as an imported file gave them

    def get(self, row: str, col: str) -> Value:
        s = self.spec
        if col == s.total_col:
            parts = [c for c in s.row(row).cols if c != col]
            return sum_or_blank([self.get(row, c) for c in parts])
        if row == s.total_row:
            return sum_or_blank([self.values.get((r, col)) for r in s.part_rows])
        return self.values.get((row, col))

    def set(self, row: str, col: str, value: Value) -> None:
        """Set an input cell (a total raises ValueError); stated totals that depend on it are dropped."""
        s = self.spec
        if s.is_computed(row, col):
            raise ValueError(f"{s.name}的总计由各项相加得出，不能直接填写")
        s.row(row)  # KeyError for an unknown row
        if col not in s.row(row).cols:
            raise KeyError(col)
        self.values[(row, col)] = value
        for key in list(self.stated):
            r, c = key
            if r == row or c == col or (r == s.total_row and c == s.total_col):
                del self.stated[key]

    def clear(self) -> None:
        self.values.clear()
        self.stated.clear()

    def is_blank(self) -> bool:
        return all(v is None for v in self.values.values())


def _empty_tables() -> dict[str, TableData]:
    return {tid: TableData(spec) for tid, spec in TABLES.items()}


@dataclass
class AnnualReport:
    """The report of one year."""

    year: int
    organ: str = ""
    intro: str = ""
    texts: dict[str, str] = field(default_factory=lambda: {no: "" for no in TEXT_SECTIONS})
    tables: dict[str, TableData] = field(default_factory=_empty_tables)

    @classmethod
    def empty(cls, year: int, organ: str = "") -> AnnualReport:
        return cls(year, organ, default_intro(year))

    @property
    def title(self) -> str:
        return title_of(self.organ or "（机关名称）", self.year)

    def get(self, table: str, row: str, col: str) -> Value:
        return self.tables[table].get(row, col)

    def set(self, table: str, row: str, col: str, value: Value) -> None:
        self.tables[table].set(row, col, value)

    # ---- JSON ----------------------------------------------------------------------------------

    def to_json(self) -> dict:
        sections = []
        for s in SECTIONS:
            item: dict = {"no": s.no, "title": s.title, "kind": s.kind}
            if s.kind == "text":
                item["text"] = self.texts.get(s.no, "")
            else:
                item["table_id"] = s.table_id
            sections.append(item)
        return {
            "format": FORMAT, "version": VERSION,
            "report": {"organ": self.organ, "year": self.year, "title": title_of(self.organ, self.year),
                       "intro": self.intro, "sections": sections},
            "tables": {tid: _table_json(t) for tid, t in self.tables.items()},
        }

    @classmethod
    def from_json(cls, data: object) -> AnnualReport:
        if not isinstance(data, dict):
            raise ReportFormatError("文件内容不是年度报告数据（应为一个 JSON 对象）。请选择本软件保存的年度报告 .json 文件。")
        rep = data.get("report", data)
        if not isinstance(rep, dict):
            raise ReportFormatError("文件中的“report”部分格式不对，应为一个对象。")
        year = rep.get("year")
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year.strip())
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2999:
            raise ReportFormatError("文件中缺少有效的年度（report.year，例如 2024）。")
        out = cls(year, _text(rep.get("organ"), "report.organ"), _text(rep.get("intro"), "report.intro"))
        sections = rep.get("sections", [])
        if isinstance(sections, dict):  # {"一": "…"} is accepted too
            sections = [{"no": k, "text": v} for k, v in sections.items()]
        if not isinstance(sections, list):
            raise ReportFormatError("文件中的“sections”格式不对，应为列表。")
        for item in sections:
            if not isinstance(item, dict):
                raise ReportFormatError("文件中的“sections”每一项应为对象（含 no 和 text）。")
            no = item.get("no")
            if no in TEXT_SECTIONS and "text" in item:
                out.texts[no] = _text(item.get("text"), f"第{no}部分的 text")
        tables = data.get("tables", {})
        if not isinstance(tables, dict):
            raise ReportFormatError("文件中的“tables”格式不对，应为对象（T2、T3、T4）。")
        for tid, body in tables.items():
            if tid not in TABLES:
                raise ReportFormatError(f"文件中有未知的表格“{tid}”（只应有 T2、T3、T4）。")
            _load_table(out.tables[tid], body)
        return out


def _text(v: object, where: str) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise ReportFormatError(f"文件中 {where} 应为文字。")
    return v


def _nest(key: str, value: object, into: dict) -> None:
    head, _, rest = key.partition(".")
    if rest:
        _nest(rest, value, into.setdefault(head, {}))
    else:
        into[head] = value


def _table_json(t: TableData) -> dict:
    out: dict = {}
    for r in t.spec.rows:
        _nest(r.key, {c: t.get(r.key, c) for c in r.cols}, out)
    return out


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_value(v: object) -> Value:
    """A cell value from JSON or typed text: None/"" → blank; "12" → 12; "0.5" → 0.5. ValueError otherwise."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, int):
        if abs(v) > MAX_VALUE:
            raise ValueTooLarge(v)
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(v)
        if abs(v) > MAX_VALUE:
            raise ValueTooLarge(v)
        return int(v) if v.is_integer() else v
    if isinstance(v, str):
        s = v.strip().replace("，", "").replace(",", "").translate(_FULLWIDTH)
        if not s:
            return None
        if not _NUMBER.match(s):
            raise ValueError(v)
        if len(s.lstrip("+-").split(".")[0].lstrip("0")) > len(str(MAX_VALUE)):
            raise ValueTooLarge(v)
        return parse_value(int(s)) if re.fullmatch(r"[+-]?\d+", s) else parse_value(float(s))
    raise ValueError(v)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


def _flatten(body: dict, prefix: str = "") -> Iterator[tuple[str, dict]]:
    """(row key, {col: value}) of a table's JSON, nested keys joined with "."."""
    for k, v in body.items():
        if not isinstance(v, dict):
            raise ReportFormatError(f"表格数据“{prefix}{k}”格式不对，应为按列填写的对象。")
        if any(isinstance(x, dict) for x in v.values()):
            yield from _flatten(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


def _aliases(spec: TableSpec) -> dict[str, str]:
    """Row key by key, by official label, and (T3) by "group.label" in keys or labels."""
    out: dict[str, str] = {}
    for r in spec.rows:
        out[r.key] = r.key
        out.setdefault(r.label, r.key)
        out.setdefault(r.label.split(" ")[-1], r.key)
    for group, glabel, items in (T3_SUBGROUPS if spec.id == "T3" else ()):
        for k, label in items:
            for head in (group, glabel):
                out[f"{head}.{label}"] = out[f"{head}.{k}"] = f"{group}.{k}"
    return out


def _row_key(spec: TableSpec, key: str) -> str:
    """A row key, or the official label of a row, as the key."""
    return _aliases(spec).get(key, key)


def _load_table(t: TableData, body: object) -> None:
    spec = t.spec
    if not isinstance(body, dict):
        raise ReportFormatError(f"{spec.name}的数据格式不对，应为按行填写的对象。")
    for raw_row, cols in _flatten(body):
        row = _row_key(spec, raw_row)
        try:
            rs = spec.row(row)
        except KeyError:
            raise ReportFormatError(f"{spec.name}中没有“{raw_row}”这一行。请检查文件中的行名。") from None
        labels = {v: k for k, v in spec.col_labels.items()}
        for raw_col, raw in cols.items():
            col = raw_col if raw_col in rs.cols else labels.get(raw_col, raw_col)
            if col not in rs.cols:
                raise ReportFormatError(f"{spec.name}“{rs.label}”行中没有“{raw_col}”这一列。请检查文件中的列名。")
            try:
                value = parse_value(raw)
            except ValueTooLarge:
                raise ReportFormatError(f"{spec.name}“{rs.label}”行“{spec.col_labels[col]}”列的值太大（超过 {MAX_VALUE}），"
                                        "不是合理的件数或金额。文件可能被改坏，请检查后重试。") from None
            except ValueError:
                shown = str(raw)[:20] + ("…" if len(str(raw)) > 20 else "")
                raise ReportFormatError(f"{spec.name}“{rs.label}”行“{spec.col_labels[col]}”列的值“{shown}”不是数字。"
                                        "请填写数字，或留空。") from None
            if spec.is_computed(row, col):
                t.stated[(row, col)] = value
            else:
                t.values[(row, col)] = value
    # a stated total equal to the computed one says nothing
    for key in [k for k, v in t.stated.items() if v is None or v == t.get(*k)]:
        del t.stated[key]
