"""A corpus of hostile order files, each imported through the command as the owner would: no
traceback, the plain message naming file, row and column (or the file), the exit code, and
the workbook byte for byte as it was whenever something is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.cli import cli

H = "Order ID,Line,Created,Status,Qty,SKU,Unit Price\n"
OK = "D1,1,2026-11-20 10:00,paid,1,A001,10\n"

# name → (content, what the message says, refused?)
CORPUS = {
    "year9999.csv": (H + "D1,1,9999-12-31 10:00,paid,1,A001,10\n",
                     "year9999.csv, row 2 (Created): got '9999-12-31 10:00', expected a date and "
                     "time from 1900 to 2199", True),
    "year0001.csv": (H + "D1,1,0001-01-01 10:00,paid,1,A001,10\n", "from 1900 to 2199", True),
    "year2263.csv": (H + "D1,1,2263-01-01 10:00,paid,1,A001,10\n", "from 1900 to 2199", True),
    "year1899.csv": (H + "D1,1,1899-12-31 10:00,paid,1,A001,10\n", "from 1900 to 2199", True),
    "long-cell.csv": ("Order ID,Line,Created,Status,Qty,Customer\n"
                      "D1,1,2026-11-20 10:00,paid,1," + "x" * 140_000 + "\n",
                      "long-cell.csv, row 2 (Customer): got 'xxxxxxxxxxxxxxxxxxxx… (140,000 "
                      "characters)', expected at most 32,767 characters", True),
    "qty-1e20.csv": (H + "D1,1,2026-11-20 10:00,paid,1e20,A001,10\n",
                     "qty-1e20.csv, row 2 (Qty): got '1e20', expected a whole number", True),
    "qty-int64.csv": (H + "D1,1,2026-11-20 10:00,paid,99999999999999999999,A001,10\n",
                      "row 2 (Qty): got '99999999999999999999'", True),
    "same-line-twice.csv": (H + "DK0001,1,2026-11-20 10:00,paid,1,A001,10\n"
                                "DK0001,1,2026-11-20 10:00,paid,7,A001,10\n",
                            "same-line-twice.csv, row 3 (Line): got 1, expected a line number "
                            "used once in order DK0001: row 2 and row 3 are different lines", True),
    "grouped-wrong.csv": (H + 'D1,1,2026-11-20 10:00,paid,1,A001,"¥1,2,3"\n',
                          "grouped-wrong.csv, row 2 (Unit Price): got '¥1,2,3'", True),
    "nan-price.csv": (H + "D1,1,2026-11-20 10:00,paid,1,A001,NaN\n",
                      "nan-price.csv, row 2 (Unit Price): got 'NaN'", True),
    "two-qty.csv": ("Order ID,Line,Created,Status,Qty,SKU,Qty\n"
                    "D1,1,2026-11-20 10:00,paid,1,A001,5\n",
                    "two-qty.csv: has two columns headed 'Qty'", True),
    "header-only.csv": (H, "Nothing to import from header-only.csv", False),
    "mixed-endings.csv": ("Order ID,Line,Created,Status,Qty,SKU\r\nD1,1,2026-11-20 10:00,paid,1,"
                          "A001\rD2,1,2026-11-20 10:00,paid,1,A001\n", "2 orders / 2 lines new",
                          False),
    "nul-byte.csv": (H + "D1,1,2026-11-20 10:00,paid,1,A0\x0001,10\n", "", None),
    "quote-open.csv": (H + 'D1,1,2026-11-20 10:00,paid,1,"A001,10\n', "", None),
}
BINARY = {
    "utf16-no-bom.csv": ((H + OK).encode("utf-16-le"), "1 orders / 1 lines new", False),
    "utf16-bom.csv": ((H + OK).encode("utf-16"), "1 orders / 1 lines new", False),
    "not-text.csv": (bytes(range(256)) * 4, "", None),
    "zip-not-xlsx.xlsx": (b"PK\x03\x04" + b"\x00" * 100, "cannot be read as a spreadsheet", True),
}


@pytest.fixture(scope="module")
def blank_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "Shop.xlsm"
    assert CliRunner().invoke(cli, ["init", str(path), "--today", "2026-11-21"]).exit_code == 0
    return path


def imported(blank_book: Path, folder: Path, name: str, content: bytes):
    book = folder / "Shop.xlsm"
    shutil.copy(blank_book, book)
    (folder / name).write_bytes(content)
    before = book.read_bytes()
    result = CliRunner().invoke(cli, ["import", str(book), str(folder / name),
                                      "--today", "2026-11-21"])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{name}: {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output
    return result, book, before


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_file_gets_a_plain_answer(name, blank_book, tmp_path):
    content, said, refused = CORPUS[name]
    result, book, before = imported(blank_book, tmp_path, name, content.encode("utf-8"))
    flat = " ".join(result.output.split())
    assert said in flat, result.output
    if refused is True:
        assert result.exit_code == 1 and book.read_bytes() == before, result.output
    elif refused is False:
        assert result.exit_code == 0, result.output
    else:  # either answer, but a refusal names the file and writes nothing
        assert result.exit_code in (0, 1)
        if result.exit_code == 1:
            assert name in result.output and book.read_bytes() == before


@pytest.mark.parametrize("name", sorted(BINARY))
def test_files_that_are_not_text_or_not_workbooks(name, blank_book, tmp_path):
    content, said, refused = BINARY[name]
    result, book, before = imported(blank_book, tmp_path, name, content)
    assert said in " ".join(result.output.split())
    if refused is False:
        assert result.exit_code == 0, result.output
    elif refused or result.exit_code == 1:
        assert result.exit_code == 1 and name in result.output and book.read_bytes() == before


def test_empty_and_header_only_workbooks(blank_book, tmp_path):
    header = tmp_path / "header.xlsx"
    wb = xlsxwriter.Workbook(str(header))
    wb.add_worksheet().write_row(0, 0, ["Order ID", "Line", "Created", "Status", "Qty"])
    wb.close()
    result, book, before = imported(blank_book, tmp_path, "header.xlsx", header.read_bytes())
    assert "no order lines below the header row" in result.output
    assert book.read_bytes() == before
    empty = tmp_path / "empty.xlsx"
    xlsxwriter.Workbook(str(empty)).close()
    result, book, before = imported(blank_book, tmp_path, "empty.xlsx", empty.read_bytes())
    assert result.exit_code == 1 and "empty.xlsx" in result.output
    assert book.read_bytes() == before


def test_yesterdays_and_todays_export_together_import_as_today(blank_book, tmp_path):
    """The same line in two files is an update, not a duplicate: the furthest status wins,
    whichever order the files are given in, and the total counts the line once."""
    (tmp_path / "today.csv").write_text(H + "DK2,1,2026-11-20 10:00,shipped,1,A001,10\n")
    (tmp_path / "yesterday.csv").write_text(H + "DK2,1,2026-11-20 10:00,paid,1,A001,10\n")
    book = tmp_path / "Shop.xlsm"
    shutil.copy(blank_book, book)
    result = CliRunner().invoke(cli, ["import", str(book), str(tmp_path / "today.csv"),
                                      str(tmp_path / "yesterday.csv"), "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert "orders by status: shipped 1; total paid ¥10.00" in result.output
    with FileBook.open(book) as fb:
        orders = fb.read("Orders").frame
    line = orders[orders["order_id"] == "DK2"]
    assert len(line) == 1 and line.iloc[0]["status"] == "shipped"


# --- bounded work ---------------------------------------------------------------------------

def _bomb(path: Path, sheet: bytes, declared: int | None = None) -> None:
    """An .xlsx whose one sheet is `sheet` (deflated to almost nothing); with `declared`, its
    zip headers lie about the sheet's unpacked size."""
    import struct
    import zipfile

    header = path.with_suffix(".header.xlsx")
    wb = xlsxwriter.Workbook(str(header))
    wb.add_worksheet().write_row(0, 0, ["Order ID", "Line", "Created", "Status", "Qty"])
    wb.close()
    with zipfile.ZipFile(header) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            out.writestr(info.filename, sheet if info.filename.endswith("sheet1.xml")
                         else src.read(info.filename))
    if declared is None:
        return
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, at + 24, declared)
        at += 4
    path.write_bytes(bytes(data))


