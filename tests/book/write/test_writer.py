"""The package-patch writer on a rich workbook: what it owns changes, everything else is
byte-identical, LibreOffice opens the result and shows the new values."""

from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile

import pandas as pd
import pytest

from shopsheet.book import FileBook
from shopsheet.book.write.safety import WorkbookBusy, WorkbookChanged
from shopsheet.routines import Result, log_line, validate
from tests.conftest import parts

OWNED = {"xl/worksheets/sheet2.xml",   # Products (patched)
         "xl/worksheets/sheet4.xml",   # Orders (appended)
         "xl/tables/table4.xml",       # Orders' table grows
         "xl/worksheets/sheet10.xml",  # PickList (replaced)
         "xl/worksheets/sheet12.xml",  # Log (appended)
         "xl/workbook.xml"}            # recalculate on open
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+8613812345678", "-- 不要发票 --",
           "@SUM(1)", " padded ", "tab\there", "ctrl\x07char"]


def routine_writes(path) -> None:
    with FileBook.open(path) as book:
        book.patch("Products", pd.DataFrame({"current_stock": [118, 7],
                                             "reorder_flag": ["ok", "reorder"]}, index=[2, 4]))
        book.append("Orders", pd.DataFrame({
            "order_id": [f"P26112100{n:02d}" for n in range(len(HOSTILE))],
            "line": 1, "created": pd.Timestamp("2026-11-21 09:30"), "status": "paid",
            "customer": HOSTILE, "buyer_note": HOSTILE, "sku": "A001", "qty": 1,
            "unit_price": 89.0}))
        book.replace("PickList", pd.DataFrame({"location": ["A-01"], "sku": ["A001"],
                                               "total_qty": [2], "orders": ["P2611200001"]}))
        log_line(book, Result("test", "Daily checklist: 2 orders processed"),
                 dt.datetime(2026, 11, 21, 9, 31))
        book.save()


def test_untouched_parts_are_byte_identical(rich_book):
    before = parts(rich_book)
    routine_writes(rich_book)
    after = parts(rich_book)
    assert set(after) == set(before)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == OWNED
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]


def test_zip_entries_keep_order_and_metadata(rich_book):
    with zipfile.ZipFile(rich_book) as zf:
        before = [(i.filename, i.date_time, i.compress_type) for i in zf.infolist()]
    routine_writes(rich_book)
    with zipfile.ZipFile(rich_book) as zf:
        assert [(i.filename, i.date_time, i.compress_type) for i in zf.infolist()] == before


def test_written_values_read_back_and_tables_grow(rich_book):
    routine_writes(rich_book)
    with FileBook.open(rich_book) as book:
        orders = book.read("Orders").frame
        assert list(orders["customer"].iloc[-len(HOSTILE):]) == \
            [h.replace("\x07", "").strip() for h in HOSTILE]
        products = book.read("Products").frame
        assert products.loc[2, "current_stock"] == 118 and products.loc[4, "reorder_flag"] == \
            "reorder"
        assert products.loc[3, "current_stock"] == 45  # a row not patched keeps its value
        assert list(book.read("PickList").frame["sku"]) == ["A001"]
        assert validate(book).ok
    table = zipfile.ZipFile(rich_book).read("xl/tables/table4.xml").decode()
    last = 1 + 3 + len(HOSTILE)
    assert f'ref="A1:AC{last}"' in table and f'<autoFilter ref="A1:AC{last}"/>' in table
    sheet = zipfile.ZipFile(rich_book).read("xl/worksheets/sheet4.xml").decode()
    assert "<f>" not in sheet and f'<dimension ref="A1:AC{last}"/>' in sheet


def test_styles_are_kept_and_given_to_new_rows(rich_book):
    from shopsheet.book.write.sheetxml import SheetXml

    old = SheetXml(parts(rich_book)["xl/worksheets/sheet4.xml"])
    created_style = old.cell(2, 3).get("s")
    routine_writes(rich_book)
    new = SheetXml(parts(rich_book)["xl/worksheets/sheet4.xml"])
    assert new.cell(9, 3).get("s") == created_style  # a date-time format, like the rows above
    products = SheetXml(parts(rich_book)["xl/worksheets/sheet2.xml"])
    assert products.cell(2, 2).get("s") == SheetXml(
        zipfile.ZipFile(rich_book).read("xl/worksheets/sheet2.xml")).cell(3, 2).get("s")


