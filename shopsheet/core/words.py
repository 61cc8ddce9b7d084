"""The shop's words, defined once: channels, order statuses, ledger reasons, the statuses of
products, purchase orders, returns, promotions and listings — and which of them mean what.

Every sheet's drop-downs, every importer's mapping and every rule in core take their words
from here, so "paid" means the same thing in the stock ledger, the KPIs and the import summary.
"""

from __future__ import annotations

from shopsheet.core.language import N_, chinese


# --- where an order came from --------------------------------------------------------------
class Channel:
    """The channels an order line comes from (its Channel cell)."""
    XIAOHONGSHU = "xiaohongshu"  # Xiaohongshu (RED) 千帆
    TAOBAO = "taobao"
    TMALL = "tmall"
    SHOPIFY = "shopify"
    WECHAT = "wechat"  # WeChat 小店 / 视频号
    OTHER = "other"  # any channel ShopOps has no importer of its own for


CHANNELS = (Channel.XIAOHONGSHU, Channel.TAOBAO, Channel.TMALL, Channel.SHOPIFY, Channel.WECHAT,
            Channel.OTHER)
OTHER_CHANNEL = Channel.OTHER
# what back ends and owners write for a channel; an unknown word becomes OTHER_CHANNEL
CHANNEL_WORDS = {
    **{c: c for c in CHANNELS},
    "red": Channel.XIAOHONGSHU, "xhs": Channel.XIAOHONGSHU, "小红书": Channel.XIAOHONGSHU,
    "千帆": Channel.XIAOHONGSHU, "淘宝": Channel.TAOBAO, "千牛": Channel.TAOBAO,
    "天猫": Channel.TMALL, "微信": Channel.WECHAT, "weixin": Channel.WECHAT,
    "视频号": Channel.WECHAT, "微信小店": Channel.WECHAT, "其他": Channel.OTHER,
    "其它": Channel.OTHER,
}


# --- an order line's life ------------------------------------------------------------------
class Status:
    """An order line's status (its Status cell), in the order a line lives them."""
    PENDING = "pending"  # ordered, not paid yet
    PAID = "paid"  # paid, not shipped: to verify, pick and ship
    SHIPPED = "shipped"  # handed to the carrier
    DELIVERED = "delivered"  # signed for by the buyer
    CANCELLED = "cancelled"  # never paid, or cancelled before shipping
    REFUNDED = "refunded"  # money given back (before or after shipping)


ORDER_STATUSES = (Status.PENDING, Status.PAID, Status.SHIPPED, Status.DELIVERED,
                  Status.CANCELLED, Status.REFUNDED)
# a sale is in the ledger: the goods are the buyer's
SOLD = (Status.PAID, Status.SHIPPED, Status.DELIVERED)
# money was taken at some point: sales figures and demand count it
PAID = SOLD + (Status.REFUNDED,)
UNDONE = (Status.CANCELLED, Status.REFUNDED)  # a sale reversed (before shipping) or never made
# not shipped yet: may still be verified, picked, shipped
OPEN_ORDER = (Status.PENDING, Status.PAID)
# paid and waiting for the parcel: with no shipped time, a line to pick, pack and ship
TO_SHIP = Status.PAID
# sent on its way: shipping messages and shipped counts
SENT = (Status.SHIPPED, Status.DELIVERED)
# how far a line has come; an import only ever moves a line forward (cancel/refund end it)
STATUS_RANK = {Status.PENDING: 0, Status.PAID: 1, Status.SHIPPED: 2, Status.DELIVERED: 3,
               Status.CANCELLED: 4, Status.REFUNDED: 4}
# what owners type in a status cell, Chinese included
STATUS_WORDS = {
    **{s: s for s in ORDER_STATUSES},
    "待付款": Status.PENDING, "未付款": Status.PENDING, "已付款": Status.PAID,
    "待发货": Status.PAID, "已发货": Status.SHIPPED, "已签收": Status.DELIVERED,
    "已完成": Status.DELIVERED, "交易成功": Status.DELIVERED, "已取消": Status.CANCELLED,
    "交易关闭": Status.CANCELLED, "已退款": Status.REFUNDED,
}


# --- stock ---------------------------------------------------------------------------------
class Reason:
    """Why stock moved: the Reason of a StockLedger row."""
    OPENING = "opening"  # the stock a SKU started with (or was carried forward with)
    SALE = "sale"  # a paid order line took it off the shelf (reference: order/line)
    CANCEL = "cancel"  # a sale undone before shipping put it back
    RECEIPT = "receipt"  # goods from a purchase order arrived (reference: PO number)
    RETURN = "return"  # a resellable return went back on the shelf (reference: RMA)
    ADJUSTMENT = "adjustment"  # the owner corrected stock by hand (damage, loss, found)
    COUNT = "count"  # a stock count: the counted level replaces what the ledger said


