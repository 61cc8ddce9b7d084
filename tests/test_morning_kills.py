"""A morning killed (SIGKILL) at any moment leaves no broken side file and no packing slip for
orders the workbook does not hold: the slips appear, whole, only after the workbook is saved;
a killed run's temp files are removed by the next morning, which then does the day's work."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from shopsheet.book import FileBook
from shopsheet.demo import make_demo_shop
from tests.conftest import TODAY

DAY = ["--today", TODAY.isoformat()]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kills")
    make_demo_shop(folder, TODAY)
    return folder


def morning(shop: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "shopsheet", "daily",
                             str(shop / "ShopOps.xlsm"), *DAY], cwd=shop,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def slips_of(shop: Path) -> list[Path]:
    folder = shop / "packing-slips"
    return sorted(folder.glob("[!.]*.xlsx")) if folder.exists() else []


def test_a_morning_killed_at_any_moment(fresh, tmp_path):
    timing = tmp_path / "timing"
    shutil.copytree(fresh, timing)
    start = time.monotonic()
    assert morning(timing).wait(timeout=300) == 0
    whole = time.monotonic() - start
    original = digest(fresh / "ShopOps.xlsm")
    for n, fraction in enumerate((0.3, 0.55, 0.7, 0.8, 0.88, 0.94, 0.98)):
        shop = tmp_path / f"shop{n}"
        shutil.copytree(fresh, shop)
        run = morning(shop)
        time.sleep(whole * fraction)
        run.send_signal(signal.SIGKILL)
        run.wait()
        saved = digest(shop / "ShopOps.xlsm") != original
        for slips in slips_of(shop):  # a slips file is whole, and only for a saved morning
            assert zipfile.ZipFile(slips).testzip() is None, (fraction, slips)
            assert saved, f"slips without the orders saved (killed at {fraction:.0%})"
        with FileBook.open(shop / "ShopOps.xlsm"):  # the workbook reads, old or new
            pass
        assert morning(shop).wait(timeout=300) == 0  # the next morning does the day's work
        left = [p.name for p in (shop / "packing-slips").iterdir() if p.name.startswith(".")]
        assert not left, left  # the killed run's temps are gone
        assert [p.name for p in slips_of(shop)] == [f"packing-slips-{TODAY}.xlsx"]
        assert zipfile.ZipFile(slips_of(shop)[0]).testzip() is None
