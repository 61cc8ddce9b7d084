"""The one contract every export format keeps, as beangulp's importers do.

A format is a `Profile`: the columns it declares on the class (each with the header or headers
it goes by and how its cells read), `matches` (does a table look like this format, from its
headers alone) and `lines` (the rows it yields from the tables of one export, with every bad
cell named by file, row and header). A format whose export comes as two files (Taobao's
订单报表 + 宝贝报表, or the 千牛 workbook's sheets) names the other part as its `partner`; the
dispatcher hands it both. Nothing about any format is decided outside its own module.

Headers are compared as back ends really write them: trailing spaces and case ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar
from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.language import N_, _
from shopsheet.core.problems import Problem
from shopsheet.importers import values
from shopsheet.validation import out_of_years

LINE_FIELDS = ["order_id", "line", "channel", "created", "paid", "shipped", "delivered", "status",
               "customer", "phone", "province", "city", "address", "billing_address",
               "shipping_method", "carrier", "tracking_no", "sku", "product", "qty", "unit_price",
               "discount", "line_total", "shipping_fee", "buyer_note", "store", "listing_id"]
EXPECTED = {"id": N_("an order id"), "money": N_("an amount of money"),
            "whole": N_("a whole number"), "time": N_("a date and time"), "text": N_("text")}


def header_key(text: object) -> str:
    """A header as compared: white space collapsed, case ignored (`订单付款时间 ` = `订单付款时间`)."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


@dataclass(frozen=True)
class Col:
    """One column of an export: the header(s) it goes by and how its cells read."""

    headers: tuple[str, ...] | str
    kind: str = "text"
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.headers,) if isinstance(self.headers, str) else self.headers

    def header_in(self, table: pd.DataFrame) -> str | None:
        """The table's own header text for this column, if it has one."""
        present = {header_key(h): h for h in table.columns}
        return next((present[header_key(n)] for n in self.names if header_key(n) in present),
                    None)


@dataclass
class Tables:
    """The tables one export holds, each under the name problems call it by (a CSV's file
    name; a workbook's file name and sheet)."""

    named: dict[str, pd.DataFrame] = field(default_factory=dict)

    def find(self, profile: type[Profile]) -> tuple[str, pd.DataFrame] | None:
        """The first table in `profile`'s format, with its name."""
        return next(((n, t) for n, t in self.named.items() if profile.matches(t)), None)

    def first(self) -> tuple[str, pd.DataFrame]:
        return next(iter(self.named.items()))

    def __or__(self, other: Tables) -> Tables:
        return Tables({**self.named, **other.named})


class Profile:
    """An export format. Subclasses declare `columns` and `signature` and implement `lines`."""

    name: ClassVar[str]  # as the user is told it, e.g. "Shopify orders export"
    key: ClassVar[str]  # the word `--format` takes
    channel: ClassVar[str]
    signature: ClassVar[tuple[str, ...]]  # headers that together identify the format
    columns: ClassVar[dict[str, Col]]
    partner: ClassVar[type[Profile] | None] = None  # the other part of a two-part export

    @classmethod
    def headers(cls) -> set[str]:
        """The headers (compared as `header_key`) this format reads."""
        return {header_key(h) for col in cls.columns.values() for h in col.names} | \
            {header_key(h) for h in cls.signature}

    @classmethod
    def matches(cls, table: pd.DataFrame) -> bool:
        present = {header_key(h) for h in table.columns}
        return all(header_key(h) in present for h in cls.signature)

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None) -> tuple[pd.DataFrame, list[Problem]]:
        """Order lines (the Orders sheet's fields plus `source`, the file and row each came
        from) and every problem found."""
        raise NotImplementedError

    @classmethod
    def parse(cls, table: pd.DataFrame, source: str, zone: ZoneInfo | None,
              columns: dict[str, Col] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
        """Typed frame of the declared columns present (absent ones as blanks), same index."""
        out = pd.DataFrame(index=table.index)
        problems: list[Problem] = []
        for name, col in (columns or cls.columns).items():
            header = col.header_in(table)
            if header is None:
                if col.required:
                    problems.append(Problem(source, message=_(
                        "column {column!r} is missing; is this a {format}?").format(
                            column=col.names[0], format=_(cls.name))))
                out[name] = None
                continue
            typed = []
            for row, raw in table[header].items():
                value, ok = _read(raw, col.kind, zone)
                if not ok:
                    expected = _(EXPECTED[col.kind]) + (
                        _(" from 1900 to 2199") if col.kind == "time" and out_of_years(str(raw))
                        else "")
                    problems.append(Problem(source, f"row {row}", header, raw, expected))
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


def sourced(frame: pd.DataFrame, source: str) -> list[str]:
    """Where each row came from, `file, row N`: what a problem with the line will say."""
    return [f"{source}, row {r}" for r in frame.index]


def finish_lines(frame: pd.DataFrame, channel: str) -> pd.DataFrame:
    """Fill what every profile derives the same way; columns in Orders order."""
    frame = frame.copy()
    frame["channel"] = channel
    for name in LINE_FIELDS:
        if name not in frame:
            frame[name] = None
    if frame["line"].isna().all():
        frame["line"] = number_lines(frame)
    qty, price, discount, total = (pd.to_numeric(frame[c], errors="coerce").astype("float64")
                                   for c in ("qty", "unit_price", "discount", "line_total"))
    frame["line_total"] = total.fillna((qty * price - discount.fillna(0)).round(2))
    return frame[LINE_FIELDS + [c for c in ("source",) if c in frame]]


def unknown_statuses(frame: pd.DataFrame, table: pd.DataFrame, header: str, source: str,
                     examples: str) -> list[Problem]:
    """Status words the mapping does not know, each named: nothing is guessed."""
    bad = frame["status"].isna() & frame["status_word"].notna()
    header = Col(header).header_in(table) or header
    return [Problem(source, f"row {row}", header, table.at[row, header],
                    _("an order status this export uses (e.g. {examples})").format(
                        examples=examples))
            for row in frame.index[bad]]


def explained(reason: str, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """No lines, and why: for an export that cannot be imported as it is."""
    return pd.DataFrame(columns=LINE_FIELDS + ["source"]), [Problem(source, message=reason)]
