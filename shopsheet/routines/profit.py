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
from shopsheet.core.language import N_, _, counted
from shopsheet.core.profit import month_totals, order_profit, sku_matrix, unit_costs
from shopsheet.core.words import CHANNELS, say
from shopsheet.routines.common import Result, prepare

SHEETS = ("Products", "Orders", "StockLedger", "PurchaseOrders", "Settlements", "Expenses")


# the month's P&L, line by line: the totals' key and its label
PL_LINES = (("revenue", N_("revenue")), ("refunds", N_("− refunds")),
            ("fees", N_("− platform fees and commission")),
            ("cost", N_("− cost of goods (moving average)")),
            ("shipping", N_("− shipping billed per order")),
            ("packaging", N_("− packaging per order sent")),
            ("other_fees", N_("− fees naming no order")), ("expenses", N_("− expenses")),
            ("profit", N_("= net profit")))


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
    result = Result("profit", _("Profit {month}: {profit} on revenue {revenue} from "
                                "{orders}").format(
        month=f"{period.start:%Y-%m}", profit=_yuan(totals["profit"]),
        revenue=_yuan(totals["revenue"]), orders=counted("{n} order", "{n} orders", len(per))),
                    figures={k: v / 100 for k, v in totals.items()})
    result.alerts += [f"{_(label)}: {_yuan(totals[key])}" for key, label in PL_LINES]
    if estimated:
        result.alerts.append(_("fees of {orders} estimated at {rate} (nothing settled for them "
                               "yet: run settle)").format(
            orders=counted("{n} order", "{n} orders", estimated),
            rate=f"{settings.commission:.0%}"))
    for channel, mine in per.groupby("channel"):
        result.alerts.append(_("{channel}: {orders}, revenue {revenue}, profit {profit}").format(
            channel=say(channel, CHANNELS), orders=counted("{n} order", "{n} orders", len(mine)),
            revenue=_yuan(mine["revenue"].sum()), profit=_yuan(mine["profit"].sum())))
    for order_id, row in per[per["profit"] < 0].sort_values("profit").head(5).iterrows():
        result.alerts.append(_("order {order} ({channel}) lost {amount}").format(
            order=order_id, channel=say(row["channel"], CHANNELS),
            amount=_yuan(-row["profit"])))
    weeks = weekly(f["Settlements"], f["PurchaseOrders"], f["Expenses"], period.start, end)
    for week, row in weeks.iterrows():
        result.alerts.append(_("cash, week of {week}: in {cash_in}, out {cash_out}, net "
                               "{net}").format(week=f"{week:%m-%d}", cash_in=_yuan(row["in"]),
                                               cash_out=_yuan(row["out"]),
                                               net=_yuan(row["net"])))
    for week, amount in due(f["PurchaseOrders"], now.date()).items():
        if amount:
            result.alerts.append(_("due, week of {week}: open purchase orders {amount}").format(
                week=f"{week:%m-%d}", amount=_yuan(amount)))
    for sku, row in matrix.head(10).iterrows():
        margin = "—" if pd.isna(row["margin"]) else f"{row['margin']:.0%}"
        result.alerts.append(_("{sku}: {units}, margin {margin} — {quadrant}").format(
            sku=sku, units=counted("{n} unit", "{n} units", int(row["units"])), margin=margin,
            quadrant=_(row["quadrant"])))
    return result
