"""Reading a sheet straight into typed columns with fastexcel, not one Python object per cell.

fastexcel is calamine (the same Rust reader) handing its cells over as Arrow columns. A year of
Orders and the ledger come in as float64 numbers, datetime64 dates and strings, typed and
checked, in a little over half the time python-calamine's rows of Python objects took to make
and type (measured in `benchmarks/RESULTS.md`).

The sheet read this way is the very `SheetData` that `base.frame_from_grid` makes from calamine's
cells: the header is found by the same `find_header` (over the same first 20 rows), blank rows
are dropped by the same rule, and columns go through the same `validation.coerce`, which takes
a column of numbers, dates or clean text as it is and any other column cell by cell as Python
values equal to calamine's, so every bad cell is named exactly as before.

Where that cannot be promised, `read` returns None and the sheet is read from calamine's cells:
- the header is not in row 1, or A1 is empty (fastexcel's columns start at the first used cell);
- a column mixes kinds of cell (a `¥1,299.00` typed among prices: fastexcel's strict mode
  refuses it);
- a date before 1900-03-01 (calamine reads a time-only cell as a time of day) or after 2262;
- a date in a text or number column (calamine tells a date from a date and time by the cell's
  format, which fastexcel does not pass on);
- a header that is a number, a date or yes/no, or repeated (fastexcel renames or leaves those
  unnamed), or values under no header;
- a column of mixed values by design (Settings, Dashboard).

One difference is allowed: dates in a column the user added come as timestamps, where
calamine's cells give a `date` for date-formatted ones; and one is not caught: a header that is
a date or yes/no over a column with nothing in it, not the last, is left out instead of kept
(as is one that reads `__UNNAMED__` and its column's number from 0: fastexcel's made-up name).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Any, Callable

import numpy as np
import pandas as pd

from shopsheet.book.base import (HEADER_SCAN_ROWS, Layout, SheetData, filled_rows, find_header,
                                 frame_from_raw)
from shopsheet.book.write.package import Package
from shopsheet.sheets import SheetSpec

_FIRST_CELL = re.compile(rb'<c r="A1"[^>]*?(/>|>.*?</c>)', re.DOTALL)
_HAS_VALUE = re.compile(rb"<v>|<v |<is>")
_EARLIEST = np.datetime64("1900-03-01")
_NUMBER = re.compile(r"[-+]?\d+(\.\d*)?([eE][-+]?\d+)?")
_RENAMED = re.compile(r"(.+)_\d+")


def suits(spec: SheetSpec) -> bool:
    """Whether the sheet's columns can be read this way at all (no column of mixed values)."""
    return all(c.kind.name != "any" for c in spec.columns)


def read(parsed: Callable[[], Any], package: Package, spec: SheetSpec) -> SheetData | None:
    """The sheet typed column by column, or None when only calamine's cells can say it exactly.
    `parsed()` gives fastexcel's parse of it (`parse.load`), asked for only when needed."""
    if not suits(spec) or not _a1_holds_value(package, spec.name):
        return None
    sheet = parsed()
    if sheet is None:  # a column mixes kinds of cell
        return None
    table, header = sheet.table, sheet.header
    if not _plain(header):
        return None
    arrays = {}
    for i, column in enumerate(table.columns):
        array = _array(column)
        if array is None:
            return None
        if not header[i] and (i == len(header) - 1 or not pd.isna(array).all()):
            return None  # a header fastexcel does not name (a date, yes/no), or values under none
        arrays[i] = array
    top = [header] + [[arrays[i][r] for i in arrays]
                      for r in range(min(HEADER_SCAN_ROWS - 1, table.num_rows))]
    header_row, columns, headers = find_header(spec, top)
    if header_row != 1 or any(c.required and c.name not in columns for c in spec.columns):
        return None
    kinds = {c.name: c.kind.name for c in spec.columns}
    picked = {}
    for name, idx in columns.items():
        array = arrays[idx]
        kind = kinds.get(name, "any")
        if kind == "yesno" and array.dtype == object and _is_bool(table.column(idx)):
            array = _booleans(table.column(idx))  # taken as they are (`validation._fast`)
        elif array.dtype.kind == "M" and kind not in ("date", "datetime"):
            if kind != "any":  # a date in a text or number column: see the module's note
                return None
            stamps = pd.DatetimeIndex(array).astype(object).to_numpy()  # a user's own dates
            array = np.where(pd.isna(stamps), None, stamps)
        elif array.dtype.kind == "f" and kind not in ("whole", "number", "money", "percent"):
            array = np.where(np.isnan(array), None, array.astype(object))
        elif isinstance(array.dtype, pd.StringDtype) and kind != "text":
            array = np.where(pd.isna(array), None, np.asarray(array, dtype=object))
        picked[name] = array
    return _sheet(spec, columns, headers, picked)


