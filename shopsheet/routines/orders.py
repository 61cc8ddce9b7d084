"""Order routines: verify new orders; record shipments from a carrier file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.core.language import _, counted
from shopsheet.core.ledger import stock_levels
from shopsheet.core.listings import resolve
from shopsheet.core.membership import among
from shopsheet.core.verification import verify as verify_orders
from shopsheet.core.words import OPEN_ORDER, Status
from shopsheet.importers import read_shipments
from shopsheet.routines.common import (MAPPING, Result, finish, mapping, on_shelf, patch_changed,
                                       prepare)


def verify(book: Book, now: dt.datetime, *, log: bool = True) -> Result:
    """Check payment, address and stock of new orders and raise the guide's red flags."""
    frames, settings, failed = prepare(book, ("Products", "Orders", "StockLedger", *MAPPING),
                                       "verify")
    if failed:
        return failed
    orders, ledger = frames["Orders"], frames["StockLedger"]
    stock = stock_levels(ledger).reindex(frames["Products"]["sku"]).fillna(0)
    resolved = resolve(orders, frames["Products"], frames["Listings"],
                       mapping(book, frames))
    own = orders.assign(sku=resolved["target"].fillna(orders["sku"]))  # the shop's SKUs
    shelf = on_shelf(book, frames, among(orders["status"], OPEN_ORDER) & orders["shipped"].isna())
    judged = verify_orders(own, stock, ledger["reference"], settings.large_first_order,
                           shelf.lines, resolved["how"].isna())
    patch_changed(book, "Orders", orders.loc[judged.index], judged)  # a verdict kept: no write
    n = judged.index.map(orders["order_id"]).nunique() if len(judged) else 0
    ok = judged[judged["verified"].fillna(False)].index.map(orders["order_id"]).nunique() \
        if len(judged) else 0
    held = judged[judged["verified"] == False].index  # noqa: E712 (a nullable boolean)
    waiting = judged[judged["verified"].isna()].index
    result = Result("verify", _("Verified {orders}: {ok} ready, {held} held for review, "
                                "{waiting} awaiting payment").format(
        orders=counted("{n} new order", "{n} new orders", n), ok=ok,
        held=orders.loc[held, "order_id"].nunique(),
        waiting=orders.loc[waiting, "order_id"].nunique()), figures={"orders": n, "ready": ok})
    for order_id, flags in orders.loc[held, "order_id"].to_frame().join(judged["flags"]) \
            .drop_duplicates("order_id").itertuples(index=False):
        result.alerts.append(_("Check order {order}: {flags}").format(order=order_id,
                                                                      flags=flags))
    return finish(book, result, now, log)


def ship(book: Book, now: dt.datetime, *, path: Path, log: bool = True) -> Result:
    """Tracking numbers from a carrier's file into Orders: status shipped, shipped time."""
    settings, _unused = book.settings()  # its import limit bounds the carrier's file too
    shipments, problems = read_shipments(Path(path), settings.import_limit_mb)
    if problems:
        return Result("ship", _("{names}: nothing recorded, {problems}").format(
            names=Path(path).name, problems=counted("{n} problem", "{n} problems",
                                                    len(problems))), problems)
    frames, _unused, failed = prepare(book, ("Orders",), "ship")
    if failed:
        return failed
    orders = frames["Orders"]
    sent = shipments.drop_duplicates("order_id", keep="last").set_index("order_id")
    lines = orders[among(orders["order_id"], sent.index)]
    tracking = lines["order_id"].map(sent["tracking_no"])
    todo = among(lines["status"], OPEN_ORDER) | (
        (lines["status"] == Status.SHIPPED) & (lines["tracking_no"] != tracking))
    lines, tracking = lines[todo], tracking[todo]
    changes = pd.DataFrame({
        "status": Status.SHIPPED,
        "tracking_no": tracking,
        "carrier": _either(lines["order_id"].map(sent["carrier"]), lines["carrier"]),
        "shipped": pd.to_datetime(_either(lines["order_id"].map(sent["shipped"]),
                                          lines["shipped"])).fillna(pd.Timestamp(now).floor("min")),
    }, index=lines.index)
    book.patch("Orders", changes)
    unknown = sorted(set(shipments["order_id"]) - set(orders["order_id"]))
    n = lines["order_id"].nunique()
    result = Result("ship", _("Shipped: {orders} marked shipped with tracking numbers from "
                              "{file}").format(orders=counted("{n} order", "{n} orders", n),
                                               file=Path(path).name), figures={"orders": n})
    if unknown:
        result.alerts.append(_("{n} order ids in the file are not in Orders: {ids}").format(
            n=len(unknown), ids=", ".join(unknown[:10])))
    return finish(book, result, now, log)


def _either(given: pd.Series, kept: pd.Series) -> pd.Series:
    """What the file gave, else what the sheet had (a carrier file may leave columns out)."""
    given, kept = given.astype(object), kept.astype(object)
    return given.where(given.notna(), kept)
