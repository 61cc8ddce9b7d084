"""Work a run will need soon, done on a second thread while the first gets on with its own.

On a cold morning (the first run after the owner saved the workbook in Excel) a year of orders,
a year of stock ledger and the writing of both are parsed, typed, inflated and deflated: a core
of work while the other core of a 2-core machine waits. fastexcel parses and ISA-L
(de)compresses (`deflate.py`) without holding Python's lock, so a second thread can take Orders
in (parsed since start-up, `parse.py`) while the first reads the other sheets, and ready the
big parts for a piecewise write while the routines run (`FileBook.prefetch`).

Each job is a `concurrent.futures.Future`, run in the order given. Taking a job back that the
thread has not begun cancels it, and the caller does that work itself: nobody waits for work
not under way, and a job that failed is done again by the caller, who then meets the same error
where it would have met it without this module. So read-ahead changes when work is done, never
what it gives.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import CancelledError, Future
from typing import Any, Callable, Literal, NamedTuple

log = logging.getLogger(__name__)


class Job(NamedTuple):
    """What a job done ahead is for: a sheet's typed frame (`read`), a part readied for a
    piecewise write (`ready`), or letting the reader's shared strings go (`release`)."""
    kind: Literal["read", "ready", "release"]
    name: str = ""


class Ahead:
    """A thread working through `jobs` ((Job, function) pairs) in order."""

    def __init__(self, jobs: list[tuple[Job, Callable[[], Any]]]):
        self._jobs = {name: Future() for name, _unused in jobs}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(jobs,), name="shopops-ahead",
                                         daemon=True)  # never keeps a finished run alive
        self._thread.start()

    def _run(self, jobs: list[tuple[Job, Callable[[], Any]]]) -> None:
        for name, job in jobs:
            future = self._jobs.get(name)
            if future is None or self._stop.is_set() or not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # handed to whoever takes the job
                future.set_exception(exc)

    def take(self, name: Job) -> tuple[bool, Any]:
        """(True, result) of job `name`, waiting if it is under way; (False, None) if there
        is no such job, it had not begun (it will not run now) or it failed: do it yourself."""
        future = self._jobs.pop(name, None)
        return (False, None) if future is None else outcome(future)

    def unfinished(self) -> set[Job]:
        """The jobs not finished yet (not begun, or under way)."""
        return {name for name, future in self._jobs.items() if not future.done()}

    def close(self) -> None:
        """Start no further job (the one under way finishes; its result is not used)."""
        self._stop.set()
        for future in self._jobs.values():
            future.cancel()
        self._jobs.clear()


def outcome(future: Future) -> tuple[bool, Any]:
    """(True, result) of work done elsewhere, waiting if it is under way; (False, None) if it
    had not begun (it will not now), was given up, or failed: then do it yourself."""
    if future.cancel():
        return False, None
    try:
        return True, future.result()
    except CancelledError:
        return False, None
    except Exception as exc:
        log.debug("work done ahead failed; doing it again: %s", exc)
        return False, None
