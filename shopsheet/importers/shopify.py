"""Shopify Admin → Orders → Export (CSV, UTF-8): one row per line item.

Order-level fields (status, times, address, shipping) are blank on an order's follow-on rows and
are filled from its first row. Times carry a UTC offset (`2025-05-11 09:55:16 -0400`) and are
moved into the shop's time zone. Lines without a SKU are common (most small shops never fill
the SKU field): they are imported like any other, named by their Lineitem name (`Title -
Variant`), which a Listings row maps to the shop's own SKU. A line's own fulfillment status
(`Lineitem fulfillment status`) says whether it shipped when the order is partly fulfilled.
Cells Shopify guards with a leading apostrophe (`'2759`, a ZIP code) lose it. The lines of an
order share its Total (less shipping) to the cent, so sales equal the export's own Total.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.language import N_
from shopsheet.core.money import cents, shared
from shopsheet.core.words import Channel, Status
from shopsheet.importers.base import Col, Profile, Tables, finish_lines, sourced

ORDER_LEVEL = ["financial", "fulfillment", "paid", "shipped", "created", "cancelled_at",
               "customer", "phone", "ship_phone", "address1", "address2", "city", "province",
               "zip", "country", "billing1", "billing2", "billing_city", "billing_province",
               "billing_zip", "billing_country", "shipping_method", "shipping_fee",
               "buyer_note"]


class Shopify(Profile):
    name = N_("Shopify orders export")
    key = "shopify"
    channel = Channel.SHOPIFY
    signature = ("Name", "Financial Status", "Lineitem quantity", "Lineitem name")
    columns = {
        "order_id": Col("Name", "id", required=True),
        "financial": Col("Financial Status"),
        "fulfillment": Col("Fulfillment Status"),
        "paid": Col("Paid at", "time"),
        "shipped": Col("Fulfilled at", "time"),
        "created": Col("Created at", "time"),
        "cancelled_at": Col("Cancelled at", "time"),
        "qty": Col("Lineitem quantity", "whole", required=True),
        "product": Col("Lineitem name"),
        "unit_price": Col("Lineitem price", "money"),
        "sku": Col("Lineitem sku"),
        "discount": Col("Lineitem discount", "money"),
        "line_fulfillment": Col("Lineitem fulfillment status"),
        "customer": Col(("Shipping Name", "Billing Name")),
        "ship_phone": Col("Shipping Phone"),
        "phone": Col(("Phone", "Billing Phone")),
        "address1": Col("Shipping Address1"),
        "address2": Col("Shipping Address2"),
        "city": Col("Shipping City"),
        "province": Col(("Shipping Province Name", "Shipping Province")),
        "zip": Col("Shipping Zip"),
        "country": Col("Shipping Country"),
        "billing1": Col("Billing Address1"),
        "billing2": Col("Billing Address2"),
        "billing_city": Col("Billing City"),
        "billing_province": Col(("Billing Province Name", "Billing Province")),
        "billing_zip": Col("Billing Zip"),
        "billing_country": Col("Billing Country"),
        "shipping_method": Col("Shipping Method"),
        "shipping_fee": Col("Shipping", "money"),
        "total": Col("Total", "money"),
        "buyer_note": Col("Notes"),
        "carrier_tracking": Col("Tracking Number"),
    }

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        source, table = tables.find(cls)
        frame, problems = cls.parse(table, source, zone)
        frame = frame[frame["order_id"].notna()]  # a row without its Name is named above
        for col in ("zip", "billing_zip", "phone", "ship_phone"):
            frame[col] = frame[col].map(lambda v: v[1:] if isinstance(v, str) and
                                        v.startswith("'") else v)
        first = ~frame["order_id"].duplicated()
        heads = frame.loc[first, ["order_id"] + ORDER_LEVEL].set_index("order_id")
        for col in ORDER_LEVEL:  # follow-on rows: blank order fields come from the first row
            frame[col] = frame[col].where(first, frame["order_id"].map(heads[col]))
        frame["shipping_fee"] = frame["shipping_fee"].where(first, None)
        frame["line_total"] = _line_totals(frame)
        listed = pd.to_numeric(frame["qty"]) * pd.to_numeric(frame["unit_price"])
        frame["discount"] = (listed - pd.to_numeric(frame["line_total"])).clip(lower=0).round(2) \
            .where(frame["line_total"].notna(), frame["discount"])
        shipped = frame["line_fulfillment"].fillna(frame["fulfillment"])
        frame["status"] = [_status(f, s, c) for f, s, c in
                           zip(frame["financial"], shipped, frame["cancelled_at"])]
        frame["phone"] = frame["ship_phone"].fillna(frame["phone"])
        frame["address"] = _joined(frame, ["address1", "address2", "city", "province", "zip",
                                           "country"])
        frame["billing_address"] = _joined(frame, ["billing1", "billing2", "billing_city",
                                                   "billing_province", "billing_zip",
                                                   "billing_country"])
        frame["tracking_no"] = frame["carrier_tracking"]
        frame["line"] = frame.groupby("order_id", sort=False).cumcount() + 1
        frame["source"] = sourced(frame, source)
        return finish_lines(frame, cls.channel), problems


def _line_totals(frame: pd.DataFrame) -> list[float | None]:
    """Each line's part of what its order's buyer paid: the order's Total less its Shipping,
    shared over its lines by list value to the cent, so the lines add up to the export's own
    Total (an order-level discount code is spread over the lines; Lineitem discount is often
    0.00 even then). Without a Total, the line's quantity × price − its discount."""
    out: list[float | None] = [None] * len(frame)
    for positions in frame.groupby("order_id", sort=False).indices.values():
        total, shipping = frame["total"].iat[positions[0]], frame["shipping_fee"].iat[positions[0]]
        if total is None or pd.isna(total):
            continue
        weights = [cents(p or 0) * int(q or 0) for p, q in
                   zip(frame["unit_price"].iloc[positions], frame["qty"].iloc[positions])]
        due = cents(total) - (0 if shipping is None or pd.isna(shipping) else cents(shipping))
        for pos, share in zip(positions, shared(due, weights)):
            out[pos] = share / 100
    return out


def _status(financial, fulfillment, cancelled_at) -> str:
    """An order cancelled after payment is refunded (money went back), before it cancelled."""
    financial = financial.lower() if isinstance(financial, str) else ""
    if financial == "refunded":  # their word
        return Status.REFUNDED
    if financial in ("voided", "expired") or (cancelled_at is not None
                                              and not pd.isna(cancelled_at)):
        return Status.CANCELLED
    if financial in ("pending", "authorized", ""):  # their word; partially_*: sold
        return Status.PENDING
    return Status.SHIPPED if isinstance(fulfillment, str) and fulfillment.lower() == "fulfilled" \
        else Status.PAID


def _joined(frame: pd.DataFrame, columns: list[str]) -> list[str | None]:
    """Address parts in one line, `1 Main St, Apt 2, Toronto, Ontario, M5V 2T6, Canada`."""
    return [", ".join(p for p in parts if isinstance(p, str) and p) or None
            for parts in zip(*(frame[c] for c in columns))]
