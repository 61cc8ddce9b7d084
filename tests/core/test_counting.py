"""Cycle counts by hand: who is due, today's share, the walking order, a count's difference
and the month's shrinkage in cents."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from shopsheet.core.counting import (count_differences, count_list, count_rows, last_counted,
                                     shrinkage)

TODAY = dt.date(2026, 12, 3)


def ledger(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["time", "sku", "change", "reason", "note"])
    frame["time"] = pd.to_datetime(frame["time"])
    frame["reference"] = None
    return frame


def products(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["sku", "product", "location", "abc", "review", "status",
                                       "current_stock", "cost"])


SHOP = products([
    ("A1", "Mask", "A-10", "A", "weekly", "active", 5, 10.0),
    ("A2", "Serum", "A-2", "A", "weekly", "active", 5, 10.0),
    ("A3", "Cream", "B-1", "A", "weekly", "active", 5, 10.0),
    ("B1", "Mug", "A-3", "B", "monthly", "active", 5, 20.0),
    ("C1", "Tote", "C-1", "C", "quarterly", "active", 5, 18.0),
    ("C2", "Old", "C-2", "C", "quarterly", "discontinued", 0, 18.0),  # nothing left to count
    ("K1", "Gift box", "", None, None, "active", 3, 30.0),  # a kit: counted as its parts
])
COUNTS = ledger([
    ("2026-11-30 18:00", "A1", 5, "count", None),  # 3 days ago: not due (weekly)
    ("2026-11-20 18:00", "A2", 5, "count", None),  # 13 days ago: due
    ("2026-11-02 18:00", "B1", 5, "count", None),  # 31 days ago: due (monthly)
    ("2026-10-01 18:00", "C1", 5, "count", None),  # 63 days ago: not due (quarterly)
])


def test_last_counted_is_the_latest_count_per_sku():
    assert last_counted(COUNTS)["A2"] == pd.Timestamp("2026-11-20")


def test_every_due_product_in_walking_order():
    rows = count_list(SHOP, COUNTS, TODAY, kits={"K1"}, every=True)
    # A3 never counted, A2 and B1 overdue; A-2 before A-3 before B-1 (numbers by value)
    assert list(rows["sku"]) == ["A2", "B1", "A3"]
    assert list(rows["location"]) == ["A-2", "A-3", "B-1"]
    assert rows.set_index("sku").loc["A2", "days_since"] == 13


def test_todays_share_takes_the_longest_uncounted_first():
    # three A items weekly: ⌈3/7⌉ = 1 a day, the never-counted A3 before A2 (13 days)
    rows = count_list(SHOP, COUNTS, TODAY, kits={"K1"})
    assert sorted(rows["sku"]) == ["A3", "B1"]


def test_a_product_without_a_class_is_counted_monthly():
    shop = SHOP.assign(review=[None] * len(SHOP), abc=[None] * len(SHOP))
    rows = count_list(shop, COUNTS, TODAY, kits={"K1"}, every=True)
    assert sorted(rows["sku"]) == ["A3", "B1", "C1"]  # A1 and A2 within a month


def test_count_rows_and_every_problem_at_once():
    sheet = pd.DataFrame({"sku": ["A1", "ZZ", "K1", "B1", "A2", "A2", "C1"],
                          "counted": [4, 1, 2, "lots", 3, 5, None]},
                         index=range(2, 9), dtype=object)
    moves, problems = count_rows(sheet, set(SHOP["sku"]), {"K1"}, pd.Timestamp("2026-12-03 08:00"),
                                 "count.xlsx", "count.xlsx")
    said = [str(p) for p in problems]
    assert moves.empty and len(problems) == 4
    assert any("row 3" in s and "ZZ" in s for s in said)
    assert any("row 4" in s and "kit" in s for s in said)
    assert any("row 5" in s and "lots" in s for s in said)
    assert any("A2 is counted more than once" in s for s in said)
    good, none = count_rows(sheet.loc[[2, 8]], set(SHOP["sku"]), {"K1"},
                            pd.Timestamp("2026-12-03 08:00"), "count.xlsx", "count.xlsx")
    assert none == [] and list(good["sku"]) == ["A1"]  # C1 left blank: not counted this time
    assert good.iloc[0]["change"] == 4 and good.iloc[0]["reason"] == "count"


def test_a_counts_difference_is_what_the_ledger_held_just_before_it():
    moves = ledger([
        ("2026-11-01 09:00", "A1", 10, "opening", None),
        ("2026-11-02 09:00", "A1", -3, "sale", None),
        ("2026-11-03 18:00", "A1", 5, "count", None),  # held 7, found 5: 2 lost
        ("2026-11-04 09:00", "A1", -1, "sale", None),
        ("2026-11-05 18:00", "A1", 5, "count", None),  # held 4, found 5: 1 found
        ("2026-11-05 18:00", "B1", 2, "count", None),  # nothing before: 2 found
    ])
    found = count_differences(moves).set_index(["sku", "time"])
    assert list(found["before"]) == [7, 4, 0]
    assert list(found["lost"]) == [2, -1, -2]


def test_the_months_shrinkage_per_sku_and_reason_in_cents():
    moves = ledger([
        ("2026-10-01 09:00", "A1", 10, "opening", None),
        ("2026-11-03 18:00", "A1", 7, "count", None),  # 3 lost × ¥10.00
        ("2026-11-10 11:00", "A1", -2, "adjustment", "damaged"),
        ("2026-11-12 11:00", "A1", -1, "adjustment", "damaged"),
        ("2026-11-20 11:00", "B1", -1, "adjustment", None),  # no note: "adjustment"
        ("2026-12-01 11:00", "B1", -9, "adjustment", "lost"),  # next month
    ])
    table = shrinkage(moves, SHOP, pd.Timestamp("2026-11-01"), pd.Timestamp("2026-12-01"))
    rows = {(r.sku, r.reason): (r.units, r.value_cents) for r in table.itertuples()}
    assert rows == {("A1", "count difference"): (3, 3000), ("A1", "damaged"): (3, 3000),
                    ("B1", "adjustment"): (1, 2000)}
    assert table["value_cents"].sum() == 8000


@pytest.mark.parametrize("cost,units,expected", [(0.1, 3, 30), (19.99, 7, 13993)])
def test_shrinkage_value_is_exact_cents(cost, units, expected):
    shop = SHOP.assign(cost=[cost] * len(SHOP))
    moves = ledger([("2026-11-10 11:00", "A1", -units, "adjustment", "lost")])
    table = shrinkage(moves, shop, pd.Timestamp("2026-11-01"), pd.Timestamp("2026-12-01"))
    assert int(table.iloc[0]["value_cents"]) == expected
