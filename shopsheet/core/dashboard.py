"""Today's numbers for the Dashboard sheet and the daily Log line, in the guide's words."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.language import CHINESE, N_, _, catalogue, counted, ngettext
from shopsheet.core.membership import among
from shopsheet.core.money import total_cents
from shopsheet.core.words import ALERT_FLAGS, NEEDS_STOCK, SOLD, TO_SHIP, Flag, Status


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
    alerts += [_("Check order {order}: {flags}").format(order=o, flags=f)
               for o, f in zip(held["order_id"], held["flags"])]
    for p in products[among(products["reorder_flag"], NEEDS_STOCK)] \
            .itertuples():
        flag = FLAG_WORDS.get(p.reorder_flag, str(p.reorder_flag))
        if pd.notna(p.reorder_by):
            alerts.append(_("{flag}: {sku} {product} (stock {stock}), order by {date}").format(
                flag=_(flag), sku=p.sku, product=p.product, stock=p.current_stock,
                date=f"{p.reorder_by:%Y-%m-%d}"))
        else:
            alerts.append(_("{flag}: {sku} {product} (stock {stock})").format(
                flag=_(flag), sku=p.sku, product=p.product, stock=p.current_stock))
    if unmapped is not None and unmapped.any():
        lost = orders[unmapped.to_numpy()]
        names = lost["product"].fillna(lost["sku"]).dropna().astype(str).unique()
        alerts.append(ngettext(
            "{n} order line maps to no product (add Listings rows, or run Suggest Listings): "
            "{names}", "{n} order lines map to no product (add Listings rows, or run Suggest "
            "Listings): {names}", len(lost)).format(
                n=len(lost), names=", ".join(sorted(names)[:6]) + (" …" if len(names) > 6
                                                                    else "")))
    return alerts


# the Dashboard's alert for each flag that calls for stock
FLAG_WORDS = {Flag.REORDER: N_("Reorder"), Flag.OUT: N_("Out of stock"),
              Flag.OVERSOLD: N_("Oversold")}


def log_words(n: dict[str, int]) -> str:
    """`Daily checklist: 15 orders processed, 12 shipped, inventory updated, 3 low-stock
    alerts, 3 inquiries open` — the guide's own words."""
    parts = (counted("{n} order processed", "{n} orders processed", n["processed"]),
             _("{n} shipped").format(n=n["shipped"]), _("inventory updated"),
             counted("{n} low-stock alert", "{n} low-stock alerts", n["low_stock"]),
             counted("{n} inquiry open", "{n} inquiries open", n["inquiries_open"]))
    return _("Daily checklist: {parts}").format(parts=_(", ").join(parts))


# the Dashboard's sections, in order: a section's title begins with its word (either language)
SECTION_ORDER = (N_("Today"), N_("Week"), N_("Month"))


def section_kind(section: object) -> int:
    """Which of SECTION_ORDER a section title is (`Today 2026-11-20`, `今日 2026-11-20`),
    whichever language wrote it; len(SECTION_ORDER) for a section of the owner's own."""
    words = str(section).split() if isinstance(section, str) else []
    if not words:
        return len(SECTION_ORDER)
    for rank, kind in enumerate(SECTION_ORDER):
        if words[0] in (kind, catalogue(CHINESE).gettext(kind)):
            return rank
    return len(SECTION_ORDER)


def section_title(kind: str, when: str) -> str:
    """`Today 2026-11-20` in the language spoken now."""
    return f"{_(kind)} {when}"


def with_section(current: pd.DataFrame, section: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The Dashboard with `section`'s rows replaced by `rows` and the other sections kept
    (today's numbers from the daily routine, the last weekly and monthly reviews)."""
    kind = section_kind(section)
    keep = current[current["section"].map(section_kind) != kind]
    merged = pd.concat([keep[["section", "metric", "value", "note"]],
                        rows.assign(section=section)[["section", "metric", "value", "note"]]],
                       ignore_index=True)
    rank = merged["section"].map(section_kind)
    return merged.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank") \
        .reset_index(drop=True)


def dashboard_rows(n: dict[str, int], alerts: list[str], today: dt.date) -> pd.DataFrame:
    rows = [
        (_("Orders yesterday"), n["orders_yesterday"],
         _("Orders created yesterday, all channels")),
        (_("Sales yesterday (¥)"), round(n["sales_yesterday"], 2), _("Paid line totals")),
        (_("Orders to pick"), n["to_pick"], _("On today's PickList")),
        (_("Shipped (last 24 h)"), n["shipped"], _("Orders with a shipped time since yesterday")),
        (_("Held for review"), n["held"], _("Red flags: check, then set Verified to yes")),
        (_("Awaiting payment"), n["awaiting_payment"], _("Pending orders")),
        (_("Low-stock alerts"), n["low_stock"],
         _("Products flagged low, reorder or out of stock")),
        (_("Inquiries open"), n["inquiries_open"], _("Customer inquiries not resolved")),
    ]
    rows += [(_("Alert"), text, "") for text in alerts]
    return pd.DataFrame(rows, columns=["metric", "value", "note"])
