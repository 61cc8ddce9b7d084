"""How an order line finds its product (SKU, channel SKU, listing id, title) and what it takes
from the shelf (packs, kits)."""

from __future__ import annotations

import pandas as pd

from shopsheet.core.listings import (kit_stock, listing_keys, normal_title, resolve, shelf,
                                     unmapped, what_to_add)

T = pd.Timestamp
PRODUCTS = pd.DataFrame({"sku": ["A001", "B001", "K1"], "product": ["Rose Tea", "Cup", "Set"]})
LISTINGS = pd.DataFrame({
    "channel": ["xiaohongshu", "shopify", None, "shopify", "shopify"],
    "listing_id": [None, None, "L9", None, None],
    "channel_sku": ["RT-2", None, None, None, None],
    "title": [None, "Rose Tea", None, "Gift Card", "Cup"],
    "variant": [None, "Large", None, None, None],
    "sku": ["A001", "A001", "B001", None, "B001"], "units": [2, 1, 1, 0, 1],
    "status": ["confirmed", None, "confirmed", "confirmed", "suggested"]}, index=[2, 3, 4, 5, 6])
KITS = pd.DataFrame({"kit_sku": ["K1", "K1"], "component_sku": ["A001", "B001"], "qty": [1, 2]})


def plain(values) -> list:
    return [None if pd.isna(v) else v for v in values]


def orders() -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7"], "line": [1] * 7,
        "channel": ["taobao", "xiaohongshu", "shopify", "taobao", "shopify", "shopify", "wechat"],
        "sku": ["A001", "rt-2 ", None, None, None, None, "K1"],
        "listing_id": [None, None, None, "L9", None, None, None],
        "product": ["Rose Tea", "玫瑰", "ROSE TEA  large", None, "Gift Card", "Cup", "Set"],
        "qty": [1, 3, 1, 2, 1, 1, 2], "status": ["paid"] * 7, "shipped": [pd.NaT] * 7,
        "created": [T("2026-11-20")] * 7}, index=range(2, 9))


def test_each_line_finds_its_product_the_way_it_can():
    r = resolve(orders(), PRODUCTS, LISTINGS)
    assert plain(r["how"]) == ["sku", "channel sku", "title", "listing id", "title, no stock",
                               None, "sku"]
    assert plain(r["target"]) == ["A001", "A001", "A001", "B001", None, None, "K1"]
    assert r["units"].tolist() == [1, 2, 1, 1, 0, 0, 1]
    assert plain(r["listing"]) == [None, 2, 3, 4, 5, None, None]
    # keys worked out once give the same answer
    keys = listing_keys(LISTINGS, PRODUCTS)
    pd.testing.assert_frame_equal(resolve(orders(), PRODUCTS, LISTINGS, keys), r)


def test_titles_compare_without_case_width_or_punctuation():
    assert normal_title("rose tea large") == "rosetealarge"
    assert normal_title("ＲＯＳＥ Tea - Large!") == "rosetealarge"
    assert normal_title(None) == ""


def test_the_shelf_counts_packs_and_kits_in_their_parts():
    s = shelf(orders(), PRODUCTS, LISTINGS, KITS)
    taken = s.lines.groupby("sku")["qty"].sum().to_dict()
    # A001: 1 + 3 × 2 (a 2-pack) + 1 + 2 kits × 1; B001: 2 (listing id) + 2 kits × 2
    assert taken == {"A001": 10, "B001": 6}
    assert s.kit_sales[["sku", "qty"]].values.tolist() == [["K1", 2]]
    assert kit_stock(pd.Series({"A001": 5, "B001": 3}), s.parts).to_dict() == {"K1": 1}
    lost = unmapped(orders(), s.resolved)
    assert [what_to_add(r) for r in lost.itertuples()] == ["shopify 'Cup'"]
