"""The parser's main line: clean the blocks, rebuild flattened tables, read metadata and tasks.

If the notice carries a task table, the table's rows are the tasks (the cover letter's points and
body text the table repeats are not); otherwise the numbered items of the prose are.  Units are
mapped through the unit directory, deadlines typed, and the clerk's warnings collected.
"""
from __future__ import annotations

import re

from desktop.domain import section_path

from .. import normalise
from ..checking import mark_read_by_ocr
from ..errors import NoticeReadError
from ..model import DOUBTFUL, ParsedNotice, ParsedTask, SourceDocument, Table, TableChoice, TableGrid
from . import flat_tables
from .columns import is_header
from .deadlines import interpret
from .layout import build_layout
from .metadata import extract
from .patterns import INLINE_ORDINAL, match_enum
from .sheets import lift_sheet_titles
from .structure import LABEL_LINE, framing, tasks_from_prose
from .tables import tasks_from_tables
from .units import UnitDirectory, is_collective, resolve_all

_SEP = "\u0001"
EMPTY = "没有可解析的内容：文件或粘贴的文字中没有找到通知正文。请确认内容是否完整后重新导入。"


def _render(blocks: list) -> str:
    out = []
    for b in blocks:
        out.append("\n".join("\t".join(row) for row in b.rows) if isinstance(b, Table) else b)
    return "\n".join(out)


