"""A workbook holding everything a careless writer loses: charts, a chartsheet, an image, a
text box, sparklines, data bars, comments, a form button, defined names, a VBA project, a user's
own sheet with formulas and cached results, all around the ShopOps sheets."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import xlsxwriter
import xlwings

from shopsheet.book.make.create import add_shop_sheets
from shopsheet.starter import starter_data

ORDERS = pd.DataFrame({
    "order_id": ["P2611200001", "P2611200001", "P2611200002"],
    "line": [1, 2, 1],
    "channel": ["xiaohongshu"] * 3,
    "created": pd.to_datetime(["2026-11-20 21:05", "2026-11-20 21:05", "2026-11-20 22:40"]),
    "status": ["paid", "paid", "shipped"],
    "customer": ["王芳", "王芳", "李娜"],
    "sku": ["A001", "B002", "C003"],
    "qty": [2, 1, 1],
    "unit_price": [89.0, 69.0, 59.0],
})


def png(width: int = 8, height: int = 8) -> bytes:
    """A small solid-colour PNG, made by hand so the tests need no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xd0\x40\x40" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def vba_project(folder: Path) -> Path:
    """The VBA project of xlwings' own quickstart workbook: a real one, made by Excel."""
    source = Path(xlwings.__file__).parent / "quickstart.xlsm"
    target = folder / "vbaProject.bin"
    with zipfile.ZipFile(source) as zf:
        target.write_bytes(zf.read("xl/vbaProject.bin"))
    return target


def build_rich_workbook(path: Path, today: dt.date) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    data = starter_data(today)
    add_shop_sheets(wb, {**data, "Orders": ORDERS})
    wb.set_vba_name("ThisWorkbook")
    wb.add_vba_project(str(vba_project(path.parent)))
    products = wb.get_worksheet_by_name("Products")
    products.conditional_format("C2:C4", {"type": "data_bar", "bar_color": "#63BE7B"})
    products.write_comment("A2", "Best seller in spring", {"author": "Owner"})

    mine = wb.add_worksheet("My Analysis")
    mine.set_vba_name("Sheet99")
    mine.write_row(0, 0, ["SKU", "Stock", "Trend"])
    for r, (sku, stock) in enumerate([("A001", 120), ("B002", 45), ("C003", 12)], start=1):
        mine.write_string(r, 0, sku)
        mine.write_formula(r, 1, f"=INDEX(Products!C:C,MATCH(A{r + 1},Products!B:B,0))",
                           None, stock)
        mine.write_row(r, 3, [stock, stock + 5, stock - 3, stock + 8])
        mine.add_sparkline(r, 2, {"range": f"'My Analysis'!D{r + 1}:G{r + 1}"})
    mine.write_formula(5, 1, "=SUM(tblProducts[Current Stock])", None, 177)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Stock", "categories": "='My Analysis'!$A$2:$A$4",
                      "values": "='My Analysis'!$B$2:$B$4"})
    mine.insert_chart("I2", chart)
    image = path.parent / "logo.png"
    image.write_bytes(png())
    mine.insert_image("I20", str(image))
    mine.insert_textbox("D20", "Remember: reorder linen before CNY", {"width": 260})
    mine.insert_button("D25", {"macro": "SampleCall", "caption": "Run my macro"})
    wb.define_name("LowStockLimit", "=15")
    wb.define_name("MyProducts", "='My Analysis'!$A$2:$A$4")

    sheet_chart = wb.add_chartsheet("Stock Chart")
    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"categories": "='My Analysis'!$A$2:$A$4",
                    "values": "='My Analysis'!$B$2:$B$4"})
    sheet_chart.set_chart(pie)
    wb.close()
    _as_saved_by_excel(path)


def _as_saved_by_excel(path: Path) -> None:
    """Excel saves without `fullCalcOnLoad` (xlsxwriter sets it): make the test file alike."""
    with zipfile.ZipFile(path) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if info.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            zf.writestr(info, data)
