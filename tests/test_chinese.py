"""ShopOps in Chinese: a Chinese workbook from `init` and the demo, the morning run on a Chinese
book, an English one and one switched half way, with the same figures; problems and the
command's words in Chinese."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
import python_calamine
from click.testing import CliRunner
from lxml import etree

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.book.write.package import Package
from shopsheet.cli import cli
from shopsheet.core.language import CHINESE, ENGLISH, speaking
from shopsheet.demo import make_demo_shop
from shopsheet.sheetnames import CHINESE_TITLES, sheet_named
from shopsheet.sheets import SHEETS
from tests.package_edits import without_sheet

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 8, 0)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def test_every_sheet_has_its_chinese_title_once():
    assert list(CHINESE_TITLES) == list(SHEETS)
    assert len(set(CHINESE_TITLES.values())) == len(CHINESE_TITLES)
    assert [sheet_named(t) for t in ("订单", " ORDERS ", "商品对应", "My own")] == [
        "Orders", "Orders", "Listings", None]


def test_init_in_chinese_makes_a_chinese_workbook(tmp_path):
    path = tmp_path / "店铺.xlsm"
    result = CliRunner().invoke(cli, ["init", str(path), "--lang", "zh-CN",
                                      "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("已创建 店铺.xlsm：18 张工作表，3 个示例商品，默认设置，"
                                     "以及 ShopOps 功能区选项卡")
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert book.sheet_names[:len(SHEETS)] == [s.zh for s in SHEETS.values()]
    products = book.get_sheet_by_name("商品").to_python()
    assert products[0][:4] == ["商品名称", "商品编码", "当前库存", "库存预警"]
    assert products[1][:2] == ["玫瑰补水面膜（10片装）", "A001"]
    settings = {row[0]: row[1:] for row in book.get_sheet_by_name("设置").to_python()}
    assert settings["语言"][0] == "zh-CN"
    assert settings["店铺名称"][1] == "显示在报表、装箱单和邮件上。"
    ledger = book.get_sheet_by_name("库存流水").to_python()
    assert ledger[1][3] == "期初" and ledger[1][5] == "期初盘点数量"
    # the drop-downs offer the Chinese words
    sheet = etree.fromstring(zipfile.ZipFile(path).read("xl/worksheets/sheet4.xml"))  # 订单
    lists = [v.findtext("m:formula1", namespaces=NS) for v in sheet.iterfind(
        ".//m:dataValidation", NS) if v.get("type") == "list"]
    assert '"待付款,已付款,已发货,已签收,已取消,已退款"' in lists
    assert '"小红书,淘宝,天猫,Shopify,微信,其他"' in lists
    # and the book says so: the commands speak Chinese on it
    checked = CliRunner().invoke(cli, ["validate", str(path), "--today", "2026-11-21"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "校验：全部 18 张工作表均无问题（已检查 33 行）" or \
        checked.output.startswith("校验：全部 18 张工作表均无问题")


def test_the_command_speaks_the_system_language_without_a_book():
    """No workbook to ask: SHOPOPS_LANG (else the locale) — the help, and click's own words."""
    def run(*args: str, lang: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "shopsheet", *args], capture_output=True,
                              text=True, env={**os.environ, "SHOPOPS_LANG": lang})

    missing = run("daily", lang="zh-CN")
    assert missing.returncode == 2 and "错误：缺少参数 'BOOK'" in missing.stderr
    helped = run("init", "--help", lang="zh-CN")
    assert "新建工作簿" in helped.stdout and "显示此帮助并退出" in helped.stdout
    assert "Create a new workbook" in run("init", "--help", lang="en").stdout
    assert "Error: Missing argument 'BOOK'" in run("daily", lang="en").stderr


