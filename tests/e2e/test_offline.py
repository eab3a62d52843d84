"""The app and its commands open no network connection: checked with CPython audit hooks in a real process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Runs the CLI with an audit hook that records every IP connect or name look-up to a file.
HOOKED = r"""
import socket, sys
log = open(sys.argv[1], "a", encoding="utf-8")
def hook(event, args):
    if event == "socket.connect":
        sock = args[0]
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            log.write(f"connect {args[1]!r}\n"); log.flush()
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        log.write(f"{event} {args!r}\n"); log.flush()
sys.addaudithook(hook)
from desktop.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run_hooked(tmp_path: Path, *argv: str) -> tuple[subprocess.CompletedProcess, str]:
    events = tmp_path / "net-events.txt"
    events.write_text("")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NOTICEDESK_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-c", HOOKED, str(events), *argv], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    return proc, events.read_text()


def test_window_start_opens_no_socket(tmp_path):
    proc, events = run_hooked(tmp_path, "--quit-when-ready", "--no-err-windows")
    assert proc.returncode == 0, proc.stderr
    assert events == ""


def test_parse_import_and_list_open_no_socket(tmp_path, corpus_dir):
    notice = corpus_dir / "000_songming_2021.txt"
    proc, events = run_hooked(tmp_path, "import", str(notice))
    assert proc.returncode == 0, proc.stderr
    notice_id = int(proc.stdout.strip().splitlines()[-1])
    proc, events2 = run_hooked(tmp_path, "tasks", str(notice_id), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tasks"]
    assert events == events2 == ""


def test_guard_catches_a_real_connect(tmp_path):
    """The hook itself works: a deliberate connect to a closed loopback port is recorded."""
    events = tmp_path / "ev.txt"
    code = HOOKED.split("from desktop.cli")[0] + (
        "s = socket.socket()\ntry:\n    s.connect(('127.0.0.1', 9))\nexcept OSError:\n    pass\n")
    subprocess.run([sys.executable, "-c", code, str(events)], timeout=30, check=True)
    assert "connect" in events.read_text()


@pytest.mark.parametrize("argv", [["--version"]])
def test_version(tmp_path, argv):
    proc, events = run_hooked(tmp_path, *argv)
    assert proc.returncode == 0
    assert proc.stdout.startswith("NoticeDesk ")
    assert events == ""
