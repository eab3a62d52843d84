"""Helpers for the data-safety tests: run the command line as a separate process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.safety.trust_fixtures import (  # noqa: F401  (fixtures of the trust-boundary tests, both engines)
    engine_name,
    ledger,
    notice_id,
    open_ledger,
    pg_admin,
    pg_url,
    small_fs,
    store,
    where,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def run_cli():
    """``run_cli(*args, data_dir=…, preexec_fn=…)`` -> CompletedProcess of ``python -m desktop``."""

    def run(*args: str, data_dir: Path | None = None, env: dict[str, str] | None = None,
            preexec_fn=None, timeout: float = 120) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        extra = ["--data-dir", str(data_dir)] if data_dir is not None else []
        return subprocess.run([sys.executable, "-m", "desktop", *args, *extra], cwd=REPO, env=full_env,
                              capture_output=True, text=True, timeout=timeout, preexec_fn=preexec_fn)

    return run


def assert_refused(proc: subprocess.CompletedProcess, *words: str) -> None:
    """Exit status 2, one clear Chinese message on stderr, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert err and "Traceback" not in err and any("\u4e00" <= ch <= "\u9fff" for ch in err), err
    for w in words:
        assert w in err, err
