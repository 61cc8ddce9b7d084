"""Today's pick list: paid, verified, unshipped lines that stock can cover, batched for one walk
through the warehouse.

Stock on the shelf is Current Stock plus what is sold but not shipped yet (a sale leaves the
ledger at payment, the goods leave the shelf at shipping). Orders are allocated whole — a parcel
is packed complete or not at all — express and same-day first, then oldest paid first. An order
that cannot be filled is listed apart with the shortfall of each SKU, and holds no stock.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.core.ledger import line_reference
from shopsheet.core.membership import among

EXPRESS_WORDS = ("express", "overnight", "same-day", "same day", "次日", "加急", "当日", "顺丰")


def express_method(method: object) -> bool:
    """Whether a Shipping Method asks for express, overnight or same-day delivery."""
    text = method.lower() if isinstance(method, str) else ""
    return any(w in text for w in EXPRESS_WORDS)


def is_express(orders: pd.DataFrame) -> pd.Series:
    return orders["shipping_method"].map(express_method).astype(bool)


def to_pick(orders: pd.DataFrame) -> pd.DataFrame:
    """Lines waiting for the warehouse: paid, verified, not shipped."""
    return orders[(orders["status"] == "paid") & (orders["verified"].fillna(False))
                  & orders["shipped"].isna()]


def allocate(orders: pd.DataFrame, products: pd.DataFrame, ledger: pd.DataFrame) -> tuple[
        pd.DataFrame, pd.DataFrame]:
    """(lines to pick, lines that cannot be filled with a `short` column)."""
    lines = to_pick(orders).copy()
    lines["express"] = is_express(lines)
    sold_unshipped = orders[(orders["status"] == "paid") & orders["shipped"].isna()]
    posted = among(line_reference(sold_unshipped),
                   ledger.loc[ledger["reason"] == "sale", "reference"])
    on_shelf = (products.set_index("sku")["current_stock"].fillna(0).astype("int64")
                .add(sold_unshipped[posted].groupby("sku")["qty"].sum(), fill_value=0))
    order_key = lines.groupby("order_id").agg(express=("express", "max"),
                                              paid=("paid", "min"))
    order_key = order_key.sort_values(["express", "paid"], ascending=[False, True])
    left = on_shelf.to_dict()
    positions = lines.groupby("order_id", sort=False).indices
    skus, qtys = lines["sku"].to_numpy(dtype=object), lines["qty"].to_numpy(dtype=object)
    picked, short, gap_of = [], [], []
    for order_id in order_key.index:
        mine = positions[order_id]
        need: dict[str, int] = {}
        for k in mine:
            need[skus[k]] = need.get(skus[k], 0) + qtys[k]
        gaps = {sku: int(qty - max(left.get(sku, 0), 0)) for sku, qty in need.items()
                if qty > left.get(sku, 0)}
        if gaps:
            short.extend(mine)
            gap_of.extend(gaps.get(skus[k], 0) for k in mine)
            continue
        for sku, qty in need.items():
            left[sku] -= qty
        picked.extend(mine)
    return lines.iloc[picked], lines.iloc[short].assign(
        short=pd.Series(gap_of, index=lines.index[short], dtype="int64"))


def batch(picked: pd.DataFrame, short: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """PickList rows: express batch first, each by location then SKU; then what cannot be filled."""
    info = products.drop_duplicates("sku").set_index("sku")
    rows = []
    for express, group in picked.groupby("express", sort=False) if len(picked) else []:
        for sku, lines in group.groupby("sku"):
            rows.append({"location": info["location"].get(sku), "sku": sku,
                         "product": info["product"].get(sku), "total_qty": int(lines["qty"].sum()),
                         "orders": ", ".join(dict.fromkeys(lines["order_id"])),
                         "priority": "express" if express else "standard", "note": None})
    result = pd.DataFrame(rows, columns=["location", "sku", "product", "total_qty", "orders",
                                         "priority", "note"])
    if len(result):
        result["_rank"] = (result["priority"] != "express").astype(int)
        result = result.sort_values(["_rank", "location", "sku"], na_position="last").drop(
            columns="_rank")
    for sku, lines in short.groupby("sku") if len(short) else []:
        gap = int(lines["short"].max())
        result.loc[len(result)] = {"location": info["location"].get(sku), "sku": sku,
                                   "product": info["product"].get(sku),
                                   "total_qty": int(lines["qty"].sum()),
                                   "orders": ", ".join(dict.fromkeys(lines["order_id"])),
                                   "priority": "cannot fill",
                                   "note": f"short {gap}" if gap else "waits for another SKU"}
    return result.reset_index(drop=True)
