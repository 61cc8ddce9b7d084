"""The daily routines on the demo shop and on real-format files: real outcomes, idempotent runs,
bad files name file, row and column and write nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.cli import cli
from shopsheet.core.ledger import stock_levels
from shopsheet.core.listings import components, kit_stock, shelf
from shopsheet.demo_data import demo_data

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 11, 21, 8, 0)


@pytest.fixture
def shop(demo_shop, tmp_path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(demo_shop, target)
    return target / "ShopOps.xlsm"


def read(path: Path, sheet: str) -> pd.DataFrame:
    with FileBook.open(path) as book:
        return book.read(sheet).frame


def test_demo_daily_imported_every_format_faithfully(shop):
    orders = read(shop, "Orders")
    original = demo_data(NOW.date())["Orders"]
    last_night = original[original["created"] >= pd.Timestamp("2026-11-20")]
    imported = orders[orders["order_id"].isin(last_night["order_id"])]
    key = ["order_id", "line", "sku", "qty", "status", "channel", "line_total"]

    def rows(frame):
        frame = frame.assign(sku=frame["sku"].astype(object).where(frame["sku"].notna(), ""))
        return sorted(tuple(str(v) for v in r) for r in frame[key].itertuples(index=False))
    assert len(imported) == len(last_night) == 25
    assert rows(imported) == rows(last_night.assign(line_total=last_night["line_total"].round(2)))
    assert not list((shop.parent / "inbox").glob("*.csv"))  # moved to done
    assert len(list((shop.parent / "inbox" / "done").iterdir())) == 5
    assert (shop.parent / "packing-slips" / "packing-slips-2026-11-21.xlsx").exists()


def test_every_routine_twice_changes_nothing_the_second_time(shop):
    before = shop.read_bytes()
    with FileBook.open(shop) as book:
        for run in (routines.verify, routines.update_stock, routines.reorders,
                    routines.pick_list, routines.restock_returns):
            result = run(book, NOW)
            assert result.ok and not result.changed, (run.__name__, result.summary)
        daily = routines.daily(book, NOW, folder=shop.parent)
        assert not daily.changed
    assert shop.read_bytes() == before


def test_ledger_matches_products_and_every_paid_line_is_posted_once(shop):
    frames = {name: read(shop, name) for name in ("StockLedger", "Products", "Orders",
                                                  "Listings", "Kits")}
    ledger, products = frames["StockLedger"], frames["Products"]
    assert not ledger.duplicated(["reason", "reference", "sku"]).any()  # a count file: many SKUs
    stock = stock_levels(ledger)  # a count restarts the sum
    stock = pd.concat([stock, kit_stock(stock, components(frames["Kits"]))])  # the gift box
    assert (products.set_index("sku")["current_stock"] == stock.reindex(products["sku"])).all()
    taken = shelf(frames["Orders"], products, frames["Listings"], frames["Kits"]).lines
    sold = taken[taken["status"].isin(["paid", "shipped", "delivered"])]
    refs = set(ledger.loc[ledger["reason"] == "sale", "reference"])
    assert sold["reference"].str.contains("/").any()  # a kit's parts, each posted
    assert all(r in refs for r in sold["reference"])
    # the one line no Listings row maps (a colour new in Shopify) moved no stock
    lost = frames["Orders"][frames["Orders"]["product"] == "Silk Sleep Eye Mask - Champagne"]
    assert len(lost) == 1 and f"{lost.iloc[0]['order_id']}#1" not in refs


def test_a_moved_figure_rewrites_that_cell_not_the_products_row(shop):
    with FileBook.open(shop) as book, book.batch():
        products = book.read("Products").frame
        row, sku = products.index[0], products["sku"].iloc[0]
        book.append("StockLedger", pd.DataFrame({
            "time": [pd.Timestamp(NOW)], "sku": [sku], "change": [5], "reason": ["adjustment"],
            "reference": ["ADJ-TEST-1"]}))
        result = routines.update_stock(book, NOW, log=False)
        assert result.figures["products_changed"] == 1
        cells = {(col, r) for op in book._ops if op.sheet == "Products"
                 for col in op.frame.columns for r in op.frame.index}
    assert ("current_stock", row) in cells
    assert {r for _, r in cells} == {row}
    assert {c for c, _ in cells} <= {"current_stock", "last_updated", "days_of_cover"}
    assert read(shop, "Products").at[row, "current_stock"] == products.at[row, "current_stock"] + 5


def test_pick_list_is_batched_and_covers_verified_paid_lines(shop):
    pick, orders = read(shop, "PickList"), read(shop, "Orders")
    taken = shelf(orders, read(shop, "Products"), read(shop, "Listings"), read(shop, "Kits")).lines
    ready = taken[(taken["status"] == "paid") & (taken["verified"] == True)]  # noqa: E712
    assert pick["total_qty"].sum() == ready["qty"].sum()  # parts of kits, units of 2-packs
    standard = pick[pick["priority"] == "standard"]
    assert list(standard["location"]) == sorted(standard["location"])
    ids = {o for cell in pick["orders"] for o in cell.split(", ")}
    assert ids == set(ready["order_id"])


def test_import_same_file_twice_then_status_moves_on(new_book, tmp_path):
    files = [DATA / "taobao_订单报表.csv", DATA / "taobao_宝贝报表.csv"]
    with FileBook.open(new_book) as book:
        first = routines.import_orders(book, NOW, paths=files)
    assert first.ok and first.figures["new_lines"] == 6
    assert "total paid ¥245.00" in first.summary  # 178 + 59 + 8 shipping; closed/unpaid excluded
    assert any("X-COASTER" in a for a in first.alerts)
    orders = read(new_book, "Orders")
    assert orders.loc[orders["sku"] == "X-COASTER", "flags"].tolist() == [
        "unmapped: add a Listings row (or the SKU to Products)"]
    before = new_book.read_bytes()
    with FileBook.open(new_book) as book:
        again = routines.import_orders(book, NOW, paths=files)
    assert "already imported, nothing changed" in again.summary and not again.changed
    assert new_book.read_bytes() == before
    shipped = tmp_path / "订单报表.csv"
    shipped.write_bytes((DATA / "taobao_订单报表.csv").read_bytes().replace(
        "买家已付款，等待卖家发货".encode("gbk"), "卖家已发货，等待买家确认".encode("gbk")))
    items = tmp_path / "宝贝报表.csv"
    items.write_bytes((DATA / "taobao_宝贝报表.csv").read_bytes().replace(
        "买家已付款，等待卖家发货".encode(), "卖家已发货，等待买家确认".encode()))
    with FileBook.open(new_book) as book:
        moved = routines.import_orders(book, NOW, paths=[shipped, items])
    assert moved.figures["updated_lines"] == 3 and moved.figures["new_lines"] == 0
    orders = read(new_book, "Orders")
    assert set(orders.loc[orders["order_id"] == "2817334567890123456", "status"]) == {"shipped"}


def test_a_bad_file_names_row_and_column_and_writes_nothing(new_book):
    before = new_book.read_bytes()
    result = CliRunner().invoke(cli, ["import", str(new_book), str(DATA / "generic_bad.csv")])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "generic_bad.csv, row 3 (Created): got 'last night', expected a date and time",
        "generic_bad.csv, row 3 (Qty): got 'two', expected a whole number ≥ 1"]
    assert "Nothing imported" in result.output
    assert new_book.read_bytes() == before


def test_ship_receive_and_returns(new_book):
    files = [DATA / "taobao_订单报表.csv", DATA / "taobao_宝贝报表.csv"]
    with FileBook.open(new_book) as book:
        routines.import_orders(book, NOW, paths=files)
        shipped = routines.ship(book, NOW, path=DATA / "sf_shipments.csv")
        assert shipped.ok and shipped.figures["orders"] == 1
        book.append("PurchaseOrders", pd.DataFrame({
            "po_no": ["PO-1"], "supplier": ["Yiwu Greenhome Goods"], "sku": ["B002"],
            "qty": [50], "unit_cost": [28.0], "status": ["ordered"]}))
        book.append("Returns", pd.DataFrame({
            "rma_no": ["RMA1", "RMA2"], "order_id": ["2817334567890123457"] * 2,
            "sku": ["C003", "C003"], "qty": [1, 1], "reason": ["changed mind", "torn"],
            "condition": ["resellable", "damaged"], "received": [pd.Timestamp("2026-11-20")] * 2,
            "status": ["received", "received"]}))
        book.save()
        part = routines.receive(book, NOW, po_no="PO-1", qty=20)
        assert part.ok and "B002 20" in part.summary
        assert routines.receive(book, NOW, po_no="PO-1").ok
        back = routines.restock_returns(book, NOW)
        assert back.summary == ("Returns: 1 restocked (changed mind 1); 1 damaged or defective "
                                "kept out of stock")
    orders = read(new_book, "Orders")
    line = orders[orders["order_id"] == "2817334567890123456"].iloc[0]
    assert (line["status"], line["tracking_no"], line["carrier"]) == ("shipped", "SF9876543210",
                                                                      "顺丰速运")
    assert line["shipped"] == pd.Timestamp("2026-11-21 10:30")
    pos = read(new_book, "PurchaseOrders")
    assert (pos.iloc[0]["received_qty"], pos.iloc[0]["status"]) == (50, "received")
    ledger = read(new_book, "StockLedger")
    receipts = ledger[ledger["reason"] == "receipt"]
    assert list(receipts["change"]) == [20, 30] and set(receipts["reference"]) == {"PO-1"}
    assert list(ledger.loc[ledger["reason"] == "return", "reference"]) == ["RMA1"]
    returns = read(new_book, "Returns")
    assert list(returns["status"]) == ["restocked", "received"]


@pytest.mark.libreoffice
def test_packing_slips_print_one_page_per_order(shop, libreoffice, tmp_path):
    import re

    slips = shop.parent / "packing-slips" / "packing-slips-2026-11-21.xlsx"
    result = libreoffice.run(slips, "pdf", tmp_path / "pdf")
    pdf = (tmp_path / "pdf" / slips.with_suffix(".pdf").name).read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    picked = read(shop, "PickList")
    orders = {o for cell in picked.loc[picked["priority"] != "cannot fill", "orders"]
              for o in cell.split(", ")}
    assert pages == len(orders), result.stderr


def test_qianniu_workbook(new_book, tmp_path):
    import xlsxwriter

    path = tmp_path / "千牛订单导出.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheets = {
        "订单报表": [["订单编号", "买家会员名", "订单状态", "买家留言", "收货人姓名", "收货地址 ", "联系手机",
                  "订单创建时间", "订单付款时间 ", "买家应付邮费", "退款金额"],
                 ["3301234567890123456", "tb_a", "买家已付款，等待卖家发货", "", "", "", "",
                  "2026-11-20 20:00:00", "2026-11-20 20:01:00", "0", "0"]],
        "销售明细": [["子订单编号", "主订单编号", "商品标题", "商品属性", "购买数量", "商家编码", "外部系统编号",
                  "skuId", "买家应付货款", "退款状态", "退款金额"],
                 ["3301234567890123457", "3301234567890123456", "玫瑰补水面膜", "10片", "2", "A001",
                  "", "55501", "160.00", "", "0"],
                 ["3301234567890123458", "3301234567890123456", "竹纤维随行杯", "", "1", "B002", "",
                  "55502", "69.00", "", "0"]],
        "发货报表": [["订单编号", "收货人姓名", "联系手机", "收货地址"],
                 ["3301234567890123456", "孙丽", "13811112222", "江苏省 南京市 鼓楼区 中山路 1 号"]],
    }
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    wb.close()
    with FileBook.open(new_book) as book:
        result = routines.import_orders(book, NOW, paths=[path])
    assert result.ok, [str(p) for p in result.problems]
    assert "千牛 workbook" in result.summary
    orders = read(new_book, "Orders")
    assert list(orders["sku"]) == ["A001", "B002"] and list(orders["qty"]) == [2, 1]
    assert list(orders["line_total"]) == [160.0, 69.0]
    assert set(orders["customer"]) == {"孙丽"} and set(orders["city"]) == {"南京市"}


def test_shipping_the_same_file_twice_changes_nothing(new_book):
    files = [DATA / "taobao_订单报表.csv", DATA / "taobao_宝贝报表.csv"]
    with FileBook.open(new_book) as book:
        routines.import_orders(book, NOW, paths=files)
        assert routines.ship(book, NOW, path=DATA / "sf_shipments.csv").changed
    before = new_book.read_bytes()
    with FileBook.open(new_book) as book:
        again = routines.ship(book, NOW, path=DATA / "sf_shipments.csv")
    assert not again.changed and new_book.read_bytes() == before


def test_receive_refuses_more_than_is_open_and_tells_drafts_from_unknown_pos(new_book):
    with FileBook.open(new_book) as book:
        book.append("PurchaseOrders", pd.DataFrame({
            "po_no": ["PO-7", "PO-8"], "supplier": ["Yiwu Greenhome Goods"] * 2,
            "sku": ["B002", "B002"], "qty": [60, 10], "status": ["ordered", "draft"]}))
        book.save()
        before = new_book.read_bytes()
        too_many = routines.receive(book, NOW, po_no="PO-7", qty=500)
        draft = routines.receive(book, NOW, po_no="PO-8")
        unknown = routines.receive(book, NOW, po_no="PO-404")
        assert new_book.read_bytes() == before
        assert [str(r.problems[0]) for r in (too_many, draft, unknown)] == [
            "PurchaseOrders: PO PO-7: 60 still open, 500 is more than that — check the delivery "
            "note, or give --over to receive all of them",
            "PurchaseOrders: PO PO-8 is a draft: once it is sent to the supplier, set its Status "
            "to ordered, then receive it",
            "PurchaseOrders: there is no PO PO-404 in PurchaseOrders"]
        over = routines.receive(book, NOW, po_no="PO-7", qty=65, over=True)
    assert over.ok and "B002 65 (5 over the 60 ordered)" in over.summary
    log = read(new_book, "Log")
    assert "(5 over the 60 ordered)" in log["summary"].iloc[-1]
    ledger = read(new_book, "StockLedger")
    assert ledger[ledger["reference"] == "PO-7"]["change"].sum() == 65


def test_ship_with_only_order_id_and_tracking_no(new_book, tmp_path):
    files = [DATA / "taobao_订单报表.csv", DATA / "taobao_宝贝报表.csv"]
    carrier = tmp_path / "tracking.csv"
    carrier.write_text("Order ID,Tracking No\n2817334567890123456,YT123\n", encoding="utf-8")
    with FileBook.open(new_book) as book:
        assert routines.import_orders(book, NOW, paths=files).ok
        shipped = routines.ship(book, NOW, path=carrier)
    assert shipped.ok and shipped.figures["orders"] == 1
    line = read(new_book, "Orders").query("order_id == '2817334567890123456'").iloc[0]
    assert (line["status"], line["tracking_no"]) == ("shipped", "YT123")
    assert line["shipped"] == pd.Timestamp(NOW)
