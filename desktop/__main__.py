"""``python -m desktop``: the app, or one of the commands of ../shared/docs/cli.md."""
from __future__ import annotations

import sys


def main() -> int:
    from desktop.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
