"""ShopOps.xlsm and its ribbon: a valid macro-enabled package, VBA that reads back identical,
a ribbon that validates and resolves, and macros that write what the CLI writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlwings as xw
from click.testing import CliRunner
from lxml import etree

import macros
from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.book.write.package import NS_MAIN, Package
from shopsheet.book.write.sheetxml import col_letter
from shopsheet.book.write.tables import read_table
from shopsheet.cli import cli
from shopsheet.core.language import CHINESE, speaking
from shopsheet.demo import make_demo_shop
from shopsheet.excel import vba
from shopsheet.excel.build import (RIBBON_PART, build_workbook, code_name, sheet_names,
                                   xlwings_classes, xlwings_modules)
from shopsheet.excel.check import differences, vba_modules
from shopsheet.excel.face import ribbon_said
from tests import remote
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "workbook"
DATA = Path(__file__).parent / "data"
CUI = {"c": "http://schemas.microsoft.com/office/2009/07/customui"}
NOW = dt.datetime(2026, 11, 21, 8, 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsm") / "ShopOps.xlsm"
    build_workbook(SOURCES, path, TODAY)
    return path


def test_a_valid_macro_enabled_package(built):
    zf = zipfile.ZipFile(built)
    types = etree.fromstring(zf.read("[Content_Types].xml"))
    overrides = {e.get("PartName"): e.get("ContentType") for e in types if e.get("PartName")}
    defaults = {e.get("Extension"): e.get("ContentType") for e in types if e.get("Extension")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
    assert defaults["xml"] == "application/xml"  # covers customUI/customUI14.xml
    wb_rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    assert 'relationships/vbaProject" Target="vbaProject.bin"' in wb_rels
    rels = etree.fromstring(zf.read("_rels/.rels"))
    ribbon = [r for r in rels if r.get("Target") == RIBBON_PART]
    assert ribbon and ribbon[0].get("Type").endswith("/ui/extensibility")
    assert RIBBON_PART in zf.namelist()
    workbook = etree.fromstring(zf.read("xl/workbook.xml"))
    assert workbook.find(f"{{{NS_MAIN}}}workbookPr").get("codeName") == "ThisWorkbook"
    pkg = Package(built.read_bytes(), built.name)
    assert list(pkg.sheets) == sheet_names()
    modules = set(vba_modules(built))
    for name in sheet_names():
        sheet_pr = etree.fromstring(pkg.read(pkg.sheet(name).part)).find(f"{{{NS_MAIN}}}sheetPr")
        assert sheet_pr.get("codeName") == code_name(name) and code_name(name) in modules


def test_oletools_reads_every_module_back_identical(built):
    got = vba_modules(built)
    want = {**xlwings_modules(), **xlwings_classes(),
            "ShopOps": (SOURCES / "ShopOps.bas").read_text(encoding="cp1252")}
    for name, code in want.items():
        assert got[name] == code.replace("\r\n", "\n").rstrip("\n"), name
    assert len(want["xlwings"]) > 40_000  # long enough to hit the compression bug


def test_without_the_compression_fix_long_modules_garble(tmp_path, monkeypatch):
    monkeypatch.setattr(vba, "fixed_compression", contextlib.nullcontext)
    broken = tmp_path / "broken.xlsm"
    build_workbook(SOURCES, broken, TODAY)
    assert vba_modules(broken)["xlwings"] != xlwings_modules()["xlwings"].rstrip("\n")


def test_ribbon_validates_against_the_ribbon_schema():
    schema = etree.XMLSchema(etree.parse(str(DATA / "customui14-ribbon.xsd")))
    ribbon = etree.parse(str(SOURCES / "customUI14.xml"))
    assert schema.validate(ribbon), schema.error_log
    broken = etree.fromstring((SOURCES / "customUI14.xml").read_bytes().replace(
        b'size="large"', b'size="huge"', 1))
    assert not schema.validate(broken)  # the schema does check
    chinese = etree.fromstring(ribbon_said((SOURCES / "customUI14.xml").read_bytes(), True))
    assert schema.validate(chinese), schema.error_log  # the Chinese ribbon is as valid


def test_every_action_is_a_vba_procedure_and_every_tag_a_macro():
    ribbon = etree.parse(str(SOURCES / "customUI14.xml"))
    buttons = ribbon.findall(".//c:button", CUI)
    code = (SOURCES / "ShopOps.bas").read_text(encoding="cp1252")
    callbacks = set(re.findall(r"Public Sub (\w+)\(control As IRibbonControl\)", code))
    assert {b.get("onAction") for b in buttons} == callbacks == {"ShopOps_Button"}
    tags = [b.get("tag") for b in buttons]
    assert set(tags) == set(macros.BUTTONS) and len(tags) == len(set(tags)) == 19
    for b in buttons:
        assert b.get("imageMso") and b.get("screentip") and b.get("supertip")
    groups = [g.get("label") for g in ribbon.findall(".//c:group", CUI)]
    assert groups == ["Daily", "Channels", "Weekly", "Monthly", "Check"]
    # a Chinese workbook's ribbon: every label and tip said in Chinese, the same buttons
    chinese = etree.fromstring(ribbon_said((SOURCES / "customUI14.xml").read_bytes(), True))
    assert [b.get("tag") for b in chinese.findall(".//c:button", CUI)] == tags
    for element in chinese.iter(f"{{{CUI['c']}}}button", f"{{{CUI['c']}}}group"):
        for attribute in ("label", "screentip", "supertip"):
            if element.get(attribute):
                assert re.search(r"[\u4e00-\u9fff]", element.get(attribute)), element.get("id")
    assert [g.get("label") for g in chinese.findall(".//c:group", CUI)] == [
        "每日", "渠道", "每周", "每月", "检查"]


@pytest.mark.libreoffice
def test_libreoffice_opens_shopops_xlsm(built, libreoffice, tmp_path):
    sheets = libreoffice.sheets_as_csv(built, tmp_path / "csv")
    assert set(sheet_names()) <= set(sheets)
    assert sheets["Products"][1][1] == "A001"
    assert sheets["xlwings.conf"][0][0] == "Interpreter_Win"


def test_the_committed_workbook_is_current():
    assert differences(ROOT / "ShopOps.xlsm", SOURCES) == []


def test_build_check_reports_a_stale_workbook(built, tmp_path):
    sources = tmp_path / "workbook"
    shutil.copytree(SOURCES, sources)
    (sources / "ShopOps.bas").write_text((SOURCES / "ShopOps.bas").read_text() +
                                         "' changed\n", encoding="cp1252")
    result = CliRunner().invoke(cli, ["build-workbook", "--check", "--sources", str(sources),
                                      "--out", str(built)])
    assert result.exit_code == 1
    assert "VBA module ShopOps differs from its source" in result.output


# --- the macros, through xlwings' remote engine --------------------------------------------

@pytest.fixture
def licensed():
    """conftest.py set the remote engine's noncommercial key (tests only)."""
    assert os.environ.get("XLWINGS_LICENSE_KEY") == "noncommercial"


