"""Daily units and their average and spread, over a window that ends before today."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from shopsheet.core.demand import daily_units, demand_stats

T = pd.Timestamp
TODAY = dt.date(2026, 11, 21)


def lines() -> pd.DataFrame:
    return pd.DataFrame({
        "sku": ["A", "A", "A", "B", "A", "A"],
        "qty": [2, 1, 4, 5, 9, 7],
        "status": ["paid", "shipped", "refunded", "delivered", "cancelled", "paid"],
        "created": [T("2026-11-18 10:00"), T("2026-11-18 22:00"), T("2026-11-20 09:00"),
                    T("2026-11-19 12:00"), T("2026-11-20 10:00"), T("2026-11-21 08:00")],
    })


def test_units_per_day_leave_out_cancelled_lines_and_today():
    grid = daily_units(lines(), pd.Index(["A", "B", "C"]), TODAY, window=3)
    assert list(grid.columns) == [T("2026-11-18"), T("2026-11-19"), T("2026-11-20")]
    assert grid.loc["A"].tolist() == [3, 0, 4]  # the refund was still demand; today is not in
    assert grid.loc["B"].tolist() == [0, 5, 0]
    assert grid.loc["C"].tolist() == [0, 0, 0]


def test_average_and_sample_spread():
    stats = demand_stats(lines(), pd.Index(["A", "B", "C"]), TODAY, window=3)
    assert stats.loc["A", "avg_daily_sales"] == pytest.approx(7 / 3)
    # A: 3, 0, 4 → mean 7/3; squared deviations 4/9 + 49/9 + 25/9 = 78/9; ÷ 2 → 13/3
    assert stats.loc["A", "sd_daily_sales"] == pytest.approx((13 / 3) ** 0.5)
    assert stats.loc["C"].tolist() == [0.0, 0.0]


def test_a_window_of_one_day_has_no_spread():
    stats = demand_stats(lines(), pd.Index(["A"]), TODAY, window=1)
    assert stats.loc["A"].tolist() == [4.0, 0.0]
