"""Test helpers: turn a corpus notice into the other formats clerks receive (.docx, web page, .mht).

The notice's text is read with the plain-text reader and its flattened tables rebuilt as real
tables, so each format carries the same notice; the task lists parsed from each must then agree.
"""
from __future__ import annotations

import html
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

from desktop.importing.model import Table
from desktop.importing.parse.columns import GROUP, SEQ, role_of
from desktop.importing.parse.flat_tables import recognise
from desktop.importing.readers.text_reader import read_text_bytes


def corpus_blocks(path: Path) -> list:
    """The corpus text as blocks, flattened tables rebuilt (text left as printed)."""
    return recognise(read_text_bytes(path.read_bytes()).blocks)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _merge_columns(table: Table) -> set[int]:
    header = next((r for r in table.rows if sum(1 for c in r if role_of(c)) >= 3), table.rows[0])
    cols, prev = set(), None
    for i, c in enumerate(header):
        role = role_of(c) if c.strip() else (GROUP if prev == GROUP else None)
        if role in (GROUP, SEQ):
            cols.add(i)
        prev = role
    return cols


def make_docx(blocks: list, path: Path, textbox: bool = True, ruled: bool = False, repeat_header: bool = False) -> Path:
    """A real .docx: paragraphs, Word tables with vertically merged grouping cells, header and footer.
    ``textbox``: a text box (not body text) in the first paragraph; ``ruled``: tables with cell borders
    ("Table Grid"); ``repeat_header``: each table's first row repeats at the top of every page."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "一、页眉里的文字不是任务（牵头单位：页眉局）"
    section.footer.paragraphs[0].text = "— 1 —"
    first = True
    for b in blocks:
        if isinstance(b, Table):
            width = max(len(r) for r in b.rows)
            t = d.add_table(rows=len(b.rows), cols=width)
            if ruled:
                t.style = "Table Grid"
            if repeat_header:
                t.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
            for r, row in enumerate(b.rows):
                for c in range(width):
                    t.cell(r, c).text = row[c] if c < len(row) else ""
            for c in _merge_columns(b):
                r = 1
                while r < len(b.rows):
                    top = r - 1
                    while r < len(b.rows) and not (b.rows[r][c] if c < len(b.rows[r]) else "").strip() \
                            and (b.rows[top][c] if c < len(b.rows[top]) else "").strip():
                        r += 1
                    if r - 1 > top:
                        t.cell(top, c).merge(t.cell(r - 1, c))
                    r += 1
        else:
            p = d.add_paragraph(b)
            if first and b.strip() and textbox:
                # a text box whose text must be ignored
                p.runs[0]._r.append(parse_xml(
                    '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                    'xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
                    '<w:t>（一）文本框里的文字不是任务（牵头单位：文本框局）</w:t></w:r></w:p></w:txbxContent>'
                    '</v:textbox></v:shape></w:pict>'))
                first = False
    d.save(path)
    return path


CHROME_TOP = """<div class="top-bar">欢迎访问本市人民政府门户网站 <a href="#">登录</a></div>
<div id="nav"><ul><li>首页</li><li>政务公开</li><li>政策文件</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
<div class="article-tools">字号：[大] [中] [小] 【打印】 【关闭窗口】</div>"""
CHROME_BOTTOM = """<p>责任编辑：张三</p><p>扫一扫在手机打开当前页</p>
<div class="share">分享到：微信 微博</div><p>【打印本页】</p><p>关闭窗口</p>
<div class="footer">版权所有：某市人民政府办公室 ICP备12345678号 网站标识码1234567890</div>"""


def make_html(blocks: list) -> str:
    """A saved government web page: chrome around the notice, tables with rowspan for merged cells."""
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Table):
            width = max(len(r) for r in b.rows)
            rows = [r + [""] * (width - len(r)) for r in b.rows]
            merge = _merge_columns(b)
            covered: set[tuple[int, int]] = set()
            out = ['<table border="1">']
            for r, row in enumerate(rows):
                out.append("<tr>")
                for c, cell in enumerate(row):
                    if (r, c) in covered:
                        continue
                    span = 1
                    if c in merge and cell.strip():
                        while r + span < len(rows) and not rows[r + span][c].strip():
                            covered.add((r + span, c))
                            span += 1
                    attr = f' rowspan="{span}"' if span > 1 else ""
                    out.append(f"<td{attr}>{'<br/>'.join(html.escape(x) for x in cell.split(chr(10)))}</td>")
                out.append("</tr>")
            out.append("</table>")
            body.append("".join(out))
        elif b.strip():
            body.append(f"<p>{html.escape(b.strip())}</p>")
        else:
            body.append("<p>&nbsp;</p>")
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知</title>"
            "<script>var x = '<p>不是正文</p>';</script><style>p{margin:0}</style></head><body>"
            f"{CHROME_TOP}<div class=\"article\">{''.join(body)}</div>{CHROME_BOTTOM}</body></html>")


def make_mht(page: str, charset: str = "gb18030") -> bytes:
    """A .mht web archive holding the page as quoted-printable HTML in ``charset``."""
    msg = MIMEMultipart("related")
    msg["Subject"] = "saved page"
    part = MIMEText(page.replace('charset="utf-8"', f'charset="{charset}"'), "html", charset)
    msg.attach(part)
    return msg.as_bytes()


def render_page(blocks: list, dpi: int = 200, font_pt: float = 10.5) -> list:
    """The notice printed on A4 pages as images (PIL), as a scanner would give them: paragraphs wrapped to
    the text width, tables drawn with rules and their cells wrapped to the column widths."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.conftest import REPO

    scale = dpi / 72
    width, height = int(595 * scale), int(842 * scale)
    margin = int(56 * scale)
    size = int(font_pt * scale)
    font = ImageFont.truetype(str(REPO / "resources" / "fonts" / "wqy-microhei.ttc"), size)
    pitch = int(size * 1.5)
    pages: list = []
    state = {"img": None, "draw": None, "y": 0}

    def new_page():
        img = Image.new("L", (width, height), 255)
        pages.append(img)
        state.update(img=img, draw=ImageDraw.Draw(img), y=margin)

    def wrap(text: str, room: int) -> list[str]:
        lines, cur = [], ""
        for ch in text:
            if font.getlength(cur + ch) > room:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        return lines + [cur] if cur or not lines else lines

    new_page()
    for b in blocks:
        if isinstance(b, Table):
            ncol = max(len(r) for r in b.rows)
            room = width - 2 * margin
            longest = [max((len(r[c]) if c < len(r) else 0) for r in b.rows) for c in range(ncol)]
            weights = [min(max(n, 2), 30) for n in longest]
            widths = [int(room * w / sum(weights)) for w in weights]
            for row in b.rows:
                cells = [wrap(row[c] if c < len(row) else "", widths[c] - size) for c in range(ncol)]
                h = max(len(c) for c in cells) * pitch + size // 2
                if state["y"] + h > height - margin:
                    new_page()
                x, y = margin, state["y"]
                for c in range(ncol):
                    state["draw"].rectangle([x, y, x + widths[c], y + h], outline=0, width=2)
                    for k, line in enumerate(cells[c]):
                        state["draw"].text((x + size // 2, y + size // 4 + k * pitch), line, font=font, fill=0)
                    x += widths[c]
                state["y"] += h
            state["y"] += pitch
            continue
        for line in wrap(b.strip(), width - 2 * margin) if b.strip() else [""]:
            if state["y"] + pitch > height - margin:
                new_page()
            state["draw"].text((margin, state["y"]), line, font=font, fill=0)
            state["y"] += pitch
    return pages


OFD_NS = "http://www.ofdspec.org/2016"


def make_ofd(pages: list[list[tuple[float, float, float, str]]], template: list[tuple[float, float, float, str]] | None = None,
             page_xml: str | None = None, pages_claimed: int | None = None) -> bytes:
    """A small OFD package (GB/T 33190): each page a list of text runs (x mm, baseline y mm, size mm, text),
    ``template`` runs on a template page every page uses. ``page_xml`` replaces the first page's Content.xml
    as given; ``pages_claimed`` lists that many pages in Document.xml, all pointing at page 0's content."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    def content(runs) -> str:
        objs = []
        for n, (x, y, size, text) in enumerate(runs):
            width = size * max(len(text), 1)
            objs.append(f'<ofd:TextObject ID="{100 + n}" Boundary="{x} {y - size} {width} {size * 1.4}" Font="1" '
                        f'Size="{size}"><ofd:TextCode X="0" Y="{size}">{escape(text)}</ofd:TextCode></ofd:TextObject>')
        return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}">'
                + ('<ofd:Template TemplateID="9"/>' if template else "")
                + f'<ofd:Content><ofd:Layer ID="2">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')

    count = pages_claimed or len(pages)
    page_list = "".join(f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n if n < len(pages) else 0}/Content.xml"/>'
                        for n in range(count))
    tpl = '<ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
                '<ofd:MaxUnitID>1000</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>'
                f'</ofd:PageArea>{tpl}</ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>')
    ofd = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
           '<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>'
           '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd)
        z.writestr("Doc_0/Document.xml", document)
        for n, runs in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", page_xml if page_xml is not None and n == 0 else content(runs))
        if template:
            z.writestr("Doc_0/Tpls/Tpl_0/Content.xml", content(template).replace('<ofd:Template TemplateID="9"/>', ""))
    return buf.getvalue()
