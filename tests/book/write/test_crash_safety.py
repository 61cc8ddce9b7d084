"""A run killed with SIGKILL at any moment of a large write leaves a whole, readable workbook:
the original until the final rename, the complete new one after it. Never a half-written file."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import python_calamine

from shopsheet.book.make.create import create_workbook
from shopsheet.starter import starter_data
from tests.conftest import TODAY

EXISTING, APPENDED = 30_000, 10_000
WRITER = """
import sys, pandas as pd
from shopsheet.book import FileBook
n = int(sys.argv[2])
with FileBook.open(sys.argv[1], keep_backups=1) as book:
    book.append("Orders", pd.DataFrame({
        "order_id": [f"N{i:08d}" for i in range(n)], "line": 1,
        "created": pd.Timestamp("2026-11-21 08:00"), "status": "paid",
        "customer": "=cmd|' /C calc'!A0", "sku": "A001", "qty": 1, "unit_price": 89.0}))
    print("saving", flush=True)
    book.save()
print("done", flush=True)
"""


def orders(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": [f"H{i:08d}" for i in range(n)], "line": 1,
        "created": pd.date_range("2025-11-21", periods=n, freq="10min"), "status": "delivered",
        "customer": "李娜", "address": "浙江省杭州市文三路 1 号", "sku": "A001", "qty": 1,
        "unit_price": 89.0, "line_total": 89.0})


@pytest.fixture(scope="module")
def large_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("large") / "Large.xlsm"
    create_workbook(path, {**starter_data(TODAY), "Orders": orders(EXISTING)})
    return path


def order_rows(path: Path) -> int:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return len(book.get_sheet_by_name("Orders").to_python()) - 1


def run_writer(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(APPENDED)],
                            stdout=subprocess.PIPE, text=True)


def test_sigkill_at_any_point_leaves_the_workbook_whole(large_book, tmp_path):
    original = large_book.read_bytes()
    digest = hashlib.sha256(original).hexdigest()
    probe = tmp_path / "probe" / "Large.xlsm"
    probe.parent.mkdir()
    shutil.copy(large_book, probe)
    started = time.monotonic()
    proc = run_writer(probe)
    assert proc.stdout.readline().strip() == "saving"
    saving = time.monotonic() - started
    assert proc.wait(timeout=300) == 0
    full = time.monotonic() - started
    assert order_rows(probe) == EXISTING + APPENDED

    # kill times: two while reading, most while the new package is written and checked (the
    # part that must never tear), two after; timed from the probe run's own phases
    moments = [saving * 0.3, saving * 0.8] + [
        saving + (full - saving) * f for f in (0.1, 0.3, 0.5, 0.7, 0.9)] + [full * 1.2]
    outcomes = []
    for k, moment in enumerate(moments):
        work = tmp_path / f"kill{k}" / "Large.xlsm"
        work.parent.mkdir()
        shutil.copy(large_book, work)
        proc = run_writer(work)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        printed = proc.stdout.read().split()
        stage = "done" if "done" in printed else "saving" if "saving" in printed else "reading"
        rows = order_rows(work)  # opens: never a torn file
        if hashlib.sha256(work.read_bytes()).hexdigest() == digest:
            outcomes.append((stage, "original"))
        else:
            assert rows == EXISTING + APPENDED
            outcomes.append((stage, "new"))
        leftovers = list(work.parent.glob(".Large.xlsm.shopops-*.tmp"))
        if leftovers:  # the next run clears a killed run's temp file
            from shopsheet.book import FileBook

            with FileBook.open(work):
                pass
            assert not list(work.parent.glob(".Large.xlsm.shopops-*.tmp"))
    # kills did land while the new package was being written (after "saving", before "done");
    # each left the original or the complete new workbook (checked above), never a torn one
    assert sum(1 for stage, _ in outcomes if stage == "saving") >= 2, outcomes
    assert ("reading", "new") not in outcomes, outcomes
