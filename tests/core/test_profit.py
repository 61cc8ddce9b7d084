"""Profit by hand: one order of each channel, a refund, a kit, a fee estimated where nothing
was settled, costs at the moving average of receipts, the month's expenses."""

from __future__ import annotations

import pandas as pd

from shopsheet.core.profit import month_totals, order_costs, order_profit, sku_matrix, unit_costs

T = pd.Timestamp
NOV = (T("2026-11-01"), T("2026-12-01"))
PRODUCTS = pd.DataFrame({"sku": ["A", "B"], "cost": [10.0, 4.0]})
POS = pd.DataFrame({"po_no": ["PO1", "PO2"], "sku": ["A", "A"], "qty": [10, 10],
                    "unit_cost": [12.0, None]})


def ledger() -> pd.DataFrame:
    rows = [  # time, sku, change, reason, reference
        ("2026-10-01 00:00", "A", 10, "opening", None),  # 10 at Products' cost 10.00
        ("2026-10-01 00:00", "B", 20, "opening", None),
        ("2026-11-02 10:00", "A", -2, "sale", "S1#1"),  # avg 10.00
        ("2026-11-03 09:00", "A", 10, "receipt", "PO1"),  # (8 × 10 + 10 × 12) / 18 = 11.111…
        ("2026-11-04 10:00", "A", -3, "sale", "T9#1"),  # at 11.111…: 33.33
        ("2026-11-05 10:00", "A", -1, "sale", "K7#1/A"),  # a kit's part
        ("2026-11-05 10:00", "B", -2, "sale", "K7#1/B"),  # 2 × 4.00
        ("2026-11-06 10:00", "A", -1, "sale", "#1001#1"),  # a Shopify order id with its '#'
        ("2026-11-06 11:00", "A", 1, "cancel", "#1001#1"),  # undone before shipping
        ("2026-11-07 09:00", "A", 10, "receipt", "PO2"),  # no unit cost: Products' 10.00
        ("2026-11-08 10:00", "B", -1, "sale", "P5#1"),  # 4.00
    ]
    frame = pd.DataFrame(rows, columns=["time", "sku", "change", "reason", "reference"])
    frame["time"] = pd.to_datetime(frame["time"])
    return frame


def orders() -> pd.DataFrame:
    rows = [  # order, channel, status, paid, shipped, sku, qty, price, total, shipping
        ("S1", "shopify", "delivered", "2026-11-02 10:00", "2026-11-03", "A", 2, 30.0, 60.0, 0.0),
        ("T9", "taobao", "refunded", "2026-11-04 10:00", "2026-11-05", "A", 3, 30.0, 90.0, 6.0),
        ("K7", "wechat", "shipped", "2026-11-05 10:00", "2026-11-06", "K", 1, 50.0, 50.0, 0.0),
        ("#1001", "shopify", "refunded", "2026-11-06 10:00", None, "A", 1, 30.0, 30.0, 0.0),
        ("P5", "xiaohongshu", "delivered", "2026-11-08 10:00", "2026-11-09", "B", 1, 20.0, 20.0,
         0.0),
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "channel", "status", "paid", "shipped",
                                        "sku", "qty", "unit_price", "line_total",
                                        "shipping_fee"])
    frame["paid"] = pd.to_datetime(frame["paid"])
    frame["shipped"] = pd.to_datetime(frame["shipped"])
    frame["created"] = frame["paid"]
    frame["line"] = 1
    return frame


def settlements() -> pd.DataFrame:
    rows = [  # time, order, type, gross, fee
        ("2026-11-03", "S1", "sale", 60.0, -1.74),
        ("2026-11-06", "T9", "sale", 96.0, 0.0),
        ("2026-11-06", "T9", "commission", 0.0, -4.8),
        ("2026-11-08", "T9", "refund", -96.0, 0.0),
        ("2026-11-20", None, "fee", 0.0, -2.5),  # a monthly service fee, no order
        ("2026-11-11", "P5", "sale", 20.0, -0.12),
        ("2026-11-11", "P5", "commission", 0.0, -1.0),
    ]
    frame = pd.DataFrame(rows, columns=["time", "order_id", "type", "gross", "fee"])
    frame["time"] = pd.to_datetime(frame["time"])
    return frame


def test_moving_average_costs():
    costs = unit_costs(ledger(), POS, PRODUCTS)
    assert costs[2] == 1000  # before any receipt: Products' cost
    assert round(costs[4], 4) == round((8 * 1000 + 10 * 1200) / 18, 4)
    by_order = order_costs(ledger(), costs).to_dict()
    assert by_order == {"S1": 2000, "T9": 3333, "K7": 1111 + 800, "#1001": 0, "P5": 400}


def test_profit_per_order_and_month():
    expenses = pd.DataFrame({"date": pd.to_datetime(["2026-11-10", "2026-10-30", "2026-11-03"]),
                             "amount": [120.0, 99.0, 8.5],
                             "order_id": [None, None, "S1"]})  # a carrier's bill for S1
    per = order_profit(orders(), settlements(), ledger(), POS, PRODUCTS, expenses, *NOV,
                       commission=0.05, packaging=1.0)
    got = {o: (r.revenue, r.refunds, r.fees, bool(r.estimated), r.cost, r.shipping, r.packaging,
               r.profit) for o, r in per.iterrows()}
    assert got == {
        "S1": (6000, 0, 174, False, 2000, 850, 100, 2876),
        "T9": (9600, 9600, 480, False, 3333, 0, 100, -3913),  # refunded: the cost stays lost
        "K7": (5000, 0, 250, True, 1911, 0, 100, 2739),  # nothing settled: 5 % estimated
        "#1001": (3000, 3000, 150, True, 0, 0, 0, -150),  # never sent: no packaging
        "P5": (2000, 0, 112, False, 400, 0, 100, 1388),  # payment fee + commission row
    }
    month = month_totals(per, settlements(), expenses, *NOV)
    assert month == {"revenue": 25600, "refunds": 12600, "fees": 1166, "cost": 7644,
                     "shipping": 850, "packaging": 400, "other_fees": 250,
                     "expenses": 12000,  # S1's bill counted once, on S1
                     "profit": 25600 - 12600 - 1166 - 7644 - 850 - 400 - 250 - 12000}


def test_the_profitability_matrix():
    costs = unit_costs(ledger(), POS, PRODUCTS)
    table = sku_matrix(orders()[orders()["order_id"] != "P5"], ledger(), costs, *NOV)
    # A: 6 units, revenue 180.00, cost 20.00 + 33.33 + 0 = 53.33; K: 1 kit, 50.00, cost 19.11
    assert table.loc["A", ["units", "revenue", "cost"]].tolist() == [6, 18000, 5333]
    assert table.loc["K", ["units", "revenue", "cost"]].tolist() == [1, 5000, 1911]
    assert table.loc["A", "quadrant"].startswith("star")  # margin 70.4 % ≥ median, 6 units
    assert table.loc["K", "quadrant"].startswith("review")
