"""The shop's KPIs, each with its formula. A period is [start, end); "paid" lines are those
with status paid, shipped, delivered or refunded (the buyer paid, whatever happened later).

    orders               distinct paid orders created in the period
    GMV                  Σ line totals of paid lines created in the period
    AOV                  GMV ÷ orders
    units per product    Σ qty of paid lines per SKU
    net revenue          GMV − refunds (Returns' refund amounts requested in the period, plus
                         refunded lines that never shipped and have no return)
    return rate          returns requested ÷ orders shipped in the period × 100
    conversion           orders ÷ visitors × 100 (only when visitors are entered)
    shipped / pending    orders shipped in the period / paid orders not shipped at its end
    fulfilment time      mean hours from payment to shipping, orders shipped in the period
    response time        mean hours from an inquiry to its answer; share within the SLA (2 h)
                         and within the maximum (24 h)
    top / bottom 3       products by revenue in the period (bottom: active products, 0 included)
    growth               (this period − previous period) ÷ previous period × 100
    profit margin        (GMV − cost of goods − platform commission × GMV) ÷ GMV × 100
    inventory turnover   cost of goods sold ÷ average stock value at cost (period start and end)
    repeat customers     period's customers who had ordered before ÷ period's customers × 100
    customer lifetime    all-time GMV ÷ all-time customers (revenue per customer so far)
    slow movers          SKUs in stock with no sale in the last 30 days
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from shopsheet.core.language import _
from shopsheet.core.ledger import stock_levels
from shopsheet.core.membership import among
from shopsheet.core.words import PAID, RETIRED, TO_SHIP, Status


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp
    end: pd.Timestamp
    label: str

    @classmethod
    def week_before(cls, today: dt.date) -> Period:
        """The last full Monday–Sunday week before `today`."""
        monday = pd.Timestamp(today) - pd.Timedelta(days=today.weekday() + 7)
        return cls(monday, monday + pd.Timedelta(days=7), f"week of {monday:%Y-%m-%d}")

    @classmethod
    def month_before(cls, today: dt.date) -> Period:
        end = pd.Timestamp(today.replace(day=1))
        start = (end - pd.Timedelta(days=1)).replace(day=1)
        return cls(start, end, f"{start:%Y-%m}")

    @classmethod
    def month_of(cls, first: dt.date) -> Period:
        """The calendar month that begins on `first`."""
        start = pd.Timestamp(first.replace(day=1))
        return cls(start, start + pd.offsets.MonthBegin(1), f"{start:%Y-%m}")

    def previous(self) -> Period:
        if self.start.day == 1 and self.end.day == 1:  # a calendar month
            start = (self.start - pd.Timedelta(days=1)).replace(day=1)
            return Period(start, self.start, f"{start:%Y-%m}")
        length = self.end - self.start
        start = self.start - length
        label = f"week of {start:%Y-%m-%d}" if length == pd.Timedelta(days=7) else \
            f"{start:%Y-%m-%d} to {self.start - pd.Timedelta(days=1):%Y-%m-%d}"
        return Period(start, self.start, label)

    def said(self) -> str:
        """The label in the language spoken now: `week of 2026-11-09` (`2026-11-09 当周`)."""
        if self.label.startswith("week of "):
            return _("week of {date}").format(date=self.label.removeprefix("week of "))
        if " to " in self.label:
            first, last = self.label.split(" to ")
            return _("{first} to {last}").format(first=first, last=last)
        return self.label

    def holds(self, times: pd.Series) -> pd.Series:
        return (times >= self.start) & (times < self.end)


def paid_lines(orders: pd.DataFrame, period: Period) -> pd.DataFrame:
    return orders[among(orders["status"], PAID) & period.holds(orders["created"])]


def _amount(lines: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(lines["line_total"]).fillna(lines["qty"] * lines["unit_price"])


def order_count(orders, period) -> int:
    return int(paid_lines(orders, period)["order_id"].nunique())


def gmv(orders, period) -> float:
    return float(_amount(paid_lines(orders, period)).sum())


def aov(orders, period) -> float | None:
    n = order_count(orders, period)
    return gmv(orders, period) / n if n else None


def units_per_product(orders, period) -> pd.Series:
    lines = paid_lines(orders, period)
    return lines.groupby("sku")["qty"].sum().astype(int).sort_values(ascending=False)


def refunds(orders, returns, period) -> float:
    rma = returns[period.holds(returns["requested"])]
    with_rma = set(returns["order_id"].dropna())
    early = orders[(orders["status"] == Status.REFUNDED) & orders["shipped"].isna()
                   & period.holds(orders["created"]) & ~among(orders["order_id"], with_rma)]
    return float(pd.to_numeric(rma["refund_amount"]).fillna(0).sum() + _amount(early).sum())


def net_revenue(orders, returns, period) -> float:
    return gmv(orders, period) - refunds(orders, returns, period)


def shipped_count(orders, period) -> int:
    return int(orders.loc[period.holds(orders["shipped"]), "order_id"].nunique())


def pending_count(orders, period) -> int:
    waiting = orders[(orders["status"] == TO_SHIP) & (orders["paid"] < period.end)
                     & orders["shipped"].isna()]
    return int(waiting["order_id"].nunique())


def return_rate(orders, returns, period) -> float | None:
    shipped = shipped_count(orders, period)
    asked = int(returns.loc[period.holds(returns["requested"]), "rma_no"].nunique())
    return asked / shipped * 100 if shipped else None


def conversion(orders, period, visitors: int | None) -> float | None:
    return order_count(orders, period) / visitors * 100 if visitors else None


def fulfilment_hours(orders, period) -> float | None:
    sent = orders[period.holds(orders["shipped"]) & orders["paid"].notna()]
    sent = sent.drop_duplicates("order_id")
    hours = (sent["shipped"] - sent["paid"]).dt.total_seconds() / 3600
    return float(hours.mean()) if len(hours) else None


def response(inquiries, period, sla_hours: float, max_hours: float) -> dict:
    asked = inquiries[period.holds(inquiries["received"])]
    hours = (asked["responded"] - asked["received"]).dt.total_seconds() / 3600
    answered = hours.dropna()
    return {"mean_hours": float(answered.mean()) if len(answered) else None,
            "within_sla": float((hours <= sla_hours).mean() * 100) if len(hours) else None,
            "within_max": float((hours <= max_hours).mean() * 100) if len(hours) else None,
            "unanswered": int(hours.isna().sum())}


def product_revenue(orders, products, period) -> pd.Series:
    lines = paid_lines(orders, period)
    money = _amount(lines).groupby(lines["sku"]).sum()
    active = products.loc[~among(products["status"], RETIRED), "sku"]
    return money.reindex(active).fillna(0.0).sort_values(ascending=False, kind="stable")


def top_bottom(orders, products, period, n: int = 3) -> tuple[pd.Series, pd.Series]:
    ranked = product_revenue(orders, products, period)
    return ranked.head(n), ranked.tail(n).sort_values(kind="stable")


def growth(current: float | None, previous: float | None) -> float | None:
    if current is None or not previous:
        return None
    return (current - previous) / previous * 100


def cost_of_goods(orders, products, period) -> float:
    lines = paid_lines(orders, period)
    cost = lines["sku"].map(products.drop_duplicates("sku").set_index("sku")["cost"])
    cost = pd.to_numeric(cost, errors="coerce").astype("float64")  # none sold: not text
    return float((lines["qty"].astype("float64") * cost.fillna(0)).sum())


def profit_margin(orders, products, period, commission: float) -> float | None:
    revenue = gmv(orders, period)
    if not revenue:
        return None
    return (revenue - cost_of_goods(orders, products, period) - commission * revenue) / revenue * 100


def stock_value(ledger, products, when: pd.Timestamp) -> float:
    levels = stock_levels(ledger[ledger["time"] < when]).clip(lower=0)
    cost = products.drop_duplicates("sku").set_index("sku")["cost"]
    return float((levels * cost.reindex(levels.index).fillna(0)).sum())


def inventory_turnover(orders, products, ledger, period) -> float | None:
    average = (stock_value(ledger, products, period.start) +
               stock_value(ledger, products, period.end)) / 2
    return cost_of_goods(orders, products, period) / average if average else None


def _customer(orders: pd.DataFrame) -> pd.Series:
    return orders["phone"].fillna(orders["customer"]).astype(str)


def repeat_rate(orders, period) -> float | None:
    paid = orders[among(orders["status"], PAID)]
    who = _customer(paid)
    now = who[period.holds(paid["created"])].unique()
    if not len(now):
        return None
    earlier = set(who[paid["created"] < period.start])
    return sum(c in earlier for c in now) / len(now) * 100


def lifetime_value(orders, period) -> float | None:
    paid = orders[among(orders["status"], PAID) & (orders["created"] < period.end)]
    customers = _customer(paid).nunique()
    return float(_amount(paid).sum()) / customers if customers else None


def slow_movers(orders, products, today: dt.date, days: int = 30) -> list[str]:
    recent = Period(pd.Timestamp(today) - pd.Timedelta(days=days), pd.Timestamp(today), "")
    sold = set(paid_lines(orders, recent)["sku"])
    in_stock = products[(products["current_stock"].fillna(0) > 0)
                        & ~among(products["status"], RETIRED)]
    return [s for s in in_stock["sku"] if s not in sold]
