"""The demo shop's settlement files for the month so far, written as each provider writes them
(see `importers/settlements.py`): Shopify Payments transactions (CSV), Alipay 账务明细 (GBK CSV
between `#` lines) for the Taobao orders, a WeChat Pay 交易账单 (backticks, totals lines), a
Xiaohongshu 结算明细.

Each paid order of the month is settled as its provider settles it — Shopify two days after
payment, WeChat Pay at payment, Xiaohongshu three days after, a Taobao order once delivered —
at the channel's usual rates: Shopify 2.9 %, WeChat Pay 0.6 %, Taobao's commission 5 % on its
own Alipay row, Xiaohongshu 5 % commission and 0.6 % payment fee. Refunds are settled too —
except two real differences the reconciliation finds: the latest refund whose sale was
settled, not refunded yet, and one Shopify order charged 4.5 %.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd

from shopsheet.core.money import cents
from shopsheet.core.words import Channel, Status

RATES = {Channel.SHOPIFY: 0.029, Channel.WECHAT: 0.006, Channel.TAOBAO: 0.05,
         Channel.XIAOHONGSHU: 0.05}
XHS_PAYMENT = 0.006
HIGH_FEE = 0.045  # the planted difference: one Shopify order charged above the usual rate


def _yuan(amount: int) -> str:
    return f"{'-' if amount < 0 else ''}{abs(amount) // 100}.{abs(amount) % 100:02d}"


def month_orders(orders: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Per order paid this month before today: channel, status, times, total in cents."""
    first = pd.Timestamp(today.replace(day=1))
    paid = orders[orders["paid"].notna() & (orders["paid"] >= first)
                  & (orders["paid"] < pd.Timestamp(today))
                  & orders["status"].isin((Status.PAID, Status.SHIPPED, Status.DELIVERED,
                                           Status.REFUNDED))]
    total = paid["line_total"].map(cents) + paid["shipping_fee"].fillna(0).map(cents)
    grouped = paid.assign(_total=total).groupby("order_id", sort=False)
    return pd.DataFrame({"channel": grouped["channel"].first(), "status": grouped["status"].first(),
                         "paid": grouped["paid"].min(), "delivered": grouped["delivered"].max(),
                         "total": grouped["_total"].sum()}).sort_values("paid")


