"""FileBook reading: headers by label or Chinese alias in any order, rows by Excel number,
the user's own columns kept, Settings typed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import xlsxwriter

from shopsheet.book import FileBook
from shopsheet.sheets import SHEETS


def chinese_products(path) -> None:
    """A sheet as a Chinese-speaking owner made it: a title, shuffled 中文 headers, a note column."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Products")
    date = wb.add_format({"num_format": "yyyy/m/d"})
    ws.write(0, 0, "小园好物 库存表")
    ws.write_row(2, 0, ["我的备注", "库存", "商家编码", "商品名称 ", "成本", "售价", "最后更新"])
    ws.write_row(3, 0, ["热卖", 12, "A001", "玫瑰面膜", "¥35.00", 89])
    ws.write_datetime(3, 6, dt.datetime(2026, 11, 20), date)
    ws.write_row(4, 0, ["", 0, 1002, "竹杯", 28, "69"])
    ws.write_string(4, 6, "2026/11/19")
    wb.close()


def test_headers_found_by_alias_in_any_order(tmp_path):
    path = tmp_path / "cn.xlsx"
    chinese_products(path)
    with FileBook.open(path) as book:
        data = book.read("Products")
    frame = data.frame
    assert data.layout.header_row == 3 and list(frame.index) == [4, 5]
    assert data.layout.letter("sku") == "C" and data.layout.letter("我的备注") == "A"
    assert list(frame["sku"]) == ["A001", "1002"]  # a number typed as a SKU reads as its text
    assert list(frame["cost"]) == [35.0, 28.0] and list(frame["price"]) == [89.0, 69.0]
    assert list(frame["last_updated"]) == [pd.Timestamp("2026-11-20"), pd.Timestamp("2026-11-19")]
    assert frame.loc[4, "我的备注"] == "热卖"  # the user's own column, under its own header
    assert frame["reorder_qty"].isna().all()  # declared but absent: present and empty
    assert data.problems == []


def test_patching_a_plain_range_keeps_the_users_column(tmp_path):
    path = tmp_path / "cn.xlsx"
    chinese_products(path)
    with FileBook.open(path, keep_backups=0) as book:
        book.patch("Products", pd.DataFrame({"current_stock": [10]}, index=[4]))
        book.save()
        frame = book.read("Products").frame
    assert frame.loc[4, "current_stock"] == 10 and frame.loc[4, "我的备注"] == "热卖"


def test_settings_are_typed_and_defaulted(new_book):
    with FileBook.open(new_book) as book:
        settings, problems = book.settings()
    assert problems == []
    assert settings.sales_window_days == 30 and isinstance(settings.sales_window_days, int)
    assert settings.commission == 0.05 and settings.free_shipping_threshold == 199
    assert settings.weekly_day == "monday" and settings.backups == 5


def test_products_headers_follow_the_guides_template():
    labels = [c.label for c in SHEETS["Products"].columns]
    assert labels == ["Product", "SKU", "Current Stock", "Low Stock Alert", "Reorder Qty", "Cost",
                      "Price", "Margin", "Supplier", "Lead Time", "Last Updated", "Safety Stock",
                      "Location", "Status", "ABC", "Avg Daily Sales", "Days of Cover",
                      "On Order", "Reorder Flag", "Reorder Point", "Reorder By", "Review",
                      "Last Counted"]


def test_every_header_has_a_chinese_alias_and_a_format():
    for spec in SHEETS.values():
        for col in spec.columns:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in col.zh), (spec.name, col.label)
            assert col.excel_format
        headers = [h.casefold() for c in spec.columns for h in c.headers]
        assert len(headers) == len(set(headers)), f"{spec.name} has an ambiguous header"


def test_a_run_sees_its_own_writes_with_their_problems(new_book):
    """What a routine writes is read back typed, and checked like a cell read from the file:
    the new rows only, except that a repeated key is looked for in the whole column."""
    with FileBook.open(new_book) as book:
        first = book.read("Products")
        assert not first.problems
        book.append("Products", pd.DataFrame({"product": ["Mug", "Mug again"],
                                              "sku": ["D004", "A001"], "price": [39, "¥49"],
                                              "cost": [12, "cheap"]}))
        data = book.read("Products")
        row = data.frame.index[-1]
        assert data.frame.loc[row - 1, ["sku", "price"]].tolist() == ["D004", 39.0]
        assert data.frame.at[row, "price"] == 49.0
        found = {(p.cell, p.column): str(p) for p in data.problems}
        cost = data.layout.letter("cost")
        sku = data.layout.letter("sku")
        assert (f"{cost}{row}", "Cost") in found  # "cheap" is no price
        assert (f"{sku}{row}", "SKU") in found and (f"{sku}{first.frame.index[0]}", "SKU") in found
        book.patch("Products", pd.DataFrame({"sku": ["E005"]}, index=[row]))
        data = book.read("Products")
        assert not any(p.column == "SKU" for p in data.problems)  # the repeat is gone, both rows
        assert any(p.cell == f"{cost}{row}" for p in data.problems)  # the bad cost is still there


def test_a_patch_is_checked_on_its_columns_as_a_read_of_the_file_would(new_book, monkeypatch):
    """A patch of one column is checked on that column only (the model has no check across
    columns), and the problems the run sees are those a fresh read of the saved file names."""
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    with FileBook.open(new_book) as book:
        book.append("Products", pd.DataFrame({"product": ["Mug"], "sku": ["D004"],
                                              "price": [39], "cost": ["cheap"]}))
        row = book.read("Products").frame.index[-1]
        book.patch("Products", pd.DataFrame({"reorder_qty": [-5]}, index=[row]))
        book.patch("Products", pd.DataFrame({"price": [45]}, index=[row]))
        seen = book.read("Products")
        letter = seen.layout.letter
        cells = {p.cell for p in seen.problems}
        assert {f"{letter('reorder_qty')}{row}", f"{letter('cost')}{row}"} <= cells
        assert f"{letter('price')}{row}" not in cells
        book.save()
    with FileBook.open(new_book) as book:
        fresh = book.read("Products")
    assert sorted(map(str, seen.problems)) == sorted(map(str, fresh.problems))
