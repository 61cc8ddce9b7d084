"""Order exports in the real formats: detection, values, statuses, joins, and every problem named."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import xlsxwriter

from shopsheet.importers import read_orders

DATA = Path(__file__).parent / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")
XHS_HEADERS = ["订单号", "订单状态", "售后状态", "订单类型", "订单标记", "异常原因", "用户编号", "商品名称",
               "商品ID", "SKU名称", "SKU规格", "规格ID", "商家编码", "SKU件数", "商品总价(元)",
               "用户应付金额(元)", "商家应收金额(元)（支付金额）", "订单创建时间", "支付时间", "承诺发货时间",
               "预售订单截止发货时间", "订单发货时间", "订单完成时间", "快递公司", "快递单号"]


def xhs_row(**kw) -> list:
    return [kw.get(h, "") for h in XHS_HEADERS]


XHS_ROWS = [
    xhs_row(订单号="P778899001122334455", 订单状态="待配货", 商品名称="玫瑰补水面膜", SKU规格="10片装",
            商家编码="A001", SKU件数=2, **{"商品总价(元)": 178, "用户应付金额(元)": 160.2,
                                     "订单创建时间": "2026-11-20 21:05:33",
                                     "支付时间": "2026-11-20 21:06:01"}),
    xhs_row(订单号="P778899001122334455", 订单状态="待配货", 商品名称="竹纤维随行杯", 商家编码="B002",
            SKU件数=1, **{"商品总价(元)": "¥69.00", "用户应付金额(元)": "69.00",
                        "订单创建时间": "2026-11-20 21:05:33", "支付时间": "2026-11-20 21:06:01"}),
    xhs_row(订单号="P778899001122334466", 订单状态="已完成", 售后状态="退款成功", 商品名称="亚麻托特包",
            商家编码="C003", SKU件数=1, **{"商品总价(元)": 59, "用户应付金额(元)": 59,
                                     "订单创建时间": "2026/11/15 10:00", "支付时间": "2026/11/15 10:01",
                                     "订单发货时间": "2026/11/16 09:00", "订单完成时间": "2026/11/18 12:00",
                                     "快递公司": "中通快递", "快递单号": "78123456789"}),
]


def xhs_file(folder: Path, rows=XHS_ROWS) -> Path:
    path = folder / "小红书订单查询2026-11-21-08_00_00a1b2c3d4.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("订单")
    ws.write_row(0, 0, XHS_HEADERS)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)
    wb.close()
    return path


def test_xiaohongshu_export(tmp_path):
    batch = read_orders([xhs_file(tmp_path)], None, SHANGHAI)
    assert batch.problems == []
    assert list(batch.formats.values()) == ["Xiaohongshu 千帆 order export"]
    lines = batch.lines
    assert list(lines["order_id"]) == ["P778899001122334455", "P778899001122334455",
                                       "P778899001122334466"]
    assert list(lines["line"]) == [1, 2, 1]
    assert list(lines["status"]) == ["paid", "paid", "refunded"]
    first = lines.iloc[0]
    assert (first["unit_price"], first["discount"], first["line_total"]) == (89.0, 17.8, 160.2)
    assert first["product"] == "玫瑰补水面膜 (10片装)" and first["channel"] == "xiaohongshu"
    assert lines.iloc[1]["unit_price"] == 69.0
    assert lines.iloc[2]["created"] == pd.Timestamp("2026-11-15 10:00")
    assert lines.iloc[2]["tracking_no"] == "78123456789"


def test_taobao_pair_gbk_and_bom_joined_on_order_id():
    batch = read_orders([DATA / "taobao_订单报表.csv", DATA / "taobao_宝贝报表.csv"], None, SHANGHAI)
    assert batch.problems == []
    lines = batch.lines
    assert set(batch.formats.values()) == {"Taobao/Tmall 订单报表", "Taobao/Tmall 宝贝报表"}
    order = lines[lines["order_id"] == "2817334567890123456"]
    assert list(order["sku"]) == ["A001", "B002", "X-COASTER"]  # 外部系统编号 when 商家编码 is blank
    assert set(order["status"]) == {"paid"}
    assert order.iloc[0]["province"] == "浙江省" and order.iloc[0]["city"] == "杭州市"
    assert order.iloc[0]["customer"] == "李娜" and order.iloc[0]["phone"] == "13812345678"
    assert order.iloc[0]["paid"] == pd.Timestamp("2026-11-20 21:19")
    shipped = lines[lines["order_id"] == "2817334567890123457"].iloc[0]  # id had a trailing space
    assert shipped["status"] == "shipped" and shipped["tracking_no"] == "SF1234567890"
    assert shipped["shipping_fee"] == 8.0
    statuses = dict(zip(lines["order_id"], lines["status"]))
    assert statuses["2817334567890123458"] == "pending"
    assert statuses["2817334567890123459"] == "refunded"  # closed after paying, refund 77.00


def test_taobao_lines_without_their_order_report_are_explained():
    batch = read_orders([DATA / "taobao_宝贝报表.csv"], None, SHANGHAI)
    assert len(batch.problems) == 1
    assert "without its 订单报表" in str(batch.problems[0])


def test_order_level_only_report_is_recognised_and_explained():
    batch = read_orders([DATA / "tmall_order_level.csv"], None, SHANGHAI)
    assert batch.lines.empty
    assert "order-level report" in str(batch.problems[0])
    assert "not imported" in str(batch.problems[0])


def test_shopify_follow_on_rows_time_zone_and_lines_without_sku():
    batch = read_orders([DATA / "shopify_orders_export.csv"], None, SHANGHAI)
    assert batch.problems == []
    lines = batch.lines
    assert list(lines["order_id"]) == ["#1001", "#1001", "#1001", "#1002"]
    assert list(lines["line"]) == [1, 2, 3, 1]
    assert list(lines["status"]) == ["paid", "paid", "paid", "pending"]
    second = lines.iloc[1]
    assert second["customer"] == "Amy Chan" and second["shipping_method"] == "Express"
    # 09:55:16 at UTC−5 is 22:55:16 in Shanghai
    assert second["paid"] == pd.Timestamp("2026-11-20 22:55:16")
    assert second["address"] == "88 Queen St W, Toronto, Ontario, M5H 2N2, Canada"
    assert lines.iloc[0]["buyer_note"] == '=HYPERLINK("http://x.example")'
    gift = lines.iloc[2]  # no SKU: imported all the same, known by its title
    assert gift["sku"] is None and gift["product"] == "Gift Card ¥100" and gift["qty"] == 1
    assert gift["source"] == "shopify_orders_export.csv, row 4"
    assert batch.remarks == []


def test_generic_chinese_headers_and_every_bad_cell_named():
    batch = read_orders([DATA / "generic_orders_zh.csv"], None, SHANGHAI)
    assert batch.problems == [] and list(batch.lines["sku"]) == ["A001", "Z999"]
    assert list(batch.lines["channel"]) == ["wechat", "wechat"]
    bad = read_orders([DATA / "generic_bad.csv"], None, SHANGHAI)
    assert [str(p) for p in bad.problems] == [
        "generic_bad.csv, row 3 (Created): got 'last night', expected a date and time",
        "generic_bad.csv, row 3 (Qty): got 'two', expected a whole number ≥ 1",
        "generic_bad.csv, row 4 (Status): got 'maybe', expected one of pending, paid, shipped, "
        "delivered, cancelled, refunded (or 待付款, 已付款, 已发货, 已签收, 已取消, 已退款)",
    ]


def test_unknown_format_names_its_headers(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    batch = read_orders([path], None, SHANGHAI)
    assert "format not recognised (headers: foo, bar)" in str(batch.problems[0])


def test_format_override_is_checked(tmp_path):
    batch = read_orders([DATA / "generic_orders_zh.csv"], "shopify", SHANGHAI)
    assert "is not a Shopify orders export" in str(batch.problems[0])


@pytest.mark.parametrize("word,status", [("待付款", "pending"), ("已发货", "shipped"),
                                         ("已取消", "cancelled")])
def test_xiaohongshu_statuses(tmp_path, word, status):
    row = list(XHS_ROWS[0])
    row[XHS_HEADERS.index("订单状态")] = word
    assert list(read_orders([xhs_file(tmp_path, [row])], None, SHANGHAI).lines["status"]) == \
        [status]


def test_an_unknown_status_word_is_a_problem(tmp_path):
    row = list(XHS_ROWS[0])
    row[XHS_HEADERS.index("订单状态")] = "神秘状态"
    batch = read_orders([xhs_file(tmp_path, [row])], None, SHANGHAI)
    assert str(batch.problems[0]).startswith(
        "小红书订单查询2026-11-21-08_00_00a1b2c3d4.xlsx, row 2 (订单状态): got '神秘状态', expected an "
        "order status")
