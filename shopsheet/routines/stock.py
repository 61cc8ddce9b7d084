"""Stock routines: post what the ledger is missing and refresh Products; receive POs; returns."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.core.language import N_, _
from shopsheet.core.leadtimes import lead_days
from shopsheet.core.ledger import MOVEMENT_COLUMNS, receipts, restocks, reversals, sales, settled
from shopsheet.core.membership import among
from shopsheet.core.problems import Problem
from shopsheet.core.products import computed_columns
from shopsheet.core.words import (ORDERED_PO, PO_STATUSES, RESELLABLE, UNMAPPED_MARKS, POStatus,
                                  ReturnStatus, has_unmapped, say)
from shopsheet.routines.common import (MAPPING, Result, finish, on_shelf, patch_changed, prepare,
                                       unmapped_alerts)

STOCK_SHEETS = ("Products", "Orders", "StockLedger", "PurchaseOrders", "Returns", "Promotions",
                *MAPPING)


KINDS = ("sales", "reversals", "receipts", "returns")


def update_stock(book: Book, now: dt.datetime, *, log: bool = True, kinds: tuple[str, ...] = KINDS,
                 routine: str = "update-stock") -> Result:
    """Post sales, reversals, receipts and resellable returns (or only `kinds` of them);
    refresh Products' figures."""
    frames, settings, failed = prepare(book, STOCK_SHEETS, routine)
    if failed:
        return failed
    products, orders, ledger = frames["Products"], frames["Orders"], frames["StockLedger"]
    pos, returns = frames["PurchaseOrders"], frames["Returns"]
    known = set(products["sku"])
    window = pd.Timestamp(now.date()) - pd.Timedelta(days=settings.sales_window_days)
    shelf = on_shelf(book, frames, ~settled(orders, ledger) | (orders["created"] >= window))
    received, lowered = receipts(pos, ledger, now)
    batches = {"sales": sales(shelf.lines, ledger),
               "reversals": reversals(shelf.lines, ledger, now),
               "receipts": received, "returns": restocks(returns, ledger, known, shelf.parts, now)}
    batches = {k: v for k, v in batches.items() if k in kinds}
    moves = pd.concat([b for b in batches.values() if len(b)] or
                      [pd.DataFrame(columns=MOVEMENT_COLUMNS)], ignore_index=True)
    book.append("StockLedger", moves)
    full = pd.concat([ledger[MOVEMENT_COLUMNS], moves], ignore_index=True) if len(moves) else ledger
    figures = computed_columns(products, full, shelf.demand, pos, now.date(),
                               settings.sales_window_days, shelf.parts, frames["Promotions"])
    products_changed = patch_changed(book, "Products", products, figures)
    book.patch("Orders", _mapped_since(orders, shelf))
    restocked = returns[_restocked(returns, batches.get("returns", moves), shelf.parts)]
    book.patch("Returns", pd.DataFrame({"status": ReturnStatus.RESTOCKED}, index=restocked.index))
    result = Result(routine, _summary(batches), figures={
        k: len(v) for k, v in batches.items()} | {"products_changed": products_changed})
    result.alerts += _alerts(products, figures, orders, shelf, lowered)
    return finish(book, result, now, log)


def _mapped_since(orders: pd.DataFrame, shelf) -> pd.DataFrame:
    """Flags of lines flagged unmapped that a Listings row now maps, without that flag."""
    flagged = orders["flags"].dropna()
    flagged = flagged[flagged.map(has_unmapped).astype(bool).to_numpy()]
    flagged = flagged[~shelf.unmapped.reindex(flagged.index, fill_value=True).to_numpy()]
    kept = ["; ".join(part for part in str(f).split("; ") if not part.startswith(UNMAPPED_MARKS))
            or None for f in flagged]
    return pd.DataFrame({"flags": kept}, index=flagged.index)


def _restocked(returns: pd.DataFrame, posted: pd.DataFrame, parts) -> pd.Series:
    """Returns whose restock was just posted (a kit's under each of its parts)."""
    refs = set(posted["reference"])
    return pd.Series([rma in refs or any(f"{rma}/{p}" in refs for p, _unused in parts.get(sku, ()))
                      for rma, sku in zip(returns["rma_no"], returns["sku"])],
                     index=returns.index, dtype=bool)


MOVES = {"sales": N_("sales"), "reversals": N_("reversals"), "receipts": N_("receipts"),
         "returns": N_("returns")}  # what the summary calls each batch of movements


def _summary(batches: dict[str, pd.DataFrame]) -> str:
    posted = [f"{len(v)} {_(MOVES[k])}" for k, v in batches.items() if len(v)]
    if not posted:
        return _("Inventory updated: nothing new to post")
    return _("Inventory updated: {moves} posted").format(moves=", ".join(posted))


