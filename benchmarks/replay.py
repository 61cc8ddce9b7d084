"""A year of a shop's demand, replayed day by day under three reorder rules: which keeps the
shelves full with the least money tied up?

The shop (deterministic, seed 2026): SKUS products from 4 suppliers; a third fast, a third
medium, a third sporadic slow movers (sales on few days, a few units at a time); a tenth
launched during the replayed year. Demand has a week's rhythm, a season, 3.8 / 6.18 / 11.11 /
12.12 peaks (11.11 five-fold on the day, its teaser days half as much again), the 年货节
before Chinese New Year and the quiet holiday after it, three flash sales of the shop's own a
year, and each product answers the festivals more or less strongly than the next. Suppliers
deliver late or early around the lead time they quote; one in ten deliveries is a week late.
The year before the replay is the shop's history (in stock throughout): last year's 11.11 is
in it.

Each rule runs the replayed year from the same stock, through the same core functions
ShopOps runs: every morning the deliveries due arrive, the rule decides what to order (one PO
per supplier and day), the day's demand is served from the shelf and what cannot be served is
lost. The rules:

    stocky     Stocky's: reorder point = 30-day average × (lead time + COVER days); when stock
               + on order reaches it, order up to the average × (lead time + COVER + review)
    wave-1     ShopOps' first wave: `core/demand.demand_stats` (the plain 30-day average and
               spread), `core/reorder.plan` with the typed lead time and spread and the typed
               uplift of the Promotions rows
    new        this wave: `core/demand.learned_demand` (sold-out days left out, SBA for
               sporadic sellers, a new product at its supplier's average), last year's uplift
               for the same event (`core/seasons`), festivals ahead unplanned, the suppliers'
               measured lead times and spread (`core/leadtimes`), the same `plan`

Reported per rule: fill rate (units sold ÷ units wanted), stock-out SKU-days (days a live
product opened with an empty shelf), lost sales ¥ (units not served × price), average
inventory value ¥ (the shelf at cost, every evening), POs placed. The two ShopOps rules are
also run across service levels, so each can be compared with another rule at the same
inventory value or the same fill rate (interpolated between the levels run).

    python benchmarks/replay.py [--skus 300] [--levels 0.8,0.9,0.95,0.98] [--write]

`--write` puts the table and the targets into benchmarks/RESULTS.md (its replay section).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shopsheet.core.demand import demand_stats, learned_demand, window_days  # noqa: E402
from shopsheet.core.leadtimes import measured_lead_times, with_measured  # noqa: E402
from shopsheet.core.promotions import FESTIVAL_TERMS, chinese_new_year, festival_sales  # noqa: E402
from shopsheet.core.reorder import plan  # noqa: E402
from shopsheet.core.seasons import event_days, events_ahead, learned_uplifts  # noqa: E402

YEAR = 2026  # the replayed year; 2025 is the shop's history
WINDOW = 30  # sales window days (Settings' default)
REVIEW = 7  # review period days (Settings' default)
COVER = 7  # Stocky's fixed days of cover on top of the lead time
SUPPLIERS = {  # name: (quoted lead time, quoted spread, pack size, actual spread)
    "Guangzhou": (7, 1.0, 10, 1.5), "Yiwu": (10, 2.0, 6, 2.5),
    "Hangzhou": (14, 2.0, 10, 3.0), "Shenzhen": (5, 1.0, 20, 1.0)}
LATE = (0.10, 7)  # one delivery in ten comes a week late
FESTIVAL_LIFT = {"3.8": 1.5, "6.18": 3.0, "11.11": 5.0, "12.12": 2.2, "CNY": 1.6}
TEASER_LIFT = 1.5
FLASH = (("Spring flash", 3), ("Summer flash", 7), ("Autumn flash", 9))  # month of each
FLASH_LIFT = 3.0
RESULTS = Path(__file__).with_name("RESULTS.md")


# --- the shop ----------------------------------------------------------------------------

@dataclass
class Shop:
    products: pd.DataFrame  # sku, supplier, cost, price, kind, launch
    suppliers: pd.DataFrame  # supplier, lead_time, lead_time_spread, moq, pack_size
    days: pd.DatetimeIndex  # history and replayed year
    demand: np.ndarray  # units wanted, SKU × day
    promotions: pd.DataFrame  # the Promotions sheet: festivals (typed uplift) and flash sales
    flash_skus: list[str] = field(default_factory=list)


def day_lift(days: pd.DatetimeIndex) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The shop-wide multiplier per day (week, season) and each event's own day mask."""
    weekday = np.array([1.0, 0.95, 0.95, 1.0, 1.1, 1.25, 1.2])[days.day_of_week]
    season = 1 + 0.2 * np.sin(2 * np.pi * (days.day_of_year - 80) / 365)
    events = {}
    for year in sorted(set(days.year)):
        for key, start, end in festival_sales(year):
            inside = (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))
            events[key] = events.get(key, np.zeros(len(days), bool)) | inside
            teaser = (days >= pd.Timestamp(start) - pd.Timedelta(days=3)) \
                & (days < pd.Timestamp(start))
            events["teaser"] = events.get("teaser", np.zeros(len(days), bool)) | teaser
        cny = pd.Timestamp(chinese_new_year(year))
        quiet = (days >= cny - pd.Timedelta(days=7)) & (days <= cny + pd.Timedelta(days=7))
        events["quiet"] = events.get("quiet", np.zeros(len(days), bool)) | quiet
        for name, month in FLASH:
            first = dt.date(year, month, 1)
            friday = first + dt.timedelta(days=(4 - first.weekday()) % 7)
            events[name] = events.get(name, np.zeros(len(days), bool)) | \
                (days == pd.Timestamp(friday))
    return weekday * season, events


