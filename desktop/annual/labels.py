"""The official form of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号): its six sections and the rows
and columns of tables 二/三/四, each with the key the report's JSON uses and the label the form prints.

Data, not behaviour: ``SECTIONS`` (一 … 六, text or table), the headings section 一 and 六 are written under
(``SUBSECTIONS_ONE``, ``SIX_PARTS``), and ``TABLES`` — a ``TableSpec`` per table with its ``RowSpec``s, column
labels and which row and column are computed totals. The building blocks (``T2_BLOCKS``, ``T3_COLS``,
``T3_SUBGROUPS`` …) are kept for the grids and the Word layout, which draw the form's merged headings from them.
T2 has no keys in the outline (annual-report.md), so its keys are defined here. ``desktop.annual.model``
holds the report's values and its JSON against these specs.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

# ---- sections -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSpec:
    no: str
    title: str
    kind: str  # text | table
    table_id: str | None = None


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("一", "总体情况", "text"),
    SectionSpec("二", "主动公开政府信息情况", "table", "T2"),
    SectionSpec("三", "收到和处理政府信息公开申请情况", "table", "T3"),
    SectionSpec("四", "政府信息公开行政复议、行政诉讼情况", "table", "T4"),
    SectionSpec("五", "存在的主要问题及改进情况", "text"),
    SectionSpec("六", "其他需要报告的事项", "text"),
)
TEXT_SECTIONS = tuple(s.no for s in SECTIONS if s.kind == "text")
SECTION_BY_NO = {s.no: s for s in SECTIONS}
SUBSECTIONS_ONE = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障")
SIX_PARTS = (
    "（一）收取信息处理费情况",
    "（二）人大代表建议和政协提案办理结果公开情况",
    "（三）年度政务公开工作要点落实情况",
    "（四）政务公开工作创新情况",
)


# ---- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # the label a message names ("（三）不予公开 1.属于国家秘密")
    cols: tuple[str, ...]
    computed: bool = False  # the whole row is a total (T3 （七）总计)
    decimal: bool = False  # values may have decimals (T2 万元)


@dataclass(frozen=True)
class TableSpec:
    id: str
    name: str  # 表二
    title: str
    rows: tuple[RowSpec, ...]
    col_labels: dict[str, str]
    total_col: str | None = None  # the computed column (sum of the other columns of its row)
    total_row: str | None = None  # the computed row (sum of ``part_rows``)
    part_rows: tuple[str, ...] = ()

    def row(self, key: str) -> RowSpec:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def is_computed(self, row: str, col: str) -> bool:
        return row == self.total_row or col == self.total_col

    def cells(self) -> Iterator[tuple[str, str]]:
        """Every (row, col) of the table, in reading order, totals included."""
        for r in self.rows:
            for c in r.cols:
                yield r.key, c

    def input_cells(self) -> Iterator[tuple[str, str]]:
        for r, c in self.cells():
            if not self.is_computed(r, c):
                yield r, c


T2_BLOCKS: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]], ...] = (
    # (heading, columns (key, label) after 信息内容, rows (key, label))
    ("第二十条第（一）项", (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
     (("rules", "规章"), ("normative", "行政规范性文件"))),
    ("第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("licensing", "行政许可"),)),
    ("第二十条第（六）项", (("decisions", "本年处理决定数量"),), (("punishment", "行政处罚"), ("enforcement", "行政强制"))),
    ("第二十条第（八）项", (("amount", "本年收费金额（单位：万元）"),), (("fees", "行政事业性收费"),)),
)
T2_ROWS = tuple(RowSpec(k, label, tuple(c for c, _ in cols), decimal=(k == "fees"))
                for _h, cols, rows in T2_BLOCKS for k, label in rows)

T3_COLS = (("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
           ("social", "社会公益组织"), ("legal", "法律服务机构"), ("other", "其他"), ("total", "总计"))
T3_COL_KEYS = tuple(k for k, _ in T3_COLS)
T3_CORNER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_GROUP = "三、本年度办理结果"
T3_SUBGROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("denied", "（三）不予公开", (
        ("state_secret", "1.属于国家秘密"), ("law_forbidden", "2.其他法律行政法规禁止公开"),
        ("three_safety", "3.危及“三安全一稳定”"), ("third_party", "4.保护第三方合法权益"),
        ("internal_affairs", "5.属于三类内部事务信息"), ("process_info", "6.属于四类过程性信息"),
        ("enforcement_file", "7.属于行政执法案卷"), ("admin_query", "8.属于行政查询事项"))),
    ("unable", "（四）无法提供", (
        ("not_held", "1.本机关不掌握相关政府信息"), ("need_creation", "2.没有现成信息需要另行制作"),
        ("unclear", "3.补正后申请内容仍不明确"))),
    ("not_processed", "（五）不予处理", (
        ("petition", "1.信访举报投诉类申请"), ("repeat", "2.重复申请"), ("publication", "3.要求提供公开出版物"),
        ("massive", "4.无正当理由大量反复申请"), ("confirm", "5.要求行政机关确认或重新出具已获取信息"))),
    ("other", "（六）其他处理", (
        ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "3.其他"))),
)
T3_TOP = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "total_processed": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}


def _t3_rows() -> tuple[RowSpec, ...]:
    rows = [RowSpec("new_received", T3_TOP["new_received"], T3_COL_KEYS),
            RowSpec("carried_in", T3_TOP["carried_in"], T3_COL_KEYS),
            RowSpec("granted", f"{T3_GROUP} {T3_TOP['granted']}", T3_COL_KEYS),
            RowSpec("partial", f"{T3_GROUP} （二）部分公开", T3_COL_KEYS)]
    for group, glabel, items in T3_SUBGROUPS:
        rows += [RowSpec(f"{group}.{k}", f"{glabel} {label}", T3_COL_KEYS) for k, label in items]
    rows.append(RowSpec("total_processed", f"{T3_GROUP} {T3_TOP['total_processed']}", T3_COL_KEYS, computed=True))
    rows.append(RowSpec("carried_out", T3_TOP["carried_out"], T3_COL_KEYS))
    return tuple(rows)


T3_ROWS = _t3_rows()
T3_PARTS = tuple(r.key for r in T3_ROWS if r.key not in ("new_received", "carried_in", "total_processed",
                                                          "carried_out"))

T4_COLS = (("maintain", "结果维持"), ("correct", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
           ("total", "总计"))
T4_ROWS = (RowSpec("review", "行政复议", tuple(k for k, _ in T4_COLS)),
           RowSpec("direct", "行政诉讼 未经复议直接起诉", tuple(k for k, _ in T4_COLS)),
           RowSpec("after_review", "行政诉讼 复议后起诉", tuple(k for k, _ in T4_COLS)))

TABLES: dict[str, TableSpec] = {
    "T2": TableSpec("T2", "表二", "主动公开政府信息情况", T2_ROWS,
                    {k: v for _h, cols, _r in T2_BLOCKS for k, v in cols}),
    "T3": TableSpec("T3", "表三", "收到和处理政府信息公开申请情况", T3_ROWS, dict(T3_COLS),
                    total_col="total", total_row="total_processed", part_rows=T3_PARTS),
    "T4": TableSpec("T4", "表四", "政府信息公开行政复议、行政诉讼情况", T4_ROWS, dict(T4_COLS), total_col="total"),
}
