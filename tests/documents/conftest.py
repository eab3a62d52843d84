"""Document tests run against the bundled fonts only, whatever this machine has installed, and keep the font
cache (``font_cache``) in a temporary folder."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.documents.sample import NOTICE, make_rows

TODAY = dt.date(2023, 7, 15)


@pytest.fixture(scope="session", autouse=True)
def _bundled_fonts_and_cache(tmp_path_factory):
    """For module- and session-wide exports too (set before them)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NOTICEDESK_FONT_DIRS", str(tmp_path_factory.mktemp("no-fonts")))
        mp.setenv("NOTICEDESK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _no_system_fonts(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("NOTICEDESK_FONT_DIRS", str(tmp_path_factory.mktemp("no-fonts")))


@pytest.fixture(scope="session")
def rows():
    """The reference input: 40 tasks in 5 sections, every third task with 3 items (84 rows)."""
    return make_rows(40)


@pytest.fixture(scope="session")
def notice():
    return NOTICE
