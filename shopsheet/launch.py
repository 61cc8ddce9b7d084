"""The `shopops` command (and `python -m shopsheet`): start reading the workbook, then run.

A routine that reads Orders spends about a second loading pandas and pandera before it can read
anything. Here, before those imports, the command begins parsing the workbook's Orders on
another thread (`book/read/parse.py`: only when it is big and not kept from ShopOps' last run), and
the FileBook that then opens the same bytes takes that parse instead of starting its own.

At the end the process leaves without taking its objects apart one by one (a year of Orders in
memory took ~0.15 s to free, measured): output is flushed and exit handlers run first, and a
thread still at work (none is, after a routine) means the ordinary, slower exit.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from pathlib import Path

# Commands whose first argument is a workbook they read Orders from (cli.py).
READS_ORDERS = {"daily", "validate", "import", "verify", "update-stock", "reorders",
                "pick-list", "ship", "promotions", "abc", "review", "messages", "report"}


def main() -> None:
    leave(run())


def run() -> object:
    """Run the command in `sys.argv`; its exit code (what it gave `sys.exit`)."""
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] in READS_ORDERS and not args[1].startswith("-"):
        from shopsheet.book.read import parse

        parse.start(Path(args[1]), ["Orders"])
    from shopsheet.cli import main as command

    try:
        command()
    except SystemExit as done:  # click ends every command so
        return done.code
    return 0


def leave(code: object) -> None:
    """Exit with `code` as `sys.exit` would, skipping the interpreter's teardown when only
    daemon threads are left (those are dropped at exit either way) and no profiler or tracer
    (pyinstrument, coverage) is watching: those write their report after the program ends."""
    if sys.getprofile() or sys.gettrace() or any(
            t.is_alive() and not t.daemon for t in threading.enumerate()
            if t is not threading.main_thread()):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message") prints it and exits 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # logging's flush, temporary folders, and the like
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (a closed pipe), a stream closed
            pass
    os._exit(status & 0xFF)
