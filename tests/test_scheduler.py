"""The unattended scheduler: due jobs, a job that raises, catch-up of missed runs, waiting for
Excel, a clean stop on SIGTERM, and the service files for each OS."""

from __future__ import annotations

import datetime as dt
import json
import logging
import plistlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from shopsheet.book import FileBook
from shopsheet.book.write.safety import WorkbookBusy
from shopsheet.routines.common import Result
from shopsheet.scheduler import Scheduler, last_occurrence
from shopsheet.service import install
from shopsheet.settings import Settings

SAT = dt.datetime(2026, 11, 21, 9, 0)  # a Saturday, after the 07:30 daily time


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def make(book: Path, now: dt.datetime, runner) -> Scheduler:
    log = logging.getLogger(f"test.schedule.{id(runner)}")
    return Scheduler(book, clock=Clock(now), runner=runner, log=log)


def test_last_occurrences_follow_settings():
    s = Settings.defaults()  # daily 07:30, weekly monday 08:00
    assert last_occurrence("daily", s, SAT) == dt.datetime(2026, 11, 21, 7, 30)
    assert last_occurrence("daily", s, dt.datetime(2026, 11, 21, 7, 0)) == \
        dt.datetime(2026, 11, 20, 7, 30)
    assert last_occurrence("weekly", s, SAT) == dt.datetime(2026, 11, 16, 8, 0)
    assert last_occurrence("promotions", s, SAT) == dt.datetime(2026, 10, 25, 6, 0)
    assert last_occurrence("promotions", s, dt.datetime(2026, 11, 25, 7)) == \
        dt.datetime(2026, 11, 25, 6, 0)


def test_catches_up_each_missed_job_once_and_survives_a_failing_one(new_book):
    ran = []

    def runner(job, path, now):
        ran.append(job)
        if job == "weekly":
            raise RuntimeError("report printer on fire")
        return [Result(job, f"{job} done")]

    sched = make(new_book, SAT, runner)
    sched.state_path.write_text(json.dumps({"daily": "2026-11-18T07:30"}))  # off for 3 days
    assert sched.catch_up() == 3
    assert ran == ["daily", "weekly", "promotions"]  # each missed job once, the failure too
    state = json.loads(sched.state_path.read_text())
    assert state == {"daily": "2026-11-21T07:30", "weekly": "2026-11-16T08:00",
                     "promotions": "2026-10-25T06:00"}
    with FileBook.open(new_book) as book:
        log = book.read("Log").frame
    assert log.iloc[-1]["routine"] == "schedule:weekly"
    assert "report printer on fire" in log.iloc[-1]["summary"]
    ran.clear()
    assert sched.catch_up() == 0 and ran == []  # nothing runs twice
    sched.clock.now = dt.datetime(2026, 11, 23, 8, 30)  # Monday: both come round again
    sched.catch_up()
    assert ran == ["daily", "weekly"]  # the failed job is tried again at its next time


def test_the_25th_plans_next_month(new_book):
    ran = []
    sched = make(new_book, dt.datetime(2026, 11, 25, 6, 5),
                 lambda job, path, now: ran.append((job, now)) or [Result(job, "ok")])
    sched.state_path.write_text(json.dumps({"daily": "2026-11-24T07:30",
                                            "weekly": "2026-11-23T08:00"}))
    sched.catch_up()
    assert ran == [("promotions", dt.datetime(2026, 11, 25, 6, 5))]


def test_waits_while_the_workbook_is_open_then_retries(new_book):
    busy = {"left": 2}

    def runner(job, path, now):
        if busy["left"]:
            busy["left"] -= 1
            raise WorkbookBusy("ShopOps.xlsm is open in Excel")
        return [Result(job, "ok")]

    sched = make(new_book, SAT, runner)
    sched.state_path.write_text(json.dumps({"weekly": "2026-11-16T08:00",
                                            "promotions": "2026-10-25T06:00"}))
    assert sched.catch_up() == 0 and list(sched.waiting) == ["daily"]
    assert "daily" not in json.loads(sched.state_path.read_text())
    sched.retry_waiting()
    assert list(sched.waiting) == ["daily"]
    sched.retry_waiting()
    assert not sched.waiting
    assert json.loads(sched.state_path.read_text())["daily"] == "2026-11-21T07:30"