@pytest.mark.libreoffice
def test_libreoffice_opens_the_result_and_shows_new_values(rich_book, libreoffice, tmp_path):
    routine_writes(rich_book)
    sheets = libreoffice.sheets_as_csv(rich_book, tmp_path / "csv")
    orders = sheets["Orders"]
    header = orders[0]
    customers = [row[header.index("Customer")] for row in orders[1:]]
    assert customers[-len(HOSTILE):] == [h.replace("\x07", "") for h in HOSTILE]
    created = [row[header.index("Created")] for row in orders[1:]]
    assert created[-1] == "2026-11-21 09:30"  # written as a date, shown in the column's format
    products = sheets["Products"]
    assert products[1][products[0].index("Current Stock")] == "118"
    assert sheets["PickList"][1][:4] == ["A-01", "A001", "", "2"]
    assert "My Analysis" in sheets and sheets["My Analysis"][1][0] == "A001"


def save_is_refused(path, error: type[Exception], match: str) -> None:
    """Patch one Products cell; the save must raise `error` and leave the file as it was."""
    before = path.read_bytes()
    with FileBook.open(path) as book:
        book.patch("Products", pd.DataFrame({"current_stock": [99]}, index=[2]))
        with pytest.raises(error, match=match):
            book.save()
    assert path.read_bytes() == before


def test_refuses_while_excel_has_the_file_open(new_book):
    (new_book.parent / ("~$" + new_book.name)).write_bytes(b"owner")
    save_is_refused(new_book, WorkbookBusy, "open in Excel")


def test_refuses_when_the_file_changed_since_it_was_read(new_book):
    with FileBook.open(new_book) as book:
        book.patch("Products", pd.DataFrame({"current_stock": [1]}, index=[2]))
        data = new_book.read_bytes()
        new_book.write_bytes(data + b"")  # same bytes, new mtime: as when Excel saves unchanged
        os.utime(new_book, ns=(1, 1))
        with pytest.raises(WorkbookChanged, match="changed on disk"):
            book.save()


def test_a_second_run_is_kept_out_by_the_lock(new_book):
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from shopsheet.book import FileBook\n"
        f"with FileBook.open({str(new_book)!r}):\n"
        "    print('locked', flush=True); time.sleep(30)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        from shopsheet.book.write import safety

        with pytest.raises(WorkbookBusy, match="another ShopOps run"):
            with safety.run_lock(new_book, timeout=0.2):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_permissions_and_rotating_backups(new_book):
    os.chmod(new_book, 0o640)
    with FileBook.open(new_book) as book:
        book.patch("Settings", pd.DataFrame({"value": [2]}, index=[
            book.read("Settings").frame.index[book.read("Settings").frame["key"] ==
                                              "Backups to keep"][0]]))
        book.save()
    for stock in range(5):
        with FileBook.open(new_book) as book:
            book.patch("Products", pd.DataFrame({"current_stock": [stock]}, index=[2]))
            book.save()
            newest = book.last_backup
    assert stat.S_IMODE(new_book.stat().st_mode) == 0o640
    backups = sorted((new_book.parent / ".shopops-backups").iterdir())
    assert len(backups) == 2 and newest in backups
    with FileBook.open(newest) as old:  # the newest backup is the version before the last run
        assert old.read("Products").frame.loc[2, "current_stock"] == 3


