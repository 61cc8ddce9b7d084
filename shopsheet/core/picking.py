"""Today's pick list: paid, verified, unshipped lines that stock can cover, batched for one walk
through the warehouse.

Stock on the shelf is Current Stock plus what is sold but not shipped yet (a sale leaves the
ledger at payment, the goods leave the shelf at shipping). Orders are allocated whole — a parcel
is packed complete or not at all — express and same-day first, then oldest paid first. An order
that cannot be filled is listed apart with the shortfall of each SKU, and holds no stock.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.core.frames import blank
from shopsheet.core.language import N_, _
from shopsheet.core.membership import among
from shopsheet.core.words import TO_SHIP, Reason

# a PickList batch's Priority, in the language spoken
EXPRESS, STANDARD, CANNOT_FILL = N_("express"), N_("standard"), N_("cannot fill")
EXPRESS_WORDS = ("express", "overnight", "same-day", "same day", "次日", "加急", "当日", "顺丰")


def express_method(method: object) -> bool:
    """Whether a Shipping Method asks for express, overnight or same-day delivery."""
    text = method.lower() if isinstance(method, str) else ""
    return any(w in text for w in EXPRESS_WORDS)


def is_express(orders: pd.DataFrame) -> pd.Series:
    return orders["shipping_method"].map(express_method).astype(bool)


def to_pick(orders: pd.DataFrame) -> pd.DataFrame:
    """Lines waiting for the warehouse: paid, verified, not shipped."""
    return orders[(orders["status"] == TO_SHIP) & (orders["verified"].fillna(False))
                  & orders["shipped"].isna()]


def allocate(stock: pd.DataFrame, products: pd.DataFrame, ledger: pd.DataFrame,
             blocked: set = frozenset()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(lines to pick, lines that cannot be filled with a `short` column), from the stock
    lines (`listings.stock_lines`: a kit as its components); orders in `blocked` (a line of
    theirs maps to no product) wait."""
    lines = to_pick(stock)
    lines = lines[~among(lines["order_id"], list(blocked))].copy()
    lines["express"] = is_express(lines)
    sold_unshipped = stock[(stock["status"] == TO_SHIP) & stock["shipped"].isna()]
    posted = among(sold_unshipped["reference"],
                   ledger.loc[ledger["reason"] == Reason.SALE, "reference"])
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
    location, product = info["location"], info["product"]
    rows = []
    for express in dict.fromkeys(picked["express"].tolist()):
        mine = picked[picked["express"] == express]
        for sku, (qty, orders, _unused) in _by_sku(mine).items():
            rows.append({"location": location.get(sku), "sku": sku, "product": product.get(sku),
                         "total_qty": qty, "orders": ", ".join(orders),
                         "priority": _(EXPRESS) if express else _(STANDARD), "note": None})
    result = pd.DataFrame(rows, columns=["location", "sku", "product", "total_qty", "orders",
                                         "priority", "note"])
    if len(result):
        result["_rank"] = (result["priority"] != _(EXPRESS)).astype(int)
        result = result.sort_values(["_rank", "location", "sku"], na_position="last").drop(
            columns="_rank")
    for sku, (qty, orders, gap) in _by_sku(short, "short").items():
        result.loc[len(result)] = {"location": location.get(sku), "sku": sku,
                                   "product": product.get(sku), "total_qty": qty,
                                   "orders": ", ".join(orders), "priority": _(CANNOT_FILL),
                                   "note": _("short {n}").format(n=gap) if gap
                                   else _("waits for another SKU")}
    return result.reset_index(drop=True)


def _by_sku(lines: pd.DataFrame, most: str | None = None) -> dict[str, tuple[int, list, int]]:
    """Per SKU, in SKU order (a blank SKU left out, as `groupby` does): the total quantity,
    the orders in line order without repeats, and the largest `most` (0 without one). Plain
    records, not a DataFrame per SKU: a busy day's pick list has hundreds of SKUs."""
    found: dict = {}
    extra = lines[most].tolist() if most else [0] * len(lines)
    for sku, qty, order, more in zip(lines["sku"].tolist(), lines["qty"].tolist(),
                                     lines["order_id"].tolist(), extra):
        if blank(sku):
            continue
        total, orders, top = found.get(sku, (0, {}, None))
        orders[order] = None
        more = None if blank(more) else more
        found[sku] = (total + (0 if blank(qty) else qty), orders,
                      more if top is None or (more is not None and more > top) else top)
    return {sku: (int(total), list(orders), int(top or 0))
            for sku, (total, orders, top) in sorted(found.items())}
