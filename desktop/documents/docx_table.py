"""Writing a ``Table`` (page by page, as the PDF laid it out) and a ``Grid`` into the .docx.

A table is written as one Word table per PDF page, each with the header row, the next starting on a new
page; a row the PDF splits across pages is two rows here, and a task continued on a page repeats its
merged 序号/任务名称 (w:vMerge over its item rows on the page). Rows are built once with the API as
templates and then deep-copied as XML (``<w:tr>``), ~20× faster than ``add_row``. A ``Grid``'s merges are
made with python-docx's ``merge`` (w:gridSpan / w:vMerge). ``TableWriting``'s methods are ``DocxWriter``'s
(``docx_writer``).
"""
from __future__ import annotations

import copy

from desktop.documents import docx_xml as wx
from desktop.documents import layout
from desktop.documents.layout import mm
from desktop.documents.model import Grid, SectionRow, Table, table_layout
from desktop.documents.pdf_table import PlanRow


class TableWriting:
    """The table and grid methods of ``DocxWriter``."""

    def _table(self, table: Table, pages: list[list[PlanRow]]) -> None:
        """One Word table per page of the PDF's layout (``pages``), each with the header row; a 1 pt
        paragraph with a page break before it between them."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml.ns import qn
        from docx.shared import Pt

        cols = table.columns
        m = layout.LANDSCAPE if self.landscape else layout.PORTRAIT
        total = mm((layout.PAGE_LONG_MM if self.landscape else layout.PAGE_SHORT_MM) - m.left - m.right)
        widths_pt, aligns = table_layout(table, total)
        widths = [Pt(w) for w in widths_pt]
        t = self.d.add_table(rows=0, cols=len(cols))
        t.style = self.d.styles["Table Grid"]
        t.autofit = False
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for col, w in zip(t.columns, widths, strict=True):
            col.width = w
        tblpr = t._tbl.tblPr
        tw = layout.DOCX_TWIPS_PER_PT
        mar = wx.cell_margins(round(layout.TABLE_PAD_Y * tw), round(layout.TABLE_PAD_X * tw))
        tblw = tblpr.find(qn("w:tblW"))
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(w.twips for w in widths)))
        tblpr.insert_element_before(mar, "w:tblLook", "w:tblCaption", "w:tblDescription")

        def template(role: str, aligns: list[str], span: bool = False, header: bool = False):
            row = t.add_row()
            cells = row.cells
            if span:
                cells[0].merge(cells[-1])
            for cell, w, a in zip(cells, widths, aligns, strict=True):
                cell.width = w
                cell._tc.get_or_add_tcPr().append(wx.el("w:vAlign", val="center"))
                p = cell.paragraphs[0]
                self._format(p, a, round(layout.TABLE_LEADING * tw), snap=False)
                if span:
                    p.paragraph_format.keep_with_next = True
                self.set_run(p.add_run("x")._r, role, layout.TABLE_FONT_SIZE)
                if span:
                    break
            trpr = row._tr.get_or_add_trPr()
            if header:
                trpr.append(wx.el("w:tblHeader", val="true"))
            trpr.append(wx.el("w:cantSplit", val="true"))
            return row._tr

        head = template("hei", ["center"] * len(cols), header=True)
        for t_el, c in zip(head.iter(qn("w:t")), cols, strict=True):
            t_el.text = c.header
        item = template("fang", aligns)
        sections = {lvl: template(layout.LEVEL_ROLES.get(lvl, "fang"), ["left"] * len(cols), span=True)
                    for lvl in sorted({r.level for r in table.rows if isinstance(r, SectionRow)})}
        tbl = t._tbl
        for tmpl in [item, *sections.values()]:
            tbl.remove(tmpl)
        skeleton = copy.deepcopy(tbl)  # table properties, grid and the header row
        variants = {"": _RowTemplate(item)}
        if table.merged:
            for v in ("restart", "cont"):
                tr = copy.deepcopy(item)
                tcs = tr.findall(qn("w:tc"))
                for i in table.merged:
                    tcs[i][0].insert(1, wx.el("w:vMerge", **({"val": "restart"} if v == "restart" else {})))
                variants[v] = _RowTemplate(tr)
        sec_tmpl = {lvl: _RowTemplate(tr) for lvl, tr in sections.items()}
        rows = table.rows
        merged = set(table.merged)
        body = self.d.element.body
        for n, page in enumerate(pages):
            if n:
                self._spacer(page_break=True)
                tbl = copy.deepcopy(skeleton)
                body.insert(len(body) - 1, tbl)  # before the final sectPr
            chunk: list[str] = []
            for k, e in enumerate(page):
                r = rows[e.src]
                if e.kind == "section":
                    chunk.append(sec_tmpl[r.level].render([r.text]))
                    continue
                cells = list(e.texts if e.texts is not None else r.cells)
                v = ""
                if merged:
                    nxt = page[k + 1] if k + 1 < len(page) else None
                    prev = page[k - 1] if k else None
                    first = prev is None or prev.kind != "item" or prev.head != e.head
                    if first:  # the task's merged cells on this page: its 序号/任务名称 (again when continued)
                        for i in merged:
                            cells[i] = rows[e.head].cells[i]
                        v = "restart" if nxt is not None and nxt.kind == "item" and nxt.head == e.head else ""
                    else:
                        v = "cont"
                        for i in merged:
                            cells[i] = ""
                chunk.append(variants[v].render(cells))
                if len(chunk) == 256:
                    _append_rows(tbl, chunk)
                    self._tick(len(chunk))
                    chunk = []
            if chunk:
                _append_rows(tbl, chunk)
                self._tick(len(chunk))

    def _grid(self, g: Grid) -> None:
        """A table with merged cells (w:gridSpan, w:vMerge via python-docx's merge), exact grid widths, header
        rows repeated (w:tblHeader), rows kept whole (w:cantSplit), text centred vertically."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml.ns import qn
        from docx.shared import Pt

        m = layout.LANDSCAPE if self.landscape else layout.PORTRAIT
        total = mm((layout.PAGE_LONG_MM if self.landscape else layout.PAGE_SHORT_MM) - m.left - m.right)
        tw = layout.DOCX_TWIPS_PER_PT
        twips = [round(total * w / sum(g.widths) * tw) for w in g.widths]
        n_cols = len(twips)
        t = self.d.add_table(rows=g.n_rows, cols=n_cols)
        t.style = self.d.styles["Table Grid"]
        t.autofit = False
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for col, w in zip(t.columns, twips, strict=True):
            col.width = Pt(w / tw)
        tblpr = t._tbl.tblPr
        mar = wx.cell_margins(0, round(layout.GRID_PAD_X * tw))
        tblw = tblpr.find(qn("w:tblW"))
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(twips)))
        tblpr.insert_element_before(mar, "w:tblLook", "w:tblCaption", "w:tblDescription")
        for i, row in enumerate(t.rows):
            trpr = row._tr.get_or_add_trPr()
            if i < g.header_rows:
                trpr.append(wx.el("w:tblHeader", val="true"))
            trpr.append(wx.el("w:cantSplit", val="true"))
        pad = round(layout.GRID_PAD_Y * tw)
        for c in g.cells:
            cell = t.cell(c.row, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(t.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
            cell.width = Pt(sum(twips[c.col:c.col + c.colspan]) / tw)
            cell._tc.get_or_add_tcPr().append(wx.el("w:vAlign", val="center"))
            p = cell.paragraphs[0]
            self._format(p, c.align, round(g.leading * tw), snap=False)
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(pad / tw)
            if g.keep_together and c.row + c.rowspan < g.n_rows:
                p.paragraph_format.keep_with_next = True
            for k, line in enumerate(c.text.split("\n")):
                run = p.add_run()
                if k:
                    run.add_break()
                run.add_text(line)
                self.set_run(run._r, c.role, g.size)
        self._tick(g.n_rows)



_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                          "\n": '</w:t><w:br/><w:t xml:space="preserve">'})


class _RowTemplate:
    """A ``<w:tr>`` serialised once with a placeholder per text; ``render`` fills in escaped texts."""

    def __init__(self, tr) -> None:
        import re

        from docx.oxml.ns import qn
        from lxml import etree

        for i, t_el in enumerate(tr.iter(qn("w:t"))):
            t_el.text = f"@@{i}@@"
            t_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        xml = re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(tr, encoding="unicode"))
        self.parts = re.split(r"@@\d+@@", xml)

    def render(self, texts: list[str]) -> str:
        parts = self.parts
        out = [parts[0]]
        for text, part in zip(texts, parts[1:], strict=True):
            out.append(text.translate(_ESCAPES))
            out.append(part)
        return "".join(out)


def _append_rows(tbl, rows: list[str]) -> None:
    """Parse serialised rows in one go and move them into ``tbl``."""
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml

    holder = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for tr in list(holder):
        tbl.append(tr)
