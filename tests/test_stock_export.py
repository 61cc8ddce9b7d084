"""Stock back to the channels: each back end's file, its documented columns, and the quantities
worked out by hand on a small shop.

The shop (the `init` example): A001 120, B002 45, C003 12 on the shelf; Stock buffer 2.
Open (paid, unshipped) orders: Shopify 3 × the mask 2-pack and 1 Holiday Gift Box (a kit of
one A001, B002, C003); Xiaohongshu 1 × its mask 2-pack. Committed: A001 3·2 + 1 + 2 = 9,
B002 1, C003 1. Available: A001 120 − 9 − 2 = 109, B002 45 − 1 − 2 = 42, C003 12 − 1 − 2 = 9;
the gift box min(109, 42, 9) = 9. Per listing: a 2-pack 109 ÷ 2 = 54; the box 9; C003 9.
Shopify's On hand (new) adds back its own open orders: 54 + 3 = 57, 9 + 1 = 10.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import python_calamine
from click.testing import CliRunner

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.cli import cli
from shopsheet.reports.stock_files import (GENERIC_COLUMNS, SHOPIFY_COLUMNS, TAOBAO_COLUMNS,
                                           XIAOHONGSHU_COLUMNS)
from tests.test_listings import add_gift_box

NOW = dt.datetime(2026, 11, 21, 8, 0)
PAID = pd.Timestamp("2026-11-20 20:01")


@pytest.fixture
def shop(new_book: Path) -> Path:
    with FileBook.open(new_book) as book:
        add_gift_box(book)
        book.append("Listings", pd.DataFrame({
            "channel": ["shopify", "shopify", "xiaohongshu", "taobao"],
            "listing_id": ["rose-mask", "holiday-gift-box", "6551234", "5012345678"],
            "channel_sku": [None, None, "XHS-A001-2", "TB-C003"],
            "title": ["Rose Hydrating Face Mask", "Holiday Gift Box", "玫瑰面膜两件装", "亚麻托特包"],
            "variant": ["2 x 10 pcs / Pink", None, None, "原色"],
            "sku": ["A001", "GIFT01", "A001", "C003"], "units": [2, 1, 2, 1]}))
        settings = book.read("Settings").frame
        row = settings.index[settings["key"] == "Stock buffer"][0]
        book.patch("Settings", pd.DataFrame({"value": [2]}, index=[row]))
        book.append("Orders", pd.DataFrame({
            "order_id": ["#2001", "#2001", "X9"], "line": [1, 2, 1],
            "channel": ["shopify", "shopify", "xiaohongshu"],
            "created": [PAID] * 3, "paid": [PAID] * 3, "status": ["paid"] * 3,
            "sku": [None, None, "XHS-A001-2"],
            "product": ["Rose Hydrating Face Mask - 2 x 10 pcs / Pink", "Holiday Gift Box",
                        "玫瑰面膜两件装"], "qty": [3, 1, 1]}))
        book.save()
    return new_book


def export(book_path: Path, channel: str, out: Path):
    with FileBook.open(book_path) as book:
        result = routines.stock_export(book, NOW, folder=book_path.parent, channel=channel, out=out)
    assert result.ok, result.problems
    return result


def sheet_rows(path: Path) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


@pytest.mark.parametrize("posted", [False, True])
def test_shopify_inventory_csv_by_hand(shop, tmp_path, posted):
    if posted:  # the same figures whether or not the day's sales are in the ledger yet
        with FileBook.open(shop) as book:
            assert routines.update_stock(book, NOW).figures["sales"] == 5  # 2-pack, 3 parts, X9
    out = tmp_path / "shopify.csv"
    before = shop.read_bytes()
    export(shop, "shopify", out)
    assert shop.read_bytes() == before  # the workbook is only read
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == SHOPIFY_COLUMNS
    got = {r["Handle"]: r for r in rows}
    mask, box = got["rose-mask"], got["holiday-gift-box"]
    assert (mask["Option1 Value"], mask["Option2 Value"]) == ("2 x 10 pcs", "Pink")
    assert (box["Option1 Name"], box["Option1 Value"]) == ("Title", "Default Title")
    assert (mask["Available (not editable)"], mask["On hand (new)"]) == ("54", "57")
    assert (box["Available (not editable)"], box["On hand (new)"]) == ("9", "10")
    assert {r["Location"] for r in rows} == {"Shop location"}
    assert len(rows) == 2  # Shopify sells no product under the shop's own SKU here


def test_taobao_and_xiaohongshu_workbooks_by_hand(shop, tmp_path):
    export(shop, "xiaohongshu", tmp_path / "xhs.xlsx")
    xhs = sheet_rows(tmp_path / "xhs.xlsx")
    assert xhs[0] == XIAOHONGSHU_COLUMNS
    assert xhs[1][:5] == ["玫瑰面膜两件装", "", "XHS-A001-2", "6551234", 54]
    export(shop, "taobao", tmp_path / "tb.xlsx")
    tb = sheet_rows(tmp_path / "tb.xlsx")
    assert tb[0] == TAOBAO_COLUMNS
    assert tb[1][:5] == ["亚麻托特包", "原色", "TB-C003", "5012345678", 9]


def test_generic_lists_every_listing_and_product_and_the_cli(shop):
    result = CliRunner().invoke(cli, ["stock-export", str(shop), "--channel", "generic",
                                      "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    path = shop.parent / "stock-export" / "stock-generic-20261121.csv"
    assert f"in {path}" in result.output
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == GENERIC_COLUMNS
    own = {r["SKU"]: r["Available"] for r in rows if not r["Channel"] and not r["Listing ID"]}
    assert own == {"A001": "109", "B002": "42", "C003": "9", "GIFT01": "9"}
    assert len(rows) == 4 + 4


def test_the_daily_switch_writes_every_channels_file_after_the_save(shop):
    with FileBook.open(shop) as book:
        settings = book.read("Settings").frame
        row = settings.index[settings["key"] == "Stock export in daily"][0]
        book.patch("Settings", pd.DataFrame({"value": ["yes"]}, index=[row]))
        book.save()
        result = routines.daily(book, NOW, folder=shop.parent)
    assert result.ok
    folder = shop.parent / "stock-export"
    assert sorted(p.name for p in folder.iterdir()) == [
        "stock-shopify-20261121.csv", "stock-taobao-20261121.xlsx",
        "stock-xiaohongshu-20261121.xlsx"]
    assert result.steps[-1].routine == "stock-export"
    xhs = sheet_rows(folder / "stock-xiaohongshu-20261121.xlsx")
    assert xhs[1][4] == 54  # the same as by hand: the morning posted the sales it took
