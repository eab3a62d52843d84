"""Responsible units: split printed name lists, read attributions, mark collective names.

Handles ``(牵头单位:…;责任单位:…)``, ``(X牵头,Y配合)``, ``(X按职责分工分别牵头落实)``, ``(X负责落实)``,
labelled lines and table cells; names are split on 、，,；; with ``等县级部门`` style tails
dropped, two names run together are split where a new 县/市/区… unit starts, and names are
mapped to a unit directory (full name, aliases) when one is given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .deadlines import find_deadline

UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|院|府|中心|部|厅|室|处|所|站|队|会|社|馆|行|司|集团|镇|乡|街道|办事处|单位|部门|机关|机构|政府|"
    r"银行|协会|学校|医院|园区|开发区|新区|片区|村|社区|科|股|团|组|联|台|厂|场|署|办公室|党委|党组|支部|工委|"
    r"管委会|委员会|领导小组|指挥部|公司|企业|事业单位|媒体|平台)$"
)
_TAIL_PAREN = re.compile(r"[（(][^（）()]{1,12}[)）]$")
# "(A、B负责)" after "列第一位者为牵头单位" / "排在第一位的部门为牵头部门" (usually with 下同): order gives roles
CONVENTION = re.compile(r"[，,；;]?\s*(?:各项任务中|以下|下列|文中)?(?:列|排|排在|列在|位列)(?:第一位|首位|第一)的?(?:者|单位|部门)?"
                        r"(?:为|是)(?:牵头|主责|主办)(?:单位|部门)?(?:[，,；;]\s*(?:其他|其余)[^，,；;（）()]{0,12})?"
                        r"(?:[，,；;]?\s*下同)?")
# a trailing 按职责分工负责 / 负责 written onto the last name of a list
_DUTY_TAIL = re.compile(r"(?:按照?职责分工|根据职责分工|按职责|分别)?(?:负责|落实)+$")
_ETC_TAIL = re.compile(r"(?:等(?:县级|市级|区级|省级|省直|市直|县直|区直|有关|相关|其他|成员)?(?:部门和单位|单位和部门|部门|单位|机构)?(?:[（(]单位[)）])?)$")
_LEAD_WORDS = re.compile(r"(?:按职责分工|按照职责分工|根据职责分工|按职责|分别|共同|会同|联合|负责|牵头)+$")
_COLLECTIVE_START = re.compile(r"^(?:各|全|有关|相关|所有|其他|其它|涉及|县级|市级|区级|省级|乡级|镇级|县直|市直|区直|省直)")
_COLLECTIVE_ANY = re.compile(r"各|有关|相关|所属|下属")
_GENERIC = re.compile(r"^(?:乡镇|镇|乡|街道|村|社区|居委会|村委会|办事处|人民政府|政府|部门|单位|机关|企事业单位|"
                      r"[（(][^（）()]*[)）])+$")
_PLACE_PREFIX = "县市区省州盟旗"
_NO_UNIT = re.compile(r"^(?:无|/|／|—+|-+|－|暂无)$")
_SEP = "、，,；;\n"


def _top_level_split(text: str) -> list[str]:
    """Split on 、，,；; and line breaks outside brackets."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch in _SEP and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def is_unit_like(name: str) -> bool:
    """A plausible unit name: short, no sentence punctuation, ending like an organisation."""
    s = name.strip()
    if not 2 <= len(s) <= 40 or re.search(r"[。：:！？“”《》]|要|的|是", s):
        return False
    core = _TAIL_PAREN.sub("", s)
    return bool(UNIT_SUFFIX.search(core)) or bool(_COLLECTIVE_START.match(core))


def is_collective(name: str) -> bool:
    """各乡镇人民政府, 县级各部门, 各相关部门, 街道办事处 (after 各…): names that stand for many units."""
    s = _TAIL_PAREN.sub("", name.strip())
    return bool(_COLLECTIVE_START.match(s) or _COLLECTIVE_ANY.search(s) or _GENERIC.match(s))


