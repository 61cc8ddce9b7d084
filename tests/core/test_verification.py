"""Verification's red flags on tiny frames: what holds an order, what only notes."""

from __future__ import annotations

import pandas as pd

from shopsheet.core.verification import verify
from tests.core.lines import STOCK, T, frame, line


def test_a_clean_order_is_ready_and_a_pending_one_waits():
    result = verify(frame(line("P1"), line("P2", status="pending", paid=pd.NaT,
                                           phone="13900000002")), STOCK, set(), 1000)
    assert result.loc[2, "verified"] == True and pd.isna(result.loc[2, "flags"])  # noqa: E712
    assert pd.isna(result.loc[3, "verified"]) and result.loc[3, "flags"] == "payment not received"


def test_red_flags_hold_the_order_with_reasons():
    history = [line(f"H{i}", sku, status="delivered", verified=True, phone=f"1370000{i:04d}",
                    created=T("2026-11-01")) for i, sku in enumerate(["A001", "B002", "C003"])]
    orders = frame(
        *history,
        line("BIG", qty=12, line_total=1068.0, phone="13600000009"),  # new customer, ¥1,068
        line("ADDR", billing_address="上海市南京西路 2 号", phone="13600000010"),
        line("FAST", shipping_method="express", phone="13600000011"),
        line("TWO1", phone="13600000012"), line("TWO2", phone="13600000012"),
        line("MIX", sku="A001", phone="13600000013"), line("MIX", sku="B002", line=2,
                                                           phone="13600000013"),
        line("MIX", sku="C003", line=3, phone="13600000013"),
        line("NOADDR", address=None, phone="13600000014"),
    )
    result = verify(orders, pd.Series({**STOCK.to_dict(), "A001": 30}), set(), 1000)
    flags = dict(zip(orders.loc[result.index, "order_id"], result["flags"]))
    assert "large first order from a new customer (¥1,068)" in flags["BIG"]
    assert "unusual quantity: 12 × A001" in flags["BIG"]
    assert flags["ADDR"] == "shipping and billing address differ"
    assert flags["FAST"] == "overnight/express requested"
    assert flags["TWO1"] == flags["TWO2"] == "2 orders from this customer today"
    assert flags["MIX"] == "unusual combination: A001, B002, C003 never bought together"
    assert flags["NOADDR"] == "address incomplete: no address"
    assert not result["verified"].any()


def test_skus_bought_together_before_are_not_an_unusual_combination():
    """Two of the three SKUs were in one earlier order (of two lines): nothing unusual."""
    history = [line("H1", "A001", status="delivered", phone="13700000001", created=T("2026-11-01")),
               line("H1", "B002", line=2, status="delivered", phone="13700000001",
                    created=T("2026-11-01")),
               line("H2", "C003", status="delivered", phone="13700000002", created=T("2026-11-02"))]
    today = [line("MIX", sku=sku, line=n, phone="13600000013")
             for n, sku in enumerate(["A001", "B002", "C003"], start=1)]
    orders = frame(*history, *today)
    result = verify(orders, STOCK, set(), 1000)
    flags = dict(zip(orders.loc[result.index, "order_id"], result["flags"]))
    assert "MIX" in flags and "unusual combination" not in str(flags["MIX"])


def test_a_line_without_quantity_counts_as_none():
    orders = frame(line("P1", qty=pd.NA, line_total=None), line("P1", sku="B002", line=2))
    result = verify(orders, STOCK, set(), 1000)
    assert list(result["verified"]) == [True, True] and result["flags"].isna().all()


def test_the_owners_decision_is_never_undone():
    orders = frame(line("P1", verified=False, flags="checked by owner"))
    assert verify(orders, STOCK, set(), 1000).empty


def test_stock_short_is_noted_not_held_and_posted_sales_not_counted_twice():
    orders = frame(line("P1", qty=8), line("P2", qty=5, phone="13900000002"))
    result = verify(orders, pd.Series({"A001": 10}), set(), 1000)
    assert result.loc[3, "flags"] == "stock short for A001" and result.loc[3, "verified"]
    # after update-stock posted both sales the ledger says 10 − 13 = −3; same verdicts
    again = verify(orders, pd.Series({"A001": -3}), {"P1#1", "P2#1"}, 1000)
    assert list(again["flags"]) == list(result["flags"])
