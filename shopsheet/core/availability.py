"""What each channel may sell: the stock told back to the back ends.

    on hand     what is on the shelf: the ledger's stock plus sales posted for lines not
                shipped yet (a sale leaves the ledger at payment, the goods at shipping)
    committed   units of paid, unshipped lines (posted or not): promised to buyers
    available   on hand − committed − the Settings buffer, never below 0
    per listing available ÷ its Units, rounded down (a 2-pack of a SKU with 7 is 3);
                a kit: what its parts' availability can make (each ÷ its quantity, the
                least), then ÷ Units

A channel's rows are its Listings rows (confirmed, taking stock) and, for the SKUs it sells
under the shop's own SKU (no Listings row needed), one row per such SKU. `committed_here` is
what the channel itself holds back for its own open orders of the listing: Shopify's
inventory import sets On hand, and Shopify takes its own unfulfilled orders off it again.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.core.ledger import stock_levels
from shopsheet.core.listings import Shelf, usable
from shopsheet.core.membership import among
from shopsheet.core.words import TO_SHIP, Reason

ROWS = ["channel", "listing_id", "channel_sku", "title", "variant", "sku", "units",
        "available", "committed_here"]


def available(ledger: pd.DataFrame, shelf: Shelf, skus: pd.Index, buffer: int) -> pd.Series:
    """Per SKU of `skus` (kits included): units the channels may still sell."""
    lines = shelf.lines
    open_ = lines[(lines["status"] == TO_SHIP) & lines["shipped"].isna()]
    posted = among(open_["reference"], ledger.loc[ledger["reason"] == Reason.SALE, "reference"])
    on_hand = stock_levels(ledger).reindex(skus).fillna(0) \
        .add(open_[posted.to_numpy()].groupby("sku")["qty"].sum(), fill_value=0)
    committed = open_.groupby("sku")["qty"].sum()
    free = (on_hand.sub(committed, fill_value=0) - buffer).clip(lower=0).astype("int64")
    for kit, parts in shelf.parts.items():
        free[kit] = min(int(free.get(part, 0)) // n for part, n in parts)
    return free.reindex(skus).fillna(0).astype("int64")


def channel_rows(channels: tuple[str, ...] | None, products: pd.DataFrame,
                 listings: pd.DataFrame, orders: pd.DataFrame, shelf: Shelf,
                 free: pd.Series) -> pd.DataFrame:
    """The rows a stock file for `channels` holds (every listing and product when None)."""
    table = usable(listings, products)
    table = table[table["units"].fillna(1).gt(0).to_numpy()]
    if channels is not None:
        mine = table["channel"].isna() | among(table["channel"], channels)
        table = table[mine.to_numpy()]
    units = table["units"].fillna(1).astype("int64")
    open_lines = (orders["status"] == TO_SHIP) & orders["shipped"].isna()
    here = among(orders["channel"], channels) if channels is not None else \
        pd.Series(True, index=orders.index)
    channel = channels[0] if channels else None
    by_listing = orders.loc[(open_lines & here).to_numpy(), "qty"].groupby(
        shelf.resolved.loc[(open_lines & here).to_numpy(), "listing"]).sum()
    rows = pd.DataFrame({
        "channel": table["channel"].fillna(channel or ""), "listing_id": table["listing_id"],
        "channel_sku": table["channel_sku"], "title": table["title"],
        "variant": table["variant"], "sku": table["sku"], "units": units,
        "available": (table["sku"].map(free).fillna(0).astype("int64") // units),
        "committed_here": by_listing.reindex(table.index).fillna(0).astype("int64"),
    })
    direct = shelf.resolved["how"].eq("sku") & here
    sold_as_own = pd.unique(orders.loc[direct.to_numpy(), "sku"]) if channels is not None \
        else products["sku"].dropna().unique()
    named = products.drop_duplicates("sku").set_index("sku")["product"]
    own_open = orders.loc[(direct & open_lines).to_numpy()].groupby("sku")["qty"].sum()
    own = pd.DataFrame({
        "channel": channel or "", "listing_id": None, "channel_sku": list(sold_as_own),
        "title": [named.get(s) for s in sold_as_own], "variant": None,
        "sku": list(sold_as_own), "units": 1,
        "available": [int(free.get(s, 0)) for s in sold_as_own],
        "committed_here": [int(own_open.get(s, 0)) for s in sold_as_own],
    })
    both = pd.concat([rows, own], ignore_index=True)[ROWS]
    return both.astype({"units": "int64", "available": "int64", "committed_here": "int64"})
