"""The sheet catalogue: one pandera model per sheet of ShopOps.xlsm.

Each model validates the sheet read into a DataFrame (snake_case columns, indexed by Excel row)
and, through the column helpers, says how the sheet looks in Excel: header labels, Chinese
aliases, number formats, drop-down words. `SHEETS` lists them in workbook order with who owns
them. Columns a user adds are not declared here and are kept as they are (`strict=False`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from shopsheet.columns import (ColumnMeta, any_value, choice, column_metas, date, datetime, money,
                               number, percent, text, whole, yesno)
from shopsheet.core.words import (ABC_CLASSES, CHANNELS, EXPENSE_CATEGORIES, LEDGER_REASONS,
                                  LISTING_STATUSES, MOVEMENTS, ORDER_STATUSES, PO_STATUSES,
                                  PRODUCT_STATUSES, PROMOTION_STATUSES, PROMOTION_TYPES,
                                  REORDER_FLAGS, RETURN_CONDITIONS, RETURN_STATUSES,
                                  REVIEW_FREQUENCIES, shown_words)
from shopsheet.sheetnames import CHINESE_TITLES


class _Sheet(pa.DataFrameModel):
    class Config:
        strict = False  # columns a user adds are kept, never rejected
        coerce = False  # sheets are coerced by `validation.coerce`, which names every bad cell


class Settings(_Sheet):
    key: Series[str] = text("Setting", "设置项", required=True, unique=True, width=30,
                            aliases=("Key",))
    value: Series[object] = any_value("Value", "值", width=34)
    note: Series[str] = text("Note", "说明", width=60)


class Products(_Sheet):
    product: Series[str] = text("Product", "商品名称", required=True, width=28,
                                aliases=("Product Name", "商品"))
    sku: Series[str] = text("SKU", "商品编码", required=True, unique=True, width=12,
                            aliases=("商家编码", "货号"))
    current_stock: Series[pd.Int64Dtype] = whole("Current Stock", "当前库存", computed=True, ge=0,
                                                 aliases=("库存",))
    low_stock_alert: Series[pd.Int64Dtype] = whole("Low Stock Alert", "库存预警", ge=0)
    reorder_qty: Series[pd.Int64Dtype] = whole("Reorder Qty", "补货数量", ge=0)
    cost: Series[float] = money("Cost", "成本", ge=0, aliases=("成本价",))
    price: Series[float] = money("Price", "售价", ge=0, aliases=("价格",))
    margin: Series[float] = percent("Margin", "毛利率", computed=True, le=1)
    supplier: Series[str] = text("Supplier", "供应商", width=20)
    lead_time: Series[pd.Int64Dtype] = whole("Lead Time", "交货周期", ge=0,
                                             aliases=("Lead Time (days)", "交货天数"))
    last_updated: Series[pd.Timestamp] = date("Last Updated", "最后更新", computed=True)
    safety_stock: Series[pd.Int64Dtype] = whole("Safety Stock", "安全库存", ge=0)
    location: Series[str] = text("Location", "库位", width=10, aliases=("Bin",))
    status: Series[str] = choice("Status", "状态", PRODUCT_STATUSES)
    abc: Series[str] = choice("ABC", "ABC分类", ABC_CLASSES, computed=True, width=7)
    avg_daily_sales: Series[float] = number("Avg Daily Sales", "日均销量", ge=0, computed=True)
    days_of_cover: Series[float] = number("Days of Cover", "可售天数", computed=True)
    on_order: Series[pd.Int64Dtype] = whole("On Order", "在途数量", ge=0, computed=True)
    reorder_flag: Series[str] = choice("Reorder Flag", "补货标记", REORDER_FLAGS, computed=True)
    reorder_point: Series[float] = number("Reorder Point", "补货点", ge=0, computed=True)
    reorder_by: Series[pd.Timestamp] = date("Reorder By", "最晚补货日", computed=True)
    review: Series[str] = choice("Review", "盘点频率", REVIEW_FREQUENCIES, computed=True)
    last_counted: Series[pd.Timestamp] = date("Last Counted", "上次盘点", computed=True)


class Suppliers(_Sheet):
    supplier: Series[str] = text("Supplier", "供应商", required=True, unique=True, width=22)
    contact: Series[str] = text("Contact", "联系人")
    phone: Series[str] = text("Phone", "电话", width=15)
    email: Series[str] = text("Email", "邮箱", width=24)
    lead_time: Series[pd.Int64Dtype] = whole("Lead Time", "交货周期", ge=0)
    lead_time_spread: Series[float] = number("Lead Time Spread", "交货周期波动", ge=0)
    moq: Series[pd.Int64Dtype] = whole("MOQ", "最小起订量", ge=0)
    pack_size: Series[pd.Int64Dtype] = whole("Pack Size", "包装数量", ge=1)
    note: Series[str] = text("Note", "备注", width=30)
    # from the deliveries received (PurchaseOrders' Lead Days), beside the typed ones
    measured_lead_time: Series[float] = number("Measured Lead Time", "实测交货周期",
                                               computed=True)
    measured_spread: Series[float] = number("Measured Spread", "实测交货波动", computed=True)
    deliveries: Series[pd.Int64Dtype] = whole("Deliveries", "实测到货次数", ge=0, computed=True)


class Orders(_Sheet):
    order_id: Series[str] = text("Order ID", "订单号", required=True, width=22,
                                 aliases=("订单编号",))
    line: Series[pd.Int64Dtype] = whole("Line", "行号", required=True, ge=1, width=6)
    channel: Series[str] = choice("Channel", "渠道", CHANNELS)
    created: Series[pd.Timestamp] = datetime("Created", "下单时间", required=True)
    paid: Series[pd.Timestamp] = datetime("Paid", "付款时间")
    shipped: Series[pd.Timestamp] = datetime("Shipped", "发货时间")
    delivered: Series[pd.Timestamp] = datetime("Delivered", "签收时间")
    status: Series[str] = choice("Status", "订单状态", ORDER_STATUSES, required=True)
    customer: Series[str] = text("Customer", "客户", width=14, aliases=("收货人",))
    phone: Series[str] = text("Phone", "电话", width=14, aliases=("联系手机",))
    province: Series[str] = text("Province", "省份", width=10)
    city: Series[str] = text("City", "城市", width=10)
    address: Series[str] = text("Address", "收货地址", width=34, aliases=("地址",))
    billing_address: Series[str] = text("Billing Address", "账单地址", width=24)
    shipping_method: Series[str] = text("Shipping Method", "配送方式", width=12)
    carrier: Series[str] = text("Carrier", "快递公司", width=10)
    tracking_no: Series[str] = text("Tracking No", "快递单号", width=18)
    # the code the export gave (a Products SKU, a channel's own code, or blank): Listings map it
    sku: Series[str] = text("SKU", "商品编码", width=10, aliases=("商家编码",))
    product: Series[str] = text("Product", "商品名称", width=24)
    qty: Series[pd.Int64Dtype] = whole("Qty", "数量", required=True, ge=1, width=6)
    unit_price: Series[float] = money("Unit Price", "单价", ge=0)
    discount: Series[float] = money("Discount", "优惠", ge=0)
    line_total: Series[float] = money("Line Total", "小计", ge=0)
    shipping_fee: Series[float] = money("Shipping Fee", "运费", ge=0)
    buyer_note: Series[str] = text("Buyer Note", "买家留言", width=24)
    flags: Series[str] = text("Flags", "风险标记", width=24, computed=True)
    verified: Series[pd.BooleanDtype] = yesno("Verified", "已核验", computed=True)
    store: Series[str] = text("Store", "店铺", width=14)  # the shop, or a channel word unknown
    listing_id: Series[str] = text("Listing ID", "商品ID", width=16, aliases=("规格ID",))


class Listings(_Sheet):
    """What a channel sells, mapped to the shop's own SKU: a channel's code, a listing's id or
    its title and variant → SKU × Units (a 2-pack is 2 units)."""
    channel: Series[str] = choice("Channel", "渠道", CHANNELS, width=12)
    listing_id: Series[str] = text("Listing ID", "商品ID", width=16, aliases=("Handle",))
    channel_sku: Series[str] = text("Channel SKU", "平台商家编码", width=14)
    title: Series[str] = text("Title", "标题", width=30)
    variant: Series[str] = text("Variant", "规格", width=16)
    sku: Series[str] = text("SKU", "商品编码", width=10)  # blank only when Units is 0
    units: Series[pd.Int64Dtype] = whole("Units", "件数", ge=0, width=7)  # 0: takes no stock
    status: Series[str] = choice("Status", "状态", LISTING_STATUSES, width=11)
    note: Series[str] = text("Note", "备注", width=36)


class Kits(_Sheet):
    """A kit (gift box, bundle) and what it is made of: selling one takes its components."""
    kit_sku: Series[str] = text("Kit SKU", "组合编码", required=True, width=12)
    component_sku: Series[str] = text("Component SKU", "子商品编码", required=True, width=14)
    qty: Series[pd.Int64Dtype] = whole("Qty", "数量", required=True, ge=1, width=6)


class Settlements(_Sheet):
    """Money as the platforms and payment providers settled it, a row per movement, from
    their own files: what was paid for an order, refunded, charged as a fee or commission,
    and paid out to the bank. `Net` = `Gross` + `Fee` (a fee is money out, so negative)."""
    time: Series[pd.Timestamp] = datetime("Time", "时间", required=True)
    channel: Series[str] = choice("Channel", "渠道", CHANNELS)
    order_id: Series[str] = text("Order ID", "订单号", width=22)
    type: Series[str] = choice("Type", "类型", MOVEMENTS, required=True, width=12)
    gross: Series[float] = money("Gross", "金额")
    fee: Series[float] = money("Fee", "手续费")
    net: Series[float] = money("Net", "结算金额", required=True)
    currency: Series[str] = text("Currency", "币种", width=8)
    payout_id: Series[str] = text("Payout ID", "结算批次", width=16)
    transaction_id: Series[str] = text("Transaction ID", "流水号", required=True, width=26)
    provider: Series[str] = text("Provider", "结算方", width=16)
    note: Series[str] = text("Note", "备注", width=30)
    source: Series[str] = text("Source", "来源文件", width=28)


class StockLedger(_Sheet):
    time: Series[pd.Timestamp] = datetime("Time", "时间", required=True)
    sku: Series[str] = text("SKU", "商品编码", required=True, width=10)
    change: Series[pd.Int64Dtype] = whole("Change", "变动", required=True)
    reason: Series[str] = choice("Reason", "原因", LEDGER_REASONS, required=True)
    reference: Series[str] = text("Reference", "单据号", width=24)
    note: Series[str] = text("Note", "备注", width=30)


class PurchaseOrders(_Sheet):
    po_no: Series[str] = text("PO No", "采购单号", required=True, width=14)
    supplier: Series[str] = text("Supplier", "供应商", width=20)
    sku: Series[str] = text("SKU", "商品编码", required=True, width=10)
    qty: Series[pd.Int64Dtype] = whole("Qty", "数量", required=True, ge=1, width=7)
    unit_cost: Series[float] = money("Unit Cost", "单价", ge=0)
    ordered: Series[pd.Timestamp] = date("Ordered", "下单日期")
    expected: Series[pd.Timestamp] = date("Expected", "预计到货")
    received: Series[pd.Timestamp] = date("Received", "到货日期")
    received_qty: Series[pd.Int64Dtype] = whole("Received Qty", "已收数量", ge=0)
    status: Series[str] = choice("Status", "状态", PO_STATUSES, required=True)
    note: Series[str] = text("Note", "备注", width=24)
    lead_days: Series[pd.Int64Dtype] = whole("Lead Days", "实际交货天数", ge=0, computed=True)


class Returns(_Sheet):
    rma_no: Series[str] = text("RMA No", "退货单号", required=True, unique=True, width=12)
    order_id: Series[str] = text("Order ID", "订单号", width=22)
    sku: Series[str] = text("SKU", "商品编码", required=True, width=10)
    qty: Series[pd.Int64Dtype] = whole("Qty", "数量", required=True, ge=1, width=6)
    reason: Series[str] = text("Reason", "退货原因", width=20)
    condition: Series[str] = choice("Condition", "商品状况", RETURN_CONDITIONS)
    refund_amount: Series[float] = money("Refund Amount", "退款金额", ge=0)
    requested: Series[pd.Timestamp] = date("Requested", "申请日期")
    received: Series[pd.Timestamp] = date("Received", "收货日期")
    status: Series[str] = choice("Status", "状态", RETURN_STATUSES, required=True)
    note: Series[str] = text("Note", "备注", width=24)


class Inquiries(_Sheet):
    received: Series[pd.Timestamp] = datetime("Received", "收到时间", required=True)
    responded: Series[pd.Timestamp] = datetime("Responded", "回复时间")
    channel: Series[str] = choice("Channel", "渠道", CHANNELS)
    customer: Series[str] = text("Customer", "客户", width=14)
    order_id: Series[str] = text("Order ID", "订单号", width=22)
    topic: Series[str] = text("Topic", "问题类型", width=20)
    resolved: Series[pd.BooleanDtype] = yesno("Resolved", "已解决")
    note: Series[str] = text("Note", "备注", width=30)


class Promotions(_Sheet):
    start: Series[pd.Timestamp] = date("Start", "开始", required=True)
    end: Series[pd.Timestamp] = date("End", "结束", required=True)
    name: Series[str] = text("Name", "活动名称", required=True, width=26)
    type: Series[str] = choice("Type", "类型", PROMOTION_TYPES)
    skus: Series[str] = text("SKUs", "商品", width=20)
    discount: Series[float] = percent("Discount", "折扣", ge=0, le=1)
    uplift: Series[float] = percent("Uplift", "预计增幅", ge=0)
    threshold: Series[float] = money("Threshold", "门槛", ge=0)
    margin_after: Series[float] = percent("Margin After", "折后毛利", computed=True, le=1)
    stock_ok: Series[pd.BooleanDtype] = yesno("Stock OK", "库存充足", computed=True)
    checks: Series[str] = text("Checks", "检查结果", width=40, computed=True)
    status: Series[str] = choice("Status", "状态", PROMOTION_STATUSES)
    note: Series[str] = text("Note", "备注", width=30)
    plan_key: Series[str] = text("Plan Key", "计划编号", width=16, computed=True, unique=True)


class PickList(_Sheet):
    location: Series[str] = text("Location", "库位", width=10)
    sku: Series[str] = text("SKU", "商品编码", width=10)
    product: Series[str] = text("Product", "商品名称", width=34)
    total_qty: Series[pd.Int64Dtype] = whole("Total Qty", "拣货数量", ge=0)
    orders: Series[str] = text("Orders", "订单", width=44)
    priority: Series[str] = text("Priority", "优先级", width=10)
    note: Series[str] = text("Note", "备注", width=24)


class Expenses(_Sheet):
    """What the shop spent besides its goods, as the owner records it: the month's profit
    takes it off."""
    date: Series[pd.Timestamp] = date("Date", "日期", required=True)
    category: Series[str] = choice("Category", "类别", EXPENSE_CATEGORIES, required=True)
    amount: Series[float] = money("Amount", "金额", required=True, ge=0)
    supplier: Series[str] = text("Supplier", "收款方", width=20)
    order_id: Series[str] = text("Order ID", "订单号", width=22)  # a cost of one order
    tracking_no: Series[str] = text("Tracking No", "快递单号", width=18)  # a carrier's line
    note: Series[str] = text("Note", "备注", width=36)


class Reconciliation(_Sheet):
    """`reconcile`'s view of a month: each order against what was settled for it (the
    differences first, with their reason), the fees per channel, the settled totals."""
    section: Series[str] = text("Section", "栏目", width=12)
    channel: Series[str] = text("Channel", "渠道", width=12)
    order_id: Series[str] = text("Order ID", "订单号", width=22)
    date: Series[pd.Timestamp] = datetime("Paid", "付款时间")
    expected: Series[float] = money("Expected", "应收")
    settled: Series[float] = money("Settled", "实收")
    difference: Series[float] = money("Difference", "差额")
    result: Series[str] = text("Result", "结果", width=18)
    reason: Series[str] = text("Reason", "原因", width=56)


class Dashboard(_Sheet):
    section: Series[str] = text("Section", "栏目", width=26)
    metric: Series[str] = text("Metric", "指标", width=28)
    value: Series[object] = any_value("Value", "数值", width=40)
    note: Series[str] = text("Note", "说明", width=50)


class Log(_Sheet):
    time: Series[pd.Timestamp] = datetime("Time", "时间")
    routine: Series[str] = text("Routine", "操作", width=14)
    summary: Series[str] = text("Summary", "摘要", width=70)
    problems: Series[pd.Int64Dtype] = whole("Problems", "问题数", ge=0, width=9)
    run_by: Series[str] = text("Run By", "执行者", width=16)


class Problems(_Sheet):
    time: Series[pd.Timestamp] = datetime("Time", "时间")
    sheet: Series[str] = text("Sheet", "工作表", width=14)
    cell: Series[str] = text("Cell", "单元格", width=8)
    column: Series[str] = text("Column", "列", width=16)
    got: Series[str] = text("Got", "实际值", width=16)
    expected: Series[str] = text("Expected", "应为", width=28)
    message: Series[str] = text("Message", "说明", width=70)


@dataclass(frozen=True)
class SheetSpec:
    """A sheet of the workbook: its model, who writes it, and its Excel Table's name."""

    name: str
    model: type[_Sheet]
    owner: str  # "user", "append" (routines add rows), or "routine" (generated view)
    optional: bool = False  # a workbook made before the sheet existed works on without it

    @property
    def zh(self) -> str:
        """Its title in a Chinese workbook (`sheetnames.py`)."""
        return CHINESE_TITLES[self.name]

    @property
    def table_name(self) -> str:
        return f"tbl{self.name}"

    @cached_property
    def columns(self) -> list[ColumnMeta]:
        return column_metas(self.model)

    def column(self, name: str) -> ColumnMeta:
        return next(c for c in self.columns if c.name == name)


