"""The guide's weekly and monthly half: the promotion calendar, ABC classes, the review."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.book.base import Book
from shopsheet.core import promotions as promo
from shopsheet.core.abc import classify
from shopsheet.core.dashboard import section_title, with_section
from shopsheet.core.demand import demand_stats
from shopsheet.core.frames import same_table
from shopsheet.core.kpi import Period, slow_movers
from shopsheet.core.language import _, counted
from shopsheet.core.membership import among
from shopsheet.core.profit import month_totals, order_profit
from shopsheet.core.review import review_rows
from shopsheet.core.seasons import learned_uplifts
from shopsheet.core.words import CHECKS_PASSED, ProductStatus
from shopsheet.routines.common import Result, finish, patch_changed, prepare
from shopsheet.settings import Settings


def product_stats(products: pd.DataFrame, orders: pd.DataFrame, settings: Settings,
                  today: dt.date) -> pd.DataFrame:
    """Per SKU what promotions are chosen and checked with."""
    classes = classify(products, orders, today, settings.abc_window_days, settings.abc_a,
                       settings.abc_b)
    demand = demand_stats(orders, pd.Index(products["sku"]), today, settings.sales_window_days)
    slow = set(slow_movers(orders, products, today))
    return pd.DataFrame({
        "sku": products["sku"], "price": products["price"].astype(float),
        "cost": products["cost"].astype(float),
        "status": products["status"].fillna(ProductStatus.ACTIVE),
        "abc": classes["abc"], "revenue": classes["revenue"],
        "avg_daily_sales": demand["avg_daily_sales"].to_numpy(),
        "available": (products["current_stock"].fillna(0) + products["on_order"].fillna(0))
        .astype(int), "slow": among(products["sku"], slow),
    })


def measured(new: pd.DataFrame, existing: pd.DataFrame, orders: pd.DataFrame,
             skus: pd.Index) -> pd.DataFrame:
    """The new rows, with the uplift the same event had last year where the orders show it
    (the mean over the row's SKUs, core/seasons) in place of the calendar's guess."""
    new = new.copy()
    for row, uplift in learned_uplifts(new, orders, skus, earlier=existing).items():
        new.at[row, "uplift"] = round(float(uplift.mean()), 2)
        new.at[row, "note"] = _("{note}; uplift as measured last year").format(
            note=new.at[row, "note"])
    return new


def terms_of(settings: Settings) -> promo.Terms:
    return promo.Terms(settings.commission, settings.margin_floor, settings.gift_cost,
                       settings.gift_threshold)


def promotions(book: Book, now: dt.datetime, *, month: dt.date, log: bool = True) -> Result:
    """Fill the Promotions sheet for `month`; rows already planned (edited or not) are kept,
    their margin and stock checks brought up to date."""
    frames, settings, failed = prepare(book, ("Products", "Orders", "Promotions"), "promotions")
    if failed:
        return failed
    stats = product_stats(frames["Products"], frames["Orders"], settings, now.date())
    terms = terms_of(settings)
    plan = promo.month_plan(month, stats, terms)
    existing = frames["Promotions"]
    new = measured(plan[~among(plan["plan_key"], set(existing["plan_key"].dropna()))],
                   existing, frames["Orders"], pd.Index(frames["Products"]["sku"]))
    checked = promo.check(new, stats, terms) if len(new) else None
    book.append("Promotions", pd.concat([new, checked], axis=1) if len(new) else new)
    ym = f"{month:%Y-%m}"
    mine = existing[existing["plan_key"].fillna("").str.startswith(ym + ":")]
    if len(mine):
        patch_changed(book, "Promotions", mine, promo.check(mine, stats, terms)[
            ["margin_after", "stock_ok", "checks"]])
    allp = pd.concat([mine.assign(**promo.check(mine, stats, terms)) if len(mine) else mine,
                      pd.concat([new, checked], axis=1) if len(new) else new])
    low = int((allp["margin_after"] < terms.margin_floor).sum()) if len(allp) else 0
    short = int((allp["stock_ok"] == False).sum()) if len(allp) else 0  # noqa: E712
    kinds = _(", ").join(allp.sort_values("start")["name"].astype(str)) if len(allp) \
        else _("none")
    result = Result("promotions", _("Promotions for {month}: {new} planned, {kept} kept "
                                    "({names}); {low} below the margin floor, {short} short of "
                                    "stock").format(month=ym, new=len(new), kept=len(mine),
                                                    names=kinds, low=low, short=short),
                    figures={"planned": len(new), "kept": len(mine)})
    result.alerts += [f"{r.name} ({r.start:%m-%d}): {r.checks}" for r in allp.itertuples()
                      if r.checks not in (CHECKS_PASSED, _(CHECKS_PASSED))]
    return finish(book, result, now, log)


def abc(book: Book, now: dt.datetime, *, log: bool = True) -> Result:
    """A/B/C classes by revenue share and the review frequency each needs, into Products."""
    frames, settings, failed = prepare(book, ("Products", "Orders"), "abc")
    if failed:
        return failed
    products = frames["Products"]
    classes = classify(products, frames["Orders"], now.date(), settings.abc_window_days,
                       settings.abc_a, settings.abc_b)
    patch_changed(book, "Products", products, classes[["abc", "review"]])
    counts = classes["abc"].value_counts()
    share = classes.groupby("abc")["share"].sum()
    summary = _("ABC over {days} days: {classes}").format(
        days=settings.abc_window_days, classes=_(", ").join(
            _("{abc} {products} ({share} of revenue)").format(
                abc=k, products=counted("{n} product", "{n} products", int(counts.get(k, 0))),
                share=f"{share.get(k, 0):.0%}") for k in "ABC"))
    return finish(book, Result("abc", summary, figures=counts.to_dict()), now, log)


def review(book: Book, now: dt.datetime, *, month: bool | dt.date = False,
           visitors: int | None = None, log: bool = True) -> Result:
    """The last full week's (or month's, or a given month's) KPIs, alerts and why-prompts on
    the Dashboard."""
    frames, settings, failed = prepare(book, ("Products", "Orders", "Returns", "Inquiries",
                                              "StockLedger", "PurchaseOrders", "Settlements",
                                              "Expenses"), "review")
    if failed:
        return failed
    if isinstance(month, dt.date):
        period = Period.month_of(month)
    else:
        period = (Period.month_before if month else Period.week_before)(now.date())
    rows, summary, alerts = review_rows(frames, period, now.date(), settings.commission,
                                        settings.response_sla_hours,
                                        settings.response_max_hours, visitors)
    if month:  # a month's review ends with its net profit, as `profit` works it out
        per = order_profit(frames["Orders"], frames["Settlements"], frames["StockLedger"],
                           frames["PurchaseOrders"], frames["Products"], frames["Expenses"],
                           period.start, period.end, settings.commission,
                           settings.packaging_per_order)
        net = month_totals(per, frames["Settlements"], frames["Expenses"], period.start,
                           period.end)["profit"]
        estimated = int(per["estimated"].sum())
        note = _("revenue − refunds − fees − cost of goods − expenses (shopops profit)") + (
            _("; fees of {n} orders estimated").format(n=estimated) if estimated else "")
        rows = pd.concat([rows, pd.DataFrame([(_("Net profit (¥)"), net / 100, note)],
                                             columns=rows.columns)], ignore_index=True)
    current = book.read("Dashboard").frame
    board = with_section(current, section_title("Month" if month else "Week",
                                                period.said()), rows)
    if not same_table(current[board.columns], board):
        book.replace("Dashboard", board)
    return finish(book, Result("review", summary, alerts=alerts), now, log)
