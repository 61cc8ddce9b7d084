"""Listings rows proposed for order lines no SKU names: the closest Products name, by
rapidfuzz's WRatio (0–100, case and punctuation ignored), marked `suggested` so that no stock
moves until the owner checks the row and confirms it.

A proposal carries what the line itself said — its channel, its code as Channel SKU, its
listing id, its title (a Shopify `Title - Variant` split at the last ` - `) — and the pack
size the title states (`2 x 10 pcs`, `3-pack`, `两件装`) as Units. A title no product name
comes near (below MIN_SCORE) gets no row: it is named, for the owner to add by hand.
"""

from __future__ import annotations

import re

import pandas as pd
from rapidfuzz import fuzz, process, utils

from shopsheet.core.language import _
from shopsheet.core.listings import normal_title
from shopsheet.core.words import Channel, ListingStatus

MIN_SCORE = 60
_CN_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_PACKS = (re.compile(r"(?<![\d.])(\d{1,2})\s*[x×]\s", re.IGNORECASE),
          re.compile(r"(?<![\d.])(\d{1,2})\s*-?\s*pack\b", re.IGNORECASE),
          re.compile(r"([2-9两二三四五六])\s*[件瓶盒支只罐包]装"))


def pack_size(text: str) -> int:
    """The number of units a title says one listing holds (1 when it says none)."""
    for pattern in _PACKS:
        found = pattern.search(text)
        if found:
            word = found.group(1)
            return _CN_COUNT.get(word) or int(word)
    return 1


def split_title(product: str, channel: object) -> tuple[str, str | None]:
    """(title, variant): Shopify's `Title - Variant` at its last ` - `; others as they are."""
    if channel == Channel.SHOPIFY and " - " in product:
        title, variant = product.rsplit(" - ", 1)
        return title.strip(), variant.strip()
    return product, None


def suggestions(unmapped: pd.DataFrame, products: pd.DataFrame,
                listings: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """(Listings rows to propose, titles nothing came near) for the groups of `unmapped`
    (`listings.unmapped`), leaving out what Listings already holds, suggested or not.

    A title is compared with every product's name and with the titles of the confirmed
    Listings rows (a new colour of a listing already mapped is that listing's product, even
    where the shop names its products in another language than the channel's titles)."""
    names = {(sku, "product"): name for sku, name in zip(products["sku"], products["product"])
             if isinstance(sku, str) and isinstance(name, str)}
    known = listings.reindex(columns=["title", "sku", "units", "status"])
    for i, (title, sku, units, status) in enumerate(known.itertuples(index=False)):
        if isinstance(title, str) and isinstance(sku, str) and status == ListingStatus.CONFIRMED \
                and units == 1 and (sku, "product") in names:
            names.setdefault((sku, f"listing {i}"), title)
    held = {(ch if isinstance(ch, str) else None, normal_title(
        " ".join(t for t in (ti, va) if isinstance(t, str))))
        for ch, ti, va in zip(listings["channel"], listings["title"], listings["variant"])}
    rows, nothing = [], []
    for group in unmapped.itertuples(index=False):
        product = group.product if isinstance(group.product, str) else None
        text = product or (group.sku if isinstance(group.sku, str) else None)
        if not text or (group.channel, normal_title(product)) in held or \
                (None, normal_title(product)) in held:
            continue
        best = process.extractOne(text, names, scorer=fuzz.WRatio,
                                  processor=utils.default_process) if names else None
        if best is None or best[1] < MIN_SCORE:
            nothing.append(text)
            continue
        name, score, (sku, found_as) = best
        title, variant = split_title(product or "", group.channel)
        units = pack_size(variant or title) if pack_size(name) == 1 else 1
        note = (_("closest product: {name!r} (score {score}/100); check SKU and Units, then set "
                  "Status to confirmed") if found_as == "product" else
                _("closest listing: {name!r} of {sku} (score {score}/100); check SKU and Units, "
                  "then set Status to confirmed"))
        rows.append({
            "channel": group.channel, "listing_id": group.listing_id, "channel_sku": group.sku,
            "title": title or None, "variant": variant, "sku": sku, "units": units,
            "status": ListingStatus.SUGGESTED,
            "note": note.format(name=name, sku=sku, score=f"{score:.0f}"),
        })
        held.add((group.channel, normal_title(product)))
    columns = ["channel", "listing_id", "channel_sku", "title", "variant", "sku", "units",
               "status", "note"]
    return pd.DataFrame(rows, columns=columns), nothing
