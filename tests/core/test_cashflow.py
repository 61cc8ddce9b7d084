"""Cash by week by hand: settled money in (payouts left out), goods received and expenses out,
open purchase orders due in the weeks ahead."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.cashflow import due, weekly

T = pd.Timestamp


def test_weeks_in_and_out():
    settlements = pd.DataFrame({
        "time": [T("2026-11-02 10:00"), T("2026-11-04"), T("2026-11-05"), T("2026-11-10")],
        "type": ["sale", "fee", "payout", "refund"],
        "net": [100.0, -3.5, -96.5, -20.0]})
    pos = pd.DataFrame({"received": [T("2026-11-03"), T("2026-11-11"), pd.NaT],
                        "received_qty": [10, 2, 0], "unit_cost": [4.25, 10.0, 9.0]})
    expenses = pd.DataFrame({"date": [T("2026-11-08"), T("2026-10-31")], "amount": [12.0, 5.0]})
    table = weekly(settlements, pos, expenses, T("2026-11-01"), T("2026-11-16"))
    # 11-01 is a Sunday: its week began 10-26
    assert table.to_dict("index") == {
        T("2026-10-26"): {"in": 0, "out": 0, "net": 0},
        T("2026-11-02"): {"in": 9650, "out": 4250 + 1200, "net": 9650 - 5450},
        T("2026-11-09"): {"in": -2000, "out": 2000, "net": -4000},
    }


def test_open_purchase_orders_due_ahead():
    pos = pd.DataFrame({
        "status": ["ordered", "partial", "draft", "received", "ordered"],
        "qty": [10, 10, 5, 3, 4], "received_qty": [0, 6, 0, 3, 0],
        "unit_cost": [5.0, 2.5, 9.0, 9.0, 1.0],
        "expected": [T("2026-11-25"), pd.NaT, T("2026-11-25"), pd.NaT, T("2026-11-01")]})
    ahead = due(pos, dt.date(2026, 11, 21))  # a Saturday: this week began 11-16
    assert ahead.to_dict() == {T("2026-11-16"): 1000 + 400,  # no date, and one overdue
                               T("2026-11-23"): 5000, T("2026-11-30"): 0, T("2026-12-07"): 0}
