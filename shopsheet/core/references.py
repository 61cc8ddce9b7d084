"""Checks across sheets that no single sheet's schema can make.

Each returns the offending rows as a frame (`row`, `column`, `value`, `expected`) so the caller,
which knows where each column sits in the sheet, can name the cell.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.core.membership import among

ISSUE_COLUMNS = ["row", "column", "value", "expected"]


def unknown_skus(products: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of `frame` whose SKU is not a SKU in Products (blank SKUs are the schema's job)."""
    skus = frame["sku"]
    bad = skus.notna() & ~among(skus, products["sku"])
    return pd.DataFrame({
        "row": frame.index[bad],
        "column": "sku",
        "value": skus[bad].to_numpy(),
        "expected": "a SKU listed in Products",
    }, columns=ISSUE_COLUMNS)


def duplicate_lines(orders: pd.DataFrame) -> pd.DataFrame:
    """Order lines that repeat an (Order ID, Line) pair: the same line counted twice."""
    keyed = orders.dropna(subset=["order_id", "line"])
    dup = keyed.duplicated(["order_id", "line"], keep="first")
    rows = keyed[dup]
    return pd.DataFrame({
        "row": rows.index,
        "column": "line",
        "value": rows["line"].to_numpy(),
        "expected": [f"a line number not used before in order {o}" for o in rows["order_id"]],
    }, columns=ISSUE_COLUMNS)
