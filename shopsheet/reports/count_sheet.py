"""The count sheet: what to count today, walked in Location order, with a blank Counted column
to write the figures in — printed, or filled in on a phone — and read back by `shopops count`.
Blind: the stock the ledger expects is not shown, so the figure written is the one found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlsxwriter

from shopsheet.core.language import _
from shopsheet.core.words import ABC_CLASSES, REVIEW_FREQUENCIES, say
from shopsheet.reports.packing_slips import cell_text

HEADERS = (("location", "Location"), ("sku", "SKU"), ("product", "Product"), ("abc", "ABC"),
           ("review", "Review"), ("last_counted", "Last Counted"))
COUNTED, NOTE = "Counted", "Note"  # the columns the counter fills; `shopops count` reads them


def write_count_sheet(path: Path, rows: pd.DataFrame, settings, today: dt.date) -> None:
    """`rows` (core/counting.count_list) as a printable sheet whose header is its first row."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    ws = wb.add_worksheet(_("Count"))
    head = wb.add_format({"bold": True, "bottom": 1, "bg_color": "#EEEEEE"})
    cell = wb.add_format({"bottom": 4, "valign": "vcenter"})
    date = wb.add_format({"bottom": 4, "valign": "vcenter", "num_format": "yyyy-mm-dd"})
    box = wb.add_format({"border": 1, "locked": False})
    labels = [_(label) for _key, label in HEADERS] + [_(COUNTED), _(NOTE)]
    ws.write_row(0, 0, labels, head)
    for r, row in enumerate(rows.itertuples(), start=1):
        ws.set_row(r, 22)  # room to write a figure by hand
        ws.write_string(r, 0, cell_text(row.location), cell)
        ws.write_string(r, 1, str(row.sku), cell)
        ws.write_string(r, 2, cell_text(row.product), cell)
        ws.write_string(r, 3, say(row.abc, ABC_CLASSES) if pd.notna(row.abc) else "", cell)
        ws.write_string(r, 4, say(row.review, REVIEW_FREQUENCIES), cell)
        if pd.notna(row.last_counted):
            ws.write_datetime(r, 5, pd.Timestamp(row.last_counted).to_pydatetime(), date)
        else:
            ws.write_string(r, 5, _("never"), cell)
        ws.write_blank(r, 6, None, box)
        ws.write_blank(r, 7, None, box)
    for col, width in enumerate((10, 12, 34, 6, 10, 12, 10, 22)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(top=0.9, bottom=0.9)
    shop = str(settings.shop_name).replace("&", "&&")
    ws.set_header("&L" + _("Count sheet {date}").format(date=f"{today:%Y-%m-%d}") + "&R" + shop)
    ws.set_footer("&L" + _("Counted by: ________") + "&R" + _("Page &P of &N"))
    wb.set_properties({"title": _("Count sheet {date}").format(date=f"{today:%Y-%m-%d}"),
                       "company": str(settings.shop_name)})
    wb.close()