def test_overwriting_a_formula_drops_the_stale_calc_chain(tmp_path):
    import xlsxwriter

    path = tmp_path / "f.xlsx"
    from shopsheet.book.make.create import add_shop_sheets

    wb = xlsxwriter.Workbook(str(path))
    add_shop_sheets(wb, {})
    wb.get_worksheet_by_name("Dashboard").write_formula("B2", "=1+1", None, 2)
    wb.get_worksheet_by_name("Dashboard").write_string("A2", "Two")
    wb.close()
    with zipfile.ZipFile(path, "a") as zf:  # Excel keeps a calcChain; xlsxwriter does not
        zf.writestr("xl/calcChain.xml", '<?xml version="1.0" encoding="UTF-8"?><calcChain xmlns='
                    '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B2" i="11"/>'
                    '</calcChain>')
    _register_calc_chain(path)
    with FileBook.open(path, keep_backups=0) as book:
        book.replace("Dashboard", pd.DataFrame({"metric": ["Orders"], "value": [12]}))
        book.save()
    names = zipfile.ZipFile(path).namelist()
    assert "xl/calcChain.xml" not in names
    assert b"calcChain" not in zipfile.ZipFile(path).read("xl/_rels/workbook.xml.rels")
    assert b"calcChain" not in zipfile.ZipFile(path).read("[Content_Types].xml")


