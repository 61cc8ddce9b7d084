"""Sheets read straight into typed columns (fastexcel) are exactly what calamine's cells give,
and a sheet that path cannot promise that for is read from calamine's cells instead."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import xlsxwriter

from shopsheet.book import FileBook
from shopsheet.book.base import Book
from shopsheet.sheets import SHEETS

HEADER = ["Order ID", "Line", "Created", "Status", "SKU", "Qty", "Unit Price", "Phone",
          "Verified", "Customer", "My Note"]


def both_ways(path, sheet: str):
    """The sheet read by the typed path (None when it declines) and from calamine's cells."""
    book = FileBook(path)
    return book._typed(sheet), Book.read(book, sheet)


def assert_same(typed, cells) -> None:
    pd.testing.assert_frame_equal(typed.frame, cells.frame)
    assert typed.layout == cells.layout
    assert typed.problems == cells.problems


def orders_book(path, rows, *, title: bool = False, first_col: int = 0, header=HEADER) -> None:
    """An Orders sheet written by xlsxwriter: `rows` of values (datetimes formatted as dates)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Orders")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    clock = wb.add_format({"num_format": "hh:mm"})
    top = 2 if title else 0
    if title:
        ws.write(0, first_col, "小园好物 订单")
    for c, text in enumerate(header, start=first_col):
        if isinstance(text, dt.datetime):
            ws.write_datetime(top, c, text, when)
        elif text is not None:
            ws.write(top, c, text)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=first_col):
            if isinstance(value, str) and value.startswith("="):  # a formula, its result cached
                ws.write_formula(r, c, value, None, "#DIV/0!")
            elif isinstance(value, dt.time):
                ws.write_datetime(r, c, dt.datetime.combine(dt.date(1899, 12, 31), value), clock)
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, when)
            elif value is not None:
                ws.write(r, c, value)
    wb.close()


def order(n: int, **change):
    """One good order line; `change` replaces cells by header."""
    values = dict(zip(HEADER, [f"P{n:04d}", 1, dt.datetime(2026, 11, 20, 9, n % 60, 7), "paid",
                               "A001", 2, 89.0, "13800000000", True, f"客户{n}", "vip"]))
    values.update(change)
    return [values[h] for h in HEADER]


def test_every_sheet_of_the_demo_shop_reads_the_same_both_ways(demo_shop):
    declined = []
    for sheet in SHEETS:
        typed, cells = both_ways(demo_shop / "ShopOps.xlsm", sheet)
        if typed is None:
            declined.append(sheet)
        else:
            assert_same(typed, cells)
    assert declined == ["Settings", "Dashboard"]  # columns of mixed values by design


@pytest.mark.parametrize("saved_by", ["LibreOffice", "openpyxl"])
def test_a_shop_saved_by_another_program_reads_the_same_both_ways(demo_shop, tmp_path, saved_by,
                                                                 request):
    """Another writer's markup (shared strings in its own order, its own styles and dates):
    the big sheets still take the typed path, and every sheet it takes reads the same."""
    source = demo_shop / "ShopOps.xlsm"
    if saved_by == "LibreOffice":
        office = request.getfixturevalue("libreoffice")
        result = office.run(source, "xlsx", tmp_path)
        path = tmp_path / "ShopOps.xlsx"
        assert path.exists(), result.stderr
    else:
        import openpyxl

        path = tmp_path / "ShopOps.xlsx"
        openpyxl.load_workbook(source).save(path)  # a test-only copy: never the user's file
    taken = []
    for sheet in SHEETS:
        typed, cells = both_ways(path, sheet)
        if typed is not None:
            assert_same(typed, cells)
            taken.append(sheet)
    assert {"Products", "Orders", "StockLedger"} <= set(taken)


def test_awkward_but_readable_cells_read_the_same_both_ways(tmp_path):
    """Columns of cells not of their own kind (phones as numbers, prices as text, 是 for yes),
    padded text, a 2.5 in a whole-number column, a formula gone wrong (#DIV/0!) and blank rows
    take the typed path, and each bad cell is named as calamine's cells name it."""
    path = tmp_path / "awkward.xlsx"
    rows = [order(1), order(2, Customer=" 王 "), [None] * len(HEADER), order(3, Qty=2.5),
            order(4, Customer="\u3000李\u3000", Qty="=1/0"), [None] * len(HEADER), order(5)]
    for i, row in enumerate(rows):  # each column one kind of cell, not the column's own
        if row[0] is not None:
            row[HEADER.index("Unit Price")] = f"¥{80 + i},00{i}.00"
            row[HEADER.index("Verified")] = "是" if i % 2 else "否"
            row[HEADER.index("Phone")] = 13800000000.0 + i
            row[HEADER.index("My Note")] = 7.0 * i
    orders_book(path, rows)
    typed, cells = both_ways(path, "Orders")
    assert typed is not None
    assert_same(typed, cells)
    assert list(typed.frame.index) == [2, 3, 5, 6, 8]
    assert list(typed.frame["customer"].iloc[:4]) == ["客户1", "王", "客户3", "李"]
    assert typed.frame.loc[3, "phone"] == "13800000001"
    assert list(typed.frame["unit_price"]) == [80_000.0, 81_001.0, 83_003.0, 84_004.0, 86_006.0]
    assert list(typed.frame["verified"]) == [False, True, True, False, False]
    assert [p.cell for p in typed.problems] == ["F5", "F6"]  # Qty 2.5; Qty #DIV/0! (blank)


def test_a_users_own_date_column_comes_as_timestamps(tmp_path):
    """The one allowed difference: calamine's cells give a `date` for a date-formatted cell."""
    path = tmp_path / "dates.xlsx"
    rows = [order(1, **{"My Note": dt.datetime(2026, 12, 1, 8, 30)}), order(2, **{"My Note": None})]
    orders_book(path, rows)
    typed, cells = both_ways(path, "Orders")
    assert list(typed.frame["My Note"]) == [pd.Timestamp("2026-12-01 08:30"), None]
    assert list(cells.frame["My Note"]) == [dt.datetime(2026, 12, 1, 8, 30), None]
    assert_same(typed, cells)  # a Timestamp equals the datetime it stands for


def test_an_empty_column_without_a_header_is_left_out_both_ways(tmp_path):
    """A gap the owner left between columns: fastexcel names it `__UNNAMED__3` (its own made-up
    name, not a header), and the typed path still reads the sheet as calamine's cells do."""
    path = tmp_path / "gap.xlsx"
    rows = [order(n) for n in (1, 2, 3)]
    orders_book(path, [r[:3] + [None] + r[3:] for r in rows],
                header=HEADER[:3] + [None] + HEADER[3:])
    typed, cells = both_ways(path, "Orders")
    assert typed is not None
    assert_same(typed, cells)
    assert typed.layout.letter("status") == "E"


def test_empty_columns_and_yes_no_cells_read_the_same_both_ways(tmp_path):
    """Columns with nothing in them yet (no discount given, nothing delivered) and yes/no cells
    with blanks among them take quick paths; the frame is still calamine's cells' own."""
    path = tmp_path / "empty.xlsx"
    header = HEADER + ["Discount", "Delivered"]
    rows = [order(1, Verified=True), order(2, Verified=None), order(3, Verified=False)]
    orders_book(path, [r + [None, None] for r in rows], header=header)
    typed, cells = both_ways(path, "Orders")
    assert typed is not None
    assert_same(typed, cells)
    assert list(typed.frame["verified"]) == [True, pd.NA, False]
    assert typed.frame["discount"].isna().all() and typed.frame["delivered"].isna().all()
    assert str(typed.frame["delivered"].dtype) == "datetime64[ns]"


@pytest.mark.parametrize("case", [
    "title rows", "data from column B", "price typed among numbers", "a time of day",
    "a date in a text column", "a repeated header", "a number as a header", "a date as a header",
    "values under no header"])
def test_what_the_typed_path_cannot_promise_is_read_from_calamines_cells(tmp_path, case):
    path = tmp_path / "case.xlsx"
    rows, options = [order(1), order(2), order(3)], {}
    header = list(HEADER)
    if case == "title rows":
        options["title"] = True
    elif case == "data from column B":
        options["first_col"] = 1
    elif case == "price typed among numbers":
        rows[1][HEADER.index("Unit Price")] = "¥1,299.00"
    elif case == "a time of day":
        rows[1][HEADER.index("Created")] = dt.time(9, 30)
    elif case == "a date in a text column":
        rows[1][HEADER.index("Customer")] = dt.datetime(2026, 1, 1)
    elif case == "a repeated header":
        header[-1] = "Phone"
    elif case == "a number as a header":
        header[-1] = 2026
    elif case == "a date as a header":
        header[-1] = dt.datetime(2026, 12, 1)
    elif case == "values under no header":
        header[-1] = None
    orders_book(path, rows, header=header, **options)
    typed, cells = both_ways(path, "Orders")
    assert typed is None
    with FileBook.open(path) as book:  # and the book still reads it, from calamine's cells
        data = book.read("Orders")
    assert_same(data, cells)
    assert len(data.frame) == 3
