"""Taobao / Tmall 已卖出的宝贝 exports.

- Two CSV reports (UTF-8 with BOM or GBK): 订单报表, one row per order (buyer, address, status,
  payment), and 宝贝报表, one row per line (title, price, quantity, 商家编码); joined on 订单编号.
- The newer 千牛 workbook: sheets 订单报表 / 销售明细 (lines, by 主订单编号) / 发货报表 (address).
- An order-level-only report (订单编号, 总金额, 买家实际支付金额 … and no lines) cannot update
  stock: it is recognised and explained, never half-imported.

Order ids are text; one that Excel cut to 15 digits (ending in 00) no longer matches its lines,
and such lines are named rather than joined to the wrong order.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.problems import Problem
from shopsheet.importers.base import Col, Profile, finish_lines, status_of, unknown_statuses

STATUSES = {
    "等待买家付款": "pending",
    "买家已付款,等待卖家发货": "paid", "等待卖家发货": "paid", "买家已付款": "paid",
    "卖家已发货,等待买家确认": "shipped", "卖家部分发货": "shipped", "等待买家确认收货": "shipped",
    "交易成功": "delivered",
    "交易关闭": "cancelled", "付款以后用户退款成功,交易自动关闭": "refunded",
    "付款以前,卖家或买家主动关闭交易": "cancelled",
}
EXAMPLES = "买家已付款，等待卖家发货, 卖家已发货，等待买家确认, 交易成功, 交易关闭"


class TaobaoOrders(Profile):
    """订单报表: one row per order."""

    name = "Taobao/Tmall 订单报表"
    channel = "taobao"
    signature = ("订单编号", "订单状态", "收货地址")
    columns = {
        "order_id": Col("订单编号", "id", required=True),
        "status_word": Col("订单状态", required=True),
        "customer": Col(("收货人姓名", "买家会员名")),
        "phone": Col(("联系手机", "联系电话")),
        "address": Col("收货地址"),
        "buyer_note": Col("买家留言"),
        "shipping_method": Col("运送方式"),
        "carrier": Col("物流公司"),
        "tracking_no": Col("物流单号"),
        "created": Col("订单创建时间", "time", required=True),
        "paid": Col("订单付款时间", "time"),
        "shipping_fee": Col("买家应付邮费", "money"),
        "refund": Col("退款金额", "money"),
        "shop": Col("店铺名称"),
    }


class TaobaoItems(Profile):
    """宝贝报表: one row per line."""

    name = "Taobao/Tmall 宝贝报表"
    channel = "taobao"
    signature = ("订单编号", "标题", "购买数量")
    columns = {
        "order_id": Col("订单编号", "id", required=True),
        "product": Col("标题"),
        "unit_price": Col("价格", "money"),
        "qty": Col("购买数量", "whole", required=True),
        "sku": Col("商家编码"),
        "external": Col("外部系统编号"),
        "attributes": Col(("商品属性", "套餐信息")),
        "line_status": Col("订单状态"),
    }


class QianniuLines(Profile):
    """千牛 销售明细: one row per line, by 主订单编号."""

    name = "千牛 销售明细"
    channel = "taobao"
    signature = ("主订单编号", "购买数量")
    columns = {
        "order_id": Col("主订单编号", "id", required=True),
        "sub_id": Col("子订单编号", "id"),
        "product": Col(("商品标题", "标题")),
        "attributes": Col("商品属性"),
        "qty": Col("购买数量", "whole", required=True),
        "sku": Col("商家编码"),
        "external": Col("外部系统编号"),
        "line_total": Col("买家应付货款", "money"),
        "refund_status": Col("退款状态"),
        "refund": Col("退款金额", "money"),
    }


class QianniuShipping(Profile):
    name = "千牛 发货报表"
    channel = "taobao"
    signature = ("收货人姓名", "收货地址")
    columns = {
        "order_id": Col(("主订单编号", "订单编号"), "id", required=True),
        "customer": Col("收货人姓名"),
        "phone": Col("联系手机"),
        "address": Col("收货地址"),
    }


ORDER_LEVEL_ONLY = ("订单编号", "总金额", "买家实际支付金额")


def order_level_only(table: pd.DataFrame) -> bool:
    return set(ORDER_LEVEL_ONLY) <= set(table.columns) and "标题" not in table.columns \
        and "购买数量" not in table.columns


def lines_from_pair(orders_table: pd.DataFrame, items_table: pd.DataFrame, items_source: str,
                    orders_source: str, zone: ZoneInfo | None, qianniu: bool = False,
                    shipping: pd.DataFrame | None = None):
    """Join the order report and the line report into Orders lines."""
    orders, problems = TaobaoOrders.parse(orders_table, orders_source, zone)
    items_profile = QianniuLines if qianniu else TaobaoItems
    items, more = items_profile.parse(items_table, items_source, zone)
    problems += more
    orders["status"] = orders["status_word"].map(lambda w: status_of(w, STATUSES))
    problems += unknown_statuses(orders, orders_table, "订单状态", orders_source, EXAMPLES)
    closed_after_paying = (orders["status"] == "cancelled") & (
        pd.to_numeric(orders["refund"]).fillna(0) > 0)
    orders.loc[closed_after_paying, "status"] = "refunded"
    if shipping is not None:
        ship, more = QianniuShipping.parse(shipping, items_source + " 发货报表", zone)
        problems += more
        ship = ship.drop_duplicates("order_id").set_index("order_id")
        for col in ("customer", "phone", "address"):
            orders[col] = orders[col].fillna(orders["order_id"].map(ship[col]))
    by_id = orders.drop_duplicates("order_id").set_index("order_id")
    missing = ~items["order_id"].isin(by_id.index)
    for row in items.index[missing]:
        problems.append(Problem(items_source, f"row {row}", "订单编号", items.at[row, "order_id"],
                                f"an order in {orders_source} (was the id cut to 15 digits by "
                                "Excel? export again without opening it)"))
    items = items[~missing]
    frame = items.merge(by_id, left_on="order_id", right_index=True, how="left",
                        suffixes=("", "_order")).set_axis(items.index)
    frame["sku"] = frame["sku"].fillna(frame["external"])
    if "line_status" in frame and frame["line_status"].notna().any():
        line_status = frame["line_status"].map(lambda w: status_of(w, STATUSES))
        closed_refunded = (line_status == "cancelled") & (frame["status"] == "refunded")
        frame["status"] = line_status.where(~closed_refunded).fillna(frame["status"])
    frame["province"], frame["city"] = _province_city(frame["address"])
    frame["product"] = [p if not isinstance(a, str) or not a else f"{p} ({a})"
                        for p, a in zip(frame["product"], frame["attributes"])]
    first = frame.groupby("order_id", sort=False).cumcount() == 0
    frame["shipping_fee"] = frame["shipping_fee"].where(first, None)
    frame["source"] = [f"{items_source}, row {r}" for r in frame.index]
    return finish_lines(frame, "taobao"), problems


def _province_city(addresses: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`浙江省 杭州市 西湖区 文三路 1 号(310000)` → 浙江省, 杭州市."""
    parts = addresses.fillna("").str.split()
    return (parts.map(lambda p: p[0] if len(p) > 1 else None),
            parts.map(lambda p: p[1] if len(p) > 2 else None))
