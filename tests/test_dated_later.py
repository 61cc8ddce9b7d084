"""Nothing is dated after the run: `validate` names stock movements and receipts from the
future, routines do not post a receipt or a return before its day, and the demo makes none."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from click.testing import CliRunner

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.cli import cli

NOW = dt.datetime(2026, 11, 21, 8, 0)


def test_validate_names_movements_and_receipts_after_now(new_book):
    with FileBook.open(new_book) as book:
        book.append("StockLedger", pd.DataFrame({
            "time": [pd.Timestamp("2026-11-21 07:00"), pd.Timestamp("2026-11-21 09:30")],
            "sku": "A001", "change": [2, 3], "reason": "adjustment", "reference": ["ok", "late"]}))
        book.append("Returns", pd.DataFrame({
            "rma_no": ["RMA-9"], "order_id": ["P1"], "sku": ["A001"], "qty": [1],
            "condition": ["resellable"], "received": [pd.Timestamp("2026-11-22")],
            "status": ["received"]}))
        book.save()
        ledger_rows = len(book.read("StockLedger").frame)
    result = CliRunner().invoke(cli, ["validate", str(new_book), "--today", "2026-11-21"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith(f"StockLedger!A{ledger_rows + 1} (Time): got 2026-11-21 09:30")
               and "a stock movement dated no later than 2026-11-21 08:00" in line
               for line in lines), result.output
    assert any(line.startswith("Returns!I2 (Received): got 2026-11-22")
               and "a return received no later than today (2026-11-21)" in line
               for line in lines), result.output
    assert "2 problems found" in result.output and "07:00" not in result.output
    later = CliRunner().invoke(cli, ["validate", str(new_book), "--today", "2026-11-23"])
    assert later.exit_code == 0, later.output


def test_a_receipt_or_return_is_not_posted_before_its_day(new_book):
    with FileBook.open(new_book) as book:
        book.append("PurchaseOrders", pd.DataFrame({
            "po_no": ["PO-9"], "supplier": ["Fresh Linen Co."], "sku": ["A001"], "qty": [10],
            "unit_cost": [30.0], "ordered": [pd.Timestamp("2026-11-10")],
            "received": [pd.Timestamp("2026-11-25")], "received_qty": [10],
            "status": ["received"]}))
        book.append("Returns", pd.DataFrame({
            "rma_no": ["RMA-9"], "order_id": ["P1"], "sku": ["A001"], "qty": [1],
            "condition": ["resellable"], "received": [pd.Timestamp("2026-11-24")],
            "status": ["received"]}))
        book.save()
        stock = int(book.read("Products").frame.set_index("sku").loc["A001", "current_stock"])
        routines.update_stock(book, NOW)
        assert int(book.read("Products").frame.set_index("sku").loc["A001", "current_stock"]) \
            == stock
        routines.update_stock(book, dt.datetime(2026, 11, 25, 9, 0))
        ledger = book.read("StockLedger").frame
        assert set(ledger["reference"]) >= {"PO-9", "RMA-9"}
        assert int(book.read("Products").frame.set_index("sku").loc["A001", "current_stock"]) \
            == stock + 11


def test_the_demo_dates_nothing_after_its_morning(demo_shop):
    with FileBook.open(demo_shop / "ShopOps.xlsm") as book:
        assert routines.validate(book, NOW).ok
        returns = book.read("Returns").frame
        ledger = book.read("StockLedger").frame
    assert returns["received"].max() <= pd.Timestamp(NOW.date())
    assert ledger["time"].max() <= pd.Timestamp(NOW)
    waiting = returns[returns["received"].isna()]
    assert len(waiting) and set(waiting["status"]) == {"requested"}  # still on their way
