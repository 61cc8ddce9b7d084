"""Listings suggestions: pack sizes and Shopify variants read from titles."""

from __future__ import annotations

import pandas as pd

from shopsheet.core.suggest import pack_size, split_title, suggestions


def test_pack_sizes_from_titles():
    assert pack_size("Rose Tea 2-pack") == 2
    assert pack_size("Rose Tea 3 x 50g") == 3
    assert pack_size("玫瑰花茶 两件装") == 2
    assert pack_size("护手霜 3支装") == 3
    assert pack_size("Rose Tea 50g") == 1
    assert pack_size("Tea 2.5 x stronger") == 1  # not a pack


def test_shopify_titles_split_at_the_last_dash():
    assert split_title("Rose Tea - Large - Red", "shopify") == ("Rose Tea - Large", "Red")
    assert split_title("Rose Tea - Large", "taobao") == ("Rose Tea - Large", None)


def test_a_new_variant_of_a_mapped_listing_is_that_listing_s_product():
    """The shop names its products in Chinese, Shopify titles them in English: a new colour
    of a mapped Shopify listing is suggested by that listing's title, not left unplaced."""
    products = pd.DataFrame({"sku": ["A009", "A001"], "product": ["真丝睡眠眼罩", "玫瑰补水面膜"]})
    listings = pd.DataFrame({"channel": ["shopify", "xiaohongshu"],
                             "title": ["Silk Sleep Eye Mask", "Silk Sleep Eye Mask"],
                             "variant": [None, None], "sku": ["A009", "A001"], "units": [1, 2],
                             "status": ["confirmed", "confirmed"]})
    unmapped = pd.DataFrame({"channel": ["shopify"], "sku": [None], "listing_id": [None],
                             "product": ["Silk Sleep Eye Mask - Champagne"], "lines": [1],
                             "qty": [1]})
    rows, nothing = suggestions(unmapped, products, listings)
    assert nothing == []
    assert rows[["title", "variant", "sku", "units"]].values.tolist() == [
        ["Silk Sleep Eye Mask", "Champagne", "A009", 1]]  # not the 2-pack's A001
    assert rows["note"].iloc[0].startswith("closest listing: 'Silk Sleep Eye Mask' of A009")


def test_a_suggestion_names_the_nearest_product_and_skips_what_listings_hold():
    products = pd.DataFrame({"sku": ["A001", "B001"], "product": ["Rose Tea", "Tea Cup"]})
    listings = pd.DataFrame({"channel": ["shopify"], "title": ["Tea Cup"], "variant": [None]})
    unmapped = pd.DataFrame({"channel": ["shopify", "shopify", "shopify"],
                             "sku": [None, None, None], "listing_id": [None, None, None],
                             "product": ["Rose Tea - 2-pack", "Tea Cup", "Garden Hose"],
                             "lines": [3, 1, 1], "qty": [4, 1, 1]})
    rows, nothing = suggestions(unmapped, products, listings)
    assert rows[["title", "variant", "sku", "units", "status"]].values.tolist() == [
        ["Rose Tea", "2-pack", "A001", 2, "suggested"]]
    assert nothing == ["Garden Hose"]
