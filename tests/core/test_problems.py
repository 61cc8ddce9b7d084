"""Problems named the way the owner finds them, in reading order, alike ones counted."""

from __future__ import annotations

import datetime as dt

from shopsheet.core.problems import Problem, reading_order, show_value, summarised


def test_a_problem_names_sheet_cell_column_found_and_expected():
    p = Problem("Products", "C7", "Current Stock", -3.0, "a whole number ≥ 0")
    assert str(p) == "Products!C7 (Current Stock): got -3, expected a whole number ≥ 0"
    assert str(Problem("orders.csv", "row 7", "Qty", "x", "a whole number")) == \
        "orders.csv, row 7 (Qty): got 'x', expected a whole number"
    assert str(Problem("Orders", message="the workbook has no Orders sheet")) == \
        "Orders: the workbook has no Orders sheet"
    assert p.as_dict()["got"] == "-3"


def test_values_are_shown_as_typed():
    assert show_value(None) == "a blank cell" and show_value("  ") == "a blank cell"
    assert show_value(True) == "TRUE" and show_value(7.0) == "7" and show_value(7.5) == "7.5"
    assert show_value(dt.datetime(2026, 11, 21)) == "2026-11-21"
    assert show_value(dt.datetime(2026, 11, 21, 8, 30)) == "2026-11-21 08:30:00"


def test_reading_order_is_sheet_then_row_then_column():
    ps = [Problem("Orders", "B3"), Problem("Products", "AA2"), Problem("Products", "C2"),
          Problem("Products", "B10"), Problem("Products")]
    ordered = reading_order(ps, ["Products", "Orders"])
    assert [(p.sheet, p.cell) for p in ordered] == [
        ("Products", ""), ("Products", "C2"), ("Products", "AA2"), ("Products", "B10"),
        ("Orders", "B3")]


def test_alike_problems_are_listed_twenty_times_then_counted():
    ps = [Problem("x.csv", f"row {i}", "SKU", None, "a SKU") for i in range(2, 27)]
    ps.append(Problem("x.csv", "row 3", "Qty", "?", "a whole number"))
    lines = summarised(ps)
    assert len(lines) == 22
    assert lines[19] == "x.csv, row 21 (SKU): got a blank cell, expected a SKU"
    assert lines[20] == "x.csv, row 3 (Qty): got '?', expected a whole number"
    assert lines[21] == "x.csv (SKU) … and 5 more like these (expected a SKU)"
