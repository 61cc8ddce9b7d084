"""A CSV or sheet with the Orders sheet's own headers, in English or Chinese, imports as is."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.book.base import find_header
from shopsheet.core.problems import Problem
from shopsheet.importers.base import LINE_FIELDS, finish_lines
from shopsheet.sheets import SHEETS
from shopsheet.validation import coerce

ORDERS = SHEETS["Orders"]
REQUIRED = [c.name for c in ORDERS.columns if c.required]


class Generic:
    name = "ShopOps Orders columns"
    channel = "other"

    @classmethod
    def matches(cls, table: pd.DataFrame) -> bool:
        _, found, _ = find_header(ORDERS, [list(table.columns)])
        return all(name in found for name in REQUIRED if name != "line")

    @classmethod
    def lines(cls, tables: dict[str, pd.DataFrame], source: str, zone: ZoneInfo | None):
        table = next(t for t in tables.values() if cls.matches(t))
        _, found, _ = find_header(ORDERS, [list(table.columns)])
        raw = pd.DataFrame({name: table[table.columns[idx]] for name, idx in found.items()
                            if name in LINE_FIELDS}, index=table.index)
        raw = raw.map(lambda v: None if v is None or not str(v).strip() else v)
        columns = [c for c in ORDERS.columns if c.name in raw]
        typed, problems = coerce(raw, columns, source, {name: "" for name in found})
        header = {c.label: table.columns[found[c.name]] for c in columns}
        problems = [Problem(source, f"row {p.cell}", header[p.column], p.got, p.expected)
                    for p in problems]
        if "channel" not in typed or typed["channel"].isna().all():
            typed["channel"] = cls.channel
        typed["source"] = [f"{source}, row {r}" for r in typed.index]
        channel = typed["channel"].fillna(cls.channel)
        lines = finish_lines(typed.drop(columns="channel"), cls.channel)
        lines["channel"] = channel.to_numpy()
        return lines, problems

