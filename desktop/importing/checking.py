"""Tasks to be checked by the clerk because of how their text was read (OCR of page images).

A reader cannot set a task's confidence (tasks are the parser's), so a reader marks the document
(``SourceDocument.ocr``) and ``mark_read_by_ocr`` lowers every task's confidence below ``DOUBTFUL``
with one line of evidence saying why. It is idempotent, so it may run in the parser and after it.
"""
from __future__ import annotations

from .model import DOUBTFUL, ParsedTask

OCR_CONFIDENCE = round(DOUBTFUL - 0.15, 2)  # below the threshold: the import window tints the row
OCR_EVIDENCE = "文字由 OCR 从页面图像识别，可能有错字，请对照原件核对"


def mark_read_by_ocr(tasks: list[ParsedTask]) -> None:
    """Mark every task as read by OCR (to check against the page image)."""
    for t in tasks:
        if OCR_EVIDENCE not in t.evidence:
            t.evidence.append(OCR_EVIDENCE)
        t.confidence = min(t.confidence, OCR_CONFIDENCE)
