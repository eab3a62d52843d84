"""Shared test set-up: offscreen Qt, a temporary data folder, no network for any test, and a system temp
folder per test that must be left empty."""
from __future__ import annotations

import gc
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


class NetworkUsed(AssertionError):
    """A test (or the code under it) tried to reach the network."""


def _refuse(*args, **kwargs):
    raise NetworkUsed(f"network access attempted: {args!r}")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Every test runs with IP connects and name look-ups refused."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    yield


# Made on purpose to outlive one use: the fallback log folder, the evidence viewer's cache, and the 51-byte
# marker the OCR engine (onnxruntime) writes once per machine and reads back.
KEPT_IN_TEMP = {"NoticeDesk-logs", "noticedesk-evidence-cache", ".ses"}


@pytest.fixture(autouse=True)
def _temp_left_clean(tmp_path_factory, monkeypatch):
    """Every test gets its own system temp folder (``tempfile`` and TMPDIR, so child processes too); what is
    left in it after the test — a preview folder, a scratch ledger, a conversion folder the app made and did
    not remove — fails the test. Widgets are collected first, as closing a window would."""
    folder = tmp_path_factory.mktemp("systemp", numbered=True)
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    gc.collect()
    left = sorted(p.name for p in folder.iterdir() if p.name not in KEPT_IN_TEMP)
    shutil.rmtree(folder, ignore_errors=True)
    if left:
        pytest.fail(f"left in the temp folder after the test: {left}")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A fresh data folder, also exported as NOTICEDESK_DATA_DIR for code that reads the default."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("NOTICEDESK_DATA_DIR", str(d))
    return d


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}: the tests need ../shared beside the repo")
    return CORPUS
