"""The `shopops` command (and `python -m shopsheet`): start reading the workbook, then run.

A routine that reads Orders spends about a second loading pandas and pandera before it can read
anything. Here, before those imports, the command begins parsing the workbook's Orders on
another thread (`book/parse.py`: only when it is big and not kept from ShopOps' last run), and
the FileBook that then opens the same bytes takes that parse instead of starting its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Commands whose first argument is a workbook they read Orders from (cli.py).
READS_ORDERS = {"daily", "validate", "import", "verify", "update-stock", "reorders",
                "pick-list", "ship", "promotions", "abc", "review", "messages", "report"}


def main() -> None:
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] in READS_ORDERS and not args[1].startswith("-"):
        from shopsheet.book import parse

        parse.start(Path(args[1]), ["Orders"])
    from shopsheet.cli import main as command

    command()
