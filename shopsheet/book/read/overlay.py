"""Keep a sheet read earlier in this run up to date with the run's own writes.

A routine reads a sheet once; when it (or the routine after it, in the daily run) changes rows,
the cached frame is changed the same way, so nobody reads the workbook again to see what was
just written. Values go through the same coercion as cells read from the file.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.book.base import SheetData
from shopsheet.book.write.sheetxml import ILLEGAL_XML
from shopsheet.validation import check, check_rows, coerce, is_repeat


def _typed_rows(data: SheetData, frame: pd.DataFrame, index: pd.Index) -> tuple[
        pd.DataFrame, list]:
    spec = data.spec
    rows = frame.set_axis(index)
    declared = [c for c in spec.columns if c.name in rows.columns]
    letters = {**{c.name: "?" for c in spec.columns}, **data.layout.letters}
    cells = rows.astype("object").apply(lambda col: col.map(_as_written))
    typed, problems = coerce(cells, declared, spec.name, letters)
    return typed, problems


def _as_written(value):
    """A value as the file will hold it: text without the characters XML cannot carry (the
    writer drops them), so the frame kept current is the frame a later read gives."""
    return ILLEGAL_XML.sub("", value) if isinstance(value, str) else value


def _blank_like(frame: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(None, index=index, dtype="object").astype(frame[c].dtype)
                         for c in frame.columns}, index=index)


def apply(data: SheetData, kind: str, frame: pd.DataFrame) -> SheetData:
    """`data` after a patch, append or replace of `frame` (the Book interface's operations)."""
    layout, current = data.layout, data.frame
    if kind == "patch":
        typed, problems = _typed_rows(data, frame, frame.index)
        updated = current.copy()
        for col in typed.columns.intersection(frame.columns):
            if col not in updated:
                updated[col] = _blank_like(typed[[col]], updated.index)[col]
            updated.loc[typed.index, col] = typed[col].astype(updated[col].dtype)
        touched = set(frame.index)
    else:
        start = layout.header_row + 1 if kind == "replace" else layout.last_row + 1
        index = pd.RangeIndex(start, start + len(frame))
        typed, problems = _typed_rows(data, frame, index)
        columns = list(dict.fromkeys([*current.columns, *typed.columns]))
        base = current.reindex(columns=columns) if kind == "append" else \
            _blank_like(current.reindex(columns=columns), pd.RangeIndex(0, 0))
        new = _blank_like(base.reindex(columns=columns), index)
        for col in typed.columns:
            new[col] = typed[col].astype(new[col].dtype) if col in current else typed[col]
        updated = pd.concat([base, new]) if len(base) else new
        layout.last_row = (start + len(frame) - 1) if len(frame) else \
            (layout.header_row if kind == "replace" else layout.last_row)
        touched = set(index)
    letters = {**{c.name: "?" for c in data.spec.columns}, **layout.letters}
    skip = {p.cell for p in problems}
    if kind == "replace":
        kept = []
        problems += check(data.spec.model, updated, data.spec.columns, data.spec.name, letters,
                          skip)
    else:  # the other rows were checked already; repeats are looked for in the whole column
        cols = [letters.get(c, "?") for c in frame.columns]
        written = {f"{col}{r}" for r in touched for col in cols}
        kept = [p for p in data.problems if p.cell not in written and not is_repeat(p)]
        problems += check_rows(data.spec.model, updated, pd.Index(sorted(touched)),
                               data.spec.columns, data.spec.name, letters, skip,
                               written=frame.columns if kind == "patch" else None)
    merged = list(dict.fromkeys(kept + problems))
    return SheetData(data.spec, updated, updated, layout, merged)
