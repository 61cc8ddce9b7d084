"""A purchase order a supplier can read and the owner can print: one A4 page with the shop
(name, delivery address, purchasing contact), the supplier, the order and delivery dates, a
line per SKU with the quantity in the supplier's packs, the unit cost and the line's total,
and the order's total. Money is added up in whole cents; text is written as text, never as a
formula."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter

from shopsheet.core.language import _
from shopsheet.core.money import cents
from shopsheet.reports.packing_slips import cell_text


@dataclass(frozen=True)
class POLine:
    sku: str
    product: str
    qty: int
    pack_size: int
    unit_cents: int

    @property
    def total_cents(self) -> int:
        return self.unit_cents * self.qty

    @property
    def packs(self) -> str:
        """The quantity in the supplier's packs: '4 × 12', '4 × 12 + 5' (units loose)."""
        if self.pack_size <= 1:
            return str(self.qty)
        whole, loose = divmod(self.qty, self.pack_size)
        said = f"{whole} × {self.pack_size}"
        return f"{said} + {loose}" if loose else said


def po_lines(lines: pd.DataFrame, products: pd.DataFrame, pack_size: int) -> list[POLine]:
    """The PO's lines (PurchaseOrders rows) with the shop's product names, in SKU order."""
    names = products.drop_duplicates("sku").set_index("sku")["product"]
    return [POLine(str(r.sku), cell_text(names.get(r.sku)), int(r.qty), max(int(pack_size), 1),
                   0 if pd.isna(r.unit_cost) else cents(r.unit_cost))
            for r in lines.sort_values("sku").itertuples()]


def yuan(amount_cents: int) -> str:
    """¥1,234.50 from whole cents, exactly."""
    sign = "-" if amount_cents < 0 else ""
    whole, part = divmod(abs(amount_cents), 100)
    return f"{sign}¥{whole:,}.{part:02d}"


def write_purchase_order(path: Path, po_no: str, supplier: dict, lines: list[POLine],
                         ordered: dt.date, delivery: dt.date | None, settings) -> None:
    """The purchase order `po_no` for `supplier` (its Suppliers row as a dict) at `path`."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    ws = wb.add_worksheet(_("Purchase order"))
    f = _formats(wb)
    for col, width in enumerate((12, 34, 9, 14, 12, 14)):
        ws.set_column(col, col, width)
    ws.set_portrait()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(top=0.75, bottom=0.9)
    ws.set_footer("&L" + po_no.replace("&", "&&") + "&R" + _("Page &P of &N"))
    ws.merge_range(0, 0, 0, 5, cell_text(settings.shop_name), f["title"])
    ws.merge_range(1, 0, 1, 5, _("Purchase order {po}").format(po=po_no), f["sub"])
    rows = [
        (_("Supplier"), cell_text(supplier.get("supplier")), _("Order date"),
         f"{ordered:%Y-%m-%d}"),
        (_("Contact"), cell_text(supplier.get("contact")), _("Deliver by"),
         f"{delivery:%Y-%m-%d}" if delivery else ""),
        (_("Phone"), cell_text(supplier.get("phone")), _("Deliver to"),
         cell_text(settings.shop_address)),
        (_("Email"), cell_text(supplier.get("email")), _("Our contact"),
         cell_text(settings.shop_contact)),
    ]
    for r, (label, value, label2, value2) in enumerate(rows, start=3):
        ws.write_string(r, 0, label, f["label"])
        ws.write_string(r, 1, value, f["value"])
        ws.write_string(r, 3, label2, f["label"])
        ws.merge_range(r, 4, r, 5, value2, f["wrap"])
        wide = sum(2 if ord(c) > 0x2E80 else 1 for c in value2)  # a CJK character is two wide
        if wide > 30:  # a merged cell does not grow: give a long address the lines it needs
            ws.set_row(r, 15 * -(-wide // 30))
    head = 9
    ws.repeat_rows(head)  # a long order's later pages keep the column heads
    ws.write_row(head, 0, [_("SKU"), _("Product")], f["head"])
    ws.write_row(head, 2, [_("Qty"), _("Packs"), _("Unit cost"), _("Line total")], f["head_right"])
    r = head + 1
    for line in lines:
        ws.write_string(r, 0, line.sku, f["cell"])
        ws.write_string(r, 1, line.product, f["cell"])
        ws.write_number(r, 2, line.qty, f["qty"])
        ws.write_string(r, 3, line.packs, f["packs"])
        ws.write_number(r, 4, line.unit_cents / 100, f["money"])
        ws.write_number(r, 5, line.total_cents / 100, f["money"])
        r += 1
    total = sum(line.total_cents for line in lines)
    ws.write_string(r, 1, _("Total"), f["bold"])
    ws.write_number(r, 2, sum(line.qty for line in lines), f["total_qty"])
    ws.write_number(r, 5, total / 100, f["total"])
    ws.merge_range(r + 2, 0, r + 2, 5, _("Please confirm this order and its delivery date. "
                                         "Quantities are units; packs are as you ship them."),
                   f["note"])
    wb.set_properties({"title": _("Purchase order {po}").format(po=po_no),
                       "company": cell_text(settings.shop_name)})
    wb.close()


def _formats(wb) -> dict:
    font = {}  # the workbook's default font, as the packing slips: Excel picks a CJK one
    money = "¥#,##0.00"
    return {
        "title": wb.add_format({**font, "bold": True, "font_size": 16}),
        "sub": wb.add_format({**font, "bold": True, "font_size": 12}),
        "label": wb.add_format({**font, "bold": True, "font_color": "#555555",
                                "valign": "top"}),
        "value": wb.add_format({**font, "valign": "top"}),
        "wrap": wb.add_format({**font, "text_wrap": True, "valign": "top"}),
        "head": wb.add_format({**font, "bold": True, "bottom": 1, "bg_color": "#EEEEEE"}),
        "head_right": wb.add_format({**font, "bold": True, "bottom": 1, "bg_color": "#EEEEEE",
                                     "align": "right"}),
        "cell": wb.add_format({**font, "bottom": 4}),
        "qty": wb.add_format({**font, "bottom": 4, "num_format": "#,##0"}),
        "packs": wb.add_format({**font, "bottom": 4, "align": "right"}),
        "money": wb.add_format({**font, "bottom": 4, "num_format": money}),
        "bold": wb.add_format({**font, "bold": True}),
        "total_qty": wb.add_format({**font, "bold": True, "top": 1, "num_format": "#,##0"}),
        "total": wb.add_format({**font, "bold": True, "top": 1, "num_format": money}),
        "note": wb.add_format({**font, "italic": True, "text_wrap": True}),
    }