def _split_run_together(name: str) -> list[str]:
    """"县文化广播电视和旅游局县国有资产监管和金融工作局" → two names, where a new 县/市/区… unit starts."""
    for i in range(3, len(name) - 3):
        if name[i] in _PLACE_PREFIX and UNIT_SUFFIX.search(name[:i]) and is_unit_like(name[i:]) \
                and is_unit_like(name[:i]) and name[i - 1] not in _PLACE_PREFIX:
            return [name[:i], *_split_run_together(name[i:])]
    return [name]


def split_names(text: str) -> list[str]:
    """Printed list of units → names, in order, without 等县级部门 tails and duplicates."""
    names: list[str] = []
    for raw in _top_level_split(text or ""):
        s = raw.strip(" \t　。.：:")
        s = re.sub(r"^(?:由|请|和|及|以及)", "", s)
        bare = s.startswith("等")
        s = _ETC_TAIL.sub("", s).strip()
        if len(s) > 2 and _DUTY_TAIL.search(s):
            s = _ETC_TAIL.sub("", _DUTY_TAIL.sub("", s)).strip()
        if not s or bare or _NO_UNIT.match(s):
            continue
        for part in _split_run_together(s):
            if part and part not in names:
                names.append(part)
    return names


@dataclass
class Attribution:
    lead: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    deadline: str | None = None
    explicit: bool = False  # roles given by words (牵头/配合, a 牵头单位: label), not by a plain list


_LABEL = re.compile(
    r"(牵头单位|牵头部门|牵头科室|牵头领导|主办单位|主责单位|责任单位|责任部门|责任科室|负责单位|负责部门|负责科室|配合单位|配合部门|"
    r"协办单位|协助单位|参与单位|落实单位|实施单位|责任主体|完成时限|完成时间|时限要求|时间要求|时限)\s*[:：]"
)
_LEAD_LABEL = ("牵头", "主办", "主责")
_DEADLINE_LABEL = ("完成时", "时限", "时间")
_COOP_TAIL = re.compile(r"(?:等(?:单位|部门)?)?(?:配合落实|配合实施|参与落实|共同落实|配合|参与|协助|协同|协办)$")
_DO_TAIL = re.compile(r"(?:按职责分工|按照职责分工|按职责)?(?:分别)?(?:牵头)?(?:负责)?(?:落实|实施|推进|完成)?$")


def _names_ok(names: list[str]) -> bool:
    return bool(names) and all(is_unit_like(n) for n in names)


def _labelled(text: str) -> Attribution | None:
    marks = list(_LABEL.finditer(text))
    if not marks:
        return None
    att = Attribution(explicit=True)
    for i, m in enumerate(marks):
        value = text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)].strip(" ；;，,。")
        label = m.group(1)
        if label.startswith(_DEADLINE_LABEL):
            att.deadline = att.deadline or value or None
        elif label == "牵头领导":
            continue
        elif label.startswith(_LEAD_LABEL):
            att.lead += [n for n in split_names(value) if n not in att.lead]
        else:
            att.units += [n for n in split_names(value) if n not in att.units]
    return att


def _take_deadline(text: str) -> tuple[str, str | None]:
    """Remove a clause that states a deadline (…，2023年6月底前完成) and return it separately."""
    parts = re.split(r"([，,；;])", text)
    keep, deadline = [], None
    for part in parts:
        d = find_deadline(part)
        if d and is_unit_like(part.strip()) and re.sub(r"\s", "", part) != re.sub(r"\s", "", d):
            d = None  # a unit name that merely contains a date-like word; a bare "全年" is a deadline
        if d and deadline is None and len(re.sub(r"[\s完成前底]", "", part)) <= len(d) + 6:
            deadline = d
            continue
        keep.append(part)
    return "".join(keep).strip(" ，,；;"), deadline


