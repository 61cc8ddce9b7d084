"""`shopops settle`: the platforms' and payment providers' settlement files into Settlements.

Each file is detected from its headers (Shopify Payments, Alipay 账务明细, WeChat Pay 交易账单,
Xiaohongshu 千帆 结算明细); every row is checked against the Settlements sheet's model, and one
bad cell anywhere means nothing is written. A row already in the sheet (same transaction id)
is not added again, so the same file, or two overlapping ones, can be given any number of
times. The totals said are added up in cents, per currency.
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
from shopsheet.core.words import MOVEMENTS, say
from shopsheet.importers import read_settlements
from shopsheet.importers.values import today_zone
from shopsheet.routines.common import Result, finish, prepare


def import_settlements(book: Book, now: dt.datetime, *, paths: list[Path],
                       log: bool = True) -> Result:
    """Settlement rows from `paths` into the Settlements sheet, each once."""
    early = book.settings()[0]
    batch = read_settlements(paths, today_zone(early.time_zone), early.import_limit_mb)
    names = ", ".join(Path(p).name for p in paths)
    if batch.problems:
        n = len(batch.problems)
        return Result("settle", _("{names}: nothing recorded, {problems}").format(
            names=names, problems=counted("{n} problem", "{n} problems", n)), batch.problems)
    if "Settlements" not in book.sheet_names():
        return Result("settle", _("{book} has no Settlements sheet: nothing recorded").format(
            book=book.name), [Problem("Settlements", message=_(
                "the workbook has no Settlements sheet; run `shopops upgrade {book}` to add it")
                .format(book=book.name))])
    frames, _unused, failed = prepare(book, ("Settlements",), "settle")
    if failed:
        return failed
    rows = batch.lines.drop_duplicates("transaction_id", keep="first")
    known = among(rows["transaction_id"], frames["Settlements"]["transaction_id"])
    new = rows[~known.to_numpy()]
    new = new.assign(source=[str(s).partition(", ")[0] for s in new["source"]])  # the file
    if len(new):
        book.append("Settlements", new.reset_index(drop=True))
    formats = "; ".join(f"{name} ({_(fmt)})" for name, fmt in batch.formats.items())
    result = Result("settle", _("Settled {formats}: {new}, {known} already recorded").format(
        formats=formats, new=counted("{n} new movement", "{n} new movements", len(new)),
        known=int(known.sum())) + _totals(new), figures={"new": len(new), "known": int(known.sum())})
    return finish(book, result, now, log)


def _totals(rows: pd.DataFrame) -> str:
    """`; sale ¥1,234.50, fee ¥-43.20 …` per currency, added up in cents."""
    if rows.empty:
        return ""
    said = []
    for currency, mine in rows.groupby(rows["currency"].fillna("CNY"), sort=True):
        sign = "¥" if currency == "CNY" else f"{currency} "
        for kind in MOVEMENTS:
            these = mine[mine["type"] == kind]
            if len(these):
                cents = total_cents(these["net"])
                said.append(f"{say(kind, MOVEMENTS)} {sign}{Decimal(cents) / 100:,.2f}")
    return _("; net by type: {totals}").format(totals=_(", ").join(said))
