"""The import merge: new lines appended, known lines moved forward only."""

from __future__ import annotations

import pandas as pd
import pytest

from shopsheet.core.order_merge import merge
from tests.core.lines import T, frame, line


def test_merge_appends_new_updates_moved_status_only():
    existing = frame(line("P1", status="paid"), line("P2", status="shipped"))
    incoming = frame(line("P1", status="shipped", shipped=T("2026-11-21 10:00"),
                          tracking_no="SF1"),
                     line("P2", status="paid"), line("P3"))
    new, updates, unchanged = merge(existing, incoming)
    assert list(new["order_id"]) == ["P3"]
    assert list(updates.index) == [2] and updates.loc[2, "status"] == "shipped"
    assert updates.loc[2, "tracking_no"] == "SF1"
    assert list(unchanged["order_id"]) == ["P2"]  # shipped → paid is not moving on


@pytest.mark.parametrize("storage", ["pyarrow", "python", None])
def test_merge_finds_known_lines_however_their_text_is_kept(storage):
    """Lines are matched by `ORDER#LINE`, joined by Arrow for text columns: an order number
    with '#' in it, a second line of the same order and a new line of a known order are told
    apart the same whichever way the sheet keeps its text."""
    existing = frame(line("#1001", status="paid"), line("#1001", line=2, status="paid"),
                     line("A#1", status="paid"))
    incoming = frame(line("#1001", line=2, status="shipped"), line("#1001", line=3),
                     line("A", line=1), line("A#1", status="paid"))
    if storage is not None:
        text = pd.StringDtype(storage)
        existing["order_id"] = existing["order_id"].astype(text)
        incoming["order_id"] = incoming["order_id"].astype(text)
    new, updates, unchanged = merge(existing, incoming)
    assert [(o, n) for o, n in zip(new["order_id"], new["line"])] == [("#1001", 3), ("A", 1)]
    assert list(updates.index) == [3] and updates.loc[3, "status"] == "shipped"
    assert list(unchanged["order_id"]) == ["A#1"]
