"""The loop to the supplier on the demo shop: a drafted PO becomes a document, is e-mailed to a
local SMTP server, is marked ordered, is received — and the supplier's measured lead time
follows what was delivered."""

from __future__ import annotations

import datetime as dt
import email
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.cli import cli
from tests.mailserver import set_mail
from tests.test_printing import flat, pages

TODAY = "2026-11-21"


@pytest.fixture
def shop(demo_shop, tmp_path) -> Path:
    shutil.copytree(demo_shop, tmp_path / "shop")
    return tmp_path / "shop" / "ShopOps.xlsm"


def read(path: Path, sheet: str) -> pd.DataFrame:
    with FileBook.open(path) as book:
        return book.read(sheet).frame


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def a_draft(shop: Path) -> tuple[str, pd.DataFrame]:
    pos = read(shop, "PurchaseOrders")
    drafts = pos[pos["status"] == "draft"]
    po = drafts["po_no"].value_counts().index[0]  # the draft with most lines
    return po, drafts[drafts["po_no"] == po]


def document_cells(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]  # ShopOps' own output
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_draft_po_is_emailed_with_its_document_and_marked_ordered(shop, smtp, monkeypatch):
    inbox, port = smtp
    set_mail(shop, port)
    monkeypatch.setenv("SHOPOPS_SMTP_PASSWORD", "s3cret")
    po, lines = a_draft(shop)
    supplier = read(shop, "Suppliers").set_index("supplier").loc[lines["supplier"].iloc[0]]
    result = run("send-po", shop, po, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert f"Sent {po} to {supplier.name} ({supplier['email']})" in result.output
    (msg,) = inbox.messages
    assert msg["To"] == supplier["email"]
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    assert po in subject and "Little Garden" in subject
    body = next(p for p in msg.walk() if p.get_content_type() == "text/plain") \
        .get_payload(decode=True).decode()
    assert f"Hello {supplier['contact']}" in body
    (attachment,) = [p for p in msg.walk() if p.get_filename()]
    document = shop.parent / "purchase-orders" / f"{po}.xlsx"
    assert attachment.get_filename() == document.name
    assert attachment.get_payload(decode=True) == document.read_bytes()

    # the document: shop, supplier, every line in packs, exact totals, the delivery date
    cells = document_cells(document)
    text = [str(v) for row in cells for v in row if v is not None]
    assert "小园好物 Little Garden" in text and f"Purchase order {po}" in text
    assert supplier.name in text and "2026-11-21" in text
    products = read(shop, "Products").set_index("sku")
    rows = {row[0]: row for row in cells if row[0] in set(lines["sku"])}
    assert set(rows) == set(lines["sku"])
    pack = int(supplier["pack_size"])
    total = Decimal(0)
    for line in lines.itertuples():
        sku, name, qty, packs, unit, line_total = rows[line.sku][:6]
        assert name == products.at[line.sku, "product"] and qty == line.qty
        assert packs == f"{line.qty // pack} × {pack}"  # drafts are rounded to whole packs
        assert Decimal(str(line_total)) == Decimal(str(unit)) * qty
        total += Decimal(str(unit)) * qty
    (total_row,) = [row for row in cells if "Total" in row]
    assert Decimal(str(total_row[5])) == total
    assert total_row[2] == lines["qty"].sum()

    # the PO is ordered today, due after its lead time, and says when it was sent
    after = read(shop, "PurchaseOrders").loc[lines.index]
    assert (after["status"] == "ordered").all()
    assert (after["ordered"] == pd.Timestamp(TODAY)).all()
    lead = lines["sku"].map(products["lead_time"]).astype(int)
    assert list(after["expected"]) == list(pd.Timestamp(TODAY) + pd.to_timedelta(lead, "D"))
    assert after["note"].str.contains(f"sent to {supplier['email']} at 08:00").all()
    log = read(shop, "Log")
    assert log["summary"].iloc[-1].startswith(f"Sent {po}")


def test_receiving_measures_the_lead_time_and_suppliers_show_it(shop):
    po, lines = a_draft(shop)
    assert run("send-po", shop, po, "--no-email", "--today", TODAY).exit_code == 0
    got = run("receive", shop, po, "--today", "2026-11-30")
    assert got.exit_code == 0, got.output
    pos = read(shop, "PurchaseOrders")
    assert (pos.loc[lines.index, "lead_days"] == 9).all()  # 11-21 → 11-30
    supplier = lines["supplier"].iloc[0]
    assert run("reorders", shop, "--today", "2026-11-30").exit_code == 0
    pos = read(shop, "PurchaseOrders")
    trips = pos[(pos["supplier"] == supplier) & (pos["status"] == "received")] \
        .drop_duplicates(["po_no", "received"])
    days = (trips["received"] - trips["ordered"]).dt.days
    row = read(shop, "Suppliers").set_index("supplier").loc[supplier]
    assert row["deliveries"] == len(days)
    assert row["measured_lead_time"] == pytest.approx(round(days.mean(), 1))
    assert row["measured_spread"] == pytest.approx(round(days.std(ddof=1), 1))


def test_measured_lead_times_are_used_only_when_settings_say_so(shop):
    def reorder_points(use: str) -> pd.Series:
        with FileBook.open(shop, keep_backups=0) as book:
            settings = book.read("Settings").frame
            row = settings.index[settings["key"] == "Use measured lead times"]
            if len(row):
                book.patch("Settings", pd.DataFrame({"value": [use]}, index=row))
            else:
                book.append("Settings", pd.DataFrame({"key": ["Use measured lead times"],
                                                      "value": [use]}))
            book.save()
        assert run("reorders", shop, "--today", TODAY).exit_code == 0
        return read(shop, "Products").set_index("sku")["reorder_point"]

    typed, measured = reorder_points("no"), reorder_points("yes")
    suppliers = read(shop, "Suppliers").set_index("supplier")
    products = read(shop, "Products").set_index("sku")
    later = suppliers[suppliers["measured_lead_time"] > suppliers["lead_time"]].index
    slower = products[products["supplier"].isin(later) & (products["avg_daily_sales"] > 0.5)]
    assert len(slower)
    assert (measured[slower.index] > typed[slower.index]).all()  # a later supplier: order sooner
    assert products["lead_time"].equals(read(shop, "Products").set_index("sku")["lead_time"])


@pytest.mark.parametrize("case", ["no email", "refused", "unknown", "received"])
def test_what_cannot_be_sent_is_said_and_nothing_is_marked(shop, smtp, monkeypatch, case):
    inbox, port = smtp
    set_mail(shop, port if case != "refused" else 1)
    monkeypatch.setenv("SHOPOPS_SMTP_PASSWORD", "s3cret")
    po, lines = a_draft(shop)
    if case == "no email":
        with FileBook.open(shop, keep_backups=0) as book:
            suppliers = book.read("Suppliers").frame
            row = suppliers.index[suppliers["supplier"] == lines["supplier"].iloc[0]]
            book.patch("Suppliers", pd.DataFrame({"email": [None]}, index=row))
            book.save()
    if case == "unknown":
        po = "PO-NOPE"
    if case == "received":
        po = read(shop, "PurchaseOrders").query("status == 'received'")["po_no"].iloc[0]
    before = shop.read_bytes()
    result = run("send-po", shop, po, "--today", TODAY)
    assert result.exit_code != 0
    said = {"no email": "add one, or give --no-email",
            "refused": "could not connect", "unknown": "there is no PO-NOPE in PurchaseOrders",
            "received": "is received: there is nothing on it to send"}[case]
    assert said in flat(result.output)
    assert not inbox.messages
    if case == "refused":  # the document is kept, the PO stays a draft, the Log says why
        assert (shop.parent / "purchase-orders" / f"{po}.xlsx").exists()
        assert (read(shop, "PurchaseOrders").loc[lines.index, "status"] == "draft").all()
        assert "not sent" in read(shop, "Log")["summary"].iloc[-1]
    else:
        assert shop.read_bytes() == before


def test_a_dry_run_writes_the_document_and_the_eml_only(shop, smtp):
    inbox, port = smtp
    set_mail(shop, port)
    po, lines = a_draft(shop)
    before = shop.read_bytes()
    result = run("send-po", shop, po, "--dry-run", "--today", TODAY)
    assert result.exit_code == 0, result.output
    eml = shop.parent / "purchase-orders" / f"{po}.eml"
    message = email.message_from_bytes(eml.read_bytes())
    assert [p.get_filename() for p in message.walk() if p.get_filename()] == [f"{po}.xlsx"]
    assert shop.read_bytes() == before and not inbox.messages


@pytest.mark.libreoffice
def test_the_po_prints_on_one_a4_page(shop, libreoffice, tmp_path):
    po, lines = a_draft(shop)
    assert run("send-po", shop, po, "--no-email", "--today", TODAY).exit_code == 0
    document = shop.parent / "purchase-orders" / f"{po}.xlsx"
    libreoffice.run(document, "pdf", tmp_path)
    (page,) = pages(tmp_path / f"{po}.pdf")
    text = flat(page)
    assert f"Purchase order {po}" in text and "Page 1 of 1" in text
    assert all(sku in text for sku in lines["sku"])
    assert "浙江省杭州市西湖区" in text  # the delivery address from Settings


def test_a_chinese_book_sends_a_chinese_po(tmp_path):
    folder = tmp_path / "zh"
    assert run("demo", "--dir", folder, "--today", TODAY, "--lang", "zh-CN").exit_code == 0
    book = folder / "ShopOps.xlsm"
    pos = read(book, "PurchaseOrders")
    po = pos.loc[pos["status"] == "draft", "po_no"].iloc[0]
    result = run("send-po", book, po, "--dry-run", "--today", TODAY)
    assert result.exit_code == 0, result.output
    text = [str(v) for row in document_cells(folder / "purchase-orders" / f"{po}.xlsx")
            for v in row if v is not None]
    assert f"采购单 {po}" in text and "供应商" in text and "合计" in text
    message = email.message_from_bytes((folder / "purchase-orders" / f"{po}.eml").read_bytes())
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "附件是" in body.get_payload(decode=True).decode()


def test_dates_in_the_document_follow_the_run(shop):
    po, lines = a_draft(shop)
    assert run("send-po", shop, po, "--no-email", "--today", "2026-11-23").exit_code == 0
    cells = document_cells(shop.parent / "purchase-orders" / f"{po}.xlsx")
    text = [str(v) for row in cells for v in row if v is not None]
    products = read(shop, "Products").set_index("sku")
    due = dt.date(2026, 11, 23) + dt.timedelta(days=int(products.loc[lines["sku"],
                                                                      "lead_time"].max()))
    assert "2026-11-23" in text and f"{due:%Y-%m-%d}" in text
