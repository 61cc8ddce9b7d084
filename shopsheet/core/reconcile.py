"""Orders against what the platforms settled for them: the month's money, checked to the cent.

For each order the buyer paid in the period (status `PAID`: paid, shipped, delivered or
refunded), what the order says (line totals — quantity × unit price where a total is blank —
plus shipping) is set against the Settlements rows of the same order id (sales and refunds,
whenever they were settled):

    matched            settled = expected
    settled short      settled < expected (and why, when a refund explains it)
    settled over       settled > expected
    refunded           the order was refunded and its sale and refund settled to nothing
    refund not settled the order was refunded but the sale stands settled, no refund yet
    fee above rate     settled in full, but its fees (beside the sale, or rows naming the
                       order) came to more than its channel's usual rate that month — the
                       median of its orders' (three or more) — by over half a point
    not settled        nothing settled `wait_days` after payment
    waiting            nothing settled yet, within `wait_days` (not a difference)
    unknown order      a sale or refund settled in the period for an order Orders does not hold

Fees are the period's settled fees and commissions per channel, by kind: the fee beside a sale
or refund, fee rows and commission rows. Every amount is worked in whole cents; the period's
settled net per channel is the files' own total.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.language import N_, _
from shopsheet.core.membership import among
from shopsheet.core.money import cents
from shopsheet.core.words import PAID, Movement, Reconciled, Status

DIFFERENCES = (Reconciled.SHORT, Reconciled.OVER, Reconciled.REFUND_PENDING,
               Reconciled.NOT_SETTLED, Reconciled.FEE_HIGH, Reconciled.UNKNOWN)
FEE_MARGIN = 0.005  # half a percentage point above the channel's usual rate
MIN_ORDERS = 3  # orders of a channel in the month before it has a usual rate
ORDER_COLUMNS = ["channel", "order_id", "paid", "expected", "settled", "difference", "result",
                 "reason"]


def _cents(values: pd.Series) -> pd.Series:
    return values.map(lambda v: 0 if v is None or v != v else cents(v)).astype("int64")


def expected_cents(orders: pd.DataFrame) -> pd.DataFrame:
    """Per order id: channel, paid time (else created), status and what the buyer paid, in
    cents (line totals, quantity × unit price where blank, plus shipping)."""
    lines = orders.assign(
        _total=_cents(orders["line_total"].where(orders["line_total"].notna(),
                                                 orders["qty"] * orders["unit_price"])),
        _ship=_cents(orders["shipping_fee"]),
        _when=orders["paid"].where(orders["paid"].notna(), orders["created"]))
    grouped = lines.groupby("order_id", sort=False)
    return pd.DataFrame({"channel": grouped["channel"].first(), "paid": grouped["_when"].min(),
                         "status": grouped["status"].agg(_status),
                         "expected": grouped["_total"].sum() + grouped["_ship"].sum()})


def _status(statuses: pd.Series) -> str:
    """An order's status for the money: refunded only when every line was."""
    return Status.REFUNDED if (statuses == Status.REFUNDED).all() else statuses.iloc[0]