def build_shop(n: int, seed: int = 2026) -> Shop:
    rng = np.random.default_rng(seed)
    days = pd.date_range(f"{YEAR - 1}-01-01", f"{YEAR}-12-31", freq="D")
    names = list(SUPPLIERS)
    kind = np.array(["fast", "medium", "sporadic"])[np.arange(n) % 3]
    mean = np.where(kind == "fast", rng.uniform(3, 12, n),
                    np.where(kind == "medium", rng.uniform(0.6, 2.5, n), 0.0))
    chance = np.where(kind == "sporadic", rng.uniform(0.04, 0.25, n), 0.0)
    size = rng.uniform(1.5, 4.0, n)  # a sporadic sale's mean size
    cost = np.round(np.exp(rng.normal(np.log(40), 0.6, n)), 1)
    price = np.round(cost * rng.uniform(1.8, 3.0, n), 1)
    launch = np.full(n, days[0])
    new = rng.choice(n, n // 10, replace=False)
    launch[new] = [pd.Timestamp(f"{YEAR}-01-01") + pd.Timedelta(days=int(d))
                   for d in rng.integers(60, 240, len(new))]
    products = pd.DataFrame({
        "sku": [f"S{i:04d}" for i in range(n)], "supplier": [names[i % 4] for i in range(n)],
        "cost": cost, "price": price, "kind": kind, "launch": launch})
    suppliers = pd.DataFrame({
        "supplier": names, "lead_time": [SUPPLIERS[s][0] for s in names],
        "lead_time_spread": [SUPPLIERS[s][1] for s in names], "moq": 0,
        "pack_size": [SUPPLIERS[s][2] for s in names]}).astype({"lead_time": "Int64"})

    base, events = day_lift(days)
    answer = rng.uniform(0.5, 1.5, n)  # how strongly each product answers a festival
    lift = np.tile(base, (n, 1))
    for key, factor in FESTIVAL_LIFT.items():
        lift[:, events[key]] *= (1 + (factor - 1) * answer)[:, None]
    lift[:, events["teaser"]] *= (1 + (TEASER_LIFT - 1) * answer)[:, None]
    lift[:, events["quiet"]] *= 0.5
    top = np.argsort(-(mean * price))[: max(n // 20, 3)]
    for name, _month in FLASH:
        lift[np.ix_(top, np.flatnonzero(events[name]))] *= FLASH_LIFT
    rate = mean[:, None] * lift
    wanted = rng.poisson(rng.gamma(4.0, rate / 4.0))  # over-dispersed: a gamma-Poisson mix
    sporadic = rng.random((n, len(days))) < np.minimum(chance[:, None] * lift, 0.9)
    sizes = 1 + rng.poisson((size - 1)[:, None], (n, len(days)))
    wanted = np.where(kind[:, None] == "sporadic", sporadic * sizes, wanted)
    wanted[days.to_numpy()[None, :] < launch[:, None]] = 0
    return Shop(products, suppliers, days, wanted.astype("int64"),
                promotions(days, [f"S{i:04d}" for i in top]), [f"S{i:04d}" for i in top])


def promotions(days: pd.DatetimeIndex, top: list[str]) -> pd.DataFrame:
    """The Promotions sheet both years: each festival (every SKU, the calendar's typed
    uplift) and the shop's three flash sales on its top sellers (their typed uplift 2)."""
    rows = []
    for year in sorted(set(days.year)):
        for key, start, end in festival_sales(year):
            rows.append((start, end, FESTIVAL_TERMS[key][2], "festival", "ALL",
                         FESTIVAL_TERMS[key][1], f"{year}-{start:%m}:{key}"))
        for name, month in FLASH:
            first = dt.date(year, month, 1)
            friday = first + dt.timedelta(days=(4 - first.weekday()) % 7)
            rows.append((friday, friday, name, "flash sale", ", ".join(top), 2.0, None))
    frame = pd.DataFrame(rows, columns=["start", "end", "name", "type", "skus", "uplift",
                                        "plan_key"])
    frame["start"], frame["end"] = pd.to_datetime(frame["start"]), pd.to_datetime(frame["end"])
    frame["status"] = "planned"
    return frame


# --- the rules ---------------------------------------------------------------------------

@dataclass
class Day:
    """What a rule knows on a morning: the shop, today, what sold and what stood on the shelf
    (history and the replay so far), stock, on order, the POs received."""
    shop: Shop
    t: int  # index of today in shop.days
    sold: np.ndarray  # units sold, SKU × day (up to yesterday)
    opening: np.ndarray  # stock at each day's start
    stock: np.ndarray
    on_order: np.ndarray
    received: pd.DataFrame  # po_no, supplier, ordered, received, status

    @property
    def today(self) -> dt.date:
        return self.shop.days[self.t].date()

    def orders(self, first: int) -> pd.DataFrame:
        """Sales from day `first` to yesterday as order lines (one per SKU and day)."""
        block = self.sold[:, first:self.t]
        rows, cols = np.nonzero(block)
        return pd.DataFrame({"sku": self.shop.products["sku"].to_numpy()[rows],
                             "qty": block[rows, cols],
                             "created": self.shop.days[first + cols] + pd.Timedelta(hours=12),
                             "status": "paid"})

    def ledger(self, first: int) -> pd.DataFrame:
        """Stock movements as the ledger holds them: a count of each day-`first` level, then
        each day's sales and receipts."""
        skus = self.shop.products["sku"].to_numpy()
        start = pd.DataFrame({"time": self.shop.days[first], "sku": skus,
                              "change": self.opening[:, first], "reason": "count"})
        level = self.opening[:, first:self.t + 1]
        change = np.diff(level, axis=1)
        rows, cols = np.nonzero(change)
        moves = pd.DataFrame({"time": self.shop.days[first + cols] + pd.Timedelta(hours=12),
                              "sku": skus[rows], "change": change[rows, cols],
                              "reason": "sale"})
        return pd.concat([start, moves], ignore_index=True)


class Stocky:
    name = "Stocky (30-day average × lead time + 7 days)"

    def __call__(self, day: Day, level: float | None = None) -> np.ndarray:
        shop = day.shop
        avg = day.sold[:, max(day.t - 30, 0):day.t].mean(axis=1)
        lead = shop.products["supplier"].map(shop.suppliers.set_index("supplier")["lead_time"]) \
            .astype(float).to_numpy()
        position = day.stock + day.on_order
        rop = avg * (lead + COVER)
        want = np.ceil(avg * (lead + COVER + REVIEW) - position)
        return np.where((position <= rop) & (avg > 0), np.maximum(want, 0), 0)


class ShopOps:
    def __init__(self, learning: bool, level: float = 0.95):
        self.learning, self.level = learning, level
        self.name = ("ShopOps, this wave" if learning else "ShopOps wave 1") + \
            f" (service level {level:.0%})"

    def __call__(self, day: Day) -> np.ndarray:
        shop, today = day.shop, day.today
        products = shop.products.assign(
            current_stock=day.stock, on_order=day.on_order, lead_time=pd.NA,
            safety_stock=pd.NA, reorder_qty=0, status="active").astype(
            {"lead_time": "Int64", "safety_stock": "Int64"})
        skus = pd.Index(products["sku"])
        suppliers = shop.suppliers
        first = max(day.t - WINDOW, 0)
        promos = shop.promotions
        if self.learning:
            measured = measured_lead_times(day.received, pd.Index(suppliers["supplier"]),
                                           self.level)
            suppliers, products = with_measured(suppliers, products, measured, self.level)
            demand = learned_demand(day.orders(first), day.ledger(first), skus,
                                    products.set_index("sku")["supplier"], today, WINDOW,
                                    busy=event_days(promos, skus, window_days(today, WINDOW)))
            horizon = int(suppliers["lead_time"].max()) + REVIEW + 1
            events = events_ahead(promos, today, horizon)
            history = day.orders(max(day.t - 400, 0)) if len(events) else None
            learned = learned_uplifts(events, history, skus, earlier=promos) \
                if len(events) else {}
        else:
            demand = demand_stats(day.orders(first), skus, today, WINDOW)
            events, learned = promos, None
        planned = plan(products, suppliers, demand, events, today, self.level, REVIEW,
                       learned=learned)
        return np.where(planned["flag"].to_numpy(), planned["qty"].to_numpy(), 0)


# --- the replay --------------------------------------------------------------------------

@dataclass
class Outcome:
    rule: str
    fill_rate: float
    stockout_days: int
    lost_yuan: float
    inventory_yuan: float
    pos: int
    seconds: float
    by_kind: dict = field(default_factory=dict)  # kind: (fill rate, stock-out days, inventory ¥)


def replay(shop: Shop, rule, seed: int = 7) -> Outcome:
    """The replayed year under `rule`; the lead-time noise is the same for every rule."""
    rng = np.random.default_rng(seed)
    n, days = len(shop.products), len(shop.days)
    begin = int(np.searchsorted(shop.days, pd.Timestamp(f"{YEAR}-01-01")))
    noise = rng.normal(0, 1, 4000)  # the k-th delivery's noise, shared by the rules
    late = rng.random(4000) < LATE[0]
    sold = np.zeros((n, days), "int64")
    sold[:, :begin] = shop.demand[:, :begin]  # last year: in stock throughout
    opening = np.zeros((n, days + 1), "int64")
    opening[:, :begin] = 10**6
    live = (shop.products["launch"] <= shop.days[0]).to_numpy()
    mean = shop.demand[:, begin - 60:begin].mean(axis=1)
    lead = shop.products["supplier"].map(shop.suppliers.set_index("supplier")["lead_time"]) \
        .to_numpy().astype(float)
    stock = np.where(live, np.ceil(mean * (lead + 14)), 0).astype("int64")
    on_order = np.zeros(n, "int64")
    arrivals: dict[int, list[tuple[int, int]]] = {}
    received_rows: list[tuple] = []
    pack = shop.products["supplier"].map(shop.suppliers.set_index("supplier")["pack_size"]) \
        .to_numpy()
    spread = {s: v[3] for s, v in SUPPLIERS.items()}
    launch_stock = np.ceil(np.maximum(shop.demand[:, begin:].mean(axis=1) * 21, 6))
    wanted = served = 0
    stockout = pos_count = deliveries = 0
    lost = inventory = 0.0
    cost, price = shop.products["cost"].to_numpy(), shop.products["price"].to_numpy()
    kinds = shop.products["kind"].to_numpy()
    sku_wanted, sku_served = np.zeros(n), np.zeros(n)
    sku_out, sku_value = np.zeros(n), np.zeros(n)
    launch_day = np.searchsorted(shop.days, shop.products["launch"].to_numpy())
    started = time.perf_counter()
    for t in range(begin, days):
        arriving = launch_day == t  # a launch arrives with its first stock
        stock[arriving] += launch_stock[arriving].astype("int64")
        for sku, qty in arrivals.pop(t, []):
            stock[sku] += qty
            on_order[sku] -= qty
        opening[:, t] = stock
        live = launch_day <= t
        stockout += int(((stock <= 0) & live).sum())
        sku_out += (stock <= 0) & live
        known = pd.DataFrame(received_rows, columns=["po_no", "supplier", "ordered",
                                                     "received", "status"])
        known = known.astype({"ordered": "datetime64[ns]", "received": "datetime64[ns]"})
        known = known[known["received"] <= shop.days[t]]  # only deliveries already in
        today = Day(shop, t, sold, opening, stock, on_order, known)
        order = np.asarray(rule(today), dtype="float64")
        order = np.where(live & (launch_day < t), order, 0)
        order = (np.ceil(order / pack) * pack).astype("int64")
        for supplier in shop.suppliers["supplier"]:
            mine = np.flatnonzero((order > 0) & (shop.products["supplier"] == supplier)
                                  .to_numpy())
            if not len(mine):
                continue
            quoted = int(shop.suppliers.set_index("supplier").at[supplier, "lead_time"])
            k = deliveries % len(noise)
            days_late = max(1, round(quoted + noise[k] * spread[supplier]) +
                            (LATE[1] if late[k] else 0))
            deliveries += 1
            pos_count += 1
            po = f"PO{t}-{supplier}"
            for sku in mine:
                arrivals.setdefault(t + days_late, []).append((sku, int(order[sku])))
                on_order[sku] += order[sku]
            if t + days_late < days:
                received_rows.append((po, supplier, shop.days[t], shop.days[t + days_late],
                                      "received"))
        want = shop.demand[:, t]
        got = np.minimum(want, np.maximum(stock, 0))
        stock -= got
        sold[:, t] = got
        wanted += int(want.sum())
        served += int(got.sum())
        lost += float(((want - got) * price).sum())
        inventory += float((np.maximum(stock, 0) * cost).sum())
        sku_wanted += want
        sku_served += got
        sku_value += np.maximum(stock, 0) * cost
    seconds = time.perf_counter() - started
    span = days - begin
    by_kind = {k: (sku_served[kinds == k].sum() / max(sku_wanted[kinds == k].sum(), 1),
                   int(sku_out[kinds == k].sum()), sku_value[kinds == k].sum() / span)
               for k in ("fast", "medium", "sporadic")}
    return Outcome(rule.name, served / max(wanted, 1), stockout, lost, inventory / span,
                   pos_count, seconds, by_kind)


# --- the comparison ----------------------------------------------------------------------

def at(points: list[Outcome], key: str, value: float, other: str) -> float | None:
    """`other` of a rule run at several levels, interpolated where its `key` equals `value`
    (None when no level reaches it)."""
    ordered = sorted(points, key=lambda o: getattr(o, key))
    xs = [getattr(o, key) for o in ordered]
    ys = [getattr(o, other) for o in ordered]
    if not xs or value < xs[0] or value > xs[-1]:
        return None
    return float(np.interp(value, xs, ys))


def table(outcomes: list[Outcome]) -> str:
    lines = ["| rule | fill rate | stock-out SKU-days | lost sales ¥ | average inventory ¥ | "
             "POs | replay s |", "|---|---|---|---|---|---|---|"]
    for o in outcomes:
        lines.append(f"| {o.rule} | {o.fill_rate:.1%} | {o.stockout_days:,} | "
                     f"{o.lost_yuan:,.0f} | {o.inventory_yuan:,.0f} | {o.pos:,} | "
                     f"{o.seconds:.0f} |")
    return "\n".join(lines)


def kinds_table(outcomes: list[Outcome]) -> str:
    """Fill rate, stock-out SKU-days and inventory ¥ per kind of product, per rule."""
    lines = ["| rule | fast: fill / out / ¥ | medium: fill / out / ¥ | sporadic: fill / out / ¥ |",
             "|---|---|---|---|"]
    for o in outcomes:
        cells = [f"{f:.1%} / {d:,} / {v:,.0f}" for f, d, v in
                 (o.by_kind[k] for k in ("fast", "medium", "sporadic"))]
        lines.append(f"| {o.rule} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(stocky: Outcome, wave1: Outcome, new: list[Outcome]) -> list[str]:
    out = []
    outs = at(new, "inventory_yuan", stocky.inventory_yuan, "stockout_days")
    if outs is None:
        low = min(new, key=lambda o: o.inventory_yuan)
        out.append(f"| new ≤ 50 % of Stocky's stock-out SKU-days at Stocky's inventory value "
                   f"(¥{stocky.inventory_yuan:,.0f}) | every level run holds more (lowest "
                   f"¥{low.inventory_yuan:,.0f}: {low.stockout_days:,} SKU-days, "
                   f"{low.stockout_days / stocky.stockout_days:.0%} of Stocky's) | no |")
    else:
        share = outs / stocky.stockout_days
        out.append(f"| new ≤ 50 % of Stocky's stock-out SKU-days at Stocky's inventory value "
                   f"(¥{stocky.inventory_yuan:,.0f}) | {outs:,.0f} against "
                   f"{stocky.stockout_days:,}: {share:.0%} | {'yes' if share <= 0.5 else 'no'} |")
    value = at(new, "fill_rate", wave1.fill_rate, "inventory_yuan")
    if value is None:
        out.append(f"| new ≥ 15 % less inventory value at wave 1's fill rate "
                   f"({wave1.fill_rate:.1%}) | no level run reaches it exactly | — |")
    else:
        saved = 1 - value / wave1.inventory_yuan
        said = f"{saved:.0%} less" if saved >= 0 else f"{-saved:.0%} more"
        out.append(f"| new ≥ 15 % less inventory value at wave 1's fill rate "
                   f"({wave1.fill_rate:.1%}) | ¥{value:,.0f} against "
                   f"¥{wave1.inventory_yuan:,.0f}: {said} | "
                   f"{'yes' if saved >= 0.15 else 'no'} |")
    return out


def write_results(text: str) -> None:
    """Replace the replay section of RESULTS.md (or add it at the end)."""
    content = RESULTS.read_text("utf-8")
    start, end = "<!-- replay: kept by replay.py -->", "<!-- /replay -->"
    block = f"{start}\n{text.strip()}\n{end}"
    if start in content:
        content = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _m: block, content,
                         flags=re.S)
    else:
        content = content.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(content, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skus", type=int, default=300)
    parser.add_argument("--levels", default="0.8,0.9,0.95,0.98")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    levels = [float(x) for x in args.levels.split(",")]
    shop = build_shop(args.skus)
    print(f"shop: {args.skus} SKUs, {int(shop.demand.sum()):,} units wanted over "
          f"{len(shop.days)} days", flush=True)
    stocky = replay(shop, Stocky())
    print(table([stocky]), flush=True)
    wave1 = [replay(shop, ShopOps(False, level)) for level in levels]
    print(table(wave1), flush=True)
    new = [replay(shop, ShopOps(True, level)) for level in levels]
    print(table(new), flush=True)
    default = levels.index(0.95) if 0.95 in levels else 0
    lines = verdicts(stocky, wave1[default], new)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent).stdout.strip()
    text = "\n".join([
        "## Reorder rules replayed over a year (`benchmarks/replay.py`)", "",
        f"Run on {dt.date.today()} at commit {commit}: {args.skus} SKUs "
        f"(a third fast, a third medium, a third sporadic; a tenth launched during the year), "
        f"{int(shop.demand[:, -365:].sum()):,} units wanted in {YEAR}; the same demand and "
        "the same supplier delays for every rule.", "",
        table([stocky, *wave1, *new]), "",
        "| target | measured | met? |", "|---|---|---|", *lines, "",
        "Per kind of product (fill rate / stock-out SKU-days / average inventory ¥):", "",
        kinds_table([stocky, *wave1, *new]), "",
        "Wave 1 is compared at Settings' service level (95 %); the new rule's figures at a "
        "given inventory value or fill rate are interpolated between its levels."])
    print("\n" + "\n".join(lines))
    if args.write:
        write_results(text)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
