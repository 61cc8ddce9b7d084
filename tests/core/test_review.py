"""The weekly review's Dashboard rows on the KPI tests' tiny shop: the figures against the week
before, the top and bottom sellers with the guide's "why?", and the alerts."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core import kpi
from shopsheet.core.review import review_rows
from tests.core.test_kpi import PRODUCTS, RETURNS, WEEK, orders

T = pd.Timestamp


def frames() -> dict[str, pd.DataFrame]:
    products = PRODUCTS.assign(product=["Tea", "Cup", "Pot", "Lid"],
                               reorder_flag=["ok", "reorder", "out of stock", "ok"],
                               price=[100.0, 50.0, 25.0, 10.0])
    inquiries = pd.DataFrame({"received": [T("2026-11-10 09:00"), T("2026-11-11 09:00")],
                              "responded": [T("2026-11-10 10:00"), T("2026-11-12 09:00")]})
    ledger = pd.DataFrame({"time": [T("2026-11-01")] * 4, "sku": ["A", "B", "C", "D"],
                           "change": [10, 5, 0, 8], "reason": ["opening"] * 4})
    return {"Orders": orders(), "Products": products, "Returns": RETURNS,
            "Inquiries": inquiries, "StockLedger": ledger}


def test_the_weeks_review():
    rows, summary, alerts = review_rows(frames(), WEEK, dt.date(2026, 11, 16), commission=0.05,
                                        sla_hours=12, max_hours=24, visitors=None)
    by = {m: (v, note) for m, v, note in rows.itertuples(index=False) if m not in
          ("Top seller", "Bottom seller", "Alert")}
    assert by["Period"] == ("week", "2026-11-09 to 2026-11-15")
    # the week before holds P1 only: 1 order, ¥100
    assert by["Orders"] == (4, "+300.0% vs previous")
    assert by["GMV (¥)"] == (550.0, "+450.0% vs previous")
    assert by["AOV (¥)"] == (137.5, "+37.5% vs previous; GMV ÷ orders")
    assert by["Net revenue (¥)"][0] == 400.0
    assert by["Conversion (%)"] == (None, "enter visitors (--visitors) to see it")
    assert by["Response time (h)"][0] == 12.5  # 1 h and 24 h
    assert by["Response time (h)"][1].startswith("50.0% within 12 h, 100.0% within 24 h")
    top = rows[rows["metric"] == "Top seller"]
    assert top.iloc[0]["value"] == "A Tea" and top.iloc[0]["note"].startswith("¥300, 3 units")
    assert alerts[-2:] == ["Needs reordering: B, C",
                           "Only 50% of inquiries answered within 12 h"]
    assert rows[rows["metric"] == "Alert"]["value"].tolist() == alerts
    assert summary.startswith("Review week: 4 orders (+300.0%), GMV ¥550.00 (+450.0%), "
                              "AOV ¥137.50; top A")
    assert kpi.gmv(orders(), WEEK) == 550  # the same figure the KPI module gives
