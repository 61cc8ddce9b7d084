"""The shop's words, defined once: channels, order statuses, ledger reasons, the statuses of
products, purchase orders, returns, promotions and listings — and which of them mean what.

Every sheet's drop-downs, every importer's mapping and every rule in core take their words
from here, so "paid" means the same thing in the stock ledger, the KPIs and the import summary.
"""

from __future__ import annotations

# --- where an order came from --------------------------------------------------------------
CHANNELS = ("xiaohongshu", "taobao", "tmall", "shopify", "wechat", "other")
OTHER_CHANNEL = "other"
# what back ends and owners write for a channel; an unknown word becomes OTHER_CHANNEL
CHANNEL_WORDS = {
    **{c: c for c in CHANNELS},
    "red": "xiaohongshu", "xhs": "xiaohongshu", "小红书": "xiaohongshu", "千帆": "xiaohongshu",
    "淘宝": "taobao", "千牛": "taobao", "天猫": "tmall", "微信": "wechat", "weixin": "wechat",
    "视频号": "wechat", "微信小店": "wechat", "其他": "other", "其它": "other",
}

# --- an order line's life ------------------------------------------------------------------
ORDER_STATUSES = ("pending", "paid", "shipped", "delivered", "cancelled", "refunded")
SOLD = ("paid", "shipped", "delivered")  # a sale is in the ledger: the goods are the buyer's
PAID = SOLD + ("refunded",)  # money was taken at some point: sales figures and demand count it
UNDONE = ("cancelled", "refunded")  # a sale reversed (before shipping) or never made
OPEN_ORDER = ("pending", "paid")  # not shipped yet: may still be verified, picked, shipped
# how far a line has come; an import only ever moves a line forward (cancel/refund end it)
STATUS_RANK = {"pending": 0, "paid": 1, "shipped": 2, "delivered": 3, "cancelled": 4,
               "refunded": 4}
# what owners type in a status cell, Chinese included
STATUS_WORDS = {
    **{s: s for s in ORDER_STATUSES},
    "待付款": "pending", "未付款": "pending", "已付款": "paid", "待发货": "paid",
    "已发货": "shipped", "已签收": "delivered", "已完成": "delivered", "交易成功": "delivered",
    "已取消": "cancelled", "交易关闭": "cancelled", "已退款": "refunded",
}

# --- stock ---------------------------------------------------------------------------------
LEDGER_REASONS = ("opening", "sale", "cancel", "receipt", "return", "adjustment", "count")
UNMAPPED = "unmapped"  # the flag of an order line that resolves to no SKU of Products

# --- products and listings -----------------------------------------------------------------
PRODUCT_STATUSES = ("active", "new", "paused", "discontinued")
NEVER_REORDER = ("discontinued", "paused")
LISTING_STATUSES = ("confirmed", "suggested")  # a suggested row moves no stock until confirmed

# --- purchase orders -----------------------------------------------------------------------
PO_STATUSES = ("draft", "ordered", "partial", "received", "cancelled")
OPEN_PO = ("draft", "ordered", "partial")  # a SKU on one of these is not drafted again
ORDERED_PO = ("ordered", "partial")  # sent to the supplier: its quantity is on order

# --- returns -------------------------------------------------------------------------------
RETURN_CONDITIONS = ("resellable", "damaged", "defective")
RESELLABLE = "resellable"
RETURN_STATUSES = ("requested", "received", "restocked", "refunded", "rejected")
RETURN_BACK = ("received", "refunded", "restocked")  # the goods are back with the shop

# --- planning ------------------------------------------------------------------------------
PROMOTION_TYPES = ("flash sale", "bundle", "free gift", "new launch", "festival", "clearance",
                   "teaser")
PROMOTION_STATUSES = ("planned", "edited", "running", "done", "cancelled")
ABC_CLASSES = ("A", "B", "C")
REORDER_FLAGS = ("reorder", "low", "out of stock", "oversold", "ok")
REVIEW_FREQUENCIES = ("weekly", "monthly", "quarterly")


def channel_of(word: object) -> tuple[str, bool]:
    """A channel word as written → (ShopOps channel, whether it was known)."""
    key = "".join(str(word).split()).casefold()
    found = CHANNEL_WORDS.get(key)
    return (found, True) if found else (OTHER_CHANNEL, False)


def status_of(word: object) -> str | None:
    """An order status as an owner writes it (English or Chinese) → ShopOps status, or None."""
    return STATUS_WORDS.get("".join(str(word).split()).casefold())