def _join_cell_lines(cell: str) -> str:
    lines = [s.strip() for s in cell.split("\n") if s.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        if out.endswith(("。", "；", ";", "：", ":")) or match_enum(line):
            out += "\n" + line
        else:
            out = normalise.join_pieces(out, line)
    return out


def clean_blocks(blocks: list) -> tuple[list, list[str], normalise.ScriptMap | None]:
    """Widths, pinyin glosses, chrome lines and 繁→简 for every paragraph and cell; with the map back
    to the printed traditional characters when the notice was folded."""
    glosses = 0
    out: list = []
    for b in blocks:
        if isinstance(b, Table):
            rows = []
            for row in b.rows:
                cells = []
                for cell in row:
                    s, n = normalise.strip_pinyin(normalise.fold_width(cell or ""))
                    glosses += n
                    cells.append(_join_cell_lines(s))
                rows.append(cells)
            out.append(Table(rows))
        else:
            s, n = normalise.strip_pinyin(normalise.fold_width(b))
            glosses += n
            s = s.rstrip(" \u3000")
            out.append("" if normalise.is_chrome(s) else s)
    notes = []
    if glosses:
        notes.append(f"已去除网页转载时夹带的拼音注音 {glosses} 处（如“區(qū)”），请核对。")
    flat = [x for b in out for x in ([c for row in b.rows for c in row] if isinstance(b, Table) else [b])]
    script = None
    if normalise.looks_traditional("".join(flat[:400])):
        converted = normalise.to_simplified(_SEP.join(flat)).split(_SEP)
        if len(converted) == len(flat):
            it = iter(converted)
            out = [Table([[next(it) for _ in row] for row in b.rows]) if isinstance(b, Table) else next(it)
                   for b in out]
            script = normalise.ScriptMap(converted, flat)
            notes.append("原文为繁体字，已转换为简体字解析（原文保留），请核对。")
    return out, notes, script


def lift_title_rows(blocks: list) -> tuple[list, dict[int, int]]:
    """Rows above a table's header that hold one text (a sheet's title) become paragraphs before it; in a
    table without a header, the leading rows that hold one text while the rows below hold several.
    Where the clerk placed the header (``Table.header``), every row above it is lifted. Returns the
    blocks and, by table index, how many rows were lifted."""
    out: list = []
    lifted: dict[int, int] = {}
    for b in blocks:
        if isinstance(b, Table):
            if b.header is not None:
                h = max(b.header, 0)
            else:
                h = next((i for i, row in enumerate(b.rows[:12]) if is_header(row)), None)
            if h is None:
                h = 0
                while h < min(len(b.rows) - 2, 3) and len({c.strip() for c in b.rows[h] if c.strip()}) == 1 \
                        and len([c for c in b.rows[h + 1] if c.strip()]) >= 2:
                    h += 1
            if h:
                for row in b.rows[:h]:
                    texts = [c.strip() for c in row if c.strip()]
                    if texts:
                        out.append("  ".join(dict.fromkeys(texts)))
                b = Table(b.rows[h:], b.rebuilt, b.index, None if b.header is None else (0 if b.header >= 0 else -1),
                          b.columns)
            lifted[b.index] = h
        out.append(b)
    return out, lifted


def apply_choice(blocks: list, choice: TableChoice | None) -> int | None:
    """Number the tables and put the clerk's reading on the one it is for (the K-th, or the largest);
    the index of the only table to read, or None for all."""
    tables = [b for b in blocks if isinstance(b, Table)]
    for n, t in enumerate(tables, 1):
        t.index = n
    if choice is None or not tables or (choice.table is None and choice.header_row is None and not choice.columns):
        return None
    if choice.table is not None and not 1 <= choice.table <= len(tables):
        raise NoticeReadError(f"这份通知只有 {len(tables)} 个表格，没有第 {choice.table} 个。请检查 --table 的数字。")
    target = tables[choice.table - 1] if choice.table else max(tables, key=lambda t: len(t.rows))
    if choice.header_row is not None:
        if choice.header_row > len(target.rows):
            raise NoticeReadError(f"第 {target.index} 个表格只有 {len(target.rows)} 行，没有第 {choice.header_row} 行。"
                                  "请检查表头所在的行号（0 表示没有表头）。")
        target.header = choice.header_row - 1 if choice.header_row else -1
    target.columns = list(choice.columns) if choice.columns else None
    return target.index


def _starts_item(line: str) -> bool:
    s = line.strip()
    return bool(match_enum(s) or INLINE_ORDINAL.match(s) or LABEL_LINE.match(s) or s.startswith("附件"))


def _reflow(blocks: list) -> list:
    out: list = []
    run: list[str] = []
    for b in blocks + [None]:
        if isinstance(b, str):
            run.append(b)
            continue
        out += [s.strip() for s in normalise.reflow(run, _starts_item) if s.strip()]
        run = []
        if b is not None:
            out.append(b)
    return out


def _top_heading(t: ParsedTask) -> str:
    """The outermost heading of a task's section (its own number and title when it has none)."""
    s = t.section or f"{t.number or ''}{t.title}"
    return section_path(s)[0] if s else ""


def parse_document(doc: SourceDocument, units_directory=None, choice: TableChoice | None = None) -> ParsedNotice:
    """Parse a read document; ``choice`` is the clerk's reading of a table (roles, header row, which table)."""
    blocks = lift_sheet_titles(doc.blocks)
    original = _render(blocks)
    blocks, warnings, script = clean_blocks(blocks)
    warnings = list(doc.warnings) + warnings
    blocks = flat_tables.recognise(blocks)
    only = apply_choice(blocks, choice)
    grids = {b.index: (b.rows, b.rebuilt) for b in blocks if isinstance(b, Table)}
    lifted_blocks, lifted = lift_title_rows(blocks)
    blocks = _reflow(lifted_blocks)
    if not any(isinstance(b, Table) and any(any(c for c in r) for r in b.rows) or isinstance(b, str) and b
               for b in blocks):
        raise NoticeReadError(EMPTY)
    layout = build_layout(blocks)
    paras = layout.paras
    meta = extract(paras, layout.tables)
    tasks, readings = tasks_from_tables(layout, only)
    has_items = any(match_enum(p.text) for i, p in enumerate(paras) if i >= meta.body_start and i not in meta.skip)
    if choice is not None and choice.items:
        tasks = []
    tables = [TableGrid(rows, lifted.get(i, 0) + readings[i].header + 1 if i in readings and readings[i].header >= 0
                        else 0, readings[i].roles if i in readings else [], rebuilt,
                        len(readings[i].tasks) if i in readings else 0) for i, (rows, rebuilt) in grids.items()]
    if only is not None and not tasks:
        warnings.append("按指定的列读这个表格没有得到任务：请确认“具体内容”列和表头所在的行。")
    if tasks:
        if has_items:
            warnings.append("本通知附有任务分解表：任务按表格逐行列出，正文（含通知本身）中的条目未重复列入，请核对。")
    else:
        tasks, tops = tasks_from_prose(layout, paras, meta)
        frame = framing(tasks, tops)
        if frame:
            names = list(dict.fromkeys(_top_heading(tasks[k]) for k in sorted(frame)))
            warnings.append(f"“{'”“'.join(names[:4])}”等 {len(names)} 个部分是总体要求或组织保障，没有列出责任单位，"
                            "未作为任务列入，请核对。")
            tasks = [t for k, t in enumerate(tasks) if k not in frame]
    if getattr(doc, "ocr", False):  # read from page images: every task is to be checked against them
        mark_read_by_ocr(tasks)
    directory = UnitDirectory(units_directory) if units_directory else None
    _finish(tasks, meta, directory, warnings)
    if not meta.title_found and not meta.title:
        warnings.append("未识别到通知标题，请手工填写。")
    return ParsedNotice(
        title=meta.title, doc_number=meta.doc_number, issuer=meta.issuer, date=meta.date, year=meta.year,
        recipients=meta.recipients, attachments=meta.attachments, warnings=warnings, tasks=tasks,
        source_text=layout.text, original_text=original, script=script, tables=tables, has_items=has_items)


def _finish(tasks: list[ParsedTask], meta, directory: UnitDirectory | None, warnings: list[str]) -> None:
    unknown: list[str] = []
    for n, t in enumerate(tasks, 1):
        t.lead_units = resolve_all(t.lead_units, directory)
        t.units = [u for u in resolve_all(t.units, directory) if u not in t.lead_units]
        t.collective = {u for u in t.lead_units + t.units if is_collective(u)}
        if directory:
            unknown += [u for u in t.lead_units + t.units if not directory.known(u) and u not in unknown
                        and u not in t.collective]
        kind, due, understood = interpret(t.deadline, meta.year, meta.date)
        t.deadline_kind, t.due_date = kind, due
        if not understood:
            warnings.append(f"第 {n} 项任务的完成时限“{t.deadline}”未能识别为日期，请核对。")
        t.title = re.sub(r"\s+", " ", t.title).strip()
    if not tasks:
        named = [a for a in meta.attachments if re.search(r"分解|任务|清单|台账|要点", a)]
        if named:
            warnings.append(f"任务在附件“{named[0]}”中，这份文件没有附上它，因此没有列出任务：请导入附件本身。")
        else:
            warnings.append("没有识别到任务条目（如“一、”“（一）”编号或任务分解表），请核对原文格式。")
        return
    doubtful = [(n, t) for n, t in enumerate(tasks, 1) if t.confidence < DOUBTFUL]
    for n, t in doubtful[:5]:
        reasons = "；".join(e for e in t.evidence[1:] if "没有" in e or "很短" in e or "判断" in e) or "依据不足"
        warnings.append(f"第 {n} 项任务“{t.title[:16]}”识别把握不大（{reasons}），请核对。")
    if len(doubtful) > 5:
        warnings.append(f"另有 {len(doubtful) - 5} 项任务识别把握不大，请逐项核对。")
    without = sum(1 for t in tasks if not t.lead_units and not t.units)
    if without == len(tasks):
        warnings.append(f"全部 {without} 项任务都没有识别到责任单位（可能写在未附上的附件中），请补充。")
    elif without:
        warnings.append(f"有 {without} 项任务没有识别到责任单位，请核对。")
    if unknown:
        shown = "、".join(unknown[:5]) + ("等" if len(unknown) > 5 else "")
        warnings.append(f"有 {len(unknown)} 个单位名称不在单位库中（{shown}），请核对或添加到单位库。")
