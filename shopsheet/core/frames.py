"""Comparing what a sheet holds with what a routine would write, so that a run with nothing new
to say writes nothing (a second run in a row leaves the workbook byte for byte as it was)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def changed_by_column(current: pd.DataFrame, wanted: pd.DataFrame) -> dict[str, pd.Series]:
    """Per column, only the cells of `wanted` that differ from `current`: what to patch, so a
    run that moves one figure of a product rewrites that cell, not the product's whole row."""
    return {col: wanted.loc[mask, col] for col, mask in _differs(current, wanted).items()
            if mask.any()}


def _differs(current: pd.DataFrame, wanted: pd.DataFrame) -> dict[str, pd.Series]:
    out = {}
    for col in wanted.columns:
        a, b = current[col], wanted[col]
        out[col] = ~((a.isna() & b.isna()) | _equal(a, b))
    return out


def _equal(a: pd.Series, b: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
        x = pd.to_numeric(a, errors="coerce").astype("float64")
        y = pd.to_numeric(b, errors="coerce").astype("float64")
        return pd.Series(np.isclose(x, y, rtol=0, atol=1e-9), index=a.index) & x.notna() & y.notna()
    if pd.api.types.is_datetime64_dtype(a) and pd.api.types.is_datetime64_dtype(b):
        # as datetime64, not one Timestamp object per cell
        return pd.Series(a.to_numpy() == b.to_numpy(), index=a.index)
    return (a.astype("object") == b.astype("object")).fillna(False).astype(bool)


def same_table(current: pd.DataFrame, wanted: pd.DataFrame) -> bool:
    """Whether two tables show the same cells: 17 equals 17.0, a blank equals an empty text."""
    if current.shape != wanted.shape:
        return False
    return [[_cell(v) for v in row] for row in current.itertuples(index=False)] == \
        [[_cell(v) for v in row] for row in wanted.itertuples(index=False)]


def blank(value) -> bool:
    """Whether a cell's value is blank: None, pandas' NA or NaT, or a float NaN."""
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


def _cell(value) -> object:
    if blank(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return round(float(value), 9)
    return str(value)
