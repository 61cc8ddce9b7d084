"""`shopops daily`: the morning routine of the operations guide, end to end.

Import every new file in the Settings inbox folder — order exports into Orders, settlement
files into Settlements — (moved to the done folder once imported),
verify, update stock, reorders, pick list with packing slips; then refresh the Dashboard and
write one Log line in the guide's words; with the Settings switch on, each channel's stock file
once the workbook is saved.

The morning is one transaction. On a file it is one write; if any step finds problems (a file
in the inbox that cannot be read, a sheet missing, a bad cell) or fails, nothing of the
morning is kept: the workbook is as it was, no inbox file moves, no packing slip appears, and
the summary says which step stopped it. Packing slips are written beside their final name and
put in place only once the workbook is saved. Through the ribbon the same holds: Excel is
written once the whole morning has run.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Callable

from shopsheet.book.base import Book
from shopsheet.book.write.safety import Pending, conflict_copies, private_dir
from shopsheet.core.dashboard import (daily_numbers, dashboard_rows, log_words, section_title,
                                      standing_alerts, with_section)
from shopsheet.core.frames import same_table
from shopsheet.core.language import N_, _, ngettext
from shopsheet.core.words import has_unmapped
from shopsheet.importers import is_settlement_file
from shopsheet.routines.common import Result, finish, prepare
from shopsheet.routines.importing import import_orders
from shopsheet.routines.orders import verify
from shopsheet.routines.planning import pick_list, reorders
from shopsheet.routines.settlements import import_settlements
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


class _Stopped(Exception):
    """A step of the morning found problems: nothing of the morning is kept."""

    def __init__(self, result: Result):
        super().__init__(result.summary)
        self.result = result


STEP_WORDS = {"import": N_("the import"), "settle": N_("the settlement files"),
              "verify": N_("verifying orders"),
              "update-stock": N_("the stock update"), "reorders": N_("the reorders"),
              "pick-list": N_("the pick list")}


def daily(book: Book, now: dt.datetime, *, folder: Path,
          progress: Callable[[str], None] = lambda step: None) -> Result:
    """Run the day's routines on `book`, whose inbox and outputs are relative to `folder`.
    `progress` hears the name of each of the STEPS steps as it starts."""
    pending = Pending()
    try:
        with book.batch():  # one write for the whole morning: all of it, or none of it
            result, imported = _daily(book, folder, now, progress, pending)
    except _Stopped as stop:
        pending.drop()
        return stop.result
    except BaseException:
        pending.drop()
        raise
    pending.commit()  # the slips, now that the orders they list are saved
    settings, _unused = book.settings()
    copies = conflict_copies(getattr(book, "path", folder / "ShopOps.xlsm"))
    if copies:  # a sync service kept two versions: the other one's changes are not in this one
        result.alerts.append(_("a synced folder kept conflicting copies of the workbook "
                               "({copies}): their changes are not in this one; copy them over "
                               "by hand, then delete the copies").format(
            copies=", ".join(p.name for p in copies)))
    if imported:  # only once the orders are safely in the workbook
        _move_done(imported, folder / settings.done_folder)
    if result.ok and settings.stock_export_daily:  # what the channels may sell, as saved
        told = stock_export_all(book, now, folder=folder)
        result.steps.append(told)
        result.problems += told.problems
    return result


# What the morning writes (it reads every sheet)
WRITES = ("Orders", "Settlements", "StockLedger", "Products", "Returns", "PurchaseOrders",
          "PickList", "Dashboard", "Log")


def _stop_if_wrong(step: Result, steps: list[Result], files: list[Path],
                   words: str | None = None) -> None:
    """End the morning, keeping nothing, when a step found problems."""
    if step.ok:
        return
    n = len(step.problems)
    waiting = ngettext("; the {n} inbox file stays for the next run",
                       "; the {n} inbox files stay for the next run", len(files)).format(
        n=len(files)) if files else ""
    words = _(words or STEP_WORDS.get(step.routine, step.routine))
    raise _Stopped(Result(
        "daily", ngettext("Daily: nothing done — {words} stopped the morning with {n} problem; "
                          "the workbook is as it was{waiting}",
                          "Daily: nothing done — {words} stopped the morning with {n} problems; "
                          "the workbook is as it was{waiting}", n).format(
            words=words, n=n, waiting=waiting), step.problems, steps=[*steps, step]))


def _daily(book: Book, folder: Path, now: dt.datetime, progress,
           pending: Pending) -> tuple[Result, list[Path]]:
    book.plan(reads=SHEETS, writes=WRITES)
    frames, settings, failed = prepare(book, ("Products",), "daily")
    if failed:
        _stop_if_wrong(failed, [], [], N_("reading the workbook"))
    steps: list[Result] = []
    imported: list[Path] = []
    files = inbox_files(folder, settings.inbox_folder, settings.done_folder)
    progress(ngettext("importing {n} file", "importing {n} files", len(files)).format(
        n=len(files)))
    settling = [f for f in files if is_settlement_file(f, settings.import_limit_mb)]
    exports = [f for f in files if f not in settling]
    if exports:
        imported_now = import_orders(book, now, paths=exports, log=False)
        _stop_if_wrong(imported_now, steps, files)
        steps.append(imported_now)
    if settling:  # what the platforms paid: recorded with the morning, moved with it
        settled = import_settlements(book, now, paths=settling, log=False)
        _stop_if_wrong(settled, steps, files)
        steps.append(settled)
    imported = files
    for words, step in ((N_("verifying orders"), verify), (N_("updating stock"), update_stock),
                        (N_("working out reorders"), reorders)):
        progress(_(words))
        done = step(book, now, log=False)
        _stop_if_wrong(done, steps, files)
        steps.append(done)
    progress(_("making the pick list"))
    slips = folder / "packing-slips" / f"packing-slips-{now:%Y-%m-%d}.xlsx"
    picked = pick_list(book, now, slips=slips, log=False, pending=pending)
    _stop_if_wrong(picked, steps, files)
    steps.append(picked)
    progress(_("refreshing the Dashboard"))
    frames, _unused, failed = prepare(book, ("Products", "Orders", "Inquiries"), "daily")
    if failed:
        _stop_if_wrong(failed, steps, files, "the Dashboard")
    processed = max([s.figures.get("new_orders", 0) for s in steps]
                    + [s.figures.get("orders", 0) for s in steps if s.routine == "verify"])
    numbers = daily_numbers(frames["Orders"], frames["Products"], frames["Inquiries"],
                            picked.figures.get("orders", 0), now.date(), processed)
    alerts = [a for s in steps for a in s.alerts]
    flags = frames["Orders"]["flags"]  # the morning's steps flagged what maps to nothing
    lost = flags.map(has_unmapped).astype(bool)
    rows = dashboard_rows(numbers, standing_alerts(frames["Orders"], frames["Products"], lost),
                          now.date())
    current = book.read("Dashboard").frame
    board = with_section(current, section_title("Today", f"{now:%Y-%m-%d}"), rows)
    if not same_table(current[board.columns], board):
        book.replace("Dashboard", board)
    result = Result("daily", log_words(numbers), [p for s in steps for p in s.problems],
                    figures=numbers, alerts=alerts, steps=steps,
                    changed=any(s.changed for s in steps))
    return finish(book, result, now, log=True), imported


def _move_done(files: list[Path], done: Path) -> None:
    private_dir(done)  # the exports hold customers' names and addresses
    for path in files:
        target = done / path.name
        if target.exists():
            target = done / f"{path.stem}-{dt.datetime.now():%Y%m%d%H%M%S}{path.suffix}"
        shutil.move(str(path), target)
