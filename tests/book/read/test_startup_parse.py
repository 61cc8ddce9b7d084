"""The `shopops` command begins parsing Orders before pandas loads: the FileBook that opens the
same bytes takes that parse and reads exactly what it would have read; other bytes, a small
sheet, or a sheet ShopOps wrote last (its frame is kept) are not parsed ahead. At the end the
command leaves without the interpreter's teardown, exactly as `sys.exit` would otherwise."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import CancelledError

import pandas as pd
import pytest

from shopsheet import launch
from shopsheet.book import FileBook
from shopsheet.book.read import parse
from tests.book.write.test_pieces import deflated_whole


@pytest.fixture
def shop(demo_shop, tmp_path, monkeypatch):
    """The demo shop as another program saved it (no piece maps), its Orders worth parsing."""
    path = tmp_path / "ShopOps.xlsm"
    shutil.copy(demo_shop / "ShopOps.xlsm", path)
    deflated_whole(path)
    monkeypatch.setattr(parse, "BIG", 0)
    monkeypatch.setenv("SHOPOPS_CACHE", "off")
    return path


def read_orders(path):
    with FileBook.open(path) as book:
        return book.read("Orders"), book


def test_the_book_takes_the_parse_begun_at_start_up(shop):
    want, _ = read_orders(shop)
    parse.start(shop, ["Orders"])
    parse._started[shop.resolve()][1]["Orders"].result(timeout=60)  # as pandas loads meanwhile
    with FileBook.open(shop) as book:
        future = book._early["Orders"]
        got = book.read("Orders")
    assert future.done() and not future.cancelled() and future.result() is not None
    assert not book._early  # taken
    pd.testing.assert_frame_equal(got.frame, want.frame)
    assert got.layout == want.layout and got.problems == want.problems


def test_other_bytes_are_not_taken(shop):
    want, _ = read_orders(shop)
    parse.start(shop, ["Orders"])
    parse._started[shop.resolve()][0].result()  # the command read the file...
    with zipfile.ZipFile(shop) as z:  # ...then another program saved it before the book read it
        parts = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(shop, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, data + b" " * (name == "docProps/app.xml"))
    with FileBook.open(shop) as book:
        assert book._early == {}
        got = book.read("Orders")
    pd.testing.assert_frame_equal(got.frame, want.frame)


def settled(path) -> dict:
    """The start-up parses of `path` once the thread has parsed or passed over each."""
    parsed = parse._started[path.resolve()][1]
    for future in parsed.values():
        with contextlib.suppress(CancelledError):
            future.result(timeout=60)
    return parsed


def test_a_sheet_shopops_wrote_last_or_a_small_one_is_not_parsed(shop, monkeypatch):
    monkeypatch.setenv("SHOPOPS_CACHE", str(shop.parent / "cache"))
    with FileBook.open(shop) as book:  # ShopOps writes Orders: in pieces, with a map kept
        first = book.read("Orders").frame.index[0]
        book.patch("Orders", pd.DataFrame({"customer": ["someone else"]}, index=[first]))
        book.save()
    parse.start(shop, ["Orders", "Products"])
    parsed = settled(shop)
    assert parsed["Orders"].cancelled()  # its frame is kept: nothing to parse
    assert parsed["Products"].result() is not None  # written by another program: parsed
    monkeypatch.setattr(parse, "BIG", 1 << 40)
    parse.start(shop, ["Products"])
    assert settled(shop)["Products"].cancelled()  # too small to be worth it


def test_the_command_starts_parsing_only_for_routines_that_read_orders(monkeypatch, tmp_path):
    started, ran = [], []
    monkeypatch.setattr(parse, "start", lambda path, sheets: started.append((path, sheets)))
    monkeypatch.setattr("shopsheet.cli.main", lambda: ran.append(True))
    for argv in (["daily", "Shop.xlsm", "--today", "2026-11-21"], ["init", "New.xlsm"],
                 ["demo"], ["daily", "--help"]):
        monkeypatch.setattr(sys, "argv", ["shopops", *argv])
        assert launch.run() == 0
    assert [(p.name, s) for p, s in started] == [("Shop.xlsm", ["Orders"])]
    assert len(ran) == 4


def test_starting_loads_no_pandas():
    """The point of it: the parse runs while pandas loads, so it must not need pandas."""
    code = ("import sys, shopsheet.launch, shopsheet.book.read.parse; "
            "sys.exit(bool({'pandas', 'numpy', 'pandera'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("code, status", [(0, 0), (None, 0), (1, 1), (2, 2), ("no such shop", 1)])
def test_leaving_early_keeps_exit_code_output_and_exit_handlers(tmp_path, code, status):
    """The command leaves without the interpreter's teardown, and nothing else changes: the exit
    status is sys.exit's, all output reaches a pipe, and exit handlers still run."""
    mark = tmp_path / "handler-ran"
    script = (f"import atexit, pathlib, sys; from shopsheet import launch\n"
              f"atexit.register(pathlib.Path({str(mark)!r}).write_text, 'yes')\n"
              f"print('x' * 200_000); sys.stdout.write('last line')\n"
              f"launch.leave({code!r})\n"
              f"print('never')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == status
    assert done.stdout.endswith("last line") and len(done.stdout) == 200_001 + len("last line")
    assert mark.read_text() == "yes"
    assert ("no such shop" in done.stderr) == isinstance(code, str)


def test_a_thread_still_at_work_gets_the_ordinary_exit(tmp_path):
    """A thread that is not a daemon finishes its work before the process ends."""
    mark = tmp_path / "thread-done"
    script = (f"import pathlib, threading, time; from shopsheet import launch\n"
              f"def work():\n    time.sleep(0.5); pathlib.Path({str(mark)!r}).write_text('done')\n"
              f"threading.Thread(target=work).start()\n"
              f"launch.leave(3)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 3
    assert mark.read_text() == "done"


def test_a_profiler_watching_gets_the_ordinary_exit():
    """pyinstrument or coverage write their report after the program: they must get to."""
    script = ("import sys; from shopsheet import launch\n"
              "sys.setprofile(lambda *args: None)\n"
              "try:\n    launch.leave(0)\nexcept SystemExit:\n    print('ordinary exit')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ordinary exit"
