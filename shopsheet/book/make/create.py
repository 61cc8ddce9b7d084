"""Make a new ShopOps workbook with xlsxwriter: every sheet an Excel Table laid out from the
sheet catalogue, with frozen headers, filter buttons, number formats, drop-downs on status
columns and low stock coloured.

Only ever used for files that do not exist yet; an existing workbook is patched (writer.py).
`add_shop_sheets` works on any xlsxwriter Workbook, so tests can build a rich workbook (charts,
images, VBA) around the same sheets.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import xlsxwriter
from lxml import etree

from shopsheet.book.write.package import NS_CT, Package, write_package
from shopsheet.book.write.sheetxml import col_letter, plain
from shopsheet.columns import KINDS
from shopsheet.core.errors import SetupProblem
from shopsheet.core.language import _
from shopsheet.core.words import shown_words
from shopsheet.sheets import SHEETS, SheetSpec, header_of, in_language, sheet_title

MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
LAST_ROW = 1_048_575  # 0-based: validations and formats cover whole columns, so rows never
# added by ShopOps (typed by the user below the table) are checked too, and nothing needs growing
TAB_COLOURS = {"user": "#4472C4", "append": "#70AD47", "routine": "#A5A5A5"}
# Printing: long text that would be cut wraps instead (the row grows to fit it) …
WRAPPED = {"PickList": ("product", "orders", "note"), "Dashboard": ("value", "note"),
           "Promotions": ("name", "skus", "checks", "note"), "PurchaseOrders": ("note",),
           "Products": ("product",),
           "Orders": ("product", "address", "billing_address", "buyer_note", "flags")}
LANDSCAPE_WIDTH = 100  # … and a sheet wider than this many characters prints landscape
PAGE_HEADER = '&L&"-,Bold"&A&C&F&R&D'  # the sheet's name, the workbook's, the date printed
PAGE_FOOTER = "&CPage &P of &N"
PAGE_FOOTER_ZH = "&C第 &P 页，共 &N 页"
# The Dashboard's Value column holds money, percentages, hours and counts: each row shows its
# number the way its metric's label says (conditional number formats, so rows rewritten by any
# later run keep them).
DASHBOARD_FORMATS = (('ISNUMBER(SEARCH("(¥)",$B2))', "¥#,##0.00"),
                     ('ISNUMBER(SEARCH("(%)",$B2))', '0.0"%"'),
                     ('ISNUMBER(SEARCH("(h)",$B2))', '#,##0.0" h"'),
                     ("AND(ISNUMBER($C2),$C2=INT($C2))", "#,##0"))


class WorkbookExists(SetupProblem):
    """`init` never overwrites a workbook."""


def create_workbook(path: Path, data: dict[str, pd.DataFrame], title: str = "ShopOps",
                    finish: Callable[[bytes], bytes] | None = None, chinese: bool = False) -> None:
    """Write a new workbook at `path` holding every catalogue sheet, filled from `data`.
    `finish` may add to the package before it is written (the Excel face: `excel/face.py`).
    A Chinese workbook has Chinese sheet titles, headers, drop-down words and notes."""
    path = Path(path)
    if path.exists():
        raise WorkbookExists(_("{path} already exists; ShopOps will not overwrite a workbook")
                             .format(path=path))
    content = new_workbook(data, title, chinese)
    if path.suffix.lower() == ".xlsm":
        content = _macro_enabled(content)
    if finish is not None:
        content = finish(content)
    with open(path, "xb") as fh:  # "x": fail rather than overwrite, even in a race
        fh.write(content)


def new_workbook(data: dict[str, pd.DataFrame], title: str = "ShopOps",
                 chinese: bool = False) -> bytes:
    """The package of a new workbook holding every catalogue sheet, filled from `data`."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"title": title, "comments": "Created by ShopOps"})
    add_shop_sheets(wb, data, chinese)
    wb.close()
    return buffer.getvalue()


def _macro_enabled(content: bytes) -> bytes:
    """Give the package the macro-enabled main content type Excel requires of an .xlsm."""
    pkg = Package(content, "new workbook")
    types = etree.fromstring(pkg.read("[Content_Types].xml"))
    for el in types.iter(f"{{{NS_CT}}}Override"):
        if el.get("PartName") == "/" + pkg.workbook_part:
            el.set("ContentType", MACRO_MAIN)
    out = io.BytesIO()
    write_package(pkg, out, {"[Content_Types].xml": etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True)}, set())
    return out.getvalue()


