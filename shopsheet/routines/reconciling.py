"""`shopops reconcile`: the month's orders against what the platforms settled for them.

Reads Orders and Settlements (`core/reconcile.py` does the matching, in cents) and rewrites the
Reconciliation sheet: every order of the month with what it says, what was settled, the
difference and the reason — differences first —, the fees per channel and kind, and the settled
net per channel and type (the settlement files' own totals). Differences are findings, not
problems in the workbook: the run succeeds and lists them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.core.frames import same_table
from shopsheet.core.kpi import Period
from shopsheet.core.language import _, counted
from shopsheet.core.problems import Problem
from shopsheet.core.reconcile import DIFFERENCES, reconcile
from shopsheet.core.words import CHANNELS, MOVEMENTS, RECONCILED, Reconciled, say
from shopsheet.routines.common import Result, finish, prepare


def _yuan(cents: int) -> str:
    return f"¥{Decimal(int(cents)) / 100:,.2f}"


def reconcile_month(book: Book, now: dt.datetime, *, month: dt.date | None = None,
                    log: bool = True) -> Result:
    """Reconcile `month` (the current month so far when None)."""
    if "Settlements" not in book.sheet_names() or "Reconciliation" not in book.sheet_names():
        return Result("reconcile", _("{book} cannot be reconciled yet: nothing written").format(
            book=book.name), [Problem("Settlements", message=_(
                "the workbook has no Settlements or Reconciliation sheet; run `shopops upgrade "
                "{book}` to add them").format(book=book.name))])
    frames, settings, failed = prepare(book, ("Orders", "Settlements", "Reconciliation"),
                                       "reconcile")
    if failed:
        return failed
    period = Period.month_of(month or now.date())
    end = min(period.end, pd.Timestamp(now.date()) + pd.Timedelta(days=1))
    checked, fees, nets = reconcile(frames["Orders"], frames["Settlements"], period.start,
                                    end, now.date(), settings.settle_wait_days)
    view = _sheet_rows(checked, fees, nets)
    if not same_table(frames["Reconciliation"][view.columns], view):  # else nothing to say
        book.replace("Reconciliation", view)
    counts = checked["result"].value_counts()
    said = []
    for result in (Reconciled.MATCHED, Reconciled.REFUNDED, *DIFFERENCES, Reconciled.WAITING):
        n = int(counts.get(result, 0))
        if n:
            amount = int(checked.loc[checked["result"] == result, "difference"].sum())
            said.append(f"{n} {say(result, RECONCILED)}"
                        + (f" ({_yuan(amount)})" if amount else ""))
    orders = int((checked["result"] != Reconciled.UNKNOWN).sum())
    summary = _("Reconciled {month}: {orders} — {results}; fees {fees}; settled net {net}").format(
        month=f"{period.start:%Y-%m}", orders=counted("{n} order", "{n} orders", orders),
        results=_(", ").join(said) or _("nothing to reconcile"),
        fees=_yuan(int(fees["fee"].sum())), net=_yuan(int(nets["net"].sum())))
    result = Result("reconcile", summary, figures={
        "orders": orders, "differences": int(checked["result"].isin(DIFFERENCES).sum())})
    for row in checked[checked["result"].isin(DIFFERENCES)].head(8).itertuples():
        result.alerts.append(f"{row.order_id} ({say(row.channel, CHANNELS)}): "
                             f"{say(row.result, RECONCILED)}, {_yuan(row.difference)} — "
                             f"{row.reason}")
    return finish(book, result, now, log)


def _sheet_rows(checked: pd.DataFrame, fees: pd.DataFrame, nets: pd.DataFrame) -> pd.DataFrame:
    """The Reconciliation sheet: orders (differences first), fees, settled totals; yuan."""
    first = checked["result"].isin(DIFFERENCES).map({True: 0, False: 1})
    orders = checked.assign(_first=first).sort_values(["_first", "paid", "order_id"],
                                                     kind="stable")
    def channel(values: pd.Series) -> pd.Series:
        return values.map(lambda c: say(c, CHANNELS))

    rows = [pd.DataFrame({
        "section": _("Orders"), "channel": channel(orders["channel"]),
        "order_id": orders["order_id"], "date": orders["paid"],
        "expected": orders["expected"] / 100, "settled": orders["settled"] / 100,
        "difference": orders["difference"] / 100,
        "result": orders["result"].map(lambda r: say(r, RECONCILED)),
        "reason": orders["reason"].replace("", None)})]
    if len(fees):
        rows.append(pd.DataFrame({"section": _("Fees"), "channel": channel(fees["channel"]),
                                  "settled": fees["fee"] / 100,
                                  "result": fees["kind"].map(_)}))
    if len(nets):
        rows.append(pd.DataFrame({"section": _("Settled"), "channel": channel(nets["channel"]),
                                  "settled": nets["net"] / 100,
                                  "result": nets["type"].map(lambda t: say(t, MOVEMENTS))}))
        totals = nets.groupby("channel")["net"].sum()
        rows.append(pd.DataFrame({"section": _("Settled"),
                                  "channel": channel(totals.index.to_series()).to_numpy(),
                                  "settled": totals.to_numpy() / 100, "result": _("net"),
                                  "reason": _("the settlement files' own total")}))
    columns = ["section", "channel", "order_id", "date", "expected", "settled", "difference",
               "result", "reason"]
    return pd.concat([r.reindex(columns=columns) for r in rows], ignore_index=True)
