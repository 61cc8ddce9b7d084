"""KPIs against hand-computed values on a tiny shop."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from shopsheet.core import kpi

T = pd.Timestamp
WEEK = kpi.Period(T("2026-11-09"), T("2026-11-16"), "week")
NAT = pd.NaT


def orders() -> pd.DataFrame:
    rows = [
        # order, line, status, sku, qty, price, created, paid, shipped, customer phone
        ("O1", 1, "delivered", "A", 2, 100.0, "2026-11-09 10:00", "2026-11-09 10:00", "2026-11-10 10:00", "111"),
        ("O1", 2, "delivered", "B", 1, 50.0, "2026-11-09 10:00", "2026-11-09 10:00", "2026-11-10 10:00", "111"),
        ("O2", 1, "refunded", "A", 1, 100.0, "2026-11-10 12:00", "2026-11-10 12:00", None, "222"),
        ("O3", 1, "shipped", "C", 4, 25.0, "2026-11-12 09:00", "2026-11-12 09:00", "2026-11-13 21:00", "111"),
        ("O4", 1, "cancelled", "A", 1, 100.0, "2026-11-12 09:00", None, None, "333"),
        ("O5", 1, "paid", "B", 2, 50.0, "2026-11-15 20:00", "2026-11-15 20:00", None, "444"),
        ("P1", 1, "delivered", "A", 1, 100.0, "2026-11-03 09:00", "2026-11-03 09:00", "2026-11-04 09:00", "111"),
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "line", "status", "sku", "qty", "unit_price",
                                        "created", "paid", "shipped", "phone"])
    for col in ("created", "paid", "shipped"):
        frame[col] = pd.to_datetime(frame[col])
    frame["line_total"] = frame["qty"] * frame["unit_price"]
    frame["customer"] = None
    return frame


PRODUCTS = pd.DataFrame({"sku": ["A", "B", "C", "D"], "cost": [40.0, 20.0, 10.0, 5.0],
                         "status": ["active"] * 4, "current_stock": [10, 5, 0, 8]})
RETURNS = pd.DataFrame({"rma_no": ["R1"], "order_id": ["O1"], "requested": [T("2026-11-12")],
                        "refund_amount": [50.0]})


def test_sales_kpis():
    o = orders()
    assert kpi.order_count(o, WEEK) == 4  # O1, O2, O3, O5 (O4 cancelled, P1 earlier)
    assert kpi.gmv(o, WEEK) == 200 + 50 + 100 + 100 + 100  # 550
    assert kpi.aov(o, WEEK) == 550 / 4
    assert kpi.units_per_product(o, WEEK).to_dict() == {"C": 4, "A": 3, "B": 3}
    # refunds: R1 ¥50 + O2 refunded before shipping without a return ¥100
    assert kpi.refunds(o, RETURNS, WEEK) == 150
    assert kpi.net_revenue(o, RETURNS, WEEK) == 400
    assert kpi.shipped_count(o, WEEK) == 2 and kpi.pending_count(o, WEEK) == 1
    assert kpi.return_rate(o, RETURNS, WEEK) == 50  # 1 return ÷ 2 orders shipped
    assert kpi.conversion(o, WEEK, 200) == 2.0 and kpi.conversion(o, WEEK, None) is None
    assert kpi.fulfilment_hours(o, WEEK) == (24 + 36) / 2


def test_products_growth_and_margins():
    o = orders()
    top, bottom = kpi.top_bottom(o, PRODUCTS, WEEK)
    assert list(top.index) == ["A", "B", "C"] and list(bottom.index) == ["D", "C", "B"]
    assert kpi.growth(550, 100) == 450 and kpi.growth(5, 0) is None
    prev = WEEK.previous()
    assert (prev.start, prev.end) == (T("2026-11-02"), T("2026-11-09"))
    assert kpi.gmv(o, prev) == 100
    cogs = 3 * 40 + 3 * 20 + 4 * 10  # 220
    assert kpi.cost_of_goods(o, PRODUCTS, WEEK) == cogs
    assert kpi.profit_margin(o, PRODUCTS, WEEK, 0.05) == pytest.approx((550 - 220 - 27.5) / 550 * 100)


def test_customers_inventory_and_service():
    o = orders()
    # customers this week: 111, 222, 444; 111 ordered before (P1) → 1 of 3
    assert kpi.repeat_rate(o, WEEK) == pytest.approx(100 / 3)
    # all-time paid revenue to the week's end: 550 + 100 = 650 over 3 customers
    assert kpi.lifetime_value(o, WEEK) == pytest.approx(650 / 3)
    ledger = pd.DataFrame({"time": [T("2026-11-01"), T("2026-11-12")], "sku": ["A", "A"],
                           "change": [20, -10], "reason": ["opening", "sale"],
                           "reference": ["x", "y"]})
    # stock value at cost: start 20 × 40 = 800, end 10 × 40 = 400 → average 600
    assert kpi.inventory_turnover(o, PRODUCTS, ledger, WEEK) == pytest.approx(220 / 600)
    inquiries = pd.DataFrame({"received": [T("2026-11-10 09:00"), T("2026-11-11 09:00"),
                                           T("2026-11-12 09:00")],
                              "responded": [T("2026-11-10 10:00"), T("2026-11-11 14:00"), NAT]})
    r = kpi.response(inquiries, WEEK, 2, 24)
    assert r["mean_hours"] == 3 and r["unanswered"] == 1
    assert r["within_sla"] == pytest.approx(100 / 3) and r["within_max"] == pytest.approx(200 / 3)
    assert kpi.slow_movers(o, PRODUCTS, dt.date(2026, 11, 16)) == ["D"]
