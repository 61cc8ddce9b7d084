"""Settlement files: what platforms and payment providers actually paid, refunded and charged.

The same contract as the order exports (`Profile`: declared columns under the headers the
back ends write, a header signature that detects the format, `lines`), here giving rows of the
Settlements sheet: time, channel, order id, type (`core.words.Movement`), gross, fee, net,
currency, payout id, a transaction id that keys the row (so a file imported twice adds
nothing), the provider and a note. A fee is money out: negative, and `net = gross + fee`.

- **Shopify Payments** transactions export (`payment_transactions_export_*.csv`): Transaction
  Date (with its UTC offset), Type (charge, refund, adjustment, chargeback, payout…), Order
  (`#1001`, as the order export's Name), Payout Status/Date/ID, Available On, Amount, Fee,
  Net, Currency. It has no id per row: the key is made of the time, type, order, checkout
  and amount, which together are unique in Shopify's own file.
- **Alipay 账务明细** as Taobao/Tmall sellers download it: GBK, `#` comment lines above and
  below the table; 账务流水号 (the key), 业务流水号, 商户订单号 (`T200P` + the Taobao order
  number for a Taobao sale), 商品名称, 发生时间, 对方账号, 收入金额（+元）, 支出金额（-元）,
  账户余额（元）, 交易渠道, 业务类型, 备注. Fees and commissions come as their own rows.
- **WeChat Pay 交易账单**: every value behind a backtick (so Excel keeps long numbers), two
  totals lines at the end; 交易时间, 微信订单号, 商户订单号 (the order id), 交易状态 (SUCCESS,
  REFUND, REVOKED), 应结订单金额, 退款金额, 手续费, 费率, 微信退款单号.
- **Xiaohongshu 千帆 结算明细**: no public column list was found; the fields the issue names
  are read under their Chinese and English headers (订单号, 售后单号, 商品金额, 运费, 佣金,
  支付渠道费, 分销佣金, 结算金额, 结算时间, 结算类型); one row of the file gives the sale (or
  refund) and one row per fee or commission charged on it.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.language import N_, _
from shopsheet.core.problems import Problem
from shopsheet.core.words import Channel, Movement
from shopsheet.importers.base import Col, Profile, Tables

SETTLEMENT_FIELDS = ["time", "channel", "order_id", "type", "gross", "fee", "net", "currency",
                     "payout_id", "transaction_id", "provider", "note", "source"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=SETTLEMENT_FIELDS)


def _cents(value) -> int:
    """A parsed amount (float or None) as whole cents: the sums below stay exact."""
    return 0 if value is None or value != value else int(round(float(value) * 100))


MOST = 10**12  # yuan (or dollars): no shop's settlement comes near; beyond it, a slip


def _parsed(cls: type[Profile], table: pd.DataFrame, source: str,
            zone: ZoneInfo | None) -> tuple[pd.DataFrame, list[Problem]]:
    """`cls.parse`, with amounts no shop settles (a trillion or more) named and left out, so
    the sums below stay within whole numbers."""
    frame, problems = cls.parse(table, source, zone)
    for name, col in cls.columns.items():
        header = col.header_in(table)
        if col.kind != "money" or header is None:
            continue
        huge = frame[name].map(lambda v: v is not None and v == v and abs(v) >= MOST)
        problems += [Problem(source, f"row {r}", header, table.at[r, header],
                             _("an amount under {most}").format(most=f"{MOST:,}"))
                     for r in frame.index[huge]]
        frame.loc[huge, name] = None
    return frame, problems


def _rows(frame: pd.DataFrame, source: str, **fixed) -> pd.DataFrame:
    """Settlement rows from a frame of the fields (cents in `gross`/`fee`), `source` per row."""
    out = frame.assign(**fixed, source=[f"{source}, row {r}" for r in frame.index])
    out["net"] = (out["gross"] + out["fee"]) / 100
    out["gross"] = out["gross"] / 100
    out["fee"] = out["fee"] / 100
    return out.reindex(columns=SETTLEMENT_FIELDS)


class ShopifyPayments(Profile):
    name = N_("Shopify Payments transactions export")
    key = "shopify-payments"
    channel = Channel.SHOPIFY
    signature = ("Transaction Date", "Type", "Order", "Payout Status", "Net")
    columns = {
        "time": Col("Transaction Date", "time", required=True),
        "kind": Col("Type", required=True),
        "order_id": Col("Order", "id"),
        "payout_id": Col("Payout ID", "id"),
        "payout_status": Col("Payout Status"),
        "amount": Col("Amount", "money", required=True),
        "fee": Col("Fee", "money"),
        "net": Col("Net", "money", required=True),
        "currency": Col("Currency"),
        "checkout": Col("Checkout", "id"),
        "card": Col(("Card Brand",)),
    }
    TYPES = {"charge": Movement.SALE, "refund": Movement.REFUND, "payout": Movement.PAYOUT,
             "adjustment": Movement.ADJUSTMENT, "chargeback": Movement.ADJUSTMENT,
             "chargeback won": Movement.ADJUSTMENT, "chargeback_won": Movement.ADJUSTMENT,
             "reserved funds": Movement.ADJUSTMENT, "application fee": Movement.FEE,
             "shipping label": Movement.FEE, "tax adjustment": Movement.ADJUSTMENT}

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        source, table = tables.find(cls)
        frame, problems = _parsed(cls, table, source, zone)
        kinds = frame["kind"].fillna("").str.strip().str.lower()
        known = kinds.map(cls.TYPES)
        problems += [Problem(source, f"row {r}", "Type", k, _(
            "a Shopify transaction type (charge, refund, adjustment, chargeback, payout…)"))
                     for r, k in kinds[known.isna()].items()]
        gross = frame["amount"].map(_cents)
        fee = -frame["fee"].map(_cents)
        off = gross + fee - frame["net"].map(_cents)
        problems += [Problem(source, f"row {r}", "Net", frame.at[r, "net"],
                             f"Amount − Fee = {(gross[r] + fee[r]) / 100:.2f}")
                     for r in off[off != 0].index]
        key = [f"shopify|{t}|{k}|{o or ''}|{c or ''}|{g}" for t, k, o, c, g in
               zip(frame["time"], kinds, frame["order_id"], frame["checkout"], gross)]
        out = pd.DataFrame({"time": frame["time"], "order_id": frame["order_id"], "type": known,
                            "gross": gross, "fee": fee, "currency": frame["currency"],
                            "payout_id": frame["payout_id"], "transaction_id": key,
                            "note": frame["payout_status"].map(
                                lambda s: f"payout {s}" if isinstance(s, str) and s else None)},
                           index=frame.index)
        return _rows(out, source, channel=cls.channel, provider="Shopify Payments"), problems


class AlipayLedger(Profile):
    name = N_("Alipay 账务明细")
    key = "alipay"
    channel = Channel.TAOBAO
    signature = ("账务流水号", "发生时间", "业务类型")
    columns = {
        "transaction_id": Col("账务流水号", "id", required=True),
        "business_id": Col("业务流水号", "id"),
        "merchant_order": Col("商户订单号", "id"),
        "product": Col("商品名称"),
        "time": Col("发生时间", "time", required=True),
        "income": Col(("收入金额（+元）", "收入金额(+元)", "收入金额"), "money"),
        "expense": Col(("支出金额（-元）", "支出金额(-元)", "支出金额"), "money"),
        "business": Col("业务类型", required=True),
        "note": Col("备注"),
    }
    # 业务类型 (and the words in 备注 for a fee) → Movement
    FEES = ("服务费", "手续费", "收费", "技术服务费", "软件服务费", "花呗", "信用卡")
    COMMISSIONS = ("佣金", "淘宝客", "天猫佣金", "返点")

    @classmethod
    def movement(cls, business: str, note: str, amount: int) -> str:
        words = f"{business} {note}"
        if "提现" in business:
            return Movement.PAYOUT
        if any(w in words for w in cls.COMMISSIONS):
            return Movement.COMMISSION
        if any(w in business for w in cls.FEES) or (business == "其他" and amount < 0
                                                      and any(w in note for w in cls.FEES)):
            return Movement.FEE
        if "退款" in business:
            return Movement.REFUND
        if "交易" in business or "在线支付" in business or "收款" in business:
            return Movement.SALE if amount >= 0 else Movement.REFUND
        return Movement.ADJUSTMENT

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        source, table = tables.find(cls)
        frame, problems = _parsed(cls, table, source, None)
        amount = frame["income"].map(_cents) - frame["expense"].map(_cents).abs()
        business = frame["business"].fillna("")
        note = frame["note"].fillna("")
        kind = [cls.movement(b, n, a) for b, n, a in zip(business, note, amount)]
        kinds = pd.Series(kind, index=frame.index)
        charge = kinds.isin((Movement.FEE, Movement.COMMISSION))  # a fee row: all of it fee
        order = frame["merchant_order"].map(
            lambda o: re.sub(r"^T200P", "", o) if isinstance(o, str) else None)
        named = note.str.extract(r"(\d{15,20})", expand=False)  # a fee's note names its order
        out = pd.DataFrame({
            "time": frame["time"], "order_id": order.where(~charge | order.notna(), named),
            "type": kind, "gross": amount.where(~charge, 0), "fee": amount.where(charge, 0),
            "currency": "CNY", "payout_id": None,
            "transaction_id": "alipay|" + frame["transaction_id"].astype(str),
            "note": (business + " " + frame["product"].fillna("") + " " + note).str.strip()},
            index=frame.index)
        return _rows(out, source, channel=cls.channel, provider="Alipay 支付宝"), problems


class WeChatPayBill(Profile):
    name = N_("WeChat Pay 交易账单")
    key = "wechat-pay"
    channel = Channel.WECHAT
    signature = ("交易时间", "微信订单号", "商户订单号", "交易状态")
    columns = {
        "time": Col("交易时间", "time", required=True),
        "wx_order": Col("微信订单号", "id", required=True),
        "order_id": Col("商户订单号", "id"),
        "state": Col("交易状态", required=True),
        "settled": Col(("应结订单金额", "订单金额"), "money"),
        "refund": Col(("退款金额", "申请退款金额"), "money"),
        "refund_id": Col("微信退款单号", "id"),
        "fee": Col("手续费", "money"),
        "rate": Col("费率"),
        "currency": Col("货币种类"),
        "product": Col("商品名称"),
    }

    @classmethod
    def matches(cls, table: pd.DataFrame) -> bool:
        return super().matches(_unticked(table))

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        source, table = tables.find(cls)
        table = _unticked(table)
        first = table.iloc[:, 0].astype(str).str.strip()
        totals = first.eq("总交易单数")  # the totals lines close the bill
        if totals.any():
            table = table.loc[:first.index[totals.to_numpy().argmax()] - 1]
        frame, problems = _parsed(cls, table, source, None)
        state = frame["state"].fillna("").str.upper()
        refunded = state.eq("REFUND")
        gross = frame["settled"].map(_cents).where(~refunded, -frame["refund"].map(_cents).abs())
        fee = -frame["fee"].map(_cents)  # on a refund row WeChat gives the fee back: negative
        kind = state.map({"SUCCESS": Movement.SALE, "REFUND": Movement.REFUND}) \
            .fillna(Movement.ADJUSTMENT)
        key = "wechat|" + frame["wx_order"].astype(str) + "|" + state + \
            "|" + frame["refund_id"].fillna("").astype(str)
        currency = frame["currency"].fillna("CNY").replace({"": "CNY"})
        out = pd.DataFrame({"time": frame["time"], "order_id": frame["order_id"], "type": kind,
                            "gross": gross, "fee": fee, "currency": currency.to_numpy(),
                            "payout_id": None, "transaction_id": key,
                            "note": ("rate " + frame["rate"].fillna("")).where(
                                frame["rate"].notna(), None)}, index=frame.index)
        return _rows(out, source, channel=cls.channel, provider="WeChat Pay 微信支付"), problems


def _unticked(table: pd.DataFrame) -> pd.DataFrame:
    """WeChat writes every value (and some headers) behind a backtick: without it."""
    clean = table.rename(columns=lambda h: str(h).lstrip("`").strip())
    return clean.apply(lambda col: col.map(lambda v: v.lstrip("`") if isinstance(v, str) else v))


class XiaohongshuSettlement(Profile):
    name = N_("Xiaohongshu 千帆 结算明细")
    key = "xiaohongshu-settlement"
    channel = Channel.XIAOHONGSHU
    signature = ("订单号", "结算金额")
    columns = {
        "order_id": Col(("订单号", "Order ID", "Package ID", "包裹号"), "id", required=True),
        "after_sale": Col(("售后单号", "After-sale ID"), "id"),
        "time": Col(("结算时间", "Settled At", "Settlement Time"), "time", required=True),
        "kind": Col(("结算类型", "类型", "Type")),
        "goods": Col(("商品金额", "商品实付", "Goods Amount"), "money"),
        "freight": Col(("运费", "Freight"), "money"),
        "commission": Col(("佣金", "平台佣金", "Commission"), "money"),
        "channel_fee": Col(("支付渠道费", "Payment Channel Fee"), "money"),
        "affiliate": Col(("分销佣金", "Distribution Commission"), "money"),
        "settled": Col(("结算金额", "Settled Amount"), "money", required=True),
    }

    @classmethod
    def lines(cls, tables: Tables, zone: ZoneInfo | None):
        source, table = tables.find(cls)
        frame, problems = _parsed(cls, table, source, None)
        kind = frame["kind"].fillna("").astype(str)
        refund = kind.str.contains("退款|售后|refund", case=False) | frame["after_sale"].notna()
        goods = frame["goods"].map(_cents) + frame["freight"].map(_cents)
        gross = goods.where(~refund, -goods.abs())
        parts = {"commission": Movement.COMMISSION, "channel_fee": Movement.FEE,
                 "affiliate": Movement.COMMISSION}
        sign = refund.map({True: 1, False: -1})  # charged on a sale, given back on a refund
        charged = {k: frame[k].map(_cents).abs() * sign for k in parts}
        off = gross + sum(charged.values()) - frame["settled"].map(_cents)
        problems += [Problem(source, f"row {r}", "结算金额", frame.at[r, "settled"],
                             f"商品金额 + 运费 − 佣金 − 支付渠道费 − 分销佣金 = "
                             f"{(gross[r] + sum(c[r] for c in charged.values())) / 100:.2f}")
                     for r in off[off != 0].index]
        base = "xhs|" + frame["order_id"].astype(str) + "|" + frame["after_sale"].fillna("") \
            .astype(str)
        rows = [pd.DataFrame({"time": frame["time"], "order_id": frame["order_id"],
                              "type": [Movement.REFUND if r else Movement.SALE for r in refund],
                              "gross": gross, "fee": 0, "transaction_id": base + "|goods"},
                             index=frame.index)]
        for name, movement in parts.items():
            amount = charged[name]
            hit = amount != 0
            rows.append(pd.DataFrame({"time": frame["time"], "order_id": frame["order_id"],
                                      "type": movement, "gross": 0, "fee": amount,
                                      "transaction_id": base + "|" + name},
                                     index=frame.index)[hit])
        out = pd.concat(rows).sort_index(kind="stable").assign(currency="CNY", payout_id=None,
                                                                note=None)
        return _rows(out, source, channel=cls.channel, provider="小红书千帆"), problems


SETTLEMENT_PROFILES: tuple[type[Profile], ...] = (ShopifyPayments, AlipayLedger, WeChatPayBill,
                                                  XiaohongshuSettlement)
