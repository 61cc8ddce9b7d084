"""What to reorder, how much, by when — and the draft purchase orders.

    reorder point  ROP = d̄ · L + SS (+ promotion buffer)
    safety stock   SS  = the SKU's fixed Safety Stock, or from the service level's z:
                         z · σ_d · √L                      (lead time fixed)
                         z · √(L · σ_d² + d̄² · σ_L²)       (lead time spread σ_L known)
                         ẑ · Q(service level) − d̄ · L      (a sporadic seller: Q the quantile
                                                            of Poisson(L ÷ p̂), its days with
                                                            a sale; ẑ, p̂ Croston's size and
                                                            interval, core/demand)
    flag           stock + on order ≤ ROP
    quantity       enough to cover lead time + review period:
                   d̄ · (L + R) + SS + buffer − (stock + on order), at least Reorder Qty,
                   at least the supplier's MOQ, rounded up to its pack size
    reorder by     today + (stock + on order − ROP) ÷ d̄, the day the position reaches ROP

d̄ and σ_d are average and standard deviation of daily units over the sales window, L the lead
time in days (the product's, else its supplier's), R the review period. A promotion running
within the next L days adds d̄ · uplift for each of its days in that span; the uplift is last
year's for the same event where the shop's
history shows it (core/seasons), else the one typed on the promotion. The guide's example:
5/day × 5 days + 20 = 45.
"""

from __future__ import annotations

import datetime as dt
from statistics import NormalDist
from typing import Iterable

import numpy as np
import pandas as pd

from shopsheet.core.language import _
from shopsheet.core.membership import among
from shopsheet.core.seasons import listed
from shopsheet.core.words import NEVER_REORDER, OPEN_PO, Flag, POStatus, PromotionStatus


def z_score(service_level: float) -> float:
    """z for a service level, e.g. 0.95 → 1.645 (normal demand over the lead time)."""
    return NormalDist().inv_cdf(min(max(service_level, 0.5), 0.9999))


def safety_stock(avg: pd.Series, sd: pd.Series, lead: pd.Series, lead_sd: pd.Series,
                 fixed: pd.Series, service_level: float) -> pd.Series:
    z = z_score(service_level)
    spread = lead_sd.fillna(0)
    computed = z * np.sqrt(lead * sd**2 + avg**2 * spread**2)
    return fixed.astype("float64").where(fixed.notna(), computed)


def poisson_quantile(lam: np.ndarray, p: float) -> np.ndarray:
    """The smallest k with P(N ≤ k) ≥ p for N ~ Poisson(λ), per λ (summing the terms
    e^−λ λ^k / k! in turn)."""
    lam = np.asarray(lam, dtype="float64")
    term = np.exp(-lam)
    total, k = term.copy(), np.zeros_like(lam)
    for n in range(1, 1000):
        short = total < p
        if not short.any():
            break
        term = term * lam / n
        total = total + np.where(short, term, 0)
        k = k + short
    return k


def sporadic_safety(size: pd.Series, interval: pd.Series, avg: pd.Series, lead: pd.Series,
                    service_level: float) -> pd.Series:
    """Safety stock of a sporadic seller, from how its demand comes (not a normal curve):
    over the lead time L it sells on N ~ Poisson(L ÷ p̂) days, ẑ units each (Croston's
    smoothed size and interval), so SS = ẑ · Q_N(service level) − d̄ · L, at least 0."""
    occasions = poisson_quantile((lead / interval).fillna(0).to_numpy(), service_level)
    return (size * occasions - avg * lead).clip(lower=0)


def promotion_buffer(promotions: pd.DataFrame, skus: pd.Index, avg: pd.Series, span: pd.Series,
                     today: dt.date, learned: dict | None = None) -> pd.Series:
    """Extra units for promotions that overlap [today, today + span): d̄ · uplift · days, the
    uplift the same event had last year where it was measured (`learned`, by Promotions row:
    core/seasons), else the row's own."""
    extra = pd.Series(0.0, index=skus)
    start = pd.Timestamp(today)
    span = span.reindex(skus).fillna(0).astype("float64")
    for promo in promotions.itertuples():
        if pd.isna(promo.start) or pd.isna(promo.end) or promo.status == PromotionStatus.CANCELLED:
            continue
        names = listed(promo.skus, skus)
        if not len(names):
            continue
        typed = 0.0 if pd.isna(promo.uplift) else float(promo.uplift)
        uplift = (learned or {}).get(promo.Index, pd.Series(dtype="float64")) \
            .reindex(names).fillna(typed)
        first, last = (promo.start - start).days, (promo.end - start).days + 1
        days = (np.minimum(last, span[names]) - max(first, 0)).clip(lower=0)
        extra[names] += avg.reindex(names).fillna(0) * uplift * days
    return extra


