"""The command line as a package (issue 19) keeps the contract of ../shared/docs/cli.md: every command and
option named in its table is accepted, and each command's parser is wired from one command-group module."""
from __future__ import annotations

import argparse
import re

import pytest

from desktop.cli import build_parser
from tests.conftest import SHARED

CLI_MD = SHARED / "docs" / "cli.md"


def contract() -> dict[str, set[str]]:
    """command → the options cli.md's table names for it: each `python -m desktop COMMAND …` usage gives
    its own options; a row that opens with bare command names (`parse`/`import` …) gives its options to each."""
    out: dict[str, set[str]] = {}
    for line in CLI_MD.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        bare: list[str] = []
        for usage in re.findall(r"`([^`]*)`", line.split("|")[1]):
            options = set(re.findall(r"--[a-z][a-z-]*", usage))
            command = re.match(r"python -m desktop ([a-z][a-z-]+)", usage)
            if command:
                out.setdefault(command.group(1), set()).update(options)
            elif re.fullmatch(r"[a-z][a-z-]+", usage):
                bare.append(usage)
            for name in bare:
                out.setdefault(name, set()).update(options)
    return out


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_the_contract_is_read():
    named = contract()
    assert {"parse", "import", "notices", "tasks", "task", "digest", "stats", "export", "returns",
            "annual-report", "backup"} <= set(named)
    assert {"--columns", "--remember", "--as-new"} <= named["import"]


@pytest.mark.parametrize("command", sorted(contract()))
def test_every_command_and_option_of_cli_md(command):
    commands = subcommands()
    assert command in commands
    accepted = {o for a in commands[command]._actions for o in a.option_strings}
    assert contract()[command] | {"--data-dir", "--db-url", "--debug"} <= accepted


def test_each_command_comes_from_a_command_group_module():
    for name, parser in subcommands().items():
        func = parser.get_default("func")
        assert func is not None, name
        module = func.__module__
        assert module.startswith("desktop.cli."), (name, module)
        assert module not in ("desktop.cli.entry", "desktop.cli.common"), (name, module)
