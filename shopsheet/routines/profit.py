"""`shopops profit`: a month's profit per order, channel and SKU, and the month's P&L.

`core/profit.py` works it out in cents from Orders, Settlements, the StockLedger with the
purchase orders' unit costs, Products and Expenses; this routine says it: the P&L lines, each
channel, the orders that lost money, cash by week with what open purchase orders will cost in
the next four weeks (`core/cashflow.py`), and the product profitability matrix. It writes
nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.core.cashflow import due, weekly
from shopsheet.core.kpi import Period
from shopsheet.core.profit import month_totals, order_profit, sku_matrix, unit_costs
from shopsheet.routines.common import Result, prepare

SHEETS = ("Products", "Orders", "StockLedger", "PurchaseOrders", "Settlements", "Expenses")


def _yuan(amount: int) -> str:
    return f"¥{Decimal(int(amount)) / 100:,.2f}"


def profit(book: Book, now: dt.datetime, *, month: dt.date) -> Result:
    """The P&L of `month` (a date in it)."""
    frames, settings, failed = prepare(book, SHEETS, "profit")
    if failed:
        return failed
    period = Period.month_of(month)
    end = min(period.end, pd.Timestamp(now.date()) + pd.Timedelta(days=1))
    f = frames
    per = order_profit(f["Orders"], f["Settlements"], f["StockLedger"], f["PurchaseOrders"],
                       f["Products"], f["Expenses"], period.start, end, settings.commission,
                       settings.packaging_per_order)
    totals = month_totals(per, f["Settlements"], f["Expenses"], period.start, end)
    costs = unit_costs(f["StockLedger"], f["PurchaseOrders"], f["Products"])
    matrix = sku_matrix(f["Orders"], f["StockLedger"], costs, period.start, end)
    estimated = int(per["estimated"].sum())
    result = Result("profit", f"Profit {period.start:%Y-%m}: {_yuan(totals['profit'])} on "
                              f"revenue {_yuan(totals['revenue'])} from {len(per)} orders",
                    figures={k: v / 100 for k, v in totals.items()})
    lines = [("revenue", totals["revenue"]), ("− refunds", totals["refunds"]),
             ("− platform fees and commission", totals["fees"]),
             ("− cost of goods (moving average)", totals["cost"]),
             ("− shipping billed per order", totals["shipping"]),
             ("− packaging per order sent", totals["packaging"]),
             ("− fees naming no order", totals["other_fees"]),
             ("− expenses", totals["expenses"]), ("= net profit", totals["profit"])]
    result.alerts += [f"{label}: {_yuan(amount)}" for label, amount in lines]
    if estimated:
        result.alerts.append(f"fees of {estimated} order{'s' * (estimated != 1)} estimated at "
                             f"{settings.commission:.0%} (nothing settled for them yet: run "
                             "settle)")
    for channel, mine in per.groupby("channel"):
        result.alerts.append(f"{channel}: {len(mine)} orders, revenue "
                             f"{_yuan(mine['revenue'].sum())}, profit "
                             f"{_yuan(mine['profit'].sum())}")
    for order_id, row in per[per["profit"] < 0].sort_values("profit").head(5).iterrows():
        result.alerts.append(f"order {order_id} ({row['channel']}) lost {_yuan(-row['profit'])}")
    weeks = weekly(f["Settlements"], f["PurchaseOrders"], f["Expenses"], period.start, end)
    for week, row in weeks.iterrows():
        result.alerts.append(f"cash, week of {week:%m-%d}: in {_yuan(row['in'])}, out "
                             f"{_yuan(row['out'])}, net {_yuan(row['net'])}")
    for week, amount in due(f["PurchaseOrders"], now.date()).items():
        if amount:
            result.alerts.append(f"due, week of {week:%m-%d}: open purchase orders "
                                 f"{_yuan(amount)}")
    for sku, row in matrix.head(10).iterrows():
        margin = "—" if pd.isna(row["margin"]) else f"{row['margin']:.0%}"
        result.alerts.append(f"{sku}: {int(row['units'])} units, margin {margin} — "
                             f"{row['quadrant']}")
    return result
