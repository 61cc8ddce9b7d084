"""Lead times as delivered, by hand: partial lines wait, one delivery per PO and day, and the
measured figures replace the typed ones only from three deliveries on."""

from __future__ import annotations

import pandas as pd
import pytest

from shopsheet.core.leadtimes import lead_days, measured_lead_times, with_measured


def pos() -> pd.DataFrame:
    rows = [  # po, supplier, sku, ordered, received, status
        ("P1", "S", "A", "2026-10-01", "2026-10-08", "received"),  # 7
        ("P1", "S", "B", "2026-10-01", "2026-10-08", "received"),  # same delivery: counted once
        ("P2", "S", "A", "2026-10-10", "2026-10-20", "received"),  # 10
        ("P3", "S", "A", "2026-10-20", "2026-10-24", "received"),  # 4
        ("P4", "S", "A", "2026-11-01", "2026-11-03", "partial"),  # still on its way: no figure
        ("P5", "T", "C", "2026-11-01", "2026-11-09", "received"),  # 8, T's only delivery
        ("P6", "T", "C", None, "2026-11-09", "received"),  # never marked ordered: no figure
    ]
    frame = pd.DataFrame(rows, columns=["po_no", "supplier", "sku", "ordered", "received",
                                        "status"])
    frame["ordered"] = pd.to_datetime(frame["ordered"])
    frame["received"] = pd.to_datetime(frame["received"])
    return frame


def test_lead_days_of_lines_received_in_full():
    assert list(lead_days(pos()).astype("Float64").fillna(-1)) == [7, 7, 10, 4, -1, 8, -1]


def test_measured_per_supplier_by_hand():
    measured = measured_lead_times(pos(), pd.Index(["S", "T", "U"]))
    assert measured.loc["S", "deliveries"] == 3
    assert measured.loc["S", "measured_lead_time"] == pytest.approx(7.0)  # (7 + 10 + 4) / 3
    assert measured.loc["S", "measured_spread"] == pytest.approx(3.0)  # √((0 + 9 + 9) / 2)
    assert measured.loc["T", "deliveries"] == 1 and pd.isna(measured.loc["T", "measured_spread"])
    assert measured.loc["U", "deliveries"] == 0 and pd.isna(measured.loc["U", "measured_lead_time"])


def test_only_a_well_measured_supplier_replaces_the_typed_lead_time():
    suppliers = pd.DataFrame({"supplier": ["S", "T"], "lead_time": [5, 5],
                              "lead_time_spread": [1.0, 1.0]}).astype({"lead_time": "Int64"})
    products = pd.DataFrame({"sku": ["A", "C"], "supplier": ["S", "T"],
                             "lead_time": [6, pd.NA]}).astype({"lead_time": "Int64"})
    measured = measured_lead_times(pos(), pd.Index(["S", "T"]))
    sup, prod = with_measured(suppliers, products, measured)
    assert list(sup["lead_time"]) == [7, 5]  # T has one delivery: its typed 5 stays
    assert list(sup["lead_time_spread"]) == [3.0, 1.0]
    assert prod["lead_time"].tolist() == [7, pd.NA]  # A's own 6 gives way to S's measured 7
    assert list(suppliers["lead_time"]) == [5, 5]  # the typed frames are left as they were


def test_a_late_tail_is_planned_with_the_spread_that_covers_it():
    """Nine deliveries in 5 days and one a week late (12): the sample spread is 2.2 days, but
    at 95 % the deliveries run 6.3 days past their mean — planned as 6.3 ÷ 1.645."""
    rows = pd.DataFrame({"po_no": [f"P{i}" for i in range(10)], "supplier": "S", "sku": "A",
                         "ordered": pd.Timestamp("2026-10-01"), "status": "received"})
    rows["received"] = pd.Timestamp("2026-10-01") + pd.to_timedelta([5] * 9 + [12], unit="D")
    measured = measured_lead_times(rows, pd.Index(["S"]), 0.95)
    assert measured.loc["S", "late_days"] == pytest.approx(12 - 5.7)
    suppliers = pd.DataFrame({"supplier": ["S"], "lead_time": [5], "lead_time_spread": [1.0]})
    products = pd.DataFrame({"sku": ["A"], "supplier": ["S"], "lead_time": [5]})
    sup, _ = with_measured(suppliers.astype({"lead_time": "Int64"}),
                           products.astype({"lead_time": "Int64"}), measured, 0.95)
    assert sup.loc[0, "lead_time"] == 6  # ⌈5.7⌉
    assert sup.loc[0, "lead_time_spread"] == pytest.approx(6.3 / 1.6449, abs=0.01)