@pytest.fixture(scope="module")
def fresh_shop(tmp_path_factory) -> Path:
    """The demo shop before its daily run: last night's orders in the inbox, not imported."""
    folder = tmp_path_factory.mktemp("fresh")
    make_demo_shop(folder, TODAY)
    return folder


@pytest.fixture(scope="module")
def shop(fresh_shop, tmp_path_factory) -> Path:
    """The demo shop with last night's orders imported, nothing else done yet."""
    folder = tmp_path_factory.mktemp("shop")
    shutil.copytree(fresh_shop, folder, dirs_exist_ok=True)
    files = sorted((folder / "inbox").glob("*.*"))
    with FileBook.open(folder / "ShopOps.xlsm", keep_backups=0) as book:
        assert routines.import_orders(book, NOW, paths=files).ok
    return folder


@pytest.fixture(scope="module")
def verified_shop(shop, tmp_path_factory) -> Path:
    """…and verified, ready for stock, reorders and picking."""
    folder = tmp_path_factory.mktemp("verified")
    shutil.copytree(shop, folder, dirs_exist_ok=True)
    with FileBook.open(folder / "ShopOps.xlsm", keep_backups=0) as book:
        assert routines.verify(book, NOW).changed
    return folder


def cli_result(shop: Path, tmp_path: Path, run) -> Path:
    copy = tmp_path / "cli" / "ShopOps.xlsm"
    copy.parent.mkdir()
    shutil.copy(shop / "ShopOps.xlsm", copy)
    with FileBook.open(copy, keep_backups=0) as book:
        run(book)
    return copy


