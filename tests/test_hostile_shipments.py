"""The carrier's file `shopops ship` reads gets the order exports' hostile corpus: no traceback,
a plain message naming the file (and row and column where there is one), and the workbook byte
for byte as it was whenever the file is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.cli import cli
from tests.test_hostile_inputs import ROW, SHEET, _bomb

H = "Order ID,Tracking No,Carrier,Shipped\n"

# name → (content, what the message says)
REFUSED = {
    "year9999.csv": (H + "D1,SF100,SF,9999-12-31 10:00\n",
                     "year9999.csv, row 2 (Shipped): got '9999-12-31 10:00', expected a date "
                     "and time from 1900 to 2199"),
    "long-tracking.csv": (H + "D1," + "9" * 40_000 + ",SF,\n",
                          "long-tracking.csv, row 2 (Tracking No): got"),
    "no-tracking-column.csv": ("Order ID,Carrier\nD1,SF\n",
                               "is not a carrier shipment file: no Tracking No column; its "
                               "headers are Order ID, Carrier"),
    "blank-tracking.csv": (H + "D1,,SF,\n", "row 2: order id or tracking number is blank"),
    "two-tracking.csv": ("Order ID,Tracking No,Tracking No\nD1,SF1,SF2\n",
                         "has two columns headed 'Tracking No'"),
}
# read or refused, either is a plain answer; never a traceback, never a half write
EITHER = {
    "quote-open.csv": H + 'D1,"SF100,SF,\n',
    "nul-byte.csv": H + "D1,SF\x00100,SF,\n",
    "utf16.csv": None,
}
BINARY = {
    "not-text.csv": bytes(range(256)) * 4,
    "zip-not-xlsx.xlsx": b"PK\x03\x04" + b"\x00" * 100,
    "empty.csv": b"",
}


@pytest.fixture(scope="module")
def shipped_book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ship")
    path = folder / "Shop.xlsm"
    assert CliRunner().invoke(cli, ["init", str(path), "--today", "2026-11-21"]).exit_code == 0
    orders = folder / "orders.csv"
    orders.write_text("Order ID,Line,Created,Status,Qty,SKU,Unit Price\n"
                      "D1,1,2026-11-20 10:00,paid,1,A001,10\n")
    assert CliRunner().invoke(cli, ["import", str(path), str(orders),
                                    "--today", "2026-11-21"]).exit_code == 0
    return path


def shipped(book_src: Path, folder: Path, name: str, content: bytes):
    book = folder / "Shop.xlsm"
    shutil.copy(book_src, book)
    (folder / name).write_bytes(content)
    before = book.read_bytes()
    result = CliRunner().invoke(cli, ["ship", str(book), str(folder / name),
                                      "--today", "2026-11-21"])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{name}: {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output
    return result, book, before


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_hostile_carrier_file_is_refused_plainly(name, shipped_book, tmp_path):
    content, words = REFUSED[name]
    result, book, before = shipped(shipped_book, tmp_path, name, content.encode())
    assert result.exit_code == 1, result.output
    assert name in result.output and words in result.output, result.output
    assert book.read_bytes() == before


@pytest.mark.parametrize("name", sorted(EITHER))
def test_odd_carrier_files_get_a_plain_answer(name, shipped_book, tmp_path):
    content = EITHER[name]
    data = (H + "D1,SF100,SF,\n").encode("utf-16") if content is None else content.encode()
    result, book, before = shipped(shipped_book, tmp_path, name, data)
    assert result.exit_code in (0, 1) and result.output.strip(), result.output
    if result.exit_code == 1:
        assert name in result.output and book.read_bytes() == before


@pytest.mark.parametrize("name", sorted(BINARY))
def test_carrier_files_that_are_not_text_or_not_workbooks(name, shipped_book, tmp_path):
    result, book, before = shipped(shipped_book, tmp_path, name, BINARY[name])
    assert result.exit_code == 1, result.output
    assert name in result.output
    assert book.read_bytes() == before


def test_a_carrier_zip_bomb_is_refused_before_it_is_unpacked(shipped_book, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb, SHEET % (ROW * 4_000_000))
    result, book, before = shipped(shipped_book, tmp_path, "bomb.xlsx", bomb.read_bytes())
    assert result.exit_code == 1 and "bomb.xlsx" in result.output, result.output
    assert "bomb.xlsx: unpacks to 232 MB; ShopOps imports at most 200 MB" in result.output
    assert book.read_bytes() == before


def test_a_good_carrier_file_still_ships(shipped_book, tmp_path):
    result, book, before = shipped(shipped_book, tmp_path, "sf.csv",
                                   (H + "D1,SF100,SF,2026-11-21 09:00\n").encode())
    assert result.exit_code == 0, result.output
    with FileBook.open(book) as fb:
        orders = fb.read("Orders").frame
    assert list(orders[["status", "tracking_no"]].iloc[0]) == ["shipped", "SF100"]
