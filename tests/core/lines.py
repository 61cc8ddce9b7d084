"""Tiny order-line frames for the core tests: one line with every Orders column, a frame of
them indexed by Excel row from 2."""

from __future__ import annotations

import pandas as pd

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
