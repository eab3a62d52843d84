"""Crash safety proven by real kills (issue 8): SIGKILL a process at random moments while it imports,
edits and exports; after every kill the ledger passes ``PRAGMA integrity_check``, every acknowledged
action is there, every import is whole or absent, and the export targets are whole files or absent.

The worker (kill_worker.py) acknowledges an action only after the Ledger call returned, i.e. after
its transaction committed; the kill lands anywhere (in a transaction, between commit and
acknowledgement, inside an export). A process kill must lose nothing acknowledged: a committed
transaction is in the WAL file in the OS's cache even if never synced. (A power cut is another
matter: see engine.py, synchronous=FULL.) Bounded: KILLS kills, a few seconds of set-up.
"""
from __future__ import annotations

import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from desktop.storage.paths import DB_FILE_NAME

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill loop forks workers (POSIX only)")

KILLS = 25
SEED = 20240308
WORKER = Path(__file__).with_name("kill_worker.py")
NOTICE = "000_songming_2021.txt"


class Zygote:
    def __init__(self, tmp: Path, corpus: Path) -> None:
        self.data, self.out, self.acks = tmp / "data", tmp / "out", tmp / "acks.log"
        self.data.mkdir()
        self.out.mkdir()
        self.stderr = open(tmp / "worker.err", "w+b")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen([sys.executable, str(WORKER), str(self.data), str(self.out), str(self.acks),
                                      str(corpus / NOTICE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True, bufsize=1)
        line = self.proc.stdout.readline().split()
        assert line and line[0] == "ready", self.errors()
        self.nodes = int(line[1])

    def ask(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert answer, self.errors()
        return answer

    def errors(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def close(self) -> None:
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        self.proc.stdout.close()
        self.stderr.close()


def read_acks(path: Path) -> tuple[list[list[str]], str | None]:
    """The acknowledgement lines, and what was in flight at the last kill (a 'begin' without its ack)."""
    if not path.exists():
        return [], None
    lines = [ln.split(" ") for ln in path.read_text().splitlines() if ln.strip()]
    pending = lines[-1][1] if lines and lines[-1][0] == "begin" else None
    return lines, pending


def verify(z: Zygote, lines: list[list[str]]) -> None:
    db = z.data / DB_FILE_NAME
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        notices = {i for (i,) in con.execute("SELECT id FROM notice")}
        # Whole or absent: every stored notice has all the nodes of an import (plus tasks added to it).
        for nid, n in con.execute("SELECT notice.id, (SELECT count(*) FROM task WHERE task.notice_id = notice.id"
                                  " AND task.title NOT LIKE 'added %') FROM notice"):
            assert n == z.nodes, f"notice {nid} has {n} of its {z.nodes} imported tasks"
        remark = dict(con.execute("SELECT id, remark FROM task"))
        tasks = {i: (nid, title) for i, nid, title in con.execute("SELECT id, notice_id, title FROM task")}
        # Dense sibling positions, parents in the same notice.
        siblings = defaultdict(list)
        for _tid, nid, parent, pos in con.execute("SELECT id, notice_id, parent_id, position FROM task"):
            siblings[(nid, parent)].append(pos)
            assert parent is None or tasks[parent][0] == nid
        for key, positions in siblings.items():
            assert sorted(positions) == list(range(len(positions))), key
    finally:
        con.close()
    # Every acknowledged action is there; a field may also hold a value begun later but not acknowledged.
    allowed: dict[int, set[str]] = {}
    for words in lines:
        if words[0] == "import":
            assert int(words[1]) in notices, f"acknowledged import {words[1]} lost"
        elif words[0] == "add":
            tid, nid, title = int(words[1]), int(words[2]), " ".join(words[3:])
            assert tasks.get(tid) == (nid, title), f"acknowledged add_task {tid} lost"
        elif words[0] == "field":
            allowed[int(words[1])] = {words[2]}
        elif words[:2] == ["begin", "field"]:
            allowed.setdefault(int(words[2]), {""}).add(words[3])
    for tid, values in allowed.items():
        assert remark[tid] in values, f"task {tid}: remark {remark[tid]!r}, acknowledged {values}"
    # An export target is a whole document or absent (written to a temporary file, then renamed).
    docx, pdf = z.out / "target.docx", z.out / "target.pdf"
    if docx.exists():
        with zipfile.ZipFile(docx) as zf:
            assert zf.testzip() is None and "word/document.xml" in zf.namelist()
    if pdf.exists():
        body = pdf.read_bytes()
        assert body.startswith(b"%PDF") and body.rstrip().endswith(b"%%EOF")
        from pypdf import PdfReader

        assert len(PdfReader(io.BytesIO(body)).pages) >= 1


def test_random_kills_lose_nothing_acknowledged(tmp_path, corpus_dir):
    started = time.monotonic()
    rnd = random.Random(SEED)
    z = Zygote(tmp_path, corpus_dir)
    in_flight: Counter[str] = Counter()
    try:
        for round_ in range(KILLS):
            pid = int(z.ask(f"go {SEED + round_}"))
            time.sleep(rnd.uniform(0.05, 0.9))
            os.kill(pid, signal.SIGKILL)
            status = int(z.ask(f"wait {pid}").split()[2])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
                f"worker ended by itself ({status}):\n{z.errors()}"
            lines, pending = read_acks(z.acks)
            in_flight[pending or "between actions"] += 1
            verify(z, lines)
    finally:
        z.close()
    lines, _ = read_acks(z.acks)
    done = Counter(w[0] for w in lines if w[0] != "begin")
    elapsed = time.monotonic() - started
    print(f"\n{KILLS} kills in {elapsed:.1f} s; killed during: {dict(in_flight)}; acknowledged: {dict(done)}; "
          f"leftover temporary export files: {len(list(z.out.glob('.noticedesk-*')))}")
    assert done["import"] >= 3 and done["field"] >= 10 and done["export"] >= 1
    assert elapsed < 40
