"""How every face (the `shopops` command, the ribbon buttons, the scheduler) tells a failure.

One way for all three: a `ShopOpsError` is shown as its message; an `OSError` (a full disk, a
folder gone, a file another program holds) as what the system said and about which file;
anything else is a bug in ShopOps: its traceback is written to a log file (the scheduler's
own, else `errors.log` in the user's log folder, private to the user) and the owner sees one
line saying so and where the details are.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import traceback
from pathlib import Path

import platformdirs

from shopsheet.core.errors import ShopOpsError
from shopsheet.core.language import _


def bug_log() -> Path:
    """Where bugs' tracebacks go: `SHOPOPS_LOG`, else `errors.log` in the user's log folder."""
    named = os.environ.get("SHOPOPS_LOG", "").strip()
    return Path(named) if named else \
        Path(platformdirs.user_log_dir("shopops", False)) / "errors.log"


def told(err: BaseException, doing: str, log: logging.Logger | None = None) -> str:
    """The one line the owner sees for `err`, raised while `doing` (a command, a button, a
    job). A bug's traceback is written first: to `log` when given, else to `bug_log()`."""
    if isinstance(err, ShopOpsError):
        return str(err)
    if isinstance(err, OSError):
        where = f" ({err.filename})" if err.filename else ""
        return f"{err.strerror or err}{where}"
    details = "".join(traceback.format_exception(err))
    if log is not None:
        log.error("%s: unexpected error\n%s", doing, details)
        where = _("the log")
    else:
        where = str(_write_bug(doing, details))
    return _("{doing} stopped on an unexpected error ({error}). This is a fault in ShopOps, not "
             "in your data; the details are in {where}").format(
        doing=doing, error=f"{type(err).__name__}: {err}", where=where)


def _write_bug(doing: str, details: str) -> Path:
    path = bug_log()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {doing}\n{details}\n")
    except OSError:
        return Path(_("(the error log could not be written)"))
    return path
