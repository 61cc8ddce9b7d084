"""The weekly or monthly review on the Dashboard: the KPIs against the previous period, the
alerts, and the guide's "why?" prompts for the top and bottom sellers."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core import kpi
from shopsheet.core.membership import among
from shopsheet.core.words import NEEDS_STOCK


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def _money(value: float | None) -> object:
    return None if value is None else round(value, 2)


def review_rows(frames: dict[str, pd.DataFrame], period: kpi.Period, today: dt.date,
                commission: float, sla_hours: float, max_hours: float,
                visitors: int | None) -> tuple[pd.DataFrame, str, list[str]]:
    """(Dashboard rows, one-line summary, alerts)."""
    o, p = frames["Orders"], frames["Products"]
    r, q, ledger = frames["Returns"], frames["Inquiries"], frames["StockLedger"]
    prev = period.previous()
    n, n0 = kpi.order_count(o, period), kpi.order_count(o, prev)
    g, g0 = kpi.gmv(o, period), kpi.gmv(o, prev)
    a, a0 = kpi.aov(o, period), kpi.aov(o, prev)
    change = "vs previous" if period.label.startswith("week") else "vs last month"
    resp = kpi.response(q, period, sla_hours, max_hours)
    rows = [
        ("Period", period.label,
         f"{period.start:%Y-%m-%d} to {period.end - pd.Timedelta(days=1):%Y-%m-%d}"),
        ("Orders", n, f"{_pct(kpi.growth(n, n0))} {change}"),
        ("GMV (¥)", _money(g), f"{_pct(kpi.growth(g, g0))} {change}"),
        ("AOV (¥)", _money(a), f"{_pct(kpi.growth(a, a0))} {change}; GMV ÷ orders"),
        ("Net revenue (¥)", _money(kpi.net_revenue(o, r, period)), "GMV − refunds"),
        ("Profit margin (%)", _money(kpi.profit_margin(o, p, period, commission)),
         "(GMV − cost of goods − commission) ÷ GMV"),
        ("Conversion (%)", _money(kpi.conversion(o, period, visitors)),
         "orders ÷ visitors" if visitors else "enter visitors (--visitors) to see it"),
        ("Return rate (%)", _money(kpi.return_rate(o, r, period)), "returns ÷ orders shipped"),
        ("Orders shipped", kpi.shipped_count(o, period), ""),
        ("Orders pending", kpi.pending_count(o, period), "paid, not shipped at period end"),
        ("Fulfilment time (h)", _money(kpi.fulfilment_hours(o, period)), "payment → shipping"),
        ("Response time (h)", _money(resp["mean_hours"]),
         f"{_money(resp['within_sla'])}% within {sla_hours:g} h, {_money(resp['within_max'])}% "
         f"within {max_hours:g} h, {resp['unanswered']} unanswered"),
        ("Repeat customers (%)", _money(kpi.repeat_rate(o, period)), "had ordered before"),
        ("Customer lifetime value (¥)", _money(kpi.lifetime_value(o, period)),
         "all-time GMV ÷ customers"),
        ("Inventory turnover", _money(kpi.inventory_turnover(o, p, ledger, period)),
         "cost of goods ÷ average stock at cost"),
    ]
    names = p.drop_duplicates("sku").set_index("sku")["product"]
    top, bottom = kpi.top_bottom(o, p, period)
    units = kpi.units_per_product(o, period)
    for sku, money in top.items():
        rows.append(("Top seller", f"{sku} {names.get(sku, '')}", f"¥{money:,.0f}, "
                     f"{int(units.get(sku, 0))} units — why? Keep it in stock, feature it, "
                     "bundle it, try a higher price?"))
    for sku, money in bottom.items():
        rows.append(("Bottom seller", f"{sku} {names.get(sku, '')}", f"¥{money:,.0f} — why? "
                     "Photos, price, season, placement? Fix it, bundle it or clear it."))
    slow = kpi.slow_movers(o, p, today)
    alerts = []
    if slow:
        alerts.append(f"Slow-moving stock (no sale in 30 days): {', '.join(slow)}")
    low = p[among(p["reorder_flag"], NEEDS_STOCK)]["sku"].tolist()
    if low:
        alerts.append(f"Needs reordering: {', '.join(low)}")
    if resp["within_sla"] is not None and resp["within_sla"] < 80:
        alerts.append(f"Only {resp['within_sla']:.0f}% of inquiries answered within "
                      f"{sla_hours:g} h")
    rows += [("Alert", text, "") for text in alerts]
    summary = (f"Review {period.label}: {n} orders ({_pct(kpi.growth(n, n0))}), GMV "
               f"¥{g:,.2f} ({_pct(kpi.growth(g, g0))}), AOV ¥{(a or 0):,.2f}; top "
               f"{', '.join(top.index)}; bottom {', '.join(bottom.index)}")
    return pd.DataFrame(rows, columns=["metric", "value", "note"]), summary, alerts
