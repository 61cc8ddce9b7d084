"""Last year's lift: how much more each SKU sold during an event than in the weeks before it.

An event is a festival sale (6.18, 11.11, 12.12, CNY…, its teaser days apart) or one of the
shop's own promotions. Its lift a year ago, measured from the shop's orders, replaces the
typed guess when the same event comes round again:

    base     units per day in the BASE_DAYS days before the event (before its teaser, for a
             festival), on the days the SKU had sales or stock — the same lines as demand
    during   units per day over the event's own days
    uplift   during ÷ base − 1, at least 0
    shop     the same over all the event's SKUs together; a SKU that sold fewer than MIN_BASE
             units in its base days takes the shop's uplift (too few sales to measure its own)

The same event last year: a festival's own dates that year (CNY moves); a promotion of the
shop's own, the Promotions row with the same name that started 335–395 days earlier.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopsheet.core.membership import among
from shopsheet.core.promotions import FESTIVAL_TERMS, festival_sales
from shopsheet.core.words import PAID, PromotionStatus

BASE_DAYS = 28  # the ordinary weeks an event is measured against
MIN_BASE = 5  # units in the base weeks below which a SKU takes the shop's uplift
TEASER_DAYS = 3  # a festival's teaser runs this many days before it (core/promotions)
LOOKBACK = 400  # days of orders an event a year ago needs, with its base weeks and CNY's drift


def festival_key(plan_key: object, name: object = None) -> str | None:
    """The festival a Promotions row is for ('11.11', 'CNY-teaser'…), from its Plan Key
    (`2026-11:11.11`) or, for a row typed by hand, a festival key in its name."""
    key = str(plan_key).split(":", 1)[-1] if isinstance(plan_key, str) else ""
    base = key.removesuffix("-teaser")
    if base in FESTIVAL_TERMS:
        return key
    words = str(name or "")
    return next((k for k in FESTIVAL_TERMS if k in words.split()), None)


def festival_days(key: str, year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of festival `key` (or its teaser, `key-teaser`) in `year`."""
    base = key.removesuffix("-teaser")
    start, end = next((s, e) for k, s, e in festival_sales(year) if k == base)
    if key.endswith("-teaser"):
        start, end = start - dt.timedelta(days=TEASER_DAYS), start - dt.timedelta(days=1)
    return pd.Timestamp(start), pd.Timestamp(end)


def measured_uplift(orders: pd.DataFrame, skus: pd.Index, start: pd.Timestamp,
                    end: pd.Timestamp, lead_in: int = 0) -> pd.Series:
    """Per SKU of `skus`: uplift of units per day in [start, end] over the BASE_DAYS before
    `start − lead_in` (NaN for every SKU when nothing sold in either span). `orders` are
    order lines as stock sees them: sku, qty, created, status."""
    base_end = start - pd.Timedelta(days=lead_in)
    base_start = base_end - pd.Timedelta(days=BASE_DAYS)
    sold = orders[among(orders["status"], PAID) & among(orders["sku"], skus)]
    when = sold["created"]
    during = sold[(when >= start) & (when < end + pd.Timedelta(days=1))] \
        .groupby("sku")["qty"].sum().reindex(skus, fill_value=0).astype("float64")
    base = sold[(when >= base_start) & (when < base_end)] \
        .groupby("sku")["qty"].sum().reindex(skus, fill_value=0).astype("float64")
    days = (end - start).days + 1
    if base.sum() == 0:
        return pd.Series(np.nan, index=skus)
    shop = max((during.sum() / days) / (base.sum() / BASE_DAYS) - 1, 0.0)
    own = ((during / days) / (base / BASE_DAYS).replace(0, np.nan) - 1).clip(lower=0)
    return own.where(base >= MIN_BASE, shop).fillna(shop)


def listed(skus: object, every: pd.Index) -> pd.Index:
    """The SKUs a Promotions row names ('ALL': every SKU)."""
    names = [s.strip() for s in str(skus or "").replace("，", ",").split(",") if s.strip()]
    return every if names == ["ALL"] else every.intersection(names)


def last_year(promotion, promotions: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The days the same event ran a year before `promotion` (a Promotions row)."""
    if pd.isna(promotion.start):
        return None
    key = festival_key(promotion.plan_key, promotion.name)
    if key is not None:
        return festival_days(key, promotion.start.year - 1)
    earlier = promotions[(promotions["name"] == promotion.name)
                         & (promotions["start"] <= promotion.start - pd.Timedelta(days=335))
                         & (promotions["start"] >= promotion.start - pd.Timedelta(days=395))]
    earlier = earlier.dropna(subset=["start", "end"])
    if earlier.empty:
        return None
    row = earlier.iloc[-1]
    return row["start"], row["end"]


def learned_uplifts(promotions: pd.DataFrame, orders: pd.DataFrame, skus: pd.Index,
                    earlier: pd.DataFrame | None = None) -> dict[object, pd.Series]:
    """Per Promotions row (by index) whose event ran a year before and left orders to measure:
    the per-SKU uplift it had then, for the SKUs the row names. A promotion of the shop's own
    is looked up among `earlier` rows (default: `promotions` themselves)."""
    learned = {}
    for promo in promotions.itertuples():
        if promo.status == PromotionStatus.CANCELLED:
            continue
        span = last_year(promo, promotions if earlier is None else earlier)
        if span is None:
            continue
        key = festival_key(promo.plan_key, promo.name)
        teaser = TEASER_DAYS if key is not None and not key.endswith("-teaser") else 0
        uplift = measured_uplift(orders, listed(promo.skus, skus), *span, lead_in=teaser)
        if uplift.notna().any():
            learned[promo.Index] = uplift
    return learned


def coming_festivals(promotions: pd.DataFrame, today: dt.date, horizon: int) -> pd.DataFrame:
    """Festival sales (and teasers) starting within `horizon` days of `today` that Promotions
    has no row for, as Promotions-shaped rows over every SKU, uplift unknown: the whole
    platform's traffic rises on 11.11 whether the shop runs a promotion or not."""
    start, until = pd.Timestamp(today), pd.Timestamp(today) + pd.Timedelta(days=horizon)
    current = promotions[promotions["end"] >= start]
    planned = {festival_key(p, n) for p, n in zip(current["plan_key"], current["name"])}
    rows = []
    for year in (today.year, today.year + 1):
        for key, *_days in festival_sales(year):
            for name in (key, f"{key}-teaser"):
                first, last = festival_days(name, year)
                if name not in planned and last >= start and first < until:
                    rows.append({"start": first, "end": last, "name": name, "type": "festival",
                                 "skus": "ALL", "uplift": np.nan,
                                 "status": PromotionStatus.PLANNED, "plan_key": f":{name}"})
    return pd.DataFrame(rows, columns=["start", "end", "name", "type", "skus", "uplift",
                                       "status", "plan_key"])
