"""Merge imported order lines into the Orders sheet without counting anything twice.

A line is keyed by (Order ID, Line). A new key is appended. A known key is updated only when its
status moved on — pending → paid → shipped → delivered, or to cancelled/refunded from any — and
then only the fields an export can advance (status, times, carrier, tracking number); what the
owner typed (flags, verified, notes) is never touched. Importing the same file twice changes
nothing.
"""

from __future__ import annotations

import pandas as pd

from shopsheet.core.ledger import line_reference
from shopsheet.core.membership import among
from shopsheet.core.words import STATUS_RANK

ADVANCING = ["status", "paid", "shipped", "delivered", "carrier", "tracking_no"]


def latest(incoming: pd.DataFrame) -> pd.DataFrame:
    """One row per (order, line) of an import of several files: the one furthest on (status
    rank; among equals the file given last) — yesterday's export and today's together import
    as today's."""
    if incoming.empty:
        return incoming
    rank = incoming["status"].map(STATUS_RANK).fillna(-1)
    order = rank.reset_index(drop=True).sort_values(kind="stable").index
    ranked = incoming.iloc[order]
    return ranked.drop_duplicates(["order_id", "line"], keep="last").sort_index()


def merge(existing: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                   pd.DataFrame]:
    """(new lines to append, updates indexed by existing row, unchanged incoming lines)."""
    incoming = latest(incoming)
    keys = list(line_reference(incoming))  # `ORDER#LINE`: one text per key, joined by Arrow
    # Only the existing lines the import names are keyed one by one: a few hundred of a year's.
    references = line_reference(existing)
    named = among(references, keys)
    row_of = dict(zip(references[named], existing.index[named.to_numpy()]))
    known = pd.Series([k in row_of for k in keys], index=incoming.index, dtype=bool)
    new = incoming[~known]
    seen = incoming[known]
    rows = [row_of[k] for k, is_known in zip(keys, known) if is_known]
    old = existing.loc[rows]
    moved = [STATUS_RANK.get(n, -1) > STATUS_RANK.get(o, -1)
             for n, o in zip(seen["status"], old["status"])]
    moved = pd.Series(moved, index=seen.index, dtype=bool)
    updates = seen.loc[moved, ADVANCING].set_axis(old.index[moved.to_numpy()])
    updates = updates.combine_first(old.loc[updates.index, ADVANCING])[ADVANCING]
    return new, updates, seen[~moved]