def _sheet(spec: SheetSpec, columns: dict[str, int], headers: dict[str, str],
           picked: dict[str, np.ndarray]) -> SheetData:
    """Rows holding any value in the sheet's columns, indexed by Excel row, as `read_layout`."""
    blank = np.column_stack([pd.isna(a) for a in picked.values()]) if picked else None
    filled = ~blank.all(axis=1) if blank is not None else np.zeros(0, dtype=bool)
    index, keep, last_row = filled_rows(filled, 1)
    raw = pd.DataFrame({name: pd.Series(a[keep], index=index, dtype=a.dtype)
                        for name, a in picked.items()}, index=index, columns=list(picked))
    return frame_from_raw(spec, Layout(spec.name, 1, columns, headers, last_row), [], raw)


def _array(column: Any) -> Any:
    """One Arrow column as float64 numbers, datetime64[ns] dates (NaT for blanks), pandas text
    (NA for blanks and for empty text, as calamine's '' is) or objects (yes/no)."""
    import pyarrow as pa

    kind = column.type
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        return column.to_numpy(zero_copy_only=False).astype("float64")
    if pa.types.is_timestamp(kind):
        try:
            dates = column.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:  # after 2262: beyond pandas' dates
            return None
        dates = dates.astype("datetime64[ns]")
        if (dates[~np.isnat(dates)] < _EARLIEST).any():
            return None  # a time of day (calamine gives `time`) or a date Excel gets wrong
        return dates
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        import pyarrow.compute as pc

        text = pc.if_else(pc.equal(column, ""), pa.scalar(None, kind), column)
        return pd.array(text.to_pandas(types_mapper={kind: pd.StringDtype()}.get),
                        dtype=pd.StringDtype())
    if pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return column.to_numpy(zero_copy_only=False).astype(object)
    return None  # durations, dates without time: not what calamine's cells would say


def _is_bool(column: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_boolean(column.type)


def _booleans(column: Any) -> Any:
    """A yes/no column of yes/no cells as pandas booleans (NA for blanks), not Python objects."""
    import pyarrow as pa

    return column.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get).array


def _plain(header: list[str]) -> bool:
    """Whether fastexcel's column names are the header cells' own text: not a number (calamine
    says `2024.0` where fastexcel says `2024`) and not a repeat it renamed (`Phone_1`)."""
    seen = set()
    for text in header:
        if _NUMBER.fullmatch(text.strip()):
            return False
        renamed = _RENAMED.fullmatch(text)
        if renamed and renamed.group(1) in seen:
            return False
        seen.add(text)
    return True


def _a1_holds_value(package: Package, sheet: str) -> bool:
    """Whether cell A1 holds a value, read from the first bytes of the sheet's part: then the
    used range starts at A1, and fastexcel's first row and column are the sheet's."""
    part = package.sheet(sheet).part
    with zipfile.ZipFile(BytesIO(package.data)) as zf, zf.open(part) as fh:
        head = fh.read(1 << 16)
    first = re.search(rb"<c[ >]", head)
    cell = _FIRST_CELL.match(head, first.start()) if first else None
    return bool(cell and _HAS_VALUE.search(cell.group(0)))
