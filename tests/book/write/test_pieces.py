"""Sheet parts in pieces: a later write inflates only the pieces holding the rows it edits,
copies the others as stored, and the file is still one valid zip entry per part that zipfile,
calamine and LibreOffice read; a map that does not add up is never used."""

from __future__ import annotations

import random
import zipfile
import zlib

import pandas as pd
import pytest

from shopsheet.book import FileBook
from shopsheet.book.cache.piecemaps import PieceMaps
from shopsheet.book.write import pieces
from shopsheet.book.write.package import Package
from shopsheet.book.write.zipcopy import stored_data


def test_crc_combined_from_pieces_is_the_crc_of_the_whole():
    rng = random.Random(3)
    for _ in range(50):
        a = rng.randbytes(rng.randrange(0, 5000))
        b = rng.randbytes(rng.choice([0, 1, 7, rng.randrange(0, 100_000)]))
        assert pieces.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def lines(first: int, n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": [f"P{i:07d}" for i in range(first, first + n)], "line": 1,
        "channel": "Shopify", "created": pd.Timestamp("2026-11-20 09:00"), "status": "paid",
        "customer": [f"客户 {i}" for i in range(first, first + n)], "sku": "SKU-001",
        "qty": 1, "unit_price": 9.5, "line_total": 9.5})


@pytest.fixture
def orders_book(new_book, monkeypatch):
    """A workbook whose Orders part ShopOps wrote in many small pieces."""
    monkeypatch.setattr(pieces, "PIECE", 4096)
    with FileBook.open(new_book) as book:
        book.append("Orders", lines(1, 3000))
        book.save()
    return new_book


def orders_part(path) -> tuple[Package, str]:
    pkg = Package(path.read_bytes(), path.name)
    return pkg, pkg.sheet("Orders").part


def test_a_later_write_copies_the_pieces_it_does_not_touch(orders_book, monkeypatch):
    pkg, part = orders_part(orders_book)
    before = PieceMaps(orders_book).load(pkg, part)
    assert before is not None and len(before) > 100
    inflated = []
    real = pieces.inflate_piece
    monkeypatch.setattr(pieces, "inflate_piece", lambda p, last: inflated.append(1) or real(
        p, last))
    with FileBook.open(orders_book) as book:
        layout = book.layout("Orders")
        middle = layout.header_row + 1500
        book.patch("Orders", pd.DataFrame({"status": ["shipped"]}, index=[middle]))
        book.append("Orders", lines(3001, 20))
        book.save()
    assert 3 <= len(inflated) <= 6  # head, tail and the row pieces edited: nothing else
    pkg, part = orders_part(orders_book)
    after = PieceMaps(orders_book).load(pkg, part)
    assert after is not None
    kept = {(p.first_row, p.raw, p.packed, p.crc) for p in before}
    assert sum((p.first_row, p.raw, p.packed, p.crc) in kept for p in after) >= len(before) - 4
    with zipfile.ZipFile(orders_book) as z:  # one valid entry: zipfile inflates it, CRC too
        assert z.testzip() is None
    monkeypatch.setenv("SHOPOPS_CACHE", "off")  # read what the file holds, nothing kept
    with FileBook.open(orders_book) as book:
        frame = book.read("Orders").frame
    assert len(frame) == 3020
    assert frame.loc[middle, "status"] == "shipped"
    assert frame["status"].value_counts()["shipped"] == 1
    assert list(frame["order_id"].iloc[[0, 2999, 3019]]) == ["P0000001", "P0003000", "P0003020"]


def test_libreoffice_reads_a_part_written_in_copied_pieces(orders_book, libreoffice, tmp_path):
    with FileBook.open(orders_book) as book:
        book.append("Orders", lines(3001, 5))
        book.save()
    orders = libreoffice.sheets_as_csv(orders_book, tmp_path / "csv")["Orders"]
    ids = [row[0] for row in orders if row and row[0].startswith("P")]
    assert ids == [f"P{i:07d}" for i in range(1, 3006)]
    assert any("客户 3005" in row for row in orders)


def test_a_map_that_does_not_add_up_is_not_used(orders_book, monkeypatch):
    maps = PieceMaps(orders_book)
    pkg, part = orders_part(orders_book)
    found = maps.load(pkg, part)
    wrong = [pieces.Piece(p.first_row, p.raw, p.packed, p.crc) for p in found]
    wrong[5], wrong[6] = wrong[6], wrong[5]  # sizes add up; the CRC combined does not
    maps.store(pkg, part, wrong)
    assert maps.load(pkg, part) is None
    with FileBook.open(orders_book) as book:
        book.append("Orders", lines(3001, 5))
        book.save()
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    with FileBook.open(orders_book) as book:
        assert len(book.read("Orders").frame) == 3005


def deflated_whole(path) -> None:
    """The workbook as another program saves it: every part one deflate stream (level 6)."""
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info.filename, data)


