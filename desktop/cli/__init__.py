"""The command line of ../shared/docs/cli.md, on the same service API as the window: one module per command
group — ``notices`` (parse, import, notices), ``tracking`` (tasks, task, digest, stats), ``documents``
(export), ``backup`` (backup, restore), ``server`` (migrate; backup/restore of a server ledger) and
``exchange`` (returns, feedback, carry-forward, compare) — over ``common`` (errors, options, the ledger),
wired in ``entry`` (``main``, ``build_parser``). Imports go one way: entry → groups → common.
"""
from __future__ import annotations

from .common import UserError, common_options
from .entry import build_parser, main, names_a_command, run_command

_common = common_options  # the name desktop/annual/cli.py and its tests know the shared options by

__all__ = ["UserError", "build_parser", "common_options", "main", "names_a_command", "run_command"]
