"""WordprocessingML pieces the .docx writer builds by hand (python-docx has no API for them).

``el`` makes an element with ``w:`` attributes, ``align`` maps the documents' alignment names to
python-docx's, ``cell_margins`` a ``w:tblCellMar``; ``AFTER_SNAP`` lists the ``w:pPr`` children that
come after ``w:snapToGrid`` in the schema.
"""
from __future__ import annotations

AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def align(name: str):
    """python-docx's paragraph alignment for "left", "center", "right" or "justify"."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[name]


def cell_margins(y: int = 0, x: int = 0):
    """``w:tblCellMar`` in twips: ``y`` above and below, ``x`` left and right (0: flush, as frame tables
    for page numbers and 版记 need)."""
    mar = el("w:tblCellMar")
    for side, v in (("top", y), ("left", x), ("bottom", y), ("right", x)):
        mar.append(el(f"w:{side}", w=str(v), type="dxa"))
    return mar


def el(tag: str, **attrs: str):
    """A ``tag`` element whose attributes are ``w:``-qualified."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), v)
    return e
