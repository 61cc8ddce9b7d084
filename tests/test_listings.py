"""Every line of a real export, mapped to the shop's own products: a Shopify export in its real
79-column layout whose lines mostly have no SKU, Listings (titles, channel codes, 2-packs),
Kits, suggestions, and every run changing nothing the second time."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.core.words import SOLD

DATA = Path(__file__).parent / "data"
SHOPIFY = DATA / "shopify_orders_real_layout.csv"
NOW = dt.datetime(2026, 11, 21, 8, 0)
LISTINGS = pd.DataFrame({
    "channel": ["shopify", "shopify", "shopify", "shopify", "shopify", "shopify"],
    "title": ["Rose Hydrating Face Mask", "Rose Hydrating Face Mask", "Bamboo Travel Mug",
              "Linen Tote Bag", "Holiday Gift Box", "Gift Card"],
    "variant": ["10 pcs", "2 x 10 pcs", "350 ml / Sage", "Natural", None, "¥100"],
    "sku": ["A001", "A001", "B002", "C003", "GIFT01", None],
    "units": [1, 2, 1, 1, 1, 0],  # a gift card is sold, and takes nothing from the shelf
})
UNITS = {"Rose Hydrating Face Mask - 10 pcs": {"A001": 1},
         "Rose Hydrating Face Mask - 2 x 10 pcs": {"A001": 2},
         "Bamboo Travel Mug - 350 ml / Sage": {"B002": 1},
         "Linen Tote Bag - Natural": {"C003": 1},
         "Holiday Gift Box": {"A001": 1, "B002": 1, "C003": 1}}  # the kit's parts


def read(path: Path, sheet: str) -> pd.DataFrame:
    with FileBook.open(path) as book:
        return book.read(sheet).frame


def add_gift_box(book) -> None:
    """Holiday Gift Box: a kit of one mask, one mug and one tote."""
    book.append("Products", pd.DataFrame({"product": ["Holiday Gift Box"], "sku": ["GIFT01"],
                                          "price": [199.0], "cost": [81.0]}))
    book.append("Kits", pd.DataFrame({"kit_sku": ["GIFT01"] * 3,
                                      "component_sku": ["A001", "B002", "C003"],
                                      "qty": [1, 1, 1]}))


def export_rows() -> list[dict]:
    with open(SHOPIFY, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_real_layout_has_79_columns_and_mostly_no_sku():
    rows = export_rows()
    assert len(rows[0]) == 79 and len(rows) == 40
    assert len({r["Name"] for r in rows}) == 19
    assert sum(1 for r in rows if r["Lineitem sku"]) == 2


def test_every_line_of_a_real_shopify_export_is_imported_and_totals_agree(new_book):
    with FileBook.open(new_book) as book:
        result = routines.import_orders(book, NOW, paths=[SHOPIFY])
    assert result.ok, result.problems
    orders = read(new_book, "Orders")
    assert len(orders) == 40 and orders["order_id"].nunique() == 19
    # the lines and shipping add up to the export's own Total of every order, to the cent
    exported = sum(Decimal(r["Total"]) for r in export_rows() if r["Total"])
    imported = sum(Decimal(str(v)) for v in orders["line_total"]) + \
        sum(Decimal(str(v)) for v in orders["shipping_fee"].dropna())
    assert imported == exported
    assert result.figures["unmapped_lines"] == 38
    assert (orders["flags"].fillna("").str.startswith("unmapped")).sum() == 38
    assert any("map to no product" in a and "'Holiday Gift Box'" in a for a in result.alerts)
    with FileBook.open(new_book) as book:
        assert routines.validate(book).ok


def test_listings_added_later_post_exactly_those_units_once(new_book):
    with FileBook.open(new_book) as book:
        routines.import_orders(book, NOW, paths=[SHOPIFY])
        first = routines.update_stock(book, NOW)  # only the two lines with a SKU move stock
    assert first.ok and first.figures["sales"] == 2
    assert any("map to no product" in a for a in first.alerts)
    ledger = read(new_book, "StockLedger")
    with FileBook.open(new_book) as book:
        add_gift_box(book)
        book.append("Listings", LISTINGS)
        book.save()
        second = routines.update_stock(book, NOW)
    assert second.ok and not [a for a in second.alerts if "to no product" in a]
    orders = read(new_book, "Orders")
    sold = orders[orders["status"].isin(SOLD)]
    want: Counter = Counter()
    for product, sku, qty in zip(sold["product"], sold["sku"].fillna(""), sold["qty"]):
        for part, units in ({sku: 1} if sku in ("A001", "C003") else
                            UNITS.get(product, {})).items():
            want[part] -= qty * units
    after = read(new_book, "StockLedger")
    sales = after[after["reason"] == "sale"]
    assert dict(sales.groupby("sku")["change"].sum()) == dict(want)
    assert sales["reference"].is_unique
    # each sale at its payment (the paid draft order, without Paid at, at its creation)
    by_ref = dict(zip(sales["reference"], sales["time"]))
    draft = orders[orders["order_id"] == "#1107"].iloc[0]
    assert by_ref["#1107#1"] == draft["created"]
    kit_refs = [r for r in by_ref if r.endswith(("/A001", "/B002", "/C003"))]
    assert kit_refs and all(r.split("/")[0].count("#") == 2 for r in kit_refs)
    assert not (orders["flags"].fillna("").str.startswith("unmapped")).any()
    products = read(new_book, "Products").set_index("sku")
    stock = {s: products.at[s, "current_stock"] for s in ("A001", "B002", "C003")}
    assert products.at["GIFT01", "current_stock"] == max(0, min(stock.values()))
    assert len(ledger) < len(after)
    runs = (routines.update_stock, routines.verify, routines.update_stock, routines.reorders,
            routines.pick_list)
    with FileBook.open(new_book) as book:
        for run in runs:
            assert run(book, NOW).ok
    before = new_book.read_bytes()
    with FileBook.open(new_book) as book:
        for run in runs:
            again = run(book, NOW)
            assert again.ok and not again.changed, (run.__name__, again.summary)
    assert new_book.read_bytes() == before


def test_a_two_pack_moves_two_units_by_channel_sku(new_book, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Order ID,Line,Channel,Created,Paid,Status,SKU,Product,Qty,Unit Price\n"
                    "X1,1,小红书,2026-11-20 20:00,2026-11-20 20:01,已付款,XHS-A001-2,面膜两件装,3,"
                    "160\n", encoding="utf-8")
    with FileBook.open(new_book) as book:
        book.append("Listings", pd.DataFrame({"channel": ["xiaohongshu"],
                                              "channel_sku": ["XHS-A001-2"], "sku": ["A001"],
                                              "units": [2]}))
        book.save()
        assert routines.import_orders(book, NOW, paths=[path]).ok
        assert routines.update_stock(book, NOW).figures["sales"] == 1
    sales = read(new_book, "StockLedger").query("reason == 'sale'")
    assert list(zip(sales["sku"], sales["change"], sales["reference"])) == [("A001", -6, "X1#1")]


def test_suggestions_move_nothing_until_confirmed(new_book):
    with FileBook.open(new_book) as book:
        routines.import_orders(book, NOW, paths=[SHOPIFY])
        told = routines.listings(book, NOW)
        assert not told.changed and told.figures["unmapped_lines"] == 38
        suggested = routines.listings(book, NOW, suggest=True)
    assert suggested.ok and suggested.figures["suggested"] >= 4
    rows = read(new_book, "Listings")
    assert set(rows["status"]) == {"suggested"}
    two_pack = rows[rows["variant"] == "2 x 10 pcs"].iloc[0]
    assert (two_pack["sku"], two_pack["units"]) == ("A001", 2)
    mug = rows[rows["title"] == "Bamboo Travel Mug"].iloc[0]
    assert mug["sku"] == "B002" and "score" in mug["note"]
    assert any("no product name comes close" in a and "Gift Card" in a
               for a in suggested.alerts)
    with FileBook.open(new_book) as book:
        assert routines.update_stock(book, NOW).figures["sales"] == 2  # suggestions: nothing
        again = routines.listings(book, NOW, suggest=True)
        assert again.figures["suggested"] == 0 and not again.changed
        book.patch("Listings", pd.DataFrame({"status": "confirmed"}, index=rows.index))
        book.save()
        assert routines.update_stock(book, NOW).figures["sales"] > 2


def test_kits_are_received_and_counted_through_their_parts(new_book):
    with FileBook.open(new_book) as book:
        add_gift_box(book)
        book.append("PurchaseOrders", pd.DataFrame({"po_no": ["PO-9"], "sku": ["GIFT01"],
                                                    "qty": [5], "status": ["ordered"]}))
        book.append("StockLedger", pd.DataFrame({"time": [pd.Timestamp(NOW)], "sku": ["GIFT01"],
                                                 "change": [4], "reason": ["count"]}))
        book.save()
        refused = routines.receive(book, NOW, po_no="PO-9")
        problems = [str(p) for p in routines.validate(book).problems]
    assert not refused.ok and "receive: nothing done" in refused.summary
    assert any("(SKU): got 'GIFT01', expected a SKU that is not a kit (order its components"
               in p for p in problems)
    assert any(p.startswith("StockLedger!") and "not a kit (count or adjust its components"
               in p for p in problems)


def test_a_returned_kit_puts_back_its_parts(new_book):
    with FileBook.open(new_book) as book:
        add_gift_box(book)
        book.append("Returns", pd.DataFrame({
            "rma_no": ["R1"], "sku": ["GIFT01"], "qty": [2], "condition": ["resellable"],
            "received": [pd.Timestamp("2026-11-20")], "status": ["received"]}))
        book.save()
        assert routines.restock_returns(book, NOW).ok
        assert not routines.restock_returns(book, NOW).changed
    moves = read(new_book, "StockLedger").query("reason == 'return'")
    assert sorted(zip(moves["sku"], moves["change"], moves["reference"])) == [
        ("A001", 2, "R1/A001"), ("B002", 2, "R1/B002"), ("C003", 2, "R1/C003")]
    assert read(new_book, "Returns").iloc[0]["status"] == "restocked"


@pytest.mark.parametrize("word,channel,store", [("generic", "other", "generic"),
                                                ("抖音", "other", "抖音"),
                                                ("RED", "xiaohongshu", None)])
def test_an_unknown_channel_word_never_leaves_an_invalid_book(new_book, tmp_path, word, channel,
                                                              store):
    path = tmp_path / "orders.csv"
    path.write_text("Order ID,Line,Channel,Created,Status,SKU,Qty\n"
                    f"G1,1,{word},2026-11-20 20:00,paid,A001,1\n", encoding="utf-8")
    with FileBook.open(new_book) as book:
        assert routines.import_orders(book, NOW, paths=[path]).ok
        assert routines.validate(book).ok
    line = read(new_book, "Orders").iloc[0]
    assert line["channel"] == channel
    assert (None if pd.isna(line["store"]) else line["store"]) == store


def test_a_kit_is_picked_packed_and_reordered_as_its_parts(new_book, tmp_path):
    created = pd.Timestamp("2026-11-20 20:00")
    with FileBook.open(new_book) as book:
        add_gift_box(book)
        book.append("Orders", pd.DataFrame({
            "order_id": ["K1"], "line": [1], "channel": ["wechat"], "created": [created],
            "paid": [created], "status": ["paid"], "sku": ["GIFT01"], "product": ["礼盒"],
            "qty": [2], "customer": ["周杰"], "phone": ["13500000000"],
            "address": ["湖北省武汉市解放大道 1 号"]}))
        book.save()
        assert routines.verify(book, NOW).figures["ready"] == 1
        slips = tmp_path / "slips.xlsx"
        picked = routines.pick_list(book, NOW, slips=slips)
        assert picked.ok and picked.figures["orders"] == 1
        assert routines.update_stock(book, NOW).ok
        assert routines.reorders(book, NOW).ok
    pick = read(new_book, "PickList")
    assert sorted(zip(pick["sku"], pick["total_qty"])) == [("A001", 2), ("B002", 2), ("C003", 2)]
    import python_calamine
    cells = [str(c) for row in python_calamine.CalamineWorkbook.from_path(str(slips))
             .get_sheet_by_name("Packing Slips").to_python() for c in row]
    assert "Bamboo Travel Mug 350 ml  (in kit Holiday Gift Box)" in cells
    products = read(new_book, "Products").set_index("sku")
    assert products.at["GIFT01", "reorder_flag"] != "reorder"
    assert products.at["GIFT01", "avg_daily_sales"] > 0  # its own sales, as a kit
    pos = read(new_book, "PurchaseOrders")
    assert "GIFT01" not in set(pos["sku"])


def test_component_demand_includes_kit_sales():
    from shopsheet.core.demand import demand_stats
    from shopsheet.core.listings import shelf

    day = pd.Timestamp("2026-11-19 10:00")
    orders = pd.DataFrame({"order_id": ["A", "B"], "line": [1, 1], "channel": ["wechat"] * 2,
                           "status": ["paid", "paid"], "sku": ["M", "BOX"], "qty": [1, 3],
                           "created": [day, day], "paid": [day, day],
                           "shipped": [pd.NaT, pd.NaT], "product": [None, None]})
    products = pd.DataFrame({"sku": ["M", "N", "BOX"]})
    listings = pd.DataFrame(columns=["channel", "listing_id", "channel_sku", "title", "variant",
                                     "sku", "units", "status"])
    kits = pd.DataFrame({"kit_sku": ["BOX", "BOX"], "component_sku": ["M", "N"], "qty": [2, 1]})
    taken = shelf(orders, products, listings, kits)
    demand = demand_stats(taken.demand, pd.Index(["M", "N", "BOX"]), dt.date(2026, 11, 21), 2)
    # M: 1 alone + 3 boxes × 2 = 7 units on the 19th; N: 3; the box itself: 3 — over 2 days
    assert list(demand["avg_daily_sales"]) == [3.5, 1.5, 1.5]
