"""The .docx's set-up: defaults (3号仿宋, zh-CN, no extra spacing), pages and page numbers, the font
table with each official font's fallbacks, and the core and application properties.

Page numbers "— N —": portrait in the footer, odd right / even left (clause 7.5); landscape in the
header as a floating one-cell table with text turned clockwise, odd at the bottom-left, even at the
top-left (clause 8, doc §3.4). ``DocumentSetup``'s methods are ``DocxWriter``'s (``docx_writer``).
"""
from __future__ import annotations

from desktop.documents import docx_xml as wx
from desktop.documents import fonts, layout
from desktop.documents.layout import mm


class DocumentSetup:
    """The set-up methods of ``DocxWriter``."""

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

    # ---- document set-up -----------------------------------------------------------------------

    def _defaults(self) -> None:
        """docDefaults and Normal: 3号仿宋, East Asian language zh-CN, no extra paragraph spacing."""
        from docx.oxml.ns import qn

        styles = self.d.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for child in list(rpr):
            rpr.remove(child)
        name = self.font("fang")
        rpr.append(wx.el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia"))
        rpr.append(wx.el("w:kern", val="2"))
        rpr.append(wx.el("w:sz", val=str(layout.SIZE_BODY * 2)))
        rpr.append(wx.el("w:szCs", val=str(layout.SIZE_BODY * 2)))
        rpr.append(wx.el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
        ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        for child in list(ppr):
            ppr.remove(child)
        # no widow/orphan control and no extra space between Chinese and Latin text or digits: the PDF has
        # neither, and they move lines (Word, WPS and LibreOffice add that space by default)
        ppr.append(wx.el("w:widowControl", val="0"))
        ppr.append(wx.el("w:overflowPunct", val="1"))  # a "，" or "。" that does not fit hangs, as in the PDF
        ppr.append(wx.el("w:autoSpaceDE", val="0"))
        ppr.append(wx.el("w:autoSpaceDN", val="0"))
        ppr.append(wx.el("w:spacing", after="0", line="240", lineRule="auto"))
        normal = self.d.styles["Normal"]
        npr = normal.element.get_or_add_pPr()
        for child in list(npr):
            if child.tag in (qn("w:widowControl"), qn("w:autoSpaceDE"), qn("w:autoSpaceDN")):
                npr.remove(child)
        npr.insert_element_before(wx.el("w:widowControl", val="0"), "w:numPr", "w:suppressLineNumbers", "w:pBdr",
                                  "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                                  "w:bidi", "w:adjustRightInd", "w:snapToGrid", *wx.AFTER_SNAP)
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            npr.insert_element_before(wx.el(tag, val="0"), *(["w:autoSpaceDN"] if tag == "w:autoSpaceDE" else [])
                                      + ["w:bidi", "w:adjustRightInd", "w:snapToGrid", *wx.AFTER_SNAP])
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
            sect.append(wx.el("w:docGrid", linePitch=str(layout.LINE_PITCH_TWIPS)))
        else:
            sect.append(wx.el("w:docGrid", type="lines", linePitch=str(layout.LINE_PITCH_TWIPS)))
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
            r = wx.el("w:r")
            r.append(wx.el("w:rPr"))
            self.set_run(r, "song", size)
            for c in children:
                r.append(c)
            p_el.append(r)

        def text(s: str):
            t = wx.el("w:t")
            t.text = s
            from docx.oxml.ns import qn
            t.set(qn("xml:space"), "preserve")
            return t

        instr = wx.el("w:instrText")
        instr.text = " PAGE "
        from docx.oxml.ns import qn
        instr.set(qn("xml:space"), "preserve")
        run(text(f"{dash} "))
        run(wx.el("w:fldChar", fldCharType="begin"))
        run(instr)
        run(wx.el("w:fldChar", fldCharType="separate"))
        run(text("1"))
        run(wx.el("w:fldChar", fldCharType="end"))
        run(text(f" {dash}"))

    def _footer_number(self, footer, odd: bool) -> None:
        from docx.shared import Pt

        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        pf = p.paragraph_format
        p.alignment = wx.align("right" if odd else "left")
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
        tbl = wx.el("w:tbl")
        tpr = wx.el("w:tblPr")
        tpr.append(wx.el("w:tblpPr", leftFromText="0", rightFromText="0", topFromText="0", bottomFromText="0",
                       vertAnchor="page", horzAnchor="page", tblpX=str(round(centre_x * tw) - w // 2), tblpY=str(y)))
        tpr.append(wx.el("w:tblOverlap", val="never"))
        tpr.append(wx.el("w:tblW", w=str(w), type="dxa"))
        tpr.append(wx.el("w:tblLayout", type="fixed"))
        tpr.append(wx.cell_margins())
        tbl.append(tpr)
        grid = wx.el("w:tblGrid")
        grid.append(wx.el("w:gridCol", w=str(w)))
        tbl.append(grid)
        tr = wx.el("w:tr")
        trpr = wx.el("w:trPr")
        trpr.append(wx.el("w:trHeight", val=str(h), hRule="exact"))
        tr.append(trpr)
        tc = wx.el("w:tc")
        tcpr = wx.el("w:tcPr")
        tcpr.append(wx.el("w:tcW", w=str(w), type="dxa"))
        tcpr.append(wx.el("w:textDirection", val="tbRl"))
        tcpr.append(wx.el("w:vAlign", val="center"))
        tc.append(tcpr)
        p = wx.el("w:p")
        ppr = wx.el("w:pPr")
        ppr.append(wx.el("w:snapToGrid", val="0"))
        ppr.append(wx.el("w:spacing", before="0", after="0", line="240", lineRule="auto"))
        ppr.append(wx.el("w:jc", val="right" if odd else "left"))
        p.append(ppr)
        self._page_field(p, layout.SIZE_PAGE_NUMBER)
        tc.append(p)
        tr.append(tc)
        tbl.append(tr)
        hdr = header._element
        hdr.insert(0, tbl)  # the header keeps its (empty) paragraph after the table
        self._tiny(header.paragraphs[0])


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
