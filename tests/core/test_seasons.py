"""Last year's lift, measured by hand: an 11.11, a promotion of the shop's own, a festival the
shop never planned, and what each adds to the reorder."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from shopsheet.core.reorder import plan
from shopsheet.core.seasons import (coming_festivals, festival_days, festival_key, learned_uplifts,
                                    measured_uplift)

SKUS = pd.Index(["A", "B", "C"])


def lines(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """Order lines (sku, day, qty), all paid."""
    return pd.DataFrame({"sku": [r[0] for r in rows],
                         "created": pd.to_datetime([r[1] for r in rows]) + pd.Timedelta(hours=10),
                         "qty": [r[2] for r in rows], "status": "paid"})


def last_years_1111() -> pd.DataFrame:
    """A: 2 a day through the 28 days before the teaser (10-11 … 11-07), 10 on 11.11.
    B: 3 units in those weeks (too few to measure), 3 on 11.11. C: 1 a day, 1 on 11.11."""
    base = pd.date_range("2025-10-11", "2025-11-07")
    rows = [("A", f"{d:%Y-%m-%d}", 2) for d in base] + [("C", f"{d:%Y-%m-%d}", 1) for d in base]
    rows += [("B", "2025-10-20", 3), ("A", "2025-11-11", 10), ("B", "2025-11-11", 3),
             ("C", "2025-11-11", 1)]
    # the teaser days sell more too, but are not the festival's base
    rows += [("A", "2025-11-09", 6)]
    return lines(rows)


def test_festival_key_from_plan_key_or_name():
    assert festival_key("2026-11:11.11") == "11.11"
    assert festival_key("2026-11:11.11-teaser") == "11.11-teaser"
    assert festival_key("2026-11:week1") is None
    assert festival_key(None, "Our 6.18 sale") == "6.18"
    assert festival_key(None, "Summer flash") is None


def test_festival_days_move_with_chinese_new_year():
    assert festival_days("11.11", 2025) == (pd.Timestamp("2025-11-11"),) * 2
    assert festival_days("11.11-teaser", 2025) == (pd.Timestamp("2025-11-08"),
                                                   pd.Timestamp("2025-11-10"))
    # Spring Festival 2025-01-29, 2026-02-17: the 年货节 ends 8 days before it
    assert festival_days("CNY", 2025)[1] == pd.Timestamp("2025-01-21")
    assert festival_days("CNY", 2026)[1] == pd.Timestamp("2026-02-09")


def test_uplift_of_last_years_1111_by_hand():
    start, end = festival_days("11.11", 2025)
    uplift = measured_uplift(last_years_1111(), SKUS, start, end, lead_in=3)
    # expected on the day at the base weeks' pace: A 56/28 = 2, B 3/28, C 28/28 = 1;
    # sold: A 10, B 3, C 1; the shop's lift: 14 / (87/28)
    shop = 14 / (87 / 28)
    assert uplift["A"] == pytest.approx((10 + 10 * shop) / (2 + 10) - 1)
    assert uplift["B"] == pytest.approx((3 + 10 * shop) / (3 / 28 + 10) - 1)
    assert uplift["C"] == pytest.approx((1 + 10 * shop) / (1 + 10) - 1)
    # the more a SKU sells, the more its own lift counts: a fast seller keeps its own
    fast = last_years_1111()
    fast.loc[fast["sku"] == "A", "qty"] *= 50
    alone = measured_uplift(fast, pd.Index(["A"]), start, end, lead_in=3)["A"]
    assert alone == pytest.approx(10 / 2 - 1)  # only A: the shop's lift is A's own


def test_nothing_to_measure_is_unknown():
    start, end = festival_days("11.11", 2025)
    assert measured_uplift(lines([("A", "2025-11-11", 4)]), SKUS, start, end).isna().all()


def test_this_years_1111_row_learns_last_years_uplift_and_raises_the_reorder():
    promos = pd.DataFrame({"start": [pd.Timestamp("2026-11-11")], "end": [pd.Timestamp(
        "2026-11-11")], "name": ["11.11 双十一 Singles' Day"], "type": ["festival"],
        "skus": ["A, C"], "uplift": [3.0], "status": ["planned"], "plan_key": ["2026-11:11.11"]},
        index=[7])
    learned = learned_uplifts(promos, last_years_1111(), SKUS)
    shop = 11 / 3  # A and C: 11 sold on the day against 3 expected
    a = (10 + 10 * shop) / (2 + 10) - 1
    assert learned[7]["A"] == pytest.approx(a)
    assert learned[7]["C"] == pytest.approx((1 + 10 * shop) / (1 + 10) - 1)
    assert "B" not in learned[7].index  # not on the promotion
    products = pd.DataFrame({"sku": ["A"], "supplier": ["S"], "current_stock": [100],
                             "on_order": [0], "lead_time": [10], "safety_stock": [0],
                             "reorder_qty": [0], "status": ["active"]}).astype(
        {"lead_time": "Int64", "safety_stock": "Int64"})
    suppliers = pd.DataFrame({"supplier": ["S"], "lead_time": [10], "lead_time_spread": [None],
                              "moq": [0], "pack_size": [1]})
    demand = pd.DataFrame({"avg_daily_sales": [2.0], "sd_daily_sales": [0.0]}, index=["A"])
    today = dt.date(2026, 11, 5)
    typed = plan(products, suppliers, demand, promos, today, 0.95, 7)
    measured = plan(products, suppliers, demand, promos, today, 0.95, 7, learned=learned)
    # the 11.11 falls inside the 10-day lead time: 2/day × uplift × 1 day
    assert typed.loc[0, "reorder_point"] == pytest.approx(2 * 10 + 2 * 3.0)
    assert measured.loc[0, "reorder_point"] == pytest.approx(round(2 * 10 + 2 * a, 1))
    assert measured.loc[0, "promo_buffer"] == pytest.approx(round(2 * a, 1))


def test_own_promotion_learns_from_the_same_name_a_year_before():
    promos = pd.DataFrame({
        "start": pd.to_datetime(["2025-07-04", "2026-07-03"]),
        "end": pd.to_datetime(["2025-07-05", "2026-07-04"]),
        "name": ["Summer flash", "Summer flash"], "type": ["flash sale"] * 2,
        "skus": ["A", "A"], "uplift": [2.0, 2.0], "status": ["done", "planned"],
        "plan_key": [None, None]})
    base = pd.date_range("2025-06-06", "2025-07-03")
    history = lines([("A", f"{d:%Y-%m-%d}", 1) for d in base]
                    + [("A", "2025-07-04", 4), ("A", "2025-07-05", 2)])
    learned = learned_uplifts(promos, history, SKUS)
    assert list(learned) == [1]  # last year's row has no year before it
    # 6 sold over its 2 days against 2 expected: the shop's lift is A's own, 3
    assert learned[1]["A"] == pytest.approx(3 / 1 - 1)


def test_festivals_ahead_that_promotions_does_not_plan():
    none = pd.DataFrame(columns=["start", "end", "name", "plan_key"])
    ahead = coming_festivals(none, dt.date(2026, 11, 5), 10)
    assert list(ahead["name"]) == ["11.11", "11.11-teaser"]
    assert set(ahead["skus"]) == {"ALL"}
    planned = pd.DataFrame({"start": [pd.Timestamp("2026-11-11")],
                            "end": [pd.Timestamp("2026-11-11")], "name": ["双十一"],
                            "plan_key": ["2026-11:11.11"]})
    assert list(coming_festivals(planned, dt.date(2026, 11, 5), 10)["name"]) == ["11.11-teaser"]
    # last year's row for the same festival does not count as planned this year
    old = planned.assign(start=pd.Timestamp("2025-11-11"), end=pd.Timestamp("2025-11-11"))
    assert "11.11" in set(coming_festivals(old, dt.date(2026, 11, 5), 10)["name"])