def write_settlements(folder: Path, orders: pd.DataFrame, today: dt.date) -> list[Path]:
    """The month's settlement files in `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    month = month_orders(orders, today)
    limit = pd.Timestamp(today)
    settled_sale = (month["channel"] != Channel.TAOBAO) & (month["paid"] + pd.Timedelta(days=3)
                                                          < limit)
    refunds = month[(month["status"] == Status.REFUNDED) & settled_sale]
    unsettled = refunds.index[-1] if len(refunds) else None  # its refund is still to come
    shopify = month[(month["channel"] == Channel.SHOPIFY) & settled_sale
                    & (month["status"] != Status.REFUNDED)]
    high = shopify.index[len(shopify) // 2] if len(shopify) >= 3 else None
    written = []
    for channel, writer in ((Channel.SHOPIFY, _shopify), (Channel.TAOBAO, _alipay),
                            (Channel.WECHAT, _wechat), (Channel.XIAOHONGSHU, _xiaohongshu)):
        mine = month[month["channel"] == channel]
        if len(mine):
            written.append(writer(folder, mine, limit, unsettled, high, today))
    return written


def _when(o, days: int = 2) -> pd.Timestamp:
    return o.paid + pd.Timedelta(days=days)


def _shopify(folder, orders, limit, unsettled, high, today) -> Path:
    rows = []
    for order_id, o in orders.iterrows():
        at = _when(o)
        if at >= limit:
            continue
        fee = round(o.total * (HIGH_FEE if order_id == high else RATES[Channel.SHOPIFY]))
        rows.append((at, "charge", order_id, o.total, fee))
        if o.status == Status.REFUNDED and order_id != unsettled and at + pd.Timedelta(days=1) \
                < limit:
            rows.append((at + pd.Timedelta(days=1), "refund", order_id, -o.total, 0))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Transaction Date", "Type", "Order", "Card Brand", "Card Source",
                "Payout Status", "Payout Date", "Payout ID", "Available On", "Amount", "Fee",
                "Net", "Checkout", "Payment Method Name", "Presentment Amount",
                "Presentment Currency", "Currency"])
    for at, kind, order_id, amount, fee in sorted(rows):
        payout = (at + pd.Timedelta(days=2)).normalize()
        paid_out = payout < limit
        w.writerow([f"{at:%Y-%m-%d %H:%M:%S} +0800", kind, order_id, "visa", "online",
                    "paid" if paid_out else "pending", f"{payout:%Y-%m-%d}",
                    f"1481565{payout:%m%d}" if paid_out else "", f"{payout:%Y-%m-%d}",
                    _yuan(amount), _yuan(fee), _yuan(amount - fee), "", "card",
                    _yuan(abs(amount)), "CNY", "CNY"])
    path = folder / f"payment_transactions_export_{today:%Y%m%d}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _alipay(folder, orders, limit, unsettled, high, today) -> Path:
    rows, serial = [], 0
    for order_id, o in orders.iterrows():
        if pd.isna(o.delivered) or o.delivered >= limit:  # Taobao settles on receipt
            continue
        commission = round(o.total * RATES[Channel.TAOBAO])
        rows.append((o.delivered, "在线支付", f"T200P{order_id}", "货款", o.total, ""))
        rows.append((o.delivered + pd.Timedelta(minutes=1), "收费", "", "天猫佣金", -commission,
                     f"天猫佣金（类目）扣款{{{order_id}}}"))
        if o.status == Status.REFUNDED and order_id != unsettled:
            rows.append((o.delivered + pd.Timedelta(hours=6), "交易退款", f"T200P{order_id}",
                         "退款", -o.total, "售后退款"))
    lines = ["#支付宝账务明细查询", "#账号：[20880312345601560156]",
             f"#起始日期：[{today:%Y年%m月}01日 00:00:00]   "
             f"终止日期：[{today:%Y年%m月%d日} 00:00:00]",
             "#-----------------------------------------账务明细列表------------------------------"
             "----------",
             "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
             "账户余额（元）,交易渠道,业务类型,备注,"]
    balance, income, spent, n_in, n_out = 0, 0, 0, 0, 0
    for at, business, merchant, name, amount, note in sorted(rows):
        serial += 1
        balance += amount
        if amount >= 0:
            income, n_in = income + amount, n_in + 1
        else:
            spent, n_out = spent + amount, n_out + 1
        lines.append(",".join([f"2026{serial:024d}\t", f"2026{serial:022d}\t",
                               f"{merchant}\t" if merchant else "", name,
                               f"{at:%Y-%m-%d %H:%M:%S}", "", _yuan(amount) if amount >= 0
                               else "", _yuan(amount) if amount < 0 else "", _yuan(balance),
                               "支付宝", business, note, ""]))
    lines += ["#-----------------------------------------账务明细列表结束------------------------"
              "------------",
              f"#支出合计：{n_out}笔，共{_yuan(spent)}元",
              f"#收入合计：{n_in}笔，共{_yuan(income)}元",
              f"#导出时间：[{today:%Y年%m月%d日} 07:00:00]"]
    path = folder / f"20880312345601560156_{today:%Y%m%d}_账务明细.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def _wechat(folder, orders, limit, unsettled, high, today) -> Path:
    header = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,"
              "交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,"
              "商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
              "手续费,费率,订单金额,申请退款金额,费率备注").split(",")
    rows, settled, refunded, fees, n = [], 0, 0, 0, 0
    for i, (order_id, o) in enumerate(orders.iterrows()):
        if o.paid >= limit:
            continue
        fee = round(o.total * RATES[Channel.WECHAT])
        wx = f"42000023452026{i:014d}"
        rows.append([o.paid, wx, order_id, "SUCCESS", o.total, "0", 0, fee])
        settled, fees, n = settled + o.total, fees + fee, n + 1
        if o.status == Status.REFUNDED and order_id != unsettled:
            back = o.paid + pd.Timedelta(days=3)
            if back < limit:
                rows.append([back, wx, order_id, "REFUND", 0, f"5000050554{i:019d}", o.total,
                             -fee])
                refunded, fees, n = refunded + o.total, fees - fee, n + 1
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for at, wx, order_id, state, amount, refund_id, back, fee in sorted(rows):
        cells = [f"{at:%Y-%m-%d %H:%M:%S}", "wx8888888888888888", "1900000109", "0", "", wx,
                 order_id, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "JSAPI", state, "OTHERS", "CNY",
                 _yuan(amount), "0.00", refund_id, f"RF{order_id}" if back else "0",
                 _yuan(back), "0.00", "ORIGINAL" if back else "", "SUCCESS" if back else "",
                 "小园好物订单", "", _yuan(fee), "0.60%", _yuan(amount), _yuan(back), ""]
        w.writerow(["`" + c for c in cells])
    w.writerow(["总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额", "手续费总金额",
                "订单总金额", "申请退款总金额"])
    w.writerow(["`" + c for c in (str(n), _yuan(settled), _yuan(refunded), "0.00", _yuan(fees),
                                  _yuan(settled), _yuan(refunded))])
    path = folder / f"微信支付交易账单_1900000109_{today:%Y%m%d}.csv"
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    return path


def _xiaohongshu(folder, orders, limit, unsettled, high, today) -> Path:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow("订单号,售后单号,结算时间,结算类型,商品金额,运费,佣金,支付渠道费,分销佣金,结算金额"
               .split(","))
    for order_id, o in orders.iterrows():
        at = _when(o, 3).normalize() + pd.Timedelta(hours=3)
        if at >= limit:
            continue
        commission = round(o.total * RATES[Channel.XIAOHONGSHU])
        payment = round(o.total * XHS_PAYMENT)
        w.writerow([order_id, "", f"{at:%Y-%m-%d %H:%M:%S}", "订单结算", _yuan(o.total), "0.00",
                    _yuan(commission), _yuan(payment), "0.00",
                    _yuan(o.total - commission - payment)])
        back = at + pd.Timedelta(hours=12)
        if o.status == Status.REFUNDED and order_id != unsettled and back < limit:
            w.writerow([order_id, f"AS{order_id[-8:]}", f"{back:%Y-%m-%d %H:%M:%S}", "售后退款",
                        _yuan(o.total), "0.00", _yuan(commission), _yuan(payment), "0.00",
                        _yuan(-(o.total - commission - payment))])
    path = folder / f"小红书结算明细_{today:%Y%m%d}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
