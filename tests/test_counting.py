"""Cycle counts on the demo shop: today's count list, a filled sheet posted back, bad sheets
refused whole, and the month's shrinkage in the monthly report."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.cli import cli
from shopsheet.core.ledger import stock_levels
from tests.test_printing import flat, pages

TODAY = "2026-11-21"


@pytest.fixture
def shop(demo_shop, tmp_path) -> Path:
    shutil.copytree(demo_shop, tmp_path / "shop")
    return tmp_path / "shop" / "ShopOps.xlsm"


def read(path: Path, sheet: str) -> pd.DataFrame:
    with FileBook.open(path) as book:
        return book.read(sheet).frame


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def count_sheet(shop: Path, *extra) -> Path:
    result = run("count-list", shop, "--today", TODAY, *extra)
    assert result.exit_code == 0, result.output
    return shop.parent / "counts" / f"count-{TODAY}.xlsx"


def filled(sheet: Path, figures: dict[str, object], out: Path) -> Path:
    """The count sheet as the counter hands it back: figures under Counted."""
    book = openpyxl.load_workbook(sheet)  # ShopOps' own count sheet, not the owner's workbook
    ws = book.active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        sku = row[header.index("SKU")].value
        if sku in figures:
            row[header.index("Counted")].value = figures[sku]
    book.save(out)
    return out


def test_the_count_list_is_todays_share_in_walking_order(shop):
    sheet = count_sheet(shop)
    products = read(shop, "Products").set_index("sku")
    rows = list(openpyxl.load_workbook(sheet, read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("Location", "SKU", "Product", "ABC", "Review", "Last Counted", "Counted",
                       "Note")
    skus = [r[1] for r in rows[1:]]
    classes = products.loc[skus, "abc"]
    # a day's share of each class: ⌈A/7⌉ + ⌈B/30⌉ + ⌈C/91⌉, nobody counted twice
    sizes = products[products["abc"].notna()]["abc"].value_counts()
    assert classes.value_counts().to_dict() == {c: -(-sizes[c] // d) for c, d in
                                                (("A", 7), ("B", 30), ("C", 91))}
    locations = [r[0] for r in rows[1:]]
    assert locations == sorted(locations)  # the demo's bins sort as text too
    assert all(r[6] is None for r in rows[1:])  # blank for the counter
    assert "Current Stock" not in rows[0]  # blind: the figure written is the one found
    everything = run("count-list", shop, "--today", TODAY, "--all", "--out",
                     shop.parent / "all.xlsx")
    assert "products" in everything.output
    kits = set(read(shop, "Kits")["kit_sku"])
    listed = [r[1] for r in openpyxl.load_workbook(shop.parent / "all.xlsx", read_only=True)
              .active.iter_rows(min_row=2, values_only=True)]
    assert not kits & set(listed) and len(listed) > len(skus)


def test_a_filled_sheet_posts_counts_and_names_the_differences(shop):
    sheet = count_sheet(shop)
    moves = read(shop, "StockLedger")
    held = stock_levels(moves[moves["time"] < pd.Timestamp(f"{TODAY} 08:00")])  # at the count
    first, second = [r[1] for r in openpyxl.load_workbook(sheet, read_only=True).active
                     .iter_rows(min_row=2, max_row=3, values_only=True)]
    short = int(held[first]) - 2
    exact = int(held[second])
    done = filled(sheet, {first: short, second: exact}, sheet)
    result = run("count", shop, done, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "Counted 2 products" in result.output and "1 differs from the ledger" in result.output
    assert f"{first} (" in result.output and "(-2)" in result.output
    after = read(shop, "Products").set_index("sku")
    later = moves[(moves["time"] >= pd.Timestamp(f"{TODAY} 08:00")) & (moves["sku"] == first)]
    assert after.at[first, "current_stock"] == short + later["change"].sum()
    assert after.at[first, "last_counted"] == pd.Timestamp(TODAY)
    ledger = read(shop, "StockLedger")
    rows = ledger[(ledger["reason"] == "count") & (ledger["reference"] == done.name)]
    assert sorted(rows["sku"]) == sorted([first, second])
    again = run("count", shop, done, "--today", TODAY)
    assert again.exit_code != 0 and "posted already" in again.output
    # a count of the same products today is not due again
    assert first not in run("count-list", shop, "--today", TODAY).output


def test_a_bad_count_sheet_is_refused_whole(shop, tmp_path):
    sheet = count_sheet(shop)
    skus = [r[1] for r in openpyxl.load_workbook(sheet, read_only=True).active
            .iter_rows(min_row=2, values_only=True)]
    bad = filled(sheet, {skus[0]: "about 5", skus[1]: -3}, tmp_path / "bad.xlsx")
    before = shop.read_bytes()
    result = run("count", shop, bad, "--today", TODAY)
    assert result.exit_code != 0
    text = flat(result.output)
    assert "bad.xlsx, row 2 (Counted): got 'about 5', expected a whole number ≥ 0" in text
    assert "bad.xlsx, row 3 (Counted): got '-3'" in text
    assert shop.read_bytes() == before
    csv = tmp_path / "wrong.csv"
    csv.write_text("Item,Qty\nA001,3\n", encoding="utf-8")
    result = run("count", shop, csv, "--today", TODAY)
    assert "needs a SKU column and a Counted column; found Item, Qty" in flat(result.output)
    assert shop.read_bytes() == before


def test_a_count_typed_by_hand_in_chinese_headers_is_read(shop, tmp_path):
    csv = tmp_path / "盘点.csv"
    stock = int(read(shop, "Products").set_index("sku").at["A004", "current_stock"])
    csv.write_text(f"商品编码,实盘数量\nA004,{stock + 1}\n", encoding="gb18030")
    result = run("count", shop, csv, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert read(shop, "Products").set_index("sku").at["A004", "current_stock"] == stock + 1


def test_the_monthly_report_has_the_months_shrinkage(shop):
    result = run("report", shop, "--monthly", "--today", TODAY)
    assert result.exit_code == 0, result.output
    report = shop.parent / "reports" / "report-month-2026-10-01.xlsx"
    sheet = openpyxl.load_workbook(report, read_only=True)["Shrinkage"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    head = rows.index(("SKU", "Product", "Reason", "Units lost", "Value (¥)"))
    table = rows[head + 1:]
    reasons = {r[2] for r in table if r[0] != "Total"}
    assert {"count difference", "damaged in transit", "lost"} <= reasons
    total = next(r for r in table if r[0] == "Total")
    body = [r for r in table if r[0] not in ("Total", None)]
    assert total[3] == sum(r[3] for r in body)
    assert round(total[4] * 100) == sum(round(r[4] * 100) for r in body)
    # …and it agrees with the ledger: the demo's count found two products short and one over
    assert "3 products counted this month, 3 with a difference" in rows[1][0]


@pytest.mark.libreoffice
def test_the_count_sheet_prints_with_its_title_and_boxes(shop, libreoffice, tmp_path):
    sheet = count_sheet(shop)
    libreoffice.run(sheet, "pdf", tmp_path)
    (page,) = pages(tmp_path / f"{sheet.stem}.pdf")
    assert f"Count sheet {TODAY}" in flat(page) and "Counted by:" in flat(page)
