"""Cycle counts: today's count sheet, and the counted figures back into the ledger."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.book.write.safety import side_file
from shopsheet.core.counting import count_differences, count_list, count_rows
from shopsheet.core.errors import BadInput
from shopsheet.core.language import _, counted
from shopsheet.core.money import cents
from shopsheet.core.problems import Problem
from shopsheet.core.words import Reason
from shopsheet.importers.base import Col
from shopsheet.importers.tabular import read_tables
from shopsheet.reports.count_sheet import COUNTED
from shopsheet.reports.count_sheet import write_count_sheet as write_sheet
from shopsheet.reports.purchase_order import yuan
from shopsheet.routines.common import Result, finish, prepare
from shopsheet.routines.stock import update_stock

SKU_HEADERS = Col(("SKU", "商品编码", "商家编码", "货号"))
COUNTED_HEADERS = Col((COUNTED, "实盘数量", "盘点数量", "Count", "Counted Qty"))


def count_sheet(book: Book, now: dt.datetime, *, folder: Path, out: Path | None = None,
                every: bool = False) -> Result:
    """Write what to count today (A weekly, B monthly, C quarterly, a day's share of each,
    in Location order) to `out` or counts/count-DATE.xlsx. Reads the workbook only."""
    frames, settings, failed = prepare(book, ("Products", "StockLedger", "Kits"), "count-list")
    if failed:
        return failed
    today = now.date()
    kits = set(frames["Kits"]["kit_sku"].dropna())
    rows = count_list(frames["Products"], frames["StockLedger"], today, kits=kits, every=every)
    if rows.empty:
        return Result("count-list", _("Nothing to count today: every product was counted within "
                                      "its period"), figures={"products": 0})
    out = out or folder / "counts" / f"count-{today:%Y-%m-%d}.xlsx"
    with side_file(out) as temp:
        write_sheet(temp, rows, settings, today)
    classes = rows["abc"].fillna("–").value_counts().sort_index()
    summary = _("Count list for {date}: {products} ({classes}), from {first} to {last}; "
                "written to {file} — fill in Counted, then: shopops count {book} {file}").format(
        book=book.name,
        date=f"{today:%Y-%m-%d}", products=counted("{n} product", "{n} products", len(rows)),
        classes=", ".join(f"{n} {c}" for c, n in classes.items()),
        first=rows["location"].iloc[0] if pd.notna(rows["location"].iloc[0]) else "—",
        last=rows["location"].iloc[-1] if pd.notna(rows["location"].iloc[-1]) else "—",
        file=out.name if out.parent.name != "counts" else f"counts/{out.name}")
    return Result("count-list", summary, figures={"products": len(rows), "file": str(out),
                                                  "skus": rows["sku"].tolist()})


def read_counts(path: Path, limit_mb: int) -> tuple[pd.DataFrame, str, list[Problem]]:
    """A count sheet's rows (sku, counted) by the row number the file shows: ours, or any
    file with a SKU and a Counted column (English or Chinese headers)."""
    tables = read_tables(path, limit_mb)
    for source, table in tables.named.items():
        sku = SKU_HEADERS.header_in(table)
        figure = Col((*COUNTED_HEADERS.names, _(COUNTED))).header_in(table)
        if sku and figure:
            skus = table[sku].astype(str).str.strip()
            text = table[figure].astype(str).str.strip()
            values = [None if t == "" else int(t) if re.fullmatch(r"\d+", t) else t for t in text]
            frame = pd.DataFrame({"sku": skus.to_numpy(), "counted": values}, index=table.index,
                                 dtype=object)
            return frame[frame["sku"] != ""], source, []
    source, table = tables.first()
    return pd.DataFrame(columns=["sku", "counted"]), source, [Problem(source, message=_(
        "needs a SKU column and a Counted column; found {headers}").format(
        headers=", ".join(map(str, table.columns)) or _("no headers")))]


def count_import(book: Book, now: dt.datetime, *, path: Path, log: bool = True) -> Result:
    """Post a filled count sheet as `count` rows (the counted level replaces what the ledger
    said), refresh Products, and say what differed. Any problem: nothing is written."""
    nothing = _("count: nothing done")
    frames, settings, failed = prepare(book, ("Products", "StockLedger", "Kits"), "count")
    if failed:
        return failed
    try:
        rows, source, problems = read_counts(path, settings.import_limit_mb)
    except BadInput as err:
        return Result("count", nothing, [Problem(path.name, message=str(err))])
    ledger = frames["StockLedger"]
    done = ledger[(ledger["reason"] == Reason.COUNT) & (ledger["reference"] == path.name)]
    if len(done):
        problems.append(Problem(path.name, message=_(
            "posted already on {date}; a count is posted once (rename the file for a new "
            "count)").format(date=f"{done['time'].max():%Y-%m-%d %H:%M}")))
    if not problems:
        known = set(frames["Products"]["sku"].dropna())
        kits = set(frames["Kits"]["kit_sku"].dropna())
        moves, problems = count_rows(rows, known, kits, pd.Timestamp(now), path.name, source)
    if problems:
        return Result("count", nothing, problems)
    if moves.empty:
        return Result("count", _("count: {file} has no figures under Counted; nothing "
                                 "done").format(file=path.name))
    book.append("StockLedger", moves)
    book.save()
    result = update_stock(book, now, log=False, kinds=(), routine="count")
    if result.problems:
        return result
    after = pd.concat([ledger, moves], ignore_index=True)
    found = count_differences(after)
    found = found[found.index >= len(ledger)]  # the counts just posted
    differ = found[found["lost"] != 0]
    cost = frames["Products"].drop_duplicates("sku").set_index("sku")["cost"]
    lost_cents = sum(cents(cost.get(s, 0) if pd.notna(cost.get(s)) else 0) * int(n)
                     for s, n in zip(differ["sku"], differ["lost"]))
    result.summary = _("Counted {products} from {file}: {differ}; {lost} units lost, {found} "
                       "found, net {value}").format(
        products=counted("{n} product", "{n} products", len(moves)), file=path.name,
        differ=counted("{n} differs from the ledger", "{n} differ from the ledger", len(differ)),
        lost=int(differ["lost"].clip(lower=0).sum()),
        found=int(-differ["lost"].clip(upper=0).sum()), value=yuan(lost_cents))
    result.figures |= {"counted": len(moves), "differ": len(differ), "lost_cents": lost_cents}
    names = frames["Products"].drop_duplicates("sku").set_index("sku")["product"]
    result.alerts += [_("{sku} ({product}): counted {counted}, the ledger said {before} "
                        "({change:+d})").format(sku=r.sku, product=names.get(r.sku, ""),
                                                counted=r.counted, before=r.before,
                                                change=-r.lost)
                      for r in differ.itertuples()]
    return finish(book, result, now, log)
