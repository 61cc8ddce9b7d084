"""Every line an import would write, checked against its sheet's own model first.

An import never writes what the sheet itself would refuse: each line goes through the same
typing and pandera checks as the Orders sheet does when it is read (allowed channel and status
words, quantities ≥ 1, amounts ≥ 0, a created time), and each failure is named by the file and
row the line came from: `orders.csv, row 7 (Channel): got 'generic', expected one of …`.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.core.language import _
from shopsheet.core.problems import Problem
from shopsheet.sheets import SHEETS
from shopsheet.validation import check, coerce

ORDERS = SHEETS["Orders"]


def conform(lines: pd.DataFrame, sheet: str = "Orders") -> list[Problem]:
    """Problems the `sheet`'s model finds in `lines` (with `source`), by file and row."""
    if lines.empty:
        return []
    spec = SHEETS[sheet]
    columns = [c for c in spec.columns if c.name in lines]
    raw = lines[[c.name for c in columns]].reset_index(drop=True)
    raw.index = pd.RangeIndex(1, len(raw) + 1)  # row numbers stand in for cells below
    raw = raw.astype("object").where(raw.notna(), None)
    letters = {c.name: "" for c in columns}
    typed, bad = coerce(raw, columns, "lines", letters)
    bad += check(spec.model, typed, columns, "lines", letters, {p.cell for p in bad})
    sources = dict(zip(raw.index.astype(str), lines["source"]))
    found = []
    for problem in bad:
        where = sources.get(problem.cell, problem.cell)
        file, _unused, row = where.partition(", ")
        found.append(Problem(file, row, problem.column, problem.got, problem.expected,
                             problem.message))
    return list(dict.fromkeys(found))


CELL_LIMIT = 32_767  # characters an Excel cell holds


def too_long(lines: pd.DataFrame) -> list[Problem]:
    """Text longer than an Excel cell can hold, named by file, row and column."""
    found = []
    for col in ORDERS.columns:
        if col.name not in lines or col.kind.name != "text":
            continue
        for source, value in zip(lines["source"], lines[col.name]):
            file, _unused, row = str(source).partition(", ")
            found += long_cell(file, row, col.label, value)
    return found


def long_cell(file: str, row: str, column: str, value: object) -> list[Problem]:
    """The problem with `value` if it is text longer than an Excel cell holds, else none."""
    if not isinstance(value, str) or len(value) <= CELL_LIMIT:
        return []
    return [Problem(file, row, column, _("{start}… ({n} characters)").format(
        start=value[:20], n=f"{len(value):,}"),
        _("at most {n} characters, what an Excel cell holds").format(n=f"{CELL_LIMIT:,}"))]
