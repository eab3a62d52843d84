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
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from desktop.documents import fonts, layout
from desktop.documents.layout import mm
from desktop.documents.model import (
    Doc,
    Grid,
    Imprint,
    Masthead,
    NewSection,
    PageBreak,
    Para,
    SectionRow,
    Table,
    table_layout,
)
from desktop.documents.pdf_writer import Cancelled, PdfWriter, PlanRow

# pPr children that follow w:snapToGrid in the schema (Word rejects out-of-order children)
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _align(name: str):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[name]


def _cell_margins(y: int = 0, x: int = 0):
    """``w:tblCellMar`` in twips: ``y`` above and below, ``x`` left and right (0: flush, as frame tables
    for page numbers and 版记 need)."""
    mar = _el("w:tblCellMar")
    for side, v in (("top", y), ("left", x), ("bottom", y), ("right", x)):
        mar.append(_el(f"w:{side}", w=str(v), type="dxa"))
    return mar


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), v)
    return e


class DocxWriter:
    """One export: ``render()`` writes the file and returns the font names it used that this machine lacks."""

    def __init__(self, doc: Doc, out: Path, progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> None:
        self.doc, self.out, self.progress, self.cancel = doc, out, progress, cancel
        self.used: set[str] = set()
        self.done, self.total = 0, max(1, 3 * doc.row_count())  # the PDF layout counts two of the three

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
            rpr.append(_el("w:color", val=color))
        if spacing:
            rpr.append(_el("w:spacing", val=str(round(spacing * layout.DOCX_TWIPS_PER_PT))))
        half = str(round(size * 2))
        rpr.append(_el("w:sz", val=half))
        rpr.append(_el("w:szCs", val=half))

    def render(self) -> list[str]:
        from docx import Document

        plans = {}
        if any(isinstance(b, Table) for b in self.doc.blocks):
            total = self.total

            def laid_out(done: int, _all: int) -> None:
                self.done = done
                if self.progress is not None:
                    self.progress(min(done, total), total)

            plans = PdfWriter(self.doc, None, laid_out, self.cancel).paginate()
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

    def _properties(self) -> None:
        """Core and application properties: this document's title, the office as author, the time of writing,
        NoticeDesk as the application (not the template's 2013 date, "python-docx" and "Microsoft Word")."""
        import datetime as dt

        from lxml import etree

        cp = self.d.core_properties
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        author = self.doc.author or layout.APPLICATION
        cp.title, cp.author, cp.last_modified_by = self.doc.title, author, author
        cp.created = cp.modified = now
        cp.comments, cp.subject, cp.keywords, cp.category = "", "", "", ""
        cp.revision = 1
        cp.language = "zh-CN"
        for part in self.d.part.package.parts:
            if str(part.partname) != "/docProps/app.xml":
                continue
            root = etree.fromstring(part.blob)
            ns = root.nsmap.get(None, "")
            values = {"Application": layout.APPLICATION, "AppVersion": _app_version(), "Template": "",
                      "TotalTime": "0", "Company": author}
            for name, value in values.items():
                el = root.find(f"{{{ns}}}{name}")
                if el is not None:
                    el.text = value
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _font_table(self) -> None:
        """Every official font (of every role), with its fallbacks as w:altName (仿宋_GB2312 → 仿宋 →
        FangSong …) and the GB2312 character set, so that Word and WPS substitute predictably."""
        from lxml import etree

        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        for part in self.d.part.package.parts:
            if str(part.partname) != "/word/fontTable.xml":
                continue
            root = etree.fromstring(part.blob)
            have = {f.get(f"{{{w}}}name") for f in root.findall(f"{{{w}}}font")}
            for role in fonts.ROLES:
                for name, alt in _fallback_chain(role):
                    if name in have:
                        continue
                    have.add(name)
                    font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
                    if alt:
                        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
                    etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
                    etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": _FAMILY[role]})
                    etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
                    etree.SubElement(font, f"{{{w}}}sig", {f"{{{w}}}{k}": v for k, v in _CJK_SIG.items()})
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _tick(self, n: int, force: bool = False) -> None:
        self.done += n
        if force or self.done % 128 < n:
            if self.cancel is not None and self.cancel():
                raise Cancelled
            if self.progress is not None:
                self.progress(min(self.done, self.total), self.total)

    # ---- document set-up -----------------------------------------------------------------------

    def _defaults(self) -> None:
        """docDefaults and Normal: 3号仿宋, East Asian language zh-CN, no extra paragraph spacing."""
        from docx.oxml.ns import qn

        styles = self.d.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for child in list(rpr):
            rpr.remove(child)
        name = self.font("fang")
        rpr.append(_el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia"))
        rpr.append(_el("w:kern", val="2"))
        rpr.append(_el("w:sz", val=str(layout.SIZE_BODY * 2)))
        rpr.append(_el("w:szCs", val=str(layout.SIZE_BODY * 2)))
        rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
        ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        for child in list(ppr):
            ppr.remove(child)
        # no widow/orphan control and no extra space between Chinese and Latin text or digits: the PDF has
        # neither, and they move lines (Word, WPS and LibreOffice add that space by default)
        ppr.append(_el("w:widowControl", val="0"))
        ppr.append(_el("w:overflowPunct", val="1"))  # a "，" or "。" that does not fit hangs, as in the PDF
        ppr.append(_el("w:autoSpaceDE", val="0"))
        ppr.append(_el("w:autoSpaceDN", val="0"))
        ppr.append(_el("w:spacing", after="0", line="240", lineRule="auto"))
        normal = self.d.styles["Normal"]
        npr = normal.element.get_or_add_pPr()
        for child in list(npr):
            if child.tag in (qn("w:widowControl"), qn("w:autoSpaceDE"), qn("w:autoSpaceDN")):
                npr.remove(child)
        npr.insert_element_before(_el("w:widowControl", val="0"), "w:numPr", "w:suppressLineNumbers", "w:pBdr",
                                  "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                                  "w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP)
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            npr.insert_element_before(_el(tag, val="0"), *(["w:autoSpaceDN"] if tag == "w:autoSpaceDE" else [])
                                      + ["w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP])
        self.set_run(normal.element, "fang", layout.SIZE_BODY)
        lang = self.d.settings.element.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")

    def _page_setup(self, s) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.oxml.ns import qn
        from docx.shared import Mm

        land = self.landscape
        m = layout.LANDSCAPE if land else layout.PORTRAIT
        s.orientation = WD_ORIENT.LANDSCAPE if land else WD_ORIENT.PORTRAIT
        short, long_ = Mm(layout.PAGE_SHORT_MM), Mm(layout.PAGE_LONG_MM)
        s.page_width, s.page_height = (long_, short) if land else (short, long_)
        s.top_margin, s.bottom_margin = Mm(m.top), Mm(m.bottom)
        s.left_margin, s.right_margin = Mm(m.left), Mm(m.right)
        s.header_distance = Mm(layout.HEADER_DISTANCE_MM)
        s.footer_distance = Mm(layout.FOOTER_DISTANCE_MM)
        sect = s._sectPr
        for g in sect.findall(qn("w:docGrid")):
            sect.remove(g)
        # portrait text on the 22-line grid; landscape table pages without one (LibreOffice centres a grid's
        # lines in the type area, which would move the table down)
        if land:
            sect.append(_el("w:docGrid", linePitch=str(layout.LINE_PITCH_TWIPS)))
        else:
            sect.append(_el("w:docGrid", type="lines", linePitch=str(layout.LINE_PITCH_TWIPS)))
        self.d.settings.odd_and_even_pages_header_footer = True
        for part in (s.header, s.even_page_header, s.footer, s.even_page_footer):
            part.is_linked_to_previous = False
        if land:
            self._rotated_number(s.header, odd=True)
            self._rotated_number(s.even_page_header, odd=False)
            for footer in (s.footer, s.even_page_footer):  # empty, and too tall for the 26 mm margin otherwise
                self._tiny(footer.paragraphs[0])
        else:
            self._footer_number(s.footer, odd=True)
            self._footer_number(s.even_page_footer, odd=False)

    def _page_field(self, p_el, size: float) -> None:
        """Runs "— ", PAGE, " —" in 4号宋体 appended to paragraph element ``p_el``."""
        dash = layout.PAGE_NUMBER_DASH

        def run(*children):
            r = _el("w:r")
            r.append(_el("w:rPr"))
            self.set_run(r, "song", size)
            for c in children:
                r.append(c)
            p_el.append(r)

        def text(s: str):
            t = _el("w:t")
            t.text = s
            from docx.oxml.ns import qn
            t.set(qn("xml:space"), "preserve")
            return t

        instr = _el("w:instrText")
        instr.text = " PAGE "
        from docx.oxml.ns import qn
        instr.set(qn("xml:space"), "preserve")
        run(text(f"{dash} "))
        run(_el("w:fldChar", fldCharType="begin"))
        run(instr)
        run(_el("w:fldChar", fldCharType="separate"))
        run(text("1"))
        run(_el("w:fldChar", fldCharType="end"))
        run(text(f" {dash}"))

    def _footer_number(self, footer, odd: bool) -> None:
        from docx.shared import Pt

        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        pf = p.paragraph_format
        p.alignment = _align("right" if odd else "left")
        if odd:
            pf.right_indent = Pt(layout.PAGE_NUMBER_INDENT)
        else:
            pf.left_indent = Pt(layout.PAGE_NUMBER_INDENT)
        self._page_field(p._p, layout.SIZE_PAGE_NUMBER)

    def _rotated_number(self, header, odd: bool) -> None:
        """A floating 1-cell table anchored to the page, text direction tbRl, in the left margin."""
        header.is_linked_to_previous = False
        tw = layout.DOCX_TWIPS_PER_PT
        w = round(mm(layout.ROTATED_NUMBER_BOX_W_MM) * tw)
        h = round(mm(layout.ROTATED_NUMBER_BOX_H_MM) * tw)
        gap = mm(layout.PAGE_NUMBER_GAP_MM) + layout.DASH_HEIGHT_EM * layout.SIZE_PAGE_NUMBER
        centre_x = mm(layout.LANDSCAPE.left) - gap + layout.DASH_HEIGHT_EM * layout.SIZE_PAGE_NUMBER
        if odd:
            end = mm(layout.PAGE_SHORT_MM - layout.LANDSCAPE.bottom) - layout.PAGE_NUMBER_INDENT
            y = round(end * tw) - h
        else:
            y = round((mm(layout.LANDSCAPE.top) + layout.PAGE_NUMBER_INDENT) * tw)
        tbl = _el("w:tbl")
        tpr = _el("w:tblPr")
        tpr.append(_el("w:tblpPr", leftFromText="0", rightFromText="0", topFromText="0", bottomFromText="0",
                       vertAnchor="page", horzAnchor="page", tblpX=str(round(centre_x * tw) - w // 2), tblpY=str(y)))
        tpr.append(_el("w:tblOverlap", val="never"))
        tpr.append(_el("w:tblW", w=str(w), type="dxa"))
        tpr.append(_el("w:tblLayout", type="fixed"))
        tpr.append(_cell_margins())
        tbl.append(tpr)
        grid = _el("w:tblGrid")
        grid.append(_el("w:gridCol", w=str(w)))
        tbl.append(grid)
        tr = _el("w:tr")
        trpr = _el("w:trPr")
        trpr.append(_el("w:trHeight", val=str(h), hRule="exact"))
        tr.append(trpr)
        tc = _el("w:tc")
        tcpr = _el("w:tcPr")
        tcpr.append(_el("w:tcW", w=str(w), type="dxa"))
        tcpr.append(_el("w:textDirection", val="tbRl"))
        tcpr.append(_el("w:vAlign", val="center"))
        tc.append(tcpr)
        p = _el("w:p")
        ppr = _el("w:pPr")
        ppr.append(_el("w:snapToGrid", val="0"))
        ppr.append(_el("w:spacing", before="0", after="0", line="240", lineRule="auto"))
        ppr.append(_el("w:jc", val="right" if odd else "left"))
        p.append(ppr)
        self._page_field(p, layout.SIZE_PAGE_NUMBER)
        tc.append(p)
        tr.append(tc)
        tbl.append(tr)
        hdr = header._element
        hdr.insert(0, tbl)  # the header keeps its (empty) paragraph after the table
        self._tiny(header.paragraphs[0])

    def _tiny(self, p) -> None:
        """An empty header or footer paragraph 1 pt high: a full line would push the body away from the
        margin (LibreOffice grows the header or footer to hold it)."""
        self._format(p, "left", 20, snap=False)
        self.set_run(p.add_run("")._r, "fang", 1)

    # ---- paragraphs and tables -----------------------------------------------------------------

    def _format(self, p, align: str, line_twips: int, snap: bool) -> None:
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt, Twips

        pf = p.paragraph_format
        p.alignment = _align(align)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Twips(line_twips)
        pf.space_before = pf.space_after = Pt(0)
        if not snap:
            p._p.get_or_add_pPr().insert_element_before(_el("w:snapToGrid", val="0"), *_AFTER_SNAP)

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
        bdr = _el("w:pBdr")
        rule_pt = mm(layout.MASTHEAD_RULE_GAP_MM) - (layout.LINE_PITCH - layout.SIZE_BODY) / 2
        bdr.append(_el("w:bottom", val="single", sz=str(round(layout.MASTHEAD_RULE_WIDTH * 8)),
                       space=str(max(0, round(rule_pt))), color=layout.RED_HEX))
        ppr.insert_element_before(bdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                                  "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP)
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
        tbl = _el("w:tbl")
        tpr = _el("w:tblPr")
        # lines per row (抄送 may wrap; 回行与冒号后首字对齐): the table's height, so that its bottom rule lies on
        # the 版心's lower edge (an absolute position: LibreOffice ignores tblpYSpec="bottom")
        avail = layout.TYPE_AREA_W_MM / layout.MM_PER_PT / layout.SIZE_IMPRINT - 2 - layout.text_em("抄送：")
        counts = [max(1, -(-int(layout.text_em(left) - (3 if left.startswith("抄送：") else 0)) // int(avail)))
                  if not right else 1 for left, right in rows]
        height = sum(counts) * layout.LINE_PITCH_TWIPS
        # anchored to the page (LibreOffice keeps a full-width table anchored to the margin in the text flow)
        y = round(mm(layout.PORTRAIT.top + layout.TYPE_AREA_H_MM) * tw) - height
        tpr.append(_el("w:tblpPr", leftFromText="0", rightFromText="0", topFromText="0", bottomFromText="0",
                       vertAnchor="page", horzAnchor="page", tblpX=str(round(mm(layout.PORTRAIT.left) * tw)),
                       tblpY=str(y)))
        tpr.append(_el("w:tblOverlap", val="never"))
        tpr.append(_el("w:tblW", w=str(width), type="dxa"))
        borders = _el("w:tblBorders")
        for side, sz in (("top", thick), ("left", None), ("bottom", thick), ("right", None), ("insideH", thin),
                         ("insideV", None)):
            borders.append(_el(f"w:{side}", val="single", sz=sz, space="0", color="000000") if sz
                           else _el(f"w:{side}", val="nil"))
        tpr.append(borders)
        tpr.append(_el("w:tblLayout", type="fixed"))
        tpr.append(_cell_margins())
        tbl.append(tpr)
        grid = _el("w:tblGrid")
        grid.append(_el("w:gridCol", w=str(half)))
        grid.append(_el("w:gridCol", w=str(width - half)))
        tbl.append(grid)
        indent = str(round(layout.SIZE_IMPRINT * tw))
        for (left, right), n_lines in zip(rows, counts, strict=True):
            tr = _el("w:tr")
            trpr = _el("w:trPr")
            trpr.append(_el("w:cantSplit", val="true"))
            trpr.append(_el("w:trHeight", val=str(n_lines * layout.LINE_PITCH_TWIPS), hRule="exact"))
            tr.append(trpr)
            cells = [(left, "left", width, "2")] if not right else [(left, "left", half, None), (right, "right", width - half, None)]
            for text, jc, w, span in cells:
                tc = _el("w:tc")
                tcpr = _el("w:tcPr")
                tcpr.append(_el("w:tcW", w=str(w), type="dxa"))
                if span:
                    tcpr.append(_el("w:gridSpan", val=span))
                tcpr.append(_el("w:vAlign", val="center"))
                tc.append(tcpr)
                p = _el("w:p")
                ppr = _el("w:pPr")
                ppr.append(_el("w:snapToGrid", val="0"))
                ppr.append(_el("w:spacing", before="0", after="0", line=str(layout.LINE_PITCH_TWIPS), lineRule="exact"))
                if jc == "left" and text.startswith("抄送："):  # 回行与冒号后首字对齐
                    hang = str(round(layout.text_em("抄送：") * layout.SIZE_IMPRINT * tw))
                    ppr.append(_el("w:ind", left=str(int(indent) + int(hang)), right=indent, hanging=hang))
                elif jc == "left":
                    ppr.append(_el("w:ind", left=indent))
                else:
                    ppr.append(_el("w:ind", right=indent))
                ppr.append(_el("w:jc", val=jc))
                p.append(ppr)
                r = _el("w:r")
                r.append(_el("w:rPr"))
                self.set_run(r, "fang", layout.SIZE_IMPRINT)
                t = _el("w:t")
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
        mar = _cell_margins(round(layout.TABLE_PAD_Y * tw), round(layout.TABLE_PAD_X * tw))
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
                cell._tc.get_or_add_tcPr().append(_el("w:vAlign", val="center"))
                p = cell.paragraphs[0]
                self._format(p, a, round(layout.TABLE_LEADING * tw), snap=False)
                if span:
                    p.paragraph_format.keep_with_next = True
                self.set_run(p.add_run("x")._r, role, layout.TABLE_FONT_SIZE)
                if span:
                    break
            trpr = row._tr.get_or_add_trPr()
            if header:
                trpr.append(_el("w:tblHeader", val="true"))
            trpr.append(_el("w:cantSplit", val="true"))
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
                    tcs[i][0].insert(1, _el("w:vMerge", **({"val": "restart"} if v == "restart" else {})))
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
        mar = _cell_margins(0, round(layout.GRID_PAD_X * tw))
        tblw = tblpr.find(qn("w:tblW"))
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(twips)))
        tblpr.insert_element_before(mar, "w:tblLook", "w:tblCaption", "w:tblDescription")
        for i, row in enumerate(t.rows):
            trpr = row._tr.get_or_add_trPr()
            if i < g.header_rows:
                trpr.append(_el("w:tblHeader", val="true"))
            trpr.append(_el("w:cantSplit", val="true"))
        pad = round(layout.GRID_PAD_Y * tw)
        for c in g.cells:
            cell = t.cell(c.row, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(t.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
            cell.width = Pt(sum(twips[c.col:c.col + c.colspan]) / tw)
            cell._tc.get_or_add_tcPr().append(_el("w:vAlign", val="center"))
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


_FAMILY = {"fang": "modern", "hei": "modern", "kai": "modern", "song": "roman", "title": "roman"}
# usb/csb bits of a GB2312 CJK font (as SimSun/FangSong declare them): CJK ideographs, GB2312 code page
_CJK_SIG = {"usb0": "00000003", "usb1": "288F0000", "usb2": "00000016", "usb3": "00000000", "csb0": "00040001",
            "csb1": "00000000"}


def _fallback_chain(role: str) -> list[tuple[str, str]]:
    """(name, its w:altName) for every font of the role's chain, each falling back to the next in
    the order 仿宋_GB2312 → 仿宋 → FangSong → 方正仿宋_GBK → …, 黑体 → SimHei → 方正黑体_GBK → … (the English
    name of a _GB2312 font, rarely installed, falls back to the second)."""
    chain = fonts.ROLES[role].chain
    order = [n for n in chain[0] if not n.endswith("_GB2312") or n == chain[0][0]] + [n for alt in chain[1:] for n in alt]
    out = [(n, order[i + 1] if i + 1 < len(order) else "") for i, n in enumerate(order)]
    out += [(n, order[1] if len(order) > 1 else "") for n in chain[0][1:] if n not in order]
    return out


def _app_version() -> str:
    try:
        from importlib.metadata import version

        return version("noticedesk")
    except Exception:  # noqa: BLE001 - a checkout without installed metadata
        return ""


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
