"""Profit per order, SKU, channel and month, in whole cents.

    revenue      what the order says the buyer paid: line totals (qty × unit price where blank)
                 plus shipping
    refunds      what was settled back for it (Settlements); a refunded order with nothing
                 settled back yet counts its whole revenue
    fees         what was settled as fees and commission for it (the fee beside its sale or
                 refund, fee and commission rows naming it); with nothing settled, Settings'
                 commission rate × revenue, marked *estimated*
    cost         the cost of the units it took off the shelf, at the moving average cost of
                 each SKU when it was sold: every receipt moves the average by its PO's unit
                 cost (Products' Cost where a PO line has none, and for opening stock); a sale
                 undone before shipping gives its cost back
    shipping     Expenses rows that name the order (a carrier's bill per tracking number)
    packaging    Settings' packaging cost per order, for an order that was sent
    profit       revenue − refunds − fees − cost − shipping − packaging

The month: the orders paid in it, less fees settled in the month that name no order, less the
month's Expenses rows that name no order. The product profitability matrix sets each SKU's
margin against its units sold, each split at the median of the month's SKUs.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.core.language import N_
from shopsheet.core.ledger import line_reference
from shopsheet.core.membership import among
from shopsheet.core.money import cents
from shopsheet.core.reconcile import expected_cents
from shopsheet.core.words import PAID, Movement, Reason, Status

QUADRANTS = {(True, True): N_("star: keep in stock, feature it"),
             (True, False): N_("niche: high margin, few sold — promote it"),
             (False, True): N_("volume: sells, earns little — raise the price or the bundle"),
             (False, False): N_("review: little margin, few sold — fix or clear it")}


def _cents(values: pd.Series) -> pd.Series:
    return values.map(lambda v: 0 if v is None or v != v else cents(v)).astype("int64")


def unit_costs(ledger: pd.DataFrame, pos: pd.DataFrame, products: pd.DataFrame) -> pd.Series:
    """Per ledger row that sells or un-sells (reasons sale and cancel): the SKU's moving average
    unit cost, in cents, at that moment."""
    cost_of = dict(zip(products["sku"], _cents(products["cost"])))
    got = pos[pos["unit_cost"].notna()]
    po_cost = (got.assign(_c=_cents(got["unit_cost"]) * got["qty"].astype("int64"))
               .groupby(["po_no", "sku"]).agg(c=("_c", "sum"), q=("qty", "sum")))
    po_unit = (po_cost["c"] / po_cost["q"]).to_dict()
    found = {}
    moves = ledger.dropna(subset=["sku", "change"]).sort_values("time", kind="stable")
    for sku, rows in moves.groupby("sku", sort=False):
        qty, avg = 0, None
        base = cost_of.get(sku, 0)
        for row, reason, change, ref in zip(rows.index, rows["reason"], rows["change"],
                                            rows["reference"]):
            change = int(change)
            if reason == Reason.RECEIPT and change > 0:
                unit = po_unit.get((ref, sku), base)
                held, current = max(qty, 0), base if avg is None else avg
                avg = (held * current + change * unit) / (held + change)  # stock before: at cost
            elif reason in (Reason.SALE, Reason.CANCEL):
                found[row] = base if avg is None else avg
            qty += change
    return pd.Series(found, dtype="float64")


def order_costs(ledger: pd.DataFrame, costs: pd.Series) -> pd.Series:
    """Per order id: the cost of what its lines took off the shelf (sales less those undone),
    in cents."""
    moved = ledger[among(ledger["reason"], (Reason.SALE, Reason.CANCEL))]
    value = (-moved["change"].astype("int64") * costs.reindex(moved.index).fillna(0)).round()
    order = moved["reference"].astype(str).str.split("/").str[0].str.rsplit("#", n=1).str[0]
    return value.groupby(order).sum().astype("int64")


def order_profit(orders: pd.DataFrame, settlements: pd.DataFrame, ledger: pd.DataFrame,
                 pos: pd.DataFrame, products: pd.DataFrame, expenses: pd.DataFrame,
                 start: pd.Timestamp, end: pd.Timestamp, commission: float,
                 packaging: float = 0) -> pd.DataFrame:
    """One row per order paid in [start, end): channel, revenue, refunds, fees (and whether
    estimated), cost, shipping, packaging, profit — cents."""
    want = expected_cents(orders[among(orders["status"], PAID)])
    want = want[(want["paid"] >= start) & (want["paid"] < end)]
    money = settlements[settlements["order_id"].notna()]
    back = money[money["type"] == Movement.REFUND].groupby("order_id")["gross"] \
        .apply(lambda g: -int(_cents(g).sum()))
    fees = money.groupby("order_id")["fee"].apply(lambda g: -int(_cents(g).sum()))
    settled = set(money["order_id"])
    cost = order_costs(ledger, unit_costs(ledger, pos, products))
    out = want[["channel"]].copy()
    out["revenue"] = want["expected"].astype("int64")
    refunds = back.reindex(want.index)
    whole = want["expected"].where((want["status"] == Status.REFUNDED).to_numpy(), 0)
    out["refunds"] = refunds.where(refunds.notna(), whole).astype("int64")
    known = pd.Series([o in settled for o in want.index], index=want.index)
    estimate = (want["expected"] * commission).round().astype("int64")
    out["fees"] = fees.reindex(want.index).where(known, estimate).fillna(0).astype("int64")
    out["estimated"] = ~known
    out["cost"] = cost.reindex(want.index).fillna(0).astype("int64")
    linked = expenses[expenses["order_id"].notna()] if "order_id" in expenses else expenses[:0]
    shipping = _cents(linked["amount"]).groupby(linked["order_id"]).sum()
    out["shipping"] = shipping.reindex(want.index).fillna(0).astype("int64")
    sent = orders[orders["shipped"].notna()]["order_id"] if "shipped" in orders else []
    out["packaging"] = among(want.index.to_series(), sent).to_numpy() * cents(packaging)
    out["profit"] = out["revenue"] - out["refunds"] - out["fees"] - out["cost"] \
        - out["shipping"] - out["packaging"]
    return out


def sku_matrix(orders: pd.DataFrame, ledger: pd.DataFrame, costs: pd.Series,
               start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per SKU sold in [start, end) (by its lines' own SKU): units, revenue, cost, margin and its
    quadrant of the profitability matrix (margin and units each against the month's median)."""
    lines = orders[among(orders["status"], PAID) & (orders["paid"] >= start)
                   & (orders["paid"] < end) & orders["sku"].notna()]
    if lines.empty:
        return pd.DataFrame(columns=["units", "revenue", "cost", "margin", "quadrant"])
    revenue = _cents(lines["line_total"].where(lines["line_total"].notna(),
                                               lines["qty"] * lines["unit_price"]))
    sold = ledger[among(ledger["reason"], (Reason.SALE, Reason.CANCEL))]
    value = (-sold["change"].astype("int64") * costs.reindex(sold.index).fillna(0)).round()
    by_line = value.groupby(sold["reference"].astype(str).str.split("/").str[0]).sum()
    line_cost = by_line.reindex(line_reference(lines).to_numpy()).fillna(0).to_numpy()
    table = pd.DataFrame({"sku": lines["sku"].to_numpy(), "units": lines["qty"].astype("int64"),
                          "revenue": revenue.to_numpy(), "cost": line_cost}) \
        .groupby("sku").sum()
    table["cost"] = table["cost"].astype("int64")
    table["margin"] = ((table["revenue"] - table["cost"]) / table["revenue"].where(
        table["revenue"] > 0)).round(4)
    high_margin = table["margin"] >= table["margin"].median()
    high_units = table["units"] >= table["units"].median()
    table["quadrant"] = [QUADRANTS[(bool(m), bool(u))] for m, u in zip(high_margin, high_units)]
    return table.sort_values("revenue", ascending=False)


def month_totals(per_order: pd.DataFrame, settlements: pd.DataFrame, expenses: pd.DataFrame,
                 start: pd.Timestamp, end: pd.Timestamp) -> dict[str, int]:
    """The month's P&L in cents: the orders' sums, fees settled in the month naming no order,
    the month's expenses naming no order, and the net profit."""
    loose = settlements[settlements["order_id"].isna() & (settlements["time"] >= start)
                        & (settlements["time"] < end)
                        & among(settlements["type"], (Movement.FEE, Movement.COMMISSION))]
    spent = expenses[(expenses["date"] >= start) & (expenses["date"] < end)]
    if "order_id" in spent:  # a row naming an order is that order's cost
        spent = spent[spent["order_id"].isna()]
    totals = {k: int(per_order[k].sum()) for k in ("revenue", "refunds", "fees", "cost",
                                                    "shipping", "packaging")}
    totals["other_fees"] = -int(_cents(loose["fee"]).sum())
    totals["expenses"] = int(_cents(spent["amount"]).sum())
    totals["profit"] = totals["revenue"] - totals["refunds"] - totals["fees"] - totals["cost"] \
        - totals["shipping"] - totals["packaging"] - totals["other_fees"] - totals["expenses"]
    return totals
