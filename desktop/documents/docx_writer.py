"""Renders a ``model.Doc`` to .docx with python-docx: page set-up, grid paragraphs, tables, page numbers.

The .docx has the PDF's pages: a table is laid out by the PDF writer first (``PdfWriter(doc, None).paginate()``)
and written as one Word table per PDF page, each with the header row, the next starting on a new page; a
row the PDF splits across pages is two rows here, and a task continued on a page repeats its merged
序号/任务名称. The space Word and WPS add between Chinese and Latin text or digits (w:autoSpaceDE/DN) and widow
control are off, as in the PDF; LibreOffice ignores the former, and the PDF breaks its lines as if that space
were there (``pdf_text``). Cell text is broken ``layout.TABLE_WRAP_SLACK`` short of the cell, so Word, WPS and
LibreOffice fit each page's rows where the PDF put them.

Every run names its font in all four rFonts slots (w:eastAsia included, doc §3.1), and the font table names
each official font's fallbacks (仿宋_GB2312 → 仿宋 → FangSong …, w:altName) so Word and WPS substitute
predictably. Table rows are built once with the API as templates and then deep-copied as XML (``<w:tr>``),
which is ~20× faster than ``add_row``. Header rows carry w:tblHeader, all rows w:cantSplit; a task's
序号/任务名称 cells merge vertically (w:vMerge) over its item rows on a page. Column widths come from
``model.table_layout``, as in the PDF. The core properties name the document, the office as author, the
time of writing and NoticeDesk as the application. Page numbers "— N —": portrait in the footer, odd right / even left
(clause 7.5); landscape in the header as a floating one-cell table with text turned clockwise, odd at the
bottom-left, even at the top-left (clause 8, doc §3.4). ``NewSection`` starts a Word section of the other
orientation; the 版头 is red paragraphs with a red bottom border, the 版记 a floating table anchored to the
bottom of the 版心. A ``Grid`` (cells merged over rows and columns) becomes a Word table whose merges are made
with python-docx's ``merge`` (w:gridSpan / w:vMerge).

This module has the paragraphs, the 版头 and the 版记; the document's set-up (defaults, pages, page numbers,
font table, properties) is ``docx_setup``'s, tables and grids ``docx_table``'s (methods of ``DocxWriter``),
hand-built XML pieces ``docx_xml``'s.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.documents import docx_xml as wx
from desktop.documents import fonts, layout
from desktop.documents.docx_setup import DocumentSetup
from desktop.documents.docx_table import TableWriting
from desktop.documents.layout import mm
from desktop.documents.model import (
    Doc,
    Grid,
    Imprint,
    Masthead,
    NewSection,
    PageBreak,
    Para,
    Table,
)
from desktop.documents.pdf_writer import PdfWriter
from desktop.documents.progress import Progress


# pPr children that follow w:snapToGrid in the schema (Word rejects out-of-order children)
class DocxWriter(DocumentSetup, TableWriting):
    """One export: ``render()`` writes the file and returns the font names it used that this machine lacks."""

    def __init__(self, doc: Doc, out: Path, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.doc, self.out, self.cancel = doc, out, cancel
        self.used: set[str] = set()
        # the PDF layout counts two of the three units a row
        self.ticks = Progress(3 * doc.row_count(), progress, cancel, every=128)

    def font(self, role: str) -> str:
        self.used.add(role)
        return fonts.docx_name(role)

    def set_run(self, run_el, role: str, size: float, spacing: float = 0.0, color: str | None = None) -> None:
        """Font name in ascii/hAnsi/eastAsia (+ hint), colour, size in half-points, character spacing."""
        from docx.oxml.ns import qn

        name = self.font(role)
        rpr = run_el.get_or_add_rPr()
        rf = rpr.get_or_add_rFonts()
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            rf.set(qn(f"w:{slot}"), name)
        rf.set(qn("w:hint"), "eastAsia")
        if color:
            rpr.append(wx.el("w:color", val=color))
        if spacing:
            rpr.append(wx.el("w:spacing", val=str(round(spacing * layout.DOCX_TWIPS_PER_PT))))
        half = str(round(size * 2))
        rpr.append(wx.el("w:sz", val=half))
        rpr.append(wx.el("w:szCs", val=half))

    def render(self) -> list[str]:
        from docx import Document

        plans = {}
        if any(isinstance(b, Table) for b in self.doc.blocks):
            plans = PdfWriter(self.doc, None, self.ticks.follow, self.cancel).paginate()
        self.d = Document()
        self._defaults()
        self.landscape = self.doc.landscape
        self._page_setup(self.d.sections[0])
        pending_break = False
        for k, block in enumerate(self.doc.blocks):
            if isinstance(block, PageBreak):
                pending_break = True
            elif isinstance(block, NewSection):
                from docx.enum.section import WD_SECTION

                self.landscape = block.landscape
                self._page_setup(self.d.add_section(WD_SECTION.NEW_PAGE))
                pending_break = False
            elif isinstance(block, Masthead):
                self._masthead(block)
            elif isinstance(block, Imprint):
                self._imprint(block)
            elif isinstance(block, Para):
                p = self._para(block)
                p.paragraph_format.page_break_before = pending_break or None
                pending_break = False
            elif isinstance(block, Table | Grid):
                if pending_break:
                    self._para(Para("")).paragraph_format.page_break_before = True
                    pending_break = False
                if isinstance(block, Grid):
                    self._grid(block)
                else:
                    self._table(block, plans.get(k) or [[]])
                self._spacer()
        self._properties()
        self._font_table()
        self._tick(0, force=True)
        self.d.save(str(self.out))
        return sorted({fonts.docx_name(r) for r in self.used if fonts.installed_alternate(r) is None})

    def _tick(self, n: int, force: bool = False) -> None:
        self.ticks.tick(n, force)

    def _tiny(self, p) -> None:
        """An empty header or footer paragraph 1 pt high: a full line would push the body away from the
        margin (LibreOffice grows the header or footer to hold it)."""
        self._format(p, "left", 20, snap=False)
        self.set_run(p.add_run("")._r, "fang", 1)

    # ---- paragraphs -----------------------------------------------------------------

    def _format(self, p, align: str, line_twips: int, snap: bool) -> None:
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt, Twips

        pf = p.paragraph_format
        p.alignment = wx.align(align)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Twips(line_twips)
        pf.space_before = pf.space_after = Pt(0)
        if not snap:
            p._p.get_or_add_pPr().insert_element_before(wx.el("w:snapToGrid", val="0"), *wx.AFTER_SNAP)

    def _para(self, b: Para):
        from docx.shared import Pt

        p = self.d.add_paragraph()
        self._format(p, b.align, layout.LINE_PITCH_TWIPS, snap=b.size == layout.SIZE_BODY)
        pf = p.paragraph_format
        if b.indent:
            pf.first_line_indent = Pt(b.indent * b.size)
        if b.left:
            pf.left_indent = Pt(b.left * b.size)
        if b.right:
            pf.right_indent = Pt(b.right * b.size)
        if b.keep_with_next:
            pf.keep_with_next = True
        run = p.add_run(b.text)
        spacing = layout.BODY_CHAR_SPACING if (b.size == layout.SIZE_BODY and not self.landscape) else 0.0
        self.set_run(run._r, b.role, b.size, spacing)
        return p

    def _masthead(self, m: Masthead) -> None:
        """Red 发文机关标志 35 mm below the top of the 版心, two blank lines, the 发文字号 with a red bottom border
        4 mm below it, two blank lines (the title follows)."""
        from docx.shared import Pt

        width = mm(layout.TYPE_AREA_W_MM)
        size = min(layout.SIZE_MASTHEAD, width / max(layout.text_em(m.organ), 1))
        line = size * 1.25
        p = self.d.add_paragraph()
        self._format(p, "center", round(line * layout.DOCX_TWIPS_PER_PT), snap=False)
        # exact line spacing centres the glyph box in the line; its top edge then sits (line − size)/2 down
        before = mm(layout.MASTHEAD_TOP_MM) - (line - size) / 2
        p.paragraph_format.space_before = Pt(before)
        self.set_run(p.add_run(m.organ)._r, "title", size, color=layout.RED_HEX)
        for _ in range(layout.MASTHEAD_GAP_LINES):
            self._para(Para(""))
        num = self._para(Para(m.number, "fang", layout.SIZE_BODY, "center"))
        ppr = num._p.get_or_add_pPr()
        bdr = wx.el("w:pBdr")
        rule_pt = mm(layout.MASTHEAD_RULE_GAP_MM) - (layout.LINE_PITCH - layout.SIZE_BODY) / 2
        bdr.append(wx.el("w:bottom", val="single", sz=str(round(layout.MASTHEAD_RULE_WIDTH * 8)),
                       space=str(max(0, round(rule_pt))), color=layout.RED_HEX))
        ppr.insert_element_before(bdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                                  "w:adjustRightInd", "w:snapToGrid", *wx.AFTER_SNAP)
        for _ in range(layout.MASTHEAD_TITLE_GAP_LINES):
            self._para(Para(""))

    def _imprint(self, im: Imprint) -> None:
        """版记: a floating borderless table anchored to the bottom of the 版心 (rules: top and bottom 0.35 mm,
        between rows 0.25 mm), 4号仿宋; 抄送 and 印发机关 空一字 from the left, 印发日期 空一字 from the right."""
        from docx.oxml.ns import qn

        rows: list[tuple[str, str]] = []
        if im.cc:
            rows.append(("抄送：" + im.cc.rstrip("。.，,；;") + "。", ""))
        if im.printed_by or im.printed_on:
            rows.append((im.printed_by, f"{im.printed_on}印发" if im.printed_on else ""))
        if not rows:
            return
        tw = layout.DOCX_TWIPS_PER_PT
        width = round(mm(layout.TYPE_AREA_W_MM) * tw)
        half = width // 2
        thick, thin = str(round(layout.IMPRINT_RULE_THICK * 8)), str(round(layout.IMPRINT_RULE_THIN * 8))
        tbl = wx.el("w:tbl")
        tpr = wx.el("w:tblPr")
        # lines per row (抄送 may wrap; 回行与冒号后首字对齐): the table's height, so that its bottom rule lies on
        # the 版心's lower edge (an absolute position: LibreOffice ignores tblpYSpec="bottom")
        avail = layout.TYPE_AREA_W_MM / layout.MM_PER_PT / layout.SIZE_IMPRINT - 2 - layout.text_em("抄送：")
        counts = [max(1, -(-int(layout.text_em(left) - (3 if left.startswith("抄送：") else 0)) // int(avail)))
                  if not right else 1 for left, right in rows]
        height = sum(counts) * layout.LINE_PITCH_TWIPS
        # anchored to the page (LibreOffice keeps a full-width table anchored to the margin in the text flow)
        y = round(mm(layout.PORTRAIT.top + layout.TYPE_AREA_H_MM) * tw) - height
        tpr.append(wx.el("w:tblpPr", leftFromText="0", rightFromText="0", topFromText="0", bottomFromText="0",
                       vertAnchor="page", horzAnchor="page", tblpX=str(round(mm(layout.PORTRAIT.left) * tw)),
                       tblpY=str(y)))
        tpr.append(wx.el("w:tblOverlap", val="never"))
        tpr.append(wx.el("w:tblW", w=str(width), type="dxa"))
        borders = wx.el("w:tblBorders")
        for side, sz in (("top", thick), ("left", None), ("bottom", thick), ("right", None), ("insideH", thin),
                         ("insideV", None)):
            borders.append(wx.el(f"w:{side}", val="single", sz=sz, space="0", color="000000") if sz
                           else wx.el(f"w:{side}", val="nil"))
        tpr.append(borders)
        tpr.append(wx.el("w:tblLayout", type="fixed"))
        tpr.append(wx.cell_margins())
        tbl.append(tpr)
        grid = wx.el("w:tblGrid")
        grid.append(wx.el("w:gridCol", w=str(half)))
        grid.append(wx.el("w:gridCol", w=str(width - half)))
        tbl.append(grid)
        indent = str(round(layout.SIZE_IMPRINT * tw))
        for (left, right), n_lines in zip(rows, counts, strict=True):
            tr = wx.el("w:tr")
            trpr = wx.el("w:trPr")
            trpr.append(wx.el("w:cantSplit", val="true"))
            trpr.append(wx.el("w:trHeight", val=str(n_lines * layout.LINE_PITCH_TWIPS), hRule="exact"))
            tr.append(trpr)
            cells = [(left, "left", width, "2")] if not right else [(left, "left", half, None), (right, "right", width - half, None)]
            for text, jc, w, span in cells:
                tc = wx.el("w:tc")
                tcpr = wx.el("w:tcPr")
                tcpr.append(wx.el("w:tcW", w=str(w), type="dxa"))
                if span:
                    tcpr.append(wx.el("w:gridSpan", val=span))
                tcpr.append(wx.el("w:vAlign", val="center"))
                tc.append(tcpr)
                p = wx.el("w:p")
                ppr = wx.el("w:pPr")
                ppr.append(wx.el("w:snapToGrid", val="0"))
                ppr.append(wx.el("w:spacing", before="0", after="0", line=str(layout.LINE_PITCH_TWIPS), lineRule="exact"))
                if jc == "left" and text.startswith("抄送："):  # 回行与冒号后首字对齐
                    hang = str(round(layout.text_em("抄送：") * layout.SIZE_IMPRINT * tw))
                    ppr.append(wx.el("w:ind", left=str(int(indent) + int(hang)), right=indent, hanging=hang))
                elif jc == "left":
                    ppr.append(wx.el("w:ind", left=indent))
                else:
                    ppr.append(wx.el("w:ind", right=indent))
                ppr.append(wx.el("w:jc", val=jc))
                p.append(ppr)
                r = wx.el("w:r")
                r.append(wx.el("w:rPr"))
                self.set_run(r, "fang", layout.SIZE_IMPRINT)
                t = wx.el("w:t")
                t.text = text
                t.set(qn("xml:space"), "preserve")
                r.append(t)
                p.append(r)
                tc.append(p)
                tr.append(tc)
            tbl.append(tr)
        body = self.d.element.body
        body.insert(len(body) - 1, tbl)  # before the final sectPr
        self._spacer()

    def _spacer(self, page_break: bool = False) -> None:
        """A 1 pt paragraph after a table (Word needs one; a full one could spill onto a blank page), or
        starting the next page (``page_break``) before the next part of a table."""
        p = self.d.add_paragraph()
        self._format(p, "left", 20, snap=False)
        if page_break:
            p.paragraph_format.page_break_before = True
        self.set_run(p.add_run("")._r, "fang", 1)
