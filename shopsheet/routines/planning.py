"""Planning routines: what to reorder (with draft POs), and today's pick list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.book.write.safety import Pending, side_file
from shopsheet.core.demand import learned_demand, window_days
from shopsheet.core.frames import same_table
from shopsheet.core.language import _, counted
from shopsheet.core.leadtimes import lead_days, measured_lead_times, with_measured
from shopsheet.core.listings import components
from shopsheet.core.picking import CANNOT_FILL, allocate, batch
from shopsheet.core.reorder import draft_orders, plan, reorder_flags
from shopsheet.core.seasons import event_days, events_ahead, history_needed, learned_uplifts
from shopsheet.core.words import TO_SHIP, Flag
from shopsheet.routines.common import MAPPING, Result, finish, on_shelf, patch_changed, prepare


def reorders(book: Book, now: dt.datetime, *, log: bool = True) -> Result:
    """Flag SKUs at or under their reorder point and draft POs for them, by supplier."""
    frames, settings, failed = prepare(book, ("Products", "Suppliers", "Orders", "StockLedger",
                                              "PurchaseOrders", "Promotions", *MAPPING),
                                       "reorders")
    if failed:
        return failed
    products, pos, suppliers = frames["Products"], frames["PurchaseOrders"], frames["Suppliers"]
    today = now.date()
    # lead times as delivered, shown beside the typed ones; used when Settings say so
    patch_changed(book, "PurchaseOrders", pos, lead_days(pos).to_frame("lead_days"))
    measured = measured_lead_times(pos, pd.Index(suppliers["supplier"]), settings.service_level)
    patch_changed(book, "Suppliers", suppliers, measured.set_axis(suppliers.index)[
        ["measured_lead_time", "measured_spread", "deliveries"]])
    typed_products = products
    if settings.measured_lead_times:
        suppliers, products = with_measured(suppliers, products, measured,
                                            settings.service_level)
    window = settings.sales_window_days
    since = pd.Timestamp(today) - pd.Timedelta(days=window)
    # promotions and festivals ahead, at the uplift the same event had last year
    longest = pd.concat([products["lead_time"], suppliers["lead_time"]]).max()
    horizon = (0 if pd.isna(longest) else int(longest)) + settings.review_period_days + 1
    events = events_ahead(frames["Promotions"], today, horizon)
    created = frames["Orders"]["created"]
    sold = on_shelf(book, frames, (created >= since) | history_needed(
        events, frames["Promotions"], created)).demand
    skus = pd.Index(products["sku"])
    # demand that learns: sold-out days and event days left out, sporadic sellers by SBA,
    # new products at their supplier's average (core/demand.learned_demand)
    demand = learned_demand(sold[sold["created"] >= since], frames["StockLedger"], skus,
                            products.set_index("sku")["supplier"], today, window,
                            busy=event_days(frames["Promotions"], skus,
                                            window_days(today, window)))
    learned = learned_uplifts(events, sold, skus, earlier=frames["Promotions"])
    planned = plan(products, suppliers, demand, events, today,
                   settings.service_level, settings.review_period_days,
                   kits=components(frames["Kits"]), learned=learned)
    wanted = pd.DataFrame({"reorder_flag": reorder_flags(products, planned),
                           "reorder_point": planned["reorder_point"],
                           "reorder_by": planned["reorder_by"]}, index=products.index)
    patch_changed(book, "Products", typed_products, wanted)
    drafts = draft_orders(products, planned, pos, today)
    book.append("PurchaseOrders", drafts)
    flagged = products[planned["flag"].to_numpy()]
    low = int((wanted["reorder_flag"] == Flag.LOW).sum())
    summary = _("Reorders: {flagged} at or under the reorder point, {low}, {drafts} for "
                "{suppliers}").format(
        flagged=counted("{n} SKU", "{n} SKUs", len(flagged)),
        low=counted("{n} low-stock alert", "{n} low-stock alerts", low),
        drafts=counted("{n} draft PO line", "{n} draft PO lines", len(drafts)),
        suppliers=counted("{n} supplier", "{n} suppliers", drafts["po_no"].nunique()))
    result = Result("reorders", summary, figures={"flagged": len(flagged), "low": low,
                                                   "draft_lines": len(drafts)})
    result.alerts += [_("Reorder {sku} ({product}): order by {date}").format(
        sku=r["sku"], product=r["product"], date=f"{planned.at[i, 'reorder_by']:%Y-%m-%d}")
        for i, r in flagged.iterrows() if pd.notna(planned.at[i, "reorder_by"])]
    return finish(book, result, now, log)


def pick_list(book: Book, now: dt.datetime, *, slips: Path | None = None, log: bool = True,
              pending: Pending | None = None) -> Result:
    """Write today's PickList sheet (and packing slips to `slips`, if given: whole or not at
    all, and with `pending` only once the workbook is saved)."""
    frames, settings, failed = prepare(book, ("Products", "Orders", "StockLedger", *MAPPING),
                                       "pick-list")
    if failed:
        return failed
    products, orders = frames["Products"], frames["Orders"]
    shelf = on_shelf(book, frames, (orders["status"] == TO_SHIP) & orders["shipped"].isna())
    blocked = set(orders.loc[shelf.unmapped[shelf.unmapped].index, "order_id"])
    picked, short = allocate(shelf.lines, products, frames["StockLedger"], blocked)
    rows = batch(picked, short, products)
    current = book.read("PickList").frame[rows.columns].reset_index(drop=True)
    if not same_table(current, rows):
        book.replace("PickList", rows)
    n_orders = picked["order_id"].nunique() if len(picked) else 0
    items = int(picked["qty"].sum()) if len(picked) else 0
    batches = int((rows["priority"] != _(CANNOT_FILL)).sum())
    unfilled = short["order_id"].nunique() if len(short) else 0
    summary = _("Pick list: {orders}, {items} in {batches}; {unfilled} cannot be filled").format(
        orders=counted("{n} order", "{n} orders", n_orders),
        items=counted("{n} item", "{n} items", items),
        batches=counted("{n} batch", "{n} batches", batches),
        unfilled=counted("{n} order", "{n} orders", unfilled))
    result = Result("pick-list", summary, figures={"orders": n_orders})
    if slips is not None and len(picked):
        from shopsheet.reports.packing_slips import write_packing_slips

        if pending is not None:
            write_packing_slips(pending.path_for(slips), picked, products, settings, now)
        else:
            with side_file(slips) as temp:
                write_packing_slips(temp, picked, products, settings, now)
        result.figures["slips"] = str(slips)
        result.summary += _("; packing slips in {file}").format(file=slips.name)
    return finish(book, result, now, log)