SHEETS: dict[str, SheetSpec] = {
    s.name: s
    for s in (
        SheetSpec("Settings", Settings, "user"),
        SheetSpec("Products", Products, "user"),
        SheetSpec("Suppliers", Suppliers, "user"),
        SheetSpec("Orders", Orders, "append"),
        SheetSpec("StockLedger", StockLedger, "append"),
        SheetSpec("PurchaseOrders", PurchaseOrders, "user"),
        SheetSpec("Returns", Returns, "user"),
        SheetSpec("Inquiries", Inquiries, "user"),
        SheetSpec("Promotions", Promotions, "user"),
        SheetSpec("PickList", PickList, "routine"),
        SheetSpec("Dashboard", Dashboard, "routine"),
        SheetSpec("Log", Log, "append"),
        SheetSpec("Problems", Problems, "routine"),
        # added in wave 2, after the sheets older workbooks have, so those keep their order
        SheetSpec("Listings", Listings, "user", optional=True),
        SheetSpec("Kits", Kits, "user", optional=True),
        SheetSpec("Settlements", Settlements, "append", optional=True),
        SheetSpec("Reconciliation", Reconciliation, "routine", optional=True),
        SheetSpec("Expenses", Expenses, "user", optional=True),
    )
}

def sheet_title(spec: SheetSpec, chinese: bool) -> str:
    """What a new sheet is titled in a book of that language."""
    return spec.zh if chinese else spec.name


def header_of(col: ColumnMeta, chinese: bool) -> str:
    """A column's header in a new sheet of a book of that language."""
    return col.zh if chinese else col.label


def in_language(spec: SheetSpec, frame: pd.DataFrame, chinese: bool) -> pd.DataFrame:
    """`frame`'s drop-down words (statuses, channels, reasons…) as a book of that language
    shows them; everything else as it is. An English book gets the frame itself."""
    if not chinese:
        return frame
    columns = [c for c in spec.columns if c.choices and c.name in frame.columns]
    if not columns:
        return frame
    shown = frame.copy()
    for col in columns:
        mapping = dict(zip(col.choices, shown_words(col.choices, True)))
        values = shown[col.name]
        shown[col.name] = values.map(lambda w: mapping.get(w, w) if isinstance(w, str) else w)
    return shown
