"""Whether values are among many others, in C whatever pandas keeps text in.

Once pyarrow is installed (ShopOps needs it), pandas keeps text in Arrow, and its own
`Series.isin` there turns every value looked for into a Python string first, which is slow
for a year of order lines looked up among a year of stock references. `among` asks Arrow's
own `is_in` instead, and where Arrow cannot compare the two sides (a column mixing text and
numbers) builds a pandas Index of the values looked for and searches it. It is how core asks
whether values are among others: `among(values, wanted)`; a blank is never among them.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd


def among(values: pd.Series, wanted: Iterable) -> pd.Series:
    """`values.isin(wanted)`, by hash table; a blank is never among them."""
    wanted = list(wanted) if isinstance(wanted, (set, frozenset)) else wanted
    found = _arrow_is_in(values, wanted)
    if found is None:
        table = pd.Index(wanted)
        table = table[table.notna()].unique()
        found = table.get_indexer(values) >= 0 if len(table) else \
            np.zeros(len(values), dtype=bool)
    return pd.Series(found, index=values.index) & values.notna().to_numpy()


def _arrow_is_in(values: pd.Series, wanted) -> np.ndarray | None:
    """Arrow's `is_in`, or None when the two sides are not of one Arrow type."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    try:
        left = pa.array(values, from_pandas=True)
        right = pa.array(wanted, from_pandas=True)
        if right.type != left.type:
            right = right.cast(left.type)
        return np.asarray(pc.is_in(left, value_set=right).to_numpy(zero_copy_only=False),
                          dtype=bool)
    except (pa.ArrowException, TypeError, ValueError):
        return None
