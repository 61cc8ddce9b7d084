"""Last year's lift: how much more each SKU sold during an event than in the weeks before it.

An event is a festival sale (6.18, 11.11, 12.12, CNY…, its teaser days apart) or one of the
shop's own promotions. Its lift a year ago, measured from the shop's orders, replaces the
typed guess when the same event comes round again:

    expected units the SKU would have sold over the event's days at its pace of the
             BASE_DAYS days before (before the teaser, for a festival)
    sold     units it sold over the event's days
    shop     the event's lift over all its SKUs together: Σ sold ÷ Σ expected
    lift     (sold + PRIOR · shop) ÷ (expected + PRIOR): the SKU's own lift, weighed against
             the shop's by how much it sells — one day of a slow seller says little (a
             credibility estimate; PRIOR is the expected units at which both weigh the same)
    uplift   lift − 1, at least 0

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
PRIOR = 10  # expected units at which a SKU's own lift and the shop's weigh the same
TEASER_DAYS = 3  # a festival's teaser runs this many days before it (core/promotions)


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
    expected = base / BASE_DAYS * days
    shop = during.sum() / expected.sum()
    return ((during + PRIOR * shop) / (expected + PRIOR) - 1).clip(lower=0)


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


def events_ahead(promotions: pd.DataFrame, today: dt.date, horizon: int) -> pd.DataFrame:
    """The Promotions rows overlapping the `horizon` days from `today`, and the festivals
    starting in them that no row plans (`coming_festivals`): what a reorder today must cover.
    Indexed afresh; the rows keep their columns."""
    start, until = pd.Timestamp(today), pd.Timestamp(today) + pd.Timedelta(days=horizon)
    soon = promotions[(promotions["end"] >= start) & (promotions["start"] < until)]
    return pd.concat([soon, coming_festivals(promotions, today, horizon)], ignore_index=True)


def history_needed(events: pd.DataFrame, promotions: pd.DataFrame, created: pd.Series
                   ) -> pd.Series:
    """Which order lines (by `created`) measuring `events` last year reads: each event's
    days a year before and the base weeks ahead of them."""
    needed = pd.Series(False, index=created.index)
    for promo in events.itertuples():
        span = last_year(promo, promotions)
        if span is not None:
            first = span[0] - pd.Timedelta(days=BASE_DAYS + TEASER_DAYS)
            needed |= (created >= first) & (created < span[1] + pd.Timedelta(days=1))
    return needed


def event_days(promotions: pd.DataFrame, skus: pd.Index, days: pd.DatetimeIndex) -> np.ndarray:
    """SKU × day: True on the days an event lifted the SKU's demand — every festival sale and
    its teaser (the whole platform is busy), and the days of each Promotions row with an
    uplift, for the SKUs it names."""
    busy = np.zeros((len(skus), len(days)), dtype=bool)
    if not len(days):
        return busy
    for year in sorted({days[0].year - 1, *days.year}):
        for key, *_ in festival_sales(year):
            for name in (key, f"{key}-teaser"):
                first, last = festival_days(name, year)
                busy[:, (days >= first) & (days <= last)] = True
    rows = promotions.dropna(subset=["start", "end"])
    for promo in rows.itertuples():
        if promo.status == PromotionStatus.CANCELLED or pd.isna(promo.uplift) \
                or float(promo.uplift) <= 0:
            continue
        on = (days >= promo.start.normalize()) & (days <= promo.end.normalize())
        if on.any():
            busy[np.ix_(skus.get_indexer(listed(promo.skus, skus)), np.flatnonzero(on))] = True
    return busy


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
