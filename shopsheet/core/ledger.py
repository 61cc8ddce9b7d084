"""Stock as a ledger: every movement is a row with a reference, so nothing is counted twice.

`pending_movements` finds what the ledger does not hold yet — sales of paid lines, reversals of
sales that never shipped, received purchase-order quantities, resellable returns — each keyed by
(reason, reference) so posting twice is impossible. `stock_levels` derives Current Stock.

Rules, as a shop works:
- a line is sold (stock leaves) when it is paid: reference `ORDER#LINE`;
- a paid line cancelled or refunded *before it shipped* gets its sale reversed (`cancel`);
  once shipped, goods come back only through Returns, and only when resellable (`return`,
  reference the RMA number) — so a refunded, returned item is never counted back twice;
- a PO line's received quantity is posted as `receipt` (reference the PO number), the
  difference only, so partial deliveries post as they arrive;
- `adjustment` rows are the user's own corrections; a `count` row holds the counted quantity
  and stock starts again from it at its time.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.membership import among
from shopsheet.core.words import RESELLABLE, RETURN_BACK, SOLD, UNDONE

MOVEMENT_COLUMNS = ["time", "sku", "change", "reason", "reference", "note"]


def line_reference(orders: pd.DataFrame) -> pd.Series:
    """`ORDER#LINE`, the reference of a line's sale (and of its reversal). Joined by Arrow
    when the order numbers are text, as read (a year of lines: 0.02–0.03 s, against 0.04 s
    one by one in Python)."""
    ids = orders["order_id"]
    if isinstance(ids.dtype, pd.StringDtype):
        text = pd.StringDtype("pyarrow")
        numbers = orders["line"].astype("Int64").astype(text).fillna("<NA>")
        return ids.astype(text).fillna("<NA>") + "#" + numbers
    lines = orders["line"].astype("Int64").to_numpy(dtype=object, na_value=None)
    return pd.Series([f"{o}#{'<NA>' if n is None else n}" for o, n in
                      zip(orders["order_id"].to_numpy(dtype=object), lines)],
                     index=orders.index, dtype="object")


def _posted(ledger: pd.DataFrame, reason: str) -> pd.Series:
    """The references posted for `reason` (a column, not a set: `among` searches it in C)."""
    return ledger.loc[ledger["reason"] == reason, "reference"]


def _movements(time, sku, change, reason: str, reference, note) -> pd.DataFrame:
    frame = pd.DataFrame({"time": time, "sku": sku, "change": change, "reason": reason,
                          "reference": reference, "note": note})
    return frame[MOVEMENT_COLUMNS]


def sales(orders: pd.DataFrame, ledger: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """A `sale` (−qty) for each paid line of a known SKU that has none yet."""
    sold = orders.loc[orders["status"].isin(SOLD) & among(orders["sku"], known),
                      ["order_id", "line", "sku", "qty", "paid", "created"]]  # not all 27
    ref = line_reference(sold)
    todo = ~among(ref, _posted(ledger, "sale"))
    lines = sold[todo]
    when = lines["paid"].fillna(lines["created"])
    return _movements(when, lines["sku"], -lines["qty"].astype("int64"), "sale", ref[todo],
                      "Order " + lines["order_id"].astype(str))


def reversals(orders: pd.DataFrame, ledger: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """A `cancel` (+qty) for each sold line undone before shipping, once."""
    undone = orders[orders["status"].isin(UNDONE) & orders["shipped"].isna()]
    ref = line_reference(undone)
    todo = among(ref, _posted(ledger, "sale")) & ~among(ref, _posted(ledger, "cancel"))
    lines = undone[todo]
    return _movements(pd.Timestamp(now), lines["sku"], lines["qty"].astype("int64"), "cancel",
                      ref[todo], lines["status"].str.capitalize() + " before shipping")


def receipts(pos: pd.DataFrame, ledger: pd.DataFrame, now: dt.datetime) -> tuple[
        pd.DataFrame, pd.DataFrame]:
    """`receipt` movements for received PO quantities not posted yet; and PO lines whose
    received quantity fell below what was already posted (for the user to check)."""
    got = pos[pos["received_qty"].fillna(0) > 0]
    posted = ledger[ledger["reason"] == "receipt"].groupby(["reference", "sku"])["change"].sum()
    keys = pd.MultiIndex.from_arrays([got["po_no"], got["sku"]])
    already = posted.reindex(keys).fillna(0).to_numpy()
    received = got.groupby(["po_no", "sku"])["received_qty"].transform("sum").to_numpy()
    # one PO may list a SKU on several lines: post per (PO, SKU), once
    first = ~pd.Series(list(zip(got["po_no"], got["sku"])), index=got.index).duplicated()
    delta = pd.Series(received - already, index=got.index)
    todo = first & (delta > 0)
    when = got["received"].fillna(pd.Timestamp(now)) if "received" in got else pd.Timestamp(now)
    moves = _movements(when[todo], got.loc[todo, "sku"], delta[todo].astype("int64"), "receipt",
                       got.loc[todo, "po_no"], "Received from " + got.loc[todo, "supplier"]
                       .fillna("supplier").astype(str))
    return moves, got[first & (delta < 0)]


def restocks(returns: pd.DataFrame, ledger: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """A `return` (+qty) for each resellable return received back and not restocked yet."""
    todo = ((returns["condition"] == RESELLABLE) & returns["received"].notna()
            & returns["status"].isin(RETURN_BACK)
            & ~among(returns["rma_no"], _posted(ledger, "return"))
            & among(returns["sku"], known))
    rows = returns[todo]
    return _movements(rows["received"], rows["sku"], rows["qty"].astype("int64"), "return",
                      rows["rma_no"], "Return: " + rows["reason"].fillna("no reason given"))


def stock_levels(ledger: pd.DataFrame) -> pd.Series:
    """Current stock per SKU: the sum of movements, restarting at each SKU's latest count."""
    moves = ledger.dropna(subset=["sku", "change"]).sort_values("time", kind="stable")
    if moves.empty:
        return pd.Series(dtype="int64")
    position = pd.Series(range(len(moves)), index=moves.index)
    is_count = moves["reason"] == "count"
    latest_count = position[is_count].groupby(moves.loc[is_count, "sku"]).max()
    start = moves["sku"].map(latest_count).fillna(-1)
    return moves[position >= start].groupby("sku")["change"].sum().astype("int64")


def last_movement(ledger: pd.DataFrame) -> pd.Series:
    """Date of each SKU's latest movement: the Products sheet's Last Updated."""
    return ledger.dropna(subset=["sku"]).groupby("sku")["time"].max().dt.normalize()
