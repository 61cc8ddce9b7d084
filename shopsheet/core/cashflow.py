"""Cash by week, in whole cents: what came in, what went out, and what is due.

    in       settled net by the week it was settled (Settlements rows except payouts, which
             only move the shop's own money from a platform balance to the bank)
    out      goods received that week at their PO unit cost (paid on receipt) and the week's
             Expenses rows
    due      the weeks ahead: what open purchase orders (ordered or partly received) still
             cost, in the week they are expected (this week when no date is given)

Weeks run Monday to Sunday.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.membership import among
from shopsheet.core.money import cents
from shopsheet.core.words import ORDERED_PO, Movement


def _cents(values: pd.Series) -> pd.Series:
    return values.map(lambda v: 0 if v is None or v != v else cents(v)).astype("int64")


def _monday(times: pd.Series) -> pd.Series:
    days = pd.to_datetime(times).dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def weekly(settlements: pd.DataFrame, pos: pd.DataFrame, expenses: pd.DataFrame,
           start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per week (its Monday) touching [start, end): in, out and net, cents."""
    money = settlements[(settlements["time"] >= start) & (settlements["time"] < end)
                        & (settlements["type"] != Movement.PAYOUT)]
    got = pos[pos["received"].notna() & (pos["received"] >= start) & (pos["received"] < end)]
    paid = _cents(got["unit_cost"]) * got["received_qty"].fillna(0).astype("int64")
    spent = expenses[(expenses["date"] >= start) & (expenses["date"] < end)]
    weeks = pd.date_range(_monday(pd.Series([start])).iloc[0], end - pd.Timedelta(days=1),
                          freq="W-MON")
    cash_in = _cents(money["net"]).groupby(_monday(money["time"])).sum()
    cash_out = pd.concat([paid.groupby(_monday(got["received"])).sum(),
                          _cents(spent["amount"]).groupby(_monday(spent["date"])).sum()]) \
        .groupby(level=0).sum()
    table = pd.DataFrame({"in": cash_in, "out": cash_out}).reindex(weeks).fillna(0) \
        .astype("int64")
    table["net"] = table["in"] - table["out"]
    table.index.name = "week"
    return table


def due(pos: pd.DataFrame, today: dt.date, weeks: int = 4) -> pd.Series:
    """Per week from this one, for `weeks` weeks: what open POs still cost, cents."""
    open_ = pos[among(pos["status"], ORDERED_PO)]
    left = (open_["qty"].fillna(0) - open_["received_qty"].fillna(0)).clip(lower=0) \
        .astype("int64")
    owed = _cents(open_["unit_cost"]) * left
    this = _monday(pd.Series([pd.Timestamp(today)])).iloc[0]
    when = _monday(open_["expected"].fillna(pd.Timestamp(today))).clip(lower=this)
    ahead = pd.date_range(this, periods=weeks, freq="W-MON")
    return owed.groupby(when).sum().reindex(ahead).fillna(0).astype("int64")
