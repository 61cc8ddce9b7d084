"""Orders against settlements, by hand: one order of each channel, a refund settled and one not,
a partial refund, a fee row, an order nothing settled, and a stranger."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.reconcile import expected_cents, reconcile

T = pd.Timestamp
NOV = (T("2026-11-01"), T("2026-12-01"))
TODAY = dt.date(2026, 11, 30)


def orders() -> pd.DataFrame:
    rows = [  # order, channel, status, paid, qty, unit price, line total, shipping
        ("#1001", "shopify", "shipped", "2026-11-02 10:00", 2, 89.0, 178.0, 0.0),
        ("#1002", "shopify", "refunded", "2026-11-03 10:00", 1, 59.9, 59.9, 0.0),
        ("3101", "taobao", "delivered", "2026-11-04 10:00", 1, 116.0, None, 6.0),  # no total
        ("3102", "taobao", "refunded", "2026-11-05 10:00", 1, 40.0, 40.0, 0.0),
        ("WX1", "wechat", "delivered", "2026-11-06 10:00", 1, 198.0, 198.0, 0.0),
        ("WX2", "wechat", "delivered", "2026-11-06 11:00", 1, 100.0, 100.0, 0.0),
        ("WX3", "wechat", "delivered", "2026-11-06 12:00", 1, 100.0, 100.0, 0.0),
        ("WX4", "wechat", "delivered", "2026-11-06 13:00", 1, 100.0, 100.0, 0.0),
        ("P77", "xiaohongshu", "paid", "2026-11-07 10:00", 3, 10.0, 30.0, 0.0),
        ("P78", "xiaohongshu", "paid", "2026-11-29 10:00", 1, 10.0, 10.0, 0.0),  # too soon
        ("OCT", "taobao", "delivered", "2026-10-30 10:00", 1, 5.0, 5.0, 0.0),  # not this month
        ("C1", "taobao", "cancelled", "2026-11-08 10:00", 1, 5.0, 5.0, 0.0),  # never paid
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "channel", "status", "paid", "qty",
                                        "unit_price", "line_total", "shipping_fee"])
    frame["paid"] = pd.to_datetime(frame["paid"])
    frame["created"] = frame["paid"]
    return frame


def settlements() -> pd.DataFrame:
    rows = [  # time, channel, order, type, gross, fee, provider
        ("2026-11-04 09:00", "shopify", "#1001", "sale", 178.0, -5.52, "Shopify Payments"),
        ("2026-11-05 09:00", "shopify", "#1002", "sale", 59.9, -1.86, "Shopify Payments"),
        ("2026-11-06 09:00", "taobao", "3101", "sale", 122.0, 0.0, "Alipay"),
        ("2026-11-06 09:01", "taobao", "3101", "commission", 0.0, -6.1, "Alipay"),
        ("2026-11-07 09:00", "taobao", "3102", "sale", 40.0, 0.0, "Alipay"),
        ("2026-11-08 09:00", "taobao", "3102", "refund", -40.0, 0.0, "Alipay"),
        ("2026-11-09 09:00", "wechat", "WX1", "sale", 198.0, -1.19, "WeChat Pay"),
        ("2026-11-10 09:00", "wechat", "WX1", "refund", -50.0, 0.3, "WeChat Pay"),
        ("2026-11-09 10:00", "wechat", "WX2", "sale", 100.0, -0.6, "WeChat Pay"),
        ("2026-11-09 11:00", "wechat", "WX3", "sale", 100.0, -0.6, "WeChat Pay"),
        ("2026-11-09 12:00", "wechat", "WX4", "sale", 100.0, -2.0, "WeChat Pay"),  # 2 %
        ("2026-11-11 09:00", "wechat", "WX9", "sale", 20.0, -0.12, "WeChat Pay"),  # unknown
        ("2026-11-12 09:00", "taobao", None, "payout", -300.0, 0.0, "Alipay"),
        ("2026-12-02 09:00", "taobao", "3101", "fee", 0.0, -1.0, "Alipay"),  # next month
    ]
    frame = pd.DataFrame(rows, columns=["time", "channel", "order_id", "type", "gross", "fee",
                                        "provider"])
    frame["time"] = pd.to_datetime(frame["time"])
    frame["net"] = (frame["gross"] + frame["fee"]).round(2)
    return frame


def test_what_each_order_says_it_was_paid():
    want = expected_cents(orders())
    assert want.loc["3101", "expected"] == 12200  # 1 × 116.00 (no total) + 6.00 shipping
    assert want.loc["#1001", "expected"] == 17800


def test_each_order_against_what_was_settled():
    checked, fees, nets = reconcile(orders(), settlements(), *NOV, TODAY, wait_days=15)
    got = {r.order_id: (r.result, r.expected, r.settled, r.difference)
           for r in checked.itertuples()}
    assert got == {
        "#1001": ("matched", 17800, 17800, 0),
        "#1002": ("refund not settled", 5990, 5990, 5990),  # ¥59.90 will still go back
        "3101": ("matched", 12200, 12200, 0),
        "3102": ("refunded", 4000, 0, 0),
        "WX1": ("settled short", 19800, 14800, -5000),  # partly refunded
        "WX2": ("matched", 10000, 10000, 0), "WX3": ("matched", 10000, 10000, 0),
        # fee 2.00 where the channel's usual 0.60 % would be 0.60: ¥1.40 too much
        "WX4": ("fee above rate", 10000, 10000, -140),
        "P77": ("not settled", 3000, 0, -3000),  # 23 days after payment
        "P78": ("waiting", 1000, 0, 0),  # 1 day
        "WX9": ("unknown order", 0, 2000, 2000),
    }
    reasons = dict(zip(checked["order_id"], checked["reason"]))
    assert reasons["WX1"] == "partly refunded (¥50.00)"
    assert reasons["P77"] == "nothing settled 15 days after payment"
    assert reasons["WX4"] == ("fees ¥2.00 = 2.00% of the sale; the channel's usual rate this "
                              "month is 0.60%")
    # fees settled in November, per channel and kind (the December fee is not)
    assert sorted(map(tuple, fees.values.tolist())) == [
        ("shopify", "payment fees", -738), ("taobao", "commission", -610),
        ("wechat", "payment fees", -101 - 60 - 60 - 200)]
    # the files' own net for November, per channel: every row of the period, payout included
    by_channel = nets.groupby("channel")["net"].sum().to_dict()
    assert by_channel == {"shopify": 17248 + 5804, "taobao": 12200 - 610 + 4000 - 4000 - 30000,
                          "wechat": 19681 - 4970 + 1988 + 9940 + 9940 + 9800}