def parse_attribution(text: str, *, plain_list: bool = False) -> Attribution | None:
    """Read one attribution (the inside of a bracket, a labelled line or a units cell); None if it is not one.

    ``plain_list`` accepts a bare list of unit names (as in a 责任单位 column) as responsible units.
    """
    s = CONVENTION.sub("", text.strip()).strip().strip("。，,；;")
    if not s:
        return None
    if att := _labelled(s):
        return att
    s, deadline = _take_deadline(s)
    if "牵头" in s:
        head, _, tail = s.partition("牵头")
        lead = split_names(_LEAD_WORDS.sub("", head))
        tail = re.sub(r"^(?:负责|落实|实施|推进|[，,、；;])+", "", tail)
        tail = _COOP_TAIL.sub("", tail) if _COOP_TAIL.search(tail) else _DO_TAIL.sub("", tail)
        units = split_names(tail)
        if _names_ok(lead) and (not units or _names_ok(units)):
            return Attribution(lead, units, deadline, explicit=True)
        return None
    if re.search(r"[，,；;]", s) and (att := _clauses(s, deadline)):
        return att
    if _COOP_TAIL.search(s):
        units = split_names(_COOP_TAIL.sub("", s))
        return Attribution([], units, deadline, explicit=True) if _names_ok(units) else None
    m = re.search(r"(?:按职责分工|按照职责分工|按职责)?(?:分别)?负责(?:落实|实施|推进|完成)?$", s)
    if m:
        lead = split_names(s[:m.start()])
        return Attribution(lead, [], deadline) if _names_ok(lead) else None
    if plain_list or deadline:
        units = split_names(s)
        if _names_ok(units):
            return Attribution([], units, deadline)
        if not units and deadline:
            return Attribution([], [], deadline)
    return None


_TAKE_PART = re.compile(r"(?:落实|实施|推进|参与|配合|协助)$")


def _clauses(s: str, deadline: str | None) -> Attribution | None:
    """``A、B负责，C落实`` (or ``…，C参与``): an attribution in clauses — the first names who is
    responsible, each later clause a list of names closed by 落实/参与/配合, who carries it out."""
    parts = [p.strip() for p in re.split(r"[，,；;]", s) if p.strip()]
    if len(parts) < 2:
        return None
    first = parse_attribution(parts[0])
    if first is None or not (first.lead or first.units):
        return None
    att = Attribution(list(first.lead), list(first.units), deadline or first.deadline, first.explicit)
    for part in parts[1:]:
        if not _TAKE_PART.search(part):
            return None
        names = split_names(_TAKE_PART.sub("", part))
        if not _names_ok(names):
            return None
        att.units += [n for n in names if n not in att.units and n not in att.lead]
    att.explicit = True  # the clauses say who does what
    return att


class UnitDirectory:
    """Maps printed names and aliases to the directory's full names."""

    def __init__(self, entries):
        self._full: dict[str, str] = {}
        for full, aliases in entries or []:
            for name in (full, *(aliases or [])):
                if name:
                    self._full[self.key(name)] = full

    @staticmethod
    def key(name: str) -> str:
        return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")

    def __bool__(self) -> bool:
        return bool(self._full)

    def resolve(self, name: str) -> list[str]:
        """Full names for a printed name: itself mapped, or split into known names when run together."""
        k = self.key(name)
        if k in self._full:
            return [self._full[k]]
        for i in range(2, len(k) - 1):
            if k[:i] in self._full:
                rest = self.resolve(k[i:])
                if all(self.key(r) in self._full.values() or self.key(r) in self._full for r in rest):
                    return [self._full[k[:i]], *rest]
        return [name]

    def known(self, name: str) -> bool:
        return self.key(name) in self._full


def resolve_all(names: list[str], directory: UnitDirectory | None) -> list[str]:
    """Map names through the directory (when given), keeping order and dropping duplicates."""
    out: list[str] = []
    for n in names:
        for r in directory.resolve(n) if directory else [n]:
            if r not in out:
                out.append(r)
    return out
