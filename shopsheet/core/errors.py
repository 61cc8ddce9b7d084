"""The one family of ShopOps' failures: what can stop a command, in words the owner can act on.

Every failure a user can meet is a `ShopOpsError` of one of four kinds, each carrying a plain
message (its `str`) that names the file, sheet or setting and what to do. The faces (the
`shopops` command, the ribbon buttons, the scheduler) handle the family one way
(`shopsheet/failures.py`): the message, shown as it is. Anything else that escapes a routine is
a bug: its traceback goes to the log file and the owner sees one line.

Problems found *in* data (a bad cell, a bad line of an export) are not errors: they are
`Problem`s, all of them listed at once in a routine's `Result`. An error ends a run.
"""

from __future__ import annotations


class ShopOpsError(Exception):
    """A failure the owner can act on; its message says what and where."""

    kind = "error"


class BadInput(ShopOpsError):
    """A file or value given to ShopOps cannot be taken as it is: an export too big or not a
    spreadsheet, a value that would become a formula. Fix the input and run again."""

    kind = "bad input"


class WorkbookBusy(ShopOpsError):
    """The workbook is open in Excel, held by another run, or changed while this run read it:
    nothing was written; try again later (the scheduler retries by itself)."""

    kind = "workbook busy"


class WorkbookDamaged(ShopOpsError):
    """The workbook cannot be read or written safely: a damaged package, a ShopOps sheet or
    Table missing or reshaped, a write that failed its own check. Nothing was written."""

    kind = "workbook damaged"


class SetupProblem(ShopOpsError):
    """Something around the workbook is not set up for the run: a read-only or foreign file,
    a file that already exists, mail settings, VBA that cannot be carried to a new book."""

    kind = "setup"
