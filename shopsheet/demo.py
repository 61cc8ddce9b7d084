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
from shopsheet.book.make.create import WorkbookExists, create_workbook
from shopsheet.core.language import CHINESE, _, current
from shopsheet.demo_data import demo_data, in_chinese
from shopsheet.demo_exports import write_inbox
from shopsheet.demo_settlements import write_settlements
from shopsheet.routines.common import MAPPING, on_shelf
from shopsheet.routines.workbook import with_users_face
from shopsheet.settings import SETTINGS
from shopsheet.starter import settings_frame

MARKER = ".shopops-demo"
SHOP = {"shop_name": "小园好物 Little Garden", "report_recipients": "owner@littlegarden.example",
        "smtp_from": "reports@littlegarden.example",
        "shop_address": "浙江省杭州市西湖区文三路 88 号 2 楼 小园好物",
        "shop_contact": "林小园（采购）0571-8600-0000"}


def run_demo(folder: Path, today: dt.date) -> Iterator[str]:
    """Yield the lines of the demo's summary as each step finishes."""
    path, lines = make_demo_shop(Path(folder), today)
    yield from lines
    now = dt.datetime.combine(today, dt.time(8, 0))
    if today == dt.date.today():  # made before 08:00: nothing may be dated after the clock
        now = min(now, dt.datetime.now().replace(microsecond=0))
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    with FileBook.open(path) as book:
        runs = (lambda: routines.daily(book, now, folder=path.parent),
                lambda: routines.import_settlements(
                    book, now, paths=sorted((path.parent / "settlements").glob("*.csv"))),
                lambda: routines.reconcile_month(book, now),
                lambda: routines.listings(book, now, suggest=True),
                lambda: routines.abc(book, now), lambda: routines.promotions(book, now,
                                     month=next_month),
                lambda: routines.review(book, now),
                lambda: routines.messages(book, now, kind="shipping", folder=path.parent),
                lambda: routines.validate(book, now))
        for run in runs:
            result = run()
            yield from (f"  {step.routine}: {step.summary}" for step in result.steps)
            yield f"{result.routine}: {result.summary}"
            yield from (f"  {p}" for p in result.problems)
            yield from (f"  ! {a}" for a in result.alerts)
            if result.routine == "daily":
                yield from _mapping_words(book)
    yield _("Open {book} in Excel or LibreOffice: Dashboard, PickList, Promotions and the Log "
            "sheet show the day; packing slips are in {slips}, customer messages in "
            "{messages}.").format(book=path, slips=path.parent / "packing-slips",
                                  messages=path.parent / "messages")


def _mapping_words(book) -> Iterator[str]:
    """How the shop's order lines found their products: Listings and Kits at work."""
    frames = {name: book.read(name).frame for name in ("Orders", "Products", *MAPPING)}
    how = on_shelf(book, frames).resolved["how"].fillna("unmapped").value_counts()
    kits = frames["Kits"].groupby("kit_sku")["component_sku"].agg(lambda c: " + ".join(c))
    yield _("Products found for {lines} order lines: {sku} by the shop's SKU, {title} Shopify "
            "lines by title and {code} Xiaohongshu 2-pack lines by code (Listings), {lost} "
            "unmapped; kits: {kits}").format(
        lines=len(frames["Orders"]), sku=how.get("sku", 0), title=how.get("title", 0),
        code=how.get("channel sku", 0), lost=how.get("unmapped", 0),
        kits=", ".join(f"{k} = {v}" for k, v in kits.items()))


def make_demo_shop(folder: Path, today: dt.date) -> tuple[Path, list[str]]:
    """The demo workbook (history to yesterday) and last night's exports in its inbox;
    returns the workbook's path and what was made, in words."""
    path = _fresh_path(folder)
    data = demo_data(today)
    chinese = current() == CHINESE
    if chinese:
        data = in_chinese(data)
    settings = settings_frame(chinese)
    settings["value"] = [SHOP.get(s.name, v) for s, v in zip(SETTINGS, settings["value"])]
    orders = data["Orders"]
    last_night = orders["created"] >= pd.Timestamp(today - dt.timedelta(days=1))
    data["Orders"] = orders[~last_night]
    create_workbook(path, {"Settings": settings, **data}, title=_("ShopOps demo shop"),
                    finish=with_users_face(path.name, chinese), chinese=chinese)
    exports = write_inbox(path.parent / "inbox", orders[last_night],
                          pd.Timestamp(today) + pd.Timedelta(hours=7))
    settled = write_settlements(path.parent / "settlements", data["Orders"], today)
    return path, [
        _("Demo shop {shop} in {book}: {products} products from {suppliers} suppliers, {orders} "
          "orders ({lines} lines) over 90 days to {last}, {moves} stock movements, {returns} "
          "returns, {inquiries} inquiries").format(
            shop=SHOP["shop_name"], book=path, products=len(data["Products"]),
            suppliers=len(data["Suppliers"]), orders=orders["order_id"].nunique(),
            lines=len(orders), last=today - dt.timedelta(days=1),
            moves=len(data["StockLedger"]), returns=len(data["Returns"]),
            inquiries=len(data["Inquiries"])),
        _("Last night's {orders} orders wait in inbox/ as the back ends export them: "
          "{files}").format(orders=orders[last_night]["order_id"].nunique(),
                            files=", ".join(p.name for p in exports)),
        _("This month's settlement files wait in settlements/ as the providers write them: "
          "{files}").format(files=", ".join(p.name for p in settled))]


def _fresh_path(folder: Path) -> Path:
    path = folder / "ShopOps.xlsm"
    if path.exists():
        if not (folder / MARKER).exists():
            raise WorkbookExists(_("{book} exists and is not a demo workbook; choose another "
                                   "--dir").format(book=path))
        path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Made by `shopops demo`; the demo may replace this folder's "
                                 "ShopOps.xlsm.\n")
    return path
