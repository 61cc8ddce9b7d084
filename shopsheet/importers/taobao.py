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

from shopsheet.core.language import N_, _
from shopsheet.core.problems import Problem
from shopsheet.core.words import Channel, Status
from shopsheet.importers.base import (Col, Profile, Tables, explained, finish_lines, sourced,
                                      status_of, unknown_statuses)

STATUSES = {
    "等待买家付款": Status.PENDING,
    "买家已付款,等待卖家发货": Status.PAID, "等待卖家发货": Status.PAID, "买家已付款": Status.PAID,
    "卖家已发货,等待买家确认": Status.SHIPPED, "卖家部分发货": Status.SHIPPED,
    "等待买家确认收货": Status.SHIPPED,
    "交易成功": Status.DELIVERED,
    "交易关闭": Status.CANCELLED, "付款以后用户退款成功,交易自动关闭": Status.REFUNDED,
    "付款以前,卖家或买家主动关闭交易": Status.CANCELLED,
}
EXAMPLES = "买家已付款，等待卖家发货, 卖家已发货，等待买家确认, 交易成功, 交易关闭"


class TaobaoOrders(Profile):
    """订单报表: one row per order; its lines come from the 宝贝报表 it is read with."""

    name = N_("Taobao/Tmall 订单报表")
    key = "taobao"
    channel = Channel.TAOBAO
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
        "store": Col("店铺名称"),
    }

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        return explained(_("is a Taobao/Tmall 订单报表 (one row per order, no products): import "
                           "it together with its 宝贝报表 so stock can be updated"),
                         tables.first()[0])


class TaobaoItems(Profile):
    """宝贝报表: one row per line, read with its 订单报表."""

    name = N_("Taobao/Tmall 宝贝报表")
    key = "taobao"
    channel = Channel.TAOBAO
    partner = TaobaoOrders
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

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        return lines_from_pair(tables, cls, zone)


class QianniuLines(Profile):
    """千牛 workbook: 销售明细, one row per line by 主订单编号, with its 订单报表 and 发货报表."""

    name = N_("千牛 workbook (订单报表 + 销售明细)")
    key = "qianniu"
    channel = Channel.TAOBAO
    partner = TaobaoOrders
    signature = ("主订单编号", "购买数量")
    columns = {
        "order_id": Col("主订单编号", "id", required=True),
        "sub_id": Col("子订单编号", "id"),
        "product": Col(("商品标题", "标题")),
        "attributes": Col("商品属性"),
        "qty": Col("购买数量", "whole", required=True),
        "sku": Col("商家编码"),
        "external": Col("外部系统编号"),
        "listing_id": Col(("skuId", "SKU ID"), "id"),
        "line_total": Col("买家应付货款", "money"),
        "refund_status": Col("退款状态"),
        "refund": Col("退款金额", "money"),
    }

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        return lines_from_pair(tables, cls, zone)


class QianniuShipping(Profile):
    """千牛 发货报表: the recipient of each order, where 订单报表 leaves it out."""

    name = N_("千牛 发货报表")
    key = "qianniu"
    channel = Channel.TAOBAO
    signature = ("收货人姓名", "收货地址")
    columns = {
        "order_id": Col(("主订单编号", "订单编号"), "id", required=True),
        "customer": Col("收货人姓名"),
        "phone": Col("联系手机"),
        "address": Col("收货地址"),
    }


class OrderLevel(Profile):
    """A Tmall order-level report: totals per order, no products or quantities."""

    name = N_("order-level report")
    key = "taobao"
    channel = Channel.TMALL
    signature = ("订单编号", "总金额", "买家实际支付金额")
    columns: dict[str, Col] = {}

    @classmethod
    def matches(cls, table: pd.DataFrame) -> bool:
        return super().matches(table) and not any(
            Col(h).header_in(table) for h in ("标题", "购买数量"))

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        return explained(
            _("is an order-level report (订单编号, 总金额, 买家实际支付金额 and no products or "
              "quantities): it can feed sales totals but not stock, so it is not imported. "
              "Export 已卖出的宝贝 with 宝贝报表 (or the 千牛 workbook with 销售明细) instead"),
            tables.first()[0])


def lines_from_pair(tables: Tables, items_profile: type[Profile], zone: ZoneInfo | None):
    """Join the order report and the line report (宝贝报表 or 销售明细) into Orders lines."""
    items_source, items_table = tables.find(items_profile)
    pair = tables.find(TaobaoOrders)
    if pair is None:
        return explained(_("is a {format} (lines) without its 订单报表 (orders): import both "
                           "files together, e.g. shopops import BOOK 订单报表.csv 宝贝报表.csv")
                         .format(format=_(items_profile.name)), items_source)
    orders_source, orders_table = pair
    orders, problems = TaobaoOrders.parse(orders_table, orders_source, zone)
    items, more = items_profile.parse(items_table, items_source, zone)
    problems += more
    shipping = next((t for t in tables.named.values() if QianniuShipping.matches(t)
                     and not TaobaoOrders.matches(t)), None)
    orders["status"] = orders["status_word"].map(lambda w: status_of(w, STATUSES))
    problems += unknown_statuses(orders, orders_table, "订单状态", orders_source, EXAMPLES)
    closed_after_paying = (orders["status"] == Status.CANCELLED) & (
        pd.to_numeric(orders["refund"]).fillna(0) > 0)
    orders.loc[closed_after_paying, "status"] = Status.REFUNDED
    if shipping is not None:
        ship, more = QianniuShipping.parse(shipping, f"{items_source} 发货报表", zone)
        problems += more
        ship = ship.drop_duplicates("order_id").set_index("order_id")
        for col in ("customer", "phone", "address"):
            orders[col] = orders[col].fillna(orders["order_id"].map(ship[col]))
    by_id = orders.drop_duplicates("order_id").set_index("order_id")
    missing = ~items["order_id"].isin(by_id.index)
    for row in items.index[missing]:
        problems.append(Problem(items_source, f"row {row}", "订单编号", items.at[row, "order_id"],
                                _("an order in {file} (was the id cut to 15 digits by Excel? "
                                  "export again without opening it)").format(
                                    file=orders_source)))
    items = items[~missing]
    frame = items.merge(by_id, left_on="order_id", right_index=True, how="left",
                        suffixes=("", "_order")).set_axis(items.index)
    frame["sku"] = frame["sku"].fillna(frame["external"])
    if "line_status" in frame and frame["line_status"].notna().any():
        line_status = frame["line_status"].map(lambda w: status_of(w, STATUSES))
        closed_refunded = (line_status == Status.CANCELLED) & (frame["status"] == Status.REFUNDED)
        frame["status"] = line_status.where(~closed_refunded).fillna(frame["status"])
    frame["province"], frame["city"] = _province_city(frame["address"])
    frame["product"] = [p if not isinstance(a, str) or not a else f"{p} ({a})"
                        for p, a in zip(frame["product"], frame["attributes"])]
    first = frame.groupby("order_id", sort=False).cumcount() == 0
    frame["shipping_fee"] = frame["shipping_fee"].where(first, None)
    frame["source"] = sourced(frame, items_source)
    return finish_lines(frame, "taobao"), problems


def _province_city(addresses: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`浙江省 杭州市 西湖区 文三路 1 号(310000)` → 浙江省, 杭州市."""
    parts = addresses.fillna("").str.split()
    return (parts.map(lambda p: p[0] if len(p) > 1 else None),
            parts.map(lambda p: p[1] if len(p) > 2 else None))