def via_macro(shop: Path, tag: str, *args):
    book = xw.Book(json=remote.payload(shop / "ShopOps.xlsm"))
    outcome = macros.run(tag, *args, book=book, now=NOW)
    return outcome, book.json()["actions"]


def normal(value):
    if value in ("", None):
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 6)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")[:19]
    if isinstance(value, dt.date):
        return f"{value.isoformat()} 00:00:00"
    return str(value)


def assert_same_cells(macro_grids, macro_ranges, cli_path: Path, sheets: list[str]):
    cli_grids = remote.grids(cli_path)
    for sheet in sheets:
        a = [[normal(v) for v in row] for row in macro_grids[sheet]]
        b = [[normal(v) for v in row] for row in cli_grids[sheet]]
        width = max(len(r) for r in a + b)
        a = [r + [""] * (width - len(r)) for r in a if any(v != "" for v in r)]
        b = [r + [""] * (width - len(r)) for r in b if any(v != "" for v in r)]
        assert a == b, sheet
    pkg = Package(cli_path.read_bytes(), cli_path.name)
    for sheet in sheets:
        for part in pkg.sheet(sheet).tables:
            t = read_table(part, pkg.read(part))
            want = f"{col_letter(t.first_col)}{t.first_row}:{col_letter(t.last_col)}{t.last_row}"
            assert macro_ranges[t.name] == want, t.name


STEPS = {
    "verify": (lambda book: routines.verify(book, NOW), ["Orders", "Log"]),
    "update_stock": (lambda book: routines.update_stock(book, NOW),
                     ["StockLedger", "Products", "Returns", "Log"]),
    "reorders": (lambda book: routines.reorders(book, NOW),
                 ["Products", "PurchaseOrders", "Log"]),
    "pick_list": (lambda book: routines.pick_list(book, NOW), ["PickList", "Log"]),
    "promotion_calendar": (lambda book: routines.promotions(book, NOW, month=dt.date(2026, 12, 1)),
                           ["Promotions", "Log"]),
    "abc_analysis": (lambda book: routines.abc(book, NOW), ["Products", "Log"]),
    "reconcile": (lambda book: routines.reconcile_month(book, NOW),
                  ["Reconciliation", "Log"]),
    "monthly_review": (lambda book: routines.review(book, NOW, month=True),
                       ["Dashboard", "Log"]),
}


@pytest.mark.parametrize("tag", list(STEPS))
def test_each_button_writes_what_the_cli_writes(shop, verified_shop, tmp_path, licensed, tag):
    run, sheets = STEPS[tag]
    shop = shop if tag == "verify" else verified_shop
    outcome, actions = via_macro(shop, tag)
    assert outcome.ok and outcome.changed, outcome.summary
    grids, ranges = remote.apply(shop / "ShopOps.xlsm", actions)
    assert_same_cells(grids, ranges, cli_result(shop, tmp_path, run), sheets)
    alerts = [a for a in actions if a["func"] == "alert"]
    assert alerts and alerts[-1]["args"][0].startswith(outcome.summary)


def test_the_daily_button_runs_the_whole_morning_like_the_cli(fresh_shop, tmp_path, licensed):
    shop = fresh_shop
    work = tmp_path / "macro"
    shutil.copytree(shop, work)
    book = xw.Book(json=remote.payload(work / "ShopOps.xlsm"))
    book.api["book"]["name"] = str(work / "ShopOps.xlsm")  # where the inbox is
    outcome = macros.run("daily", book=book, now=NOW)
    assert outcome.ok and "17 orders processed" in outcome.summary
    grids, ranges = remote.apply(work / "ShopOps.xlsm", book.json()["actions"])
    cli_copy = tmp_path / "cli-shop"
    shutil.copytree(shop, cli_copy)
    with FileBook.open(cli_copy / "ShopOps.xlsm", keep_backups=0) as fb:
        routines.daily(fb, NOW, folder=cli_copy)
    assert_same_cells(grids, ranges, cli_copy / "ShopOps.xlsm",
                      ["Orders", "StockLedger", "Products", "PurchaseOrders", "PickList",
                       "Dashboard", "Log"])