def add_shop_sheets(wb: xlsxwriter.Workbook, data: dict[str, pd.DataFrame],
                    chinese: bool = False) -> None:
    formats = _Formats(wb)
    for spec in SHEETS.values():
        ws = wb.add_worksheet(sheet_title(spec, chinese))
        frame = data.get(spec.name)
        _lay_out(ws, spec, None if frame is None else in_language(spec, frame, chinese), formats,
                 chinese)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.wb = wb
        self.by_kind = {name: wb.add_format({"num_format": k.excel_format, "valign": "top"})
                        for name, k in KINDS.items()}
        self.wrapped = {name: wb.add_format({"num_format": k.excel_format, "valign": "top",
                                             "text_wrap": True}) for name, k in KINDS.items()}
        self.dashboard = [(rule, wb.add_format({"num_format": fmt}))
                          for rule, fmt in DASHBOARD_FORMATS]
        self.low_stock = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.computed_header = wb.add_format({"italic": True})


def _lay_out(ws, spec: SheetSpec, frame: pd.DataFrame | None, formats: _Formats,
             chinese: bool = False) -> None:
    columns = spec.columns
    rows = [] if frame is None else list(frame.reindex(columns=[c.name for c in columns])
                                         .itertuples(index=False))
    wrapped = WRAPPED.get(spec.name, ())
    cell_format = [(formats.wrapped if col.name in wrapped else formats.by_kind)[col.kind.name]
                   for col in columns]
    for idx, col in enumerate(columns):
        ws.set_column(idx, idx, col.col_width, cell_format[idx])
    for r, values in enumerate(rows, start=1):
        for idx, (col, value) in enumerate(zip(columns, values)):
            _write(ws, r, idx, plain(value), cell_format[idx])
    ws.add_table(0, 0, max(len(rows), 1), len(columns) - 1, {
        "name": spec.table_name,
        "style": "Table Style Medium 2",
        "columns": [{"header": header_of(c, chinese), "format": cell_format[i]}
                    for i, c in enumerate(columns)],
    })
    _print_setup(ws, spec, chinese)
    ws.freeze_panes(1, 0)
    ws.set_tab_color(TAB_COLOURS[spec.owner])
    for idx, col in enumerate(columns):
        # a tooltip on the header: the column's name in the other language, and who fills it
        ws.data_validation(0, idx, 0, idx, {
            "validate": "any", "input_title": header_of(col, chinese)[:32],
            "input_message": header_of(col, not chinese)
            + ("\n" + _("Filled by ShopOps") if col.computed else ""),
        })
        if col.choices:
            words = shown_words(col.choices, chinese)
            ws.data_validation(1, idx, LAST_ROW, idx, {
                "validate": "list", "source": list(words),
                "error_title": header_of(col, chinese)[:32],
                "error_message": _("Choose one of: {words}").format(words=", ".join(words)),
            })
    if spec.name == "Products":
        _colour_low_stock(ws, spec, formats)
    if spec.name == "Dashboard":
        value = [c.name for c in columns].index("value")
        for rule, fmt in formats.dashboard:
            ws.conditional_format(1, value, LAST_ROW, value, {
                "type": "formula", "criteria": "=" + rule, "format": fmt, "stop_if_true": True})


def _print_setup(ws, spec: SheetSpec, chinese: bool = False) -> None:
    """A4, one page wide (as many pages long as it takes), the header row on every page, the
    sheet's name, the file's and the date in the page header and page numbers in the footer;
    landscape when the columns are wide."""
    ws.set_paper(9)
    if sum(c.col_width for c in spec.columns) > LANDSCAPE_WIDTH:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=1.0, bottom=0.9)  # room for a Chinese header line
    ws.set_header(PAGE_HEADER)
    ws.set_footer(PAGE_FOOTER_ZH if chinese else PAGE_FOOTER)


def _write(ws, row: int, col: int, value: Any, fmt) -> None:
    if value is None:
        return  # the column's format already covers blank cells
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _colour_low_stock(ws, spec: SheetSpec, formats: _Formats) -> None:
    """Current Stock at or under Low Stock Alert turns red, as the guide's template does."""
    names = [c.name for c in spec.columns]
    stock = col_letter(names.index("current_stock"))
    alert = col_letter(names.index("low_stock_alert"))
    for target in (names.index("product"), names.index("sku"), names.index("current_stock")):
        ws.conditional_format(1, target, LAST_ROW, target, {
            "type": "formula",
            "criteria": f"=AND(ISNUMBER(${stock}2),ISNUMBER(${alert}2),${stock}2<=${alert}2)",
            "format": formats.low_stock,
        })