def test_a_real_scheduler_catches_up_then_stops_cleanly_on_sigterm(new_book):
    proc = subprocess.Popen([sys.executable, "-m", "shopsheet", "schedule", str(new_book)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = new_book.parent / "shopops-schedule.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if log.exists() and "promotions:" in log.read_text(encoding="utf-8"):
            break
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.5)
    text = log.read_text(encoding="utf-8")
    assert "daily: Daily checklist:" in text and "weekly: Report week of" in text
    time.sleep(1.5)
    assert proc.poll() is None  # still running, waiting for the next time
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert log.read_text(encoding="utf-8").rstrip().endswith("scheduler stopped")
    with FileBook.open(new_book) as book:
        assert "daily" in set(book.read("Log").frame["routine"])


def test_once_runs_what_is_due_and_exits(new_book):
    first = subprocess.run([sys.executable, "-m", "shopsheet", "schedule", str(new_book),
                            "--once"], capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and "Ran 3 due jobs" in first.stdout
    again = subprocess.run([sys.executable, "-m", "shopsheet", "schedule", str(new_book),
                            "--once"], capture_output=True, text=True, timeout=120)
    assert "Ran 0 due jobs" in again.stdout


@pytest.mark.parametrize("kind", ["linux", "macos", "windows"])
def test_install_writes_a_service_for_each_system(new_book, tmp_path, kind):
    path, how = install(new_book, kind, tmp_path)
    book = str(new_book.resolve())
    if kind == "linux":
        text = path.read_text()
        assert path.suffix == ".service" and f"schedule {book}" in text
        assert "systemctl --user enable --now" in how
    elif kind == "macos":
        plist = plistlib.loads(path.read_bytes())
        assert plist["ProgramArguments"][-2:] == ["schedule", book] and plist["KeepAlive"]
        assert how.startswith("launchctl load -w")
    else:
        task = etree.fromstring(path.read_text(encoding="utf-16").encode("utf-16"))
        ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
        assert book in task.findtext(".//t:Arguments", namespaces=ns)
        assert task.find(".//t:LogonTrigger", ns) is not None and "schtasks /Create" in how


def test_progress_bar_on_a_terminal_only(new_book):
    import shutil as sh

    if sh.which("script") is None:
        pytest.skip("util-linux `script` (a pseudo-terminal) is not installed")
    command = f"{sys.executable} -m shopsheet daily {new_book}"
    tty = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True,
                         text=True, timeout=120)
    assert "Daily checklist" in tty.stdout and "\x1b[" in tty.stdout  # drawn on a terminal
    piped = subprocess.run(command.split(), capture_output=True, text=True, timeout=120)
    assert piped.stdout.startswith("  verify:") and "\x1b[" not in piped.stdout


def test_the_weekly_job_reconciles_once_settlements_are_recorded(new_book):
    from click.testing import CliRunner

    from shopsheet.cli import cli
    from shopsheet.scheduler import run_job

    monday = dt.datetime(2026, 11, 23, 8, 0)
    assert [r.routine for r in run_job("weekly", new_book, monday)] == ["report"]
    data = Path(__file__).parent / "data"
    assert CliRunner().invoke(cli, ["settle", str(new_book), str(data / "wechat_pay_交易账单.csv"),
                                    "--today", "2026-11-21"]).exit_code == 0
    done = run_job("weekly", new_book, monday)
    assert [r.routine for r in done] == ["report", "reconcile"]
    assert done[1].summary.startswith("Reconciled 2026-11:")
