"""Two notices side by side (last year's and this year's): tasks matched by their words, then new, dropped, changed.

The rows compared are the table's work rows (``Tree.work_rows``). A task's key is its title and text with
years, numbers, 序号, spaces and punctuation taken out; equal keys pair first, then the most similar
remaining pairs (difflib ratio ≥ ``THRESHOLD``), best first. A pair is "changed" when its title, text,
units (in force: ``tracking.rules``) or deadline differ once years are ignored; ``fields`` names which.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from desktop.documents.model import Tree, clean
from desktop.domain import TaskRow, section_text

THRESHOLD = 0.6
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年?|[〇零一二三四五六七八九]{4}年")
_NOISE = re.compile(r"[\s\d（）()【】\[\]、，。；：:;,.!！?？“”\"'《》<>—\-－·…]+")
_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])")
FIELD_LABELS = {"title": "任务名称", "text": "具体内容", "lead": "牵头单位", "units": "责任单位", "deadline": "完成时限",
                "section": "所属部分"}


def normalise(text: str) -> str:
    t = _NUMBER.sub("", clean(text))
    return _NOISE.sub("", _YEAR.sub("", t))


@dataclass
class Side:
    """One task of one notice, as compared."""

    row: TaskRow
    section: str
    values: dict[str, str]
    key: str


@dataclass
class Pair:
    """``kind``: same | changed | new (only in the newer notice) | dropped (only in the older)."""

    kind: str
    old: Side | None = None
    new: Side | None = None
    fields: list[str] = field(default_factory=list)
    ratio: float = 1.0


def _sides(rows: list[TaskRow]) -> list[Side]:
    tree = Tree(rows)
    out = []
    for r in tree.work_rows():
        group = tree.group_of(r)
        title = clean((group or r).title) if group else clean(r.title)
        text = clean(r.text) or clean(r.title)
        values = {"title": title, "text": text, "lead": "、".join(tree.lead(r)), "units": "、".join(tree.responsible(r)),
                  "deadline": tree.deadline(r),
                  "section": section_text(clean(s.title) for s in tree.sections_above(r)) or ""}
        out.append(Side(r, values["section"], values, normalise(f"{title}{text}")))
    return out


def _differs(a: str, b: str, name: str) -> bool:
    if name in ("lead", "units"):
        return set(filter(None, a.split("、"))) != set(filter(None, b.split("、")))
    return _YEAR.sub("", a).strip() != _YEAR.sub("", b).strip()


def compare_notices(old_rows: list[TaskRow], new_rows: list[TaskRow]) -> list[Pair]:
    """The pairs in the newer notice's order, each dropped task after the task that preceded it."""
    old, new = _sides(old_rows), _sides(new_rows)
    match: dict[int, tuple[int, float]] = {}  # new index → (old index, ratio)
    free_old = set(range(len(old)))
    by_key: dict[str, list[int]] = {}
    for i, s in enumerate(old):
        by_key.setdefault(s.key, []).append(i)
    for j, s in enumerate(new):
        cands = [i for i in by_key.get(s.key, []) if i in free_old]
        if cands:
            match[j] = (cands[0], 1.0)
            free_old.discard(cands[0])
    scored = []
    for j, s in enumerate(new):
        if j in match:
            continue
        sm = difflib.SequenceMatcher(None, "", s.key, autojunk=False)  # b (cached) = the new task
        for i in free_old:
            sm.set_seq1(old[i].key)
            if sm.real_quick_ratio() >= THRESHOLD and sm.quick_ratio() >= THRESHOLD:
                r = sm.ratio()
                if r >= THRESHOLD:
                    scored.append((r, -j, -i, j, i))
    for r, _, _, j, i in sorted(scored, reverse=True):
        if j not in match and i in free_old:
            match[j] = (i, r)
            free_old.discard(i)
    pairs: list[Pair] = []
    placed_old: set[int] = set()

    def drop_until(limit: int) -> None:
        for i in range(limit):
            if i in free_old and i not in placed_old:
                placed_old.add(i)
                pairs.append(Pair("dropped", old=old[i]))

    for j, s in enumerate(new):
        if j in match:
            i, ratio = match[j]
            drop_until(i)
            fields = [k for k in FIELD_LABELS if _differs(old[i].values[k], s.values[k], k)]
            pairs.append(Pair("changed" if fields else "same", old[i], s, fields, ratio))
        else:
            pairs.append(Pair("new", new=s, ratio=0.0))
    drop_until(len(old))
    return pairs


def counts(pairs: list[Pair]) -> dict[str, int]:
    out = {"same": 0, "changed": 0, "new": 0, "dropped": 0}
    for p in pairs:
        out[p.kind] += 1
    return out
