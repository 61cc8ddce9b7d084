"""`shopops demo`: build the demo shop's workbook, then run every routine there is on it.

The demo folder is marked so a second run may replace its own workbook, and never a real one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

import pandas as pd

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.book.create import WorkbookExists, create_workbook
from shopsheet.demo_data import demo_data
from shopsheet.starter import settings_frame

MARKER = ".shopops-demo"
SHOP = {"Shop name": "小园好物 Little Garden", "Report recipients": "owner@littlegarden.example",
        "SMTP from": "reports@littlegarden.example"}


def run_demo(folder: Path, today: dt.date) -> Iterator[str]:
    """Yield the lines of the demo's summary as each step finishes."""
    path = _fresh_path(Path(folder))
    data = demo_data(today)
    settings = settings_frame()
    settings["value"] = [SHOP.get(k, v) for k, v in zip(settings["key"], settings["value"])]
    create_workbook(path, {"Settings": settings, **data}, title="ShopOps demo shop")
    orders = data["Orders"]
    yield (f"Demo shop {SHOP['Shop name']} in {path}: {len(data['Products'])} products from "
           f"{len(data['Suppliers'])} suppliers, {orders['order_id'].nunique()} orders "
           f"({len(orders)} lines) over 90 days to {today - dt.timedelta(days=1)}, "
           f"{len(data['StockLedger'])} stock movements, {len(data['Returns'])} returns, "
           f"{len(data['Inquiries'])} inquiries")
    with FileBook.open(path) as book:
        for result in _routines(book, today):
            yield f"{result.routine}: {result.summary}"
            yield from (f"  {p}" for p in result.problems)
            routines.log_line(book, result, dt.datetime.combine(today, dt.datetime.now().time()))
        book.save()
    yield f"Open {path} in Excel or LibreOffice; the Log sheet records this run."


def _routines(book: FileBook, today: dt.date) -> Iterator[routines.Result]:
    """Every routine that exists, in the order of the shop's day."""
    yield routines.validate(book)


def _fresh_path(folder: Path) -> Path:
    path = folder / "ShopOps.xlsm"
    if path.exists():
        if not (folder / MARKER).exists():
            raise WorkbookExists(f"{path} exists and is not a demo workbook; choose another --dir")
        path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Made by `shopops demo`; the demo may replace this folder's "
                                 "ShopOps.xlsm.\n")
    return path
