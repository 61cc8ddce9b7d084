"""`shopops daily`: the morning routine of the operations guide, end to end.

Import every new file in the Settings inbox folder (moved to the done folder once imported),
verify, update stock, reorders, pick list with packing slips; then refresh the Dashboard and
write one Log line in the guide's words; with the Settings switch on, each channel's stock file
once the workbook is saved. On a file the whole morning is one write: a failure
part way leaves the workbook as it was, and the next run does the whole morning again.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Callable

from shopsheet.book.base import Book
from shopsheet.core.dashboard import (daily_numbers, dashboard_rows, log_words, standing_alerts,
                                      with_section)
from shopsheet.core.frames import same_table
from shopsheet.core.words import UNMAPPED
from shopsheet.routines.common import Result, finish, prepare
from shopsheet.routines.importing import import_orders
from shopsheet.routines.orders import verify
from shopsheet.routines.planning import pick_list, reorders
from shopsheet.routines.stock import update_stock
from shopsheet.routines.stock_export import stock_export_all
from shopsheet.sheets import SHEETS

EXPORTS = (".csv", ".xlsx", ".xls", ".xlsm")


def inbox_files(folder: Path, inbox: str, done: str) -> list[Path]:
    root, done_dir = (folder / inbox).resolve(), (folder / done).resolve()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.suffix.lower() in EXPORTS and p.is_file()
                  and not p.name.startswith(("~$", ".")) and p.parent != done_dir)


STEPS = 6


def daily(book: Book, folder: Path, now: dt.datetime,
          progress: Callable[[str], None] = lambda step: None) -> Result:
    """Run the day's routines on `book`, whose inbox and outputs are relative to `folder`.
    `progress` hears the name of each of the STEPS steps as it starts."""
    with book.batch():  # one write for the whole morning: all of it, or none of it
        result, imported = _daily(book, folder, now, progress)
    settings, _ = book.settings()
    if imported:  # only once the orders are safely in the workbook
        _move_done(imported, folder / settings.done_folder)
    if result.ok and settings.stock_export_daily:  # what the channels may sell, as saved
        told = stock_export_all(book, folder, now)
        result.steps.append(told)
        result.problems += told.problems
    return result


# A year of Orders is taken in on the other core while this one reads the other sheets; then
# the two big sheets the morning writes are readied there for a piecewise write
# (`FileBook.prefetch`; on a warm morning, every sheet is in the frame cache: nothing to parse).
WRITTEN_BIG = ("Orders", "StockLedger")


def _daily(book: Book, folder: Path, now: dt.datetime, progress) -> tuple[Result, list[Path]]:
    book.prefetch(["Orders"], writing=WRITTEN_BIG)
    frames, settings, failed = prepare(book, ("Products",), "daily")
    if failed:
        return failed, []
    for sheet in SHEETS:  # what the steps read besides Orders, read meanwhile
        if sheet != "Orders":
            book.read(sheet)
    steps: list[Result] = []
    imported: list[Path] = []
    files = inbox_files(folder, settings.inbox_folder, settings.done_folder)
    progress(f"importing {len(files)} file{'s' * (len(files) != 1)}")
    if files:
        imported_now = import_orders(book, files, now, log=False)
        steps.append(imported_now)
        if imported_now.ok:
            imported = files
    progress("verifying orders")
    steps.append(verify(book, now, log=False))
    progress("updating stock")
    steps.append(update_stock(book, now, log=False))
    progress("working out reorders")
    steps.append(reorders(book, now, log=False))
    progress("making the pick list")
    slips = folder / "packing-slips" / f"packing-slips-{now:%Y-%m-%d}.xlsx"
    slips.parent.mkdir(exist_ok=True)
    picked = pick_list(book, now, slips=slips, log=False)
    steps.append(picked)
    progress("refreshing the Dashboard")
    frames, _, failed = prepare(book, ("Products", "Orders", "Inquiries"), "daily")
    if failed:
        return failed, imported
    processed = max([s.figures.get("new_orders", 0) for s in steps]
                    + [s.figures.get("orders", 0) for s in steps if s.routine == "verify"])
    numbers = daily_numbers(frames["Orders"], frames["Products"], frames["Inquiries"],
                            picked.figures.get("orders", 0), now.date(), processed)
    alerts = [a for s in steps for a in s.alerts]
    flags = frames["Orders"]["flags"]  # the morning's steps flagged what maps to nothing
    lost = flags.notna() & flags.astype(str).str.contains(UNMAPPED, regex=False)
    rows = dashboard_rows(numbers, standing_alerts(frames["Orders"], frames["Products"], lost),
                          now.date())
    current = book.read("Dashboard").frame
    board = with_section(current, f"Today {now:%Y-%m-%d}", rows)
    if not same_table(current[board.columns], board):
        book.replace("Dashboard", board)
    result = Result("daily", log_words(numbers), [p for s in steps for p in s.problems],
                    figures=numbers, alerts=alerts, steps=steps,
                    changed=any(s.changed for s in steps))
    return finish(book, result, now, log=True), imported


def _move_done(files: list[Path], done: Path) -> None:
    done.mkdir(parents=True, exist_ok=True)
    for path in files:
        target = done / path.name
        if target.exists():
            target = done / f"{path.stem}-{dt.datetime.now():%Y%m%d%H%M%S}{path.suffix}"
        shutil.move(str(path), target)
