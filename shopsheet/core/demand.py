"""Demand per SKU from order lines: average and spread of daily units over a window.

A day's demand is the units of lines created that day that were not cancelled (a refund after
paying was still demand). The window is the `window` whole days before `today`; today, still
under way, is left out so the figures do not sag every morning.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.membership import among
from shopsheet.core.words import PAID


def daily_units(orders: pd.DataFrame, skus: pd.Index, today: dt.date, window: int) -> pd.DataFrame:
    """Units per SKU (rows) per day (columns) over the window, zero on days without sales."""
    start = pd.Timestamp(today) - pd.Timedelta(days=window)
    days = pd.date_range(start, periods=window, freq="D")
    lines = orders[among(orders["status"], PAID)
                   & (orders["created"] >= start) & (orders["created"] < pd.Timestamp(today))]
    table = lines.groupby([lines["sku"], lines["created"].dt.normalize()])["qty"].sum()
    grid = table.unstack(fill_value=0) if len(table) else pd.DataFrame(index=pd.Index([], name="sku"))
    return grid.reindex(index=skus, columns=days, fill_value=0).fillna(0).astype("int64")


def demand_stats(orders: pd.DataFrame, skus: pd.Index, today: dt.date, window: int) -> pd.DataFrame:
    """`avg_daily_sales` (mean units/day) and `sd_daily_sales` (their standard deviation)."""
    units = daily_units(orders, skus, today, window)
    return pd.DataFrame({"avg_daily_sales": units.mean(axis=1),
                         "sd_daily_sales": units.std(axis=1, ddof=1).fillna(0)}, index=skus)
