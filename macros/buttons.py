"""The ShopOps ribbon buttons. `@button` does what every button shares (LiveBook, status bar,
problems to the Problems sheet, a message box, no traceback); each function is the one call."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Callable

import pandas as pd
import xlwings as xw

from shopsheet import routines
from shopsheet.book.livebook import LiveBook
from shopsheet.core.language import _, speaking
from shopsheet.failures import told
from shopsheet.routines.common import Result

BUTTONS: dict[str, Callable] = {}
TITLE = "ShopOps"


def button(tag: str):
    """Register a ribbon button: `fn(book, now, *args) -> Result | str`."""
    def wrap(fn):
        @functools.wraps(fn)
        def run_button(*args, book=None, now=None):
            xl = book or xw.Book.caller()
            live = LiveBook(xl, status=functools.partial(_status, xl))
            try:
                language = live.language
            except Exception:  # a book that cannot be read is told so by the button itself
                language = None
            with speaking(language):
                live.status(f"ShopOps: {_(doing(fn))}")
                try:
                    outcome = fn(live, now or dt.datetime.now().replace(microsecond=0), *args)
                except Exception as err:  # told plainly (a bug's traceback to the error log)
                    _alert(xl, _("{button} stopped: {why}").format(
                        button=tag, why=told(err, _("the {button} button").format(button=tag))),
                        "critical")
                    return None
                finally:
                    live.status("")
                _show(xl, live, outcome)
            return outcome
        BUTTONS[tag] = run_button
        return run_button
    return wrap


def run(tag: str, *args, book=None, now=None):
    """Entry point for the ribbon: `macros.run('verify')`. `book` and `now` are for tests."""
    if tag not in BUTTONS:
        return _alert(book or xw.Book.caller(), _("The ShopOps button {button!r} is not known.")
                      .format(button=tag), "info")
    return BUTTONS[tag](*args, book=book, now=now)


def doing(fn: Callable) -> str:
    """What a button is doing, for the status bar: its docstring's first line (the catalogue
    holds each: `tools/translations.py` takes them from BUTTONS)."""
    return (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""


def folder(live: LiveBook) -> Path:
    """Where the workbook lives: the inbox and packing slips are relative to it."""
    path = Path(live.xl.fullname)
    return path.parent if path.parent != Path(".") else Path.cwd()


@button("import_orders")
def import_orders(book: LiveBook, now, *files: str) -> Result:
    """Importing orders…"""
    return routines.import_orders(book, now, paths=[Path(f) for f in files])


@button("verify")
def verify(book: LiveBook, now) -> Result:
    """Verifying new orders…"""
    return routines.verify(book, now)


@button("update_stock")
def update_stock(book: LiveBook, now) -> Result:
    """Updating stock…"""
    return routines.update_stock(book, now)


@button("reorders")
def reorders(book: LiveBook, now) -> Result:
    """Working out reorders…"""
    return routines.reorders(book, now)


@button("pick_list")
def pick_list(book: LiveBook, now) -> Result:
    """Making the pick list…"""
    return routines.pick_list(book, now)


@button("packing_slips")
def packing_slips(book: LiveBook, now) -> Result:
    """Making packing slips…"""
    slips = folder(book) / "packing-slips" / f"packing-slips-{now:%Y-%m-%d}.xlsx"
    slips.parent.mkdir(exist_ok=True)
    return routines.pick_list(book, now, slips=slips)


@button("daily")
def daily(book: LiveBook, now) -> Result:
    """Running the daily checklist…"""
    return routines.daily(book, now, folder=folder(book))


@button("stock_export")
def stock_export(book: LiveBook, now) -> Result:
    """Writing the channels' stock files…"""
    return routines.stock_export_all(book, now, folder=folder(book))


@button("suggest_listings")
def suggest_listings(book: LiveBook, now) -> Result:
    """Suggesting Listings rows…"""
    return routines.listings(book, now, suggest=True)


@button("weekly_report")
def weekly_report(book: LiveBook, now) -> Result:
    """Making the weekly report…"""
    return routines.report(book, now, folder=folder(book))


@button("email_report")
def email_report(book: LiveBook, now) -> Result:
    """E-mailing the weekly report…"""
    made = routines.report(book, now, folder=folder(book))
    if not made.ok:
        return made
    return routines.email_report(book, now, report_file=Path(made.figures["file"]),
                                 folder=folder(book))


@button("promotion_calendar")
def promotion_calendar(book: LiveBook, now) -> Result:
    """Planning next month's promotions…"""
    next_month = (now.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return routines.promotions(book, now, month=next_month)


@button("abc_analysis")
def abc_analysis(book: LiveBook, now) -> Result:
    """Classifying products A/B/C…"""
    return routines.abc(book, now)


@button("settle")
def settle(book: LiveBook, now, *files: str) -> Result:
    """Recording settlement files…"""
    return routines.import_settlements(book, now, paths=[Path(f) for f in files])


@button("reconcile")
def reconcile(book: LiveBook, now) -> Result:
    """Reconciling this month…"""
    return routines.reconcile_month(book, now)


@button("profit")
def profit(book: LiveBook, now) -> Result:
    """Working out this month's profit…"""
    return routines.profit(book, now, month=now.date())


@button("monthly_review")
def monthly_review(book: LiveBook, now) -> Result:
    """Reviewing last month…"""
    return routines.review(book, now, month=True)


@button("validate")
def validate(book: LiveBook, now) -> Result:
    """Checking every sheet…"""
    return routines.validate(book, now)


@button("open_log")
def open_log(book: LiveBook, now) -> str:
    """Opening the Log…"""
    book.excel_sheet("Log").activate()
    return ""


def _show(xl, live: LiveBook, outcome: Result | str) -> None:
    if isinstance(outcome, str):
        if outcome:
            _alert(xl, outcome, "info")
        return
    if outcome.problems:
        live.replace("Problems", problems_frame(outcome))
        live.save()
        live.excel_sheet("Problems").activate()
        _alert(xl, _("{summary}\n\nEach problem is listed on the Problems sheet ({n}).").format(
            summary=outcome.summary, n=len(outcome.problems)), "critical")
        return
    lines = [outcome.summary] + [f"• {a}" for a in outcome.alerts[:8]]
    _alert(xl, "\n".join(lines), "info")


def problems_frame(result: Result) -> pd.DataFrame:
    now = pd.Timestamp.now().floor("s")
    return pd.DataFrame([{"time": now, "sheet": _(p.sheet), "cell": p.cell,
                          "column": _(p.column) if p.column else p.column,
                          "got": None if p.got is None else str(p.as_dict()["got"]),
                          "expected": p.expected, "message": str(p)} for p in result.problems])


def _status(xl, text: str) -> None:
    try:
        xl.app.status_bar = text or False
    except Exception:  # engines without a status bar (xlwings' remote engine) just skip it
        pass


def _alert(xl, text: str, mode: str) -> None:
    try:
        xl.app.alert(text, title=TITLE, mode=mode)
    except Exception:
        pass