def plan(products: pd.DataFrame, suppliers: pd.DataFrame, demand: pd.DataFrame,
         promotions: pd.DataFrame, today: dt.date, service_level: float,
         review_days: int, kits: Iterable[str] = (), learned: dict | None = None
         ) -> pd.DataFrame:
    """Per SKU (indexed like `products`): reorder point, flag, suggested qty, reorder-by date.
    A kit is never reordered: its components are, and their demand includes the kit's sales.
    Promotions within the lead time raise the reorder point and the quantity (`learned`:
    last year's uplifts, core/seasons); one further off is bought for when it comes within
    the lead time, not weeks ahead."""
    sup = suppliers.drop_duplicates("supplier").set_index("supplier")
    by_sku = products.set_index("sku")
    avg = demand["avg_daily_sales"].reindex(by_sku.index).fillna(0)
    sd = demand["sd_daily_sales"].reindex(by_sku.index).fillna(0)
    lead = by_sku["lead_time"].astype("Float64").fillna(
        by_sku["supplier"].map(sup["lead_time"]).astype("Float64")).fillna(0).astype("float64")
    lead_sd = by_sku["supplier"].map(sup["lead_time_spread"]).astype("float64")
    ss = safety_stock(avg, sd, lead, lead_sd, by_sku["safety_stock"], service_level)
    if "size" in demand:  # a sporadic seller's comes from Croston's size and interval
        size = demand["size"].reindex(by_sku.index)
        interval = demand["interval"].reindex(by_sku.index)
        sporadic = size.notna() & interval.notna() & by_sku["safety_stock"].isna()
        ss = ss.where(~sporadic, sporadic_safety(size, interval, avg, lead, service_level))
    buffer = promotion_buffer(promotions, by_sku.index, avg, lead, today, learned)
    rop = avg * lead + ss + buffer
    position = by_sku["current_stock"].fillna(0) + by_sku["on_order"].fillna(0)
    target = avg * (lead + review_days) + ss + buffer - position
    qty = np.maximum(np.ceil(target), by_sku["reorder_qty"].fillna(0))
    moq = by_sku["supplier"].map(sup["moq"]).fillna(0)
    pack = by_sku["supplier"].map(sup["pack_size"]).fillna(1).clip(lower=1)
    qty = np.ceil(np.maximum(qty, moq) / pack) * pack
    kit = among(by_sku.index.to_series(), list(kits)).to_numpy()
    active = ~among(by_sku["status"], NEVER_REORDER) & ~kit
    flagged = active & (position <= rop)
    days_left = ((position - rop) / avg.replace(0, np.nan)).clip(lower=0)
    reorder_by = pd.Timestamp(today) + pd.to_timedelta(np.floor(days_left), unit="D")
    result = pd.DataFrame({
        "reorder_point": rop.round(1), "flag": flagged, "qty": qty.where(flagged, 0).astype(int),
        "reorder_by": reorder_by.where(active), "lead_time": lead, "safety": ss.round(1),
        "promo_buffer": buffer.round(1),
    }, index=by_sku.index)
    return result.set_axis(products.index)


def reorder_flags(products: pd.DataFrame, planned: pd.DataFrame) -> pd.Series:
    """The Reorder Flag words: out of stock, reorder, low (at or under the alert), ok."""
    stock = products["current_stock"].fillna(0)
    flag = pd.Series(Flag.OK, index=products.index, dtype="object")
    flag[stock <= products["low_stock_alert"].fillna(-1)] = Flag.LOW
    flag[planned["flag"]] = Flag.REORDER
    flag[stock <= 0] = Flag.OUT
    flag[stock < 0] = Flag.OVERSOLD
    flag[among(products["status"], NEVER_REORDER) & (stock > 0)] = pd.NA
    return flag


def draft_orders(products: pd.DataFrame, planned: pd.DataFrame, pos: pd.DataFrame,
                 today: dt.date) -> pd.DataFrame:
    """Draft PO lines for flagged SKUs not already on an open PO, one PO number per supplier."""
    open_skus = set(pos.loc[among(pos["status"], OPEN_PO), "sku"].dropna())
    wanted = products[planned["flag"] & (planned["qty"] > 0) & ~among(products["sku"], open_skus)]
    if wanted.empty:
        return pd.DataFrame(columns=["po_no", "supplier", "sku", "qty", "unit_cost", "ordered",
                                     "expected", "status", "note"])
    prefix = f"PO-{today:%y%m%d}-"
    taken = pos["po_no"].dropna().astype(str)
    used = [int(n[len(prefix):]) for n in taken if n.startswith(prefix) and
            n[len(prefix):].isdigit()]
    suppliers = sorted(wanted["supplier"].fillna("(no supplier)").unique())
    numbers = {s: f"{prefix}{n:02d}" for n, s in enumerate(suppliers, start=max(used, default=0) + 1)}
    lines = planned.loc[wanted.index]
    return pd.DataFrame({
        "po_no": wanted["supplier"].fillna("(no supplier)").map(numbers),
        "supplier": wanted["supplier"],
        "sku": wanted["sku"],
        "qty": lines["qty"].astype(int),
        "unit_cost": wanted["cost"],
        "ordered": pd.NaT,
        "expected": pd.Timestamp(today) + pd.to_timedelta(lines["lead_time"], unit="D"),
        "status": POStatus.DRAFT,
        "note": [_("Reorder point {point}; order by {date}").format(point=f"{r:g}",
                                                                     date=f"{d:%Y-%m-%d}")
                 if pd.notna(d) else _("Reorder point {point}").format(point=f"{r:g}")
                 for r, d in zip(lines["reorder_point"], lines["reorder_by"])],
    }).sort_values(["po_no", "sku"])
