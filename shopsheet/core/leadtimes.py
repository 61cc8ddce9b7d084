"""Lead times as the supplier delivered them, beside the ones the owner typed.

    lead days     Received − Ordered of a PO line received in full (whole days)
    measured      per supplier, over its deliveries (one per PO and day received):
                  lead time = their mean, spread = their sample standard deviation
    used          only from MIN_DELIVERIES deliveries on, and only when Settings say so:
                  then for every product of the supplier, in place of the typed lead times;
                  the spread planned with covers the late tail the deliveries show:
                  max(spread, (their service-level quantile − mean) ÷ z)

A partly received line has no lead days yet: its last units are still on the way.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from shopsheet.core.words import POStatus

MIN_DELIVERIES = 3  # fewer deliveries than this say too little to replace the typed lead time


def lead_days(pos: pd.DataFrame) -> pd.Series:
    """Whole days from Ordered to Received per PO line received in full (else missing)."""
    done = (pos["status"] == POStatus.RECEIVED) & pos["ordered"].notna() & pos["received"].notna()
    days = (pos["received"].dt.normalize() - pos["ordered"].dt.normalize()).dt.days
    return days.where(done & (days >= 0)).astype("Int64")


def measured_lead_times(pos: pd.DataFrame, suppliers: pd.Index,
                        service_level: float = 0.95) -> pd.DataFrame:
    """Per supplier of `suppliers`: `measured_lead_time`, `measured_spread` (blank under two
    deliveries), `deliveries` counted, and `late_days`: how far past the mean the deliveries
    run at the service level's share (their quantile − mean)."""
    lines = pos.assign(days=lead_days(pos)).dropna(subset=["days", "supplier"])
    trips = lines.drop_duplicates(["supplier", "po_no", "received"])
    grouped = trips.groupby("supplier")["days"]
    measured = pd.DataFrame({"measured_lead_time": grouped.mean().astype("float64").round(1),
                             "measured_spread": grouped.std(ddof=1).astype("float64").round(1),
                             "deliveries": grouped.size(),
                             "late_days": (grouped.quantile(service_level, interpolation="higher")
                                           - grouped.mean()).astype("float64")})
    measured = measured.reindex(suppliers)
    measured["deliveries"] = measured["deliveries"].fillna(0).astype("Int64")
    return measured


def with_measured(suppliers: pd.DataFrame, products: pd.DataFrame, measured: pd.DataFrame,
                  service_level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Suppliers and Products with each well-measured supplier's lead time and spread in
    place of the typed ones (the products' own lead times give way to it too). A supplier
    whose late deliveries run further than a normal curve says (one in ten a week late) is
    planned with the spread that covers them: `late_days` ÷ z, when that is the larger."""
    good = measured[measured["deliveries"] >= MIN_DELIVERIES]
    sup = suppliers.copy()
    known = sup["supplier"].map(good["measured_lead_time"])
    sup["lead_time"] = np.ceil(known).astype("Int64").where(known.notna(), sup["lead_time"])
    z = NormalDist().inv_cdf(min(max(service_level, 0.5001), 0.9999))
    spread = sup["supplier"].map(np.maximum(good["measured_spread"].fillna(0),
                                            good["late_days"].fillna(0) / z))
    sup["lead_time_spread"] = spread.where(known.notna(), sup["lead_time_spread"])
    prod = products.copy()
    mine = prod["supplier"].map(good["measured_lead_time"])
    prod["lead_time"] = np.ceil(mine).astype("Int64").where(mine.notna(), prod["lead_time"])
    return sup, prod
