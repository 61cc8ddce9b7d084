"""The weekly or monthly review on the Dashboard: the KPIs against the previous period, the
alerts, and the guide's "why?" prompts for the top and bottom sellers."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core import kpi
from shopsheet.core.language import _, counted
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
    weekly = period.label.startswith("week")

    def change(value: float | None) -> str:
        return (_("{change} vs previous") if weekly else _("{change} vs last month")).format(
            change=_pct(value))

    resp = kpi.response(q, period, sla_hours, max_hours)
    rows = [
        (_("Period"), period.said(), _("{first} to {last}").format(
            first=f"{period.start:%Y-%m-%d}",
            last=f"{period.end - pd.Timedelta(days=1):%Y-%m-%d}")),
        (_("Orders"), n, change(kpi.growth(n, n0))),
        (_("GMV (¥)"), _money(g), change(kpi.growth(g, g0))),
        (_("AOV (¥)"), _money(a), change(kpi.growth(a, a0)) + _("; GMV ÷ orders")),
        (_("Net revenue (¥)"), _money(kpi.net_revenue(o, r, period)), _("GMV − refunds")),
        (_("Profit margin (%)"), _money(kpi.profit_margin(o, p, period, commission)),
         _("(GMV − cost of goods − commission) ÷ GMV")),
        (_("Conversion (%)"), _money(kpi.conversion(o, period, visitors)),
         _("orders ÷ visitors") if visitors else _("enter visitors (--visitors) to see it")),
        (_("Return rate (%)"), _money(kpi.return_rate(o, r, period)),
         _("returns ÷ orders shipped")),
        (_("Orders shipped"), kpi.shipped_count(o, period), ""),
        (_("Orders pending"), kpi.pending_count(o, period),
         _("paid, not shipped at period end")),
        (_("Fulfilment time (h)"), _money(kpi.fulfilment_hours(o, period)),
         _("payment → shipping")),
        (_("Response time (h)"), _money(resp["mean_hours"]),
         _("{sla}% within {sla_hours} h, {max}% within {max_hours} h, {unanswered} "
           "unanswered").format(sla=_money(resp["within_sla"]), sla_hours=f"{sla_hours:g}",
                                max=_money(resp["within_max"]), max_hours=f"{max_hours:g}",
                                unanswered=resp["unanswered"])),
        (_("Repeat customers (%)"), _money(kpi.repeat_rate(o, period)),
         _("had ordered before")),
        (_("Customer lifetime value (¥)"), _money(kpi.lifetime_value(o, period)),
         _("all-time GMV ÷ customers")),
        (_("Inventory turnover"), _money(kpi.inventory_turnover(o, p, ledger, period)),
         _("cost of goods ÷ average stock at cost")),
    ]
    names = p.drop_duplicates("sku").set_index("sku")["product"]
    top, bottom = kpi.top_bottom(o, p, period)
    units = kpi.units_per_product(o, period)
    for sku, money in top.items():
        rows.append((_("Top seller"), f"{sku} {names.get(sku, '')}", _(
            "¥{money}, {units} — why? Keep it in stock, feature it, bundle it, try a higher "
            "price?").format(money=f"{money:,.0f}",
                             units=counted("{n} unit", "{n} units", int(units.get(sku, 0))))))
    for sku, money in bottom.items():
        rows.append((_("Bottom seller"), f"{sku} {names.get(sku, '')}", _(
            "¥{money} — why? Photos, price, season, placement? Fix it, bundle it or clear "
            "it.").format(money=f"{money:,.0f}")))
    slow = kpi.slow_movers(o, p, today)
    alerts = []
    if slow:
        alerts.append(_("Slow-moving stock (no sale in 30 days): {skus}").format(
            skus=", ".join(slow)))
    low = p[among(p["reorder_flag"], NEEDS_STOCK)]["sku"].tolist()
    if low:
        alerts.append(_("Needs reordering: {skus}").format(skus=", ".join(low)))
    if resp["within_sla"] is not None and resp["within_sla"] < 80:
        alerts.append(_("Only {share}% of inquiries answered within {hours} h").format(
            share=f"{resp['within_sla']:.0f}", hours=f"{sla_hours:g}"))
    rows += [(_("Alert"), text, "") for text in alerts]
    summary = _("Review {period}: {orders} ({growth}), GMV ¥{gmv} ({gmv_growth}), AOV ¥{aov}; "
                "top {top}; bottom {bottom}").format(
        period=period.said(), orders=counted("{n} order", "{n} orders", n),
        growth=_pct(kpi.growth(n, n0)), gmv=f"{g:,.2f}", gmv_growth=_pct(kpi.growth(g, g0)),
        aov=f"{(a or 0):,.2f}", top=", ".join(top.index), bottom=", ".join(bottom.index))
    return pd.DataFrame(rows, columns=["metric", "value", "note"]), summary, alerts
