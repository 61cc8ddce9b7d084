"""The computed columns of Products, from the ledger, the orders and the open purchase orders.

Current Stock = the ledger's sum per SKU (see ledger.stock_levels), and for a kit what its
components' stock can make; Last Updated = the date of
its latest movement; Avg Daily Sales over the Settings window, as the reorders learn it (days
sold out and event days left out, sporadic sellers by SBA, new products at their supplier's average:
`demand.learned_demand`); Days of Cover = stock ÷ average daily sales (blank when nothing
sells); On Order = ordered but not yet received on open POs; Last Counted = the date of
its latest count;
Margin = (Price − Cost) ÷ Price.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopsheet.core.counting import last_counted
from shopsheet.core.demand import demand_stats, learned_demand, window_days
from shopsheet.core.ledger import last_movement, stock_levels
from shopsheet.core.listings import kit_stock
from shopsheet.core.membership import among
from shopsheet.core.seasons import event_days
from shopsheet.core.words import ORDERED_PO

NO_EVENTS = pd.DataFrame(columns=["start", "end", "skus", "uplift", "status"])


def on_order(pos: pd.DataFrame) -> pd.Series:
    """Units per SKU still to arrive on open POs (drafts are not ordered yet, so not counted)."""
    open_ = pos[among(pos["status"], ORDERED_PO)]
    due = (open_["qty"].fillna(0) - open_["received_qty"].fillna(0)).clip(lower=0)
    return due.groupby(open_["sku"]).sum().astype("int64")


def computed_columns(products: pd.DataFrame, ledger: pd.DataFrame, sold: pd.DataFrame,
                     pos: pd.DataFrame, today: dt.date, window: int,
                     parts: dict[str, list[tuple[str, int]]] | None = None,
                     promotions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The computed columns for every row of `products` (same index). `sold` holds the units
    each line took per SKU (`Shelf.demand`); a kit's stock is what its `parts` can make;
    `promotions` (and the festivals) mark the event days the average leaves out."""
    skus = pd.Index(products["sku"])
    levels = stock_levels(ledger)
    if parts:
        levels = pd.concat([levels.drop(list(parts), errors="ignore"), kit_stock(levels, parts)])
    stock = levels.reindex(skus).fillna(0).astype("int64")
    supplier = products.set_index("sku")["supplier"] if "supplier" in products else \
        pd.Series(dtype="object")
    busy = event_days(promotions if promotions is not None else NO_EVENTS, skus,
                      window_days(today, window))
    demand = learned_demand(sold, ledger, skus, supplier, today, window, busy=busy)
    if parts:  # a kit is never on the shelf itself: its sales as they came
        kits = skus[skus.isin(list(parts))]
        demand.loc[kits] = demand_stats(sold, kits, today, window).assign(
            method="average", days_in_stock=window)
    avg = demand["avg_daily_sales"].astype("float64").round(2)
    cover = (stock / avg.replace(0, np.nan)).round(1)
    price = products["price"].astype("float64")
    margin = ((price - products["cost"]) / price.replace(0, np.nan)).round(4)
    return pd.DataFrame({
        "current_stock": stock.to_numpy(),
        "margin": margin.to_numpy(),
        "last_updated": last_movement(ledger).reindex(skus).to_numpy(),
        "avg_daily_sales": avg.to_numpy(),
        "days_of_cover": cover.to_numpy(),
        "on_order": on_order(pos).reindex(skus).fillna(0).astype("int64").to_numpy(),
        "last_counted": last_counted(ledger).reindex(skus).to_numpy(),
    }, index=products.index)