def _alerts(products, figures, orders, shelf, lowered) -> list[str]:
    alerts = []
    over = figures[figures["current_stock"] < 0]
    for i in over.index:
        alerts.append(_("Oversold: {sku} stands at {stock} — count the shelf and enter a stock "
                        "count").format(sku=products.at[i, "sku"],
                                        stock=over.at[i, "current_stock"]))
    alerts += unmapped_alerts(orders, shelf)
    for po in lowered.itertuples():
        alerts.append(_("{po} {sku}: Received Qty is below what was already posted; enter an "
                        "adjustment if goods went back").format(po=po.po_no, sku=po.sku))
    return alerts


def receive(book: Book, now: dt.datetime, *, po_no: str, qty: int | None = None,
            sku: str | None = None, log: bool = True, over: bool = False) -> Result:
    """Mark a PO received (all that is outstanding, or `qty` units of one line) and post it.
    More than the line has open is refused unless `over` (a supplier's extra units): then the
    Log says how many over."""
    frames, _unused, failed = prepare(book, ("PurchaseOrders", "Kits"), "receive")
    if failed:
        return failed
    pos = frames["PurchaseOrders"]
    mine = pos[(pos["po_no"] == po_no) & ((pos["sku"] == sku) if sku else True)]
    lines = mine[among(mine["status"], ORDERED_PO)]
    named = (_("PO {po} (SKU {sku})") if sku else _("PO {po}")).format(po=po_no, sku=sku)
    nothing = _("receive: nothing done")
    if lines.empty:
        states = sorted(set(mine["status"].dropna()))
        why = (_("there is no {po} in PurchaseOrders") if mine.empty else
               _("{po} is a draft: once it is sent to the supplier, set its Status to ordered, "
                 "then receive it") if POStatus.DRAFT in states else
               _("{po} is {states}: nothing is open on it")).format(
            po=named, states=" / ".join(say(s, PO_STATUSES) for s in states))
        return Result("receive", nothing, [Problem("PurchaseOrders", message=why)])
    if qty is not None and len(lines) > 1:
        return Result("receive", nothing, [Problem(
            "PurchaseOrders", message=_("PO {po} has {n} open lines; name one with --sku when "
                                        "giving --qty").format(po=po_no, n=len(lines)))])
    due = int((lines["qty"].fillna(0) - lines["received_qty"].fillna(0)).clip(lower=0).sum())
    if qty is not None and qty > due and not over:
        return Result("receive", nothing, [Problem(
            "PurchaseOrders", message=_("{po}: {due} still open, {qty} is more than that — check "
                                        "the delivery note, or give --over to receive all of "
                                        "them").format(po=named, due=due, qty=qty))])
    done = lines["received_qty"].fillna(0).astype(int)
    got = (done + qty) if qty is not None else lines["qty"].astype(int)
    marked = pd.DataFrame({
        "received_qty": got, "received": pd.Timestamp(now.date()),
        "status": [POStatus.RECEIVED if g >= q else POStatus.PARTIAL
                   for g, q in zip(got, lines["qty"])],
    }, index=lines.index)
    marked["lead_days"] = lead_days(pd.concat([lines[["ordered"]], marked], axis=1))
    book.patch("PurchaseOrders", marked)
    book.save()
    result = update_stock(book, now, log=False, kinds=("receipts",), routine="receive")
    extra = _(" ({over} over the {due} ordered)").format(over=qty - due, due=due) \
        if qty is not None and qty > due else ""
    result.summary = _("Received PO {po}: {lines}{extra}; {stock}").format(
        po=po_no, lines=", ".join(f"{s} {int(g - d)}" for s, g, d in zip(lines["sku"], got, done)),
        extra=extra, stock=result.summary[0].lower() + result.summary[1:])
    return finish(book, result, now, log)


def restock_returns(book: Book, now: dt.datetime, *, log: bool = True) -> Result:
    """Put resellable returns back in stock; say what came back and why."""
    frames, _unused, failed = prepare(book, ("Returns",), "returns")
    if failed:
        return failed
    returns = frames["Returns"]
    waiting = returns[returns["status"] == ReturnStatus.RECEIVED]
    result = update_stock(book, now, log=False, kinds=("returns",), routine="returns")
    if result.problems:
        return result
    kept = waiting[waiting["condition"] != RESELLABLE]
    reasons = waiting.loc[waiting["condition"] == RESELLABLE, "reason"].fillna(_("no reason"))
    why = " (" + ", ".join(f"{r} {n}" for r, n in reasons.value_counts().items()) + ")" \
        if len(reasons) else ""
    result.summary = _("Returns: {restocked} restocked{why}; {kept} damaged or defective kept "
                       "out of stock").format(restocked=result.figures.get("returns", 0),
                                              why=why, kept=len(kept))
    return finish(book, result, now, log)
