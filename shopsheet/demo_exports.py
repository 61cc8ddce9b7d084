"""Last night's demo orders written as the back ends export them, for the daily routine's inbox:
a Xiaohongshu 千帆 .xlsx, a Taobao 订单报表 (GBK) + 宝贝报表 (UTF-8 with BOM) pair, a Shopify CSV
and, for WeChat orders, a CSV with the Orders sheet's Chinese headers."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import xlsxwriter

from shopsheet.core.words import Status

XHS_STATUS = {Status.PENDING: "待付款", Status.PAID: "待配货", Status.SHIPPED: "已发货",
              Status.DELIVERED: "已完成", Status.CANCELLED: "已取消", Status.REFUNDED: "已完成"}
TB_STATUS = {Status.PENDING: "等待买家付款", Status.PAID: "买家已付款，等待卖家发货",
             Status.SHIPPED: "卖家已发货，等待买家确认", Status.DELIVERED: "交易成功",
             Status.CANCELLED: "交易关闭", Status.REFUNDED: "交易关闭"}


def _t(value, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime(fmt)


def _s(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _csv(path: Path, header: list[str], rows: list[list], encoding: str) -> None:
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_inbox(folder: Path, orders: pd.DataFrame, stamp: pd.Timestamp) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    by_channel = {c: g for c, g in orders.groupby("channel")}
    if "xiaohongshu" in by_channel:
        written.append(_xiaohongshu(folder / f"小红书订单查询{stamp:%Y-%m-%d-%H_%M_%S}3f9a1c7e.xlsx",
                                    by_channel["xiaohongshu"]))
    if "taobao" in by_channel:
        written += _taobao(folder, by_channel["taobao"], stamp)
    if "shopify" in by_channel:
        written.append(_shopify(folder / f"orders_export_{stamp:%Y%m%d}.csv", by_channel["shopify"]))
    if "wechat" in by_channel:
        written.append(_generic(folder / f"微信订单_{stamp:%Y%m%d}.csv", by_channel["wechat"]))
    return written


def _xiaohongshu(path: Path, lines: pd.DataFrame) -> Path:
    header = ["订单号", "订单状态", "售后状态", "商品名称", "商家编码", "SKU件数", "商品总价(元)",
              "用户应付金额(元)", "订单创建时间", "支付时间", "订单发货时间", "订单完成时间", "快递公司",
              "快递单号", "收件人", "收件人手机", "收货地址", "买家留言"]
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("订单列表")
    ws.write_row(0, 0, header)
    for r, x in enumerate(lines.itertuples(), start=1):
        ws.write_row(r, 0, [x.order_id, XHS_STATUS[x.status], "", x.product, _s(x.sku)])
        ws.write_number(r, 5, x.qty)
        ws.write_number(r, 6, round(x.unit_price * x.qty, 2))
        ws.write_number(r, 7, x.line_total)
        ws.write_row(r, 8, [_t(x.created), _t(x.paid), _t(x.shipped), _t(x.delivered),
                            _s(x.carrier), _s(x.tracking_no), x.customer, x.phone, x.address,
                            _s(x.buyer_note)])
    wb.close()
    return path


def _taobao(folder: Path, lines: pd.DataFrame, stamp: pd.Timestamp) -> list[Path]:
    orders_path = folder / f"ExportOrderList{stamp:%Y%m%d%H%M}.csv"
    items_path = folder / f"ExportOrderDetailList{stamp:%Y%m%d%H%M}.csv"
    head = ["订单编号", "买家会员名", "买家应付货款", "买家应付邮费", "总金额", "买家实际支付金额", "订单状态",
            "买家留言", "收货人姓名", "收货地址 ", "运送方式", "联系手机", "订单创建时间", "订单付款时间 ",
            "物流单号 ", "物流公司", "宝贝总数量", "店铺名称", "退款金额"]
    rows = []
    for order_id, g in lines.groupby("order_id", sort=False):
        x = g.iloc[0]
        goods = round(g["line_total"].sum(), 2)
        fee = float(x.shipping_fee or 0)
        address = f"{x.province} {x.city} {x.address.replace(x.province, '').replace(x.city, '')}"
        rows.append([order_id + " ", "tb_" + str(x.phone)[-4:], f"{goods:.2f}", f"{fee:.2f}",
                     f"{goods + fee:.2f}", f"{goods + fee:.2f}" if pd.notna(x.paid) else "0.00",
                     TB_STATUS[x.status], _s(x.buyer_note), x.customer, address,
                     "快递", x.phone, _t(x.created, "%Y/%m/%d %H:%M"), _t(x.paid, "%Y/%m/%d %H:%M"),
                     _s(x.tracking_no), _s(x.carrier), int(g["qty"].sum()), "小园好物", "0.00"])
    _csv(orders_path, head, rows, "gb18030")
    item_head = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注",
                 "订单状态", "商家编码"]
    _csv(items_path, item_head, [[x.order_id, x.product, f"{x.unit_price:.2f}", x.qty, "", "", "",
                                  "", TB_STATUS[x.status], _s(x.sku)] for x in lines.itertuples()],
         "utf-8-sig")
    return [orders_path, items_path]


def _shopify(path: Path, lines: pd.DataFrame) -> Path:
    head = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
            "Currency", "Subtotal", "Shipping", "Total", "Shipping Method", "Created at",
            "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku",
            "Shipping Name", "Shipping Address1", "Shipping City", "Shipping Province",
            "Shipping Country", "Shipping Phone", "Notes", "Cancelled at", "Lineitem discount"]
    rows = []
    for order_id, g in lines.groupby("order_id", sort=False):
        for n, x in enumerate(g.itertuples()):
            item = [x.qty, x.product, f"{x.unit_price:.2f}", _s(x.sku)]  # mostly no SKU
            if n:
                rows.append([order_id] + [""] * 11 + item + [""] * 8 + [f"{x.discount:.2f}"])
                continue
            financial = "pending" if x.status == Status.PENDING else "paid"
            rows.append([order_id, f"buyer{str(x.phone)[-4:]}@example.com", financial,
                         _t(x.paid) + (" +0800" if pd.notna(x.paid) else ""), "unfulfilled", "",
                         "CNY", f"{g['line_total'].sum():.2f}", f"{x.shipping_fee or 0:.2f}",
                         f"{g['line_total'].sum() + (x.shipping_fee or 0):.2f}",
                         x.shipping_method.title(), _t(x.created) + " +0800", *item, x.customer,
                         x.address, x.city, x.province, "China", x.phone, _s(x.buyer_note), "",
                         f"{x.discount:.2f}"])
    _csv(path, head, rows, "utf-8")
    return path


def _generic(path: Path, lines: pd.DataFrame) -> Path:
    head = ["订单号", "行号", "渠道", "下单时间", "付款时间", "订单状态", "客户", "电话", "省份", "城市",
            "收货地址", "配送方式", "商品编码", "商品名称", "数量", "单价", "优惠", "小计", "运费", "买家留言"]
    _csv(path, head, [[x.order_id, x.line, x.channel, _t(x.created), _t(x.paid), x.status,
                       x.customer, x.phone, x.province, x.city, x.address, x.shipping_method,
                       _s(x.sku), x.product, x.qty, x.unit_price, x.discount, x.line_total,
                       "" if pd.isna(x.shipping_fee) else x.shipping_fee, _s(x.buyer_note)]
                      for x in lines.itertuples()], "utf-8-sig")
    return path
