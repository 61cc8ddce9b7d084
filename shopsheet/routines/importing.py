"""`shopops import`: order exports into the Orders sheet, each line once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.core.listings import resolve, unmapped, what_to_add
from shopsheet.core.membership import among
from shopsheet.core.money import total_cents
from shopsheet.core.order_merge import latest, merge
from shopsheet.core.words import SOLD, UNMAPPED
from shopsheet.importers import read_orders
from shopsheet.importers.base import LINE_FIELDS
from shopsheet.importers.values import today_zone
from shopsheet.routines.common import MAPPING, Result, finish, mapping, prepare


def import_orders(book: Book, now: dt.datetime, *, paths: list[Path], fmt: str | None = None,
                  log: bool = True) -> Result:
    """Order lines from the export files `paths` into Orders: new lines appended, lines
    already there moved forward; every problem of every file at once, and nothing written."""
    # The files first (they need only Settings), then the sheets they go into.
    # Settings' own problems, if any, stop the import below; until then its time zone serves.
    early = book.settings()[0]
    batch = read_orders(paths, fmt, today_zone(early.time_zone), early.import_limit_mb)
    frames, settings, failed = prepare(book, ("Products", "Orders", *MAPPING), "import")
    if failed:
        return failed
    names = ", ".join(Path(p).name for p in paths)
    if batch.problems:
        n = len(batch.problems)
        return Result("import", f"Nothing imported from {names}: {n} problem{'s' * (n != 1)}",
                      batch.problems, alerts=batch.remarks)
    lines = latest(batch.lines)  # what is stored, and what the summary counts
    new, updates, unchanged = merge(frames["Orders"], lines)
    resolved = resolve(new, frames["Products"], frames["Listings"], mapping(book, frames))
    lost = resolved["how"].isna()
    new = new.assign(flags=[f"{UNMAPPED}: add a Listings row (or the SKU to Products)"
                            if x else None for x in lost])
    book.append("Orders", new[LINE_FIELDS + ["flags"]])
    book.patch("Orders", updates)
    result = Result("import", _summary(batch, lines, new, updates, unchanged), figures={
        "new_lines": len(new), "updated_lines": len(updates), "unchanged_lines": len(unchanged),
        "new_orders": new["order_id"].nunique(), "unmapped_lines": int(lost.sum())},
        alerts=list(batch.remarks))
    if lost.any():
        found, n = unmapped(new, resolved), int(lost.sum())
        shown = "; ".join(what_to_add(r) for r in found.head(8).itertuples())
        result.alerts.append(
            f"{n} new line{'s map' if n != 1 else ' maps'} to no product (imported, "
            f"counted in sales, flagged {UNMAPPED}; stock moves once mapped): {shown}"
            + (f"; and {len(found) - 8} more" if len(found) > 8 else "")
            + " — add Listings rows, or run shopops listings BOOK --suggest")
    return finish(book, result, now, log)


def _summary(batch, lines, new, updates, unchanged) -> str:
    formats = "; ".join(f"{name} ({fmt})" for name, fmt in batch.formats.items())
    if not len(lines):
        return f"Nothing to import from {formats}: no order lines below the header row"
    if not len(new) and not len(updates):
        return (f"Imported {formats}: already imported, nothing changed "
                f"({len(unchanged)} lines unchanged)")
    orders = lines.drop_duplicates("order_id")
    statuses = ", ".join(f"{s} {n}" for s, n in orders["status"].value_counts().items())
    sold = lines[among(lines["status"], SOLD)]  # paid and not cancelled or refunded
    total = total_cents(sold["line_total"], sold["shipping_fee"])
    return (f"Imported {formats}: {new['order_id'].nunique()} orders / {len(new)} lines new, "
            f"{len(updates)} lines updated, {len(unchanged)} unchanged; orders by status: "
            f"{statuses}; total paid ¥{Decimal(total) / 100:,.2f}")