def test_the_daily_button_on_a_chinese_book(tmp_path, licensed):
    """A Chinese book through the ribbon: its sheets found by their Chinese titles, the
    morning said in Chinese in the message box, and the same cells as the command writes."""
    with speaking(CHINESE):
        make_demo_shop(tmp_path / "shop", TODAY)
    work = tmp_path / "macro"
    shutil.copytree(tmp_path / "shop", work)
    book = xw.Book(json=remote.payload(work / "ShopOps.xlsm"))
    book.api["book"]["name"] = str(work / "ShopOps.xlsm")
    outcome = macros.run("daily", book=book, now=NOW)
    assert outcome.ok and outcome.summary.startswith("每日清单：处理订单"), outcome.summary
    alert = book.json()["actions"][-1]
    assert alert["func"] == "alert" and alert["args"][0].startswith("每日清单：")
    grids, ranges = remote.apply(work / "ShopOps.xlsm", book.json()["actions"])
    cli_copy = tmp_path / "cli-shop"
    shutil.copytree(tmp_path / "shop", cli_copy)
    with FileBook.open(cli_copy / "ShopOps.xlsm", keep_backups=0) as fb, speaking(fb.language):
        routines.daily(fb, NOW, folder=cli_copy)
    assert_same_cells(grids, ranges, cli_copy / "ShopOps.xlsm",
                      ["订单", "库存流水", "商品", "采购单", "拣货单", "看板", "日志"])
    assert {row[5] for row in grids["拣货单"][1:] if row[5]} <= {"加急", "普通", "无法配齐"}


@pytest.mark.parametrize("step", ["update_stock", "pick_list"])
def test_the_daily_button_writes_nothing_when_a_step_stops(fresh_shop, tmp_path, licensed,
                                                           monkeypatch, step):
    """Through the ribbon the morning is all-or-nothing too: Excel gets no cell."""
    import importlib

    from shopsheet.core.problems import Problem

    daily_module = importlib.import_module("shopsheet.routines.daily")
    real = getattr(daily_module, step)

    def wrong(book, *args, **kwargs):
        done = real(book, *args, **kwargs)  # its writes are saved to the grids first
        done.problems.append(Problem("Products", "C7", "Current Stock", -3, "≥ 0"))
        return done

    monkeypatch.setattr(daily_module, step, wrong)
    work = tmp_path / "macro"
    shutil.copytree(fresh_shop, work)
    book = xw.Book(json=remote.payload(work / "ShopOps.xlsm"))
    book.api["book"]["name"] = str(work / "ShopOps.xlsm")
    outcome = macros.run("daily", book=book, now=NOW)
    assert not outcome.ok and "nothing done" in outcome.summary
    sheets = [s["name"] for s in remote.payload(work / "ShopOps.xlsm")["sheets"]]
    written = {sheets[a["sheet_position"]] for a in book.json()["actions"]
               if a["func"] in ("setValues", "resizeTable")}
    assert written == {"Problems"}  # the problems are shown; nothing of the morning is kept
    assert sorted(p.name for p in (work / "inbox").iterdir() if p.is_file()) == \
        sorted(p.name for p in (fresh_shop / "inbox").iterdir() if p.is_file())


def test_problems_go_to_the_problems_sheet_and_a_message(new_book, licensed):
    from tests.test_validation import break_cells

    break_cells(new_book)
    book = xw.Book(json=remote.payload(new_book))
    outcome = macros.run("validate", book=book, now=NOW)
    assert len(outcome.problems) == 13
    grids, _ = remote.apply(new_book, book.json()["actions"])
    problems = grids["Problems"]
    assert problems[1][6] == str(outcome.problems[0])
    assert len([r for r in problems[1:] if any(r)]) == 13
    actions = book.json()["actions"]
    assert [a["func"] for a in actions][-2:] == ["activateSheet", "alert"]
    assert actions[-1]["args"][3] == "critical"


