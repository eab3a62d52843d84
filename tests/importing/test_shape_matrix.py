"""Shape matrix: each table-carrying corpus notice, rebuilt as a task table and written in every carrier
and flattening a clerk meets (see ``shape_matrix``), parses to the tasks its original file parses to.

The expectation is always the reference parse of the original corpus file, never a written-down answer.
"""
from __future__ import annotations

import json

import pytest

from desktop.importing import NoticeReadError, parse_path
from tests.conftest import CORPUS
from tests.importing import shape_matrix as sm


def _notices() -> list[str]:
    readme = CORPUS / "README.md"
    if not readme.is_file():
        return []
    return sm.table_notices(readme.read_text(encoding="utf-8"), (p.stem for p in CORPUS.glob("*.txt")))


NOTICES = _notices()


def _references() -> dict[str, object]:
    """Reference parses, read once at collection (the plan depends on the tables' shapes). A parse that
    raises is kept as the exception, and the tests of that notice fail with it."""
    out: dict[str, object] = {}
    for name in NOTICES:
        try:
            out[name] = parse_path(CORPUS / f"{name}.txt")
        except Exception as exc:  # reported by test_reference_rebuildable, not at collection
            out[name] = exc
    return out


REFERENCES = _references()
GRIDS = {name: sm.build_grid(name, ref) for name, ref in REFERENCES.items() if not isinstance(ref, Exception)}
CASES = sm.plan_cases(GRIDS)


def test_table_notices_found():
    """The README names table-carrying notices, and only ones with gold tasks."""
    assert CORPUS.is_dir(), f"shared corpus not found at {CORPUS}"
    assert NOTICES, "no table-carrying notice found in the corpus README"
    for name in NOTICES:
        gold = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
        assert gold["tasks"], f"{name}: the README describes a table but the gold has no tasks"


@pytest.mark.parametrize("name", NOTICES)
def test_reference_rebuildable(name):
    """The reference parse has rows to rebuild, and the rebuilt table carries every one faithfully.
    A notice failing here has no (or a partial) shape matrix: the failure says why."""
    ref = REFERENCES[name]
    if isinstance(ref, Exception):
        pytest.fail(f"parse_path({name}.txt) raised {type(ref).__name__}: {ref}")
    grid = GRIDS[name]
    assert grid.rows, f"the reference parse of {name}.txt has no tasks: there is no table to rebuild"
    assert not grid.title_gaps, f"titles a table cannot carry: {grid.title_gaps}"
    assert not grid.caveats, f"the rebuilt table is not faithful: {grid.caveats}"


def test_plan_covers_every_dimension():
    """Each notice appears in every carrier, and per notice every value of every dimension that some
    fair variant of it can take is generated at least once."""
    for name, grid in GRIDS.items():
        if not grid.rows:
            continue
        mine = [v for n, v in CASES if n == name]
        assert {v.carrier for v in mine} == set(sm.CARRIERS), name
        for carrier in sm.CARRIERS:
            possible = sm.fair_variants(grid, carrier)
            chosen = [v for v in mine if v.carrier == carrier]
            for dim in sm.DIMENSIONS:
                values = {getattr(v, dim) for v in possible}
                assert {getattr(v, dim) for v in chosen} == values, (name, carrier, dim)
    ids = [f"{n}-{v.id}" for n, v in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("name", "variant"), CASES, ids=[f"{n[:3]}-{v.id}" for n, v in CASES])
def test_shape(name, variant, tmp_path):
    grid = GRIDS[name]
    path, preview = sm.render(grid, variant, tmp_path)
    if variant.carrier in sm.RICH:  # the generator's own check: the file holds the table it was meant to
        written = sm.read_back(path, variant)
        assert written == sm.expected_read_back(grid, variant), "generator bug, not a parser one"
    expected = sm.task_keys(REFERENCES[name].tasks, grid.title_gaps)
    try:
        parsed = parse_path(path)
    except NoticeReadError as exc:
        pytest.fail(f"{name} {variant.id}\nparse_path raised NoticeReadError: {exc}\n"
                    f"--- rendered ---\n{preview}", pytrace=False)
    got = sm.task_keys(parsed.tasks, grid.title_gaps)
    if got != expected:  # pytest.fail: the message below, without pytest's long diff of two task lists
        pytest.fail(f"{name} {variant.id}\n{sm.describe_difference(expected, got)}\n"
                    f"--- rendered ---\n{preview}", pytrace=False)
