"""Money in whole cents: read exactly, added exactly, shared out exactly."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from shopsheet.core.money import cents, shared, total_cents


def test_cents_round_half_up_from_what_was_read():
    assert cents(89.9) == 8990
    assert cents("0.005") == 1
    assert cents(Decimal("12.345")) == 1235
    assert cents(-0.015) == -2


def test_a_total_is_exact_where_floats_are_not():
    tenths = pd.Series([0.1] * 10)
    assert sum(tenths) != 1.0  # what adding floats gives
    assert total_cents(tenths) == 100
    assert total_cents(pd.Series([19.9, None, float("nan")]), [0.1, ""]) == 2000


def test_shares_add_up_to_the_whole():
    assert shared(1000, [1, 1, 1]) == [334, 333, 333]
    assert shared(10, [0, 0]) == [5, 5]
    assert shared(0, []) == []


@given(st.integers(0, 10**9), st.lists(st.integers(0, 1000), min_size=1, max_size=20))
def test_shares_always_add_up(total, weights):
    parts = shared(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
