"""`shopops init` and `shopops demo` through the CLI runner, checked on the files they make."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
import python_calamine
from click.testing import CliRunner
from lxml import etree

from shopsheet.book import FileBook
from shopsheet.cli import cli
from shopsheet.core.ledger import stock_levels
from shopsheet.core.listings import components, kit_stock
from shopsheet.sheets import SHEETS

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def test_init_makes_a_macro_enabled_workbook_of_tables(tmp_path):
    path = tmp_path / "x.xlsm"
    result = CliRunner().invoke(cli, ["init", str(path), "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("Created x.xlsm: 18 sheets, 3 example products, default "
                                     "settings, the ShopOps ribbon tab")
    zf = zipfile.ZipFile(path)
    types = zf.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    tables = [etree.fromstring(zf.read(n)) for n in zf.namelist() if n.startswith("xl/tables/")]
    assert sorted(t.get("displayName") for t in tables) == sorted(s.table_name for s in
                                                                  SHEETS.values())
    assert all(t.find("m:autoFilter", NS) is not None for t in tables)
    products = etree.fromstring(zf.read("xl/worksheets/sheet2.xml"))
    pane = products.find(".//m:pane", NS)
    assert pane.get("ySplit") == "1" and pane.get("state") == "frozen"
    lists = {v.get("sqref"): v.findtext("m:formula1", namespaces=NS)
             for v in products.iterfind(".//m:dataValidation", NS) if v.get("type") == "list"}
    assert lists["N2:N1048576"] == '"active,new,paused,discontinued"'
    rules = products.findall(".//m:conditionalFormatting", NS)
    assert any("$C2<=$D2" in (r.findtext(".//m:formula", namespaces=NS) or "") for r in rules)
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        "Products").to_python()
    assert [row[1] for row in grid[1:]] == ["A001", "B002", "C003"]


def test_init_then_validate_exits_0(tmp_path):
    path = tmp_path / "x.xlsm"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(path)]).exit_code == 0
    assert runner.invoke(cli, ["validate", str(path)]).exit_code == 0


def test_a_book_made_before_eight_validates_at_once(tmp_path):
    """Opening stock is counted at the start of the day: made at 04:23, the book holds no
    movement dated after its making (the clock the CI run was started by)."""
    import datetime as dt

    from shopsheet import routines

    path = tmp_path / "early.xlsm"
    now = dt.datetime(2026, 12, 4, 4, 23)
    routines.init_workbook(path, now.date())
    result = routines.validate(FileBook(path), now)
    assert result.figures.get("problems", 0) == 0, result.lines
    assert not result.alerts and "valid" in result.summary


def test_init_refuses_to_overwrite(new_book):
    before = new_book.read_bytes()
    result = CliRunner().invoke(cli, ["init", str(new_book)])
    assert result.exit_code == 1
    assert "already exists" in result.output and "Error:" in result.output
    assert new_book.read_bytes() == before


@pytest.mark.libreoffice
def test_libreoffice_opens_a_new_workbook(new_book, libreoffice, tmp_path):
    sheets = libreoffice.sheets_as_csv(new_book, tmp_path / "csv")
    assert set(SHEETS) <= set(sheets)
    assert sheets["Products"][0][:3] == ["Product", "SKU", "Current Stock"]
    assert sheets["Products"][1][7] == "60.7%"  # Margin, in its percent format


def test_demo_is_realistic_deterministic_and_valid(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--dir", str(tmp_path / "a"), "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert "validate: Validation: all 18 sheets are valid" in result.output
    assert "import: Imported" in result.output and "17 orders / 25 lines new" in result.output
    with FileBook.open(tmp_path / "a" / "ShopOps.xlsm") as book:
        products = book.read("Products").frame
        orders = book.read("Orders").frame
        ledger = book.read("StockLedger").frame
        log = book.read("Log").frame
        listings, kits = book.read("Listings").frame, book.read("Kits").frame
    assert 28 <= len(products) <= 32 and products["supplier"].nunique() == 4
    assert products["location"].notna().all()
    days = orders.drop_duplicates("order_id").groupby(orders["created"].dt.date).size()
    assert len(days) == 90 and days.max() > 2.5 * days.median()  # 11.11 stands out
    assert {"cancelled", "refunded", "paid", "delivered"} <= set(orders["status"])
    stock = stock_levels(ledger)  # a count restarts the sum
    stock = pd.concat([stock, kit_stock(stock, components(kits))])
    assert products.set_index("sku")["current_stock"].eq(stock.reindex(products["sku"])).all()
    assert list(log["routine"]) == ["daily", "settle", "reconcile", "listings", "abc", "promotions",
                                    "review"]
    # the shop as the guide runs it: Shopify titles mapped by Listings, a 2-pack, a kit, and
    # the one new Shopify colour the morning names with its suggestion
    assert orders.loc[orders["channel"] == "shopify", "sku"].isna().all()
    assert ("Products found for 3145 order lines: 2801 by the shop's SKU, 334 Shopify lines by "
            "title and 9 Xiaohongshu 2-pack lines by code (Listings), 1 unmapped; kits: D009 = "
            "A001 + A007 + B007") in result.output
    assert "suggested: shopify 'Silk Sleep Eye Mask' / 'Champagne' → A009 × 1" in result.output
    assert listings["status"].value_counts().to_dict() == {"confirmed": 31, "suggested": 1}
    assert not ledger["sku"].isin(list(kits["kit_sku"])).any()
    assert log["summary"].iloc[0].startswith("Daily checklist: 17 orders processed")
    again = runner.invoke(cli, ["demo", "--dir", str(tmp_path / "a"), "--today", "2026-11-21"])
    assert again.exit_code == 0, again.output
    with FileBook.open(tmp_path / "a" / "ShopOps.xlsm") as book:
        assert book.read("Orders").frame.equals(orders)


def test_demo_never_replaces_a_real_workbook(tmp_path, new_book):
    result = CliRunner().invoke(cli, ["demo", "--dir", str(new_book.parent)])
    assert result.exit_code == 1 and "not a demo workbook" in result.output


@pytest.mark.parametrize("day", ["2026-12-03", "2027-02-01"])
def test_the_demo_is_never_oversold_whatever_the_day(tmp_path, day):
    """The opening stock covers the paid lines the demo's morning posts, on any date."""
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "d"), "--today", day])
    assert result.exit_code == 0, result.output
    assert "all 18 sheets are valid" in result.output
