"""The daily checklist's figures, alerts and Log words, worked out by hand on a few lines."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.dashboard import (daily_numbers, dashboard_rows, log_words, standing_alerts,
                                      with_section)

T = pd.Timestamp
TODAY = dt.date(2026, 11, 21)


def orders() -> pd.DataFrame:
    rows = [  # order, status, created, shipped, line total, verified
        ("A", "paid", T("2026-11-20 10:00"), pd.NaT, 19.9, True),
        ("A", "paid", T("2026-11-20 10:00"), pd.NaT, 0.1, True),
        ("B", "pending", T("2026-11-20 23:59"), pd.NaT, 50.0, None),
        ("C", "shipped", T("2026-11-19 09:00"), T("2026-11-20 08:00"), 30.0, True),
        ("D", "paid", T("2026-11-21 00:00"), pd.NaT, 99.0, False),  # today: not yesterday's
        ("E", "cancelled", T("2026-11-20 12:00"), pd.NaT, 70.0, None),
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "status", "created", "shipped",
                                        "line_total", "verified"])
    frame["verified"] = frame["verified"].astype("boolean")
    frame["flags"] = [None, None, None, None, "large first order", None]
    frame["product"] = ["Tea", "Tea", "Cup", "Pot", "Tea", "Cup"]
    frame["sku"] = ["A001", "A001", "B001", "C001", "A001", "B001"]
    return frame


def products() -> pd.DataFrame:
    return pd.DataFrame({"sku": ["A001", "B001", "C001", "D001"],
                         "product": ["Tea", "Cup", "Pot", "Lid"],
                         "reorder_flag": ["reorder", "low", "ok", "out of stock"],
                         "current_stock": [3, 4, 20, 0],
                         "reorder_by": [T("2026-11-25"), pd.NaT, pd.NaT, pd.NaT]})


def test_yesterdays_figures():
    inquiries = pd.DataFrame({"resolved": [True, False, None]})
    n = daily_numbers(orders(), products(), inquiries, pick_orders=2, today=TODAY, processed=5)
    assert n == {
        "processed": 5,
        "orders_yesterday": 3,  # A, B, E created on the 20th (C on the 19th, D today)
        "sales_yesterday": 20.0,  # A's two lines, 19.90 + 0.10 exactly; B unpaid, E cancelled
        "to_pick": 2,
        "shipped": 1,  # C, shipped since yesterday
        "awaiting_payment": 1,  # B
        "held": 1,  # D: paid, not verified, not shipped
        "low_stock": 3,  # reorder, low, out of stock
        "inquiries_open": 2,  # not resolved: False and blank
    }


def test_standing_alerts_name_held_orders_products_and_unmapped_lines():
    unmapped = pd.Series([False, False, True, False, False, True])
    alerts = standing_alerts(orders(), products(), unmapped)
    assert alerts == [
        "Check order D: large first order",
        "Reorder: A001 Tea (stock 3), order by 2026-11-25",
        "Out of stock: D001 Lid (stock 0)",
        "2 order lines map to no product (add Listings rows, or run Suggest Listings): Cup",
    ]


def test_log_words_are_the_guides():
    n = {"processed": 15, "shipped": 12, "low_stock": 1, "inquiries_open": 1}
    assert log_words(n) == ("Daily checklist: 15 orders processed, 12 shipped, inventory "
                            "updated, 1 low-stock alert, 1 inquiry open")


def test_a_section_is_replaced_and_the_others_kept_in_order():
    current = pd.DataFrame({"section": ["Week 2026-11-09", "Today 2026-11-20", "Month 2026-10"],
                            "metric": ["GMV", "Orders", "GMV"], "value": [1, 2, 3],
                            "note": ["", "", ""]})
    rows = pd.DataFrame({"metric": ["Orders", "Shipped"], "value": [7, 5], "note": ["", ""]})
    merged = with_section(current, "Today 2026-11-21", rows)
    assert merged[["section", "metric", "value"]].values.tolist() == [
        ["Today 2026-11-21", "Orders", 7], ["Today 2026-11-21", "Shipped", 5],
        ["Week 2026-11-09", "GMV", 1], ["Month 2026-10", "GMV", 3]]


def test_dashboard_rows_end_with_the_alerts():
    n = {"orders_yesterday": 3, "sales_yesterday": 20.004, "to_pick": 2, "shipped": 1,
         "held": 1, "awaiting_payment": 1, "low_stock": 3, "inquiries_open": 2}
    rows = dashboard_rows(n, ["Check order D: large first order"], TODAY)
    assert rows.iloc[1].tolist() == ["Sales yesterday (¥)", 20.0, "Paid line totals"]
    assert rows.iloc[-1].tolist() == ["Alert", "Check order D: large first order", ""]
    assert len(rows) == 9
