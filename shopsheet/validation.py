"""Turn a sheet as read (raw cell values) into a typed frame, naming every bad cell.

Two steps, both lazy so every problem comes out at once:
1. `coerce` types each declared column by its kind (whole numbers, money, dates, yes/no...),
   accepting what users really type (`¥1,299.00`, `2017/5/30 23:18`, `20%`, `是`) and naming
   each cell it cannot read;
2. the sheet's pandera model checks values (≥ 0, required, unique, allowed words), and
   `problems_from_failures` turns its failure cases into the same plain-words problems.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
import re
from typing import Callable, Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from shopsheet.columns import ColumnMeta
from shopsheet.core.language import N_, _
from shopsheet.core.problems import Problem
from shopsheet.core.words import fold, spellings

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MONEY_JUNK = re.compile(r"[¥￥$,，\s]|RMB|CNY|元", re.IGNORECASE)
_YES = {"yes", "y", "true", "1", "是", "√", "x", "ok"}
_NO = {"no", "n", "false", "0", "否", ""}
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S",
                 "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%dT%H:%M:%S",
                 "%Y-%m-%d %H:%M:%S %z")


def is_blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def to_text(value: object) -> str | None:
    """Text as the user sees it: numbers typed into text columns lose a spurious `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


_GROUPED = re.compile(r"^[+-]?\d{1,3}([,，]\d{3})+(\.\d*)?%?$")  # 1,299.00 — not 1,2,3


def to_number(value: object) -> float | None:
    """A number as typed or stored: `¥1,299.00`, `5%`, `RMB 88`; None for anything else, and
    for what is no amount at all (`NaN`, `inf`, digits grouped wrongly like `1,2,3`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        bare = re.sub(r"[¥￥$\s]|RMB|CNY|元", "", value, flags=re.IGNORECASE)
        if ("," in bare or "，" in bare) and not _GROUPED.match(bare):
            return None
        cleaned = _MONEY_JUNK.sub("", value)
        scale = 1.0
        if cleaned.endswith("%"):
            cleaned, scale = cleaned[:-1], 0.01
        try:
            number = float(cleaned) * scale
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def out_of_years(value: object) -> bool:
    """Whether `value` is written as a date whose year no shop's record has (before 1900 or
    from 2200 on): said as such rather than as "not a date"."""
    found = re.match(r"^\s*(\d{4})[-/.年]\d{1,2}", str(value)) if isinstance(value, str) else None
    if found:
        return not 1900 <= int(found.group(1)) < 2200
    return isinstance(value, (dt.date, pd.Timestamp)) and not 1900 <= value.year < 2200


MAX_WHOLE = 10**12  # no count, quantity or line number of a shop comes near: beyond it, a slip


def to_whole(value: object) -> int | None:
    number = to_number(value)
    if number is None or not float(number).is_integer() or abs(number) >= MAX_WHOLE:
        return None
    return int(number)


FIRST_DAY, LAST_DAY = dt.datetime(1900, 1, 1), dt.datetime(2200, 1, 1)  # a shop's dates


def to_timestamp(value: object) -> pd.Timestamp | None:
    """A date or date-time as typed or stored; None when it is none, or lies outside the years
    a shop's records can hold (1900–2199: a year 9999 or 0001 is a typing slip)."""
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return _in_range(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 2958466:
        return _in_range(EXCEL_EPOCH.to_pydatetime() + dt.timedelta(seconds=round(value * 86400)))
    if isinstance(value, str):
        text = value.strip()
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            return _in_range(parsed.replace(tzinfo=None))
    return None


def _in_range(value) -> pd.Timestamp | None:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    elif not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value is pd.NaT or not FIRST_DAY <= value.replace(tzinfo=None) < LAST_DAY:
        return None
    return pd.Timestamp(value)


def to_yesno(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    word = to_text(value).lower()
    if word in _YES:
        return True
    return False if word in _NO else None


_CONVERTERS: dict[str, tuple[Callable[[object], object], str | None]] = {
    "text": (to_text, "string"),
    "whole": (to_whole, "Int64"),
    "number": (to_number, "float64"),
    "money": (to_number, "float64"),
    "percent": (to_number, "float64"),
    "date": (to_timestamp, "datetime64[ns]"),
    "datetime": (to_timestamp, "datetime64[ns]"),
    "yesno": (to_yesno, "boolean"),
    "any": (lambda value: value, "object"),
}


def coerce_value(value: object, kind: str) -> tuple[object, bool]:
    """One cell to its kind: `(typed value or None, ok)`; blanks are `(None, True)`."""
    if is_blank(value):
        return None, True
    converted = _CONVERTERS[kind][0](value)
    return converted, converted is not None


_NUMERIC = ("whole", "number", "money", "percent")


_DATES = (dt.datetime, pd.Timestamp, dt.date)


_SPACES = [c for c in map(chr, range(0x3001)) if c.isspace()]  # none lies above U+3000


def _padded(texts: np.ndarray) -> bool:
    """Whether any text begins or ends with white space, or is empty, in three C-level passes
    (strip, compare, measure) instead of a Python loop per cell."""
    stripped = list(map(str.strip, texts))
    return any(map(operator.ne, texts, stripped)) or (
        len(stripped) > 0 and min(map(len, stripped)) == 0)


def _untidy(values: pd.Series) -> bool:
    """Whether any text in a pandas text column is empty or begins or ends with white space
    (`str.strip` would change it). Text kept in Arrow is looked at by Arrow's kernels on its
    first and last characters, twice as quick as pandas' `.str` over the same."""
    if values.dtype.storage != "pyarrow":
        return bool(values.str[0].isin(_SPACES).any() or values.str[-1].isin(_SPACES).any()
                    or values.str.len().eq(0).any())
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values.array)
    ends = pa.array([*_SPACES, ""], type=text.type)  # "" is an empty text's first character
    return any(pc.any(pc.is_in(pc.utf8_slice_codeunits(text, start, stop), value_set=ends))
               .as_py() for start, stop in ((0, 1), (-1, 1 << 31)))


def _empty(index: pd.Index, kind: str) -> pd.Series:
    """A column with no value at all, of its kind's type."""
    return pd.Series(None, index=index, dtype=_CONVERTERS[kind][1])


def _fast(values: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Convert the cells that already hold their kind's Python type, in bulk; return the
    converted values and a mask of the cells left for the cell-by-cell path.

    Works on the plain object array with exact class tests (a bool is not a number here),
    because iterating a pandas Series cell by cell costs ten times more. A column a typed
    reader already read as numbers, dates or text (float64, datetime64, pandas strings) is
    taken as it is, text only when no cell is empty or has anything to strip."""
    blank = values.isna().to_numpy()
    if blank.all() and kind != "text":  # nothing in it yet (no discount given, none delivered)
        return _empty(values.index, kind), pd.Series(False, index=values.index)
    if kind in _NUMERIC and values.dtype == "float64":
        ok = ~blank
        if kind == "whole":
            ok &= (values.to_numpy() % 1 == 0) & (np.abs(values.to_numpy()) < MAX_WHOLE)
        return values, pd.Series(~(ok | blank), index=values.index)
    if kind in ("date", "datetime") and values.dtype == "datetime64[ns]":
        return values, pd.Series(False, index=values.index)
    if kind == "text" and isinstance(values.dtype, pd.StringDtype) and not _untidy(values):
        return values, pd.Series(False, index=values.index)  # text with nothing to strip
    if kind == "yesno" and isinstance(values.dtype, pd.BooleanDtype):
        return values, pd.Series(False, index=values.index)  # read as yes/no cells already
    cells = values.to_numpy(dtype=object)
    classes = [v.__class__ for v in cells]
    if kind == "text":
        ok = np.array([c is str for c in classes], dtype=bool)
        if _padded(cells[ok]):
            out = pd.Series([v.strip() or None if c is str else None
                             for v, c in zip(cells, classes)], index=values.index, dtype="object")
        else:  # nothing to strip (the usual case): the cells as they are
            out = pd.Series(np.where(ok, cells, None), index=values.index, dtype="object")
    elif kind in _NUMERIC:
        ok = np.array([c is float or c is int for c in classes], dtype=bool)
        numbers = np.where(ok, cells, np.nan).astype("float64")
        if kind == "whole":
            ok &= ((numbers % 1 == 0) & (np.abs(numbers) < MAX_WHOLE)) | blank
        out = pd.Series(numbers, index=values.index)
    elif kind in ("date", "datetime"):
        ok = np.array([c in _DATES for c in classes], dtype=bool)
        out = pd.to_datetime(pd.Series(np.where(ok, cells, None), index=values.index),
                             errors="coerce")
    elif kind == "yesno":
        ok = np.array([c is bool for c in classes], dtype=bool)
        out = pd.Series(np.where(ok, cells, None), index=values.index, dtype="object")
    else:
        raise ValueError(kind)
    return out, pd.Series(~(ok | blank), index=values.index)


def coerce(raw: pd.DataFrame, columns: list[ColumnMeta], sheet: str,
           letters: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Type every declared column; undeclared (user) columns pass through untouched.

    Cells already holding the right type (numbers in number columns, dates in date columns,
    text in text columns) convert in bulk; the rest — `¥1,299.00`, `2017/5/30 23:18`, `是`,
    or a mistake — go cell by cell, and each one that cannot be read is named.
    Declared columns missing from `raw` are added empty, so routines can rely on them.
    """
    typed = {name: raw[name] for name in raw.columns}  # columns replaced as they convert
    problems: list[Problem] = []
    for col in columns:
        kind = col.kind.name
        dtype = _CONVERTERS[kind][1]
        if col.name not in raw:
            typed[col.name] = _empty(raw.index, kind)
            continue
        if kind == "any":
            continue
        values = raw[col.name]
        column, slow = _fast(values, kind)
        fixed = {}
        for row, value in values[slow].items():
            converted, ok = coerce_value(value, kind)
            if not ok:
                expected = col.expectation()
                if kind in ("date", "datetime") and out_of_years(value):
                    expected += _(" from 1900 to 2199")
                problems.append(Problem(sheet, f"{letters[col.name]}{row}", col.label, value,
                                        expected))
            fixed[row] = converted
        if fixed:  # the few cells read one by one join the bulk
            column = column.astype("object").where(column.notna(), None)
            column.loc[list(fixed)] = list(fixed.values())
        if col.choices:
            column = in_our_words(column, col.choices)
        typed[col.name] = _typed(column, dtype)
    return pd.DataFrame(typed, index=raw.index), problems


def in_our_words(column: pd.Series, choices: tuple[str, ...]) -> pd.Series:
    """A drop-down column's cells as ShopOps' words, whichever language (or spelling) wrote
    them: `已发货` and `Shipped` are both read as `shipped`. A word it does not know stays as
    written, for the sheet's check to name."""
    present = column[column.notna()]
    if present.isin(choices).all():
        return column  # the usual case: already our words
    known = spellings(choices)
    seen = {w: known.get(fold(w), w) for w in pd.unique(present) if isinstance(w, str)}
    return column.map(lambda w: seen.get(w, w) if isinstance(w, str) else w)


def _typed(column: pd.Series, dtype: str) -> pd.Series:
    if dtype == "datetime64[ns]":
        return pd.to_datetime(column, errors="coerce").astype("datetime64[ns]")
    if dtype in ("float64", "Int64"):
        return pd.to_numeric(column, errors="coerce").astype(dtype)
    return column.astype(dtype)


def check(model: type[pa.DataFrameModel], typed: pd.DataFrame, columns: list[ColumnMeta],
          sheet: str, letters: dict[str, str], skip: set[str]) -> list[Problem]:
    """Run the sheet's pandera model lazily; `skip` holds cells already reported by `coerce`."""
    try:
        model.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        return problems_from_failures(err.failure_cases, typed, columns, sheet, letters, skip)
    return []


def check_rows(model: type[pa.DataFrameModel], typed: pd.DataFrame, rows: pd.Index,
               columns: list[ColumnMeta], sheet: str, letters: dict[str, str],
               skip: set[str], written: Iterable[str] | None = None) -> list[Problem]:
    """`check` for a sheet whose other rows were checked when it was read: column checks on
    `rows` only (a day's 600 new lines, not the year before them), and only on the `written`
    columns when given and the model has no check across columns (a patch of one column of
    Products checks that column: the whole model costs ten times more); uniqueness over the
    whole of every column (a new SKU may repeat an old one)."""
    failures = []
    schema = _schema(model)
    if written is not None and not schema.checks:
        schema = _narrowed(model, tuple(c for c in written if c in schema.columns))
        typed_rows = typed.loc[rows, list(schema.columns)]
    else:
        typed_rows = typed.loc[rows]
    try:
        schema.validate(typed_rows, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        failures.append(cases[cases["check"] != "field_uniqueness"])
    for name, column in _schema(model).columns.items():
        if column.unique and name in typed:
            values = typed[name]
            repeated = values.duplicated(keep=False) & values.notna()
            if repeated.any():
                failures.append(pd.DataFrame({
                    "column": name, "index": values.index[repeated.to_numpy()],
                    "check": "field_uniqueness", "failure_case": values[repeated].to_numpy()}))
    if not failures:
        return []
    return problems_from_failures(pd.concat(failures, ignore_index=True), typed, columns, sheet,
                                  letters, skip)


@functools.cache
def _schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    return model.to_schema()


@functools.cache
def _narrowed(model: type[pa.DataFrameModel], columns: tuple[str, ...]) -> pa.DataFrameSchema:
    """The model's schema for these columns alone (made once: pandera copies it deeply)."""
    return _schema(model).select_columns(list(columns))


def is_repeat(problem: Problem) -> bool:
    """Whether `problem` is a value that should be used only once (see problems_from_failures)."""
    return any(words in (problem.expected or "") for words in (USED_ONCE, _(USED_ONCE)))


USED_ONCE = N_("used only once")


def problems_from_failures(failures: pd.DataFrame, typed: pd.DataFrame,
                           columns: list[ColumnMeta], sheet: str, letters: dict[str, str],
                           skip: set[str]) -> list[Problem]:
    """The one place pandera's failure cases become plain words with cell addresses."""
    by_name = {c.name: c for c in columns}
    problems = []
    for case in failures.itertuples(index=False):
        col = by_name.get(case.column)
        if col is None or pd.isna(case.index):
            continue
        row = int(case.index)
        cell = f"{letters[col.name]}{row}"
        if cell in skip:
            continue
        got = typed.at[row, col.name]
        got = None if pd.isna(got) else got
        if case.check == "not_nullable":
            problems.append(Problem(sheet, cell, col.label, None,
                                    _("a value ({column} is required)").format(
                                        column=_(col.label))))
        elif case.check == "field_uniqueness":
            others = [str(r) for r in typed.index[typed[col.name] == got] if r != row]
            problems.append(Problem(sheet, cell, col.label, got,
                                    _("a {column} {used_once} (also in row {rows})").format(
                                        column=_(col.label), used_once=_(USED_ONCE),
                                        rows=", ".join(others))))
        else:
            problems.append(Problem(sheet, cell, col.label, got, col.expectation()))
    return list(dict.fromkeys(problems))
