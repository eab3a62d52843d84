"""``to_json_dict``: a ParsedNotice as the ``parse --json`` schema of docs/cli.md, key for key."""
from __future__ import annotations

from .model import ParsedNotice


def to_json_dict(parsed: ParsedNotice) -> dict:
    return {
        "title": parsed.title,
        "doc_number": parsed.doc_number,
        "issuer": parsed.issuer,
        "date": parsed.date.isoformat() if parsed.date else None,
        "year": parsed.year,
        "recipients": parsed.recipients,
        "warnings": list(parsed.warnings),
        "tasks": [
            {
                "level": t.level,
                "number": t.number,
                "section": t.section,
                "title": t.title,
                "text": t.text,
                "lead_units": list(t.lead_units),
                "units": list(t.units),
                "deadline": t.deadline,
                "due_date": t.due_date.isoformat() if t.due_date else None,
                "deadline_kind": t.deadline_kind,
                "source_span": [t.source_span[0], t.source_span[1]],
            }
            for t in parsed.tasks
        ],
    }
