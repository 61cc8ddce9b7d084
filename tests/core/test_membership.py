"""`among` answers as `Series.isin` does, for every kind of pandas text and for numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from shopsheet.core.membership import among

TEXTS = ["P1-1", None, "P2-1", "客户", "P1-1", "", "P3-2"]


@pytest.mark.parametrize("dtype", [object, pd.StringDtype("pyarrow"), pd.StringDtype("python"),
                                   "str"])
@pytest.mark.parametrize("wanted", [{"P1-1", "客户", ""}, ["P3-2", None], set(), ["nothing"]])
def test_among_is_isin_with_blanks_never_among(dtype, wanted):
    values = pd.Series(TEXTS, dtype=dtype, index=range(2, 2 + len(TEXTS)))
    want = values.isin(wanted).astype(bool) & values.notna()
    got = among(values, wanted)
    assert got.tolist() == want.tolist() and list(got.index) == list(values.index)


def test_among_takes_a_column_and_numbers():
    values = pd.Series([1, 2, None, 4], dtype="Int64")
    assert among(values, pd.Series([4, 2, 2, None], dtype="Int64")).tolist() == [
        False, True, False, True]
    skus = pd.Series(["A001", "B002", None], dtype="string")
    assert among(skus, pd.Series(["B002", "A001"], dtype="string")).tolist() == [True, True, False]


def test_among_a_column_mixing_text_and_numbers():
    """Arrow cannot hold such a column; the answer is still isin's."""
    values = pd.Series(["A001", 1001, None, 2.5, "B002"], dtype=object)
    for wanted in (["A001", "1001"], {1001, "B002"}, pd.Series(["B002"], dtype="string")):
        want = values.isin(list(wanted)).astype(bool) & values.notna()
        assert among(values, wanted).tolist() == want.tolist()
