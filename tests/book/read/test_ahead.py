"""Work done ahead on a second thread: taken back when not begun, done again when it failed,
and a workbook read or written with it is exactly the workbook read or written without it."""

from __future__ import annotations

import datetime as dt
import shutil
import threading

import pandas as pd
import pytest

from shopsheet import routines
from shopsheet.book import FileBook, filebook
from shopsheet.book.read.ahead import Ahead
from shopsheet.demo import make_demo_shop
from shopsheet.sheets import SHEETS
from tests.book.cache.test_frame_cache import assert_same, read_all
from tests.book.write.test_pieces import deflated_whole

NOW = dt.datetime(2026, 11, 21, 8, 0)


def test_a_job_not_begun_is_taken_back_and_never_runs():
    gate, ran = threading.Event(), []
    ahead = Ahead([("first", lambda: gate.wait(10) and ran.append("first") or 1),
                   ("second", lambda: ran.append("second") or 2)])
    assert ahead.take("second") == (False, None)  # the thread is still on the first job
    gate.set()
    assert ahead.take("first") == (True, 1)  # under way: waited for
    ahead._thread.join(10)
    assert ran == ["first"]


def test_a_failed_job_is_for_the_caller_to_do_again():
    def broken():
        raise ValueError("a part that does not inflate")

    ahead = Ahead([("broken", broken), ("fine", lambda: "ok")])
    ahead._thread.join(10)
    assert ahead.take("broken") == (False, None)
    assert ahead.take("fine") == (True, "ok")
    assert ahead.take("never asked") == (False, None)


def test_closed_it_starts_nothing_more():
    gate, ran = threading.Event(), []
    ahead = Ahead([("first", lambda: gate.wait(10)), ("second", lambda: ran.append(2))])
    ahead.close()
    gate.set()
    ahead._thread.join(10)
    assert ran == []


@pytest.fixture
def cold_shop(demo_shop, tmp_path, monkeypatch):
    """The demo shop as another program saved it (every part deflated whole, no piece maps,
    no frames kept), on a machine with two cores, big parts readied ahead from any size."""
    path = tmp_path / "ShopOps.xlsm"
    shutil.copy(demo_shop / "ShopOps.xlsm", path)
    deflated_whole(path)
    monkeypatch.setattr(filebook.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(filebook, "REPACK_FROM", 0)
    return path


def threads_doing(monkeypatch, obj, name: str) -> list[tuple[str, str]]:
    """(thread, first argument) of each call of `obj.name` from now on."""
    calls, real = [], getattr(obj, name)

    def spy(*args, **kwargs):
        calls.append((threading.current_thread().name, str(args[1])))
        return real(*args, **kwargs)
    monkeypatch.setattr(obj, name, spy)
    return calls


def test_sheets_read_ahead_are_the_sheets_read_here(cold_shop, monkeypatch):
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    want, _ = read_all(cold_shop)
    parsed = threads_doing(monkeypatch, filebook.parse, "load")
    with FileBook.open(cold_shop) as book:
        book.prefetch(SHEETS)
        book._ahead._thread.join(60)
        got = {name: book.read(name) for name in SHEETS if name in book.sheet_names()}
    assert_same(got, want)
    assert ("shopops-ahead", "Orders") in parsed and ("shopops-ahead", "Products") in parsed


def test_frames_kept_are_taken_ahead_from_the_cache_too(cold_shop, monkeypatch):
    want, hits = read_all(cold_shop)  # the first read keeps the frames
    assert not hits
    loaded = threads_doing(monkeypatch, filebook.FrameCache, "load")
    with FileBook.open(cold_shop) as book:
        book.prefetch(["Orders", "StockLedger", "Products"])
        book._ahead._thread.join(60)
        got = {name: book.read(name) for name in want}
        assert {"Orders", "StockLedger", "Products"} <= book.cache_hits
    assert_same(got, want)
    assert {s for thread, s in loaded if thread == "shopops-ahead"} == {
        "Orders", "StockLedger", "Products"}


def test_a_cold_morning_with_read_ahead_writes_what_one_without_writes(tmp_path, monkeypatch):
    """The demo shop as made (xlsxwriter deflated every part whole) with last night's exports
    in its inbox: the morning with read-ahead and repacking, and without."""
    monkeypatch.setattr(filebook.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(filebook, "REPACK_FROM", 0)
    shop, _ = make_demo_shop(tmp_path / "ahead", NOW.date())
    shutil.copytree(shop.parent, tmp_path / "alone")
    twin = tmp_path / "alone" / shop.name
    with FileBook.open(shop) as book:
        ahead = routines.daily(book, NOW, folder=shop.parent)
    monkeypatch.setattr(FileBook, "prefetch", lambda self, sheets, writing=(): None)
    with FileBook.open(twin) as book:
        alone = routines.daily(book, NOW, folder=twin.parent)
    assert ahead.ok and alone.ok and ahead.figures["processed"] > 0
    assert ahead.summary == alone.summary
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    got, _ = read_all(shop)
    want, _ = read_all(twin)
    for sheet in want:
        pd.testing.assert_frame_equal(got[sheet].frame, want[sheet].frame, obj=sheet)