LEDGER_REASONS = (Reason.OPENING, Reason.SALE, Reason.CANCEL, Reason.RECEIPT, Reason.RETURN,
                  Reason.ADJUSTMENT, Reason.COUNT)
UNMAPPED = "unmapped"  # the flag of an order line that resolves to no SKU of Products
UNMAPPED_MARKS = (UNMAPPED, "未对应")  # the flag as a book of either language writes it


def unmapped_mark() -> str:
    """The unmapped flag's word in the language spoken now."""
    return UNMAPPED_MARKS[1] if chinese() else UNMAPPED


def has_unmapped(flags: object) -> bool:
    """Whether a Flags cell carries the unmapped flag, in either language."""
    return isinstance(flags, str) and any(mark in flags for mark in UNMAPPED_MARKS)


# --- money ---------------------------------------------------------------------------------
class Movement:
    """What a row of the Settlements sheet is: one movement of money as a platform or payment
    provider settled it (its own file's words mapped to these)."""
    SALE = "sale"  # the buyer's payment settled to the shop (gross; the fee beside it)
    REFUND = "refund"  # money given back to a buyer
    FEE = "fee"  # a payment or service fee charged on its own row
    COMMISSION = "commission"  # the platform's or an affiliate's commission
    ADJUSTMENT = "adjustment"  # a chargeback, a correction, a reserve: anything else
    PAYOUT = "payout"  # the balance paid out to the shop's bank account


class Reconciled:
    """What `reconcile` found for an order: its money as settled against what it says."""
    MATCHED = "matched"  # settled = the order's total
    SHORT = "settled short"  # less settled than the order says (a partial refund, a deduction)
    OVER = "settled over"
    REFUNDED = "refunded"  # refunded, and its sale and refund settled to nothing
    REFUND_PENDING = "refund not settled"  # refunded in Orders; the sale still stands settled
    NOT_SETTLED = "not settled"  # nothing settled some days after payment (Settings)
    WAITING = "waiting"  # nothing settled yet, within those days: not a difference
    UNKNOWN = "unknown order"  # settled for an order id Orders does not hold
    FEE_HIGH = "fee above rate"  # settled in full, but charged more than its channel's usual rate


MOVEMENTS = (Movement.SALE, Movement.REFUND, Movement.FEE, Movement.COMMISSION,
             Movement.ADJUSTMENT, Movement.PAYOUT)
EXPENSE_CATEGORIES = ("packaging", "shipping", "ads", "rent", "software", "samples", "other")
CURRENCIES = ("CNY", "USD", "HKD", "EUR", "GBP", "JPY", "SGD", "AUD", "CAD", "AED", "TWD")


# --- products and listings -----------------------------------------------------------------
class ProductStatus:
    """A product's Status cell."""
    ACTIVE = "active"
    NEW = "new"  # recently launched: promotions feature it
    PAUSED = "paused"  # not sold for now: not reordered
    DISCONTINUED = "discontinued"  # sold out for good: not reordered, not counted as live


PRODUCT_STATUSES = (ProductStatus.ACTIVE, ProductStatus.NEW, ProductStatus.PAUSED,
                    ProductStatus.DISCONTINUED)
NEVER_REORDER = (ProductStatus.DISCONTINUED, ProductStatus.PAUSED)
RETIRED = (ProductStatus.DISCONTINUED,)  # not a live product: left out of stock value and ABC


class ListingStatus:
    """A Listings row's status: a suggested row moves no stock until the owner confirms it."""
    CONFIRMED = "confirmed"
    SUGGESTED = "suggested"


LISTING_STATUSES = (ListingStatus.CONFIRMED, ListingStatus.SUGGESTED)


# --- purchase orders -----------------------------------------------------------------------
class POStatus:
    """A purchase order line's status."""
    DRAFT = "draft"  # suggested by the reorders: not sent yet
    ORDERED = "ordered"  # sent to the supplier
    PARTIAL = "partial"  # some of it received
    RECEIVED = "received"  # all of it received
    CANCELLED = "cancelled"


PO_STATUSES = (POStatus.DRAFT, POStatus.ORDERED, POStatus.PARTIAL, POStatus.RECEIVED,
               POStatus.CANCELLED)
OPEN_PO = (POStatus.DRAFT, POStatus.ORDERED, POStatus.PARTIAL)  # a SKU on one is not drafted again
ORDERED_PO = (POStatus.ORDERED, POStatus.PARTIAL)  # sent to the supplier: its quantity is on order


