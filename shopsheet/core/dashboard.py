"""Today's numbers for the Dashboard sheet and the daily Log line, in the guide's words."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.membership import among
from shopsheet.core.money import total_cents
from shopsheet.core.words import ALERT_FLAGS, NEEDS_STOCK, SOLD, TO_SHIP, Status


def daily_numbers(orders: pd.DataFrame, products: pd.DataFrame, inquiries: pd.DataFrame,
                  pick_orders: int, today: dt.date, processed: int) -> dict[str, float]:
    """The figures of the daily checklist. `processed` = orders imported or verified today."""
    start = pd.Timestamp(today)
    day = (orders["created"] >= start - pd.Timedelta(days=1)) & (orders["created"] < start)
    shipped = (orders["shipped"] >= start - pd.Timedelta(days=1)) & \
        (orders["shipped"] < start + pd.Timedelta(days=1))
    paid_day = orders[day & among(orders["status"], SOLD)]
    return {
        "processed": processed,
        "orders_yesterday": int(orders.loc[day, "order_id"].nunique()),
        "sales_yesterday": total_cents(paid_day["line_total"]) / 100,  # added up in cents
        "to_pick": pick_orders,
        "shipped": int(orders.loc[shipped, "order_id"].nunique()),
        "awaiting_payment": int(orders.loc[orders["status"] == Status.PENDING,
                                           "order_id"].nunique()),
        "held": int(orders.loc[(orders["verified"] == False)  # noqa: E712 (nullable boolean)
                               & (orders["status"] == TO_SHIP) & orders["shipped"].isna(),
                               "order_id"].nunique()),
        "low_stock": int(among(products["reorder_flag"], ALERT_FLAGS).sum()),
        "inquiries_open": int((inquiries["resolved"] != True).sum()),  # noqa: E712
    }


def standing_alerts(orders: pd.DataFrame, products: pd.DataFrame,
                    unmapped: pd.Series | None = None) -> list[str]:
    """What needs the owner today, from the workbook's state (so re-running shows the same);
    `unmapped` says which lines (by row) no SKU or Listings row names."""
    alerts = []
    held = orders[(orders["verified"] == False) & (orders["status"] == TO_SHIP)  # noqa: E712
                  & orders["shipped"].isna()].drop_duplicates("order_id")
    alerts += [f"Check order {o}: {f}" for o, f in zip(held["order_id"], held["flags"])]
    for p in products[among(products["reorder_flag"], NEEDS_STOCK)] \
            .itertuples():
        when = f", order by {p.reorder_by:%Y-%m-%d}" if pd.notna(p.reorder_by) else ""
        alerts.append(f"{str(p.reorder_flag).capitalize()}: {p.sku} {p.product} "
                      f"(stock {p.current_stock}){when}")
    if unmapped is not None and unmapped.any():
        lost = orders[unmapped.to_numpy()]
        names = lost["product"].fillna(lost["sku"]).dropna().astype(str).unique()
        verb = "s map" if len(lost) != 1 else " maps"
        alerts.append(f"{len(lost)} order line{verb} to no product "
                      "(add Listings rows, or run Suggest Listings): "
                      + ", ".join(sorted(names)[:6]) + (" …" if len(names) > 6 else ""))
    return alerts


def log_words(n: dict[str, int]) -> str:
    """`Daily checklist: 15 orders processed, 12 shipped, inventory updated, 3 low-stock
    alerts, 3 inquiries open` — the guide's own words."""
    return (f"Daily checklist: {n['processed']} orders processed, {n['shipped']} shipped, "
            f"inventory updated, {n['low_stock']} low-stock alert{'s' * (n['low_stock'] != 1)}, "
            f"{n['inquiries_open']} inquir{'ies' if n['inquiries_open'] != 1 else 'y'} open")


SECTION_ORDER = ("Today", "Week", "Month")


def with_section(current: pd.DataFrame, section: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The Dashboard with `section`'s rows replaced by `rows` and the other sections kept
    (today's numbers from the daily routine, the last weekly and monthly reviews)."""
    kind = section.split()[0]
    keep = current[~current["section"].fillna("").str.startswith(kind)]
    merged = pd.concat([keep[["section", "metric", "value", "note"]],
                        rows.assign(section=section)[["section", "metric", "value", "note"]]],
                       ignore_index=True)
    rank = merged["section"].fillna("").map(
        lambda s: SECTION_ORDER.index(s.split()[0]) if s.split() and s.split()[0] in
        SECTION_ORDER else len(SECTION_ORDER))
    return merged.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank") \
        .reset_index(drop=True)


def dashboard_rows(n: dict[str, int], alerts: list[str], today: dt.date) -> pd.DataFrame:
    rows = [
        ("Orders yesterday", n["orders_yesterday"], "Orders created yesterday, all channels"),
        ("Sales yesterday (¥)", round(n["sales_yesterday"], 2), "Paid line totals"),
        ("Orders to pick", n["to_pick"], "On today's PickList"),
        ("Shipped (last 24 h)", n["shipped"], "Orders with a shipped time since yesterday"),
        ("Held for review", n["held"], "Red flags: check, then set Verified to yes"),
        ("Awaiting payment", n["awaiting_payment"], "Pending orders"),
        ("Low-stock alerts", n["low_stock"], "Products flagged low, reorder or out of stock"),
        ("Inquiries open", n["inquiries_open"], "Customer inquiries not resolved"),
    ]
    rows += [("Alert", text, "") for text in alerts]
    return pd.DataFrame(rows, columns=["metric", "value", "note"])
