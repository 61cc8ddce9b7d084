"""The frame cache: a sheet taken from it is exactly what reading the file gives, after
ShopOps' own writes too; any other change to the file is a miss, never a stale frame."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.demo import make_demo_shop
from shopsheet.sheets import SHEETS

NOW = dt.datetime(2026, 11, 21, 8, 0)


def read_all(path: Path) -> tuple[dict, set[str]]:
    with FileBook.open(path) as book:
        sheets = {name: book.read(name) for name in SHEETS if name in book.sheet_names()}
        return sheets, set(book.cache_hits)


def assert_same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for name, data in want.items():
        pd.testing.assert_frame_equal(got[name].frame, data.frame,
                                      obj=name)
        assert got[name].layout == data.layout, name
        assert sorted(map(str, got[name].problems)) == sorted(map(str, data.problems)), name


@pytest.fixture
def shop(tmp_path) -> Path:
    path, _ = make_demo_shop(tmp_path / "shop", NOW.date())
    return path


def test_frames_after_a_morning_are_the_frames_the_file_gives(shop, monkeypatch):
    with FileBook.open(shop) as book:
        for name in SHEETS:  # every sheet read, so every sheet is remembered as written
            book.read(name)
        history = len(book.read("Orders").frame)
        routines.daily(book, NOW, folder=shop.parent)
    cached, hits = read_all(shop)
    assert len(cached["Orders"].frame) > history  # last night's orders were appended
    written = {"Orders", "StockLedger", "Products", "PickList", "Dashboard", "Log"}
    assert written <= hits, f"not taken from the cache: {written - hits}"
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    fresh, none = read_all(shop)
    assert none == set()
    assert_same(cached, fresh)


def test_a_second_run_reads_nothing_it_remembered(shop, monkeypatch):
    read_all(shop)  # first run: parsed, then remembered
    with FileBook.open(shop) as book:
        monkeypatch.setattr(FileBook, "grid", lambda self, sheet: pytest.fail(f"parsed {sheet}"))
        for name in ("Orders", "StockLedger", "Products"):
            assert len(book.read(name).frame)
        assert book.cache_hits == {"Orders", "StockLedger", "Products"}


def test_an_edit_saved_by_another_program_is_read_from_the_file(shop, tmp_path):
    before, _ = read_all(shop)
    layout = before["Products"].layout
    edited = tmp_path / "edited.xlsx"  # another program saves the workbook (a test-only copy)
    wb = openpyxl.load_workbook(shop)
    wb["Products"].cell(layout.header_row + 1, layout.columns["product"] + 1, "Renamed in Excel")
    wb.save(edited)
    shutil.copyfile(edited, shop)
    sheets, hits = read_all(shop)
    assert "Products" not in hits
    assert sheets["Products"].frame["product"].iloc[0] == "Renamed in Excel"


def test_a_damaged_cache_file_is_a_miss(shop, frame_cache):
    before, _ = read_all(shop)
    files = list(frame_cache.rglob("*.frame"))
    assert files
    for f in files:
        f.write_bytes(f.read_bytes()[:200])  # cut short
    after, hits = read_all(shop)
    assert hits == set()
    assert_same(after, before)


def test_off_keeps_nothing(shop, tmp_path, monkeypatch):
    """Off writes no kept file anywhere: not in a folder named before, not in the user's cache
    folder (HOME and XDG_CACHE_HOME point into the test's folder), not beside the workbook,
    not in the folder the command runs in."""
    home = tmp_path / "home"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    before = {p for p in tmp_path.rglob("*")}
    with FileBook.open(shop) as book:
        for name in SHEETS:
            book.read(name)
        routines.daily(book, NOW, folder=shop.parent)  # reads and writes: maps and frames if on
    made = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    kept = [p for p in made if p.suffix in (".frame", ".journal", ".map", ".pieces")
            or "frames" in p.parts or p.is_relative_to(home)]
    assert kept == []
    assert made  # the morning did write its files (the workbook's backup, the slips)
    monkeypatch.setenv("SHOPOPS_CACHE", str(tmp_path / "on"))
    read_all(shop)
    assert list((tmp_path / "on").rglob("*.frame"))  # the same run with it on keeps frames


def test_the_cache_key_follows_the_reading_code_and_libraries(shop, monkeypatch):
    """The key is derived: the reading modules are found from their imports (the parser and
    the problems pickled with each frame among them); a change to one of them, or to the
    version of a library that types the frames, and every frame is a miss."""
    from shopsheet.book.cache import framecache

    modules = framecache.reading_modules()
    assert {"shopsheet.book.read.parse", "shopsheet.core.problems", "shopsheet.validation",
            "shopsheet.sheets", "shopsheet.book.read.typedread"} <= set(modules)
    read_all(shop)
    _, hits = read_all(shop)
    assert "Orders" in hits
    real_source = framecache._source
    monkeypatch.setattr(framecache, "_source", lambda name: real_source(name) + (
        b"\n# changed" if name == "shopsheet.core.problems" else b""))
    framecache._code_fingerprint.cache_clear()
    _, hits = read_all(shop)
    assert hits == set()
    _, hits = read_all(shop)  # remembered under the new code's key
    assert "Orders" in hits
    real_version = framecache._version
    monkeypatch.setattr(framecache, "_version", lambda lib: "9.9" if lib == "pandas"
                        else real_version(lib))
    framecache._code_fingerprint.cache_clear()
    _, hits = read_all(shop)
    assert hits == set()
    monkeypatch.undo()
    framecache._code_fingerprint.cache_clear()


@pytest.mark.parametrize("changed", ["sharedStrings.xml", "styles.xml"])
def test_a_sheet_whose_cells_point_into_a_changed_part_is_a_miss(shop, changed):
    """Cells point into the shared strings (text) and styles (dates): with only that part
    changed, and every sheet part byte for byte the same, every sheet's key changes."""
    import io

    from shopsheet.book.write.package import Package
    from shopsheet.book.write.zipcopy import raw_record, write_zip

    with FileBook.open(shop) as book:
        pkg = book.package
        keys = {name: book._frames.key(pkg, name) for name in pkg.sheets}
    part = next(p for p in pkg.cell_parts() if p.endswith(changed))
    body = pkg.read(part).replace(b"?>", b"?><!-- touched -->", 1)
    out = io.BytesIO()
    write_zip(pkg.data, pkg.zip.infolist(), out, {part: body}, set())
    new = Package(out.getvalue(), shop.name)
    for name, sheet in pkg.sheets.items():
        assert raw_record(new.data, new.infos[sheet.part]) == \
            raw_record(pkg.data, pkg.infos[sheet.part])  # the sheet itself: the same bytes
        assert book._frames.key(new, name) != keys[name]


def mornings(shop: Path, n: int) -> None:
    """`n` runs that each patch an old order line and append two new ones."""
    for k in range(n):
        with FileBook.open(shop) as book:
            orders = book.read("Orders")
            assert "Orders" in book.cache_hits
            book.patch("Orders", pd.DataFrame({"buyer_note": [f"call first {k}"]},
                                              index=[orders.layout.last_row - 3]))
            new = orders.frame.tail(2).copy()
            new["order_id"] = [f"J{k}-1", f"J{k}-2"]
            book.append("Orders", new)
            book.save()


def test_later_runs_keep_only_the_rows_they_changed(shop, frame_cache, monkeypatch):
    read_all(shop)
    bases = {f: f.stat().st_mtime_ns for f in frame_cache.rglob("*.frame")}
    mornings(shop, 3)
    assert list(frame_cache.rglob("*.journal"))
    assert {f: f.stat().st_mtime_ns for f in frame_cache.rglob("*.frame")} == bases
    cached, hits = read_all(shop)
    assert "Orders" in hits
    assert list(cached["Orders"].frame["order_id"].tail(6)) == [
        "J0-1", "J0-2", "J1-1", "J1-2", "J2-1", "J2-2"]
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    fresh, _ = read_all(shop)
    assert_same(cached, fresh)


def test_a_long_journal_is_folded_into_a_new_base(shop, frame_cache, monkeypatch):
    from shopsheet.book.cache import framecache

    monkeypatch.setattr(framecache, "JOURNAL_RUNS", 1)
    read_all(shop)
    mornings(shop, 3)  # the second morning finds the journal full and keeps the frame whole
    assert len(framecache.FrameCache(shop)._records("Orders")) == 1  # the third's rows
    cached, hits = read_all(shop)
    assert "Orders" in hits
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    fresh, _ = read_all(shop)
    assert_same(cached, fresh)


def test_a_failed_check_leaves_no_frame_that_could_be_taken_for_the_file(shop, frame_cache,
                                                                         monkeypatch):
    """A save whose check fails keeps no frame the next run could take for the file: that run
    reads the file as it is."""
    from shopsheet.book.write.writer import PackageWriter, SelfCheckFailed

    read_all(shop)
    before = shop.read_bytes()

    def check(self, path):
        raise SelfCheckFailed("made to fail")

    monkeypatch.setattr(PackageWriter, "check", check)
    with pytest.raises(SelfCheckFailed):
        mornings(shop, 1)
    monkeypatch.undo()
    assert shop.read_bytes() == before
    monkeypatch.setenv("SHOPOPS_CACHE", str(frame_cache))
    cached, _ = read_all(shop)
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    assert_same(cached, read_all(shop)[0])


def test_a_morning_after_a_morning_never_parses_the_workbook(shop, monkeypatch):
    with FileBook.open(shop) as book:
        for name in SHEETS:
            book.read(name)
        routines.daily(book, NOW, folder=shop.parent)
    monkeypatch.setattr(FileBook, "_calamine", property(
        lambda self: pytest.fail("the workbook was parsed")))
    with FileBook.open(shop) as book:
        routines.daily(book, NOW + dt.timedelta(days=1), folder=shop.parent)
        assert {"Settings", "Products", "Orders", "StockLedger", "PickList"} <= book.cache_hits


@pytest.mark.parametrize("storage", ["pyarrow", "python"])
def test_text_columns_are_kept_exactly_in_either_kind_of_pandas_text(storage):
    """Text is kept as codes into its distinct values and rebuilt in the column's own type,
    by Arrow when pandas keeps text in Arrow: blanks, repeats and 中文 come back as they were."""
    from shopsheet.book.cache.framecache import _packed, _unpacked

    texts = pd.array(["S001", None, "客户 王", "S001", "", None, "ä"],
                     dtype=pd.StringDtype(storage))
    frame = pd.DataFrame({"sku": texts, "qty": pd.array([1, 2, None, 4, 5, 6, 7], "Int64")},
                         index=pd.Index([2, 3, 5, 6, 7, 8, 9]))
    back = _unpacked(_packed(frame))
    pd.testing.assert_frame_equal(back, frame)
    assert back["sku"].dtype == pd.StringDtype(storage)
