"""`shopops schedule`: run the shop's routines unattended, on the `schedule` package.

Jobs, at the times in Settings (the machine's local time):
    daily       the daily routine, every day at "Daily routine time"
    weekly      the weekly report, e-mailed when SMTP is set up, on "Weekly report day/time";
                and, once Settlements holds rows, `reconcile` of the month so far
    promotions  next month's promotion calendar, on the 25th at 06:00

The last occurrence each job handled is kept in `.<workbook>.schedule.json`, so runs missed
while the machine was off are caught up once at start. A job that fails is written to the log
file and the Log sheet and tried again at its next occurrence; the loop itself never dies. While
the workbook is open in Excel (or another run holds it) a job waits and is retried every few
minutes. SIGTERM and Ctrl+C stop the loop cleanly between jobs. Desktop Excel is never driven:
jobs use FileBook.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import signal
import time
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Callable

import schedule

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.core.errors import WorkbookBusy
from shopsheet.core.language import _, speaking
from shopsheet.failures import told
from shopsheet.routines.common import Result, log_line
from shopsheet.settings import Settings

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PROMOTIONS_AT = dt.time(6, 0)
RETRY_MINUTES = 5


def _at(text: str) -> dt.time:
    hour, minute = str(text).strip().split(":")[:2]
    return dt.time(int(hour), int(minute))


def last_occurrence(job: str, settings: Settings, now: dt.datetime) -> dt.datetime:
    """The latest time at or before `now` when `job` was due."""
    if job == "daily":
        at = dt.datetime.combine(now.date(), _at(settings.daily_time))
        return at if at <= now else at - dt.timedelta(days=1)
    if job == "weekly":
        day = WEEKDAYS.index(settings.weekly_day)
        at = dt.datetime.combine(now.date(), _at(settings.weekly_time)) - dt.timedelta(
            days=(now.weekday() - day) % 7)
        return at if at <= now else at - dt.timedelta(days=7)
    if job == "promotions":
        at = dt.datetime.combine(now.date().replace(day=25), PROMOTIONS_AT)
        if at > now:
            prior = now.date().replace(day=1) - dt.timedelta(days=1)
            at = dt.datetime.combine(prior.replace(day=25), PROMOTIONS_AT)
        return at
    raise ValueError(job)


def run_job(job: str, book_path: Path, now: dt.datetime) -> list[Result]:
    """Do one job on the workbook; WorkbookBusy and other errors propagate to the caller."""
    folder = book_path.resolve().parent
    with FileBook.open(book_path) as book, speaking(book.language):
        if job == "daily":
            return [routines.daily(book, now, folder=folder)]
        if job == "promotions":
            month = (now.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            return [routines.promotions(book, now, month=month)]
        done = [routines.report(book, now, folder=folder)]
        settings, _unused = book.settings()
        if done[0].ok and settings.smtp_host and settings.report_recipients:
            done.append(routines.email_report(book, now, report_file=Path(done[0].figures["file"]),
                                              folder=folder))
        if "Settlements" in book.sheet_names() and len(book.read("Settlements").frame):
            done.append(routines.reconcile_month(book, now))  # the month so far, weekly
        return done


@dataclass
class Scheduler:
    book_path: Path
    clock: Callable[[], dt.datetime] = dt.datetime.now
    runner: Callable[[str, Path, dt.datetime], list[Result]] = run_job
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("shopops.schedule"))
    stopping: bool = False
    waiting: dict[str, dt.datetime] = field(default_factory=dict)  # job → occurrence, busy

    @property
    def state_path(self) -> Path:
        return self.book_path.with_name(f".{self.book_path.name}.schedule.json")

    def state(self) -> dict[str, str]:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _remember(self, job: str, occurrence: dt.datetime) -> None:
        state = self.state()
        state[job] = occurrence.isoformat(timespec="minutes")
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        tmp.replace(self.state_path)

    def settings(self) -> Settings:
        with FileBook.open(self.book_path) as book:
            return book.settings()[0]

    def due(self, now: dt.datetime, settings: Settings) -> list[tuple[str, dt.datetime]]:
        """Jobs whose latest occurrence has not been handled yet (the catch-up list)."""
        state = self.state()
        found = []
        for job in ("daily", "weekly", "promotions"):
            occurrence = last_occurrence(job, settings, now)
            done = state.get(job)
            if done is None or dt.datetime.fromisoformat(done) < occurrence:
                found.append((job, occurrence))
        return found

    def attempt(self, job: str, occurrence: dt.datetime) -> bool:
        """Run `job` once; True when it is finished with (done, or failed and logged)."""
        now = self.clock()
        try:
            results = self.runner(job, self.book_path, now)
        except WorkbookBusy as busy:
            self.log.warning("%s waits: %s; retrying every %d minutes", job, busy,
                             RETRY_MINUTES)
            self.waiting[job] = occurrence
            return False
        except Exception as err:  # a failing job must never stop the loop
            words = told(err, job, self.log)  # a bug's traceback into the schedule's log
            self.log.error("%s failed: %s", job, words)
            self._log_failure(job, words, now)
        else:
            for result in results:
                level = logging.INFO if result.ok else logging.ERROR
                self.log.log(level, "%s: %s", job, result.summary)
                for problem in result.problems:
                    self.log.log(level, "  %s", problem)
        self.waiting.pop(job, None)
        self._remember(job, occurrence)
        return True

    def _log_failure(self, job: str, words: str, now: dt.datetime) -> None:
        try:
            with FileBook.open(self.book_path) as book, speaking(book.language):
                log_line(book, Result(f"schedule:{job}", _(
                    "{job} failed: {why}; tried again at its next time").format(
                        job=job, why=words)), now)
                book.save()
        except Exception as also:  # the log file still has it
            self.log.error("could not write the failure to the Log sheet: %s",
                           told(also, f"{job}'s Log line", self.log))

    def catch_up(self) -> int:
        """Run every job whose last occurrence was missed; returns how many ran."""
        settings = self.settings()
        ran = 0
        for job, occurrence in self.due(self.clock(), settings):
            if self.stopping:
                break
            ran += self.attempt(job, occurrence)
        return ran

    def retry_waiting(self) -> None:
        for job, occurrence in list(self.waiting.items()):
            if not self.stopping:
                self.attempt(job, occurrence)

    def plan(self) -> schedule.Scheduler:
        """The `schedule` jobs for the Settings times."""
        settings = self.settings()
        plan = schedule.Scheduler()
        tick = lambda job: self.attempt(job, last_occurrence(job, settings, self.clock()))  # noqa
        plan.every().day.at(settings.daily_time).do(tick, "daily")
        getattr(plan.every(), settings.weekly_day).at(settings.weekly_time).do(tick, "weekly")
        plan.every().day.at(PROMOTIONS_AT.strftime("%H:%M")).do(tick, "promotions")
        plan.every(RETRY_MINUTES).minutes.do(self.retry_waiting)
        return plan

    def stop(self, *_args) -> None:
        self.stopping = True

    def run_forever(self, poll_seconds: float = 1.0) -> None:
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM,
                                                                    signal.SIGINT)}
        try:
            self.log.info("scheduler started for %s", self.book_path)
            self.catch_up()
            plan = self.plan()
            while not self.stopping:
                try:
                    plan.run_pending()
                except Exception as err:  # belt and braces: the loop never dies
                    self.log.error("%s", told(err, "the scheduler's loop", self.log))
                time.sleep(poll_seconds)
            self.log.info("scheduler stopped")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def file_logger(book_path: Path, echo: bool = True) -> logging.Logger:
    """Log to `shopops-schedule.log` beside the workbook (rotated), and to the console."""
    log = logging.getLogger(f"shopops.schedule.{book_path.resolve()}")
    log.setLevel(logging.INFO)
    if not log.handlers:
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
        handler = RotatingFileHandler(book_path.resolve().parent / "shopops-schedule.log",
                                      maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(formatter)
        log.addHandler(handler)
        if echo:
            console = logging.StreamHandler()
            console.setFormatter(formatter)
            log.addHandler(console)
    return log
