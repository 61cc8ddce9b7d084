"""Workbooks of a busy shop for the benchmarks: N SKUs, a year of order lines, a ledger of the
same size, and the next morning's ~600 new lines waiting in the inbox as a CSV export (plus the
day before's, in `warm-up/`, for a morning of ShopOps' own before the measured one).

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
import shutil
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from shopsheet.book import FileBook
from shopsheet.book.create import create_workbook
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


def ledger(items: pd.DataFrame, lines: pd.DataFrame, target: int) -> pd.DataFrame:
    sold = lines[lines["status"].isin(["shipped", "delivered", "refunded"])]
    moves = pd.DataFrame({"time": sold["paid"], "sku": sold["sku"], "change": -sold["qty"],
                          "reason": "sale",
                          "reference": sold["order_id"] + "#" + sold["line"].astype(str)})
    need = moves.groupby("sku")["change"].sum().reindex(items["sku"]).fillna(0)
    opening = pd.DataFrame({"time": pd.Timestamp(TODAY - dt.timedelta(days=400)),
                            "sku": items["sku"], "change": (-need + 50).astype(int).to_numpy(),
                            "reason": "opening", "reference": "OPENING-" + items["sku"]})
    frame = pd.concat([opening, moves], ignore_index=True)
    if len(frame) < target:  # top up with stock counts' adjustments to reach the size asked
        extra = frame.sample(target - len(frame), replace=True, random_state=1)
        extra = extra.assign(change=0, reason="adjustment",
                             reference=[f"ADJ-{i:07d}" for i in range(len(extra))])
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame.sort_values("time", kind="stable").reset_index(drop=True)


def new_day(rng, items: pd.DataFrame, lines: int, after: int, day: dt.date) -> pd.DataFrame:
    """A day's new paid orders, numbered after `after`, as a back end exports them."""
    new = orders(rng, items, lines, days=1)
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


def build(folder: Path, skus: int, lines: int, ledger_rows: int, new_lines: int = 600) -> Path:
    rng = np.random.default_rng(skus + lines)
    shutil.rmtree(folder, ignore_errors=True)  # a CSV left in its inbox would be imported
    folder.mkdir(parents=True)
    items = products(rng, skus)
    history = orders(rng, items, lines)
    moves = ledger(items, history, ledger_rows)
    items["current_stock"] = moves.groupby("sku")["change"].sum().reindex(items["sku"]) \
        .fillna(0).astype(int).to_numpy()
    path = folder / "ShopOps.xlsm"
    create_workbook(path, {"Settings": settings_frame(), "Products": items, "Orders": history,
                           "StockLedger": moves})
    with FileBook.open(path, keep_backups=0) as book:  # yesterday's run, nothing new in
        daily(book, folder, dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(7, 0)))
    shutil.rmtree(folder / "packing-slips", ignore_errors=True)
    # the morning measured: the day before TODAY's orders, waiting in the inbox; and the
    # day before that, for benchmarks that first run a morning of ShopOps' own (run.py, warm)
    day = new_day(rng, items, new_lines, len(history) + 1, TODAY - dt.timedelta(days=1))
    write_csv(folder / "inbox" / "orders-2026-11-20.csv", day)
    before = new_day(rng, items, new_lines, len(history) + 1 + len(day),
                     TODAY - dt.timedelta(days=2))
    write_csv(folder / "warm-up" / "orders-2026-11-19.csv", before)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, required=True)
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--ledger", type=int, default=None)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(build(args.out, args.skus, args.lines, args.ledger or args.lines))


if __name__ == "__main__":
    main()
