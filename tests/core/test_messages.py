"""Which orders are due which customer message, and the filled texts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from shopsheet.core.messages import due, fill

T = pd.Timestamp
NOW = dt.datetime(2026, 11, 21, 8, 0)


def orders() -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": ["P", "P", "S", "D", "OLD"],
        "channel": ["xiaohongshu", "xiaohongshu", "shopify", "taobao", "taobao"],
        "status": ["paid", "paid", "shipped", "delivered", "delivered"],
        "paid": [T("2026-11-20 21:00")] * 2 + [T("2026-11-19 10:00"), T("2026-11-10"),
                                               T("2026-11-01")],
        "shipped": [pd.NaT, pd.NaT, T("2026-11-20 18:00"), T("2026-11-12"), T("2026-11-02")],
        "delivered": [pd.NaT, pd.NaT, pd.NaT, T("2026-11-17"), T("2026-11-05")],
        "customer": ["李娜", "李娜", None, "王芳", "张伟"],
        "product": ["玫瑰花茶", None, "Tea", "杯子", "杯子"], "sku": ["A001", "B001", "A001",
                                                                   "C001", "C001"],
        "qty": [2, 1, 1, 1, 1], "unit_price": [0.1, 19.9, 89.0, 30.0, 30.0],
        "line_total": [0.2, None, 89.0, 30.0, 30.0], "shipping_fee": [0.1, None, 8.0, 0, 0],
        "carrier": [None, None, "SF", "YTO", "YTO"], "tracking_no": [None, None, "SF1", "Y1",
                                                                     "Y2"],
    })


def test_who_is_due_what():
    o = orders()
    assert due(o, "confirmation", NOW)["order_id"].tolist() == ["P", "P"]
    assert due(o, "shipping", NOW)["order_id"].tolist() == ["S"]
    assert due(o, "follow-up", NOW)["order_id"].tolist() == ["D"]  # delivered 4 days ago
    with pytest.raises(ValueError):
        due(o, "birthday", NOW)


def test_texts_are_filled_in_the_customers_language_with_an_exact_total():
    templates = {"zh": "${customer}，您好！${shop_name} 已收到订单 ${order_id}：\n${items}\n"
                       "合计 ¥${total} ${nosuch}",
                 "en": "Hi ${customer}, ${order_id}: ${total} via ${carrier} ${tracking_no}"}
    o = orders()
    zh, en = fill(o[o["order_id"].isin(["P", "S"])], templates, "花间", "zh")
    assert zh["language"] == "zh" and zh["customer"] == "李娜"
    # 0.2 + 19.9 (qty × price where the total is blank) + 0.1 shipping = 20.20 exactly
    assert zh["text"] == ("李娜，您好！花间 已收到订单 P：\n  · 玫瑰花茶 × 2\n  · B001 × 1\n"
                          "合计 ¥20.20 ${nosuch}")
    assert en["language"] == "en"  # a Shopify buyer
    assert en["text"] == "Hi customer, S: 97.00 via SF SF1"
