"""`shopops shipping-costs`: a carrier's bill into Expenses, each cost on the order it shipped.

Each line of the bill (tracking number, cost, date, carrier) becomes an Expenses row of
category shipping, linked to the order whose Tracking No it is, so `profit` takes the cost off
that order. A tracking number already billed is not added again; one no order carries is still
recorded (the money was spent), unlinked, and named. Every bad cell is named and nothing is
written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.core.language import _, counted
from shopsheet.core.membership import among
from shopsheet.core.money import total_cents
from shopsheet.core.problems import Problem
from shopsheet.importers import read_carrier_invoice
from shopsheet.routines.common import Result, finish, prepare

SHIPPING = "shipping"  # the Expenses category (core.words.EXPENSE_CATEGORIES)


def shipping_costs(book: Book, now: dt.datetime, *, path: Path, log: bool = True) -> Result:
    """The carrier's bill at `path` into Expenses, each line once."""
    settings, _unused = book.settings()
    bill, problems = read_carrier_invoice(Path(path), settings.import_limit_mb)
    name = Path(path).name
    if problems:
        n = len(problems)
        return Result("shipping-costs", _("{names}: nothing recorded, {problems}").format(
            names=name, problems=counted("{n} problem", "{n} problems", n)), problems)
    if "Expenses" not in book.sheet_names():
        return Result("shipping-costs", _("{book} has no Expenses sheet: nothing recorded")
                      .format(book=book.name), [Problem("Expenses", message=_(
                          "the workbook has no Expenses sheet; run `shopops upgrade {book}` to "
                          "add it").format(book=book.name))])
    frames, _unused, failed = prepare(book, ("Orders", "Expenses"), "shipping-costs")
    if failed:
        return failed
    orders, spent = frames["Orders"], frames["Expenses"]
    billed = spent.loc[spent["category"] == SHIPPING, "tracking_no"]
    bill = bill.drop_duplicates("tracking_no", keep="last")
    new = bill[~among(bill["tracking_no"], billed).to_numpy()]
    shipped = orders.dropna(subset=["tracking_no"]).drop_duplicates("tracking_no") \
        .set_index("tracking_no")["order_id"]
    order = new["tracking_no"].map(shipped)
    when = new["date"].fillna(pd.Timestamp(now.date())).dt.normalize()
    rows = pd.DataFrame({"date": when.to_numpy(), "category": SHIPPING,
                         "amount": new["cost"].astype(float).to_numpy(),
                         "supplier": new["carrier"].to_numpy(), "order_id": order.to_numpy(),
                         "tracking_no": new["tracking_no"].to_numpy(),
                         "note": _("carrier bill {file}").format(file=name)})
    if len(rows):
        book.append("Expenses", rows)
    total = Decimal(total_cents(rows["amount"])) / 100
    result = Result("shipping-costs", _("Shipping costs from {file}: {new} new, {known} already "
                                        "recorded, ¥{total}").format(
        file=name, new=len(rows), known=len(bill) - len(new), total=f"{total:,.2f}"),
                    figures={"new": len(rows)})
    lost = rows[rows["order_id"].isna()]
    if len(lost):
        result.alerts.append(_("{numbers} on no order (recorded, not linked): {list}").format(
            numbers=counted("{n} tracking number", "{n} tracking numbers", len(lost)),
            list=", ".join(lost["tracking_no"][:8])))
    return finish(book, result, now, log)
