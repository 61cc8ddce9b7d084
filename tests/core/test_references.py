"""Checks across sheets: each names the row, the column, what was found and what was expected."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.references import (dated_after, duplicate_lines, kit_issues, kit_skus_moved,
                                       listing_issues, unknown_skus)

PRODUCTS = pd.DataFrame({"sku": ["A001", "B001", "K1", "K2"]})
KITS = pd.DataFrame({"kit_sku": ["K1", "K1", "K2", "K2", "K3"],
                     "component_sku": ["A001", "K2", "K2", "Z9", "A001"]}, index=[2, 3, 4, 5, 6])


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_unknown_skus():
    ledger = pd.DataFrame({"sku": ["A001", "a001", None, "C001"]}, index=[2, 3, 4, 5])
    assert rows(unknown_skus(PRODUCTS, ledger)) == [
        (3, "sku", "a001", "a SKU listed in Products"),
        (5, "sku", "C001", "a SKU listed in Products")]


def test_a_line_number_used_twice_in_an_order():
    orders = pd.DataFrame({"order_id": ["D1", "D1", "D2", "D1"], "line": [1, 2, 1, 1]},
                          index=[2, 3, 4, 5])
    assert rows(duplicate_lines(orders)) == [
        (5, "line", 1, "a line number not used before in order D1")]


def test_kits_that_cannot_be_made():
    assert rows(kit_issues(PRODUCTS, KITS)) == [
        (3, "component_sku", "K2", "a SKU on the shelf, not another kit (list that kit's parts)"),
        (4, "component_sku", "K2", "a SKU other than the kit's own"),
        (5, "component_sku", "Z9", "a SKU listed in Products"),
        (6, "kit_sku", "K3", "a SKU listed in Products")]


def test_a_kit_is_moved_through_its_components():
    pos = pd.DataFrame({"sku": ["A001", "K1"]}, index=[2, 3])
    assert rows(kit_skus_moved(KITS, pos, "order")) == [
        (3, "sku", "K1", "a SKU that is not a kit (order its components instead)")]


def test_a_listing_that_takes_stock_names_a_sku():
    listings = pd.DataFrame({"sku": [None, None, "A001"], "units": [0, None, 2]},
                            index=[2, 3, 4])
    found = listing_issues(listings)
    assert found["row"].tolist() == [3]


def test_nothing_is_dated_after_the_run():
    now = dt.datetime(2026, 11, 21, 8, 0)
    ledger = pd.DataFrame({"time": pd.to_datetime(["2026-11-21 07:59", "2026-11-21 08:01"])},
                          index=[2, 3])
    assert rows(dated_after(ledger, "time", now, "a stock movement dated")) == [
        (3, "time", pd.Timestamp("2026-11-21 08:01"),
         "a stock movement dated no later than 2026-11-21 08:00")]
    received = pd.DataFrame({"received": pd.to_datetime(["2026-11-21", "2026-11-22"])},
                            index=[2, 3])
    found = dated_after(received, "received", now, "goods received", whole_days=True)
    assert found["row"].tolist() == [3]
    assert found["expected"].tolist() == ["goods received no later than today (2026-11-21)"]
    assert dated_after(received, "time", now, "x").empty