def reconcile(orders: pd.DataFrame, settlements: pd.DataFrame, start: pd.Timestamp,
              end: pd.Timestamp, today: dt.date, wait_days: int
              ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(one row per order paid in [start, end) and per unknown settled order, the fees per
    channel and kind, the settled net per channel and type) for the period."""
    paid = orders[among(orders["status"], PAID)]
    want = expected_cents(paid)
    want = want[(want["paid"] >= start) & (want["paid"] < end)]
    money = settlements.assign(_gross=_cents(settlements["gross"]),
                               _fee=_cents(settlements["fee"]),
                               _net=_cents(settlements["net"]))
    moved = money[among(money["type"], (Movement.SALE, Movement.REFUND))]
    sold = moved[moved["type"] == Movement.SALE].groupby("order_id")["_gross"].sum()
    back = moved[moved["type"] == Movement.REFUND].groupby("order_id")["_gross"].sum()
    charged = money[money["order_id"].notna()].groupby("order_id")["_fee"].sum()
    kept = want.index[want["status"] != Status.REFUNDED]
    rate = (-charged / sold.where(sold > 0)).dropna()  # fee per yuan sold, per order
    rate = rate[among(rate.index.to_series(), kept).to_numpy()]
    by_channel = rate.groupby(want["channel"].reindex(rate.index))
    usual = by_channel.median()[by_channel.size() >= MIN_ORDERS]  # a rate needs a few orders
    rows = []
    limit = pd.Timestamp(today) - pd.Timedelta(days=wait_days)
    for order_id, o in want.iterrows():
        s, r = int(sold.get(order_id, 0)), int(back.get(order_id, 0))
        result, reason = _judge(o, s, r, limit, wait_days)
        settled = s + r
        expected = 0 if o["status"] == Status.REFUNDED else int(o["expected"])
        difference = 0 if result in (Reconciled.MATCHED, Reconciled.REFUNDED, Reconciled.WAITING) \
            else settled - expected
        typical = usual.get(o["channel"])
        if result == Reconciled.MATCHED and order_id in rate.index and typical is not None and \
                rate[order_id] > typical + FEE_MARGIN:
            fee = int(-charged[order_id])
            difference = -(fee - round(typical * s))
            result, reason = Reconciled.FEE_HIGH, _(
                "fees ¥{fee} = {rate} of the sale; the channel's usual rate this month is "
                "{usual}").format(fee=f"{fee / 100:,.2f}", rate=f"{rate[order_id]:.2%}",
                                  usual=f"{typical:.2%}")
        rows.append((o["channel"], order_id, o["paid"], int(o["expected"]), settled, difference,
                     result, reason))
    in_period = money[(money["time"] >= start) & (money["time"] < end)]
    strangers = in_period[among(in_period["type"], (Movement.SALE, Movement.REFUND))
                          & in_period["order_id"].notna()
                          & ~among(in_period["order_id"], orders["order_id"])]
    for order_id, s in strangers.groupby("order_id", sort=True):
        settled = int(s["_gross"].sum())
        rows.append((s["channel"].iloc[0], order_id, s["time"].min(), 0, settled, settled,
                     Reconciled.UNKNOWN, _("settled by {provider}; not in Orders — an order of "
                                           "another shop, or an export not imported yet").format(
                         provider=s["provider"].iloc[0])))
    checked = pd.DataFrame(rows, columns=ORDER_COLUMNS)
    return checked, _fees(in_period), _nets(in_period)


def _judge(o: pd.Series, sold: int, back: int, limit: pd.Timestamp,
           wait_days: int) -> tuple[str, str]:
    expected, settled = int(o["expected"]), sold + back
    if o["status"] == Status.REFUNDED:
        if sold and not back:
            return Reconciled.REFUND_PENDING, _(
                "refunded in Orders, but ¥{sold} stands settled and no refund has been").format(
                sold=f"{sold / 100:,.2f}")
        if settled:
            return (Reconciled.SHORT if settled < 0 else Reconciled.OVER), \
                _("refunded in Orders; its sale and refund do not cancel out")
        return Reconciled.REFUNDED, _("refunded; sale and refund settled to nothing") if sold \
            else _("refunded before anything was settled")
    if not sold and not back:
        if o["paid"] < limit:
            return Reconciled.NOT_SETTLED, _("nothing settled {days} days after payment").format(
                days=wait_days)
        return Reconciled.WAITING, _("not settled yet")
    if settled == expected:
        return Reconciled.MATCHED, ""
    if settled < expected:
        why = _("partly refunded (¥{amount})").format(amount=f"{-back / 100:,.2f}") if back \
            else _("¥{amount} less than the order's total").format(
                amount=f"{(expected - settled) / 100:,.2f}")
        return Reconciled.SHORT, why
    return Reconciled.OVER, _("¥{amount} more than the order's total").format(
        amount=f"{(settled - expected) / 100:,.2f}")


def _fees(rows: pd.DataFrame) -> pd.DataFrame:
    """Per channel: payment fees beside sales and refunds, fee rows, commission rows (cents)."""
    kind = rows["type"].map({Movement.FEE: N_("fees"), Movement.COMMISSION: N_("commission")}) \
        .fillna(N_("payment fees"))
    charged = rows.assign(_kind=kind)
    charged = charged[charged["_fee"] != 0]
    return charged.groupby(["channel", "_kind"])["_fee"].sum().rename("fee").reset_index() \
        .rename(columns={"_kind": "kind"})


def _nets(rows: pd.DataFrame) -> pd.DataFrame:
    """The period's settled net per channel and type, in cents: the files' own totals."""
    return rows.groupby(["channel", "type"])["_net"].sum().rename("net").reset_index()
