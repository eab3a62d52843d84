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


def _merge_columns(table: Table) -> set[int]:
    header = next((r for r in table.rows if sum(1 for c in r if role_of(c)) >= 3), table.rows[0])
    cols, prev = set(), None
    for i, c in enumerate(header):
        role = role_of(c) if c.strip() else (GROUP if prev == GROUP else None)
        if role in (GROUP, SEQ):
            cols.add(i)
        prev = role
    return cols


def make_docx(blocks: list, path: Path) -> Path:
    """A real .docx: paragraphs, Word tables with vertically merged grouping cells, header and footer."""
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
            if first and b.strip():
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
