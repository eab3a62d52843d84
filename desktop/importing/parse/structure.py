"""Prose notices: numbered items (一、 (一) 1. (1) ①) become tasks, split at their attributions.

Levels follow the order in which numbering styles first appear.  Items without sub-items are
tasks; the others only group them (their headings make up ``section``).  Inside an item, each
parenthetical attribution — or a labelled 牵头单位/责任单位 line — closes the text before it; text
after the last attribution becomes a task of its own without units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.domain import section_text

from ..model import ParsedTask
from .deadlines import find_deadline
from .layout import Layout, Para
from .metadata import Meta
from .patterns import INLINE_ORDINAL, Enum, first_clause, match_enum
from .units import CONVENTION, Attribution, parse_attribution

PAREN = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[)）])*)[)）]")
LABEL_LINE = re.compile(
    r"^\s*(?:牵头单位|牵头部门|责任单位|责任部门|责任科室|配合单位|配合部门|协办单位|参与单位|落实单位|完成时限|时限要求|完成时间)"
    r"\s*[:：]")
_INLINE_LABEL = re.compile(r"(?<=[。；;])\s*(?:牵头单位|牵头部门|责任单位|责任部门|责任科室|完成时限)\s*[:：]")
_CLOSING = re.compile(r"^(?:各\S{0,24}(?:要|务必|请)|请各|以上|本(?:通知|方案|意见|要点|安排)|望各|特此通知|此通知)")
_STRIP = " \t\n，,。；;、"


@dataclass
class Node:
    enum: Enum | None
    level: int
    parent: Node | None = None
    paras: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


@dataclass
class _Att:
    start: int
    end: int
    att: Attribution


def heading_of(text: str) -> tuple[str, str] | None:
    """(heading, rest) when ``text`` opens with a short heading sentence."""
    s = text.strip()
    m = re.match(r"^([^\n]{2,40}?)[。：:](.*)$", s, re.S)
    if m:
        head = m.group(1)
        if not re.search(r"[；;]", head) and not PAREN.search(head) and (len(head) <= 30 or not re.search(r"[，,]", head)):
            return head.strip(), m.group(2).strip()
    if "\n" in s:
        first, rest = s.split("\n", 1)
        if len(first) <= 40 and not re.search(r"[。；;]", first):
            return first.strip().rstrip("。"), rest.strip()
    return None


def build_tree(paras: list[Para], meta: Meta) -> Node:
    root = Node(None, 0)
    styles: list[str] = []
    path: list[Node] = [root]
    current: Node | None = None
    body = [(i, p) for i, p in enumerate(paras) if i >= meta.body_start and i not in meta.skip and p.text.strip()]
    last_enum = max((k for k, (_, p) in enumerate(body) if match_enum(p.text)), default=-1)
    for k, (_, p) in enumerate(body):
        e = match_enum(p.text)
        if e and len(p.text.strip()) > len(e.label):
            if e.style in styles:
                level = styles.index(e.style) + 1
                del styles[level:]
            else:
                styles.append(e.style)
                level = len(styles)
            parent = path[min(level - 1, len(path) - 1)]
            node = Node(e, parent.level + 1, parent, [p])
            parent.children.append(node)
            path = path[:node.level] + [node]
            current = node
        elif current is not None:
            if k > last_enum and _CLOSING.match(p.text.strip()) and not _names_units(p.text):
                break
            current.paras.append(p)
    return root


def _names_units(text: str) -> bool:
    """The paragraph carries an attribution in brackets (a closing paragraph that assigns work)."""
    return any((a := parse_attribution(m.group(1))) and (a.lead or a.units) for m in PAREN.finditer(text))


def _leaves(node: Node):
    for child in node.children:
        if child.children:
            yield from _leaves(child)
        else:
            yield child


def _attributions(text: str, base: int, paras: list[Para]) -> tuple[list[_Att], list[tuple[int, str]]]:
    """Attributions in an item's text (offsets relative to it) and deadline-only brackets."""
    found: list[_Att] = []
    deadlines: list[tuple[int, str]] = []
    for m in PAREN.finditer(text):
        att = parse_attribution(m.group(1))
        if att and (att.lead or att.units):
            found.append(_Att(m.start(), m.end(), att))
        elif att and att.deadline:
            deadlines.append((m.start(), att.deadline))
    for p in paras[1:]:
        if LABEL_LINE.match(p.text):
            att = parse_attribution(p.text)
            if att:
                found.append(_Att(p.start - base, p.end - base, att))
    for p in paras:
        for m in _INLINE_LABEL.finditer(p.text):
            s, e = p.start - base + m.start(), p.end - base
            if not any(a.start <= s < a.end for a in found) and (att := parse_attribution(p.text[m.start():])):
                found.append(_Att(s, e, att))
            break
    found.sort(key=lambda a: a.start)
    merged: list[_Att] = []
    for a in found:
        if merged and a.start < merged[-1].end:
            continue
        if merged and not text[merged[-1].end:a.start].strip(_STRIP + "\n"):
            last = merged[-1]
            last.att.lead += [n for n in a.att.lead if n not in last.att.lead]
            last.att.units += [n for n in a.att.units if n not in last.att.units]
            last.att.deadline = last.att.deadline or a.att.deadline
            last.end = a.end
            continue
        merged.append(a)
    return merged, deadlines