@pytest.mark.parametrize("step", [7, 500, 1 << 16])
def test_repack_cuts_a_part_deflated_whole_as_cut_does(orders_book, monkeypatch, step):
    deflated_whole(orders_book)
    pkg, part = orders_part(orders_book)
    info, raw = pkg.infos[part], pkg.read(part)
    monkeypatch.setattr(pieces, "STEP", step)  # row tags and `</sheetData>` split across reads
    found = pieces.repack(stored_data(pkg.data, info), info.file_size, info.CRC)
    assert found is not None
    made, packed = found
    offsets = [0]
    for p in made:
        offsets.append(offsets[-1] + p.raw)
    assert [(a, b) for a, b, _ in pieces.cut(raw)] == list(zip(offsets, offsets[1:]))
    assert [p.first_row for p in made] == [first for _, _, first in pieces.cut(raw)]
    assert len(made) > 100 and pieces.valid(made, info.file_size, len(packed), info.CRC)
    assert zlib.decompress(packed, -15) == raw
    for k, p in enumerate(made):  # and each piece inflates alone, as a window needs
        start = sum(q.packed for q in made[:k])
        assert pieces.inflate_piece(packed[start:start + p.packed], k == len(made) - 1) == \
            raw[offsets[k]:offsets[k + 1]]


def test_repack_declines_what_it_cannot_cut_or_does_not_add_up():
    def deflate(xml: bytes) -> bytes:
        return zlib.compress(xml, 6, -15)

    good = b'<worksheet><sheetData><row r="1"><c r="A1"/></row></sheetData></worksheet>'
    assert pieces.repack(deflate(good), len(good), zlib.crc32(good)) is not None
    assert pieces.repack(deflate(good), len(good) + 1, zlib.crc32(good)) is None
    assert pieces.repack(deflate(good), len(good), zlib.crc32(good) ^ 1) is None
    for bad in (b"<worksheet><sheetData/></worksheet>",  # no rows element to cut at
                b"<worksheet><sheetData><row><c/></row></sheetData></worksheet>"):  # no number
        assert pieces.repack(deflate(bad), len(bad), zlib.crc32(bad)) is None
    assert pieces.repack(deflate(good)[:-3], len(good), zlib.crc32(good)) is None  # cut short


def test_a_part_deflated_whole_is_written_in_pieces_readied_ahead(orders_book, monkeypatch,
                                                                     tmp_path):
    """The first write after another program saved the file: with the part repacked ahead,
    only the pieces holding the rows edited are inflated again, and the file reads exactly as
    one written without read-ahead."""
    from shopsheet.book import filebook

    deflated_whole(orders_book)
    twin = tmp_path / "twin.xlsm"
    twin.write_bytes(orders_book.read_bytes())
    monkeypatch.setattr(filebook, "REPACK_FROM", 0)
    monkeypatch.setattr(filebook.os, "cpu_count", lambda: 2)
    middle = 1500

    def edit(book: FileBook) -> None:
        book.patch("Orders", pd.DataFrame({"status": ["shipped"]}, index=[middle]))
        book.append("Orders", lines(3001, 20))

    with FileBook.open(twin) as book:  # without read-ahead: the part inflated and cut whole
        edit(book)
        book.save()
    inflated = []
    real = pieces.inflate_piece
    monkeypatch.setattr(pieces, "inflate_piece", lambda p, last: inflated.append(1) or real(
        p, last))
    with FileBook.open(orders_book) as book:
        book.prefetch([], writing=["Orders"])
        book._ahead._thread.join(timeout=60)  # the part is ready before the write
        edit(book)
        book.save()
    assert 3 <= len(inflated) <= 6  # head, tail and the pieces edited, as on a warm write
    pkg, part = orders_part(orders_book)
    assert PieceMaps(orders_book).load(pkg, part) is not None  # tomorrow: warm
    with zipfile.ZipFile(orders_book) as z:
        assert z.testzip() is None
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    with FileBook.open(orders_book) as book, FileBook.open(twin) as other:
        frame = book.read("Orders").frame
        pd.testing.assert_frame_equal(frame, other.read("Orders").frame)
    assert len(frame) == 3020 and frame.loc[middle, "status"] == "shipped"


@pytest.mark.parametrize("codec", ["isal", "zlib"])
def test_pieces_from_either_deflater_are_one_stream_zlib_inflates(monkeypatch, codec):
    """ISA-L deflates where it is installed, zlib where it is not; pieces from either inflate
    alone and, joined, as one stream, by zlib (what zip readers use)."""
    import importlib
    import sys

    from shopsheet.book.write import deflate

    if codec == "zlib":
        monkeypatch.setitem(sys.modules, "isal", None)  # as if not installed
    try:
        importlib.reload(deflate)
        assert deflate.codec.__name__ == {"isal": "isal.isal_zlib", "zlib": "zlib"}[codec]
        rows = [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>客户{n}</t></is></c></row>'
                for n in range(2, 20_000)]
        parts = ["<sheetData>" + "".join(rows[:9_000]), "".join(rows[9_000:]) + "</sheetData>"]
        raws = [p.encode() for p in parts]
        packed = [pieces.deflate_piece(raws[0], False), pieces.deflate_piece(raws[1], True)]
        assert zlib.decompress(b"".join(packed), -15) == b"".join(raws)
        assert [pieces.inflate_piece(p, k == 1, zlib) for k, p in enumerate(packed)] == raws
        assert deflate.crc32(raws[0]) == zlib.crc32(raws[0])
    finally:
        monkeypatch.undo()
        importlib.reload(deflate)
