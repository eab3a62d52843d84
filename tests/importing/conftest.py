"""Fixtures for the importer tests: the scorer of ../shared/tools and the corpus notices."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from desktop.importing.normalise import zhconv_module
from tests.conftest import SHARED


@pytest.fixture(scope="session")
def scorer():
    zhconv_module()  # load zhconv's dictionary without the file-handle leak of its own loader
    path = SHARED / "tools" / "score_notice.py"
    spec = importlib.util.spec_from_file_location("score_notice", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("score_notice", module)
    spec.loader.exec_module(module)
    return module
