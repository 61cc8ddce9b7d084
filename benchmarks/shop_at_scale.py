"""Workbooks of a busy shop for the benchmarks: N SKUs, a year of order lines, a ledger of the
same size, and the next morning's ~600 new lines waiting in the inbox as a CSV export (plus the
day before's, in `warm-up/`, for a morning of ShopOps' own before the measured one).

The shop sells on three channels as hybrid shops do (`hybrid`, the default): a sixth of its
lines come from Shopify without a SKU, each Shopify title mapped by one Listings row per SKU;
a tenth of its SKUs also sell on Xiaohongshu as a 2-pack under their own code; one SKU in two
hundred is a kit of three others. `plain` is the single-channel shop of wave 1 (every line
under the shop's own SKU, no Listings, no Kits), for comparing with earlier runs.

The workbook is left as a year of use leaves it: after the history is written, yesterday's
`daily` runs on it (empty inbox), so Products' figures, reorder flags, the pick list and the
Dashboard are already there and the measured morning changes only what a morning changes.

    python benchmarks/shop_at_scale.py --skus 500 --lines 10000 --out /tmp/bench/small

Deterministic for a given size (seeded). Built with numpy and xlsxwriter's constant-memory
mode, so even the 200,000-line workbook takes well under a minute to make.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from shopsheet.book import FileBook
from shopsheet.book.make.create import create_workbook
from shopsheet.core.listings import components, kit_stock, shelf
from shopsheet.routines import daily
from shopsheet.starter import settings_frame

TODAY = dt.date(2026, 11, 21)
STATUSES = np.array(["delivered", "delivered", "delivered", "shipped", "cancelled", "refunded"])


def products(rng, n: int) -> pd.DataFrame:
    price = rng.integers(19, 399, n).astype(float)
    return pd.DataFrame({
        "product": [f"Product {i:05d}" for i in range(n)], "sku": [f"S{i:05d}" for i in range(n)],
        "current_stock": 0, "low_stock_alert": rng.integers(5, 40, n),
        "reorder_qty": rng.integers(20, 200, n), "cost": (price * 0.4).round(1), "price": price,
        "margin": 0.6, "supplier": [f"Supplier {i % 12}" for i in range(n)],
        "lead_time": rng.integers(3, 21, n), "safety_stock": rng.integers(2, 20, n),
        "location": [f"{chr(65 + i % 8)}-{i % 50:02d}" for i in range(n)], "status": "active"})


def kits(rng, items: pd.DataFrame) -> pd.DataFrame:
    """One SKU in two hundred (at least one) a kit of three others, one of each."""
    n = max(1, len(items) // 200)
    kit_skus = items["sku"].iloc[-n:].to_numpy()
    parts = rng.choice(len(items) - n, (n, 3), replace=False) if len(items) > n + 3 else None
    return pd.DataFrame([(k, items["sku"].iloc[p], 1) for k, row in zip(kit_skus, parts)
                         for p in row], columns=["kit_sku", "component_sku", "qty"])


def listings(items: pd.DataFrame) -> pd.DataFrame:
    """A Shopify title for every SKU (the shop's SKUs are not in Shopify) and, for one SKU in
    ten, a Xiaohongshu 2-pack under its own code."""
    pack = items["sku"].iloc[::10]
    return pd.DataFrame({
        "channel": ["shopify"] * len(items) + ["xiaohongshu"] * len(pack), "listing_id": None,
        "channel_sku": [None] * len(items) + [f"{s}-2" for s in pack],
        "title": list(items["product"]) + [None] * len(pack),
        "variant": ["Standard"] * len(items) + [None] * len(pack),
        "sku": list(items["sku"]) + list(pack), "units": [1] * len(items) + [2] * len(pack),
        "status": "confirmed"})


def as_channels_sell(rng, frame: pd.DataFrame) -> pd.DataFrame:
    """A sixth of the lines from Shopify (no SKU, its title) and the 2-pack codes of
    Xiaohongshu on a third of the lines of the SKUs that have one."""
    shopify = rng.random(len(frame)) < 1 / 6
    frame.loc[shopify, "channel"] = "shopify"
    frame.loc[shopify, "product"] = frame.loc[shopify, "product"] + " - Standard"
    frame.loc[shopify, "sku"] = None
    numbered = frame["sku"].str[1:].astype("float64")
    pack = ~shopify & (numbered % 10 == 0).to_numpy() & (rng.random(len(frame)) < 1 / 3)
    frame.loc[pack, "sku"] = frame.loc[pack, "sku"] + "-2"
    return frame


def orders(rng, items: pd.DataFrame, lines: int, days: int = 365) -> pd.DataFrame:
    weights = rng.pareto(1.5, len(items)) + 0.1
    weights /= weights.sum()
    sku_idx = rng.choice(len(items), lines, p=weights)
    start = pd.Timestamp(TODAY - dt.timedelta(days=days))
    created = start + pd.to_timedelta(np.sort(rng.uniform(0, days - 1, lines)) * 86400, unit="s")
    order_no = np.cumsum(rng.random(lines) > 0.35)  # ~1.5 lines per order
    ids = np.char.add("P", np.char.zfill(order_no.astype(str), 12))
    line = pd.Series(order_no).groupby(order_no).cumcount().to_numpy() + 1
    first = pd.Series(order_no).groupby(order_no).transform("first").to_numpy()
    status = STATUSES[rng.integers(0, len(STATUSES), order_no.max() + 1)][first]
    qty = rng.choice([1, 1, 1, 2, 3], lines)
    price = items["price"].to_numpy()[sku_idx]
    frame = pd.DataFrame({
        "order_id": ids, "line": line, "channel": "xiaohongshu", "created": created.floor("s"),
        "status": status, "customer": [f"客户{n % 9000:04d}" for n in order_no],
        "phone": [f"13{n % 10**9:09d}" for n in order_no],
        "address": "浙江省杭州市西湖区文三路 90 号", "sku": items["sku"].to_numpy()[sku_idx],
        "product": items["product"].to_numpy()[sku_idx], "qty": qty, "unit_price": price,
        "line_total": qty * price})
    paid = frame["status"] != "cancelled"
    frame["paid"] = frame["created"].where(paid) + pd.Timedelta(minutes=2)
    sent = frame["status"].isin(["shipped", "delivered", "refunded"])
    frame["shipped"] = (frame["created"].dt.normalize() + pd.Timedelta(days=1, hours=11)).where(sent)
    frame["verified"] = True
    return frame


def ledger(items: pd.DataFrame, lines: pd.DataFrame, target: int, mapped: pd.DataFrame,
           kitted: pd.DataFrame) -> pd.DataFrame:
    taken = shelf(lines, items, mapped, kitted).lines
    sold = taken[taken["status"].isin(["shipped", "delivered", "refunded"])]
    moves = pd.DataFrame({"time": sold["paid"], "sku": sold["sku"], "change": -sold["qty"],
                          "reason": "sale", "reference": sold["reference"]})
    shelved = items.loc[~items["sku"].isin(kitted["kit_sku"]), "sku"]
    need = moves.groupby("sku")["change"].sum().reindex(shelved).fillna(0)
    opening = pd.DataFrame({"time": pd.Timestamp(TODAY - dt.timedelta(days=400)),
                            "sku": shelved, "change": (-need + 50).astype(int).to_numpy(),
                            "reason": "opening", "reference": "OPENING-" + shelved})
    frame = pd.concat([opening, moves], ignore_index=True)
    if len(frame) < target:  # top up with stock counts' adjustments to reach the size asked
        extra = frame.sample(target - len(frame), replace=True, random_state=1)
        extra = extra.assign(change=0, reason="adjustment",
                             reference=[f"ADJ-{i:07d}" for i in range(len(extra))])
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame.sort_values("time", kind="stable").reset_index(drop=True)


def new_day(rng, items: pd.DataFrame, lines: int, after: int, day: dt.date,
            hybrid: bool) -> pd.DataFrame:
    """A day's new paid orders, numbered after `after`, as a back end exports them."""
    new = orders(rng, items, lines, days=1)
    if hybrid:
        new = as_channels_sell(rng, new)
    new["order_id"] = [f"N{int(x[1:]) + after:012d}" for x in new["order_id"]]
    new["created"] = pd.Timestamp(day) + (new["created"] - new["created"].min())
    new["status"], new["paid"] = "paid", new["created"] + pd.Timedelta(minutes=2)
    new["shipped"] = pd.NaT
    return new


def write_csv(path: Path, lines: pd.DataFrame) -> None:
    columns = ["order_id", "line", "channel", "created", "paid", "status", "customer", "phone",
               "address", "sku", "product", "qty", "unit_price", "line_total"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Order ID", "Line", "Channel", "Created", "Paid", "Status", "Customer",
                         "Phone", "Address", "SKU", "Product", "Qty", "Unit Price",
                         "Line Total"])
        for row in lines[columns].itertuples(index=False):
            writer.writerow(["" if pd.isna(v) else (v.strftime("%Y-%m-%d %H:%M:%S")
                                                    if isinstance(v, pd.Timestamp) else v)
                             for v in row])


