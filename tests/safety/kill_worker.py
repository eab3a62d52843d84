"""The process that test_kill.py kills: a zygote that imports everything once, then forks workers.

    python tests/safety/kill_worker.py DATA_DIR OUT_DIR ACK_FILE NOTICE_FILE

The zygote parses the corpus notice, warms up storage and both exporters on a scratch ledger (closed
again: no SQLite connection may cross a fork), prints ``ready <nodes per import>`` and then reads
commands from stdin: ``go <seed>`` forks a worker and prints its pid; ``wait <pid>`` reaps it and
prints ``reaped <pid>``. A worker opens the ledger in DATA_DIR and loops for ever over imports,
edits (set_fields, add_task, move_task) and exports to OUT_DIR/target.{docx,pdf}, appending to
ACK_FILE a ``begin …`` line before each action and an acknowledgement line after it commits, each
written and fsynced before going on, so every acknowledged action was committed first.
"""
from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.documents import export  # noqa: E402
from desktop.importing import parse_path  # noqa: E402
from desktop.intake import ledger_rows  # noqa: E402
from desktop.storage.ledger import Ledger  # noqa: E402


def warm(meta: dict, rows: list) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        led = Ledger(Path(tmp))
        nid = led.create_notice_with_tasks(meta, rows)
        notice, tree = led.notice(nid), led.tasks(nid)
        for fmt in ("docx", "pdf"):
            export("table", notice, tree, fmt, Path(tmp) / f"warm.{fmt}")
        led.close()
        return len(tree)


def work(seed: int, data: Path, out: Path, ack_path: Path, meta: dict, rows: list) -> None:
    rnd = random.Random(seed)
    fd = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def ack(line: str) -> None:
        os.write(fd, f"{line}\n".encode())
        os.fsync(fd)

    led = Ledger(data)
    seq = 0
    while True:
        seq += 1
        notices = [n.id for n in led.notices()]
        op = rnd.choices(["import", "field", "add", "move", "export"], [2, 6, 2, 2, 2])[0] if notices else "import"
        if op == "import":
            ack("begin import")
            nid = led.create_notice_with_tasks(meta, rows)
            ack(f"import {nid}")
            continue
        nid = rnd.choice(notices)
        tree = led.tasks(nid)
        if op == "field":
            tid = rnd.choice(tree).id
            value = f"s{seed}-{seq}"
            ack(f"begin field {tid} {value}")
            led.set_fields(tid, remark=value)
            ack(f"field {tid} {value}")
        elif op == "add":
            title = f"added s{seed}-{seq}"
            ack(f"begin add {title}")
            new = led.add_task(nid, None, title=title, text="新增任务")
            ack(f"add {new} {nid} {title}")
        elif op == "move":
            top = [r for r in tree if r.parent_id is None]
            tid = rnd.choice(top).id
            ack(f"begin move {tid}")
            led.move_task(tid, None, rnd.randrange(len(top)))
            ack(f"move {tid}")
        else:
            fmt = rnd.choice(["docx", "pdf"])
            ack(f"begin export {fmt}")
            export("table", led.notice(nid), tree, fmt, out / f"target.{fmt}")
            ack(f"export {fmt}")


def main() -> None:
    data, out, ack_path, notice = (Path(a) for a in sys.argv[1:5])
    meta, rows = ledger_rows(parse_path(notice), source_name=notice.name)
    nodes = warm(meta, rows)
    print(f"ready {nodes}", flush=True)
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "go":
            pid = os.fork()
            if pid == 0:
                try:
                    work(int(arg), data, out, ack_path, meta, rows)
                finally:
                    os._exit(3)  # only reached when the worker fails on its own
            print(pid, flush=True)
        elif cmd == "wait":
            _, status = os.waitpid(int(arg), 0)
            print(f"reaped {arg} {status}", flush=True)
        elif cmd == "quit":
            break


if __name__ == "__main__":
    main()
