"""A realistic, deterministic demo shop: 30 SKUs from 4 suppliers in bin locations, 90 days of
orders with a weekday rhythm and the 11.11 / 12.12 peaks, cancellations, refunds, returns,
purchase-order receipts and customer inquiries. The same `today` and seed give the same shop.

The shop sells on several channels as real shops do: its Shopify products carry no SKU (each
Shopify title is mapped to the shop's SKU by a Listings row), one Xiaohongshu listing is a 2-pack
of the face mask (its own code, A001-2, Units 2), and the Holiday Gift Box is a kit of three
products. The stock ledger is consistent with the orders as `core.listings` resolves them:
every paid line that has left the warehouse is a `sale` of what it took (`ORDER#LINE`, a kit's
parts `ORDER#LINE/PART`); last night's paid orders are not posted yet, which is what the daily
routine is for. Last night's Shopify export also sells a colour just added in Shopify and not
mapped yet: the one line the morning cannot place, for `listings --suggest` to propose.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from shopsheet.core.language import _
from shopsheet.core.listings import kit_stock, shelf
from shopsheet.core.words import (RESELLABLE, Channel, ListingStatus, POStatus, ProductStatus,
                                  Reason, ReturnStatus, Status)
from shopsheet.starter import EXAMPLE_PRODUCTS, EXAMPLE_SUPPLIERS, products_frame, suppliers_frame

DAYS = 90
SUPPLIERS = EXAMPLE_SUPPLIERS + [
    ("Shenzhen Xinyu Accessories", "Mr Zhao", "0755-2666-3030", "zhao@xinyu.example", 5, 1.0,
     100, 20),
]
# name, sku, price, supplier index, location
CATALOGUE = [
    ("Green Tea Cleansing Foam 120 ml", "A004", 69, 0, "A-02"),
    ("Vitamin C Brightening Serum 30 ml", "A005", 159, 0, "A-03"),
    ("Hyaluronic Acid Toner 200 ml", "A006", 99, 0, "A-04"),
    ("Sakura Hand Cream Set (3)", "A007", 79, 0, "A-05"),
    ("Sunscreen SPF50 PA++++ 50 ml", "A008", 119, 0, "A-06"),
    ("Silk Sleep Eye Mask", "A009", 59, 0, "A-07"),
    ("Ceramic Pour-over Coffee Set", "B004", 189, 1, "B-01"),
    ("Glass Food Containers (4 pcs)", "B005", 129, 1, "B-02"),
    ("Aroma Diffuser, Wood Grain", "B006", 149, 1, "B-04"),
    ("Scented Candle, White Tea 200 g", "B007", 89, 1, "B-05"),
    ("Stainless Steel Water Bottle 500 ml", "B008", 99, 1, "B-06"),
    ("Desk Organiser, Walnut", "B009", 139, 1, "B-07"),
    ("Linen Table Runner 180 cm", "C004", 99, 2, "C-01"),
    ("Cotton Muslin Bath Towel", "C005", 129, 2, "C-03"),
    ("Knitted Throw Blanket", "C006", 239, 2, "C-04"),
    ("Embroidered Cushion Cover", "C007", 69, 2, "C-05"),
    ("Linen Apron, Olive", "C008", 89, 2, "C-06"),
    ("Pearl Hair Clip Set", "D001", 39, 3, "D-01"),
    ("Phone Lanyard, Braided", "D002", 29, 3, "D-02"),
    ("Minimalist Silver Ring", "D003", 99, 3, "D-03"),
    ("Tortoiseshell Claw Clip", "D004", 25, 3, "D-04"),
    ("Canvas Card Holder", "D005", 45, 3, "D-05"),
    ("AirPods Case, Cream", "D006", 49, 3, "D-06"),
    ("Acetate Sunglasses", "D007", 129, 3, "D-07"),
    ("Scrunchie Pack (5)", "D008", 35, 3, "D-08"),
    ("Holiday Gift Box (limited)", "D009", 199, 3, "D-09"),
    ("Bamboo Tumbler 450 ml (old model)", "B010", 59, 1, "B-08"),
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
GIVEN = list("伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玲")
PLACES = [("浙江省", "杭州市"), ("上海市", "上海市"), ("广东省", "深圳市"), ("广东省", "广州市"),
          ("北京市", "北京市"), ("江苏省", "南京市"), ("四川省", "成都市"), ("湖北省", "武汉市"),
          ("福建省", "厦门市"), ("陕西省", "西安市"), ("山东省", "青岛市"), ("重庆市", "重庆市")]
STREETS = ["文三路", "南京西路", "科技园南路", "天河路", "建国门外大街", "中山路", "春熙路", "解放大道"]
CHANNELS = (["xiaohongshu"] * 12) + (["taobao"] * 5) + (["shopify"] * 2) + ["wechat"]
NOTES = ["请尽快发货，谢谢", "送人的，请不要放发票", "Gift wrap please", "-- 不要放价格标签 --",
         "=不要发中通", "+急用，周五前到", "@小红书 看到的，期待!"]
CARRIERS = ["SF Express", "YTO", "ZTO", "JD Logistics"]
WEEKDAY = [0.9, 0.85, 0.9, 1.0, 1.15, 1.3, 1.2]
KITS = {"D009": [("A001", 1), ("A007", 1), ("B007", 1)]}  # Holiday Gift Box: mask, cream, candle
TWO_PACK = ("A001-2", "玫瑰补水面膜 两件装", 2, 0.9)  # Xiaohongshu's own code, title, units, price
NEW_COLOUR = "Silk Sleep Eye Mask - Champagne"  # added in Shopify last night, not mapped yet


def _season(day: dt.date) -> float:
    """Shopping festivals: 11.11 and 12.12 peaks with pre-sale build-up, a quiet day after."""
    factor = 1.0
    for month, dom, peak in ((11, 11, 4.0), (12, 12, 2.5), (6, 18, 3.0)):
        gap = (day - dt.date(day.year, month, dom)).days
        if gap == 0:
            factor *= peak
        elif -10 <= gap < 0:
            factor *= 1 + (peak - 1) * (11 + gap) / 22
        elif 0 < gap <= 2:
            factor *= 0.7
    return factor


# The demo shop in Chinese: its own names (products, suppliers, carriers, return reasons,
# inquiry topics) as a Chinese seller's shop has them. Shopify's titles stay English, as its
# storefront writes them (its Listings rows map them to the shop's SKUs). Applied after the
# shop is made, so both languages' shops have the same orders, stock and figures.
IN_CHINESE = {
    "Rose Hydrating Face Mask (10 pcs)": "玫瑰补水面膜（10片装）",
    "Bamboo Travel Mug 350 ml": "竹纤维随行杯 350ml", "Linen Tote Bag, Natural": "亚麻托特包（本色）",
    "Green Tea Cleansing Foam 120 ml": "绿茶洁面泡沫 120ml",
    "Vitamin C Brightening Serum 30 ml": "维C亮肤精华 30ml",
    "Hyaluronic Acid Toner 200 ml": "玻尿酸爽肤水 200ml",
    "Sakura Hand Cream Set (3)": "樱花护手霜套装（3支）",
    "Sunscreen SPF50 PA++++ 50 ml": "清透防晒霜 SPF50 PA++++ 50ml",
    "Silk Sleep Eye Mask": "真丝睡眠眼罩", "Ceramic Pour-over Coffee Set": "陶瓷手冲咖啡套装",
    "Glass Food Containers (4 pcs)": "玻璃保鲜盒（4件套）",
    "Aroma Diffuser, Wood Grain": "香薰加湿器（木纹）",
    "Scented Candle, White Tea 200 g": "白茶香薰蜡烛 200g",
    "Stainless Steel Water Bottle 500 ml": "不锈钢保温杯 500ml",
    "Desk Organiser, Walnut": "桌面收纳架（胡桃木）", "Linen Table Runner 180 cm": "亚麻桌旗 180cm",
    "Cotton Muslin Bath Towel": "纯棉纱布浴巾", "Knitted Throw Blanket": "针织盖毯",
    "Embroidered Cushion Cover": "刺绣抱枕套", "Linen Apron, Olive": "亚麻围裙（橄榄绿）",
    "Pearl Hair Clip Set": "珍珠发夹套装", "Phone Lanyard, Braided": "编织手机挂绳",
    "Minimalist Silver Ring": "极简银戒指", "Tortoiseshell Claw Clip": "玳瑁抓夹",
    "Canvas Card Holder": "帆布卡包", "AirPods Case, Cream": "AirPods 保护套（奶油色）",
    "Acetate Sunglasses": "板材太阳镜", "Scrunchie Pack (5)": "发圈套装（5个）",
    "Holiday Gift Box (limited)": "节日礼盒（限量）",
    "Bamboo Tumbler 450 ml (old model)": "竹纤维随手杯 450ml（旧款）",
    "Guangzhou Meiyan Cosmetics": "广州美妍化妆品", "Yiwu Greenhome Goods": "义乌绿家日用品",
    "Hangzhou Linen Works": "杭州亚麻制品厂", "Shenzhen Xinyu Accessories": "深圳鑫宇饰品",
    "Ms Chen": "陈女士", "Mr Wang": "王先生", "Ms Li": "李女士", "Mr Zhao": "赵先生",
    "SF Express": "顺丰速运", "YTO": "圆通速递", "ZTO": "中通快递", "JD Logistics": "京东物流",
    "changed mind": "不想要了", "size/colour not as expected": "尺码/颜色与描述不符",
    "damaged in transit": "运输途中损坏", "does not work": "无法使用",
    "Where is my parcel?": "我的快递到哪了？", "Change address": "修改地址",
    "Product question": "商品咨询", "Return request": "申请退货", "Invoice (发票)": "开发票",
    "Discount code not working": "优惠码不能用",
}
# the columns holding those names, per sheet
NAMED = {"Products": ("product", "supplier"), "Suppliers": ("supplier", "contact"),
         "Orders": ("product", "carrier"), "PurchaseOrders": ("supplier",),
         "Returns": ("reason",), "Inquiries": ("topic",)}


def in_chinese(data: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The demo shop with its own names in Chinese (Shopify's English titles kept)."""
    named = dict(data)
    for sheet, columns in NAMED.items():
        frame = named[sheet].copy()
        ours = frame["channel"] != Channel.SHOPIFY if sheet == "Orders" else slice(None)
        for column in columns:
            frame.loc[ours, column] = frame.loc[ours, column].map(
                lambda v: IN_CHINESE.get(v, v) if isinstance(v, str) else v)
        named[sheet] = frame
    return named


