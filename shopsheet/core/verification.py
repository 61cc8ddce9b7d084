"""Verify new orders before they are packed: the guide's checks and red flags.

Checks (an order that fails one is not ready):
- payment received — the order is paid (an unpaid order is checked again on the next run);
- address complete — recipient, phone and address are there;
- stock available — noted on the line when the shelf cannot cover it (the pick list lists such
  orders apart), not a reason to hold the order.
Red flags (the order waits for the owner, who sets Verified to yes after a look):
- a large first order from a new customer (total above the Settings threshold);
- shipping and billing address differ;
- overnight / express requested;
- several orders from one customer on one day;
- an unusual combination: three or more products never bought together before, or a quantity
  at least five times the SKU's usual.

Only lines never verified (Verified blank) are judged, so the owner's decision is never undone.
"""

from __future__ import annotations

import itertools

import pandas as pd

from shopsheet.core.ledger import line_reference
from shopsheet.core.picking import is_express

RUSH_WORDS = ("加急", "急用", "尽快", "urgent", "asap", "overnight", "次日达")


def _customer(orders: pd.DataFrame) -> pd.Series:
    return orders["phone"].fillna(orders["customer"]).fillna("?").astype(str)


class _History:
    """What the shop already knows, worked out once per run rather than once per order."""

    def __init__(self, orders: pd.DataFrame, history: pd.DataFrame, who: pd.Series):
        self.first_seen = orders["created"].groupby(who).min()
        day = orders["created"].dt.normalize()
        self.per_day = orders.groupby([who, day])["order_id"].nunique()
        self.usual = history.groupby("sku")["qty"].median()
        multi = history[history.duplicated("order_id", keep=False)]
        self.pairs: set[tuple[str, str]] = set()
        for skus in multi.groupby("order_id")["sku"].agg(lambda s: sorted(set(s))):
            self.pairs.update(itertools.combinations(skus, 2))
        self.has_history = len(history) > 0


def verify(orders: pd.DataFrame, stock: pd.Series, posted: set[str],
           large_first_order: float) -> pd.DataFrame:
    """Per line still to verify: `flags` (reasons, '; '-joined) and `verified` (True/False/NA).

    `stock` is Current Stock per SKU; `posted` the ledger references already posted, so a line
    whose sale is already in the ledger is not counted against the shelf twice.
    """
    todo = orders["verified"].isna() & orders["status"].isin(("pending", "paid")) & \
        orders["shipped"].isna()
    lines = orders[todo]
    if lines.empty:
        return pd.DataFrame(columns=["flags", "verified"])
    who = _customer(orders)
    known = _History(orders, orders[~todo], who)
    reasons: dict[object, list[str]] = {i: [] for i in lines.index}
    holds: dict[object, bool] = {i: False for i in lines.index}
    already = lines[line_reference(lines).isin(posted)].groupby("sku")["qty"].sum()
    left = stock.astype("int64").add(already, fill_value=0).astype("int64").to_dict()
    for _, mine in lines.sort_values("created").groupby("order_id", sort=False):
        found, hold = _order_reasons(known, who, mine, large_first_order)
        for sku, qty in mine.groupby("sku")["qty"].sum().items():
            if mine["status"].iloc[0] == "paid" and qty > left.get(sku, 0):
                found.append(f"stock short for {sku}")
            left[sku] = left.get(sku, 0) - qty
        for i in mine.index:
            reasons[i], holds[i] = found, hold
    result = pd.DataFrame({"flags": ["; ".join(reasons[i]) or None for i in lines.index],
                           "verified": [None if lines.at[i, "status"] == "pending" else
                                        not holds[i] for i in lines.index]}, index=lines.index)
    result["verified"] = result["verified"].astype("boolean")
    return result


def _order_reasons(known: _History, who, mine, large_first_order) -> tuple[list[str], bool]:
    first = mine.iloc[0]
    reasons, hold = [], False
    if first["status"] == "pending":
        return ["payment not received"], False
    missing = [label for label, col in (("recipient", "customer"), ("phone", "phone"),
                                        ("address", "address")) if pd.isna(first[col])]
    if missing:
        reasons.append("address incomplete: no " + ", ".join(missing))
        hold = True
    customer = who[mine.index[0]]
    total = mine["line_total"].fillna(mine["qty"] * mine["unit_price"].fillna(0)).sum()
    if known.first_seen[customer] >= first["created"] and total > large_first_order:
        reasons.append(f"large first order from a new customer (¥{total:,.0f})")
    billing = first["billing_address"]
    if pd.notna(billing) and pd.notna(first["address"]) and \
            _norm(billing) != _norm(first["address"]):
        reasons.append("shipping and billing address differ")
    note = str(first["buyer_note"] or "").lower() if pd.notna(first["buyer_note"]) else ""
    if bool(is_express(mine).any()) or any(w in note for w in RUSH_WORDS):
        reasons.append("overnight/express requested")
    same_day = known.per_day.get((customer, first["created"].normalize()), 1)
    if same_day > 1:
        reasons.append(f"{same_day} orders from this customer today")
    reasons += _unusual(known, mine)
    return reasons, hold or len(reasons) > 0


def _unusual(known: _History, mine: pd.DataFrame) -> list[str]:
    found = []
    for sku, qty in zip(mine["sku"], mine["qty"]):
        if sku in known.usual.index and qty >= max(5, 5 * known.usual[sku]):
            found.append(f"unusual quantity: {qty} × {sku}")
    skus = sorted(set(mine["sku"]))
    if len(skus) >= 3 and known.has_history and \
            not any(pair in known.pairs for pair in itertools.combinations(skus, 2)):
        found.append("unusual combination: " + ", ".join(skus) + " never bought together")
    return found


def _norm(text: str) -> str:
    return "".join(str(text).split()).lower()
