"""Web pages saved from a government site (.html/.htm, and .mht via the stdlib email package).

Site chrome is dropped twice: elements that are navigation, headers, footers, share bars and
the like are removed from the tree here, and frame lines (欢迎访问…, 字号, 打印, 关闭窗口, 责任编辑,
扫一扫…) are dropped later by ``normalise.is_chrome``.  Data tables become Table blocks
(rowspan/colspan expanded, spanned cells empty); layout tables are read as running text.
"""
from __future__ import annotations

import re
import warnings

from ..errors import NoticeReadError
from ..model import SourceDocument, Table
from .text_reader import decode_bytes, plausible

_DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "select", "button", "input", "nav", "header",
              "footer", "aside", "head", "object", "embed", "svg", "canvas", "map", "textarea")
_CHROME_TOKEN = re.compile(
    r"^(?:site|main|top|page|global|g|web|sub|left|right)?[-_]?"
    r"(?:nav|navbar|navigation|menu|menus|header|footer|breadcrumbs?|crumbs?|location|position|share|toolbar|"
    r"sidebar|topbar|copyright|login|search|foot|bottom|fontsize|font[-_]?size|print|tools?|qrcode|ewm)"
    r"(?:[-_]?(?:bar|box|wrap|wrapper|list|area|nav|con|container|inner|main))?$", re.I)
_BLOCK = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
          "h6", "blockquote", "pre", "center", "tr", "table", "address", "hr", "figure", "figcaption", "body",
          "tbody", "thead", "tfoot", "caption"}
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _decode(data: bytes, charset: str | None = None) -> str:
    if not charset:
        m = _META_CHARSET.search(data[:8192])
        charset = m.group(1).decode("ascii", "ignore") if m else None
    if charset:
        enc = charset.lower()
        enc = "gb18030" if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030") else enc
        try:
            text = data.decode(enc)
            if plausible(text):
                return text
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def _is_chrome_element(el) -> bool:
    attrs = getattr(el, "attrs", None) or {}
    tokens = list(attrs.get("class") or []) + [attrs.get("id") or ""]
    if any(t and _CHROME_TOKEN.match(t) for t in tokens):
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _grid(table) -> list[list[str]]:
    """Rows of a data table with rowspan/colspan expanded; covered cells are empty strings."""
    rows: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(tr for tr in table.find_all("tr") if tr.find_parent("table") is table):
        row: list[str] = []
        c = 0
        for cell in tr.find_all(("td", "th"), recursive=False):
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            text = _cell_text(cell)
            try:
                rs = max(1, min(int(cell.get("rowspan", 1) or 1), 500))
                cs = max(1, min(int(cell.get("colspan", 1) or 1), 50))
            except ValueError:
                rs, cs = 1, 1
            for k in range(cs):
                row.append(text if k == 0 else "")
                for down in range(1, rs):
                    pending[(r + down, c + k)] = ""
            c += cs
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        rows.append(row)
    return rows


def _cell_text(cell) -> str:
    lines: list[str] = []
    _flow(cell, lines, tables=None)
    return "\n".join(s.strip() for s in lines if s.strip())


def _is_layout(table) -> bool:
    if table.find("table"):
        return True
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    cols = max((len(tr.find_all(("td", "th"), recursive=False)) for tr in rows), default=0)
    return len(rows) < 2 or cols < 2


def _flow(node, lines: list[str], tables: list | None) -> None:
    """Append the text of ``node`` to ``lines`` (one entry per visual line); data tables go to ``tables``."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Doctype, ProcessingInstruction

    if not lines:
        lines.append("")
    for child in node.children:
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            text = re.sub(r"[ \t\r\n]+", " ", str(child))
            if text.strip() or lines[-1]:
                lines[-1] += text
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            lines.append("")
            continue
        if name == "table" and tables is not None and not _is_layout(child):
            tables.append((len(lines), Table(_grid(child))))
            lines.append("")
            continue
        block = name in _BLOCK or name in ("td", "th")
        if block and lines[-1].strip():
            lines.append("")
        _flow(child, lines, tables)
        if block and lines[-1].strip():
            lines.append("")


def html_to_blocks(text: str) -> list:
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for el in soup.find_all(_is_chrome_element):
        if not el.decomposed:
            el.decompose()
    root = soup.body or soup
    lines: list[str] = []
    tables: list = []
    _flow(root, lines, tables)
    blocks: list = []
    at = {pos: t for pos, t in tables}
    for i, line in enumerate(lines):
        if i in at:
            blocks.append(at[i])
        blocks.append(line.strip())
    return blocks


def read_html(data: bytes, charset: str | None = None) -> SourceDocument:
    blocks = html_to_blocks(_decode(data, charset))
    if not any(isinstance(b, Table) or b for b in blocks):
        raise NoticeReadError("无法读取文件：该网页中没有找到正文文字。请在浏览器中打开原网页，复制通知正文后粘贴导入。")
    return SourceDocument(blocks, kind="html")


def read_mht(data: bytes) -> SourceDocument:
    """A .mht/.mhtml web archive: the first text/html part (or text/plain) of the MIME message."""
    import email
    from email import policy

    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk() if msg.is_multipart() else [msg]:
        ctype = part.get_content_type()
        if ctype in ("text/html", "text/plain"):
            payload = part.get_payload(decode=True)
            if not payload:
                continue
            charset = part.get_content_charset()
            if ctype == "text/html":
                doc = read_html(payload, charset)
            else:
                from .text_reader import text_to_blocks

                doc = SourceDocument(text_to_blocks(_decode(payload, charset)), kind="mht")
            doc.kind = "mht"
            return doc
    if data.lstrip()[:1] == b"<":
        return read_html(data)
    raise NoticeReadError("无法读取文件：该 .mht 网页存档中没有找到网页正文（可能已损坏）。请在浏览器中重新“另存为”网页后再导入。")
