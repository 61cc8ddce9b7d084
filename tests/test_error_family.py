"""One family of errors, told one way by every face: a ShopOps error is its plain message, a
bug is one line with its traceback in the log file — from the command, a ribbon button and the
scheduler alike."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import xlwings as xw
from click.testing import CliRunner

import macros
from shopsheet import routines
from shopsheet.cli import cli
from shopsheet.core.errors import BadInput, SetupProblem, WorkbookBusy, WorkbookDamaged
from shopsheet.routines.common import Result
from shopsheet.scheduler import Scheduler
from tests import remote

NOW = dt.datetime(2026, 11, 21, 8, 0)
KINDS = (BadInput, WorkbookBusy, WorkbookDamaged, SetupProblem)
# raised and caught inside ShopOps, never reaching a face: signals, not failures
INTERNAL = {"NotStreamable", "PiecesDoNotFit", "_Stopped"}


def broken(book, now, **options):
    raise KeyError("no such column: 'qty'")


def refused(book, now, **options):
    raise BadInput("orders.csv: unpacks to 232 MB; ShopOps imports at most 200 MB")


@pytest.mark.bug_expected
def test_the_command_tells_a_bug_in_one_line_and_logs_its_traceback(new_book, monkeypatch,
                                                                     no_bugs):
    monkeypatch.setattr(routines, "verify", broken)
    result = CliRunner().invoke(cli, ["verify", str(new_book)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith("Error: shopops verify stopped on an unexpected error (KeyError")
    assert str(no_bugs) in lines[0]
    logged = no_bugs.read_text()
    assert "Traceback" in logged and "def broken" not in logged and "in broken" in logged


def test_the_command_tells_a_shopops_error_as_its_message(new_book, monkeypatch, no_bugs):
    monkeypatch.setattr(routines, "verify", refused)
    result = CliRunner().invoke(cli, ["verify", str(new_book)])
    assert result.exit_code == 1
    assert result.output == "Error: orders.csv: unpacks to 232 MB; ShopOps imports at most " \
                            "200 MB\n"
    assert not no_bugs.exists()


@pytest.mark.bug_expected
@pytest.mark.parametrize("raising", [broken, refused])
def test_a_button_tells_it_the_same_way(new_book, monkeypatch, no_bugs, raising):
    assert xw.__version__
    monkeypatch.setattr(routines, "verify", raising)
    book = xw.Book(json=remote.payload(new_book))
    assert macros.run("verify", book=book, now=NOW) is None
    alert = [a for a in book.json()["actions"] if a["func"] == "alert"][-1]["args"]
    if raising is refused:
        assert alert[0] == "verify stopped: orders.csv: unpacks to 232 MB; ShopOps imports " \
                           "at most 200 MB"
        assert not no_bugs.exists()
    else:
        assert alert[0].startswith("verify stopped: the verify button stopped on an "
                                   "unexpected error (KeyError")
        assert "in broken" in no_bugs.read_text()
    assert alert[3] == "critical"


def test_the_scheduler_logs_a_bug_with_its_traceback_and_an_error_without(new_book, caplog):
    def runner(job, path, now):
        if job == "daily":
            raise KeyError("no such column: 'qty'")
        if job == "weekly":
            raise SetupProblem("the mail settings have no server")
        return [Result(job, f"{job} done")]

    log = logging.getLogger("test.schedule.family")
    sched = Scheduler(new_book, clock=lambda: dt.datetime(2026, 11, 21, 9, 0), runner=runner,
                      log=log)
    with caplog.at_level(logging.INFO, logger=log.name):
        sched.catch_up()
    text = caplog.text
    assert "daily: unexpected error" in text and "Traceback" in text and "KeyError" in text
    assert "weekly failed: the mail settings have no server" in text
    assert text.count("Traceback") == 1  # the ShopOps error is told by its message alone
