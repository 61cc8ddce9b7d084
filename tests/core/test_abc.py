"""ABC classes against a hand calculation."""

import datetime as dt

import pandas as pd

from shopsheet.core.abc import classify


def test_cutoffs_by_revenue_share():
    products = pd.DataFrame({"sku": ["P1", "P2", "P3", "P4", "P5"]}, index=[2, 3, 4, 5, 6])
    # revenue: P1 600, P2 250, P3 100, P4 50, P5 0 → shares 60 %, 25 %, 10 %, 5 %, 0 %
    orders = pd.DataFrame({
        "sku": ["P1", "P1", "P2", "P3", "P4", "P4"], "qty": [1] * 6,
        "unit_price": [300, 300, 250, 100, 25, 25], "line_total": [300, 300, 250, 100, 25, 25],
        "status": ["paid", "delivered", "shipped", "paid", "paid", "cancelled"],
        "created": pd.Timestamp("2026-11-10")})
    orders.loc[5, "status"] = "paid"
    out = classify(products, orders, dt.date(2026, 11, 21), 90, 0.80, 0.15)
    # cumulative before: P1 0 → A; P2 60 % → A (starts under 80 %); P3 85 % → B; P4 95 % → C
    assert list(out["abc"]) == ["A", "A", "B", "C", "C"]
    assert list(out["review"]) == ["weekly", "weekly", "monthly", "quarterly", "quarterly"]
    assert out.loc[2, "share"] == 0.6 and out.loc[6, "revenue"] == 0
