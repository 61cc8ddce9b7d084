"""Xiaohongshu (小红书千帆) order export, `小红书订单查询<timestamp>.xlsx`: one row per line.

The seller's SKU is 商家编码. 商品总价(元) is the list total of the line, 用户应付金额(元) what
the buyer pays for it; the difference is the discount. After-sales (售后状态) showing a completed
refund makes the line refunded whatever the order status says. A line's listing is its 规格ID
(the 商品ID when the listing has no 规格): what a Listings row can name when 商家编码 is blank.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.language import N_
from shopsheet.core.words import Channel, Status
from shopsheet.importers.base import (Col, Profile, Tables, finish_lines, sourced, status_of,
                                      unknown_statuses)

STATUSES = {
    "待付款": Status.PENDING, "待支付": Status.PENDING,
    "待配货": Status.PAID, "待发货": Status.PAID, "已支付": Status.PAID, "待成团": Status.PAID,
    "待审核": Status.PAID,
    "已发货": Status.SHIPPED, "运输中": Status.SHIPPED, "待收货": Status.SHIPPED,
    "部分发货": Status.SHIPPED,
    "已签收": Status.DELIVERED, "已完成": Status.DELIVERED, "交易成功": Status.DELIVERED,
    "已取消": Status.CANCELLED, "已关闭": Status.CANCELLED, "交易关闭": Status.CANCELLED,
}
REFUNDED = ("退款成功", "已退款", "退货退款成功", "售后完成")


class Xiaohongshu(Profile):
    name = N_("Xiaohongshu 千帆 order export")
    key = "xiaohongshu"
    channel = Channel.XIAOHONGSHU
    signature = ("订单号", "订单状态", "商家编码", "SKU件数")
    columns = {
        "order_id": Col("订单号", "id", required=True),
        "status_word": Col("订单状态", required=True),
        "after_sales": Col("售后状态"),
        "product": Col(("商品名称", "SKU名称")),
        "spec": Col("SKU规格"),
        "sku": Col("商家编码"),
        "item_id": Col("商品ID", "id"),
        "spec_id": Col("规格ID", "id"),
        "qty": Col("SKU件数", "whole", required=True),
        "list_total": Col("商品总价(元)", "money"),
        "paid_total": Col(("用户应付金额(元)", "商家应收金额(元)（支付金额）"), "money"),
        "created": Col("订单创建时间", "time", required=True),
        "paid": Col("支付时间", "time"),
        "shipped": Col("订单发货时间", "time"),
        "delivered": Col("订单完成时间", "time"),
        "carrier": Col("快递公司"),
        "tracking_no": Col("快递单号"),
        "customer": Col(("收件人", "收货人")),
        "phone": Col(("收件人手机", "手机号")),
        "address": Col(("收货地址", "详细地址")),
        "buyer_note": Col(("买家留言", "用户备注")),
    }

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        source, table = tables.find(cls)
        frame, problems = cls.parse(table, source, zone)
        frame["status"] = frame["status_word"].map(lambda w: status_of(w, STATUSES))
        refunded = frame["after_sales"].fillna("").map(lambda w: any(r in w for r in REFUNDED))
        frame.loc[refunded, "status"] = Status.REFUNDED
        problems += unknown_statuses(frame, table, "订单状态", source,
                                     "待发货, 已发货, 已完成, 已取消")
        qty = pd.to_numeric(frame["qty"])
        frame["unit_price"] = (pd.to_numeric(frame["list_total"]) / qty.where(qty > 0)).round(2)
        frame["discount"] = (pd.to_numeric(frame["list_total"]) -
                             pd.to_numeric(frame["paid_total"])).clip(lower=0).round(2)
        frame["line_total"] = frame["paid_total"]
        frame["product"] = [p if not isinstance(s, str) or not s else f"{p} ({s})"
                            for p, s in zip(frame["product"], frame["spec"])]
        frame["listing_id"] = frame["spec_id"].fillna(frame["item_id"])  # a 规格 of a listing
        frame["source"] = sourced(frame, source)
        return finish_lines(frame, cls.channel), problems