def build(folder: Path, skus: int, lines: int, ledger_rows: int, new_lines: int = 600,
          hybrid: bool = True) -> Path:
    rng = np.random.default_rng(skus + lines)
    shutil.rmtree(folder, ignore_errors=True)  # a CSV left in its inbox would be imported
    folder.mkdir(parents=True)
    items = products(rng, skus)
    mapped = listings(items) if hybrid else listings(items.iloc[0:0])
    kitted = kits(rng, items) if hybrid else kits(rng, items).iloc[0:0]
    history = orders(rng, items, lines)
    if hybrid:
        history = as_channels_sell(rng, history)
    moves = ledger(items, history, ledger_rows, mapped, kitted)
    stock = moves.groupby("sku")["change"].sum()
    stock = pd.concat([stock, kit_stock(stock, components(kitted))])
    items["current_stock"] = stock.reindex(items["sku"]).fillna(0).astype(int).to_numpy()
    path = folder / "ShopOps.xlsm"
    create_workbook(path, {"Settings": settings_frame(), "Products": items, "Orders": history,
                           "StockLedger": moves, "Listings": mapped, "Kits": kitted})
    with FileBook.open(path, keep_backups=0) as book:  # yesterday's run, nothing new in
        daily(book, dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(7, 0)), folder=folder)
    shutil.rmtree(folder / "packing-slips", ignore_errors=True)
    # the morning measured: the day before TODAY's orders, waiting in the inbox; and the
    # day before that, for benchmarks that first run a morning of ShopOps' own (run.py, warm)
    day = new_day(rng, items, new_lines, len(history) + 1, TODAY - dt.timedelta(days=1), hybrid)
    write_csv(folder / "inbox" / "orders-2026-11-20.csv", day)
    before = new_day(rng, items, new_lines, len(history) + 1 + len(day),
                     TODAY - dt.timedelta(days=2), hybrid)
    write_csv(folder / "warm-up" / "orders-2026-11-19.csv", before)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, required=True)
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--ledger", type=int, default=None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--plain", action="store_true", help="One channel, no Listings or Kits.")
    args = parser.parse_args()
    print(build(args.out, args.skus, args.lines, args.ledger or args.lines,
                hybrid=not args.plain))


if __name__ == "__main__":
    main()
