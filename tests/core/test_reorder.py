"""Reorder arithmetic against hand calculations."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from shopsheet.core.reorder import draft_orders, plan, reorder_flags, safety_stock, z_score

TODAY = dt.date(2026, 11, 21)


def products(**overrides) -> pd.DataFrame:
    row = {"sku": "A001", "supplier": "S1", "current_stock": 40, "on_order": 0,
           "lead_time": 5, "safety_stock": 20, "reorder_qty": 30, "status": "active",
           "low_stock_alert": 30, "cost": 35.0}
    row.update(overrides)
    return pd.DataFrame([row], index=[2]).astype({"safety_stock": "Int64", "lead_time": "Int64"})


SUPPLIERS = pd.DataFrame({"supplier": ["S1"], "lead_time": [7], "lead_time_spread": [None],
                          "moq": [0], "pack_size": [1]})
NO_PROMOS = pd.DataFrame(columns=["start", "end", "skus", "uplift", "status"])


def demand(avg, sd=0.0, sku="A001"):
    return pd.DataFrame({"avg_daily_sales": [avg], "sd_daily_sales": [sd]}, index=[sku])


def test_guides_example_reorder_point_is_45():
    planned = plan(products(current_stock=45), SUPPLIERS, demand(5), NO_PROMOS, TODAY, 0.95, 7)
    row = planned.loc[2]
    assert row["reorder_point"] == 45  # 5/day × 5 days + 20
    assert bool(row["flag"])  # 45 ≤ 45
    # cover lead time + review: 5 × (5 + 7) + 20 − 45 = 35, above Reorder Qty 30
    assert row["qty"] == 35
    assert row["reorder_by"] == pd.Timestamp(TODAY)


def test_not_flagged_above_the_point_and_reorder_by_date():
    row = plan(products(current_stock=40, on_order=30), SUPPLIERS, demand(5), NO_PROMOS, TODAY,
               0.95, 7).loc[2]
    assert not row["flag"] and row["qty"] == 0
    assert row["reorder_by"] == pd.Timestamp("2026-11-26")  # (70 − 45) / 5 = 5 days


def test_service_level_safety_stock_both_formulas():
    z = z_score(0.95)
    assert z == pytest.approx(1.6449, abs=1e-4)
    fixed_lead = safety_stock(pd.Series([5.0]), pd.Series([2.0]), pd.Series([9.0]),
                              pd.Series([None], dtype="float64"), pd.Series([pd.NA], dtype="Int64"),
                              0.95)
    assert fixed_lead[0] == pytest.approx(z * 2 * 3)  # z·σd·√L = 1.645 × 2 × 3
    spread = safety_stock(pd.Series([5.0]), pd.Series([2.0]), pd.Series([9.0]),
                          pd.Series([1.5]), pd.Series([pd.NA], dtype="Int64"), 0.95)
    assert spread[0] == pytest.approx(z * math.sqrt(9 * 4 + 25 * 2.25))  # z·√(Lσd² + d̄²σL²)


def test_moq_and_pack_size_round_up():
    sup = SUPPLIERS.assign(moq=50, pack_size=12)
    row = plan(products(current_stock=10), sup, demand(5), NO_PROMOS, TODAY, 0.95, 7).loc[2]
    # need 5 × 12 + 20 − 10 = 70 → ≥ MOQ 50 → packs of 12: 72
    assert row["qty"] == 72


def test_lead_time_falls_back_to_the_supplier_and_promotions_raise_the_buffer():
    promos = pd.DataFrame({"start": [pd.Timestamp("2026-11-24")], "end": [pd.Timestamp("2026-11-25")],
                           "skus": ["A001, B002"], "uplift": [1.0], "status": ["planned"]})
    row = plan(products(lead_time=pd.NA, current_stock=100), SUPPLIERS, demand(5), promos, TODAY,
               0.95, 7).loc[2]
    # L = 7 from the supplier; promo days 24th and 25th fall within 7 days: +5 × 1.0 × 2
    assert row["promo_buffer"] == 10 and row["reorder_point"] == 5 * 7 + 20 + 10


def test_discontinued_never_reordered_and_open_po_blocks_a_second_draft():
    items = pd.concat([products(), products(sku="B002", status="discontinued", current_stock=0)
                       .set_axis([3])])
    dem = pd.concat([demand(5), demand(5, sku="B002")])
    planned = plan(items, SUPPLIERS, dem, NO_PROMOS, TODAY, 0.95, 7)
    assert list(planned["flag"]) == [True, False]
    pos = pd.DataFrame({"po_no": ["PO-261121-01"], "sku": ["X"], "status": ["draft"]})
    drafts = draft_orders(items, planned, pos, TODAY)
    assert list(drafts["sku"]) == ["A001"] and list(drafts["po_no"]) == ["PO-261121-02"]
    assert list(drafts["expected"]) == [pd.Timestamp("2026-11-26")]
    pos = pd.DataFrame({"po_no": ["PO-261120-01"], "sku": ["A001"], "status": ["ordered"]})
    assert draft_orders(items, planned, pos, TODAY).empty
    flags = reorder_flags(items, planned)
    assert list(flags) == ["reorder", "out of stock"]


def test_poisson_quantile_by_hand():
    from shopsheet.core.reorder import poisson_quantile

    # Poisson(1): P(N ≤ k) = 0.368, 0.736, 0.920, 0.981 → the 95 % quantile is 3
    assert poisson_quantile(np.array([1.0, 0.0, 4.0]), 0.95).tolist() == [3, 0, 8]


def test_a_sporadic_sellers_safety_stock_comes_from_its_sales_not_a_normal_curve():
    """Sells 2 at a time, once in 10 days on average; lead time 10 days: one sale expected,
    three at the 95 % level, so the shelf needs 6 — SS = 6 − SBA 0.19/day × 10."""
    demand = pd.DataFrame({"avg_daily_sales": [0.19], "sd_daily_sales": [0.8],
                           "size": [2.0], "interval": [10.0]}, index=["A001"])
    row = plan(products(safety_stock=None, lead_time=10, current_stock=3), SUPPLIERS, demand,
               NO_PROMOS, TODAY, 0.95, 7).loc[2]
    assert row["safety"] == pytest.approx(6 - 1.9)
    assert row["reorder_point"] == pytest.approx(round(1.9 + 4.1, 1))
    normal = plan(products(safety_stock=None, lead_time=10, current_stock=3), SUPPLIERS,
                  demand.drop(columns=["size", "interval"]), NO_PROMOS, TODAY, 0.95, 7).loc[2]
    assert normal["safety"] == pytest.approx(round(1.645 * 0.8 * 10 ** 0.5, 1), abs=0.05)
