"""``to_json_dict``: a ParsedNotice as the ``parse --json`` schema of docs/cli.md, key for key.

Text is reported as printed: a notice in traditional characters is parsed through its simplified
folding (the ledger and the window show simplified), and its JSON gives the printed characters back.
"""
from __future__ import annotations

from desktop.domain import section_path, section_text

from .model import ParsedNotice


def to_json_dict(parsed: ParsedNotice) -> dict:
    p = parsed.script.restore if parsed.script is not None else (lambda s: s)
    return {
        "title": p(parsed.title),
        "doc_number": p(parsed.doc_number),
        "issuer": p(parsed.issuer),
        "date": parsed.date.isoformat() if parsed.date else None,
        "year": parsed.year,
        "recipients": p(parsed.recipients),
        "warnings": list(parsed.warnings),
        "tasks": [
            {
                "level": t.level,
                "number": t.number,
                "section": section_text(p(part) for part in section_path(t.section)) if t.section else t.section,
                "title": p(t.title),
                "text": p(t.text),
                "lead_units": [p(u) for u in t.lead_units],
                "units": [p(u) for u in t.units],
                "deadline": p(t.deadline),
                "due_date": t.due_date.isoformat() if t.due_date else None,
                "deadline_kind": t.deadline_kind,
                "source_span": [t.source_span[0], t.source_span[1]],
                "confidence": round(t.confidence, 2),
                "evidence": list(t.evidence),
            }
            for t in parsed.tasks
        ],
    }