ROW = b'<row><c t="inlineStr"><is><t>has no SKU</t></is></c></row>'
SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         b"<sheetData>%s</sheetData></worksheet>")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(blank_book, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb, SHEET % (ROW * 4_000_000))  # 232 MB of rows in well under 1 MB
    assert bomb.stat().st_size < 1_000_000
    result, book, before = imported(blank_book, tmp_path, "bomb.xlsx", bomb.read_bytes())
    assert result.exit_code == 1 and book.read_bytes() == before
    assert "bomb.xlsx: unpacks to 232 MB; ShopOps imports at most 200 MB" in result.output


def test_a_part_lying_about_its_size_is_refused(blank_book, tmp_path):
    liar = tmp_path / "liar.xlsx"
    _bomb(liar, SHEET % (ROW * 200_000), declared=1_000)
    result, book, before = imported(blank_book, tmp_path, "liar.xlsx", liar.read_bytes())
    assert result.exit_code == 1 and book.read_bytes() == before
    assert "does not unpack to what it declares" in result.output


def test_more_rows_than_excel_holds_are_refused(blank_book, tmp_path):
    rows = "".join(f"R{i},1,2026-11-20 10:00,paid,1\n" for i in range(1_048_577))
    content = ("Order ID,Line,Created,Status,Qty\n" + rows).encode()
    result, book, before = imported(blank_book, tmp_path, "rows.csv", content)
    assert result.exit_code == 1 and book.read_bytes() == before
    assert "rows.csv: more than 1,048,576 rows" in result.output


def test_the_settings_limit_bounds_an_import(blank_book, tmp_path):
    import pandas as pd

    book = tmp_path / "Shop.xlsm"
    shutil.copy(blank_book, book)
    with FileBook.open(book) as fb:
        settings = fb.read("Settings").frame
        row = settings.index[settings["key"] == "Import limit MB"][0]
        fb.patch("Settings", pd.DataFrame({"value": [1]}, index=[row]))
        fb.save()
    big = tmp_path / "big.csv"
    big.write_text(H + "".join(f"B{i},1,2026-11-20 10:00,paid,1,A001,10\n" for i in range(40_000)))
    result = CliRunner().invoke(cli, ["import", str(book), str(big), "--today", "2026-11-21"])
    assert result.exit_code == 1
    assert "big.csv: 2 MB; ShopOps imports at most 1 MB (Settings, \"Import limit MB\")" in \
        result.output


def test_a_thousand_alike_problems_read_as_twenty_and_a_count(blank_book, tmp_path):
    rows = "".join(f"R{i},1,2026-11-20 10:00,paid,-3,A001,10\n" for i in range(1_000))
    result, book, before = imported(blank_book, tmp_path, "bad.csv", (H + rows).encode())
    lines = result.output.strip().splitlines()
    qty = [line for line in lines if "(Qty): got -3" in line]
    assert len(qty) == 20 and "bad.csv (Qty) … and 980 more like these" in result.output
    assert len(lines) < 60 and book.read_bytes() == before
