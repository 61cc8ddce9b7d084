"""What every routine shares: its Result, reading and checking the sheets it needs, the Log line.

A routine is one user action: read → validate → core → write → log. Problems in its input mean
it writes nothing and returns them.
"""

from __future__ import annotations

import datetime as dt
import getpass
import platform
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from shopsheet.book.base import Book, SheetData
from shopsheet.core.frames import changed_by_column
from shopsheet.core.language import N_, _, ngettext
from shopsheet.core.listings import Shelf, listing_keys, shelf, unmapped, what_to_add
from shopsheet.core.membership import among
from shopsheet.core.problems import Problem, reading_order
from shopsheet.core.references import (dated_after, duplicate_lines, kit_issues, kit_skus_moved,
                                       listing_issues, unknown_skus)
from shopsheet.core.words import SOLD
from shopsheet.settings import Settings, read_settings
from shopsheet.sheets import SHEETS

MAPPING = ("Listings", "Kits")  # what an order line's SKU resolves through
SKU_SHEETS = ("Listings", "StockLedger", "PurchaseOrders", "Returns")  # SKUs of Products


@dataclass
class Result:
    routine: str
    summary: str
    problems: list[Problem] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)  # things to act on, not input errors
    changed: bool = False  # whether the run wrote anything
    steps: list[Result] = field(default_factory=list)  # the routines a composite run ran

    @property
    def ok(self) -> bool:
        return not self.problems


def read_sheets(book: Book, names: tuple[str, ...] = tuple(SHEETS)) -> tuple[
        dict[str, SheetData], list[Problem]]:
    """Read and check the named sheets plus the cross-sheet rules among them.

    An order line's SKU is the code its export gave: one that is not in Products is not a
    problem (Listings may map it, or it is flagged unmapped), so Orders is not checked here.
    """
    sheets = {name: book.read(name) for name in names}
    problems = [p for data in sheets.values() for p in data.problems]
    settings = sheets.get("Settings")
    if settings is not None and settings.layout is not None and "value" in settings.raw:
        problems += read_settings(settings.raw, settings.layout.letters)[1]
    problems += _cross_sheet_problems(book, sheets)
    return sheets, reading_order(problems, list(SHEETS))


def _present(sheets: dict[str, SheetData], name: str, column: str) -> SheetData | None:
    data = sheets.get(name)
    return data if data is not None and data.layout is not None and \
        column in data.layout.columns else None


def _cross_sheet_problems(book: Book, sheets: dict[str, SheetData]) -> list[Problem]:
    products = _present(sheets, "Products", "sku")
    kits = _present(sheets, "Kits", "kit_sku")
    found = []
    if products is not None:
        for name in SKU_SHEETS:
            data = _present(sheets, name, "sku")
            if data is not None:
                found.append((data, book.derived(unknown_skus, products.frame, data.frame)))
        if kits is not None:
            found.append((kits, kit_issues(products.frame, kits.frame)))
    if kits is not None:
        for name, what in (("StockLedger", N_("count or adjust")),
                           ("PurchaseOrders", N_("order"))):
            data = _present(sheets, name, "sku")
            if data is not None:
                found.append((data, kit_skus_moved(kits.frame, data.frame, what)))
    listings = _present(sheets, "Listings", "sku")
    if listings is not None and "units" in listings.frame:
        found.append((listings, listing_issues(listings.frame)))
    orders = _present(sheets, "Orders", "line")
    if orders is not None:
        found.append((orders, book.derived(duplicate_lines, orders.frame)))
    return _as_problems(found)


def _as_problems(found: list[tuple[SheetData, pd.DataFrame]]) -> list[Problem]:
    """Issue rows (row, column, value, expected) of each sheet as Problems naming the cell."""
    problems = []
    for data, issues in found:
        for issue in issues.itertuples(index=False):
            col = data.spec.column(issue.column)
            problems.append(Problem(data.spec.name, f"{data.layout.letter(issue.column)}{issue.row}",
                                    col.label, issue.value, issue.expected))
    return problems


FUTURE = (("StockLedger", "time", N_("a stock movement dated"), False),
          ("Returns", "received", N_("a return received"), True),
          ("PurchaseOrders", "received", N_("goods received"), True))


