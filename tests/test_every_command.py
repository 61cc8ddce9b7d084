"""Every command, run as the user runs it: with the optional columns of its input files left
out, and with the bad inputs its help text invites (a month that is not one, a file that is not
a workbook, a PO that does not exist…). None may end in a traceback; each bad input gets a
plain message and changes nothing. A command added without a case here fails the suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from shopsheet.cli import cli

TODAY = ["--today", "2026-11-21"]
BOOK = "{book}"

# Input files with only what the README says is needed: the optional columns left out.
FILES = {
    "orders-minimal.csv": "Order ID,Line,Created,Status,Qty\nM1,1,2026-11-20 21:00,paid,1\n",
    "orders-no-status-word.csv": "Order ID,Line,Created,Status,Qty,SKU\n"
                                 "M2,1,2026-11-20 21:00,paid,1,A001\n",
    "payouts-minimal.csv": "Transaction Date,Type,Order,Payout Status,Amount,Net\n"
                           "2026-11-20 10:00:00 +0800,charge,#1001,pending,10.00,10.00\n",
    "bill-minimal.csv": "Tracking No,Cost\nSF000111,8.50\n",
    "tracking-minimal.csv": "Order ID,Tracking No\nM1,SF000111\n",
    "tracking-no-order.csv": "Tracking No\nSF000111\n",
    "not-a-workbook.xlsm": "this is a text file, not a workbook\n",
    "not-orders.csv": "colour,size\nred,M\n",
    "empty.csv": "",
    "count-minimal.csv": "SKU,Counted\nA004,30\n",
    "old.xls": "\xd0\xcf\x11\xe0 not really",
}

# command → (good runs, bad runs as (args, what the message says, exit code)). Paths:
# {book} the demo workbook, {dir} a scratch folder, {data} the folder of FILES.
CASES: dict[str, tuple[list[list[str]], list[tuple[list[str], str, int]]]] = {
    "abc": ([[BOOK]], [(["{dir}/missing.xlsm"], "missing.xlsm", 1)]),
    "build-workbook": ([["--out", "{dir}/Built.xlsm"]],
                       [(["--sources", "{dir}/nowhere"], "does not exist", 2)]),
    "daily": ([[BOOK]], [(["{data}/not-a-workbook.xlsm"], "not an Excel workbook", 1)]),
    "demo": ([["--dir", "{dir}/demo"]],
             [(["--dir", "{dir}/taken"], "is not a demo workbook", 1)]),
    "email": ([[BOOK, "--report", "{dir}/report.xlsx", "--dry-run"]],
              [([BOOK, "--report", "{dir}/missing.xlsx"], "does not exist", 2)]),
    "import": ([[BOOK, "{data}/orders-minimal.csv"], [BOOK, "{data}/orders-no-status-word.csv"]],
               [([BOOK, "{data}/not-orders.csv"], "not-orders.csv", 1),
                ([BOOK, "{data}/empty.csv"], "empty.csv", 1),
                ([BOOK, "{data}/missing.csv"], "does not exist", 2),
                ([BOOK, "{data}/orders-minimal.csv", "--format", "bogus"], "bogus", 2)]),
    "init": ([["{dir}/New.xlsm"], ["{dir}/New.xlsx"]],
             [([BOOK], "already exists", 1)]),
    "listings": ([[BOOK], [BOOK, "--suggest"]], [(["{data}/old.xls"], "old.xls", 1)]),
    "messages": ([[BOOK, "--kind", "follow-up"]],
                 [([BOOK, "--kind", "thanks"], "'thanks' is not one of", 2)]),
    "pick-list": ([[BOOK, "--slips", "{dir}/slips.xlsx"]],
                  [(["{data}/empty.csv"], "empty.csv", 1)]),
    "promotions": ([[BOOK, "--month", "2026-12"]],
                   [([BOOK, "--month", "2026-13"], "is not a month", 2),
                    ([BOOK, "--month", "2099-02"], "months from today", 2),
                    ([BOOK], "Missing option '--month'", 2)]),
    "profit": ([[BOOK, "--month", "2026-11"]],
               [([BOOK, "--month", "2026-13"], "is not a month", 2),
                ([BOOK], "Missing option '--month'", 2)]),
    "reconcile": ([[BOOK], [BOOK, "--month", "2026-11"]],
                  [([BOOK, "--month", "2026-13"], "is not a month", 2),
                   (["{data}/not-a-workbook.xlsm"], "not an Excel workbook", 1)]),
    "shipping-costs": ([[BOOK, "{data}/bill-minimal.csv"]],
                       [([BOOK, "{data}/tracking-no-order.csv"], "tracking-no-order.csv", 1),
                        ([BOOK, "{data}/missing.csv"], "does not exist", 2)]),
    "settle": ([[BOOK, "{data}/payouts-minimal.csv"]],
               [([BOOK, "{data}/not-orders.csv"], "not-orders.csv", 1),
                ([BOOK, "{data}/empty.csv"], "empty.csv", 1),
                ([BOOK, "{data}/missing.csv"], "does not exist", 2)]),
    "receive": ([[BOOK, "PO-261121-01", "--sku", "B002", "--qty", "1"]],
                [([BOOK, "PO-404"], "there is no PO PO-404", 1),
                 ([BOOK, "PO-261121-01", "--qty", "0"], "0 is not in the range", 2),
                 ([BOOK, "PO-261121-01", "--qty", "many"], "'many' is not a valid integer", 2)]),
    "reorders": ([[BOOK]], [(["{dir}"], "is a directory", 2)]),
    "send-po": ([[BOOK, "PO-261121-01", "--dry-run"], [BOOK, "PO-261121-02", "--no-email"]],
                [([BOOK, "PO-404"], "there is no PO-404 in PurchaseOrders", 1)]),
    "count-list": ([[BOOK], [BOOK, "--all", "--out", "{dir}/all.xlsx"]],
                   [([BOOK, "--out", "{dir}"], "is a directory", 2)]),
    "count": ([[BOOK, "{data}/count-minimal.csv"]],
              [([BOOK, "{data}/not-orders.csv"], "needs a SKU column and a Counted column", 1),
               ([BOOK, "{data}/empty.csv"], "empty.csv", 1),
               ([BOOK, "{data}/missing.csv"], "does not exist", 2)]),
    "report": ([[BOOK, "--weekly", "--out", "{dir}/report.xlsx"],
                [BOOK, "--monthly", "--out", "{dir}/month.xlsx"]],
               [([BOOK], "give --weekly or --monthly", 2)]),
    "returns": ([[BOOK]], [(["{data}/not-a-workbook.xlsm"], "not an Excel workbook", 1)]),
    "review": ([[BOOK, "--week"], [BOOK, "--month"], [BOOK, "--month", "2026-09"]],
               [([BOOK], "give --week or --month", 2),
                ([BOOK, "--month", "2026-00"], "is not a month", 2),
                ([BOOK, "--week", "--visitors", "-5"], "-5 is not in the range", 2)]),
    "schedule": ([[BOOK, "--install", "--platform", "linux", "--to", "{dir}/units"]],
                 [([BOOK, "--install", "--platform", "amiga"], "'amiga' is not one of", 2)]),
    "ship": ([[BOOK, "{data}/tracking-minimal.csv"]],
             [([BOOK, "{data}/tracking-no-order.csv"], "Order ID", 1)]),
    "stock-export": ([[BOOK, "--channel", "shopify", "--out", "{dir}/stock.csv"]],
                     [([BOOK, "--channel", "douyin"], "'douyin' is not one of", 2)]),
    "update-stock": ([[BOOK]], [(["{dir}/missing.xlsm"], "missing.xlsm", 1)]),
    "upgrade": ([["{dir}/copy.xlsm"]], [(["{data}/old.xls"], "save it as an Excel Workbook", 1)]),
    "validate": ([[BOOK], [BOOK, "--json"]],
                 [(["{data}/not-a-workbook.xlsm"], "not an Excel workbook", 1)]),
    "verify": ([[BOOK]], [(["{data}/empty.csv"], "empty.csv", 1)]),
}
TAKES_TODAY = {"abc", "daily", "demo", "email", "import", "init", "listings", "messages",
               "pick-list", "promotions", "receive", "reorders", "report", "returns", "review",
               "ship", "stock-export", "update-stock", "verify", "validate", "build-workbook",
               "send-po", "count-list", "count"}


def test_every_command_has_its_cases():
    assert set(cli.commands) == set(CASES)


@pytest.fixture
def place(demo_shop, tmp_path) -> dict[str, str]:
    shop = tmp_path / "shop"
    shutil.copytree(demo_shop, shop)
    data = tmp_path / "data"
    data.mkdir()
    for name, text in FILES.items():
        (data / name).write_bytes(text.encode("latin-1" if name.endswith(".xls") else "utf-8"))
    scratch = tmp_path / "scratch"
    (scratch / "taken").mkdir(parents=True)
    (scratch / "taken" / "ShopOps.xlsm").write_bytes(b"mine")
    shutil.copy(shop / "ShopOps.xlsm", scratch / "copy.xlsm")
    return {"book": str(shop / "ShopOps.xlsm"), "dir": str(scratch), "data": str(data)}


def run(command: str, args: list[str], place: dict[str, str]):
    argv = [command, *(a.format(**place) for a in args)]
    if command in TAKES_TODAY and not any(a == "--install" for a in args):
        argv += TODAY
    return CliRunner().invoke(cli, argv, catch_exceptions=True)


def assert_no_traceback(result, argv) -> None:
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{argv}: {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output, argv


@pytest.mark.parametrize("command", sorted(CASES))
def test_good_runs_end_cleanly(command, place):
    for args in CASES[command][0]:
        if command == "email":  # a report to send: make it first
            assert run("report", [BOOK, "--weekly", "--out", "{dir}/report.xlsx"],
                       place).exit_code == 0
        result = run(command, args, place)
        assert_no_traceback(result, args)
        assert result.exit_code in (0, 1), (args, result.output)  # 1: problems said plainly
        if result.exit_code == 1:
            assert result.output.strip(), args


@pytest.mark.parametrize("command", sorted(CASES))
def test_bad_inputs_get_a_plain_message_and_change_nothing(command, place):
    book = Path(place["book"])
    for args, said, code in CASES[command][1]:
        before = book.read_bytes()
        result = run(command, args, place)
        assert_no_traceback(result, args)
        assert result.exit_code == code, (args, result.output)
        assert said in " ".join(result.output.split()), (args, result.output)
        if command != "init":
            assert book.read_bytes() == before, args
