"""Demand per SKU from order lines: average and spread of daily units over a window.

A day's demand is the units of lines created that day that were not cancelled (a refund after
paying was still demand). The window is the `window` whole days before `today`; today, still
under way, is left out so the figures do not sag every morning.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopsheet.core.ledger import stock_levels
from shopsheet.core.membership import among
from shopsheet.core.words import PAID, Reason


def window_days(today: dt.date, window: int) -> pd.DatetimeIndex:
    """The `window` whole days before `today`."""
    return pd.date_range(pd.Timestamp(today) - pd.Timedelta(days=window), periods=window,
                         freq="D")


def daily_units(orders: pd.DataFrame, skus: pd.Index, today: dt.date, window: int) -> pd.DataFrame:
    """Units per SKU (rows) per day (columns) over the window, zero on days without sales."""
    days = window_days(today, window)
    start = days[0]
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


# --- demand that learns ---------------------------------------------------------------------
# A sold-out day is not a day of zero demand: the shelf was empty. Days a SKU began with no
# stock (and sold nothing) are left out of its average and spread. A SKU selling on few of its
# days gets a forecast made for sporadic demand (Syntetos–Boylan: SBA); a SKU too new to have a
# history takes the average of its supplier's others.
SPORADIC_INTERVAL = 1.32  # Syntetos & Boylan's cut-off on the average demand interval (ADI)
SBA_ALPHA = 0.1  # smoothing of sizes and intervals in Croston's method
NEW_DAYS = 7  # fewer days in stock than this in the window: too new to have a history of its own


def opening_stock(ledger: pd.DataFrame, skus: pd.Index, days: pd.DatetimeIndex) -> pd.DataFrame:
    """Stock per SKU (rows) at the start of each day (columns), from the ledger: the sum of
    movements before the day, restarting at each count (a count's Change is the level). The
    level at the window's start is the ledger's sum before it (`stock_levels`); only the
    window's own movements are walked day by day."""
    moves = ledger.dropna(subset=["sku", "change", "time"])
    base = stock_levels(moves[moves["time"] < days[0]]).reindex(skus).fillna(0)
    inside = moves[(moves["time"] >= days[0]) & (moves["time"] < days[-1])
                   & among(moves["sku"], skus)].sort_values(["sku", "time"], kind="stable")
    grid = pd.DataFrame(np.nan, index=skus, columns=days)
    grid.insert(0, "start", base.astype("float64"))
    if len(inside):
        segment = (inside["reason"] == Reason.COUNT).astype("int64").groupby(
            inside["sku"]).cumsum()
        level = inside["change"].astype("int64").groupby([inside["sku"], segment]).cumsum() \
            + np.where(segment == 0, inside["sku"].map(base).fillna(0), 0)
        closing = pd.DataFrame({"sku": inside["sku"], "day": inside["time"].dt.normalize(),
                                "level": level}).groupby(["sku", "day"])["level"].last().unstack()
        closing = closing.reindex(index=skus, columns=days)
        grid.iloc[:, 1:] = closing.to_numpy()
    closed = grid.ffill(axis=1)
    return closed.iloc[:, :-1].set_axis(days, axis=1).astype("int64")  # the day before's close


def learned_demand(orders: pd.DataFrame, ledger: pd.DataFrame, skus: pd.Index,
                   supplier: pd.Series, today: dt.date, window: int,
                   busy: np.ndarray | None = None) -> pd.DataFrame:
    """Per SKU: `avg_daily_sales` and `sd_daily_sales` over the ordinary days it was in stock,
    how it was worked out (`method`: average, sporadic, new), and `days_in_stock`.

    in stock on day d       it began d with stock > 0, or it sold on d
    ordinary day            not one of its promotion or festival days (`busy`, SKU × day of
                            the window: core/seasons.event_days) — their lift is planned on
                            its own — unless that would leave it fewer than 7 days
    average                 mean and sample spread of units over its in-stock days
    sporadic (ADI > 1.32)   SBA: (1 − α/2) · ẑ / p̂ — Croston's smoothed size ẑ over smoothed
                            interval p̂ (in in-stock days), starting from the window's mean
                            size and ADI, updated at each day with demand:
                            ẑ ← ẑ + α(d − ẑ), p̂ ← p̂ + α(q − p̂), q the days since the last;
                            its spread: the sample spread of its in-stock days
                            (`size` ẑ and `interval` p̂ are kept: the safety stock of a
                            sporadic seller is worked out from them, core/reorder)
    new (< 7 days in stock) the median average and spread of its supplier's SKUs that have a
                            history — a typical product of theirs, not one pulled up by their
                            best seller (its own figures when it has no such supplier)"""
    units = daily_units(orders, skus, today, window).astype("float64")
    days = units.columns
    opening = opening_stock(ledger, skus, days).reindex(index=units.index)
    stocked = (opening.to_numpy() > 0) | (units.to_numpy() > 0)
    in_stock = stocked.sum(axis=1)
    if busy is not None:
        ordinary = stocked & ~busy
        stocked = np.where((ordinary.sum(axis=1) >= NEW_DAYS)[:, None], ordinary, stocked)
    n = stocked.sum(axis=1)
    values = np.where(stocked, units.to_numpy(), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = np.where(n > 0, np.nansum(values, axis=1) / np.maximum(n, 1), 0.0)
        spread = np.where(n > 1, np.sqrt(np.nansum((values - avg[:, None]) ** 2, axis=1)
                                         / np.maximum(n - 1, 1)), 0.0)
    demand_days = ((units.to_numpy() > 0) & stocked).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        adi = np.where(demand_days > 0, n / np.maximum(demand_days, 1), np.inf)
    sporadic = (adi > SPORADIC_INTERVAL) & (demand_days > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_size = np.where(demand_days > 0, np.nansum(np.where(stocked, units.to_numpy(), 0),
                                                        axis=1) / np.maximum(demand_days, 1), 0)
    sba, size, interval = _sba(units.to_numpy(), stocked, mean_size,
                               np.where(np.isfinite(adi), adi, 1.0))
    avg = np.where(sporadic, sba, avg)
    method = np.where(sporadic, "sporadic", "average").astype(object)
    result = pd.DataFrame({"avg_daily_sales": avg, "sd_daily_sales": spread,
                           "method": method, "days_in_stock": in_stock,
                           "size": np.where(sporadic, size, np.nan),
                           "interval": np.where(sporadic, interval, np.nan)},
                          index=units.index)
    new = result["days_in_stock"] < NEW_DAYS
    by = supplier.reindex(result.index)
    known = result[~new].groupby(by[~new])[["avg_daily_sales", "sd_daily_sales"]].median()
    fill = known.reindex(by[new]).set_axis(result.index[new])
    has = fill["avg_daily_sales"].notna()
    taken = has[has].index
    result.loc[taken, ["avg_daily_sales", "sd_daily_sales"]] = fill.loc[taken].to_numpy()
    result.loc[taken, "method"] = "new"
    result.loc[taken, ["size", "interval"]] = np.nan
    return result.reindex(skus)


def _sba(units: np.ndarray, stocked: np.ndarray, size: np.ndarray,
         interval: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The SBA forecast per row of `units`, with the smoothed size and interval it came from,
    from the starting `size` and `interval`, walking the in-stock days in order (every SKU at
    once, a day at a time)."""
    size, interval = size.astype("float64").copy(), interval.astype("float64").copy()
    since = np.zeros(units.shape[0])
    for t in range(units.shape[1]):
        here = stocked[:, t]
        since = since + here
        sold = here & (units[:, t] > 0)
        size[sold] += SBA_ALPHA * (units[sold, t] - size[sold])
        interval[sold] += SBA_ALPHA * (since[sold] - interval[sold])
        since[sold] = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num((1 - SBA_ALPHA / 2) * size / interval), size, interval
