"""Stock as a ledger: every movement is a row with a reference, so nothing is counted twice.

`pending_movements` finds what the ledger does not hold yet — sales of paid lines, reversals of
sales that never shipped, received purchase-order quantities, resellable returns — each keyed by
(reason, reference) so posting twice is impossible. `stock_levels` derives Current Stock.

Rules, as a shop works:
- a line is sold (stock leaves) when it is paid: reference `ORDER#LINE` (`ORDER#LINE/PART` for
  each part of a kit); which SKU a line takes is `listings.stock_lines`' answer;
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

from shopsheet.core.language import _
from shopsheet.core.membership import among
from shopsheet.core.words import RESELLABLE, RETURN_BACK, SOLD, UNDONE, Reason

MOVEMENT_COLUMNS = ["time", "sku", "change", "reason", "reference", "note"]


def line_reference(orders: pd.DataFrame) -> pd.Series:
    """`ORDER#LINE`, the reference of a line's sale (and of its reversal). Joined by Arrow
    when the order numbers are text, as read; one by one otherwise."""
    ids = orders["order_id"]
    if isinstance(ids.dtype, pd.StringDtype):
        text = pd.StringDtype("pyarrow")
        numbers = orders["line"].astype("Int64").astype(text).fillna("<NA>")
        return ids.astype(text).fillna("<NA>") + "#" + numbers
    lines = orders["line"].astype("Int64").to_numpy(dtype=object, na_value=None)
    return pd.Series([f"{o}#{'<NA>' if n is None else n}" for o, n in
                      zip(orders["order_id"].to_numpy(dtype=object), lines)],
                     index=orders.index, dtype="object")


def settled(orders: pd.DataFrame, ledger: pd.DataFrame) -> pd.Series:
    """Lines the ledger is done with: sold with their sale posted; or cancelled/refunded after
    shipping, before any sale was posted, or with the sale reversed (references `ORDER#LINE`,
    a kit's parts `ORDER#LINE/PART`). Only the others can still move stock — a new sale, a sale
    mapped since, a reversal — so a year of them need not be resolved again each morning."""
    ref = line_reference(orders)
    sold = among(ref, _lines_of(ledger, Reason.SALE))
    undone = among(ref, _lines_of(ledger, Reason.CANCEL))
    status = orders["status"]
    return (among(status, SOLD) & sold) | (among(status, UNDONE) & (
        orders["shipped"].notna() | ~sold | undone))


def _lines_of(ledger: pd.DataFrame, reason: str) -> pd.Series:
    """The lines `reason` was posted for: a kit part's reference `ORDER#LINE/PART` → its line."""
    refs = _posted(ledger, reason).astype(pd.StringDtype("pyarrow"))
    return refs.str.replace(r"/[^#]*$", "", regex=True)


def _posted(ledger: pd.DataFrame, reason: str) -> pd.Series:
    """The references posted for `reason` (a column, not a set: `among` searches it in C)."""
    return ledger.loc[ledger["reason"] == reason, "reference"]


def _movements(time, sku, change, reason: str, reference, note) -> pd.DataFrame:
    frame = pd.DataFrame({"time": time, "sku": sku, "change": change, "reason": reason,
                          "reference": reference, "note": note})
    return frame[MOVEMENT_COLUMNS]


def sales(lines: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """A `sale` (−qty) for each paid stock line (see listings.stock_lines) not posted yet."""
    sold = lines[among(lines["status"], SOLD)]
    todo = ~among(sold["reference"], _posted(ledger, Reason.SALE))
    rows = sold[todo.to_numpy()]
    when = rows["paid"].fillna(rows["created"])
    return _movements(when, rows["sku"], -rows["qty"].astype("int64"), Reason.SALE,
                      rows["reference"], "Order " + rows["order_id"].astype(str))


def reversals(lines: pd.DataFrame, ledger: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """A `cancel` (+qty) for each sold stock line undone before shipping, once."""
    undone = lines[among(lines["status"], UNDONE) & lines["shipped"].isna()]
    ref = undone["reference"]
    todo = among(ref, _posted(ledger, Reason.SALE)) & ~among(ref, _posted(ledger, Reason.CANCEL))
    rows = undone[todo.to_numpy()]
    return _movements(pd.Timestamp(now), rows["sku"], rows["qty"].astype("int64"), Reason.CANCEL,
                      rows["reference"], rows["status"].str.capitalize() + " before shipping")


def receipts(pos: pd.DataFrame, ledger: pd.DataFrame, now: dt.datetime) -> tuple[
        pd.DataFrame, pd.DataFrame]:
    """`receipt` movements for received PO quantities not posted yet; and PO lines whose
    received quantity fell below what was already posted (for the user to check). A line
    whose Received date is still to come is not posted before that day."""
    got = pos[pos["received_qty"].fillna(0) > 0]
    if "received" in got:
        got = got[~(got["received"] > pd.Timestamp(now))]
    posted = ledger[ledger["reason"] == Reason.RECEIPT].groupby(["reference", "sku"])[
        "change"].sum()
    keys = pd.MultiIndex.from_arrays([got["po_no"], got["sku"]])
    already = posted.reindex(keys).fillna(0).to_numpy()
    received = got.groupby(["po_no", "sku"])["received_qty"].transform("sum").to_numpy()
    # one PO may list a SKU on several lines: post per (PO, SKU), once
    first = ~pd.Series(list(zip(got["po_no"], got["sku"])), index=got.index).duplicated()
    delta = pd.Series(received - already, index=got.index)
    todo = first & (delta > 0)
    when = got["received"].fillna(pd.Timestamp(now)) if "received" in got else pd.Timestamp(now)
    moves = _movements(when[todo], got.loc[todo, "sku"], delta[todo].astype("int64"),
                       Reason.RECEIPT, got.loc[todo, "po_no"], got.loc[todo, "supplier"]
                       .fillna(_("supplier")).astype(str).map(
                           lambda s: _("Received from {supplier}").format(supplier=s)))
    return moves, got[first & (delta < 0)]


def restocks(returns: pd.DataFrame, ledger: pd.DataFrame, known: set[str],
             parts: dict[str, list[tuple[str, int]]] | None = None,
             now: dt.datetime | None = None) -> pd.DataFrame:
    """A `return` (+qty) for each resellable return received back (by `now`) and not
    restocked yet; a returned kit puts back its components, each under `RMA/COMPONENT`."""
    parts = parts or {}
    arrived = returns["received"].notna()
    if now is not None:
        arrived &= returns["received"] <= pd.Timestamp(now)
    todo = ((returns["condition"] == RESELLABLE) & arrived
            & among(returns["status"], RETURN_BACK)
            & (among(returns["sku"], known) | among(returns["sku"], list(parts))))
    rows = returns[todo]
    rows = rows[~among(rows["rma_no"], _posted(ledger, Reason.RETURN))]  # a plain return, posted
    posted = set(_posted(ledger, Reason.RETURN).dropna())
    moves = [(when, part, qty * n, f"{rma}/{part}", reason) if sku in parts else
             (when, sku, qty, rma, reason)
             for when, sku, qty, rma, reason in zip(rows["received"], rows["sku"], rows["qty"],
                                                    rows["rma_no"], rows["reason"])
             for part, n in parts.get(sku, [(sku, 1)])]
    moves = [m for m in moves if m[3] not in posted]  # a kit's parts, each posted once
    frame = pd.DataFrame(moves, columns=["time", "sku", "change", "reference", "reason"])
    return _movements(frame["time"], frame["sku"], frame["change"].astype("int64"), Reason.RETURN,
                      frame["reference"], frame["reason"].fillna(_("no reason given")).map(
                          lambda r: _("Return: {reason}").format(reason=r)))


def stock_levels(ledger: pd.DataFrame) -> pd.Series:
    """Current stock per SKU: the sum of movements, restarting at each SKU's latest count."""
    moves = ledger.dropna(subset=["sku", "change"]).sort_values("time", kind="stable")
    if moves.empty:
        return pd.Series(dtype="int64")
    position = pd.Series(range(len(moves)), index=moves.index)
    is_count = moves["reason"] == Reason.COUNT
    latest_count = position[is_count].groupby(moves.loc[is_count, "sku"]).max()
    start = moves["sku"].map(latest_count).fillna(-1)
    return moves[position >= start].groupby("sku")["change"].sum().astype("int64")


def last_movement(ledger: pd.DataFrame) -> pd.Series:
    """Date of each SKU's latest movement: the Products sheet's Last Updated."""
    return ledger.dropna(subset=["sku"]).groupby("sku")["time"].max().dt.normalize()