def test_upgrade_keeps_a_chinese_book_chinese(tmp_path):
    """A Chinese .xlsx made before Listings existed: `upgrade` adds 商品对应 with Chinese
    headers and drop-downs, and a ribbon in Chinese; it says so in Chinese."""
    book = tmp_path / "店铺.xlsx"
    with speaking(CHINESE):
        routines.init_workbook(book, TODAY)
    without_sheet(book, "商品对应")
    result = CliRunner().invoke(cli, ["upgrade", str(book)], env={"SHOPOPS_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("已在 店铺.xlsx 旁生成 店铺.xlsm（原文件未改动）：商品对应 工作表")
    made = tmp_path / "店铺.xlsm"
    listings = python_calamine.CalamineWorkbook.from_path(str(made)).get_sheet_by_name("商品对应")
    assert listings.to_python()[0][:4] == ["渠道", "商品ID", "平台商家编码", "标题"]
    package = zipfile.ZipFile(made)
    ribbon = etree.fromstring(package.read("customUI/customUI14.xml"))
    labels = [b.get("label") for b in ribbon.iter("{*}button")]
    assert labels[:3] == ["导入订单", "核验", "更新库存"]
    added = Package(made.read_bytes(), made.name).sheets["Listings"]
    assert added.name == "商品对应"  # the sheet the book now lists, a new part
    assert "已确认,待确认".encode() in package.read(added.part)  # Chinese drop-down words
    with FileBook.open(made) as fb, speaking(fb.language):
        assert fb.language == CHINESE and routines.validate(fb, NOW).ok


def test_a_settings_problem_is_worded_in_the_books_language_whatever_the_system_speaks(tmp_path):
    path = tmp_path / "店铺.xlsx"
    with speaking(CHINESE):
        routines.init_workbook(path, TODAY)
    with FileBook.open(path) as book:
        settings = book.read("Settings").frame
        row = settings.index[settings["key"] == "服务水平"][0]
        book.patch("Settings", pd.DataFrame({"key": ["币种"], "value": ["很高"]}, index=[row]))
        book.save()
    result = CliRunner().invoke(cli, ["validate", str(path)], env={"SHOPOPS_LANG": "en"})
    assert result.exit_code == 1
    said = result.output.splitlines()
    assert any("只能出现一次" in line and line.startswith("设置!A") for line in said), said


def test_an_old_books_zh_keeps_its_headers_language_and_en_or_zh_cn_switch_it():
    from shopsheet.settings import Settings

    assert Settings({"language": "zh"}).book_language() is None  # the old default
    assert Settings({"language": "zh-CN"}).book_language() == CHINESE
    assert Settings({"language": "en"}).book_language() == ENGLISH
    assert Settings({}).book_language() is None


def test_a_problem_is_named_in_chinese(tmp_path):
    path = tmp_path / "店铺.xlsx"
    with speaking(CHINESE):
        routines.init_workbook(path, TODAY)
    with FileBook.open(path) as book:
        row = book.read("Products").frame.index[0]
        book.patch("Products", pd.DataFrame({"low_stock_alert": [-3]}, index=[row]))
        book.save()
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "商品!D2（库存预警）：读到 -3，应为 ≥ 0 的整数" in result.output.splitlines()
    assert result.output.splitlines()[-1] == "校验：发现 1 个问题"


def _morning(folder, language, switch_to=None):
    """The demo shop made in `language`, its Language then set to `switch_to` (if given), and
    the morning run on it: the figures, and the frames as ShopOps reads them."""
    with speaking(language):
        path, _lines = make_demo_shop(folder, TODAY)
    with FileBook.open(path) as book:
        if switch_to:
            settings = book.read("Settings").frame
            row = settings.index[settings["key"].isin(["Language", "语言"])][0]
            book.patch("Settings", pd.DataFrame({"value": [switch_to]}, index=[row]))
            book.save()
        with speaking(book.language):
            result = routines.daily(book, NOW, folder=path.parent)
        assert result.ok, result.summary
        frames = {name: book.read(name).frame for name in ("Orders", "StockLedger", "Products",
                                                           "PurchaseOrders", "PickList")}
    figures = [(s.routine, s.figures) for s in result.steps]
    return path, result, figures, frames


def _same(a: pd.DataFrame, b: pd.DataFrame, drop=(), by=None) -> None:
    a, b = a.drop(columns=list(drop)), b.drop(columns=list(drop))
    if by:  # the same rows, in an order that follows names (drafts by supplier name)
        a, b = a.sort_values(by, kind="stable"), b.sort_values(by, kind="stable")
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_dtype=False)


def test_the_morning_gives_the_same_figures_in_either_language_and_after_a_switch(tmp_path):
    en_path, en, en_figures, en_frames = _morning(tmp_path / "en", ENGLISH)
    zh_path, zh, zh_figures, zh_frames = _morning(tmp_path / "zh", CHINESE)
    sw_path, sw, sw_figures, sw_frames = _morning(tmp_path / "switched", ENGLISH, "zh-CN")

    assert en.summary.startswith("Daily checklist: 21 orders processed")
    assert zh.summary.startswith("每日清单：处理订单 21 个")
    assert sw.summary == zh.summary  # the English book now speaks Chinese
    for figures in (zh_figures, sw_figures):
        assert [(r, {k: v for k, v in f.items() if k != "slips"}) for r, f in figures] == \
            [(r, {k: v for k, v in f.items() if k != "slips"}) for r, f in en_figures]
    # the same orders, stock, reorders and pick list, word for word as ShopOps reads them
    # (the shop's own names — products, suppliers, carriers — are Chinese in the Chinese demo,
    # and the notes ShopOps writes are in the book's language)
    names = {"Orders": ("flags", "product", "carrier"), "StockLedger": ("note",),
             "Products": ("product", "supplier"),
             "PurchaseOrders": ("supplier", "po_no", "note")}  # drafts numbered by supplier name
    for name in ("Orders", "StockLedger", "Products", "PurchaseOrders"):
        by = ["sku", "ordered", "qty"] if name == "PurchaseOrders" else None
        _same(zh_frames[name], en_frames[name], names.get(name, ()), by)
        _same(sw_frames[name], en_frames[name], names.get(name, ()), by)
    _same(zh_frames["PickList"], sw_frames["PickList"], ("product",))
    _same(zh_frames["PickList"], en_frames["PickList"], ("product", "priority"))

    # what each book holds: the Chinese book Chinese words under Chinese headers; the switched
    # one its English headers, English words from before and Chinese words from the morning
    zh_book = python_calamine.CalamineWorkbook.from_path(str(zh_path))
    orders = zh_book.get_sheet_by_name("订单").to_python()
    status = orders[0].index("订单状态")
    assert {row[status] for row in orders[1:]} <= {"待付款", "已付款", "已发货", "已签收",
                                                   "已取消", "已退款"}
    sw_book = python_calamine.CalamineWorkbook.from_path(str(sw_path))
    assert "Orders" in sw_book.sheet_names
    ledger = sw_book.get_sheet_by_name("StockLedger").to_python()
    reasons = {row[3] for row in ledger[1:]}
    assert {"opening", "sale", "销售"} <= reasons  # both languages in one column
    # and either book still reads clean, in either language
    for path, language in ((sw_path, ENGLISH), (sw_path, CHINESE), (zh_path, ENGLISH)):
        with FileBook.open(path) as book, speaking(language):
            assert routines.validate(book, NOW).ok


@pytest.fixture(scope="module")
def chinese_demo(tmp_path_factory):
    """`shopops demo --lang zh-CN`: its folder and what it said."""
    folder = tmp_path_factory.mktemp("chinese")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(folder / "shop"), "--lang", "zh-CN",
                                      "--today", "2026-11-20"], env={"SHOPOPS_LANG": "en"})
    assert result.exit_code == 0, result.output
    return folder, result.output.splitlines()