def test_weekly_report_and_email_buttons(new_book, tmp_path, licensed):
    work = tmp_path / "book"
    work.mkdir()
    shutil.copy(new_book, work / "ShopOps.xlsm")
    book = xw.Book(json=remote.payload(work / "ShopOps.xlsm"))
    book.api["book"]["name"] = str(work / "ShopOps.xlsm")
    made = macros.run("weekly_report", book=book, now=NOW)
    assert made.ok and Path(made.figures["file"]).exists()
    book = xw.Book(json=remote.payload(work / "ShopOps.xlsm"))
    book.api["book"]["name"] = str(work / "ShopOps.xlsm")
    sent = macros.run("email_report", book=book, now=NOW)  # a new workbook has no recipients
    assert not sent.ok and "fill 'Report recipients' in Settings" in sent.summary
    alert = book.json()["actions"][-1]
    assert alert["func"] == "alert" and "Report recipients" in alert["args"][0]


def test_a_failing_routine_shows_a_message_not_a_traceback(new_book, licensed, tmp_path,
                                                            monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    book = xw.Book(json=remote.payload(new_book))
    macros.run("import_orders", str(tmp_path / "missing.csv"), book=book, now=NOW)
    alert = book.json()["actions"][-1]
    assert alert["func"] == "alert" and "Traceback" not in alert["args"][0]


def test_import_orders_button_with_the_chosen_files(new_book, tmp_path, licensed):
    files = [str(DATA / "taobao_订单报表.csv"), str(DATA / "taobao_宝贝报表.csv")]
    book = xw.Book(json=remote.payload(new_book))
    outcome = macros.run("import_orders", *files, book=book, now=NOW)
    assert outcome.ok and outcome.figures["new_lines"] == 6
    grids, ranges = remote.apply(new_book, book.json()["actions"])
    copy = tmp_path / "cli.xlsm"
    shutil.copy(new_book, copy)
    with FileBook.open(copy, keep_backups=0) as fb:
        routines.import_orders(fb, NOW, paths=[Path(f) for f in files])
    assert_same_cells(grids, ranges, copy, ["Orders", "Log"])


def test_the_channels_buttons_suggest_listings_and_write_stock_files(shop, tmp_path, licensed):
    work = tmp_path / "book"
    shutil.copytree(shop, work)
    book = xw.Book(json=remote.payload(work / "ShopOps.xlsm"))
    book.api["book"]["name"] = str(work / "ShopOps.xlsm")  # the stock files go beside it
    suggested = macros.run("suggest_listings", book=book, now=NOW)
    assert suggested.ok and suggested.figures["suggested"] == 1, suggested.summary
    grids, ranges = remote.apply(work / "ShopOps.xlsm", book.json()["actions"])
    cli = cli_result(shop, tmp_path, lambda fb: routines.listings(fb, NOW, suggest=True))
    assert_same_cells(grids, ranges, cli, ["Listings", "Log"])
    book = xw.Book(json=remote.payload(work / "ShopOps.xlsm"))
    book.api["book"]["name"] = str(work / "ShopOps.xlsm")
    told = macros.run("stock_export", book=book, now=NOW)
    assert told.ok, told.summary
    assert sorted(p.name for p in (work / "stock-export").iterdir()) == [
        "stock-shopify-20261121.csv", "stock-taobao-20261121.xlsx",
        "stock-xiaohongshu-20261121.xlsx"]
    alert = book.json()["actions"][-1]
    assert alert["func"] == "alert" and alert["args"][0].startswith("Stock files: taobao")


def test_the_settlements_button_records_the_files_it_is_given(shop, licensed):
    data = Path(__file__).parent / "data"
    outcome, actions = via_macro(shop, "settle", str(data / "alipay_账务明细.csv"))
    assert outcome.ok, outcome.summary
    assert outcome.summary.startswith("Settled alipay_账务明细.csv (Alipay 账务明细): 6 new")
    grids, _ = remote.apply(shop / "ShopOps.xlsm", actions)
    written = [row for row in grids["Settlements"][1:] if any(v not in ("", None) for v in row)]
    assert len(written) == 6


def test_the_profit_button_shows_the_months_pnl_and_writes_nothing(verified_shop, licensed):
    outcome, actions = via_macro(verified_shop, "profit")
    assert outcome.ok and outcome.summary.startswith("Profit 2026-11: ¥"), outcome.summary
    assert not [a for a in actions if a["func"] in ("setValues", "resizeTable")]
    alert = [a for a in actions if a["func"] == "alert"][-1]["args"][0]
    assert alert.startswith(outcome.summary) and "• revenue: ¥" in alert
