"""Promotions, ABC, the review and customer messages on the demo shop."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.cli import cli
from shopsheet.core.promotions import chinese_new_year, festival_sales

NOW = dt.datetime(2026, 11, 21, 8, 0)


@pytest.fixture
def shop(demo_shop, tmp_path) -> Path:
    shutil.copytree(demo_shop, tmp_path / "shop")
    return tmp_path / "shop" / "ShopOps.xlsm"


def read(path: Path, sheet: str) -> pd.DataFrame:
    with FileBook.open(path) as book:
        return book.read(sheet).frame


def test_chinese_new_year_comes_from_the_calendar_library():
    assert chinese_new_year(2026) == dt.date(2026, 2, 17)
    assert chinese_new_year(2027) == dt.date(2027, 2, 6)
    cny = {k: (s, e) for k, s, e in festival_sales(2027)}["CNY"]
    assert cny == (dt.date(2027, 1, 23), dt.date(2027, 1, 29))  # ends 8 days before CNY


def test_december_calendar_has_the_pattern_the_festival_and_checks(shop):
    # the demo planned next month already: a re-run keeps all six as they are
    with FileBook.open(shop) as book:
        result = routines.promotions(book, NOW, month=dt.date(2026, 12, 1))
    assert result.ok and result.figures == {"planned": 0, "kept": 6} and not result.changed
    promos = read(shop, "Promotions").set_index("plan_key")
    flash = promos.loc["2026-12:week1"]
    assert (flash["type"], flash["start"], flash["end"]) == ("flash sale", pd.Timestamp(
        "2026-12-04"), pd.Timestamp("2026-12-04"))  # the first Friday, 24 hours
    assert 0.20 <= flash["discount"] <= 0.30
    assert promos.loc["2026-12:week2", "type"] == "bundle"
    assert promos.loc["2026-12:week3", "threshold"] == 199
    assert promos.loc["2026-12:week4", "skus"] == "D009"  # the one product marked new
    assert promos.loc["2026-12:12.12", "start"] == pd.Timestamp("2026-12-12")
    teaser = promos.loc["2026-12:12.12-teaser"]
    assert (teaser["start"], teaser["end"]) == (pd.Timestamp("2026-12-09"),
                                                pd.Timestamp("2026-12-11"))
    assert promos["margin_after"].notna().all() and promos["checks"].notna().all()
    assert promos["stock_ok"].notna().all()
    # the flash sale's products are the three biggest earners of the last 90 days
    from shopsheet.core.abc import revenue

    earners = revenue(read(shop, "Orders"), NOW.date(), 90).sort_values(ascending=False)
    assert flash["skus"].split(", ") == list(earners.index[:3])


def test_january_brings_the_chinese_new_year_sale_and_its_teaser(shop):
    with FileBook.open(shop) as book:
        result = routines.promotions(book, NOW, month=dt.date(2027, 1, 1))
    assert result.figures["planned"] == 6
    promos = read(shop, "Promotions").set_index("plan_key")
    cny = promos.loc["2027-01:CNY"]
    assert (cny["start"], cny["end"]) == (pd.Timestamp("2027-01-23"), pd.Timestamp("2027-01-29"))
    assert promos.loc["2027-01:CNY-teaser", "start"] == pd.Timestamp("2027-01-20")
    assert promos.loc["2027-01:week1", "start"] == pd.Timestamp("2027-01-01")  # a Friday


def test_rerunning_changes_nothing_and_edits_are_kept(shop):
    with FileBook.open(shop) as book:
        routines.promotions(book, NOW, month=dt.date(2026, 12, 1))
    with FileBook.open(shop) as book:
        promos = book.read("Promotions").frame
        row = promos.index[promos["plan_key"] == "2026-12:week1"][0]
        book.patch("Promotions", pd.DataFrame({"discount": [0.5], "status": ["edited"]},
                                              index=[row]))
        book.save()
    before = shop.read_bytes()
    with FileBook.open(shop) as book:
        again = routines.promotions(book, NOW, month=dt.date(2026, 12, 1))
    edited = read(shop, "Promotions").loc[row]
    assert edited["discount"] == 0.5 and edited["status"] == "edited"  # never overwritten
    # …but its margin check follows the user's deeper discount
    assert "below the 20% floor" in edited["checks"] and again.changed
    with FileBook.open(shop) as book:
        third = routines.promotions(book, NOW, month=dt.date(2026, 12, 1))
    assert not third.changed and third.figures == {"planned": 0, "kept": 6}
    assert shop.read_bytes() != before


def test_a_short_sku_is_flagged_and_feeds_the_reorder_buffer(shop):
    with FileBook.open(shop) as book:
        routines.promotions(book, NOW, month=dt.date(2026, 12, 1))
        promos = book.read("Promotions").frame
        row = promos.index[promos["plan_key"] == "2026-12:12.12"][0]
        book.patch("Promotions", pd.DataFrame({"uplift": [40.0], "start": [
            pd.Timestamp("2026-11-25")]}, index=[row]))
        book.save()
        result = routines.promotions(book, NOW, month=dt.date(2026, 12, 1))
    promo = read(shop, "Promotions").loc[row]
    assert promo["stock_ok"] == False and "short:" in promo["checks"]  # noqa: E712
    assert any("short:" in a for a in result.alerts)
    from shopsheet.core.reorder import promotion_buffer

    products = read(shop, "Products").set_index("sku")
    sku = promo["skus"].split(", ")[0]
    buffer = promotion_buffer(read(shop, "Promotions"), products.index,
                              products["avg_daily_sales"], products["lead_time"].astype(float),
                              NOW.date())
    assert buffer[sku] > 0


def test_abc_writes_classes_and_review_frequency(shop):
    with FileBook.open(shop) as book:
        result = routines.abc(book, NOW)
    assert result.summary.startswith("ABC over 90 days: A ")
    products = read(shop, "Products")
    assert set(products["abc"]) == {"A", "B", "C"}
    assert (products.loc[products["abc"] == "A", "review"] == "weekly").all()
    assert (products.loc[products["abc"] == "C", "review"] == "quarterly").all()
    with FileBook.open(shop) as book:
        assert not routines.abc(book, NOW).changed


def test_review_writes_the_dashboard_with_kpis_and_why_prompts(shop):
    with FileBook.open(shop) as book:
        result = routines.review(book, NOW, month=False, visitors=4000)
    assert result.summary.startswith("Review week of 2026-11-09:")
    board = read(shop, "Dashboard").set_index("metric")
    assert board.loc["Period", "value"] == "week of 2026-11-09"
    orders = read(shop, "Orders")
    week = orders[(orders["created"] >= "2026-11-09") & (orders["created"] < "2026-11-16")
                  & orders["status"].isin(["paid", "shipped", "delivered", "refunded"])]
    assert board.loc["Orders", "value"] == week["order_id"].nunique()
    assert board.loc["GMV (¥)", "value"] == pytest.approx(week["line_total"].sum(), abs=0.01)
    assert board.loc["Conversion (%)", "value"] == pytest.approx(
        week["order_id"].nunique() / 4000 * 100, abs=0.01)
    tops = board.loc[["Top seller"]]
    assert len(tops) == 3 and all("why?" in n for n in tops["note"])
    assert len(board.loc[["Bottom seller"]]) == 3


def test_messages_are_filled_with_real_order_data(shop):
    result = CliRunner().invoke(cli, ["messages", str(shop), "--kind", "shipping",
                                      "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    text = (shop.parent / "messages" / "shipping-2026-11-21.txt").read_text(encoding="utf-8")
    orders = read(shop, "Orders")
    sent = orders[(orders["shipped"] >= "2026-11-20 08:00") & (orders["shipped"] <= NOW)]
    assert result.output.startswith(f"{sent['order_id'].nunique()} shipping messages ready")
    first = sent.iloc[0]
    assert f"订单 {first['order_id']} 已发货" in text or f"order {first['order_id']}" in text
    assert first["tracking_no"] in text and first["customer"] in text
    assert "${" not in text


def test_shop_templates_beside_the_workbook_win(shop):
    own = shop.parent / "templates" / "messages"
    own.mkdir(parents=True)
    (own / "follow-up.zh.txt").write_text("${customer}，${order_id} 好用吗？${typo}", "utf-8")
    (own / "follow-up.en.txt").write_text("Hi ${customer}!", "utf-8")
    with FileBook.open(shop) as book:
        result = routines.messages(book, NOW, kind="follow-up", folder=shop.parent)
    text = Path(result.figures["file"]).read_text(encoding="utf-8")
    assert "好用吗？${typo}" in text  # a misspelled placeholder stays as written


@pytest.mark.parametrize("month,said", [
    ("2026-13", "'2026-13' is not a month: give it as YYYY-MM, e.g. 2026-12"),
    ("december", "'december' is not a month"),
    ("2099-02", "2099-02 is 866 months from today: ShopOps plans promotions up to 24 months"),
])
def test_promotions_takes_a_real_month_only(new_book, month, said):
    from click.testing import CliRunner

    from shopsheet.cli import cli

    before = new_book.read_bytes()
    result = CliRunner().invoke(cli, ["promotions", str(new_book), "--month", month,
                                      "--today", "2026-12-03"])
    assert result.exit_code == 2 and said in " ".join(result.output.split())
    assert "Traceback" not in result.output and new_book.read_bytes() == before


@pytest.mark.parametrize("args,said", [
    (["review"], "give --week or --month"),
    (["review", "--week", "--month"], "give --week or --month, not both"),
    (["report", "--weekly", "--monthly"], "give --weekly or --monthly, not both"),
])
def test_the_period_is_said_once_never_guessed(new_book, args, said):
    from click.testing import CliRunner

    from shopsheet.cli import cli

    before = new_book.read_bytes()
    result = CliRunner().invoke(cli, [args[0], str(new_book), *args[1:], "--today",
                                      "2026-12-03"])
    assert result.exit_code == 2 and said in result.output and "Traceback" not in result.output
    assert new_book.read_bytes() == before
    ok = CliRunner().invoke(cli, ["review", str(new_book), "--month", "--today", "2026-12-03"])
    assert ok.exit_code == 0, ok.output


def test_review_takes_a_given_month(shop):
    result = CliRunner().invoke(cli, ["review", str(shop), "--month", "2026-10",
                                      "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Review 2026-10:")
    board = read(shop, "Dashboard")
    board = board[board["section"] == "Month 2026-10"].set_index("metric")
    assert board.loc["Period", "value"] == "2026-10"
    orders = read(shop, "Orders")
    october = orders[(orders["created"] >= "2026-10-01") & (orders["created"] < "2026-11-01")
                     & orders["status"].isin(["paid", "shipped", "delivered", "refunded"])]
    assert board.loc["Orders", "value"] == october["order_id"].nunique() > 0
    # `--month` alone, before the workbook, is still the last full month
    last = CliRunner().invoke(cli, ["review", "--month", str(shop), "--today", "2026-11-21"])
    assert last.exit_code == 0 and last.output.startswith("Review 2026-10:"), last.output
    before = shop.read_bytes()
    ahead = CliRunner().invoke(cli, ["review", str(shop), "--month", "2026-12",
                                     "--today", "2026-11-21"])
    assert ahead.exit_code == 2 and "2026-12 has not begun yet" in ahead.output
    assert shop.read_bytes() == before


def test_next_years_1111_is_planned_at_the_uplift_this_ones_had(shop):
    with FileBook.open(shop) as book:
        routines.promotions(book, NOW, month=dt.date(2027, 11, 1))
    promos = read(shop, "Promotions").set_index("plan_key")
    orders = read(shop, "Orders")
    festival = promos.loc["2027-11:11.11"]
    assert "measured last year" in festival["note"]
    assert festival["uplift"] != 3.0  # not the calendar's guess
    # by hand, for one of its SKUs: 11.11's units against the 28 days before its teaser
    from shopsheet.core.seasons import measured_uplift

    sku = festival["skus"].split(", ")[0]
    paid = orders[orders["status"].isin(["paid", "shipped", "delivered", "refunded"])
                  & (orders["sku"] == sku)]
    day = paid[paid["created"].dt.normalize() == pd.Timestamp("2026-11-11")]["qty"].sum()
    base = paid[(paid["created"] >= pd.Timestamp("2026-10-11"))
                & (paid["created"] < pd.Timestamp("2026-11-08"))]["qty"].sum()
    mine = measured_uplift(orders, pd.Index([sku]), pd.Timestamp("2026-11-11"),
                           pd.Timestamp("2026-11-11"), lead_in=3)[sku]
    if base >= 5:
        assert mine == pytest.approx(max(day / (base / 28) - 1, 0))
    assert festival["uplift"] >= 0
