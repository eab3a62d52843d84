"""Every corpus notice, parsed from its .txt, meets the quality goals against its gold file."""
from __future__ import annotations

import json

import pytest

from desktop.importing import parse_path, to_json_dict
from tests.conftest import CORPUS

NOTICES = sorted(p.stem for p in CORPUS.glob("*.txt"))


@pytest.mark.parametrize("zhconv_in_scorer", [True, False], ids=["scorer-with-zhconv", "scorer-without-zhconv"])
@pytest.mark.parametrize("name", NOTICES)
def test_corpus_scores(name, corpus_dir, scorer, monkeypatch, zhconv_in_scorer):
    # The scorer folds traditional to simplified only when zhconv is importable where it runs, so
    # the JSON must report text as printed to score the same either way.
    if not zhconv_in_scorer:
        monkeypatch.setattr(scorer, "_fold", lambda text: text)
    gold = json.loads((corpus_dir / f"{name}.gold.json").read_text(encoding="utf-8"))
    pred = to_json_dict(parse_path(corpus_dir / f"{name}.txt"))
    s = scorer.score(gold, pred)
    summary = scorer.summary(s)
    assert s["recall"] >= 0.97, summary
    assert s["precision"] >= 0.95, summary
    assert s["units_f1"] >= 0.95, summary
    assert s["deadline"] >= 0.95, summary
    assert s["meta_ok"] == s["meta_n"], summary
    assert pred["year"] == gold["year"]


@pytest.mark.parametrize("name", NOTICES)
def test_json_shape_and_spans(name, corpus_dir):
    parsed = parse_path(corpus_dir / f"{name}.txt")
    data = to_json_dict(parsed)
    assert list(data) == ["title", "doc_number", "issuer", "date", "year", "recipients", "warnings", "tasks"]
    keys = ["level", "number", "section", "title", "text", "lead_units", "units", "deadline", "due_date",
            "deadline_kind", "source_span", "confidence", "evidence"]
    json.dumps(data, ensure_ascii=False)
    for t, task in zip(data["tasks"], parsed.tasks, strict=True):
        assert list(t) == keys
        assert t["deadline_kind"] in ("date", "year_round", "long_term", "recurring", "none")
        assert 0.0 <= t["confidence"] <= 1.0 and t["evidence"] and all(isinstance(e, str) for e in t["evidence"])
        start, end = t["source_span"]
        assert 0 <= start < end <= len(parsed.source_text)
        assert task.text[:6] in parsed.source_text[start:end]
