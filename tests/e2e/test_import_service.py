"""desktop.import_service, the one import path of the command line and the import window: reading with the
ledger's unit directory and remembered column settings, the duplicate rule, storing, remembering."""
from __future__ import annotations

import pytest

from desktop.import_service import DuplicateNotice, import_notice, read_notice, unit_directory
from desktop.importing import read_document
from desktop.storage.ledger import Ledger

SONGMING = "000_songming_2021.txt"


@pytest.fixture
def ledger(tmp_path):
    with Ledger(data_dir=tmp_path / "ledger") as led:
        yield led


def units_of(parsed) -> set[str]:
    return {u for t in parsed.tasks for u in t.lead_units + t.units}


def test_the_unit_directory_maps_aliases_and_names_the_unknown(ledger, corpus_dir):
    doc = read_document(corpus_dir / SONGMING)
    plain = read_notice(doc, None).parsed
    assert "县政府办" in units_of(plain)
    assert not [w for w in plain.warnings if "不在单位库中" in w]  # no directory: nothing to compare with
    ledger.add_unit("嵩明县人民政府办公室", short_name="县政府办")
    assert unit_directory(ledger) == [("嵩明县人民政府办公室", ["县政府办"])]
    mapped = read_notice(doc, ledger).parsed
    assert "嵩明县人民政府办公室" in units_of(mapped) and "县政府办" not in units_of(mapped)
    unknown = [w for w in mapped.warnings if "不在单位库中" in w]
    assert len(unknown) == 1 and "县政府办" not in unknown[0]


def test_a_remembered_setting_is_applied_unless_the_clerk_names_the_columns(ledger, corpus_dir):
    from desktop.importing import TableChoice
    from desktop.intake import header_labels

    doc = read_document(corpus_dir / "101_dazhu-2016-minsheng-shishi.txt")
    first = read_notice(doc, ledger)
    assert first.remembered is None and first.parsed.tables
    k = next(i for i, g in enumerate(first.parsed.tables, 1) if g.tasks)
    grid = first.parsed.tables[k - 1]
    labels = header_labels(grid)
    roles = ["other" if r == "deadline" else r for r in grid.roles]  # the clerk ignores the deadline column
    ledger.remember_columns(labels, roles)
    again = read_notice(doc, ledger)
    assert again.remembered == (k, labels, roles) and again.choice.columns == roles
    assert not any(t.deadline for t in again.parsed.tasks) and any(t.deadline for t in first.parsed.tasks)
    own = TableChoice(table=k, header_row=grid.header_row, columns=list(grid.roles))
    assert read_notice(doc, ledger, own).remembered is None


def test_a_notice_already_held_is_refused_unless_as_new(ledger, corpus_dir):
    path = corpus_dir / "002_lezhi_2023_table.txt"
    parsed = read_notice(read_document(path), ledger).parsed
    assert parsed.doc_number
    first = import_notice(ledger, parsed, source_name=path.name, source_bytes=path.read_bytes())
    assert first.warnings == parsed.warnings
    with pytest.raises(DuplicateNotice) as refused:
        import_notice(ledger, parsed, source_name=path.name, source_bytes=b"another file",
                      fields={"title": "另一个标题"})  # same 文号
    assert refused.value.existing_id == first.notice_id and str(first.notice_id) in str(refused.value)
    assert [n.id for n in ledger.notices()] == [first.notice_id]
    second = import_notice(ledger, parsed, source_name=path.name, source_bytes=path.read_bytes(), as_new=True)
    assert len(ledger.notices()) == 2 and second.notice_id != first.notice_id


def test_reviewed_rows_and_fields_are_stored_as_given(ledger, corpus_dir):
    path = corpus_dir / SONGMING
    parsed = read_notice(read_document(path), ledger).parsed
    rows = [{"title": "核对后的任务", "text": "具体内容", "lead_units": ["县政府办"],
             "children": [{"title": "下一级", "text": "细项"}]}]
    done = import_notice(ledger, parsed, rows=rows, fields={"title": "核对后的标题", "year": 2022})
    notice = ledger.notice(done.notice_id)
    assert (notice.title, notice.year, notice.doc_number) == ("核对后的标题", 2022, parsed.doc_number)
    assert [(r.depth, r.title) for r in ledger.tasks(done.notice_id)] == [(1, "核对后的任务"), (2, "下一级")]


def test_a_setting_that_cannot_be_remembered_leaves_the_notice_stored(ledger, corpus_dir):
    path = corpus_dir / SONGMING
    parsed = read_notice(read_document(path), ledger).parsed
    too_long = ["很长的表头" * 200] * 3
    done = import_notice(ledger, parsed, remember=(too_long, ["content", "units", "deadline"]))
    assert done.remembered is None and "表头" in done.not_remembered
    assert [n.id for n in ledger.notices()] == [done.notice_id]
    kept = import_notice(ledger, parsed, as_new=True, remember=(["事项", "单位"], ["content", "units"]))
    assert kept.remembered and ledger.remembered_columns(["事项", "单位"]) == ["content", "units"]
