"""Settlement files in their real layouts — Shopify Payments transactions, Alipay 账务明细 (GBK,
`#` lines around the table), WeChat Pay 交易账单 (backticks, totals lines), Xiaohongshu 结算明细 —
into the Settlements sheet: every movement once, the totals to the cent of the files' own,
a file given again adds nothing, a bad file is refused by file, row and column."""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.cli import cli
from tests.package_edits import without_sheet

DATA = Path(__file__).parent / "data"
TODAY = ["--today", "2026-11-21"]
# file → (movements, net per type in cents, the file's own total of net where it says one)
FILES = {
    "shopify_payment_transactions.csv": (5, {"sale": 23052, "refund": -5900,
                                             "adjustment": -13490}),
    "alipay_账务明细.csv": (6, {"sale": 29400, "refund": -5800, "fee": -374,
                             "commission": -890, "payout": -100000}),
    "wechat_pay_交易账单.csv": (3, {"sale": 25546, "refund": -5865}),
    "xiaohongshu_结算明细.csv": (10, {"sale": 27390, "refund": -8900, "fee": -111,
                               "commission": -1794}),
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("settle") / "Shop.xlsm"
    assert CliRunner().invoke(cli, ["init", str(path), *TODAY]).exit_code == 0
    return path


@pytest.fixture
def book(blank, tmp_path) -> Path:
    path = tmp_path / "Shop.xlsm"
    shutil.copy(blank, path)
    return path


def settle(book: Path, *files: Path):
    result = CliRunner().invoke(cli, ["settle", str(book), *map(str, files), *TODAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def cents(values) -> int:
    return sum(int(Decimal(str(v)) * 100) for v in values)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_format_settles_once_to_the_cent(book, name):
    count, by_type = FILES[name]
    first = settle(book, DATA / name)
    assert first.exit_code == 0, first.output
    assert f"{count} new movements, 0 already recorded" in first.output
    with FileBook.open(book) as fb:
        data = fb.read("Settlements")
    assert not data.problems
    rows = data.frame
    assert len(rows) == count and set(rows["source"]) == {name}
    got = {kind: cents(group["net"]) for kind, group in rows.groupby("type")}
    assert got == by_type
    assert (rows["net"].map(lambda v: int(Decimal(str(v)) * 100)) ==
            rows["gross"].map(lambda v: int(Decimal(str(v)) * 100)) +
            rows["fee"].map(lambda v: int(Decimal(str(v)) * 100))).all()
    before = book.read_bytes()
    again = settle(book, DATA / name)
    assert again.exit_code == 0 and f"0 new movements, {count} already recorded" in again.output
    assert book.read_bytes() == before  # nothing new: not even a Log line


def test_the_alipay_total_is_its_own_footer(book):
    """The file says 收入 294.00 and 支出 −1070.64: the movements add up to exactly that."""
    text = (DATA / "alipay_账务明细.csv").read_bytes().decode("gbk")
    income = Decimal(re.search(r"收入合计：\d+笔，共([-\d.]+)元", text).group(1))
    spent = Decimal(re.search(r"支出合计：\d+笔，共([-\d.]+)元", text).group(1))
    assert settle(book, DATA / "alipay_账务明细.csv").exit_code == 0
    with FileBook.open(book) as fb:
        rows = fb.read("Settlements").frame
    assert Decimal(cents(rows["net"])) / 100 == income + spent
    # the Taobao order number without Alipay's T200P prefix; fees keep the order they name
    assert rows.loc[rows["type"] == "sale", "order_id"].tolist() == ["3101234567890123",
                                                                      "3101234567890124"]
    assert set(rows.loc[rows["type"].isin(["fee", "commission"]), "order_id"]) == \
        {"3101234567890123"}


def test_the_wechat_totals_lines_are_not_movements(book):
    assert settle(book, DATA / "wechat_pay_交易账单.csv").exit_code == 0
    with FileBook.open(book) as fb:
        rows = fb.read("Settlements").frame
    # the bill's own totals: 应结订单总金额 257.00, 退款总金额 59.00, 手续费总金额 1.19
    sales, refunds = rows[rows["type"] == "sale"], rows[rows["type"] == "refund"]
    assert cents(sales["gross"]) == 25700 and cents(refunds["gross"]) == -5900
    assert cents(rows["fee"]) == -119  # 1.19 + 0.35 charged, 0.35 given back
    assert rows["order_id"].tolist() == ["WX20261119001", "WX20261120002", "WX20261120002"]


def test_overlapping_files_add_each_movement_once(book):
    all_files = [DATA / n for n in sorted(FILES)]
    assert settle(book, *all_files).exit_code == 0
    again = settle(book, *all_files, DATA / "shopify_payment_transactions.csv")
    assert "0 new movements, 24 already recorded" in again.output


BAD = {
    "net-wrong.csv": ("Transaction Date,Type,Order,Payout Status,Amount,Fee,Net,Currency\n"
                      "2026-11-20 10:00:00 +0800,charge,#1,paid,10.00,0.50,9.00,CNY\n",
                      "net-wrong.csv, row 2 (Net): got 9, expected Amount − Fee = 9.50"),
    "type-unknown.csv": ("Transaction Date,Type,Order,Payout Status,Amount,Fee,Net\n"
                         "2026-11-20 10:00:00 +0800,gift,#1,paid,10.00,0,10.00\n",
                         "type-unknown.csv, row 2 (Type): got 'gift', expected a Shopify "
                         "transaction type"),
    "time-wrong.csv": ("交易时间,微信订单号,商户订单号,交易状态,应结订单金额,手续费\n"
                       "`yesterday,`4200001,`WX1,`SUCCESS,`10.00,`0.06\n",
                       "time-wrong.csv, row 2 (交易时间): got 'yesterday', expected a date"),
    "amount-wrong.csv": ("订单号,结算时间,商品金额,佣金,结算金额\n"
                         "P1,2026-11-20 03:00:00,abc,0,10.00\n",
                         "amount-wrong.csv, row 2 (商品金额): got 'abc', expected an amount"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_refused_by_file_row_and_column(book, tmp_path, name):
    content, words = BAD[name]
    (tmp_path / name).write_text(content, encoding="utf-8")
    before = book.read_bytes()
    result = settle(book, DATA / "alipay_账务明细.csv", tmp_path / name)
    assert result.exit_code == 1 and words in result.output, result.output
    assert "nothing recorded" in result.output
    assert book.read_bytes() == before  # the good file beside it is not recorded either


def test_a_book_from_before_settlements_is_told_to_upgrade(book):
    without_sheet(book, "Settlements")
    before = book.read_bytes()
    result = settle(book, DATA / "wechat_pay_交易账单.csv")
    assert result.exit_code == 1
    assert "the workbook has no Settlements sheet; run `shopops upgrade Shop.xlsm`" in \
        result.output
    assert book.read_bytes() == before


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    import datetime as dt

    from shopsheet.demo import make_demo_shop

    folder = tmp_path_factory.mktemp("morning")
    make_demo_shop(folder, dt.date(2026, 11, 21))
    return folder


def test_the_morning_records_settlement_files_from_the_inbox(demo, tmp_path):
    shop = tmp_path / "shop"
    shutil.copytree(demo, shop)
    shutil.copy(DATA / "wechat_pay_交易账单.csv", shop / "inbox")
    exports = sorted(p.name for p in (shop / "inbox").iterdir() if p.is_file())
    result = CliRunner().invoke(cli, ["daily", str(shop / "ShopOps.xlsm"), *TODAY])
    assert result.exit_code == 0, result.output
    assert "settle: Settled wechat_pay_交易账单.csv (WeChat Pay 交易账单): 3 new movements" in \
        result.output
    with FileBook.open(shop / "ShopOps.xlsm") as fb:
        assert len(fb.read("Settlements").frame) == 3
        assert len(fb.read("Orders").frame) > 0
    assert not [p for p in (shop / "inbox").iterdir() if p.is_file()]  # all moved to done
    assert sorted(p.name for p in (shop / "inbox" / "done").iterdir()) == exports


def test_a_bad_settlement_file_stops_the_morning(demo, tmp_path):
    shop = tmp_path / "shop"
    shutil.copytree(demo, shop)
    content, _ = BAD["net-wrong.csv"]
    (shop / "inbox" / "payouts.csv").write_text(content, encoding="utf-8")
    before = (shop / "ShopOps.xlsm").read_bytes()
    result = CliRunner().invoke(cli, ["daily", str(shop / "ShopOps.xlsm"), *TODAY])
    assert result.exit_code == 1
    assert "Daily: nothing done — the settlement files stopped the morning" in result.output
    assert "payouts.csv, row 2 (Net)" in result.output
    assert (shop / "ShopOps.xlsm").read_bytes() == before
    assert (shop / "inbox" / "payouts.csv").exists()


ORDERS = ("Order ID,Line,Channel,Created,Paid,Status,Qty,SKU,Unit Price,Line Total,Shipping Fee\n"
          "WX20261119001,1,wechat,2026-11-19 20:10,2026-11-19 20:11,delivered,1,A001,198,198,0\n"
          "WX20261120002,1,wechat,2026-11-20 11:40,2026-11-20 11:40,refunded,1,A001,59,59,0\n"
          "WX20261101003,1,wechat,2026-11-01 09:00,2026-11-01 09:00,delivered,1,A001,30,30,0\n")


def test_reconcile_names_every_difference_and_balances_to_the_files(book, tmp_path):
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    run = CliRunner().invoke
    assert run(cli, ["import", str(book), str(tmp_path / "orders.csv"), *TODAY]).exit_code == 0
    assert settle(book, DATA / "wechat_pay_交易账单.csv",
                  DATA / "shopify_payment_transactions.csv").exit_code == 0
    result = run(cli, ["reconcile", str(book), "--month", "2026-11", *TODAY])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Reconciled 2026-11: 3 orders — 1 matched, 1 refunded, 1 not settled (¥-30.00), "
        "2 unknown order (¥178.90); fees ¥-23.57; settled net ¥233.43")
    with FileBook.open(book) as fb:
        sheet = fb.read("Reconciliation")
        settled = fb.read("Settlements").frame
    assert not sheet.problems
    rows = sheet.frame
    orders = rows[rows["section"] == "Orders"]
    assert orders[["order_id", "result"]].values.tolist()[:3] == [  # differences first
        ["WX20261101003", "not settled"], ["#1001", "unknown order"],
        ["#1002", "unknown order"]]
    totals = rows[(rows["section"] == "Settled") & (rows["result"] == "net")]
    assert cents(totals["settled"]) == cents(settled["net"]) == 23343  # the files' own total
    before = book.read_bytes()
    again = run(cli, ["reconcile", str(book), "--month", "2026-11", *TODAY])
    assert again.exit_code == 0 and book.read_bytes() == before  # nothing new to say


def test_the_demo_month_reconciles_to_the_files_with_two_differences_explained(demo, tmp_path):
    shop = tmp_path / "shop"
    shutil.copytree(demo, shop)
    files = sorted((shop / "settlements").glob("*.csv"))
    assert len(files) == 4
    book = shop / "ShopOps.xlsm"
    assert settle(book, *files).exit_code == 0
    result = CliRunner().invoke(cli, ["reconcile", str(book), *TODAY])
    assert result.exit_code == 0, result.output
    with FileBook.open(book) as fb:
        rows = fb.read("Reconciliation").frame
        settled = fb.read("Settlements").frame
    found = rows[(rows["section"] == "Orders") & (rows["difference"] != 0)]
    assert sorted(found["result"]) == ["fee above rate", "refund not settled"]
    assert found["reason"].notna().all()
    # every file's own total, to the cent: Alipay's footer, WeChat's totals lines
    alipay = next(f for f in files if f.name.endswith("账务明细.csv"))
    text = alipay.read_bytes().decode("gbk")
    footer = sum(Decimal(m) for m in re.findall(r"合计：\d+笔，共([-\d.]+)元", text))
    assert Decimal(cents(settled.loc[settled["source"] == alipay.name, "net"])) / 100 == footer
    wechat = next(f for f in files if f.name.startswith("微信"))
    last = wechat.read_text(encoding="utf-8-sig").strip().splitlines()[-1].split(",")
    fees = settled.loc[settled["source"] == wechat.name, "fee"]
    assert Decimal(-cents(fees)) / 100 == Decimal(last[4].lstrip("`"))  # 手续费总金额
    totals = rows[(rows["section"] == "Settled") & (rows["result"] == "net")]
    assert cents(totals["settled"]) == cents(settled["net"])


def test_the_demo_months_profit_adds_up(demo, tmp_path):
    shop = tmp_path / "shop"
    shutil.copytree(demo, shop)
    book = shop / "ShopOps.xlsm"
    before = settle(book, *sorted((shop / "settlements").glob("*.csv")))
    assert before.exit_code == 0
    with FileBook.open(book) as fb:
        fb.append("Expenses", pd.DataFrame({"date": [pd.Timestamp("2026-11-10")],
                                            "category": ["packaging"], "amount": [320.0],
                                            "supplier": ["纸箱厂"]}))
        fb.save()
    written = book.read_bytes()
    result = CliRunner().invoke(cli, ["profit", str(book), "--month", "2026-11", *TODAY])
    assert result.exit_code == 0, result.output
    assert book.read_bytes() == written  # profit writes nothing
    amounts = dict(re.findall(r"! ([^:\n]+): ¥(-?[\d,]+\.\d\d)\n", result.output))
    value = {k: Decimal(v.replace(",", "")) for k, v in amounts.items()}
    assert value["− expenses"] == Decimal("320.00")
    assert value["= net profit"] == value["revenue"] - value["− refunds"] - \
        value["− platform fees and commission"] - value["− cost of goods (moving average)"] - \
        value["− fees naming no order"] - value["− expenses"]
    # the month's newest orders, not settled yet: their fees estimated, and said so
    assert re.search(r"! fees of \d+ orders estimated at 5% \(nothing settled", result.output)
    assert re.search(r"! [A-D]\d{3}: \d+ units, margin \d+% — (star|niche|volume|review)",
                     result.output)


def test_the_monthly_report_has_the_pnl_and_the_matrix_chart(demo, tmp_path):
    import python_calamine

    shop = tmp_path / "shop"
    shutil.copytree(demo, shop)
    book = shop / "ShopOps.xlsm"
    assert settle(book, *sorted((shop / "settlements").glob("*.csv"))).exit_code == 0
    said = CliRunner().invoke(cli, ["profit", str(book), "--month", "2026-11",
                                    "--today", "2026-12-03"])
    net = re.search(r"= net profit: ¥(-?[\d,]+\.\d\d)", said.output).group(1)
    out = tmp_path / "month.xlsx"
    made = CliRunner().invoke(cli, ["report", str(book), "--monthly", "--out", str(out),
                                    "--today", "2026-12-03"])
    assert made.exit_code == 0, made.output
    sheet = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("P&L")
    rows = sheet.to_python()
    lines = {r[0]: r[1] for r in rows[2:14] if r and isinstance(r[0], str)}
    assert f"{lines['Net profit']:,.2f}" == net  # the command and the report agree
    assert rows[0][0] == "Profit and loss — 2026-11"
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/")]
        assert any(b"<c:scatterChart>" in zf.read(n) for n in charts)
    reviewed = CliRunner().invoke(cli, ["review", str(book), "--month", "2026-11",
                                         "--today", "2026-12-03"])
    assert reviewed.exit_code == 0, reviewed.output
    with FileBook.open(book) as fb:
        board = fb.read("Dashboard").frame
    row = board[(board["section"] == "Month 2026-11") & (board["metric"] == "Net profit (¥)")]
    assert f"{float(row['value'].iloc[0]):,.2f}" == net  # the Dashboard's month says it too


def test_a_carrier_bill_puts_each_cost_on_its_order(demo, tmp_path):
    shop = tmp_path / "shop"
    shutil.copytree(demo, shop)
    book = shop / "ShopOps.xlsm"
    with FileBook.open(book) as fb:
        orders = fb.read("Orders").frame
    sent = orders[orders["tracking_no"].notna() & (orders["paid"] >= pd.Timestamp("2026-11-01"))]
    first, second = sent.drop_duplicates("tracking_no").head(2).itertuples()
    bill = tmp_path / "sf-bill.csv"
    bill.write_text("运单号,寄件日期,快递公司,运费\n"
                    f"{first.tracking_no},2026-11-05,顺丰,12.00\n"
                    f"{second.tracking_no},2026-11-06,顺丰,8.50\n"
                    "SF999999999,2026-11-07,顺丰,6.00\n", encoding="utf-8")
    run = CliRunner().invoke
    done = run(cli, ["shipping-costs", str(book), str(bill), *TODAY])
    assert done.exit_code == 0, done.output
    assert "Shipping costs from sf-bill.csv: 3 new, 0 already recorded, ¥26.50" in done.output
    assert "1 tracking number on no order (recorded, not linked): SF999999999" in done.output
    with FileBook.open(book) as fb:
        spent = fb.read("Expenses").frame
    assert dict(zip(spent["tracking_no"], [None if pd.isna(o) else o
                                           for o in spent["order_id"]])) == {
        first.tracking_no: first.order_id, second.tracking_no: second.order_id,
        "SF999999999": None}
    before = book.read_bytes()
    again = run(cli, ["shipping-costs", str(book), str(bill), *TODAY])
    assert "0 new, 3 already recorded" in again.output and book.read_bytes() == before
    profit = run(cli, ["profit", str(book), "--month", "2026-11", *TODAY])
    assert "! − shipping billed per order: ¥20.50" in profit.output  # the linked two
    assert "! − expenses: ¥6.00" in profit.output  # the unlinked one, as the month's
