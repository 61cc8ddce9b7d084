"""Pages that print: the demo workbook, the weekly report and the packing slips rendered by
LibreOffice to PDF (and the PickList to PNG), read back with poppler — pages counted, text
extracted and compared with the sheets: one page wide, no id or name cut, headers on every
page, the Dashboard's numbers formatted, each slip thanking the buyer for its channel's shop."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.book.write.rowheight import lines_needed
from shopsheet.cli import cli
from shopsheet.settings import Settings

pytestmark = pytest.mark.libreoffice
PRINTED = ("PickList", "Dashboard", "Promotions", "PurchaseOrders", "Products", "Orders")


def pages(pdf: Path) -> list[str]:
    """Each page's text, laid out as printed."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def printed(demo_shop, libreoffice, tmp_path_factory) -> dict:
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils (pdftotext) is required; .ci/run installs it")
    folder = tmp_path_factory.mktemp("printed")
    shop = folder / "shop"
    shutil.copytree(demo_shop, shop)
    book = shop / "ShopOps.xlsm"
    report = folder / "report.xlsx"
    result = CliRunner().invoke(cli, ["report", str(book), "--weekly", "--out", str(report),
                                      "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    out = folder / "pdf"
    for path in (book, report, *sorted((shop / "packing-slips").glob("*.xlsx"))):
        run = libreoffice.run(path, "pdf", out)
        assert (out / f"{path.stem}.pdf").exists(), run.stderr
    by_sheet: dict[str, list[str]] = {}
    for text in pages(out / "ShopOps.pdf"):
        first = text.strip().split()[0] if text.strip() else ""
        by_sheet.setdefault(first, []).append(text)  # the page header names the sheet
    with FileBook.open(book) as fb:
        frames = {name: fb.read(name).frame for name in ("PickList", "Products", "Orders",
                                                         "Dashboard")}
    slips = next(out.glob("packing-slips-*.pdf"))
    return {"sheets": by_sheet, "frames": frames, "report": pages(out / "report.pdf"),
            "slips": pages(slips), "pdf": out / "ShopOps.pdf", "folder": folder}


def test_every_sheet_prints_with_its_name_and_header_row(printed):
    sheets = printed["sheets"]
    for name in ("Products", "Orders", "PurchaseOrders", "Promotions", "PickList", "Dashboard"):
        assert name in sheets, f"no page is headed {name}"
        first_header = {"Products": "Product", "Orders": "Order ID", "PurchaseOrders": "PO No",
                        "Promotions": "Start", "PickList": "Location", "Dashboard": "Section"}
        for text in sheets[name]:  # the header row repeats on every page
            assert first_header[name] in text, name
            assert "2026" in text.splitlines()[0] or "/20" in text.splitlines()[0]  # the date


def test_the_pick_list_is_one_page_with_nothing_cut(printed):
    picklist = printed["sheets"]["PickList"]
    assert len(picklist) == 1
    text = picklist[0]
    for header in ("Location", "SKU", "Product", "Total Qty", "Orders", "Priority", "Note"):
        assert header in text  # one page wide: the last column is on it
    frame = printed["frames"]["PickList"]
    tokens = set(re.findall(r"[#\w-]+", text))
    ids = {i.strip() for cell in frame["orders"].dropna() for i in cell.split(",")}
    assert ids and ids <= tokens  # every order id whole
    assert any(lines_needed(cell, 44) > 1 for cell in frame["orders"].dropna())  # some wrap
    for name in frame["product"].dropna():
        assert flat(name) in flat(text), name


def test_pick_list_page_renders_to_png(printed):
    page = next(i for i, t in enumerate(pages(printed["pdf"]), start=1)
                if t.strip().startswith("PickList"))
    out = printed["folder"] / "picklist"
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "60", "-png",
                    str(printed["pdf"]), str(out)], check=True)
    png = next(printed["folder"].glob("picklist*.png"))
    assert png.stat().st_size > 5_000


def test_wide_sheets_print_one_page_wide(printed):
    products = printed["sheets"]["Products"]
    assert len(products) <= 2  # 30 products, every column: was 6 portrait pages
    assert "Reorder Flag" in products[0]  # the last column, on the first page
    orders = printed["sheets"]["Orders"]
    assert all("Listing ID" in page for page in orders)  # Orders' last column on each page


def test_the_dashboard_shows_money_percent_and_thousands(printed):
    text = flat("".join(printed["sheets"]["Dashboard"]))
    board = printed["frames"]["Dashboard"]
    gmv = board.loc[board["metric"] == "GMV (¥)", "value"].iloc[0]
    assert f"¥{gmv:,.2f}" in text
    margin = Decimal(str(board.loc[board["metric"] == "Profit margin (%)", "value"].iloc[0]))
    assert f"{margin.quantize(Decimal('0.1'), ROUND_HALF_UP)}%" in text
    for label in board["metric"].dropna().unique():
        assert flat(label) in text, label
    for section in board["section"].dropna().unique():  # not run into the next column
        assert re.search(re.escape(section) + r" \S", text), section


def test_the_report_names_kpis_properly_and_cuts_no_id(printed):
    text = "".join(printed["report"])
    assert "GMV (¥)" in text and "AOV (¥)" in text and "Gmv" not in text and "Aov" not in text
    orders = printed["frames"]["Orders"]
    held = orders[(orders["verified"] == False) & (orders["status"] == "paid")  # noqa: E712
                  & orders["shipped"].isna()]["order_id"].unique()
    assert len(held)
    tokens = set(re.findall(r"[#\w-]+", text))
    assert set(held) <= tokens


def test_each_packing_slip_thanks_for_its_channel(printed):
    thanks = Settings.defaults()
    orders = printed["frames"]["Orders"].drop_duplicates("order_id").set_index("order_id")
    seen = set()
    for page in printed["slips"]:
        found = re.search(r"Order\s+(\S+)", page)
        if not found:
            continue
        channel = orders.loc[found.group(1), "channel"]
        assert flat(thanks.thanks(channel)) in flat(page), (found.group(1), channel)
        seen.add(channel)
    assert {"xiaohongshu", "wechat"} <= seen
    assert not any("小红书" in page for page in printed["slips"]
                   if re.search(r"Order\s+(WX|#)", page))


def test_no_page_comes_out_blank(printed):
    """A page header in Chinese is taller than Latin: with too little room for it LibreOffice
    lays a sheet out over one more page than it draws (a blank sheet of paper). LibreOffice
    still lays the 6,000-row StockLedger out over a few more pages than it draws — not
    understood yet, and not a sheet owners print — so the check covers the printed ones."""
    pages_of = printed["sheets"]
    for name, texts in (("report", printed["report"]), ("packing slips", printed["slips"]),
                        *((sheet, pages_of[sheet]) for sheet in PRINTED)):
        assert all(t.strip() for t in texts), name
        assert texts, name