def demo_data(today: dt.date, seed: int = 11) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    products = _products(rng, today)
    orders = _orders(rng, products, today)
    returns = _returns(rng, orders, today)
    pos, receipts = _purchase_orders(rng, products, orders, today)
    orders = _as_channels_sell(orders, today)
    listings, kits = _listings(products), _kits()
    ledger = _ledger(products, orders, returns, receipts, today, listings, kits)
    stock = ledger.groupby("sku")["change"].sum()
    stock = pd.concat([stock, kit_stock(stock, KITS)])
    products["current_stock"] = stock.reindex(products["sku"]).fillna(0).astype(int).to_numpy()
    return {"Products": products.drop(columns="demand"), "Suppliers": suppliers_frame(SUPPLIERS),
            "Listings": listings, "Kits": kits, "Orders": orders,
            "StockLedger": ledger, "PurchaseOrders": pos, "Returns": returns,
            "Inquiries": _inquiries(rng, orders, today)}


def shopify_title(name: str) -> str:
    """How the product is titled in the Shopify admin: `Rose Hydrating Face Mask - 10 pcs`
    for `Rose Hydrating Face Mask (10 pcs)`, `Linen Tote Bag - Natural` for `…, Natural`."""
    if name.endswith(")") and " (" in name:
        title, variant = name[:-1].split(" (", 1)
        return f"{title} - {variant}"
    if ", " in name:
        title, variant = name.rsplit(", ", 1)
        return f"{title} - {variant}"
    return name


