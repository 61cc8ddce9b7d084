"""`shopops stock-export`: the stock each channel may sell, in the file its back end imports.

Reads only: the workbook is not written. The file goes to `--out`, or to the Settings stock
export folder beside the workbook as `stock-CHANNEL-YYYYMMDD.csv/.xlsx`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.core.availability import available, channel_rows
from shopsheet.core.language import _, counted
from shopsheet.reports.stock_files import EXTENSIONS, write_stock_file
from shopsheet.routines.common import MAPPING, Result, on_shelf, prepare

STOCK_CHANNELS = ("shopify", "taobao", "xiaohongshu", "generic")
SERVES = {"taobao": ("taobao", "tmall"), "shopify": ("shopify",),
          "xiaohongshu": ("xiaohongshu",), "generic": None}  # a Tmall shop takes 千牛's file


def stock_export(book: Book, now: dt.datetime, *, folder: Path, channel: str,
                 out: Path | None = None) -> Result:
    """Write `channel`'s stock file; say how many listings and units it tells."""
    frames, settings, failed = prepare(book, ("Products", "Orders", "StockLedger", *MAPPING),
                                       "stock-export")
    if failed:
        return failed
    products = frames["Products"]
    shelf = on_shelf(book, frames)
    free = available(frames["StockLedger"], shelf, pd.Index(products["sku"].dropna()),
                     int(settings.stock_buffer or 0))
    rows = channel_rows(SERVES[channel], products, frames["Listings"], frames["Orders"], shelf,
                        free)
    path = Path(out) if out else Path(folder) / settings.stock_export_folder / \
        f"stock-{channel}-{now:%Y%m%d}{EXTENSIONS[channel]}"
    write_stock_file(path, channel, rows, settings.shopify_location)
    units = int(rows["available"].sum()) if len(rows) else 0
    out_of_stock = int((rows["available"] == 0).sum()) if len(rows) else 0
    said = _("{channel}: {listings}, {units} to sell, {out} sold out, in {path}").format(
        channel=channel, listings=counted("{n} listing", "{n} listings", len(rows)),
        units=counted("{n} unit", "{n} units", units), out=out_of_stock, path=path)
    return Result("stock-export", _("Stock for {said}").format(said=said),
                  figures={"listings": len(rows), "units": units, "file": str(path),
                           "said": said})


def channels_in_use(book: Book) -> list[str]:
    """The channels with a stock file that this shop sells on: those its Listings or Orders
    name (a Tmall shop gets Taobao's file)."""
    named = set(book.read("Listings").frame["channel"].dropna()) | \
        set(book.read("Orders").frame["channel"].dropna())
    return [c for c, serves in SERVES.items() if serves and named & set(serves)]


def stock_export_all(book: Book, now: dt.datetime, *, folder: Path) -> Result:
    """Every channel's stock file in the stock export folder (the daily switch, the ribbon)."""
    done = [stock_export(book, now, folder=folder,
                         channel=channel) for channel in channels_in_use(book)]
    failed = [r for r in done if not r.ok]
    if failed:
        return failed[0]
    return Result("stock-export", _("Stock files: {files}").format(files="; ".join(
        r.figures["said"] for r in done) or _("no channel sells anything yet")),
        figures={"files": [r.figures["file"] for r in done]})