# --- returns -------------------------------------------------------------------------------
class ReturnStatus:
    """A return's (RMA's) status."""
    REQUESTED = "requested"
    RECEIVED = "received"  # the goods are back with the shop
    RESTOCKED = "restocked"  # back on the shelf (a ledger `return` row posted)
    REFUNDED = "refunded"
    REJECTED = "rejected"


RETURN_CONDITIONS = ("resellable", "damaged", "defective")
RESELLABLE = "resellable"  # the only condition that goes back on the shelf
RETURN_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.RECEIVED, ReturnStatus.RESTOCKED,
                   ReturnStatus.REFUNDED, ReturnStatus.REJECTED)
RETURN_BACK = (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED, ReturnStatus.RESTOCKED)


# --- planning ------------------------------------------------------------------------------
class PromotionStatus:
    """A Promotions row's status."""
    PLANNED = "planned"  # written by ShopOps' plan
    EDITED = "edited"  # changed by the owner: the plan leaves it alone
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"  # no uplift is planned for it


PROMOTION_TYPES = ("flash sale", "bundle", "free gift", "new launch", "festival", "clearance",
                   "teaser")
PROMOTION_STATUSES = (PromotionStatus.PLANNED, PromotionStatus.EDITED, PromotionStatus.RUNNING,
                      PromotionStatus.DONE, PromotionStatus.CANCELLED)
CHECKS_PASSED = N_("ok")  # a promotion's Checks when margin, stock and timing all hold
ABC_CLASSES = ("A", "B", "C")


class Flag:
    """A product's Reorder Flag, worked out by the reorders from stock and demand."""
    REORDER = "reorder"  # at or under its reorder point: a purchase order is due
    LOW = "low"  # at or under the owner's low-stock alert
    OUT = "out of stock"
    OVERSOLD = "oversold"  # more sold than there was: stock below zero
    OK = "ok"


REORDER_FLAGS = (Flag.REORDER, Flag.LOW, Flag.OUT, Flag.OVERSOLD, Flag.OK)
NEEDS_STOCK = (Flag.REORDER, Flag.OUT, Flag.OVERSOLD)  # flags that call for a purchase order
ALERT_FLAGS = (Flag.LOW,) + NEEDS_STOCK  # flags the Dashboard counts as low stock


class ReviewFrequency:
    """How often a product is reviewed and counted (Products' Review, from its ABC class)."""
    WEEKLY = "weekly"  # A: the few products that make most of the revenue
    MONTHLY = "monthly"  # B
    QUARTERLY = "quarterly"  # C: the long tail


REVIEW_FREQUENCIES = (ReviewFrequency.WEEKLY, ReviewFrequency.MONTHLY, ReviewFrequency.QUARTERLY)


def channel_of(word: object) -> tuple[str, bool]:
    """A channel word as written → (ShopOps channel, whether it was known)."""
    key = "".join(str(word).split()).casefold()
    found = CHANNEL_WORDS.get(key)
    return (found, True) if found else (OTHER_CHANNEL, False)


def status_of(word: object) -> str | None:
    """An order status as an owner writes it (English or Chinese) → ShopOps status, or None."""
    return STATUS_WORDS.get("".join(str(word).split()).casefold())


