"""`shopops import`: order exports into the Orders sheet, each line once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.core.language import _, ngettext
from shopsheet.core.listings import resolve, unmapped, what_to_add
from shopsheet.core.membership import among
from shopsheet.core.money import total_cents
from shopsheet.core.order_merge import latest, merge
from shopsheet.core.words import ORDER_STATUSES, SOLD, say, unmapped_mark
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
        return Result("import", ngettext("Nothing imported from {names}: {n} problem",
                                         "Nothing imported from {names}: {n} problems", n)
                      .format(names=names, n=n), batch.problems, alerts=batch.remarks)
    lines = latest(batch.lines)  # what is stored, and what the summary counts
    new, updates, unchanged = merge(frames["Orders"], lines)
    resolved = resolve(new, frames["Products"], frames["Listings"], mapping(book, frames))
    lost = resolved["how"].isna()
    new = new.assign(flags=[_("{flag}: add a Listings row (or the SKU to Products)").format(
                                flag=unmapped_mark())
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
        more = _("; and {n} more").format(n=len(found) - 8) if len(found) > 8 else ""
        result.alerts.append(_(
            "{n} new lines map to no product (imported, counted in sales, flagged {flag}; stock "
            "moves once mapped): {shown}{more} — add Listings rows, or run shopops listings BOOK "
            "--suggest").format(n=n, flag=unmapped_mark(), shown=shown, more=more))
    return finish(book, result, now, log)


def _summary(batch, lines, new, updates, unchanged) -> str:
    formats = "; ".join(f"{name} ({_(fmt)})" for name, fmt in batch.formats.items())
    if not len(lines):
        return _("Nothing to import from {formats}: no order lines below the header row").format(
            formats=formats)
    if not len(new) and not len(updates):
        return _("Imported {formats}: already imported, nothing changed ({n} lines "
                 "unchanged)").format(formats=formats, n=len(unchanged))
    orders = lines.drop_duplicates("order_id")
    statuses = ", ".join(f"{say(s, ORDER_STATUSES)} {n}"
                         for s, n in orders["status"].value_counts().items())
    sold = lines[among(lines["status"], SOLD)]  # paid and not cancelled or refunded
    total = total_cents(sold["line_total"], sold["shipping_fee"])
    return _("Imported {formats}: {orders} orders / {lines} lines new, {updated} lines updated, "
             "{unchanged} unchanged; orders by status: {statuses}; total paid ¥{total}").format(
        formats=formats, orders=new["order_id"].nunique(), lines=len(new), updated=len(updates),
        unchanged=len(unchanged), statuses=statuses, total=f"{Decimal(total) / 100:,.2f}")

