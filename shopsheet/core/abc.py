"""ABC analysis: which products bring the revenue, and how often each class needs a look.

    share_i      = revenue_i ÷ total revenue over the window (paid, shipped, delivered lines)
    cumulative_i = the shares summed from the best seller down to product i
    class        = A while cumulative ≤ A cut-off (80 %), B while ≤ A + B (95 %), else C;
                   the product that crosses a cut-off belongs to the class it starts in
    review       = A weekly, B monthly, C quarterly

Products with no revenue in the window are C.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.membership import among
from shopsheet.core.words import SOLD, ReviewFrequency

REVIEW = {"A": ReviewFrequency.WEEKLY, "B": ReviewFrequency.MONTHLY, "C": ReviewFrequency.QUARTERLY}


def revenue(orders: pd.DataFrame, today: dt.date, window: int) -> pd.Series:
    start = pd.Timestamp(today) - pd.Timedelta(days=window)
    lines = orders[among(orders["status"], SOLD) & (orders["created"] >= start)
                   & (orders["created"] < pd.Timestamp(today))]
    amount = pd.to_numeric(lines["line_total"]).fillna(lines["qty"] * lines["unit_price"])
    return amount.groupby(lines["sku"]).sum()


def classify(products: pd.DataFrame, orders: pd.DataFrame, today: dt.date, window: int,
             cut_a: float, cut_b: float) -> pd.DataFrame:
    """`abc`, `review`, `revenue`, `share` per row of `products` (same index)."""
    money = revenue(orders, today, window).reindex(products["sku"]).fillna(0.0)
    money.index = products.index
    total = money.sum()
    ranked = money.sort_values(ascending=False, kind="stable")
    share = ranked / total if total else ranked * 0
    before = (share.cumsum() - share).round(9)  # cumulative share before each product
    classes = pd.Series("C", index=ranked.index)
    classes[(before < cut_a) & (ranked > 0)] = "A"
    classes[(before >= cut_a) & (before < round(cut_a + cut_b, 9)) & (ranked > 0)] = "B"
    out = pd.DataFrame({"abc": classes, "review": classes.map(REVIEW), "revenue": ranked,
                        "share": share})
    return out.reindex(products.index)
