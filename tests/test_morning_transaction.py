"""The morning is one transaction in fact: a failure injected at each step of `daily` — a step
that finds problems, or one that raises — leaves the workbook's bytes, the inbox and the output
folders exactly as they were, and says which step stopped it."""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
from pathlib import Path

import pytest

from shopsheet.book import FileBook
from shopsheet.core.problems import Problem
from shopsheet.demo import make_demo_shop
from tests.package_edits import without_sheet

daily_module = importlib.import_module("shopsheet.routines.daily")
NOW = dt.datetime(2026, 11, 21, 8, 0)
TODAY = NOW.date()
STEPS = {"import_orders": "the import", "verify": "verifying orders",
         "update_stock": "the stock update", "reorders": "the reorders",
         "pick_list": "the pick list"}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("morning")
    make_demo_shop(folder, TODAY)
    return folder


@pytest.fixture
def shop(fresh, tmp_path) -> Path:
    shutil.copytree(fresh, tmp_path / "shop")
    return tmp_path / "shop"


def snapshot(shop: Path) -> dict[str, bytes]:
    """Every file under the shop's folder (the workbook, inbox, outputs), by path."""
    return {str(p.relative_to(shop)): p.read_bytes() for p in sorted(shop.rglob("*"))
            if p.is_file() and ".shopops-backups" not in p.parts
            and not p.name.endswith(".shopops.lock")}


def run(shop: Path):
    with FileBook.open(shop / "ShopOps.xlsm", keep_backups=0) as book:
        return daily_module.daily(book, NOW, folder=shop)


@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_step_with_problems_keeps_nothing(step, shop, monkeypatch):
    real = getattr(daily_module, step)

    def wrong(book, *args, **kwargs):
        done = real(book, *args, **kwargs)  # it buffers its writes (and slips) first
        done.problems.append(Problem("Products", "C7", "Current Stock", -3, "≥ 0"))
        return done

    monkeypatch.setattr(daily_module, step, wrong)
    before = snapshot(shop)
    result = run(shop)
    assert not result.ok
    assert result.summary.startswith(f"Daily: nothing done — {STEPS[step]} stopped the morning")
    assert "the 5 inbox files stay for the next run" in result.summary
    assert snapshot(shop) == before  # workbook, inbox, no slips, no temp files


@pytest.mark.parametrize("step", [*sorted(STEPS), "daily_numbers"])
def test_a_step_that_fails_keeps_nothing(step, shop, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    real = getattr(daily_module, step)
    if step == "daily_numbers":  # the Dashboard, after the pick list wrote its slips
        monkeypatch.setattr(daily_module, step, broken)
    else:
        def after(book, *args, **kwargs):
            real(book, *args, **kwargs)
            broken()
        monkeypatch.setattr(daily_module, step, after)
    before = snapshot(shop)
    with pytest.raises(OSError):
        run(shop)
    assert snapshot(shop) == before


def test_a_good_morning_keeps_everything(shop):
    stale = shop / "packing-slips" / ".packing-slips-2026-11-21.shopops-killed.xlsx"
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(b"PK half a zip")  # left by a run killed mid-write
    before = snapshot(shop)
    result = run(shop)
    assert result.ok, result.problems
    after = snapshot(shop)
    assert after["ShopOps.xlsm"] != before["ShopOps.xlsm"]
    assert not [n for n in after if n.startswith("inbox/") and "/done/" not in n]
    slips = [n for n in after if n.startswith("packing-slips/")]
    assert slips == ["packing-slips/packing-slips-2026-11-21.xlsx"]  # no temp file left


def test_a_missing_sheet_stops_the_morning(shop):
    """With the StockLedger sheet deleted the morning used to import and reorder anyway."""
    book = shop / "ShopOps.xlsm"
    without_sheet(book, "StockLedger")
    before = snapshot(shop)
    result = run(shop)
    assert not result.ok and "nothing done" in result.summary
    assert any("no StockLedger sheet" in str(p) for p in result.problems)
    assert snapshot(shop) == before