def test_the_chinese_demo_speaks_chinese(chinese_demo):
    tmp_path, lines = chinese_demo
    daily = next(line for line in lines if line.startswith("daily:"))
    assert daily.startswith("daily: 每日清单：处理订单 21 个，发货 15 个，库存已更新")
    steps = [line for line in lines if re.match(r"  (import|verify|update-stock|reorders|"
                                                 r"pick-list): ", line)]
    assert len(steps) == 5
    for line in steps:  # the morning's own words are Chinese (file and product names aside)
        words = line.split(": ", 1)[1]
        assert re.search(r"[\u4e00-\u9fff]", words), line
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "shop" / "ShopOps.xlsm"))
    board = book.get_sheet_by_name("看板").to_python()
    assert board[0][:4] == ["栏目", "指标", "数值", "说明"]
    assert board[1][0] == "今日 2026-11-20" and board[1][1] == "昨日订单"
    log = book.get_sheet_by_name("日志").to_python()
    assert any(str(row[2]).startswith("每日清单：") for row in log[1:])

    # no English sentence anywhere ShopOps wrote words: the command's output and the sheets
    # it fills (the shop's own data — product names, Shopify titles, files — aside)
    data = set()
    for sheet, columns in (("商品", ("商品名称",)), ("订单", ("商品名称", "买家留言")),
                           ("商品对应", ("标题", "规格")), ("退货", ("退货原因",)),
                           ("供应商", ("供应商",)), ("促销", ("活动名称",))):
        rows = book.get_sheet_by_name(sheet).to_python()
        for column in columns:
            at = rows[0].index(column)
            data |= {str(r[at]) for r in rows[1:] if r[at]}
    written = list(lines)
    for sheet, columns in (("看板", None), ("日志", ("摘要",)), ("拣货单", ("优先级", "备注")),
                           ("对账", ("栏目", "结果", "原因")), ("促销", ("检查结果", "备注")),
                           ("设置", ("说明",)), ("库存流水", ("备注",)), ("订单", ("风险标记",)),
                           ("采购单", ("状态", "备注")), ("商品", ("状态", "补货标记", "盘点频率")),
                           ("退货", ("状态", "退货原因")), ("客户咨询", ("问题类型",))):
        rows = book.get_sheet_by_name(sheet).to_python()
        at = range(len(rows[0])) if columns is None else [rows[0].index(c) for c in columns]
        written += [str(r[i]) for r in rows[1:] for i in at if isinstance(r[i], str)]
    assert english_in(written, data) == []
    assert english_in(["库存已更新：nothing new to post"], set())  # the search does find one


