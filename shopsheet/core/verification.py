"""Verify new orders before they are packed: the guide's checks and red flags.

Checks (an order that fails one is not ready):
- payment received — the order is paid (an unpaid order is checked again on the next run);
- address complete — recipient, phone and address are there;
- stock available — noted on the line when the shelf cannot cover it (the pick list lists such
  orders apart), not a reason to hold the order;
- every line maps to a product — a line no SKU or Listings row names (`unmapped`) holds the
  order: nobody can pick it until the owner says what it is.
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

from shopsheet.core.frames import blank
from shopsheet.core.language import N_, _
from shopsheet.core.ledger import line_reference
from shopsheet.core.membership import among
from shopsheet.core.picking import express_method
from shopsheet.core.words import OPEN_ORDER, Status, unmapped_mark

RUSH_WORDS = ("加急", "急用", "尽快", "urgent", "asap", "overnight", "次日达")


def _customer(orders: pd.DataFrame) -> pd.Series:
    return orders["phone"].fillna(orders["customer"]).fillna("?").astype(str)


class _History:
    """What the shop already knows about today's customers and SKUs, worked out once per run
    and only for them (a year of history, looked at for the few hundred orders to judge)."""

    def __init__(self, orders: pd.DataFrame, history: pd.DataFrame, who: pd.Series,
                 lines: pd.DataFrame):
        mine = among(who, set(who[lines.index]))
        created = orders.loc[mine, "created"]
        self.first_seen = created.groupby(who[mine]).min().to_dict()
        self.per_day = orders.loc[mine, "order_id"].groupby(
            [who[mine], created.dt.normalize()]).nunique().to_dict()
        skus = set(lines["sku"].dropna())
        past = history[among(history["sku"], skus)]
        self.usual = past.groupby("sku")["qty"].median().to_dict()
        # orders of several lines, counted among the lines of orders that had these SKUs
        order_ids = history["order_id"]
        related = order_ids[among(order_ids, set(past["order_id"].dropna()))]
        multi = past[past["order_id"].map(related.value_counts()).gt(1).to_numpy()]
        # built by hand: `agg(set)` gives lists when pandas keeps text in Arrow (pyarrow installed)
        self.orders_of = {sku: set(ids) for sku, ids in multi.groupby("sku")["order_id"]}
        self.has_history = len(history) > 0

    def bought_together(self, a: str, b: str) -> bool:
        return bool(self.orders_of.get(a, set()) & self.orders_of.get(b, set()))


def verify(orders: pd.DataFrame, stock: pd.Series, posted: pd.Series | set[str],
           large_first_order: float, moves: pd.DataFrame | None = None,
           unmapped: pd.Series | None = None) -> pd.DataFrame:
    """Per line still to verify: `flags` (reasons, '; '-joined) and `verified` (True/False/NA).

    `stock` is Current Stock per SKU; `posted` the ledger references already posted, so a line
    whose sale is already in the ledger is not counted against the shelf twice. `moves` are the
    stock lines (`listings.stock_lines`: what each line takes, a kit as its parts; by default
    each line its own SKU); a line `unmapped` (by row) holds its order until it is mapped.
    """
    todo = orders["verified"].isna() & among(orders["status"], OPEN_ORDER) & \
        orders["shipped"].isna()
    lines = orders[todo]
    if lines.empty:
        return pd.DataFrame(columns=["flags", "verified"])
    who = _customer(orders)
    # the history of the three columns looked at only, not every column of a year
    known = _History(orders, orders.loc[~todo, ["order_id", "sku", "qty"]], who, lines)
    if moves is None:
        moves = lines.assign(reference=line_reference(lines))
    moves = moves[among(moves.index.to_series(), lines.index).to_numpy()]
    already = moves[among(moves["reference"], posted).to_numpy()].groupby("sku")["qty"].sum()
    left = stock.astype("int64").add(already, fill_value=0).astype("int64").to_dict()
    needs: dict[object, dict[str, int]] = {}
    for order_id, sku, qty in zip(moves["order_id"], moves["sku"], moves["qty"]):
        mine = needs.setdefault(order_id, {})
        mine[sku] = mine.get(sku, 0) + (0 if blank(qty) else int(qty))
    lost = set() if unmapped is None else set(unmapped.index[unmapped.to_numpy()])
    by_order: dict[object, list[dict]] = {}
    ordered = lines.sort_values("created", kind="stable")
    for row, record in zip(ordered.index, ordered.to_dict("records")):
        record["_row"], record["_who"] = row, who[row]
        by_order.setdefault(record["order_id"], []).append(record)
    flags, verified = {}, {}
    for mine in by_order.values():
        found, hold = _order_reasons(known, mine, large_first_order)
        names = [str(line["product"] or line["sku"]) for line in mine if line["_row"] in lost]
        if names and mine[0]["status"] != Status.PENDING:
            found.append(_("{flag}: {names} — add a Listings row").format(
                flag=unmapped_mark(), names=", ".join(names)))
            hold = True
        need = needs.get(mine[0]["order_id"], {})
        for sku, qty in sorted(need.items(), key=lambda kv: str(kv[0])):
            if mine[0]["status"] == Status.PAID and qty > left.get(sku, 0):
                found.append(_("stock short for {sku}").format(sku=sku))
            left[sku] = left.get(sku, 0) - qty
        for line in mine:
            flags[line["_row"]] = "; ".join(found) or None
            verified[line["_row"]] = None if line["status"] == Status.PENDING else not hold
    result = pd.DataFrame({"flags": [flags[i] for i in lines.index],
                           "verified": [verified[i] for i in lines.index]}, index=lines.index)
    result["verified"] = result["verified"].astype("boolean")
    return result


def _qty(line: dict) -> int:
    """A line's quantity, a blank counting as none (as a pandas sum would)."""
    return 0 if blank(line["qty"]) else line["qty"]