def dated_later(sheets: dict[str, SheetData], now: dt.datetime) -> list[Problem]:
    """Movements and receipts dated after the run's time: they cannot have happened yet."""
    found = []
    for name, column, what, whole_days in FUTURE:
        data = _present(sheets, name, column)
        if data is not None:
            found.append((data, dated_after(data.frame, column, now, what, whole_days)))
    return _as_problems(found)


def prepare(book: Book, names: tuple[str, ...], routine: str) -> tuple[
        dict[str, pd.DataFrame], Settings, Result | None]:
    """Read what a routine needs; if anything is wrong, the Result to return instead."""
    book.start_routine()
    sheets, problems = read_sheets(book, tuple(dict.fromkeys(("Settings", *names))))
    problems = [p for p in problems if not _computed(p)]
    if problems:
        return {}, Settings.defaults(), Result(
            routine, ngettext("{routine}: nothing done, {n} problem in the workbook",
                              "{routine}: nothing done, {n} problems in the workbook",
                              len(problems)).format(routine=routine, n=len(problems)), problems)
    settings, _unused = read_settings(sheets["Settings"].raw, sheets["Settings"].layout.letters)
    return {name: data.frame for name, data in sheets.items()}, settings, None


def _computed(problem: Problem) -> bool:
    """A problem in a column routines compute (e.g. oversold stock) does not stop a routine:
    the routine recomputes it. `shopops validate` still reports it."""
    spec = SHEETS.get(problem.sheet)
    return bool(spec and problem.cell and any(c.computed and c.label == problem.column
                                              for c in spec.columns))


def on_shelf(book: Book, frames: dict[str, pd.DataFrame], rows: pd.Series | None = None) -> Shelf:
    """The order lines (those `rows` picks, or all) as stock sees them (read with MAPPING and
    Products, Orders)."""
    return shelf(frames["Orders"], frames["Products"], frames["Listings"], frames["Kits"], rows,
                 mapping(book, frames))


def mapping(book: Book, frames: dict[str, pd.DataFrame]) -> dict:
    """What the Listings rows map (`listing_keys`), worked out once per Listings and Products."""
    return book.derived(listing_keys, frames["Listings"], frames["Products"])


def unmapped_alerts(orders: pd.DataFrame, shelf: Shelf) -> list[str]:
    """One alert for the sold lines that map to no product, saying what to add for each."""
    lost = shelf.unmapped.reindex(orders.index, fill_value=False)  # of the lines it resolved
    lines = orders[(lost & among(orders["status"], SOLD)).to_numpy()]
    if lines.empty:
        return []
    found = unmapped(lines, shelf.resolved.loc[lines.index])
    shown = "; ".join(f"{what_to_add(r)} ×{r.qty}" for r in found.head(8).itertuples())
    more = _("; and {n} more").format(n=len(found) - 8) if len(found) > 8 else ""
    return [ngettext("{n} sold order line maps to no product and moved no stock — add a Listings "
                     "row (or run shopops listings BOOK --suggest) for: {shown}{more}",
                     "{n} sold order lines map to no product and moved no stock — add a "
                     "Listings row (or run shopops listings BOOK --suggest) for: {shown}{more}",
                     len(lines)).format(n=len(lines), shown=shown, more=more)]


def patch_changed(book: Book, sheet: str, current: pd.DataFrame, wanted: pd.DataFrame) -> int:
    """Write the cells of `wanted` that differ from `current`, column by column; return how
    many rows changed. A figure that did not move is not rewritten."""
    changes = changed_by_column(current[wanted.columns], wanted)
    for column in changes.values():
        book.patch(sheet, column.to_frame())
    return len(set().union(*(c.index for c in changes.values()))) if changes else 0


def finish(book: Book, result: Result, now: dt.datetime, log: bool) -> Result:
    """Log the run (unless the caller logs for it) and write everything in one save.

    A run that changed nothing writes nothing, not even a Log line: running a routine twice
    in a row leaves the workbook as the first run left it.
    """
    result.changed = result.changed or book.changed
    if log and result.changed:
        log_line(book, result, now)
    book.save()
    return result


def log_line(book: Book, result: Result, now: dt.datetime) -> None:
    """Buffer one Log row for `result` (saved with the routine's other changes)."""
    book.append("Log", pd.DataFrame([{
        "time": pd.Timestamp(now).floor("s"),
        "routine": result.routine,
        "summary": result.summary,
        "problems": len(result.problems),
        "run_by": f"{getpass.getuser()}@{platform.node()}",
    }]))