ALLOWED = ("ShopOps", "Shopify", "Excel", "LibreOffice", "Little Garden", "Shopify Payments",
           "SKU", "xlwings.conf", "Settings")  # names, not sentences (Settings: a setting's key)
SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}")  # three English words or more


@pytest.mark.libreoffice
def test_the_chinese_report_and_slips_print_in_chinese(chinese_demo, libreoffice, tmp_path):
    """The Chinese shop's weekly report and packing slips, printed by LibreOffice: Chinese
    titles and page numbers, drawn with a CJK font (embedded in the PDF), a slip page to PNG."""
    folder, _lines = chinese_demo
    shop = tmp_path / "shop"
    shutil.copytree(folder / "shop", shop)
    report = tmp_path / "周报.xlsx"
    made = CliRunner().invoke(cli, ["report", str(shop / "ShopOps.xlsm"), "--weekly", "--out",
                                    str(report), "--today", "2026-11-21"])
    assert made.exit_code == 0, made.output
    assert made.output.startswith("报表 2026-11-09 当周：")
    out = tmp_path / "pdf"
    slips = next((shop / "packing-slips").glob("*.xlsx"))
    for path in (report, slips):
        run = libreoffice.run(path, "pdf", out)
        assert (out / f"{path.stem}.pdf").exists(), run.stderr
    first = subprocess.run(["pdftotext", "-layout", "-l", "1", str(out / "周报.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "每日销售额" in first and "客单价" in first and "第 1 页，共" in first
    slip = subprocess.run(["pdftotext", "-layout", "-l", "1", str(out / f"{slips.stem}.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    assert "装箱单" in slip and "收件人" in slip and "合计" in slip
    fonts = subprocess.run(["pdffonts", str(out / f"{slips.stem}.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "CJK" in fonts, fonts  # drawn, not boxes: .ci/run installs fonts-noto-cjk
    subprocess.run(["pdftoppm", "-l", "1", "-r", "60", "-png", str(out / f"{slips.stem}.pdf"),
                    str(tmp_path / "slip")], check=True)
    assert next(tmp_path.glob("slip*.png")).stat().st_size > 5_000


def english_in(texts: list[str], data: set[str]) -> list[str]:
    """The texts that still hold an English phrase once names, paths, commands and the shop's
    own data are taken out."""
    found = []
    for text in texts:
        rest = text
        for item in sorted(data, key=len, reverse=True):
            rest = rest.replace(item, " ")
        rest = re.sub(r"(/[\w.-]+)+|\S+\.(csv|xlsx|xlsm|txt)|shopops [a-z-]+[^，；。]*", " ", rest)
        for name in ALLOWED:
            rest = rest.replace(name, " ")
        rest = re.sub(r"^  ?[a-z-]+: ", "", rest)  # the routine's name before its words
        if SENTENCE.search(rest):
            found.append(text)
    return found
