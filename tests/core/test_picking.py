"""Whole-order picking: express first, an order short of stock set apart."""

from __future__ import annotations

import pandas as pd

from shopsheet.core.ledger import line_reference
from shopsheet.core.picking import allocate, batch
from tests.core.lines import T, frame, line

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
