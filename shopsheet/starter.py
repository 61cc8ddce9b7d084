"""What a new workbook starts with: Settings at their defaults, the operations guide's three
example products (A001, B002, C003) with their suppliers, and the opening stock count of each
as the first StockLedger rows (Current Stock is derived from the ledger)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shopsheet.core.language import CHINESE, ENGLISH, _, speaking
from shopsheet.core.words import ProductStatus, Reason
from shopsheet.settings import SETTINGS

EXAMPLE_PRODUCTS = [
    # product, sku, stock, alert, reorder qty, cost, price, supplier, lead time, location
    ("Rose Hydrating Face Mask (10 pcs)", "A001", 120, 30, 100, 35.0, 89.0,
     "Guangzhou Meiyan Cosmetics", 7, "A-01"),
    ("Bamboo Travel Mug 350 ml", "B002", 45, 20, 50, 28.0, 69.0, "Yiwu Greenhome Goods", 10,
     "B-03"),
    ("Linen Tote Bag, Natural", "C003", 12, 15, 40, 18.0, 59.0, "Hangzhou Linen Works", 14,
     "C-02"),
]

# the same three in a Chinese workbook
EXAMPLE_PRODUCTS_ZH = [
    ("玫瑰补水面膜（10片装）", "A001", 120, 30, 100, 35.0, 89.0, "广州美妍化妆品", 7, "A-01"),
    ("竹纤维随行杯 350ml", "B002", 45, 20, 50, 28.0, 69.0, "义乌绿家日用品", 10, "B-03"),
    ("亚麻托特包（本色）", "C003", 12, 15, 40, 18.0, 59.0, "杭州亚麻制品厂", 14, "C-02"),
]

EXAMPLE_SUPPLIERS = [
    ("Guangzhou Meiyan Cosmetics", "Ms Chen", "020-8888-1234", "sales@meiyan.example", 7, 1.5,
     50, 10),
    ("Yiwu Greenhome Goods", "Mr Wang", "0579-8555-0101", "wang@greenhome.example", 10, 2.0, 30,
     6),
    ("Hangzhou Linen Works", "Ms Li", "0571-8600-7788", "orders@linenworks.example", 14, 3.0, 20,
     10),
]


EXAMPLE_SUPPLIERS_ZH = [
    ("广州美妍化妆品", "陈女士", "020-8888-1234", "sales@meiyan.example", 7, 1.5, 50, 10),
    ("义乌绿家日用品", "王先生", "0579-8555-0101", "wang@greenhome.example", 10, 2.0, 30, 6),
    ("杭州亚麻制品厂", "李女士", "0571-8600-7788", "orders@linenworks.example", 14, 3.0, 20, 10),
]


def settings_frame(chinese: bool = False) -> pd.DataFrame:
    """Every setting at its default, keyed and explained in the book's language (an English
    book's notes lead with the Chinese key, which ShopOps reads too)."""
    language = CHINESE if chinese else ENGLISH
    values = [language if s.name == "language" else s.default for s in SETTINGS]
    with speaking(language):
        notes = [s.explained() for s in SETTINGS]
    return pd.DataFrame({
        "key": [s.zh if chinese else s.key for s in SETTINGS],
        "value": values,
        "note": notes if chinese else [f"{s.zh} — {note}" for s, note in zip(SETTINGS, notes)],
    })


def products_frame(rows: list[tuple], today: dt.date) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["product", "sku", "current_stock", "low_stock_alert",
                                        "reorder_qty", "cost", "price", "supplier", "lead_time",
                                        "location"])
    frame["margin"] = ((frame["price"] - frame["cost"]) / frame["price"]).round(4)
    frame["last_updated"] = pd.Timestamp(today)
    frame["safety_stock"] = (frame["low_stock_alert"] // 2).astype("int64")
    frame["status"] = ProductStatus.ACTIVE
    frame["on_order"] = 0
    return frame


def suppliers_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["supplier", "contact", "phone", "email", "lead_time",
                                       "lead_time_spread", "moq", "pack_size"])


def opening_ledger(products: pd.DataFrame, when: dt.datetime) -> pd.DataFrame:
    """One `opening` movement per SKU: the count the shop started ShopOps with."""
    return pd.DataFrame({
        "time": pd.Timestamp(when),
        "sku": products["sku"],
        "change": products["current_stock"],
        "reason": Reason.OPENING,
        "reference": "OPENING-" + products["sku"],
        "note": _("Opening stock count"),
    })


def starter_data(today: dt.date, chinese: bool = False) -> dict[str, pd.DataFrame]:
    products = products_frame(EXAMPLE_PRODUCTS_ZH if chinese else EXAMPLE_PRODUCTS, today)
    return {
        "Settings": settings_frame(chinese),
        "Products": products,
        "Suppliers": suppliers_frame(EXAMPLE_SUPPLIERS_ZH if chinese else EXAMPLE_SUPPLIERS),
        # At the start of the day: a book made at 04:00 holds no movement dated later than
        # its making, and every order paid today counts against the opening stock.
        "StockLedger": opening_ledger(products, dt.datetime.combine(today, dt.time(0, 0))),
    }
