"""Checks across sheets that no single sheet's schema can make.

Each returns the offending rows as a frame (`row`, `column`, `value`, `expected`) so the caller,
which knows where each column sits in the sheet, can name the cell.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.language import _
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
        "expected": [_("a line number not used before in order {order}").format(order=o)
                     for o in rows["order_id"]],
    }, columns=ISSUE_COLUMNS)


def kit_issues(products: pd.DataFrame, kits: pd.DataFrame) -> pd.DataFrame:
    """Kits rows that cannot be made: a kit or component not in Products, a kit inside a kit
    (components are what is on the shelf), a kit made of itself."""
    known = set(products["sku"].dropna())
    kit_skus = set(kits["kit_sku"].dropna())
    found = []
    for row, kit, part in zip(kits.index, kits["kit_sku"], kits["component_sku"]):
        if isinstance(kit, str) and kit not in known:
            found.append((row, "kit_sku", kit, _("a SKU listed in Products")))
        if isinstance(part, str):
            if part == kit:
                found.append((row, "component_sku", part, _("a SKU other than the kit's own")))
            elif part in kit_skus:
                found.append((row, "component_sku", part,
                              _("a SKU on the shelf, not another kit (list that kit's parts)")))
            elif part not in known:
                found.append((row, "component_sku", part, _("a SKU listed in Products")))
    return pd.DataFrame(found, columns=ISSUE_COLUMNS)


def kit_skus_moved(kits: pd.DataFrame, frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """Rows of `frame` (StockLedger, PurchaseOrders) that move a kit SKU itself: a kit is
    received, counted and adjusted through its components, never on its own."""
    bad = among(frame["sku"], kits["kit_sku"].dropna())
    return pd.DataFrame({
        "row": frame.index[bad],
        "column": "sku",
        "value": frame.loc[bad, "sku"].to_numpy(),
        "expected": _("a SKU that is not a kit ({what} its components instead)").format(
            what=_(what)),
    }, columns=ISSUE_COLUMNS)


def listing_issues(listings: pd.DataFrame) -> pd.DataFrame:
    """Listings rows naming no SKU though they take stock (Units blank or above 0)."""
    bad = listings["sku"].isna() & ~listings["units"].eq(0).fillna(False)
    return pd.DataFrame({
        "row": listings.index[bad], "column": "sku", "value": None,
        "expected": _("a SKU listed in Products (or Units 0 for a listing that takes no "
                      "stock, such as a gift card)"),
    }, columns=ISSUE_COLUMNS)


def dated_after(frame: pd.DataFrame, column: str, now: dt.datetime, what: str,
                whole_days: bool = False) -> pd.DataFrame:
    """Rows of `frame` whose `column` lies after `now` (after its day, for a date column): a
    movement or a receipt cannot have happened yet."""
    if column not in frame:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    limit = pd.Timestamp(now.date()) + pd.Timedelta(days=1) if whole_days else pd.Timestamp(now)
    times = pd.to_datetime(frame[column], errors="coerce")
    bad = times.notna() & (times >= limit if whole_days else times > limit)
    return pd.DataFrame({
        "row": frame.index[bad],
        "column": column,
        "value": times[bad].to_numpy(),
        "expected": _("{what} no later than {time}").format(what=_(what),
                                                              time=f"{now:%Y-%m-%d %H:%M}")
        if not whole_days else _("{what} no later than today ({date})").format(
            what=_(what), date=f"{now:%Y-%m-%d}"),
    }, columns=ISSUE_COLUMNS)
