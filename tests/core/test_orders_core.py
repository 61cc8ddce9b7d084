"""Verification red flags, whole-order picking and the import merge, on tiny frames."""

from __future__ import annotations

import pandas as pd
import pytest

from shopsheet.core.ledger import line_reference
from shopsheet.core.order_merge import merge
from shopsheet.core.picking import allocate, batch
from shopsheet.core.verification import verify

T = pd.Timestamp


def line(order_id, sku="A001", qty=1, **kw) -> dict:
    row = {"order_id": order_id, "line": 1, "status": "paid", "sku": sku, "qty": qty,
           "created": T("2026-11-20 21:00"), "paid": T("2026-11-20 21:01"), "shipped": pd.NaT,
           "customer": "李娜", "phone": "13800000001", "address": "杭州市文三路 1 号",
           "billing_address": None, "shipping_method": "standard", "buyer_note": None,
           "unit_price": 89.0, "line_total": 89.0 * qty, "verified": pd.NA, "flags": None,
           "delivered": pd.NaT, "carrier": None, "tracking_no": None}
    row.update(kw)
    return row


def frame(*rows) -> pd.DataFrame:
    out = pd.DataFrame(list(rows))
    out.index = range(2, 2 + len(out))
    out["verified"] = out["verified"].astype("boolean")
    out["line"] = out["line"].astype("Int64")
    out["qty"] = out["qty"].astype("Int64")
    return out


STOCK = pd.Series({"A001": 10, "B002": 10, "C003": 10, "D004": 10})


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


PRODUCTS = pd.DataFrame({"sku": ["A001", "B002"], "product": ["Mask", "Mug"],
                         "location": ["A-01", "B-03"], "current_stock": [-2, 0]})
LEDGER = pd.DataFrame({"reason": ["sale"] * 4, "reference": ["E1#1", "S1#1", "S2#1", "S2#2"]})


def test_whole_orders_express_first_and_shortfalls_apart():
    orders = frame(
        line("S1", qty=2, verified=True, paid=T("2026-11-20 08:00")),
        line("E1", qty=2, verified=True, shipping_method="express", paid=T("2026-11-20 09:00")),
        line("S2", qty=1, verified=True, paid=T("2026-11-20 10:00")),
        line("S2", sku="B002", line=2, qty=1, verified=True, paid=T("2026-11-20 10:00")),
    )
    # on the shelf: A001 −2 in the ledger + 5 sold but not shipped = 3; B002 0 + 1 = 1
    picked, short = allocate(orders.assign(reference=line_reference(orders)), PRODUCTS, LEDGER)
    assert list(picked["order_id"].unique()) == ["E1", "S2"]  # express first; S1 does not fit
    assert list(short["order_id"]) == ["S1"] and list(short["short"]) == [1]
    rows = batch(picked, short, PRODUCTS)
    assert list(rows["priority"]) == ["express", "standard", "standard", "cannot fill"]
    assert list(rows["sku"]) == ["A001", "A001", "B002", "A001"]
    assert list(rows["orders"]) == ["E1", "S2", "S2", "S1"]
    assert rows.iloc[-1]["note"] == "short 1"


def test_merge_appends_new_updates_moved_status_only():
    existing = frame(line("P1", status="paid"), line("P2", status="shipped"))
    incoming = frame(line("P1", status="shipped", shipped=T("2026-11-21 10:00"),
                          tracking_no="SF1"),
                     line("P2", status="paid"), line("P3"))
    new, updates, unchanged = merge(existing, incoming)
    assert list(new["order_id"]) == ["P3"]
    assert list(updates.index) == [2] and updates.loc[2, "status"] == "shipped"
    assert updates.loc[2, "tracking_no"] == "SF1"
    assert list(unchanged["order_id"]) == ["P2"]  # shipped → paid is not moving on


@pytest.mark.parametrize("storage", ["pyarrow", "python", None])
def test_merge_finds_known_lines_however_their_text_is_kept(storage):
    """Lines are matched by `ORDER#LINE`, joined by Arrow for text columns: an order number
    with '#' in it, a second line of the same order and a new line of a known order are told
    apart the same whichever way the sheet keeps its text."""
    existing = frame(line("#1001", status="paid"), line("#1001", line=2, status="paid"),
                     line("A#1", status="paid"))
    incoming = frame(line("#1001", line=2, status="shipped"), line("#1001", line=3),
                     line("A", line=1), line("A#1", status="paid"))
    if storage is not None:
        text = pd.StringDtype(storage)
        existing["order_id"] = existing["order_id"].astype(text)
        incoming["order_id"] = incoming["order_id"].astype(text)
    new, updates, unchanged = merge(existing, incoming)
    assert [(o, n) for o, n in zip(new["order_id"], new["line"])] == [("#1001", 3), ("A", 1)]
    assert list(updates.index) == [3] and updates.loc[3, "status"] == "shipped"
    assert list(unchanged["order_id"]) == ["A#1"]
