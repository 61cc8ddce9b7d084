"""Planning routines: what to reorder (with draft POs), and today's pick list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.book.write.safety import Pending, side_file
from shopsheet.core.demand import demand_stats
from shopsheet.core.frames import same_table
from shopsheet.core.listings import components
from shopsheet.core.picking import allocate, batch
from shopsheet.core.reorder import draft_orders, plan, reorder_flags
from shopsheet.core.words import TO_SHIP, Flag
from shopsheet.routines.common import MAPPING, Result, finish, on_shelf, patch_changed, prepare


def reorders(book: Book, now: dt.datetime, *, log: bool = True) -> Result:
    """Flag SKUs at or under their reorder point and draft POs for them, by supplier."""
    frames, settings, failed = prepare(book, ("Products", "Suppliers", "Orders",
                                              "PurchaseOrders", "Promotions", *MAPPING),
                                       "reorders")
    if failed:
        return failed
    products, pos = frames["Products"], frames["PurchaseOrders"]
    today = now.date()
    window = settings.sales_window_days
    recent = frames["Orders"]["created"] >= pd.Timestamp(today) - pd.Timedelta(days=window)
    demand = demand_stats(on_shelf(book, frames, recent).demand, pd.Index(products["sku"]), today,
                          window)
    planned = plan(products, frames["Suppliers"], demand, frames["Promotions"], today,
                   settings.service_level, settings.review_period_days,
                   kits=components(frames["Kits"]))
    wanted = pd.DataFrame({"reorder_flag": reorder_flags(products, planned),
                           "reorder_point": planned["reorder_point"],
                           "reorder_by": planned["reorder_by"]}, index=products.index)
    patch_changed(book, "Products", products, wanted)
    drafts = draft_orders(products, planned, pos, today)
    book.append("PurchaseOrders", drafts)
    flagged = products[planned["flag"].to_numpy()]
    low = int((wanted["reorder_flag"] == Flag.LOW).sum())
    summary = (f"Reorders: {len(flagged)} SKU{'s' * (len(flagged) != 1)} at or under the reorder "
               f"point, {low} low-stock alert{'s' * (low != 1)}, {len(drafts)} draft PO line"
               f"{'s' * (len(drafts) != 1)} for {drafts['po_no'].nunique()} supplier"
               f"{'s' * (drafts['po_no'].nunique() != 1)}")
    result = Result("reorders", summary, figures={"flagged": len(flagged), "low": low,
                                                   "draft_lines": len(drafts)})
    result.alerts += [f"Reorder {r['sku']} ({r['product']}): order by {planned.at[i, 'reorder_by']:%Y-%m-%d}"
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
    batches = int((rows["priority"] != "cannot fill").sum())
    unfilled = short["order_id"].nunique() if len(short) else 0
    summary = (f"Pick list: {n_orders} order{'s' * (n_orders != 1)}, {items} items in {batches} "
               f"batch{'es' * (batches != 1)}; {unfilled} order{'s' * (unfilled != 1)} cannot "
               "be filled")
    result = Result("pick-list", summary, figures={"orders": n_orders})
    if slips is not None and len(picked):
        from shopsheet.reports.packing_slips import write_packing_slips

        if pending is not None:
            write_packing_slips(pending.path_for(slips), picked, products, settings, now)
        else:
            with side_file(slips) as temp:
                write_packing_slips(temp, picked, products, settings, now)
        result.figures["slips"] = str(slips)
        result.summary += f"; packing slips in {slips.name}"
    return finish(book, result, now, log)