def _register_calc_chain(path):
    """Add the calcChain relationship and content type, rewriting the test's own file."""
    data = parts(path)
    data["xl/_rels/workbook.xml.rels"] = data["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)


def test_a_failed_self_check_writes_nothing(new_book, monkeypatch):
    from shopsheet.book.write import writer as writer_module
    from shopsheet.book.write.writer import SelfCheckFailed

    real_finish = writer_module.PackageWriter.finish

    def corrupting_finish(self):
        real_finish(self)
        self.replaced["xl/styles.xml"] = b"<styleSheet/>"  # a part the run does not own
    monkeypatch.setattr(writer_module.PackageWriter, "finish", corrupting_finish)
    save_is_refused(new_book, SelfCheckFailed, "xl/styles.xml")
    assert not list(new_book.parent.glob(".*.tmp"))
    assert not (new_book.parent / ".shopops-backups").exists()


def test_a_cell_written_wrong_is_caught_by_reading_it_back(new_book, monkeypatch):
    """Every written cell is read back (all in one parse) and compared with what was meant."""
    from shopsheet.book.write import sheetstream
    from shopsheet.book.write.writer import SelfCheckFailed

    real = sheetstream.cell_xml
    monkeypatch.setattr(sheetstream, "cell_xml", lambda ref, style, value: real(
        ref, style, 98 if value == 99 else value))
    save_is_refused(new_book, SelfCheckFailed, "wrote 99, read back 98")


@pytest.mark.parametrize("damage", ["stream", "crc"])
@pytest.mark.parametrize("second_write", [False, True])
def test_a_damaged_sheet_part_is_caught_before_it_replaces_the_file(new_book, monkeypatch,
                                                                    damage, second_write):
    """Owned parts are inflated and compared with what was meant: a broken deflate stream or
    a wrong CRC never reaches the user's file — on a first write (the part deflated whole, in
    pieces) and on a later one (pieces copied, only changed ones deflated)."""
    from shopsheet.book.write import deflate as codec
    from shopsheet.book.write import pieces
    from shopsheet.book.write.writer import SelfCheckFailed

    if second_write:
        with FileBook.open(new_book) as book:
            book.patch("Products", pd.DataFrame({"current_stock": [7]}, index=[2]))
            book.save()
    real_deflate, real_crc = pieces.deflate_piece, codec.crc32
    if damage == "stream":
        def deflate(data, last):
            packed = bytearray(real_deflate(data, last))
            packed[len(packed) // 2] ^= 0xFF
            return bytes(packed)
        monkeypatch.setattr(pieces, "deflate_piece", deflate)
    else:
        monkeypatch.setattr(codec, "crc32", lambda data, *a: real_crc(data, *a) ^ 1)
    save_is_refused(new_book, SelfCheckFailed, "is not what was written")


def test_replacing_a_generated_sheet_shrinks_its_table(new_book):
    def picklist(skus):
        return pd.DataFrame({"sku": skus, "total_qty": range(1, len(skus) + 1)})

    with FileBook.open(new_book, keep_backups=0) as book:
        book.replace("PickList", picklist(["A001", "B002", "C003"]))
        book.save()
        assert list(book.read("PickList").frame["sku"]) == ["A001", "B002", "C003"]
        book.replace("PickList", picklist(["C003"]))
        book.save()
        frame = book.read("PickList").frame
    assert list(frame["sku"]) == ["C003"] and list(frame.index) == [2]
    table = zipfile.ZipFile(new_book).read("xl/tables/table10.xml").decode()
    assert 'ref="A1:G2"' in table and '<autoFilter ref="A1:G2"/>' in table
    with FileBook.open(new_book, keep_backups=0) as book:
        book.replace("PickList", picklist([]))  # nothing to pick: an empty Table, one blank row
        book.save()
        assert book.read("PickList").frame.empty
    assert 'ref="A1:G2"' in zipfile.ZipFile(new_book).read("xl/tables/table10.xml").decode()


def test_a_table_with_a_totals_row_is_refused_plainly(tmp_path):
    import xlsxwriter

    from shopsheet.book.write.tables import TableError

    path = tmp_path / "totals.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Log")
    ws.add_table(0, 0, 2, 1, {"total_row": True, "columns": [
        {"header": "Time"}, {"header": "Summary", "total_function": "count"}]})
    wb.close()
    with FileBook.open(path, keep_backups=0) as book:
        book.append("Log", pd.DataFrame({"summary": ["x"]}))
        with pytest.raises(TableError, match="totals row"):
            book.save()


def test_text_longer_than_a_cell_holds_is_cut_to_fit(new_book):
    """Excel refuses a file with a cell over 32,767 characters: a routine's long text (a pick
    list's orders for a SKU ordered thousands of times) is cut to fit and says so."""
    orders = ", ".join(f"P2611210000{n:08d}" for n in range(2_000))
    assert len(orders) > 40_000
    with FileBook.open(new_book) as book:
        book.replace("PickList", pd.DataFrame({"location": ["A-01"], "sku": ["A001"],
                                               "total_qty": [2000], "orders": [orders]}))
        book.save()
    with FileBook.open(new_book) as book:
        kept = book.read("PickList").frame["orders"].iloc[0]
    assert len(kept) <= 32_767 and kept.endswith("… (cut)") and kept.startswith(orders[:1000])


def test_appended_rows_are_read_back_a_batch_at_a_time(new_book, monkeypatch):
    """Rows added below all others are checked from their frame in batches (a big import's
    cells are never all held at once), and a wrong one is still caught; a cell a later op of
    the same save wrote again is checked against that later value."""
    from shopsheet.book.write import sheetxml
    from shopsheet.book.write import writer as writer_module
    from shopsheet.book.write.writer import SelfCheckFailed

    monkeypatch.setattr(writer_module, "CHECK_BATCH", 50)  # many batches for a few rows
    rows = pd.DataFrame({"order_id": [f"B{n:04d}" for n in range(120)], "line": 1,
                         "created": pd.Timestamp("2026-11-21 09:30"), "status": "paid",
                         "sku": "A001", "qty": 1, "unit_price": 89.0})
    with FileBook.open(new_book) as book:
        book.read("Orders")
        first = book.layout("Orders").last_row + 1
        book.append("Orders", rows)
        book.patch("Orders", pd.DataFrame({"status": ["shipped"]}, index=[first + 5]))
        book.save()
    with FileBook.open(new_book) as book:
        orders = book.read("Orders").frame
    assert len(orders[orders["order_id"].str.startswith("B")]) == 120
    assert orders.loc[first + 5, "status"] == "shipped"

    from shopsheet.book.write import sheetstream
    real = sheetxml.row_xml  # now write one appended cell wrong: the batch check must see it
    monkeypatch.setattr(sheetstream, "row_xml", lambda row, cols, styles, values: real(
        row, cols, styles, ["X9999" if v == "C0117" else v for v in values]))
    more = rows.assign(order_id=[f"C{n:04d}" for n in range(120)])
    before = new_book.read_bytes()
    with FileBook.open(new_book) as book:
        book.read("Orders")
        book.append("Orders", more)
        with pytest.raises(SelfCheckFailed, match="wrote 'C0117', read back 'X9999'"):
            book.save()
    assert new_book.read_bytes() == before