def _order_reasons(known: _History, mine: list[dict], large_first_order) -> tuple[
        list[str], bool]:
    first = mine[0]
    reasons, hold = [], False
    if first["status"] == Status.PENDING:
        return [_("payment not received")], False
    missing = [_(label) for label, col in ((N_("recipient"), "customer"), (N_("phone"), "phone"),
                                           (N_("address"), "address")) if blank(first[col])]
    if missing:
        reasons.append(_("address incomplete: no {missing}").format(missing=_(", ").join(missing)))
        hold = True
    customer = first["_who"]
    total = sum((_qty(line) * (0 if blank(line["unit_price"]) else line["unit_price"]))
                if blank(line["line_total"]) else line["line_total"] for line in mine)
    if known.first_seen[customer] >= first["created"] and total > large_first_order:
        reasons.append(_("large first order from a new customer (¥{total})").format(
            total=f"{total:,.0f}"))
    billing, address = first["billing_address"], first["address"]
    if not blank(billing) and not blank(address) and _norm(billing) != _norm(address):
        reasons.append(_("shipping and billing address differ"))
    note = "" if blank(first["buyer_note"]) else str(first["buyer_note"]).lower()
    if any(express_method(line["shipping_method"]) for line in mine) or \
            any(w in note for w in RUSH_WORDS):
        reasons.append(_("overnight/express requested"))
    same_day = known.per_day.get((customer, first["created"].normalize()), 1)
    if same_day > 1:
        reasons.append(_("{n} orders from this customer today").format(n=same_day))
    reasons += _unusual(known, mine)
    return reasons, hold or len(reasons) > 0


def _unusual(known: _History, mine: list[dict]) -> list[str]:
    found = []
    for line in mine:
        sku, qty = line["sku"], _qty(line)
        if sku in known.usual and qty >= max(5, 5 * known.usual[sku]):
            found.append(_("unusual quantity: {qty} × {sku}").format(qty=qty, sku=sku))
    skus = sorted({line["sku"] for line in mine if not blank(line["sku"])})
    if len(skus) >= 3 and known.has_history and \
            not any(known.bought_together(a, b) for a, b in itertools.combinations(skus, 2)):
        found.append(_("unusual combination: {skus} never bought together").format(
            skus=", ".join(skus)))
    return found


def _norm(text: str) -> str:
    return "".join(str(text).split()).lower()
