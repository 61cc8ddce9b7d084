"""Customer messages: which orders are due which message today, and the filled texts.

    confirmation   orders paid in the 24 hours before now
    shipping       orders shipped in the 24 hours before now
    follow-up      orders delivered 3 to 5 days before today (asking for a review)

Templates use `${name}` placeholders (string.Template): a misspelled one is left as written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from string import Template

import pandas as pd

from shopsheet.core.membership import among
from shopsheet.core.money import total_cents
from shopsheet.core.words import SENT, Channel, Status

KINDS = ("confirmation", "shipping", "follow-up")


def due(orders: pd.DataFrame, kind: str, now: dt.datetime) -> pd.DataFrame:
    """The order lines whose order is due `kind` now."""
    now = pd.Timestamp(now)
    if kind == "confirmation":
        hit = orders["paid"].between(now - pd.Timedelta(days=1), now) & \
            among(orders["status"], (Status.PAID, Status.SHIPPED))
    elif kind == "shipping":
        hit = orders["shipped"].between(now - pd.Timedelta(days=1), now) & \
            among(orders["status"], SENT)
    elif kind == "follow-up":
        today = now.normalize()
        hit = (orders["delivered"] >= today - pd.Timedelta(days=5)) & \
            (orders["delivered"] < today - pd.Timedelta(days=2)) & \
            (orders["status"] == Status.DELIVERED)
    else:
        raise ValueError(f"no message kind {kind!r}; choose one of {', '.join(KINDS)}")
    return orders[hit]


def fill(lines: pd.DataFrame, templates: dict[str, str], shop_name: str,
         language: str) -> list[dict]:
    """One message per order: its id, channel, customer, language and text."""
    out = []
    for order_id, items in lines.groupby("order_id", sort=False):
        first = items.iloc[0]
        lang = "en" if first["channel"] == Channel.SHOPIFY else language
        lines = pd.to_numeric(items["line_total"]).fillna(items["qty"] * items["unit_price"])
        total = Decimal(total_cents(lines, items["shipping_fee"])) / 100
        values = {
            "customer": _text(first["customer"]) or ("customer" if lang == "en" else "顾客"),
            "shop_name": shop_name, "order_id": order_id,
            "items": "\n".join(f"  · {_text(x.product) or x.sku} × {int(x.qty)}"
                               for x in items.itertuples()),
            "total": f"{total:,.2f}", "carrier": _text(first["carrier"]),
            "tracking_no": _text(first["tracking_no"]),
            "delivered": f"{first['delivered']:%Y-%m-%d}" if pd.notna(first["delivered"]) else "",
        }
        out.append({"order_id": order_id, "channel": first["channel"],
                    "customer": values["customer"], "language": lang,
                    "text": Template(templates[lang]).safe_substitute(values).strip()})
    return out


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