# --- the words in Chinese ------------------------------------------------------------------
# Each drop-down's words as a Chinese book shows them: a Chinese book's cells hold these, and
# a cell is read back to the same word whichever language wrote it (`stored_word`).
IN_CHINESE: dict[tuple[str, ...], dict[str, str]] = {
    CHANNELS: {Channel.XIAOHONGSHU: "小红书", Channel.TAOBAO: "淘宝", Channel.TMALL: "天猫",
               Channel.SHOPIFY: "Shopify", Channel.WECHAT: "微信", Channel.OTHER: "其他"},
    ORDER_STATUSES: {Status.PENDING: "待付款", Status.PAID: "已付款", Status.SHIPPED: "已发货",
                     Status.DELIVERED: "已签收", Status.CANCELLED: "已取消",
                     Status.REFUNDED: "已退款"},
    LEDGER_REASONS: {Reason.OPENING: "期初", Reason.SALE: "销售", Reason.CANCEL: "取消",
                     Reason.RECEIPT: "采购入库", Reason.RETURN: "退货入库",
                     Reason.ADJUSTMENT: "调整", Reason.COUNT: "盘点"},
    MOVEMENTS: {Movement.SALE: "货款", Movement.REFUND: "退款", Movement.FEE: "手续费",
                Movement.COMMISSION: "佣金", Movement.ADJUSTMENT: "调整", Movement.PAYOUT: "提现"},
    EXPENSE_CATEGORIES: {"packaging": "包装", "shipping": "运费", "ads": "推广", "rent": "房租",
                         "software": "软件", "samples": "样品", "other": "其他"},
    PRODUCT_STATUSES: {ProductStatus.ACTIVE: "在售", ProductStatus.NEW: "新品",
                       ProductStatus.PAUSED: "暂停", ProductStatus.DISCONTINUED: "停售"},
    LISTING_STATUSES: {ListingStatus.CONFIRMED: "已确认", ListingStatus.SUGGESTED: "待确认"},
    PO_STATUSES: {POStatus.DRAFT: "草稿", POStatus.ORDERED: "已下单", POStatus.PARTIAL: "部分到货",
                  POStatus.RECEIVED: "已到货", POStatus.CANCELLED: "已取消"},
    RETURN_CONDITIONS: {"resellable": "可再售", "damaged": "破损", "defective": "质量问题"},
    RETURN_STATUSES: {ReturnStatus.REQUESTED: "已申请", ReturnStatus.RECEIVED: "已收货",
                      ReturnStatus.RESTOCKED: "已入库", ReturnStatus.REFUNDED: "已退款",
                      ReturnStatus.REJECTED: "已拒绝"},
    PROMOTION_TYPES: {"flash sale": "限时秒杀", "bundle": "组合优惠", "free gift": "满赠",
                      "new launch": "新品上市", "festival": "节日大促", "clearance": "清仓",
                      "teaser": "预热"},
    PROMOTION_STATUSES: {PromotionStatus.PLANNED: "已计划", PromotionStatus.EDITED: "已修改",
                         PromotionStatus.RUNNING: "进行中", PromotionStatus.DONE: "已结束",
                         PromotionStatus.CANCELLED: "已取消"},
    ABC_CLASSES: {"A": "A", "B": "B", "C": "C"},
    REORDER_FLAGS: {Flag.REORDER: "需补货", Flag.LOW: "库存低", Flag.OUT: "缺货",
                    Flag.OVERSOLD: "超卖", Flag.OK: "正常"},
    REVIEW_FREQUENCIES: {"weekly": "每周", "monthly": "每月", "quarterly": "每季度"},
}
# other spellings owners and back ends use for the same words, read as those words
_ALSO = {ORDER_STATUSES: STATUS_WORDS, CHANNELS: CHANNEL_WORDS}


def shown_words(words: tuple[str, ...], chinese: bool) -> tuple[str, ...]:
    """A drop-down's words as a book in that language shows them."""
    if not chinese or words not in IN_CHINESE:
        return words
    return tuple(IN_CHINESE[words].get(w, w) for w in words)


def fold(word: str) -> str:
    """How two spellings of a word are compared: case and spaces ignored."""
    return "".join(word.split()).casefold()


_SPELLINGS: dict[tuple[str, ...], dict[str, str]] = {}


def spellings(words: tuple[str, ...]) -> dict[str, str]:
    """Every spelling of a drop-down's words (`fold`ed) → the word: English, Chinese, and
    what owners and back ends also write (`已完成` for delivered, `RED` for Xiaohongshu)."""
    if words not in _SPELLINGS:
        found = {fold(w): w for w in words}
        found.update({fold(zh): w for w, zh in IN_CHINESE.get(words, {}).items()})
        found.update({fold(k): v for k, v in _ALSO.get(words, {}).items() if v in words})
        _SPELLINGS[words] = found
    return _SPELLINGS[words]


RECONCILED = (Reconciled.MATCHED, Reconciled.SHORT, Reconciled.OVER, Reconciled.REFUNDED,
              Reconciled.REFUND_PENDING, Reconciled.NOT_SETTLED, Reconciled.WAITING,
              Reconciled.UNKNOWN, Reconciled.FEE_HIGH)
IN_CHINESE[RECONCILED] = {
    Reconciled.MATCHED: "已对平", Reconciled.SHORT: "少结", Reconciled.OVER: "多结",
    Reconciled.REFUNDED: "已退款", Reconciled.REFUND_PENDING: "退款未结算",
    Reconciled.NOT_SETTLED: "逾期未结算", Reconciled.WAITING: "待结算",
    Reconciled.UNKNOWN: "未知订单", Reconciled.FEE_HIGH: "费率偏高"}


def say(word: object, words: tuple[str, ...]) -> str:
    """A stored word (of the drop-down `words`) as the language spoken now says it."""
    if not isinstance(word, str):
        return "" if word is None else str(word)
    return IN_CHINESE.get(words, {}).get(word, word) if chinese() else word
