"""Replacing what the file is, and keeping customers' data private: a symlink's target is
written (the link stays), a read-only or another user's workbook is refused plainly, what
ShopOps writes beside the workbook is its owner's only, a full disk ends in a plain message
with the workbook unchanged."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.book.write import safety
from shopsheet.cli import cli

ORDERS = "Order ID,Line,Created,Status,Qty,SKU,Unit Price\nS1,1,2026-11-20 10:00,paid,1,A001,10\n"
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX modes and owners")


@pytest.fixture
def orders(tmp_path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS)
    return path


def imported(book: Path, orders: Path):
    return CliRunner().invoke(cli, ["import", str(book), str(orders), "--today", "2026-11-21"])


def order_ids(book: Path) -> list[str]:
    with FileBook.open(book) as fb:
        return list(fb.read("Orders").frame["order_id"])


@posix
def test_a_symlinked_workbook_has_its_target_written(new_book, orders, tmp_path):
    link = tmp_path / "link" / "Shop.xlsm"
    link.parent.mkdir()
    link.symlink_to(new_book)
    result = imported(link, orders)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == new_book.resolve()
    assert order_ids(new_book) == ["S1"]  # the real file holds the import


@posix
def test_a_read_only_workbook_is_refused(new_book, orders):
    os.chmod(new_book, 0o444)
    before = new_book.read_bytes()
    result = imported(new_book, orders)
    assert result.exit_code == 1
    assert "is read-only; nothing was written" in result.output
    assert new_book.read_bytes() == before and stat.S_IMODE(new_book.stat().st_mode) == 0o444


@posix
def test_another_users_workbook_is_refused(new_book, orders, monkeypatch):
    """Replacing a file in a folder others may write would hand the file to whoever runs
    ShopOps: refused (simulated: this run's user is uid 4242)."""
    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    before = new_book.read_bytes()
    result = imported(new_book, orders)
    assert result.exit_code == 1 and "belongs to another user" in result.output
    assert new_book.read_bytes() == before


@posix
def test_owner_group_and_mode_are_kept(new_book, orders):
    os.chmod(new_book, 0o640)
    st = new_book.stat()
    assert imported(new_book, orders).exit_code == 0
    after = new_book.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == \
        (st.st_uid, st.st_gid, 0o640)


@posix
def test_what_is_written_beside_the_workbook_is_private(demo_shop, tmp_path):
    shop = tmp_path / "shop"
    shutil.copytree(demo_shop, shop)
    shutil.rmtree(shop / "packing-slips")
    shutil.rmtree(shop / "messages")
    book = str(shop / "ShopOps.xlsm")
    runner = CliRunner()
    for args in (["report", book, "--weekly"], ["pick-list", book, "--slips",
                                                 str(shop / "packing-slips" / "slips.xlsx")],
                 ["messages", book, "--kind", "shipping"]):
        result = runner.invoke(cli, [*args, "--today", "2026-11-21"])
        assert result.exit_code == 0, result.output
    report = next((shop / "reports").glob("*.xlsx"))
    assert runner.invoke(cli, ["email", book, "--report", str(report), "--dry-run",
                               "--today", "2026-11-21"]).exit_code == 0
    files = [*(shop / "reports").iterdir(), *(shop / "packing-slips").iterdir(),
             *(shop / "messages").iterdir()]
    assert {f.suffix for f in files} >= {".xlsx", ".eml", ".txt"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in ("packing-slips", "messages", ".shopops-backups"):
        assert stat.S_IMODE((shop / folder).stat().st_mode) == 0o700, folder


@posix
def test_private_dir_makes_missing_parents_private(tmp_path):
    made = safety.private_dir(tmp_path / "a" / "b" / "c")
    for folder in (tmp_path / "a", tmp_path / "a" / "b", made):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_full_disk_is_said_plainly_and_changes_nothing(new_book, orders, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(new_book.parent / ".tmp"))

    monkeypatch.setattr(safety.os, "fsync", full)
    before = new_book.read_bytes()
    result = imported(new_book, orders)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "No space left on device" in result.output and "workbook was not changed" in \
        result.output
    assert new_book.read_bytes() == before
    assert not [p for p in new_book.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_report_on_a_full_disk_leaves_no_empty_file(new_book, tmp_path, monkeypatch):
    from shopsheet.routines import reporting

    def full(path, *args, **kwargs):
        Path(path).write_bytes(b"")  # what a full disk leaves: nothing
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reporting, "write_report", full)
    out = tmp_path / "reports" / "week.xlsx"
    result = CliRunner().invoke(cli, ["report", str(new_book), "--weekly", "--out", str(out),
                                      "--today", "2026-11-21"])
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert not out.exists() and not list(out.parent.iterdir())


def test_a_sync_services_conflict_copies_are_named(new_book):
    import datetime as dt

    from shopsheet import routines

    names = ["ShopOps (conflicted copy 2026-12-03).xlsm", "ShopOps-LAPTOP-7.xlsm",
             "ShopOps (1).xlsm", "ShopOps-backup.xlsm", "Other.xlsm"]
    for name in names:
        (new_book.parent / name).write_bytes(b"")
    assert [p.name for p in safety.conflict_copies(new_book)] == sorted(names[:3])
    with FileBook.open(new_book) as book:
        result = routines.daily(book, dt.datetime(2026, 11, 21, 8, 0), folder=new_book.parent)
    alert = next(a for a in result.alerts if "conflicting copies" in a)
    assert all(name in alert for name in names[:3]) and "ShopOps-backup" not in alert
