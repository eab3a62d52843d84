"""Scanned pages and photos by offline OCR (the ``ocr`` extra): a corpus notice printed to an image gives its
tasks as .png and as an image-only PDF, every task marked for checking; without the extra, a clear message."""
from __future__ import annotations

import json
import os

import pytest

from desktop.importing import NoticeReadError, parse_document, parse_path, read_document, to_json_dict
from desktop.importing.model import DOUBTFUL
from desktop.importing.readers import ocr_reader
from tests.conftest import CORPUS
from tests.importing.builders import corpus_blocks, render_page

NAME = "102_beijing-2018-zwgk-yaodian"  # a one-page notice: four tasks with their units


def _need_ocr():
    if not ocr_reader.ocr_available():
        if os.environ.get("CI"):
            pytest.fail("the OCR extra is missing: .ci/run installs it (pip install -e '.[ocr]')")
        pytest.skip("OCR extra not installed (pip install -e '.[ocr]' or make ocr)")


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    out = tmp_path_factory.mktemp("scan")
    (page,) = render_page(corpus_blocks(CORPUS / f"{NAME}.txt"))
    png = out / "通知.png"
    page.save(png)
    pdf = out / "扫描件.pdf"
    page.save(pdf, "PDF", resolution=200)  # an image-only PDF, as a scanner makes
    return {"png": png, "pdf": pdf}


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_ocr_gives_the_tasks_each_marked_for_checking(kind, scans, scorer):
    _need_ocr()
    gold = json.loads((CORPUS / f"{NAME}.gold.json").read_text(encoding="utf-8"))
    doc = read_document(scans[kind])  # OCR runs once: a few seconds a page
    assert doc.ocr and len(doc.page_images) == 1 and doc.page_images[0].startswith(b"\x89PNG")
    parsed = parse_document(doc)
    s = scorer.score(gold, to_json_dict(parsed))
    assert s["recall"] >= 0.9, scorer.summary(s)
    assert s["units_f1"] >= 0.9, scorer.summary(s)
    assert parsed.tasks and all(t.confidence < DOUBTFUL and any("OCR" in e for e in t.evidence) for t in parsed.tasks)
    assert any("OCR" in w for w in parsed.warnings)


def test_without_the_extra_a_clear_message(scans, monkeypatch, tmp_path):
    monkeypatch.setattr(ocr_reader, "ocr_available", lambda: False)
    for path in (scans["png"], scans["pdf"]):
        with pytest.raises(NoticeReadError) as err:
            parse_path(path)
        msg = str(err.value)
        assert "pip install -e '.[ocr]'" in msg and "make ocr" in msg and msg.endswith("。") and "\n" not in msg


def test_not_an_image(tmp_path):
    path = tmp_path / "照片.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    with pytest.raises(NoticeReadError) as err:
        parse_path(path)
    assert str(err.value).startswith("无法读取文件")
