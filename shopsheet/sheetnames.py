"""The workbook's sheets by name, in workbook order, and the title a Chinese workbook gives
each: `sheets.py` takes its sheet names from here, and the package reader (which runs before
pandas is loaded, see `book/read/parse.py`) finds `订单` to be Orders without loading the
catalogue."""

from __future__ import annotations

CHINESE_TITLES = {
    "Settings": "设置", "Products": "商品", "Suppliers": "供应商", "Orders": "订单",
    "StockLedger": "库存流水", "PurchaseOrders": "采购单", "Returns": "退货",
    "Inquiries": "客户咨询", "Promotions": "促销", "PickList": "拣货单", "Dashboard": "看板",
    "Log": "日志", "Problems": "问题",
    # added in wave 2, after the sheets older workbooks have
    "Listings": "商品对应", "Kits": "组合装", "Settlements": "结算明细",
    "Reconciliation": "对账", "Expenses": "费用",
}
# a sheet's title in a workbook → its name here (case ignored)
SHEET_TITLES: dict[str, str] = {
    **{zh.casefold(): name for name, zh in CHINESE_TITLES.items()},
    **{name.casefold(): name for name in CHINESE_TITLES},
}


def names_for(titles: list[str]) -> dict[str, str]:
    """A book's sheet titles keyed by the name ShopOps knows each by (`订单` is Orders), in
    the book's order; a title that is ShopOps' name for another of the book's sheets keeps its
    own (a book with both `Orders` and `订单` is read from `Orders`)."""
    found = {}
    for title in titles:
        name = sheet_named(title) or title
        found[title if name in titles and name != title else name] = title
    return found


def sheet_named(title: str) -> str | None:
    """The name ShopOps knows the sheet a workbook titles `title` by (`订单` → Orders)."""
    return SHEET_TITLES.get(title.strip().casefold())
