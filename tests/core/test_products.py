"""Products' computed columns by hand: stock from the ledger (a count restarts it), kits from
their parts, demand, cover, margin and what is still on order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from shopsheet.core.products import computed_columns, on_order

T = pd.Timestamp
TODAY = dt.date(2026, 11, 21)


def test_on_order_counts_what_is_sent_and_not_received():
    pos = pd.DataFrame({"sku": ["A", "A", "B", "C"], "qty": [10, 5, 8, 4],
                        "received_qty": [4, None, 8, 0],
                        "status": ["partial", "ordered", "received", "draft"]})
    assert on_order(pos).to_dict() == {"A": 11}


def test_computed_columns():
    products = pd.DataFrame({"sku": ["A", "B", "K"], "price": [100.0, 0.0, 150.0],
                             "cost": [40.0, 5.0, 60.0]}, index=[2, 3, 4])
    ledger = pd.DataFrame({
        "time": [T("2026-11-01"), T("2026-11-10"), T("2026-11-15"), T("2026-11-20 09:00"),
                 T("2026-11-01")],
        "sku": ["A", "A", "A", "A", "B"], "change": [50, -10, 30, -2, 6],
        "reason": ["opening", "sale", "count", "sale", "opening"]})
    sold = pd.DataFrame({"sku": ["A", "A"], "qty": [2, 4], "status": ["paid", "shipped"],
                         "created": [T("2026-11-20 09:00"), T("2026-11-19 10:00")]})
    pos = pd.DataFrame({"sku": ["B"], "qty": [12], "received_qty": [2], "status": ["ordered"]})
    out = computed_columns(products, ledger, sold, pos, TODAY, window=2,
                           parts={"K": [("A", 2), ("B", 1)]})
    # A: the count on the 15th says 30, then −2 → 28; B: 6; K: min(28 // 2, 6 // 1) = 6
    assert out["current_stock"].tolist() == [28, 6, 6]
    assert out["avg_daily_sales"].tolist() == [3.0, 0.0, 0.0]  # (4 + 2) ÷ 2 days
    assert out["days_of_cover"].iloc[0] == 9.3 and np.isnan(out["days_of_cover"].iloc[1])
    assert out["margin"].iloc[0] == 0.6 and np.isnan(out["margin"].iloc[1])  # no price
    assert out["on_order"].tolist() == [0, 10, 0]
    assert out["last_updated"].iloc[0] == T("2026-11-20")
