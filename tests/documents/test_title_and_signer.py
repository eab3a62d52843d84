"""Never a placeholder as a title; the 署名 from the office's own name, asked once; the 署名 and date keep with
the last lines of the body. Through the library, the command line (exit 2 in Chinese) and the export dialog."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from pypdf import PdfReader

from desktop.documents import KINDS, MissingTitle, build, export
from desktop.documents.model import PLACEHOLDER_TITLES, has_title
from desktop.documents.report import ReportInfo
from tests.documents.conftest import TODAY
from tests.e2e.test_cli import run  # noqa: E402,F401  (the CLI in-process: one helper)

PLACEHOLDER = "（无标题通知）"  # what older imports stored (desktop.intake)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path) -> str:
    return squash("".join(p.extract_text() for p in PdfReader(str(path)).pages))


@pytest.mark.parametrize("title", [PLACEHOLDER, "", "  ", None, "（无标题）"])
def test_a_placeholder_or_empty_title_is_no_title(notice, rows, title):
    untitled = dataclasses.replace(notice, title=title)
    assert not has_title(untitled) and PLACEHOLDER in PLACEHOLDER_TITLES
    for kind in KINDS:
        with pytest.raises(MissingTitle, match="请先填写通知的标题"):
            build(kind, untitled, rows, today=TODAY)
    assert has_title(notice)


# ---- command line --------------------------------------------------------------------------------------------



@pytest.fixture
def untitled_id(tmp_path, rows):
    """A notice stored as an older import stored one without a read title."""
    from desktop.intake import nested_rows
    from desktop.storage.ledger import Ledger

    with Ledger(data_dir=tmp_path / "data") as ledger:
        return ledger.create_notice_with_tasks({"title": PLACEHOLDER, "year": 2023}, nested_rows(rows))


def test_cli_refuses_a_notice_without_a_title_in_chinese_and_takes_title_and_office(tmp_path, capsys, untitled_id):
    data = str(tmp_path / "data")
    out = tmp_path / "r.pdf"
    for what in ("table", "report"):
        code, _out, err = run(capsys, "export", str(untitled_id), "--what", what, "--format", "pdf", "--out",
                              str(out), "--data-dir", data)
        assert code == 2 and "没有标题" in err and "--title" in err and "Traceback" not in err
        assert not out.exists()
    code, stdout, err = run(capsys, "export", str(untitled_id), "--what", "report", "--format", "pdf", "--out",
                            str(out), "--data-dir", data, "--today", "2023-12-25", "--title",
                            "关于印发2023年政务公开工作要点的通知")
    assert code == 0, err
    assert "没有署名" in stdout and "--office" in stdout  # no office yet: said, not silently left out
    text = pdf_text(out)
    assert "关于2023年政务公开工作要点落实情况的报告" in text and "无标题" not in text
    code, stdout, err = run(capsys, "export", str(untitled_id), "--what", "report", "--format", "docx", "--out",
                            str(tmp_path / "r.docx"), "--data-dir", data, "--title", "关于印发2023年政务公开工作要点的通知",
                            "--office", "X县人民政府办公室")
    assert code == 0 and "没有署名" not in stdout, err
    # remembered: the next export signs without --office
    code, stdout, err = run(capsys, "export", str(untitled_id), "--what", "report", "--format", "pdf", "--out",
                            str(out), "--data-dir", data, "--title", "关于印发2023年政务公开工作要点的通知")
    assert code == 0 and "没有署名" not in stdout and "X县人民政府办公室" in pdf_text(out)
    assert PdfReader(str(out)).metadata.author == "X县人民政府办公室"


# ---- the export dialog ---------------------------------------------------------------------------------------

@pytest.fixture
def dialog_for(qtbot, tmp_path, monkeypatch):
    from desktop.settings import Settings
    from desktop.ui.export_dialog import ExportDialog, ExportSource
    from desktop.ui.messages import MessageBridge

    asked: dict[str, list] = {"title": [], "office": []}
    made = []

    def make(notice, rows, title=None, office=None):
        monkeypatch.setattr(ExportDialog, "ask_title", lambda self: asked["title"].append(1) or title)
        monkeypatch.setattr(ExportDialog, "ask_office", lambda self: asked["office"].append(1) or office)
        settings = Settings(tmp_path / "ui.ini")
        dlg = ExportDialog(ExportSource(notice, rows, today=TODAY), MessageBridge(show_boxes=False), settings,
                           preview_delay=0)
        qtbot.addWidget(dlg)
        made.append(dlg)
        return dlg

    yield make, asked
    for dlg in made:
        dlg.reject()


def test_dialog_asks_for_the_missing_title_before_anything_is_printed(qtbot, tmp_path, notice, rows, dialog_for):
    make, asked = dialog_for
    untitled = dataclasses.replace(notice, title=PLACEHOLDER)
    dlg = make(untitled, rows, title="关于印发2023年政务公开工作要点的通知")
    given = []
    dlg.title_given.connect(given.append)
    with qtbot.waitSignal(dlg.preview_ready, timeout=30000):
        dlg.start_preview()
    assert asked["title"] == [1] and given == ["关于印发2023年政务公开工作要点的通知"]
    assert dlg.source.notice.title == "关于印发2023年政务公开工作要点的通知"
    out = tmp_path / "t.pdf"
    with qtbot.waitSignal(dlg.exported, timeout=30000):
        assert dlg.export_to(out)
    text = pdf_text(out)
    assert "2023年政务公开工作要点任务分解表" in text and "无标题" not in text


def test_dialog_exports_nothing_when_the_clerk_gives_no_title(qtbot, tmp_path, notice, rows, dialog_for):
    make, asked = dialog_for
    dlg = make(dataclasses.replace(notice, title=""), rows, title=None)
    dlg.start_preview()
    assert asked["title"] == [1] and dlg.preview.page_count() == 0
    assert not dlg.export_to(tmp_path / "t.pdf") and asked["title"] == [1, 1]
    assert not (tmp_path / "t.pdf").exists()


def test_dialog_asks_for_the_office_once_and_signs_the_report_with_it(qtbot, notice, rows, dialog_for):
    make, asked = dialog_for
    dlg = make(notice, rows, office="X县人民政府办公室")
    dlg.set_kind("report")
    assert not (dlg.report_editor.info().signer or "")
    assert dlg.ensure_signer() and asked["office"] == [1]
    assert dlg.report_editor.info().signer == "X县人民政府办公室" and dlg.office() == "X县人民政府办公室"
    again = make(notice, rows, office="不会被问到")
    again.set_kind("report")
    assert again.report_editor.info().signer == "X县人民政府办公室" and asked["office"] == [1]


# ---- the report's last page ----------------------------------------------------------------------------------

@pytest.mark.parametrize("attachment", [False, True])
def test_signature_and_date_keep_with_the_last_lines_of_the_body(tmp_path, notice, rows, attachment):
    """Whatever the body's length, the page with the 署名 and the date also holds "特此报告。" and the short
    paragraph before it (GB/T 9704 §7.3.5.2); the date is never alone."""
    for k in range(0, 44, 3):
        body = ["根据要求，现将有关情况报告如下。"] + [f"第{i}段，" + "各项任务按计划推进。" * 3 for i in range(k)] + [
            "下一步，我们将继续抓好落实。", "特此报告。"]
        info = ReportInfo(recipients="X县人民政府办公室", signer="X县数据资源局", date=dt.date(2023, 12, 25), body=body,
                          attachment=attachment)
        out = tmp_path / f"r{k}.pdf"
        export("report", notice, rows, "pdf", out, today=TODAY, report=info)
        pages = [squash(p.extract_text()) for p in PdfReader(str(out)).pages]
        signed = [p for p in pages if "X县数据资源局" in p and "2023年12月25日" in p]
        assert len(signed) == 1, k
        assert "特此报告。" in signed[0] and "下一步，我们将继续抓好落实。" in signed[0], k
