"""The promotion calendar: festival dates, the month's plan and its margin and stock checks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from shopsheet.core.promotions import Terms, check, chinese_new_year, festival_sales, month_plan

TERMS = Terms(commission=0.05, margin_floor=0.30, gift_cost=10.0, gift_threshold=199.0)


def stats() -> pd.DataFrame:
    return pd.DataFrame({
        "sku": ["A", "B", "C", "N"], "price": [100.0, 50.0, 20.0, 80.0],
        "cost": [30.0, 30.0, 5.0, 40.0], "abc": ["A", "B", "C", "C"],
        "revenue": [9000.0, 3000.0, 200.0, 0.0], "avg_daily_sales": [2.0, 1.0, 0.5, 0.0],
        "available": [100, 3, 40, 10], "slow": [False, False, True, False],
        "status": ["active", "active", "active", "new"]})


def test_festival_days():
    assert chinese_new_year(2027) == dt.date(2027, 2, 6)
    sales = {k: (a, b) for k, a, b in festival_sales(2027)}
    assert sales["11.11"] == (dt.date(2027, 11, 11),) * 2
    assert sales["CNY"] == (dt.date(2027, 1, 23), dt.date(2027, 1, 29))  # 14 to 8 days before


def test_novembers_plan():
    plan = month_plan(dt.date(2026, 11, 1), stats(), TERMS)
    keys = plan["plan_key"].tolist()
    assert keys == ["2026-11:week1", "2026-11:11.11-teaser", "2026-11:week2", "2026-11:11.11",
                    "2026-11:week3", "2026-11:week4"]
    flash = plan.iloc[0]
    assert flash["start"] == pd.Timestamp("2026-11-06")  # the first Friday
    assert flash["skus"] == "A, B, C"  # top sellers by revenue (N has none)
    # A at −30 %: (70 − 30 − 3.5) ÷ 70 = 52 %; B: (35 − 30 − 1.75) ÷ 35 = 9 % < 30 %; −25 %, −20 %
    # keep B under the floor too, so the flash sale takes the shallowest step
    assert flash["discount"] == 0.20
    assert plan.iloc[1]["start"] == pd.Timestamp("2026-11-08")  # the teaser, 3 days ahead
    # the top sellers and the two slowest of class C or slow (N: no revenue, C), each once
    assert plan.iloc[3]["skus"] == "A, B, C, N"
    assert plan.iloc[-1]["skus"] == "N"  # the new product


def test_checks_name_thin_margins_and_short_stock():
    promos = pd.DataFrame({"start": [pd.Timestamp("2026-11-11")], "end": [pd.Timestamp(
        "2026-11-11")], "type": ["festival"], "skus": ["A，B"], "discount": [0.2],
        "uplift": [3.0], "threshold": [None]})
    out = check(promos, stats(), TERMS).iloc[0]
    # B at −20 %: (40 − 30 − 2) ÷ 40 = 20 %; B needs 1 × (1 + 3) × 1 day = 4, has 3
    assert out["margin_after"] == pytest.approx(0.2)
    assert out["checks"] == ("margin 20% below the 30% floor — can we afford it?; "
                             "short: B needs 4, has 3")
    assert not out["stock_ok"]
