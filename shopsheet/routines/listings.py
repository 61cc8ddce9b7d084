"""`shopops listings`: the order lines no product is found for, and what to add for them.

Without `--suggest` it only tells. With it, it appends a `suggested` Listings row for each
(from the closest Products name, `core/suggest.py`); a suggestion moves no stock until the
owner sets its Status to confirmed. Running it again adds nothing it proposed before.
"""

from __future__ import annotations

import datetime as dt

from shopsheet.book.base import Book
from shopsheet.core.language import _, counted
from shopsheet.core.listings import unmapped, what_to_add
from shopsheet.core.problems import Problem
from shopsheet.core.suggest import suggestions
from shopsheet.core.words import CHANNELS, say
from shopsheet.routines.common import MAPPING, Result, finish, on_shelf, prepare


def listings(book: Book, now: dt.datetime, *, suggest: bool = False, log: bool = True) -> Result:
    """Name the listings no SKU is found for; with `suggest`, propose Listings rows."""
    frames, _unused, failed = prepare(book, ("Products", "Orders", *MAPPING), "listings")
    if failed:
        return failed
    orders = frames["Orders"]
    shelf = on_shelf(book, frames)
    found = unmapped(orders, shelf.resolved)
    lines = int(found["lines"].sum()) if len(found) else 0
    if not len(found):
        return Result("listings", _("Listings: every order line maps to a product"))
    result = Result("listings", _("Listings: {lines} in {listings} map to no product").format(
        lines=counted("{n} order line", "{n} order lines", lines),
        listings=counted("{n} listing", "{n} listings", len(found))),
                    figures={"unmapped_lines": lines, "unmapped_listings": len(found)})
    result.alerts += [_("{what}: {lines}, {qty} sold").format(
        what=what_to_add(r), lines=counted("{n} line", "{n} lines", int(r.lines)), qty=r.qty)
        for r in found.head(20).itertuples()]
    if not suggest:
        result.alerts.append(_("shopops listings BOOK --suggest proposes a Listings row for "
                               "each"))
        return result
    if "Listings" not in book.sheet_names():
        result.problems.append(Problem("Listings", message=_(
            "this workbook has no Listings sheet: add a sheet named Listings with the headers "
            "Channel, Listing ID, Channel SKU, Title, Variant, SKU, Units, Status, Note (or "
            "make a new workbook with shopops init) and run this again")))
        return result
    rows, nothing = suggestions(found, frames["Products"], frames["Listings"])
    book.append("Listings", rows)
    result.summary += _("; {rows} suggested").format(
        rows=counted("{n} Listings row", "{n} Listings rows", len(rows)))
    result.figures["suggested"] = len(rows)
    for row in rows.itertuples():
        result.alerts.append(_("suggested: {listing} → {sku} × {units} ({note})").format(
            listing=f"{say(row.channel, CHANNELS)} {row.title!r}"
            + (f" / {row.variant!r}" if row.variant else ""), sku=row.sku, units=row.units,
            note=row.note.replace("；", ";").split(";")[0]))
    if nothing:
        result.alerts.append(_("no product name comes close to: {titles} — add these Listings "
                               "rows (or Products) by hand").format(
            titles=", ".join(repr(t) for t in nothing[:10])))
    return finish(book, result, now, log)
