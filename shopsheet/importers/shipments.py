"""A carrier's or platform's shipment file: order id → tracking number (and carrier, time)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from shopsheet.core.problems import Problem
from shopsheet.importers.tabular import FileProblem, read_tables
from shopsheet.validation import to_timestamp

COLUMNS = {
    "order_id": ("order id", "order", "订单号", "订单编号", "name", "主订单编号"),
    "tracking_no": ("tracking no", "tracking number", "tracking", "运单号", "快递单号", "物流单号"),
    "carrier": ("carrier", "快递公司", "物流公司", "courier"),
    "shipped": ("shipped", "shipped at", "发货时间", "ship date"),
}


def read_shipments(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    try:
        tables = read_tables(path)
    except FileProblem as err:
        return pd.DataFrame(), [Problem(Path(path).name, message=str(err))]
    table = next(iter(tables.values()))
    found = {}
    for name, words in COLUMNS.items():
        found[name] = next((h for h in table.columns if h.strip().lower() in words), None)
    missing = [n for n in ("order_id", "tracking_no") if found[n] is None]
    if missing:
        return pd.DataFrame(), [Problem(Path(path).name, message=(
            "needs an order id and a tracking number column; found "
            + ", ".join(table.columns)))]
    out = pd.DataFrame({"order_id": table[found["order_id"]].str.strip(),
                        "tracking_no": table[found["tracking_no"]].str.strip()})
    out["carrier"] = table[found["carrier"]].str.strip().replace("", None) \
        if found["carrier"] else None
    problems = []
    shipped = []
    for row, value in (table[found["shipped"]].items() if found["shipped"] else []):
        when = to_timestamp(value) if value.strip() else None
        if value.strip() and when is None:
            problems.append(Problem(Path(path).name, f"row {row}", found["shipped"], value,
                                    "a date and time"))
        shipped.append(when)
    out["shipped"] = pd.to_datetime(pd.Series(shipped or [None] * len(out), index=out.index))
    blank = out["order_id"].eq("") | out["tracking_no"].eq("")
    for row in out.index[blank]:
        problems.append(Problem(Path(path).name, f"row {row}", message="order id or tracking "
                                "number is blank"))
    return out[~blank], problems
