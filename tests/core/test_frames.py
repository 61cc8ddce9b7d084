"""What a routine would write compared with what the sheet holds: only real changes count."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shopsheet.core.frames import blank, changed_by_column, same_table


def test_only_cells_that_differ_are_patched():
    current = pd.DataFrame({"stock": [3.0, 5.0, np.nan], "flag": ["ok", "low", None],
                            "when": pd.to_datetime(["2026-11-20", None, "2026-11-21"])},
                           index=[2, 3, 4])
    wanted = pd.DataFrame({"stock": [3.0 + 1e-12, 6.0, np.nan], "flag": ["ok", "low", "ok"],
                           "when": pd.to_datetime(["2026-11-20", None, "2026-11-22"])},
                          index=[2, 3, 4])
    changes = changed_by_column(current, wanted)
    assert {c: s.to_dict() for c, s in changes.items()} == {
        "stock": {3: 6.0}, "flag": {4: "ok"}, "when": {4: pd.Timestamp("2026-11-22")}}


def test_nothing_changed_means_nothing_to_patch():
    frame = pd.DataFrame({"a": [1, None], "b": ["x", None]})
    assert changed_by_column(frame, frame.copy()) == {}


def test_same_table_reads_cells_as_excel_shows_them():
    a = pd.DataFrame({"n": [17, None], "t": ["x", ""]})
    b = pd.DataFrame({"n": [17.0, np.nan], "t": ["x", None]})
    assert same_table(a, b)
    assert not same_table(a, b.assign(n=[17.5, np.nan]))
    assert not same_table(a, b.iloc[:1])


def test_blank():
    assert all(map(blank, [None, pd.NA, pd.NaT, float("nan")]))
    assert not any(map(blank, [0, "", "x", False]))
