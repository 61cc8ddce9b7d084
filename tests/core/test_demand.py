"""Daily units and their average and spread, over a window that ends before today."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from shopsheet.core.demand import daily_units, demand_stats, learned_demand, opening_stock

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


# --- demand that learns: hand-made histories ------------------------------------------------
DAYS = pd.date_range("2026-10-22", periods=30, freq="D")  # the 30 days before TODAY


def _sold(sku: str, per_day: dict[int, int]) -> pd.DataFrame:
    """Paid lines of `sku`: day index in the window → units."""
    return pd.DataFrame({"sku": sku, "qty": list(per_day.values()), "status": "paid",
                         "created": [DAYS[d] + pd.Timedelta(hours=12) for d in per_day]})


def _ledger(rows: list[tuple[str, int, int, str]]) -> pd.DataFrame:
    """(sku, day index, change, reason) → ledger rows at 09:00 of that day (-1: before)."""
    return pd.DataFrame({"sku": [r[0] for r in rows],
                         "time": [DAYS[0] + pd.Timedelta(days=r[1], hours=9) for r in rows],
                         "change": [r[2] for r in rows], "reason": [r[3] for r in rows]})


def test_a_sold_out_stretch_is_not_demand_of_zero():
    """2 a day for ten days, sold out for ten (nothing to sell), 2 a day again after a
    receipt: the plain average says 1.33 a day, the shelf says 2."""
    sales = {d: 2 for d in list(range(10)) + list(range(20, 30))}
    moves = [("A", -1, 20, "opening"), ("A", 20, 40, "receipt")]
    moves += [("A", d, -2, "sale") for d in sales]
    skus = pd.Index(["A"])
    plain = demand_stats(_sold("A", sales), skus, TODAY, 30)
    assert plain.loc["A", "avg_daily_sales"] == pytest.approx(40 / 30)
    learned = learned_demand(_sold("A", sales), _ledger(moves), skus,
                             pd.Series({"A": "S1"}), TODAY, 30)
    assert learned.loc["A", "days_in_stock"] == 20
    assert learned.loc["A", "avg_daily_sales"] == pytest.approx(2.0)
    assert learned.loc["A", "sd_daily_sales"] == pytest.approx(0.0)
    assert learned.loc["A", "method"] == "average"


def test_opening_stock_restarts_at_a_count():
    moves = _ledger([("A", -1, 10, "opening"), ("A", 2, -3, "sale"), ("A", 4, 2, "count"),
                     ("A", 6, 5, "receipt")])
    opening = opening_stock(moves, pd.Index(["A", "Z"]), DAYS[:8])
    assert opening.loc["A"].tolist() == [10, 10, 10, 7, 7, 2, 2, 7]
    assert opening.loc["Z"].tolist() == [0] * 8  # never stocked


def test_a_sporadic_sku_gets_the_sba_forecast():
    """4 units on days 3, 7 … 27, always in stock: 7 sales in 30 days, ADI 30/7 > 1.32.
    Croston starts from the mean size 4 and interval 30/7 and smooths each sale's interval
    of 4 days in (α = 0.1): p̂ = 4 + (30/7 − 4) · 0.9⁷; SBA = (1 − 0.05) · 4 / p̂."""
    sales = {d: 4 for d in range(3, 30, 4)}
    moves = [("B", -1, 100, "opening")] + [("B", d, -4, "sale") for d in sales]
    learned = learned_demand(_sold("B", sales), _ledger(moves), pd.Index(["B"]),
                             pd.Series({"B": "S1"}), TODAY, 30)
    assert learned.loc["B", "method"] == "sporadic"
    interval = 4 + (30 / 7 - 4) * 0.9 ** 7
    assert learned.loc["B", "avg_daily_sales"] == pytest.approx(0.95 * 4 / interval)
    assert learned.loc["B", "avg_daily_sales"] == pytest.approx(0.9186, abs=1e-4)


def test_a_new_product_takes_its_suppliers_median():
    """C arrived three days ago and sold 5 a day: too new to trust. Its supplier's other SKUs
    sell 3, 1 and 10 a day: a typical one of theirs sells 3 (their mean, 4.67, is pulled up
    by the best seller)."""
    sales = pd.concat([_sold("A", {d: 3 for d in range(30)}), _sold("B", {d: 1 for d in range(30)}),
                       _sold("D", {d: 10 for d in range(30)}),
                       _sold("C", {d: 5 for d in range(27, 30)})])
    moves = _ledger([("A", -1, 500, "opening"), ("B", -1, 500, "opening"),
                     ("D", -1, 500, "opening"), ("C", 27, 50, "receipt")])
    learned = learned_demand(sales, moves, pd.Index(["A", "B", "C", "D"]),
                             pd.Series({"A": "S1", "B": "S1", "C": "S1", "D": "S1"}), TODAY, 30)
    assert learned.loc["C", "method"] == "new"
    assert learned.loc["C", "avg_daily_sales"] == pytest.approx(3.0)
    assert learned.loc["A", "avg_daily_sales"] == pytest.approx(3.0)


def test_event_days_are_left_out_of_the_average():
    """2 a day, but 12 on each of the three days of a festival: the ordinary pace is 2."""
    sales = {d: (12 if d in (10, 11, 12) else 2) for d in range(30)}
    moves = _ledger([("A", -1, 500, "opening")])
    busy = np.zeros((1, 30), dtype=bool)
    busy[0, 10:13] = True
    learned = learned_demand(_sold("A", sales), moves, pd.Index(["A"]),
                             pd.Series({"A": "S1"}), TODAY, 30, busy=busy)
    assert learned.loc["A", "avg_daily_sales"] == pytest.approx(2.0)
    assert learned.loc["A", "days_in_stock"] == 30  # still in stock on them
    # a window that is nearly all events keeps them: too few ordinary days to go by
    crowded = np.ones((1, 30), dtype=bool)
    crowded[0, :5] = False
    kept = learned_demand(_sold("A", sales), moves, pd.Index(["A"]), pd.Series({"A": "S1"}),
                          TODAY, 30, busy=crowded)
    assert kept.loc["A", "avg_daily_sales"] == pytest.approx((27 * 2 + 36) / 30)


def test_the_seasons_event_days_mark_festivals_and_promoted_skus():
    from shopsheet.core.seasons import event_days

    days = pd.date_range("2026-11-01", "2026-11-30")
    promos = pd.DataFrame({"start": [T("2026-11-20")], "end": [T("2026-11-21")],
                           "skus": ["B"], "uplift": [0.5], "status": ["planned"]})
    busy = event_days(promos, pd.Index(["A", "B"]), days)
    marked = {sku: [f"{d:%d}" for d, b in zip(days, row) if b]
              for sku, row in zip("AB", busy)}
    assert marked["A"] == ["08", "09", "10", "11"]  # 11.11 and its three teaser days
    assert marked["B"] == ["08", "09", "10", "11", "20", "21"]
