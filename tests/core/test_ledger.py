"""The stock ledger: each movement once, reversals only before shipping, counts restart."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.ledger import line_reference, receipts, restocks, reversals, sales, stock_levels
from shopsheet.core.listings import shelf

NOW = dt.datetime(2026, 11, 21, 8, 0)
LEDGER_COLUMNS = ["time", "sku", "change", "reason", "reference", "note"]


def orders() -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": ["P1", "P1", "P2", "P3", "P4", "P5"],
        "line": pd.array([1, 2, 1, 1, 1, 1], dtype="Int64"),
        "status": ["paid", "paid", "cancelled", "refunded", "pending", "paid"],
        "sku": ["A001", "B002", "A001", "A001", "A001", "ZZZ"],
        "qty": pd.array([2, 1, 1, 3, 1, 1], dtype="Int64"),
        "created": pd.Timestamp("2026-11-20 21:00"),
        "paid": pd.to_datetime(["2026-11-20 21:01"] * 4 + [None, "2026-11-20 21:01"]),
        "shipped": pd.to_datetime([None, None, None, "2026-11-21 10:00", None, None]),
    })


def ledger(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=LEDGER_COLUMNS)


def on_shelf(lines: pd.DataFrame) -> pd.DataFrame:
    """The stock lines of `lines` when A001 and B002 are the shop's products."""
    products = pd.DataFrame({"sku": ["A001", "B002"]})
    return shelf(lines, products, no_listings(), no_kits()).lines


def no_listings() -> pd.DataFrame:
    return pd.DataFrame(columns=["channel", "listing_id", "channel_sku", "title", "variant",
                                 "sku", "units", "status"])


def no_kits() -> pd.DataFrame:
    return pd.DataFrame(columns=["kit_sku", "component_sku", "qty"])


def test_paid_lines_are_sold_once_and_unknown_skus_wait():
    moves = sales(on_shelf(orders()), ledger())
    assert list(moves["reference"]) == ["P1#1", "P1#2"] and list(moves["change"]) == [-2, -1]
    again = sales(on_shelf(orders()), pd.concat([ledger(), moves]))
    assert again.empty


def test_reversal_only_for_lines_undone_before_shipping():
    posted = ledger((NOW, "A001", -1, "sale", "P2#1", ""), (NOW, "A001", -3, "sale", "P3#1", ""))
    moves = reversals(on_shelf(orders()), posted, NOW)
    assert list(moves["reference"]) == ["P2#1"] and list(moves["change"]) == [1]  # P3 shipped
    assert reversals(on_shelf(orders()), pd.concat([posted, moves]), NOW).empty


def test_receipts_post_the_difference_of_partial_deliveries():
    pos = pd.DataFrame({"po_no": ["PO-1", "PO-2"], "supplier": ["S1", "S1"], "sku": ["A001", "B002"],
                        "qty": [100, 50], "received_qty": [60, 0],
                        "received": pd.to_datetime(["2026-11-20", None])})
    moves, lowered = receipts(pos, ledger(), NOW)
    assert list(moves["change"]) == [60] and lowered.empty
    pos.loc[0, "received_qty"] = 100
    moves2, _ = receipts(pos, pd.concat([ledger(), moves]), NOW)
    assert list(moves2["change"]) == [40] and list(moves2["reference"]) == ["PO-1"]
    pos.loc[0, "received_qty"] = 50
    _, lowered = receipts(pos, pd.concat([moves, moves2]), NOW)
    assert list(lowered["po_no"]) == ["PO-1"]


def test_only_resellable_returns_come_back():
    returns = pd.DataFrame({"rma_no": ["R1", "R2", "R3"], "sku": ["A001"] * 3, "qty": [1, 2, 1],
                            "condition": ["resellable", "damaged", "resellable"],
                            "received": pd.to_datetime(["2026-11-20", "2026-11-20", None]),
                            "status": ["received", "received", "requested"],
                            "reason": ["changed mind", "broken", None]})
    moves = restocks(returns, ledger(), {"A001"})
    assert list(moves["reference"]) == ["R1"] and list(moves["change"]) == [1]
    assert restocks(returns, moves, {"A001"}).empty


def test_stock_is_the_sum_restarting_at_the_latest_count():
    rows = ledger(
        (pd.Timestamp("2026-11-01"), "A001", 100, "opening", "OPENING-A001", ""),
        (pd.Timestamp("2026-11-05"), "A001", -10, "sale", "P1#1", ""),
        (pd.Timestamp("2026-11-10"), "A001", 85, "count", "COUNT-1110", "shelf count"),
        (pd.Timestamp("2026-11-12"), "A001", -5, "sale", "P2#1", ""),
        (pd.Timestamp("2026-11-03"), "B002", 7, "opening", "OPENING-B002", ""),
    )
    assert stock_levels(rows).to_dict() == {"A001": 80, "B002": 7}


def test_a_lines_reference_is_the_same_whatever_keeps_the_text():
    """References are joined by Arrow for text columns and one by one otherwise: the ledger's
    references must not depend on which (a sale posted once is found again by its reference)."""
    orders = pd.DataFrame({"order_id": pd.array(["P1", "P2", None, "P4"], dtype="string"),
                           "line": [1.0, 2.0, 3.0, None]})
    want = ["P1#1", "P2#2", "<NA>#3", "P4#<NA>"]
    for storage in ("pyarrow", "python"):
        same = orders.assign(order_id=orders["order_id"].astype(pd.StringDtype(storage)))
        assert list(line_reference(same)) == want
    assert list(line_reference(orders.assign(order_id=["P1", "P2", pd.NA, "P4"]))) == want


def test_settled_lines_are_sold_and_posted_a_kit_by_its_parts():
    from shopsheet.core.ledger import settled

    lines = orders()  # P1#1, P1#2 paid; P2 cancelled; P3 refunded; P4 pending; P5 paid
    posted = ledger((NOW, "A001", -2, "sale", "P1#1", ""),
                    (NOW, "A001", -1, "sale", "P5#1/A001", ""),  # P5 was a kit: its parts
                    (NOW, "A001", -1, "sale", "P2#1/A001", ""),
                    (NOW, "A001", -3, "sale", "P3#1", ""))
    # P1#2 waits for its sale, P2 (cancelled unshipped, sold) for its reversal, P4 for payment;
    # P3 was refunded after shipping: returns, not reversals
    assert list(settled(lines, posted)) == [True, False, False, True, False, True]
    reversed_ = pd.concat([posted, ledger((NOW, "A001", 1, "cancel", "P2#1/A001", ""))])
    assert list(settled(lines, reversed_)) == [True, False, True, True, False, True]
