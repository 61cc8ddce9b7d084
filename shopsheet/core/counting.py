"""Cycle counts: what to count today, the counts as ledger rows, and what they found missing.

    how often   A items weekly, B monthly, C quarterly (Products' Review, from `abc`; a
                product not classed yet: monthly)
    due         never counted, or counted at least that many days ago
    today's     each class's share of a day, ⌈products in the class ÷ its days⌉, longest
                uncounted first: every product comes round within its period and no day is
                spent counting everything at once (`every`: all that are due)
    walked      in Location order (A-2 before A-10), then SKU
    a count     a `count` row whose Change is the level counted (the ledger restarts there)
    shrinkage   per SKU and reason over a period, units lost (negative: found):
                a count's difference, what the ledger held just before it − the level counted;
                a hand adjustment, − its Change, the reason its Note (damaged, lost…);
                value = units × Cost, in whole cents
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from shopsheet.core.language import N_, _
from shopsheet.core.membership import among
from shopsheet.core.money import cents
from shopsheet.core.problems import Problem
from shopsheet.core.words import ProductStatus, Reason, ReviewFrequency

EVERY = {ReviewFrequency.WEEKLY: 7, ReviewFrequency.MONTHLY: 30, ReviewFrequency.QUARTERLY: 91}
UNCLASSED = ReviewFrequency.MONTHLY  # how often a product without an ABC class is counted
COUNT_DIFFERENCE = N_("count difference")  # the shrinkage reason of a count's difference
ADJUSTED = N_("adjustment")  # …of a hand adjustment without a note


def last_counted(ledger: pd.DataFrame) -> pd.Series:
    """Date of each SKU's latest count: the Products sheet's Last Counted."""
    counts = ledger[ledger["reason"] == Reason.COUNT].dropna(subset=["sku", "time"])
    return counts.groupby("sku")["time"].max().dt.normalize()


def _natural(text: object) -> tuple:
    """A location's sort key: numbers by value, so shelf A-2 comes before A-10."""
    parts = re.split(r"(\d+)", str(text or "").casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p != "")


def count_list(products: pd.DataFrame, ledger: pd.DataFrame, today: dt.date, *,
               kits: set[str] = frozenset(), every: bool = False) -> pd.DataFrame:
    """Products to count today (Products' rows: location, sku, product, abc, review,
    last_counted, days_since), in walking order. Kits are not on a shelf; a discontinued
    product with no stock is not counted."""
    counted = last_counted(ledger)
    stock = products["current_stock"].fillna(0)
    live = products[~among(products["sku"], kits)
                    & ~((products["status"] == ProductStatus.DISCONTINUED) & (stock <= 0))]
    review = live["review"].where(among(live["review"], tuple(EVERY)), UNCLASSED)
    period = review.map(EVERY).astype("int64")
    last = pd.Series(pd.to_datetime(counted.reindex(live["sku"]).to_numpy()), index=live.index)
    since = (pd.Timestamp(today) - last).dt.days
    due = last.isna() | (since >= period)
    listed = live.assign(review=review, last_counted=last, days_since=since)[due]
    if not every:
        share = period.groupby(review).agg(lambda p: math.ceil(len(p) / p.iloc[0]))
        oldest = listed.assign(_never=listed["last_counted"].isna(),
                               _since=listed["days_since"].fillna(np.inf)) \
            .sort_values(["_never", "_since", "sku"], ascending=[False, False, True])
        listed = oldest[oldest.groupby("review").cumcount() < oldest["review"].map(share)]
    order = sorted(listed.index, key=lambda i: (_natural(listed.at[i, "location"]),
                                                str(listed.at[i, "sku"])))
    return listed.loc[order, ["location", "sku", "product", "abc", "review", "last_counted",
                              "days_since"]]


