"""What every order-export profile shares: columns declared on the class (as beangulp does),
detection by headers, typed parsing that names each bad cell by file, row and header, and the
status words of the back end mapped to ShopOps statuses.

A profile turns the tables of one export (one file, or a pair of files) into order lines with
the Orders sheet's fields; everything specific to a back end lives in its own module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.problems import Problem
from shopsheet.importers import values

LINE_FIELDS = ["order_id", "line", "channel", "created", "paid", "shipped", "delivered", "status",
               "customer", "phone", "province", "city", "address", "billing_address",
               "shipping_method", "carrier", "tracking_no", "sku", "product", "qty", "unit_price",
               "discount", "line_total", "shipping_fee", "buyer_note"]
EXPECTED = {"id": "an order id", "money": "an amount of money", "whole": "a whole number",
            "time": "a date and time", "text": "text"}


@dataclass(frozen=True)
class Col:
    """One column of an export: the header(s) it goes by and how its cells read."""

    headers: tuple[str, ...] | str
    kind: str = "text"
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.headers,) if isinstance(self.headers, str) else self.headers


class Profile:
    """An export format. Subclasses declare `columns` and implement `lines`."""

    name: ClassVar[str]
    channel: ClassVar[str]
    signature: ClassVar[tuple[str, ...]]  # headers that together identify the format
    columns: ClassVar[dict[str, Col]]

    @classmethod
    def matches(cls, table: pd.DataFrame) -> bool:
        return set(cls.signature) <= set(table.columns)

    @classmethod
    def parse(cls, table: pd.DataFrame, source: str, zone: ZoneInfo | None,
              columns: dict[str, Col] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
        """Typed frame of the declared columns present (absent ones as blanks), same index."""
        out = pd.DataFrame(index=table.index)
        problems: list[Problem] = []
        for name, col in (columns or cls.columns).items():
            header = next((h for h in col.names if h in table.columns), None)
            if header is None:
                if col.required:
                    problems.append(Problem(source, message=f"column {col.names[0]!r} is missing;"
                                            f" is this a {cls.name}?"))
                out[name] = None
                continue
            typed = []
            for row, raw in table[header].items():
                value, ok = _read(raw, col.kind, zone)
                if not ok:
                    problems.append(Problem(source, f"row {row}", header, raw, EXPECTED[col.kind]))
                elif value is None and col.required:
                    problems.append(Problem(source, f"row {row}", header, None,
                                            f"{EXPECTED[col.kind]} (required)"))
                typed.append(value)
            out[name] = pd.Series(typed, index=table.index, dtype="object")
        return out, problems


def _read(raw, kind: str, zone: ZoneInfo | None) -> tuple[object, bool]:
    if values.is_blank(raw):
        return None, True
    if kind == "id":
        return values.order_id(raw), True
    if kind == "text":
        return str(raw).strip(), True
    reader = {"money": values.money, "whole": values.whole,
              "time": lambda v: values.moment(v, zone)}[kind]
    value = reader(raw)
    return value, value is not None


def status_of(word: object, mapping: dict[str, str]) -> str | None:
    """A back end's status word → ShopOps status; commas full-width or not, spaces ignored."""
    if values.is_blank(word):
        return None
    key = str(word).replace("，", ",").replace(" ", "").strip().lower()
    return mapping.get(key)


def number_lines(frame: pd.DataFrame) -> pd.Series:
    """Line numbers 1, 2, … within each order, in file order."""
    return frame.groupby("order_id", sort=False).cumcount() + 1


def finish_lines(frame: pd.DataFrame, channel: str) -> pd.DataFrame:
    """Fill what every profile derives the same way; columns in Orders order."""
    frame = frame.copy()
    frame["channel"] = channel
    for name in LINE_FIELDS:
        if name not in frame:
            frame[name] = None
    if "line" not in frame or frame["line"].isna().all():
        frame["line"] = number_lines(frame)
    qty, price, discount, total = (pd.to_numeric(frame[c], errors="coerce").astype("float64")
                                   for c in ("qty", "unit_price", "discount", "line_total"))
    frame["line_total"] = total.fillna((qty * price - discount.fillna(0)).round(2))
    return frame[LINE_FIELDS + [c for c in ("source",) if c in frame]]


def unknown_statuses(frame: pd.DataFrame, table: pd.DataFrame, header: str, source: str,
                     examples: str) -> list[Problem]:
    """Status words the mapping does not know, each named: nothing is guessed."""
    bad = frame["status"].isna() & frame["status_word"].notna()
    return [Problem(source, f"row {row}", header, table.at[row, header],
                    f"an order status this export uses (e.g. {examples})")
            for row in frame.index[bad]]
