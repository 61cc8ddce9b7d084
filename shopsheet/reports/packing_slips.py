"""Packing slips: a printable workbook with one page per order — items, quantities, address,
the buyer's note and the thank-you line of the order's channel (Settings, one per channel:
a Taobao buyer is not asked to share on Xiaohongshu). Customer text is written as text, never as a formula."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlsxwriter

from shopsheet.core.language import _


def write_packing_slips(path: Path, lines: pd.DataFrame, products: pd.DataFrame, settings,
                        now: dt.datetime) -> None:
    """One page per order of `lines` (stock lines to pack, a kit as its components), in pick
    order; each item under the shop's own product name."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    ws = wb.add_worksheet(_("Packing Slips"))
    f = _formats(wb)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 46)
    ws.set_column(3, 3, 8)
    ws.set_portrait()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(top=0.75, bottom=0.9)  # room for the shop's name in Chinese in the footer
    ws.set_footer(f"&L{settings.shop_name}&R&P / &N")
    info = products.drop_duplicates("sku").set_index("sku")
    location, name = info["location"].to_dict(), info["product"].to_dict()
    orders: dict[object, list[dict]] = {}  # plain records: a frame per order costs milliseconds
    lines = lines.assign(kit=lines["kit"] if "kit" in lines else None,
                         channel=lines["channel"] if "channel" in lines else None)
    for line in lines[["order_id", "created", "customer", "address", "sku", "product", "qty",
                       "buyer_note", "kit", "channel"]].to_dict("records"):
        line["product"] = cell_text(name.get(line["sku"])) or cell_text(line["product"])
        if cell_text(line["kit"]):
            line["product"] += _("  (in kit {kit})").format(
                kit=cell_text(name.get(line["kit"])) or line["kit"])
        orders.setdefault(line["order_id"], []).append(line)
    row, breaks = 0, []
    for order_id, items in orders.items():
        first = items[0]
        ws.merge_range(row, 0, row, 3, str(settings.shop_name), f["title"])
        ws.write_string(row + 1, 0, _("Packing slip"), f["sub"])
        ws.write_string(row + 2, 0, _("Order"), f["label"])
        ws.write_string(row + 2, 1, str(order_id), f["bold"])
        ws.write_string(row + 3, 0, _("Date"), f["label"])
        ws.write_string(row + 3, 1, f"{first['created']:%Y-%m-%d %H:%M}")
        ws.write_string(row + 4, 0, _("Ship to"), f["label"])
        ws.write_string(row + 4, 1, cell_text(first["customer"]))
        ws.merge_range(row + 5, 1, row + 5, 3, cell_text(first["address"]), f["wrap"])
        ws.write_row(row + 7, 0, [_("Location"), _("SKU"), _("Product"), _("Qty")], f["head"])
        r = row + 8
        for line in items:
            ws.write_string(r, 0, cell_text(location.get(line["sku"])), f["cell"])
            ws.write_string(r, 1, str(line["sku"]), f["cell"])
            ws.write_string(r, 2, cell_text(line["product"]), f["cell"])
            ws.write_number(r, 3, int(line["qty"]), f["qty"])
            r += 1
        ws.write_string(r, 2, _("Total"), f["bold"])
        ws.write_number(r, 3, sum(int(line["qty"]) for line in items), f["qty"])
        if cell_text(first["buyer_note"]):
            ws.write_string(r + 2, 0, _("Buyer Note"), f["label"])
            ws.merge_range(r + 2, 1, r + 2, 3, cell_text(first["buyer_note"]), f["wrap"])
        thanks = settings.thanks(cell_text(first["channel"]))
        if thanks:
            ws.merge_range(r + 4, 0, r + 4, 3, thanks, f["thanks"])
        row = r + 6
        breaks.append(row)
    ws.set_h_pagebreaks(breaks[:-1])
    wb.set_properties({"title": _("Packing slips {date}").format(date=f"{now:%Y-%m-%d}"),
                       "company": settings.shop_name})
    wb.close()


def cell_text(value) -> str:
    """A cell as text: a blank (None, NaN, NA) as ''."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or \
        value is pd.NA else str(value)


def _formats(wb):
    return {
        "title": wb.add_format({"bold": True, "font_size": 16}),
        "sub": wb.add_format({"italic": True, "font_color": "#595959"}),
        "label": wb.add_format({"font_color": "#595959"}),
        "bold": wb.add_format({"bold": True}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "head": wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"}),
        "cell": wb.add_format({"bottom": 4}),
        "qty": wb.add_format({"bottom": 4, "bold": True, "align": "center"}),
        "thanks": wb.add_format({"italic": True, "align": "center", "font_color": "#2F5597"}),
    }