def _trailing_deadline(span: str) -> str | None:
    sentences = [s for s in re.split(r"[。；;\n]", span) if s.strip()]
    if not sentences:
        return None
    last = sentences[-1].strip()
    d = find_deadline(last)
    return d if d and len(last) - len(d) <= 6 else None


def _clean_heading(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip().rstrip("。：:")


def section_label(node: Node) -> str:
    text = node.paras[0].text
    rest = text[node.enum.end:] if node.enum else text
    h = heading_of(rest)
    head = h[0] if h else first_clause(rest) if len(rest) > 40 else rest
    return _clean_heading(f"{node.enum.label if node.enum else ''}{head}")


def _inherited(node: Node, cache: dict) -> Attribution | None:
    """The attribution printed in an enclosing item's own text, for items that print none."""
    p = node.parent
    while p is not None and p.enum is not None:
        if id(p) not in cache:
            atts = [parse_attribution(m.group(1)) for m in PAREN.finditer(" ".join(x.text for x in p.paras))]
            cache[id(p)] = next((a for a in atts if a and (a.lead or a.units)), None)
        if cache[id(p)]:
            return cache[id(p)]
        p = p.parent
    return None


def by_order(att: Attribution) -> Attribution:
    """The convention 列第一位者为牵头单位: of a plain list, the first name leads, the rest take part."""
    if att.explicit:
        return att
    names = att.lead + [n for n in att.units if n not in att.lead]
    return Attribution(names[:1], names[1:], att.deadline)


def tasks_from_prose(layout: Layout, paras: list[Para], meta: Meta) -> list[ParsedTask]:
    """One task per numbered leaf item, split at its attributions (module docstring). Where the notice
    states once that the first unit listed leads (``units.CONVENTION``), every plain list of units
    from that sentence on is read by order."""
    root = build_tree(paras, meta)
    conv = CONVENTION.search(layout.text)
    conv_at = conv.start() if conv else None
    tasks: list[ParsedTask] = []
    tops: list[int] = []  # the top-level item each task sits under
    cache: dict = {}
    for leaf in _leaves(root):
        top = leaf
        while top.parent is not None and top.parent.enum is not None:
            top = top.parent
        base = leaf.paras[0].start
        end = leaf.paras[-1].end
        text = layout.text[base:end]
        atts, bracket_deadlines = _attributions(text, base, leaf.paras)
        if conv_at is not None:
            for a in atts:
                if base + a.end > conv_at:
                    a.att = by_order(a.att)
        ancestors = []
        p = leaf.parent
        while p is not None and p.enum is not None:
            ancestors.insert(0, section_label(p))
            p = p.parent
        prev = leaf.enum.end if leaf.enum else 0
        spans: list[tuple[int, int, int, Attribution | None]] = []  # text start, text end, span end
        for a in atts:
            if text[prev:a.start].strip(_STRIP):
                spans.append((prev, a.start, a.end, a.att))
            elif spans:
                s0, s1, _, att = spans[-1]
                spans[-1] = (s0, s1, a.end, att)
            prev = a.end
        tail = text[prev:]
        if not atts or len(re.sub(r"[\s，,。；;、：:（）()]", "", tail)) >= 4:
            spans.append((prev, len(text), len(text), None))
        inherited = _inherited(leaf, cache)
        for n, (s0, s1, s_end, att) in enumerate(spans):
            body = text[s0:s1]
            if n == 0:
                h = heading_of(body)
                if h:
                    title, rest = h
                    section = section_text([*ancestors, _clean_heading(f"{leaf.enum.label}{title}")])
                    body_text = rest or title
                else:
                    title, body_text = first_clause(body), body.strip()
                    section = section_text(ancestors)
            else:
                body_text = body.strip(_STRIP)
                title = first_clause(INLINE_ORDINAL.sub("", body_text, count=1))
                section = tasks[-1].section if tasks else None
            own = att
            att = att or (inherited if not atts else None)
            deadline = att.deadline if att and att.deadline else None
            if deadline is None:
                deadline = next((d for pos, d in bracket_deadlines if s0 <= pos < s1), None) or _trailing_deadline(body)
            evidence, confidence = _why(leaf, n, own, att, conv_at is not None and base + s_end > conv_at, deadline)
            tasks.append(ParsedTask(
                level=leaf.level, number=leaf.enum.label if n == 0 and leaf.enum else None,
                section=section or None, title=_clean_heading(title), text=body_text.strip(),
                lead_units=list(att.lead) if att else [], units=list(att.units) if att else [],
                deadline=deadline, source_span=(base + (0 if n == 0 else s0), base + s_end),
                confidence=confidence, evidence=evidence))
            tops.append(id(top))
    return tasks, tops


def _why(leaf: Node, n: int, own: Attribution | None, att: Attribution | None, ordered: bool,
         deadline: str | None) -> tuple[list[str], float]:
    """Evidence of a prose task: its item, where its units and deadline came from."""
    label = leaf.enum.label if leaf.enum else ""
    ev = [f"正文条目{label}" + (f"的第 {n + 1} 段（以括号内的责任单位分段）" if n else "")]
    conf = 1.0
    if own is not None and (own.lead or own.units):
        ev.append("单位取自条目内的标注（括号或“牵头单位：”行）")
        if ordered and not own.explicit:
            ev.append("按通知中“列第一位者为牵头单位”的约定，第一个单位为牵头单位")
    elif att is not None and (att.lead or att.units):
        ev.append("本条没有写单位，沿用上级条目的责任单位")
        conf -= 0.1
    else:
        ev.append("没有写明责任单位")
        conf -= 0.2
    if deadline:
        ev.append(f"完成时限“{deadline}”取自条目文字")
    return ev, conf


def framing(tasks: list[ParsedTask], tops: list[int]) -> set[int]:
    """Indexes of tasks in framing sections: where most measures carry attributions, the top-level
    sections before the first and after the last section that names any unit (指导思想, 基本原则,
    发展目标 up front; 组织实施 at the end) set the frame and are not tasks. A framing section that
    names units is a task like any other; a notice whose tasks mostly name no unit keeps them all."""
    if not tasks or sum(1 for t in tasks if t.lead_units or t.units) < 0.5 * len(tasks):
        return set()
    named = [k for k, t in enumerate(tasks) if t.lead_units or t.units]
    first_top, last_top = tops[named[0]], tops[named[-1]]
    order = list(dict.fromkeys(tops))
    lo, hi = order.index(first_top), order.index(last_top)
    outside = {top for n, top in enumerate(order) if n < lo or n > hi}
    return {k for k, top in enumerate(tops) if top in outside}
