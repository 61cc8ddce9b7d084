"""A month's promotion calendar: the guide's weekly pattern plus the festivals, with products
chosen from the data and every promotion checked — can we afford it, do we have the stock?

Weekly pattern (weeks are days 1–7, 8–14, 15–21, 22–end):
    week 1  flash sale, 20–30 % off for 24 h on the first Friday — top sellers; the deepest of
            30 / 25 / 20 % that keeps every SKU above the margin floor
    week 2  bundle, buy 2 −10 % / buy 3 −20 % — slow movers and C items (checked at −20 %)
    week 3  free gift worth ¥49 for spend ≥ ¥199 — storewide
    week 4  new-product launch at an early-bird price (−15 %) — the newest products
Festivals: 3.8, 6.18, 11.11, 12.12 on the day; Chinese New Year (date from the `holidays`
library) as a 7-day 年货节 ending 8 days before it, while couriers still run. Each festival gets
a teaser for the 3 days ahead. A festival is planned in the month its sale starts; its teaser in
the month the teaser starts.

Checks, per promotion:
    margin after = (p·(1 − d) − cost − commission · p·(1 − d)) ÷ (p·(1 − d)), the worst SKU;
                   for the free gift, the listed SKUs' revenue-weighted margin minus
                   commission minus gift cost ÷ threshold
    stock        = each SKU's stock + on order ≥ avg daily sales × (1 + uplift) × days
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays
import pandas as pd

from shopsheet.core.language import N_, _
from shopsheet.core.membership import among
from shopsheet.core.words import CHECKS_PASSED, NEVER_REORDER, ProductStatus, PromotionStatus

FIXED_FESTIVALS = {"3.8": (3, 8), "6.18": (6, 18), "11.11": (11, 11), "12.12": (12, 12)}
FESTIVAL_TERMS = {  # discount, uplift, name
    "3.8": (0.15, 1.0, N_("3.8 女神节 Goddess Day")),
    "6.18": (0.20, 2.0, N_("6.18 年中大促 Mid-year Sale")),
    "11.11": (0.20, 3.0, N_("11.11 双十一 Singles' Day")),
    "12.12": (0.15, 1.5, N_("12.12 双十二 Double Twelve")),
    "CNY": (0.10, 1.0, N_("年货节 Chinese New Year Sale")),
}
UPLIFT = {"flash sale": 2.0, "bundle": 0.3, "free gift": 0.2, "new launch": 0.5, "teaser": 0.2}
PLAN_COLUMNS = ["start", "end", "name", "type", "skus", "discount", "uplift", "threshold",
                "status", "note", "plan_key"]


@dataclass(frozen=True)
class Terms:
    commission: float
    margin_floor: float
    gift_cost: float
    gift_threshold: float


def chinese_new_year(year: int) -> dt.date:
    """Spring Festival's first day, from the maintained `holidays` calendar."""
    days = holidays.China(years=year, language="en_US")
    return min(d for d, name in days.items() if name.startswith("Chinese New Year (Spring"))


def festival_sales(year: int) -> list[tuple[str, dt.date, dt.date]]:
    """(key, first day, last day) of each festival sale in `year`."""
    sales = [(k, dt.date(year, m, d), dt.date(year, m, d)) for k, (m, d) in
             FIXED_FESTIVALS.items()]
    cny = chinese_new_year(year)
    sales.append(("CNY", cny - dt.timedelta(days=14), cny - dt.timedelta(days=8)))
    return sales


def _row(start, end, name, kind, skus, discount, note, key, uplift=None, threshold=None):
    return {"start": pd.Timestamp(start), "end": pd.Timestamp(end), "name": name, "type": kind,
            "skus": ", ".join(skus), "discount": discount,
            "uplift": UPLIFT.get(kind, 1.0) if uplift is None else uplift,
            "threshold": threshold, "status": PromotionStatus.PLANNED, "note": note,
            "plan_key": key}


def _first_friday(first: dt.date) -> dt.date:
    return first + dt.timedelta(days=(4 - first.weekday()) % 7)


def pick(stats: pd.DataFrame) -> dict[str, list[str]]:
    """Products for each kind of promotion, from the data: top sellers, slow/C, newest."""
    live = stats[~among(stats["status"], NEVER_REORDER) & (stats["available"] > 0)]
    top = live.sort_values("revenue", ascending=False).head(3)["sku"].tolist()
    slow = live[(live["abc"] == "C") | (live["slow"])].sort_values("revenue").head(4)
    new = live[live["status"] == ProductStatus.NEW]["sku"].tolist() or live.tail(2)["sku"].tolist()
    return {"top": top, "slow": slow["sku"].tolist(), "new": new,
            "all": live["sku"].tolist()}