def _as_channels_sell(orders: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Lines as each back end records them: Shopify's without SKU under their Shopify title;
    every other Xiaohongshu line of the face mask sold as the 2-pack listing; and last night's
    first Shopify line a colour no Listings row knows yet."""
    orders = orders.copy()
    shopify = orders["channel"] == Channel.SHOPIFY
    orders.loc[shopify, "product"] = orders.loc[shopify, "product"].map(shopify_title)
    orders.loc[shopify, "sku"] = None
    code, title, units, share = TWO_PACK
    pack = (orders["channel"] == Channel.XIAOHONGSHU) & (orders["sku"] == "A001") & \
        (orders["line"] % 2 == 1) & (orders.index % 2 == 0)
    price = (orders.loc[pack, "unit_price"] * units * share).round(2)
    orders.loc[pack, ["sku", "product"]] = [code, title]
    orders.loc[pack, "unit_price"] = price
    orders.loc[pack, "discount"] = (price * orders.loc[pack, "qty"] *
                                    (orders.loc[pack, "discount"] > 0) * 0.15).round(2)
    orders.loc[pack, "line_total"] = (price * orders.loc[pack, "qty"]
                                      - orders.loc[pack, "discount"]).round(2)
    new = shopify & (orders["created"] >= pd.Timestamp(today - dt.timedelta(days=1)))
    if new.any():
        orders.loc[new.idxmax(), "product"] = NEW_COLOUR
    return orders


def _listings(products: pd.DataFrame) -> pd.DataFrame:
    """A Shopify title per product (the shop's SKUs are not in Shopify) and the 2-pack."""
    titles = [shopify_title(n).split(" - ", 1) for n in products["product"]]
    code, title, units, _unused = TWO_PACK
    return pd.DataFrame({
        "channel": ["shopify"] * len(products) + ["xiaohongshu"],
        "listing_id": [None] * len(products) + ["65a1f0c2e4b0d1"],
        "channel_sku": [None] * len(products) + [code],
        "title": [t[0] for t in titles] + [title],
        "variant": [t[1] if len(t) > 1 else None for t in titles] + [None],
        "sku": list(products["sku"]) + ["A001"], "units": [1] * len(products) + [units],
        "status": ListingStatus.CONFIRMED, "note": [None] * len(products) + ["两件装: 2 units of A001"]})


def _kits() -> pd.DataFrame:
    return pd.DataFrame([(kit, part, qty) for kit, parts in KITS.items() for part, qty in parts],
                        columns=["kit_sku", "component_sku", "qty"])


def _products(rng, today: dt.date) -> pd.DataFrame:
    rows = list(EXAMPLE_PRODUCTS)
    for name, sku, price, sup, loc in CATALOGUE:
        supplier = SUPPLIERS[sup]
        cost = round(price * rng.uniform(0.3, 0.45), 1)
        alert = int(rng.integers(8, 30))
        rows.append((name, sku, 0, alert, int(math.ceil(alert * 3 / supplier[7]) * supplier[7]),
                     cost, float(price), supplier[0], supplier[4], loc))
    products = products_frame(rows, today)
    products["demand"] = np.round(rng.pareto(1.6, len(products)) * 1.2 + 0.15, 2)
    products.loc[products["sku"] == "D009", "status"] = "new"
    products.loc[products["sku"] == "B010", "status"] = "discontinued"
    return products


def _orders(rng, products: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    weights = (products["demand"] / products["demand"].sum()).to_numpy()
    customers = [(rng.choice(SURNAMES) + "".join(rng.choice(GIVEN, rng.integers(1, 3))),
                  f"1{rng.integers(30, 90)}{rng.integers(10_000_000, 99_999_999)}",
                  PLACES[rng.integers(len(PLACES))]) for _unused in range(700)]
    pop = rng.pareto(1.2, len(customers)) + 1
    pop /= pop.sum()
    rows, serial = [], 0
    for back in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        count = rng.poisson(16 * WEEKDAY[day.weekday()] * _season(day) * (1 + (DAYS - back) / 300))
        for _unused in range(count):
            serial += 1
            rows += _order_lines(rng, products, weights, customers[rng.choice(len(customers), p=pop)],
                                 day, back, serial)
    orders = pd.DataFrame(rows)
    return orders.sort_values(["created", "order_id", "line"]).reset_index(drop=True)


def _order_lines(rng, products, weights, customer, day, back, serial) -> list[dict]:
    name, phone, (province, city) = customer
    channel = CHANNELS[rng.integers(len(CHANNELS))]
    order_id = {"xiaohongshu": f"P{day:%y%m%d}{serial:012d}", "taobao": f"3{serial:018d}",
                "shopify": f"#{1000 + serial}", "wechat": f"WX{day:%Y%m%d}{serial:05d}"}[channel]
    hour = int(rng.choice(24, p=_HOURS))
    created = pd.Timestamp(day) + pd.Timedelta(hours=hour, minutes=int(rng.integers(60)))
    roll = rng.random()
    if back <= 1:
        status = Status.PENDING if roll < 0.08 else Status.PAID
    elif roll < 0.03:
        status = Status.CANCELLED
    elif roll < 0.06 and back > 6:
        status = Status.REFUNDED
    else:
        status = Status.SHIPPED if back <= 4 else Status.DELIVERED
    paid = created + pd.Timedelta(minutes=int(rng.integers(1, 30))) \
        if status not in (Status.PENDING, Status.CANCELLED) else pd.NaT
    shipped = (created.normalize() + pd.Timedelta(days=1, hours=int(rng.integers(10, 18)))) \
        if status in (Status.SHIPPED, Status.DELIVERED, Status.REFUNDED) else pd.NaT
    delivered = shipped + pd.Timedelta(days=int(rng.integers(2, 5))) \
        if status in (Status.DELIVERED, Status.REFUNDED) else pd.NaT
    express = rng.random() < 0.08
    skus = rng.choice(len(products), size=min(int(rng.choice([1, 1, 1, 2, 2, 3])), 3),
                      replace=False, p=weights)
    festival = _season(day) > 1.5
    lines = []
    for line, idx in enumerate(skus, start=1):
        product = products.iloc[idx]
        qty = int(rng.choice([1, 1, 1, 1, 2, 3]))
        discount = round(product["price"] * qty * (0.15 if festival else 0), 2)
        lines.append({
            "order_id": order_id, "line": line, "channel": channel, "created": created,
            "paid": paid, "shipped": shipped, "delivered": delivered, "status": status,
            "customer": name, "phone": phone, "province": province, "city": city,
            "address": f"{province}{city}{STREETS[rng.integers(len(STREETS))]}"
                       f"{rng.integers(1, 999)}号{rng.integers(1, 30)}-{rng.integers(101, 2505)}",
            "shipping_method": "express" if express else "standard",
            "carrier": CARRIERS[rng.integers(len(CARRIERS))] if pd.notna(shipped) else None,
            "tracking_no": f"{rng.integers(10**11, 10**12)}" if pd.notna(shipped) else None,
            "sku": product["sku"], "product": product["product"], "qty": qty,
            "unit_price": product["price"], "discount": discount,
            "line_total": round(product["price"] * qty - discount, 2),
            "buyer_note": NOTES[rng.integers(len(NOTES))] if rng.random() < 0.06 else None,
        })
    total = sum(x["line_total"] for x in lines)
    lines[0]["shipping_fee"] = 0.0 if total >= 199 else 8.0
    return lines


_HOURS = np.array([2, 1, .5, .3, .2, .3, .6, 1.2, 2, 2.5, 3, 3.5, 4, 3.5, 3, 3, 3.2, 3.5, 4, 5,
                   6.5, 7.5, 7, 4.5])
_HOURS = _HOURS / _HOURS.sum()


def _returns(rng, orders: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    refunded = orders[orders["status"] == Status.REFUNDED]
    reasons = [("changed mind", "resellable"), ("size/colour not as expected", "resellable"),
               ("damaged in transit", "damaged"), ("does not work", "defective")]
    rows = []
    for n, line in enumerate(refunded.itertuples(), start=1):
        reason, condition = reasons[rng.integers(len(reasons))]
        requested = line.delivered.normalize() + pd.Timedelta(days=int(rng.integers(1, 5)))
        received = requested + pd.Timedelta(days=int(rng.integers(2, 5)))
        recent = received.date() >= today - dt.timedelta(days=2)
        if received.date() > today:  # on its way back: nothing is dated after today
            received = pd.NaT
        rows.append({"rma_no": f"RMA{n:05d}", "order_id": line.order_id, "sku": line.sku,
                     "qty": line.qty, "reason": reason, "condition": condition,
                     "refund_amount": line.line_total, "requested": requested,
                     "received": received, "note": None,
                     "status": "requested" if pd.isna(received) else "received" if recent else
                     (ReturnStatus.RESTOCKED if condition == RESELLABLE
                      else ReturnStatus.REFUNDED)})
    return pd.DataFrame(rows)


LATE = (0, 1, -1, 2, 0, 3, 1)  # days a delivery came after (before) its expected day


def _purchase_orders(rng, products, orders, today) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One received replenishment per SKU half way through, and a few still on their way (a
    kit is bought as its parts)."""
    start = pd.Timestamp(today - dt.timedelta(days=DAYS))
    rows, receipts = [], []
    products = products[~products["sku"].isin(list(KITS))]
    for n, p in enumerate(products.itertuples(), start=1):
        ordered = start + pd.Timedelta(days=int(rng.integers(35, 50)))
        late = LATE[n % len(LATE)]  # suppliers are seldom exactly on time
        received = ordered + pd.Timedelta(days=int(p.lead_time) + late)
        qty = max(int(p.reorder_qty), int(math.ceil(p.demand * 40 / 10) * 10))
        rows.append({"po_no": f"PO-{ordered:%y%m}-{n:03d}", "supplier": p.supplier, "sku": p.sku,
                     "qty": qty, "unit_cost": p.cost, "ordered": ordered,
                     "expected": ordered + pd.Timedelta(days=int(p.lead_time)),
                     "received": received, "received_qty": qty, "status": POStatus.RECEIVED})
        receipts.append((received + pd.Timedelta(hours=14), p.sku, qty, rows[-1]["po_no"]))
    for p in products[products["status"] == ProductStatus.ACTIVE].nlargest(4, "demand").itertuples():
        ordered = pd.Timestamp(today - dt.timedelta(days=3))
        rows.append({"po_no": f"PO-{ordered:%y%m}-{len(rows) + 1:03d}", "supplier": p.supplier,
                     "sku": p.sku, "qty": int(p.reorder_qty), "unit_cost": p.cost,
                     "ordered": ordered, "expected": ordered + pd.Timedelta(days=int(p.lead_time)),
                     "received": pd.NaT, "received_qty": 0, "status": POStatus.ORDERED})
    receipt_frame = pd.DataFrame(receipts, columns=["time", "sku", "qty", "po_no"])
    return pd.DataFrame(rows), receipt_frame


def _ledger(products, orders, returns, receipts, today, listings, kits) -> pd.DataFrame:
    taken = shelf(orders, products, listings, kits).lines
    posted = taken[taken["status"].isin([Status.SHIPPED, Status.DELIVERED, Status.REFUNDED])]
    moves = [pd.DataFrame({"time": posted["paid"], "sku": posted["sku"], "change": -posted["qty"],
                           "reason": Reason.SALE, "reference": posted["reference"]}),
             pd.DataFrame({"time": receipts["time"], "sku": receipts["sku"],
                           "change": receipts["qty"], "reason": Reason.RECEIPT,
                           "reference": receipts["po_no"]})]
    restocked = returns[returns["status"] == ReturnStatus.RESTOCKED] if len(returns) else returns
    if len(restocked):
        back = [(when + pd.Timedelta(hours=15), part, qty * n, f"{rma}/{part}" if sku in KITS
                 else rma) for when, sku, qty, rma in zip(restocked["received"], restocked["sku"],
                                                           restocked["qty"], restocked["rma_no"])
                for part, n in KITS.get(sku, [(sku, 1)])]
        moves.append(pd.DataFrame(back, columns=["time", "sku", "change", "reference"])
                     .assign(reason="return"))
    moves = pd.concat(moves).sort_values("time")
    # the opening stock covers the paid lines the morning will post too: never oversold
    waiting = taken[taken["status"] == Status.PAID]
    cover = pd.concat([moves, pd.DataFrame({"time": waiting["paid"], "sku": waiting["sku"],
                                            "change": -waiting["qty"]})]).sort_values("time")
    low = cover.groupby("sku")["change"].cumsum().groupby(cover["sku"]).min()
    opening_when = pd.Timestamp(today - dt.timedelta(days=DAYS + 1)) + pd.Timedelta(hours=9)
    demand = products.set_index("sku")["demand"]
    shelved = products.loc[~products["sku"].isin(list(KITS)), "sku"].to_numpy()
    opening = pd.DataFrame({
        "time": opening_when, "sku": shelved, "reason": Reason.OPENING,
        "change": [int(max(-low.get(s, 0), 0) + math.ceil(demand[s] * 6)) for s in shelved],
        "reference": "OPENING-" + shelved, "note": _("Opening stock count")})
    ledger = pd.concat([opening, moves], ignore_index=True)
    ledger = pd.concat([ledger, _shrinkage(ledger, shelved, today)], ignore_index=True)
    ledger["change"] = ledger["change"].astype(int)
    return ledger[["time", "sku", "change", "reason", "reference", "note"]]


def _shrinkage(ledger: pd.DataFrame, shelved, today: dt.date) -> pd.DataFrame:
    """Last month's losses, as a shop has them: a cycle count of three products that finds
    two short and one over, and two hand adjustments (damaged in transit, lost)."""
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
    counted = pd.Timestamp(first + dt.timedelta(days=12)) + pd.Timedelta(hours=18)
    rows = []
    for sku, off in zip(shelved[[2, 9, 17]], (-2, -1, 1)):
        level = int(ledger.loc[(ledger["sku"] == sku) & (ledger["time"] < counted),
                               "change"].sum())
        rows.append((counted, sku, max(level + off, 0), Reason.COUNT,
                     f"count-{counted:%Y-%m-%d}.xlsx", None))
    damaged = pd.Timestamp(first + dt.timedelta(days=5)) + pd.Timedelta(hours=11)
    rows.append((damaged, shelved[4], -2, Reason.ADJUSTMENT, f"ADJ-{damaged:%Y%m%d}-1",
                 _("damaged in transit")))
    rows.append((damaged + pd.Timedelta(days=15), shelved[11], -1, Reason.ADJUSTMENT,
                 f"ADJ-{damaged + pd.Timedelta(days=15):%Y%m%d}-1", _("lost")))
    return pd.DataFrame(rows, columns=["time", "sku", "change", "reason", "reference", "note"])


def _inquiries(rng, orders: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    topics = ["Where is my parcel?", "Change address", "Product question", "Return request",
              "Invoice (发票)", "Discount code not working"]
    recent = orders[orders["created"] >= pd.Timestamp(today - dt.timedelta(days=30))]
    firsts = recent.drop_duplicates("order_id")
    picks = firsts.sample(n=min(80, len(firsts)), random_state=int(rng.integers(2**31)))
    rows = []
    for line in picks.itertuples():
        received = line.created + pd.Timedelta(hours=float(rng.uniform(2, 72)))
        if received >= pd.Timestamp(today):
            continue
        open_ = received >= pd.Timestamp(today - dt.timedelta(days=1)) and rng.random() < 0.6
        responded = pd.NaT if open_ else received + pd.Timedelta(hours=float(rng.gamma(1.5, 1.5)))
        rows.append({"received": received.floor("min"), "responded": responded.floor("min")
                     if pd.notna(responded) else pd.NaT, "channel": line.channel,
                     "customer": line.customer, "order_id": line.order_id,
                     "topic": topics[rng.integers(len(topics))], "resolved": not open_})
    return pd.DataFrame(rows).sort_values("received").reset_index(drop=True)
