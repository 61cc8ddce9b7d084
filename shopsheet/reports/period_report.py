"""The weekly / monthly report workbook (xlsxwriter): KPI tiles with their change against the
previous period, sales by day and the AOV trend as charts, top and bottom products, stock status
with low stock highlighted and the reorder list, ABC classes, returns by reason, customer
service against the SLA. Print-ready: landscape, fit to width, shop name and period in the
header, page numbers in the footer. Phone numbers are masked; customer text is written as text.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pandas as pd
import xlsxwriter

from shopsheet.book.write.rowheight import LINE_POINTS, lines_needed
from shopsheet.core import kpi
from shopsheet.core.abc import classify
from shopsheet.core.cashflow import weekly
from shopsheet.core.counting import count_differences, shrinkage
from shopsheet.core.language import N_, _, counted
from shopsheet.core.membership import among
from shopsheet.core.privacy import mask_phone, mask_phones_in
from shopsheet.core.profit import month_totals, order_profit, sku_matrix, unit_costs
from shopsheet.core.words import (CHANNELS, NEEDS_STOCK, REORDER_FLAGS, RETIRED, REVIEW_FREQUENCIES,
                                  TO_SHIP, say)

TILES = [N_("Orders"), N_("GMV (¥)"), N_("AOV (¥)"), N_("Net revenue (¥)"),
         N_("Profit margin (%)"), N_("Return rate (%)"), N_("Fulfilment (h)"),
         N_("Answered in SLA (%)")]
# every table header and sheet the report writes, in English here and said through the
# catalogue as it is written (`_table`, `write_report`)
HEADERS = (N_("SKU"), N_("Product"), N_("Revenue"), N_("Units"), N_("Location"), N_("Stock"),
           N_("Low Stock Alert"), N_("Days of Cover"), N_("Flag"), N_("Supplier"),
           N_("On Order"), N_("Reorder Point"), N_("Reorder By"), N_("Class"), N_("Share"),
           N_("Review"), N_("Returns"), N_("Refunded"), N_("Reason"), N_("Measure"),
           N_("Value"), N_("Order"), N_("Customer"), N_("Phone"), N_("Flags"), N_("Line"),
           N_("Channel"), N_("Orders"), N_("Profit"), N_("Week of"), N_("In (settled)"),
           N_("Out (goods, expenses)"), N_("Net"), N_("Margin"), N_("Quadrant"), N_("Date"),
           N_("Units lost"), N_("Value (¥)"))
SHEETS = (N_("Summary"), N_("Daily"), N_("Products"), N_("Stock"), N_("ABC"), N_("Returns"),
          N_("Service"), N_("P&L"), N_("Shrinkage"))
LOWER_IS_BETTER = {"Return rate (%)", "Fulfilment (h)"}


def tile_values(frames, period: kpi.Period, settings) -> dict[str, float | None]:
    o, p, r = frames["Orders"], frames["Products"], frames["Returns"]
    resp = kpi.response(frames["Inquiries"], period, settings.response_sla_hours,
                        settings.response_max_hours)
    return {
        "Orders": kpi.order_count(o, period), "GMV (¥)": kpi.gmv(o, period),
        "AOV (¥)": kpi.aov(o, period), "Net revenue (¥)": kpi.net_revenue(o, r, period),
        "Profit margin (%)": kpi.profit_margin(o, p, period, settings.commission),
        "Return rate (%)": kpi.return_rate(o, r, period),
        "Fulfilment (h)": kpi.fulfilment_hours(o, period),
        "Answered in SLA (%)": resp["within_sla"],
    }


def daily_sales(orders: pd.DataFrame, period: kpi.Period) -> pd.DataFrame:
    days = pd.date_range(period.start, period.end - pd.Timedelta(days=1), freq="D")
    lines = kpi.paid_lines(orders, period)
    day = lines["created"].dt.normalize()
    money = pd.to_numeric(lines["line_total"]).fillna(0).groupby(day).sum()
    count = lines.groupby(day)["order_id"].nunique()
    out = pd.DataFrame({"date": days, "orders": count.reindex(days, fill_value=0).to_numpy(),
                        "gmv": money.reindex(days, fill_value=0.0).to_numpy()})
    out["aov"] = (out["gmv"] / out["orders"].where(out["orders"] > 0)).round(2)
    return out


DAILY_LABELS = {"date": "Date", "orders": "Orders", "gmv": "GMV (¥)", "aov": "AOV (¥)"}
MAX_WIDTH = 60  # characters; longer text wraps


class _Formats:
    def __init__(self, wb):
        self.widths: dict[tuple[str, int], float] = {}  # (sheet, column) → widest so far
        self.extent: dict[str, tuple[int, int]] = {}  # sheet → last row and column of tables
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 18, "font_color": "#1F3864"})
        self.sub = add({"italic": True, "font_color": "#595959"})
        self.tile_label = add({"font_color": "#595959", "bg_color": "#F2F2F2", "border": 1,
                               "align": "center"})
        self.tile_value = add({"bold": True, "font_size": 16, "bg_color": "#F2F2F2",
                               "border": 1, "align": "center", "num_format": "#,##0.##"})
        self.up = add({"font_color": "#00703C", "bg_color": "#F2F2F2", "border": 1,
                       "align": "center"})
        self.down = add({"font_color": "#C00000", "bg_color": "#F2F2F2", "border": 1,
                         "align": "center"})
        self.flat = add({"font_color": "#595959", "bg_color": "#F2F2F2", "border": 1,
                         "align": "center"})
        self.head = add({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
        self.money = add({"num_format": '"¥"#,##0.00'})
        self.pct = add({"num_format": "0.0%"})
        self.date = add({"num_format": "yyyy-mm-dd"})
        self.low = add({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.low_wrap = add({"bg_color": "#FFC7CE", "font_color": "#9C0006", "text_wrap": True,
                             "valign": "top"})


def write_report(path: Path, frames: dict[str, pd.DataFrame], settings, period: kpi.Period,
                 today: dt.date) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"title": f"{settings.shop_name} — {period.said()}",
                       "company": settings.shop_name})
    f = _Formats(wb)
    summary = wb.add_worksheet(_("Summary"))
    daily = daily_sales(frames["Orders"], period)
    _summary(wb, summary, frames, settings, period, daily, f)
    _table(wb.add_worksheet(_("Daily")), daily.rename(columns=DAILY_LABELS), f,
           {"Date": f.date, "GMV (¥)": f.money, "AOV (¥)": f.money})
    _products(wb.add_worksheet(_("Products")), frames, period, f)
    _stock(wb.add_worksheet(_("Stock")), frames["Products"], f)
    _abc(wb.add_worksheet(_("ABC")), frames, settings, today, f)
    _returns(wb.add_worksheet(_("Returns")), frames["Returns"], period, f)
    _service(wb.add_worksheet(_("Service")), frames, settings, period, f)
    if period.end - period.start > pd.Timedelta(days=7):  # the month's report: its P&L
        _pnl(wb, wb.add_worksheet(_("P&L")), frames, settings, period, f)
        _shrinkage(wb.add_worksheet(_("Shrinkage")), frames, period, f)
    for ws in wb.worksheets():
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(top=1.0, bottom=0.9)  # room for a header in Chinese (taller lines)
        if ws.get_name() in f.extent:  # what is printed ends at the last table
            ws.print_area(0, 0, *f.extent[ws.get_name()])
        ws.set_header(f"&L{_safe(settings.shop_name)}&R{_safe(period.said())}")
        ws.set_footer(_("&CPage &P of &N"))
    wb.close()
    return path


def _safe(text: str) -> str:
    return str(text).replace("&", "&&")


def _summary(wb, ws, frames, settings, period, daily, f) -> None:
    ws.set_column(0, 7, 17)
    ws.write_string(0, 0, f"{settings.shop_name} — {period.said()}", f.title)
    ws.write_string(1, 0, _("{first} to {last}, compared with {before}").format(
        first=f"{period.start:%Y-%m-%d}", last=f"{period.end - pd.Timedelta(days=1):%Y-%m-%d}",
        before=period.previous().said()), f.sub)
    now, before = tile_values(frames, period, settings), tile_values(frames, period.previous(),
                                                                    settings)
    for i, name in enumerate(TILES):
        row, col = 3 + (i // 4) * 4, (i % 4) * 2
        ws.merge_range(row, col, row, col + 1, _(name), f.tile_label)
        value = now[name]
        ws.merge_range(row + 1, col, row + 1, col + 1, "—" if value is None else round(value, 2),
                       f.tile_value)
        change = kpi.growth(value, before[name])
        better = change is not None and ((change > 0) != (name in LOWER_IS_BETTER))
        fmt = f.flat if not change else (f.up if better else f.down)
        text = _("no earlier figure") if change is None else _("{arrow} {change}% vs before").format(
            arrow="▲" if change > 0 else "▼" if change < 0 else "=", change=f"{abs(change):.1f}")
        ws.merge_range(row + 2, col, row + 2, col + 1, text, fmt)
    ws.insert_chart(11, 0, _daily_chart(wb, "column", _("GMV (¥)"), 2, _("Sales by day"),
                                        len(daily)), {"x_scale": 1.3})
    ws.insert_chart(11, 5, _daily_chart(wb, "line", _("AOV (¥)"), 3, _("Average order value"),
                                        len(daily)), {"x_scale": 1.3})


def _daily_chart(wb, kind: str, name: str, column: int, title: str, days: int):
    """A chart of one column of the Daily sheet against its dates."""
    chart = wb.add_chart({"type": kind})
    series = {"name": name, "categories": [_("Daily"), 1, 0, days, 0],
              "values": [_("Daily"), 1, column, days, column]}
    series.update({"fill": {"color": "#4472C4"}} if kind == "column" else
                  {"marker": {"type": "circle"}})
    chart.add_series(series)
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    chart.set_x_axis({"date_axis": True, "num_format": "mm-dd"})
    return chart

def _table(ws, frame: pd.DataFrame, f, formats: dict | None = None, start: int = 0,
           highlight: pd.Series | None = None) -> int:
    """Write `frame` with a header at row `start`; returns the next free row."""
    formats = formats or {}
    for c, name in enumerate(frame.columns):
        ws.write_string(start, c, _(str(name)), f.head)
        _fit_column(ws, c, [_(str(name)), *frame.iloc[:, c]], f)
    marks = [bool(m) for m in highlight] if highlight is not None else [False] * len(frame)
    rows, cols = f.extent.get(ws.get_name(), (0, 0))
    f.extent[ws.get_name()] = (max(rows, start + len(frame)), max(cols, len(frame.columns) - 1))
    widths = [f.widths[(ws.get_name(), c)] for c in range(len(frame.columns))]
    for r, row in enumerate(frame.itertuples(index=False), start=start + 1):
        lines = max([lines_needed(v, w) for v, w in zip(row, widths) if isinstance(v, str)]
                    or [1])
        if lines > 1:  # text longer than its column wraps, in a row tall enough for it
            ws.set_row(r, LINE_POINTS * lines)
        for c, (name, value) in enumerate(zip(frame.columns, row)):
            fmt = f.low if marks[r - start - 1] else formats.get(name)
            if lines > 1 and isinstance(value, str) and lines_needed(value, widths[c]) > 1:
                fmt = f.low_wrap if marks[r - start - 1] else f.wrap
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                ws.write_blank(r, c, None, fmt)
            elif isinstance(value, str):  # a phone typed into any text is masked too
                ws.write_string(r, c, mask_phones_in(value), fmt)
            elif isinstance(value, (pd.Timestamp, dt.date)):
                ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), fmt or f.date)
            else:
                ws.write_number(r, c, float(value), fmt)
    return start + len(frame) + 2


def _fit_column(ws, col: int, values, f) -> None:
    """Size a column to its longest value (an id is never cut; East Asian characters count
    two), at least 10 and at most MAX_WIDTH characters; a column shared by several tables
    on one sheet takes the widest."""
    def width(value) -> float:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return 0
        if isinstance(value, (pd.Timestamp, dt.date)):
            return 10
        if not isinstance(value, str):
            return len(f"{value:,.2f}") + 1 if isinstance(value, float) else len(f"{value:,}")
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)

    key = (ws.get_name(), col)
    wanted = min(MAX_WIDTH, max([10, f.widths.get(key, 0), *(width(v) + 2 for v in values)]))
    f.widths[key] = wanted
    ws.set_column(col, col, wanted)


def _products(ws, frames, period, f) -> None:
    top, bottom = kpi.top_bottom(frames["Orders"], frames["Products"], period)
    units = kpi.units_per_product(frames["Orders"], period)
    names = frames["Products"].drop_duplicates("sku").set_index("sku")["product"]

    def block(series):
        return pd.DataFrame({"SKU": series.index, "Product": [names.get(s, "") for s in
                                                             series.index],
                             "Revenue": series.to_numpy(),
                             "Units": [int(units.get(s, 0)) for s in series.index]})
    ws.write_string(0, 0, _("Top 3 products"), f.title)
    row = _table(ws, block(top), f, {"Revenue": f.money}, start=1)
    ws.write_string(row, 0, _("Bottom 3 products"), f.title)
    _table(ws, block(bottom), f, {"Revenue": f.money}, start=row + 1)


def _stock(ws, products, f) -> None:
    live = products[~among(products["status"], RETIRED)]
    low = (live["current_stock"].fillna(0) <= live["low_stock_alert"].fillna(-1)).reset_index(
        drop=True)
    ws.write_string(0, 0, _("Stock status (low stock highlighted)"), f.title)
    table = pd.DataFrame({"SKU": live["sku"], "Product": live["product"],
                          "Location": live["location"], "Stock": live["current_stock"],
                          "Low Stock Alert": live["low_stock_alert"],
                          "Days of Cover": live["days_of_cover"],
                          "Flag": live["reorder_flag"].map(lambda w: say(w, REORDER_FLAGS))})
    row = _table(ws, table, f, start=1, highlight=low)
    flagged = live[among(live["reorder_flag"], NEEDS_STOCK)]
    ws.write_string(row, 0, _("Reorder list"), f.title)
    _table(ws, pd.DataFrame({"SKU": flagged["sku"], "Product": flagged["product"],
                             "Supplier": flagged["supplier"], "Stock": flagged["current_stock"],
                             "On Order": flagged["on_order"],
                             "Reorder Point": flagged["reorder_point"],
                             "Reorder By": flagged["reorder_by"]}), f, start=row + 1)


def _abc(ws, frames, settings, today, f) -> None:
    products = frames["Products"]
    classes = classify(products, frames["Orders"], today, settings.abc_window_days,
                       settings.abc_a, settings.abc_b)
    table = pd.DataFrame({"SKU": products["sku"], "Product": products["product"],
                          "Class": classes["abc"], "Revenue": classes["revenue"],
                          "Share": classes["share"],
                          "Review": classes["review"].map(lambda w: say(w, REVIEW_FREQUENCIES))})
    table = table.sort_values("Revenue", ascending=False)
    ws.write_string(0, 0, _("ABC classes over {days} days").format(
        days=settings.abc_window_days), f.title)
    _table(ws, table, f, {"Revenue": f.money, "Share": f.pct}, start=1)


def _shrinkage(ws, frames, period, f) -> None:
    """Units and value lost in the month, per SKU and reason: the counts' differences and the
    hand adjustments (`core/counting.shrinkage`), the total added up in cents."""
    ledger = frames["StockLedger"]
    lost = shrinkage(ledger, frames["Products"], period.start, period.end)
    counts = count_differences(ledger)
    counts = counts[period.holds(counts["time"])]
    ws.write_string(0, 0, _("Shrinkage: stock lost (negative: found)"), f.title)
    ws.write_string(1, 0, _("{counted} counted this month, {differ} with a difference").format(
        counted=counted("{n} product", "{n} products", counts["sku"].nunique()),
        differ=int((counts["lost"] != 0).sum())))
    table = pd.DataFrame({"SKU": lost["sku"], "Product": lost["product"],
                          "Reason": lost["reason"], "Units lost": lost["units"],
                          "Value (¥)": lost["value_cents"] / 100})
    total = pd.DataFrame({"SKU": [_("Total")], "Product": [""], "Reason": [""],
                          "Units lost": [int(lost["units"].sum())],
                          "Value (¥)": [sum(int(c) for c in lost["value_cents"]) / 100]})
    _table(ws, pd.concat([table, total], ignore_index=True) if len(lost) else table, f,
           {"Value (¥)": f.money}, start=3)


def _returns(ws, returns, period, f) -> None:
    asked = returns[period.holds(returns["requested"])]
    by_reason = asked.groupby(asked["reason"].fillna(_("no reason given"))).agg(
        Returns=("rma_no", "nunique"), Units=("qty", "sum"),
        Refunded=("refund_amount", "sum")).reset_index().rename(columns={"reason": "Reason"})
    ws.write_string(0, 0, _("Returns by reason"), f.title)
    _table(ws, by_reason, f, {"Refunded": f.money}, start=1)


def _service(ws, frames, settings, period, f) -> None:
    resp = kpi.response(frames["Inquiries"], period, settings.response_sla_hours,
                        settings.response_max_hours)
    ws.write_string(0, 0, _("Customer service"), f.title)
    rows = pd.DataFrame({"Measure": [_("Mean response (h)"),
                                     _("Within {hours} h (%)").format(
                                         hours=f"{settings.response_sla_hours:g}"),
                                     _("Within {hours} h (%)").format(
                                         hours=f"{settings.response_max_hours:g}"),
                                     _("Unanswered")],
                         "Value": [resp["mean_hours"], resp["within_sla"], resp["within_max"],
                                   resp["unanswered"]]})
    row = _table(ws, rows.round(1), f, start=1)
    orders = frames["Orders"]
    held = orders[(orders["verified"] == False) & (orders["status"] == TO_SHIP)  # noqa: E712
                  & orders["shipped"].isna()].drop_duplicates("order_id")
    ws.write_string(row, 0, _("Orders held for review"), f.title)
    _table(ws, pd.DataFrame({"Order": held["order_id"], "Customer": held["customer"],
                             "Phone": [mask_phone(p) for p in held["phone"]],
                             "Flags": held["flags"]}), f, start=row + 1)


PNL_LINES = ((N_("Revenue"), "revenue", 1), (N_("Refunds"), "refunds", -1),
             (N_("Platform fees and commission"), "fees", -1),
             (N_("Cost of goods (moving average)"), "cost", -1),
             (N_("Shipping billed per order"), "shipping", -1),
             (N_("Packaging per order sent"), "packaging", -1),
             (N_("Fees naming no order"), "other_fees", -1),
             (N_("Expenses"), "expenses", -1), (N_("Net profit"), "profit", 1))


def _pnl(wb, ws, frames, settings, period, f) -> None:
    """The month's P&L (`core/profit.py`), profit per channel, cash by week
    (`core/cashflow.py`), and the product profitability matrix as a table and a chart (margin
    against units sold)."""
    empty = pd.DataFrame(columns=["time", "order_id", "type", "gross", "fee", "net"])
    settlements = frames.get("Settlements", empty)
    expenses = frames.get("Expenses", pd.DataFrame(columns=["date", "amount"]))
    per = order_profit(frames["Orders"], settlements, frames["StockLedger"],
                       frames["PurchaseOrders"], frames["Products"], expenses, period.start,
                       period.end, settings.commission, settings.packaging_per_order)
    totals = month_totals(per, settlements, expenses, period.start, period.end)
    costs = unit_costs(frames["StockLedger"], frames["PurchaseOrders"], frames["Products"])
    matrix = sku_matrix(frames["Orders"], frames["StockLedger"], costs, period.start,
                        period.end)
    ws.write_string(0, 0, _("Profit and loss — {period}").format(period=period.said()), f.title)
    pnl = pd.DataFrame({"Line": [_(label) for label, _unused, _unused in PNL_LINES],
                        "¥": [sign * totals[key] / 100 for _unused, key, sign in PNL_LINES]})
    row = _table(ws, pnl, f, {"¥": f.money}, start=1)
    estimated = int(per["estimated"].sum())
    if estimated:
        ws.write_string(row, 0, _("Fees of {n} orders estimated at {rate}: nothing settled for "
                                  "them yet").format(n=estimated, rate=f"{settings.commission:.0%}"),
                        f.sub)
        row += 1
    channels = per.groupby("channel").agg(orders=("revenue", "size"), revenue=("revenue", "sum"),
                                          profit=("profit", "sum")).reset_index()
    ws.write_string(row + 1, 0, _("By channel"), f.title)
    row = _table(ws, pd.DataFrame({"Channel": channels["channel"].map(lambda c: say(c, CHANNELS)),
                                   "Orders": channels["orders"],
                                   "Revenue": channels["revenue"] / 100,
                                   "Profit": channels["profit"] / 100}),
                 f, {"Revenue": f.money, "Profit": f.money}, start=row + 2)
    weeks = weekly(settlements, frames["PurchaseOrders"], expenses, period.start, period.end)
    ws.write_string(row + 1, 0, _("Cash by week"), f.title)
    row = _table(ws, pd.DataFrame({"Week of": weeks.index, "In (settled)": weeks["in"] / 100,
                                   "Out (goods, expenses)": weeks["out"] / 100,
                                   "Net": weeks["net"] / 100}),
                 f, {"Week of": f.date, "In (settled)": f.money,
                     "Out (goods, expenses)": f.money, "Net": f.money}, start=row + 2)
    ws.write_string(row + 1, 0, _("Product profitability"), f.title)
    names = frames["Products"].drop_duplicates("sku").set_index("sku")["product"]
    table = pd.DataFrame({"SKU": matrix.index, "Product": [names.get(k, "") for k in
                                                           matrix.index],
                          "Units": matrix["units"].to_numpy(),
                          "Revenue": matrix["revenue"].to_numpy() / 100,
                          "Margin": matrix["margin"].to_numpy(),
                          "Quadrant": [_(q) for q in matrix["quadrant"]]})
    first = row + 3
    end = _table(ws, table, f, {"Revenue": f.money, "Margin": f.pct}, start=row + 2)
    if len(table):
        chart = wb.add_chart({"type": "scatter"})
        chart.add_series({"name": _("Products"), "categories": [_("P&L"), first, 2, end - 1, 2],
                          "values": [_("P&L"), first, 4, end - 1, 4],
                          "marker": {"type": "circle", "size": 7}})
        chart.set_title({"name": _("Margin against units sold")})
        chart.set_x_axis({"name": _("Units sold")})
        chart.set_y_axis({"name": _("Margin"), "num_format": "0%"})
        chart.set_legend({"none": True})
        ws.insert_chart(1, 4, chart)  # beside the P&L and the channels, above the table
        rows, cols = f.extent.get(ws.get_name(), (0, 0))
        f.extent[ws.get_name()] = (max(rows, 16), max(cols, 11))  # printed with the chart
