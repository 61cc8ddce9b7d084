"""Whether values are among many others, in hash-table time whatever pandas keeps text in.

Once pyarrow is installed (ShopOps needs it), pandas keeps text in Arrow, and its own
`Series.isin` there turns every value looked for into a Python string first: 2 s to look a
year of order lines up among 150,000 stock references. `among` builds an Index of the values
looked for and searches it in C instead (0.2 s).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd


def among(values: pd.Series, wanted: Iterable) -> pd.Series:
    """`values.isin(wanted)`, by hash table; a blank is never among them."""
    table = pd.Index(list(wanted) if isinstance(wanted, (set, frozenset)) else wanted)
    table = table[table.notna()].unique()
    found = table.get_indexer(values) >= 0 if len(table) else np.zeros(len(values), dtype=bool)
    return pd.Series(found, index=values.index) & values.notna().to_numpy()