def count_rows(counted: pd.DataFrame, known: set[str], kits: set[str], when: pd.Timestamp,
               reference: str, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """StockLedger `count` rows from a count sheet's rows (sku, counted; indexed by the row
    number the file shows), and every problem in it: an unknown SKU, a kit, a count that is
    not a whole number ≥ 0, a SKU counted twice with different figures. Blank counts are
    products not counted this time and are left out."""

    problems = []
    rows = counted.dropna(subset=["counted"])
    for row, sku, value in zip(rows.index, rows["sku"], rows["counted"]):
        if sku not in known:
            problems.append(Problem(source, f"row {row}", _("SKU"), sku,
                                    _("a SKU of Products")))
        elif sku in kits:
            problems.append(Problem(source, f"row {row}", _("SKU"), sku, _(
                "a product on the shelf (a kit is counted as its parts)")))
        if not isinstance(value, (int, np.integer)) or value < 0:
            problems.append(Problem(source, f"row {row}", _("Counted"), value,
                                    _("a whole number ≥ 0")))
    figures = rows.groupby("sku")["counted"].agg(lambda v: set(map(str, v)))
    for sku, seen in figures.items():
        if len(seen) > 1:
            problems.append(Problem(source, None, _("Counted"), sku, message=_(
                "{sku} is counted more than once with different figures ({figures}); keep "
                "one").format(sku=sku, figures=", ".join(sorted(seen)))))
    if problems:
        return pd.DataFrame(columns=["time", "sku", "change", "reason", "reference", "note"]), \
            problems
    once = rows.drop_duplicates("sku")
    return pd.DataFrame({"time": when, "sku": once["sku"].to_numpy(),
                         "change": once["counted"].astype("int64").to_numpy(),
                         "reason": Reason.COUNT, "reference": reference,
                         "note": None}), []


def count_differences(ledger: pd.DataFrame) -> pd.DataFrame:
    """Each count row (same index) with `before` (what the ledger held just before it),
    `counted` and `lost` = before − counted."""
    moves = ledger.dropna(subset=["sku", "change", "time"]).sort_values(["sku", "time"],
                                                                        kind="stable")
    is_count = moves["reason"] == Reason.COUNT
    segment = is_count.astype("int64").groupby(moves["sku"]).cumsum()
    level = moves["change"].astype("int64").groupby([moves["sku"], segment]).cumsum()
    ends = level.groupby([moves["sku"], segment]).last()
    counts = moves[is_count]
    before = [int(ends.get((sku, seg - 1), 0)) for sku, seg in
              zip(counts["sku"], segment[is_count])]
    counted = counts["change"].astype("int64")
    return pd.DataFrame({"time": counts["time"], "sku": counts["sku"], "before": before,
                         "counted": counted, "lost": np.array(before) - counted.to_numpy()},
                        index=counts.index)


def shrinkage(ledger: pd.DataFrame, products: pd.DataFrame, start: pd.Timestamp,
              end: pd.Timestamp) -> pd.DataFrame:
    """Units and value lost in [start, end) per SKU and reason (product, reason, units,
    value_cents), the largest value first; rows that lost nothing are left out."""

    inside = (ledger["time"] >= start) & (ledger["time"] < end)
    found = count_differences(ledger)
    found = found[(found["time"] >= start) & (found["time"] < end)]
    adjusted = ledger[inside & (ledger["reason"] == Reason.ADJUSTMENT)].dropna(
        subset=["sku", "change"])
    notes = adjusted["note"].where(adjusted["note"].notna() & (adjusted["note"] != ""),
                                   _(ADJUSTED))
    lost = pd.concat([
        pd.DataFrame({"sku": found["sku"], "reason": _(COUNT_DIFFERENCE),
                      "units": found["lost"]}),
        pd.DataFrame({"sku": adjusted["sku"], "reason": notes.astype(str).str.strip(),
                      "units": -adjusted["change"].astype("int64")}),
    ], ignore_index=True)
    columns = ["sku", "product", "reason", "units", "value_cents"]
    if lost.empty:
        return pd.DataFrame(columns=columns)
    table = lost.groupby(["sku", "reason"], as_index=False)["units"].sum()
    table = table[table["units"] != 0]
    info = products.drop_duplicates("sku").set_index("sku")
    cost = table["sku"].map(info["cost"])
    table["value_cents"] = [0 if pd.isna(c) else cents(c) * int(u)
                            for c, u in zip(cost, table["units"])]
    table["product"] = table["sku"].map(info["product"])
    return table.sort_values(["value_cents", "sku"], ascending=[False, True])[columns] \
        .reset_index(drop=True)