def month_plan(month: dt.date, stats: pd.DataFrame, terms: Terms) -> pd.DataFrame:
    """The month's promotions (without checks); `stats` per SKU: sku, price, cost, abc,
    revenue, avg_daily_sales, available (stock + on order), slow, status."""
    first = month.replace(day=1)
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    ym = f"{first:%Y-%m}"
    chosen = pick(stats)
    rows = []
    friday = _first_friday(first)
    rows.append(_row(friday, friday, _("Flash sale {date} 限时秒杀").format(
        date=f"{friday:%m-%d}"), "flash sale", chosen["top"], _deepest(stats, chosen["top"], terms),
        _("24 hours only"), f"{ym}:week1"))
    rows.append(_row(first + dt.timedelta(days=7), first + dt.timedelta(days=13),
                     _("Bundle week 组合优惠"), "bundle", chosen["slow"], 0.10,
                     _("buy 2 −10 %, buy 3 −20 %"), f"{ym}:week2"))
    threshold = f"{terms.gift_threshold:g}"
    rows.append(_row(first + dt.timedelta(days=14), first + dt.timedelta(days=20),
                     _("Free gift over ¥{threshold} 满赠").format(threshold=threshold),
                     "free gift", ["ALL"], 0.0,
                     _("gift worth ¥49 for orders ≥ ¥{threshold}").format(threshold=threshold),
                     f"{ym}:week3", threshold=terms.gift_threshold))
    rows.append(_row(first + dt.timedelta(days=21), last, _("New arrivals 新品首发"), "new launch",
                     chosen["new"], 0.15, _("early-bird price"), f"{ym}:week4"))
    for year in (first.year, first.year + 1):
        for key, start, end in festival_sales(year):
            discount, uplift, name = FESTIVAL_TERMS[key]
            teaser = start - dt.timedelta(days=3)
            if first <= start <= last:
                skus = list(dict.fromkeys(chosen["top"] + chosen["slow"][:2]))  # each once
                rows.append(_row(start, end, _(name), "festival", skus, discount,
                                 _("festival {key}").format(key=key), f"{ym}:{key}",
                                 uplift=uplift))
            if first <= teaser <= last:
                rows.append(_row(teaser, start - dt.timedelta(days=1),
                                 _("Teaser: {name} 预热").format(name=_(name)), "teaser",
                                 chosen["top"], 0.0,
                                 _("coupons and posts ahead of {key}").format(key=key),
                                 f"{ym}:{key}-teaser"))
    return pd.DataFrame(rows, columns=PLAN_COLUMNS).sort_values(["start", "plan_key"]) \
        .reset_index(drop=True)


def _margin(price: pd.Series, cost: pd.Series, discount: float, commission: float) -> pd.Series:
    sale = price * (1 - discount)
    return (sale - cost - commission * sale) / sale


def _deepest(stats: pd.DataFrame, skus: list[str], terms: Terms) -> float:
    rows = stats.set_index("sku").loc[skus]
    for discount in (0.30, 0.25, 0.20):
        if len(rows) and _margin(rows["price"], rows["cost"], discount,
                                 terms.commission).min() >= terms.margin_floor:
            return discount
    return 0.20


def check(promos: pd.DataFrame, stats: pd.DataFrame, terms: Terms) -> pd.DataFrame:
    """`margin_after`, `stock_ok`, `checks` for each promotion (same index)."""
    by_sku = stats.set_index("sku")
    out = []
    for p in promos.itertuples():
        skus = [s.strip() for s in str(p.skus or "").replace("，", ",").split(",") if s.strip()]
        skus = by_sku.index.tolist() if skus == ["ALL"] else [s for s in skus if s in by_sku.index]
        rows = by_sku.loc[skus]
        discount = 0.0 if pd.isna(p.discount) else float(p.discount)
        if p.type == "bundle":
            discount = max(discount, 0.20)  # buy 3: the deepest step
        words = []
        if p.type == "free gift" and len(rows):
            weights = rows["revenue"].where(rows["revenue"] > 0, 1)
            base = (_margin(rows["price"], rows["cost"], 0, terms.commission) * weights).sum() \
                / weights.sum()
            threshold = p.threshold if pd.notna(p.threshold) else terms.gift_threshold
            margin = base - terms.gift_cost / threshold
        else:
            margin = _margin(rows["price"], rows["cost"], discount, terms.commission).min() \
                if len(rows) else None
        if margin is not None and margin < terms.margin_floor:
            words.append(_("margin {margin} below the {floor} floor — can we afford it?").format(
                margin=f"{margin:.0%}", floor=f"{terms.margin_floor:.0%}"))
        days = (p.end - p.start).days + 1 if pd.notna(p.end) and pd.notna(p.start) else 1
        uplift = 1.0 if pd.isna(p.uplift) else float(p.uplift)
        need = (rows["avg_daily_sales"] * (1 + uplift) * days).round().astype(int)
        short = need[need > rows["available"]]
        if p.type != "free gift" and len(short):
            words.append(_("short: {skus}").format(skus=", ".join(
                _("{sku} needs {need}, has {has}").format(sku=s, need=int(need[s]),
                                                          has=int(rows.at[s, "available"]))
                for s in short.index)))
        out.append({"margin_after": None if margin is None else round(float(margin), 4),
                    "stock_ok": p.type == "free gift" or not len(short),
                    "checks": "; ".join(words) or _(CHECKS_PASSED)})
    result = pd.DataFrame(out, index=promos.index, columns=["margin_after", "stock_ok", "checks"])
    result["stock_ok"] = result["stock_ok"].astype("boolean")
    return result
