"""Which of the shop's own products an order line sold, and what leaves the shelf for it.

A line resolves, in this order (as multi-channel ERPs' 商品对应 do):
1. its SKU, when it is a SKU in Products;
2. a Listings row of its channel (or of no channel) whose Channel SKU is the line's SKU;
3. one whose Listing ID is the line's listing id (千帆 规格ID/商品ID, 千牛 skuId);
4. one whose Title + Variant, normalised, is the line's product text, normalised
   (`Holiday Gift Box - Red` = `holiday gift box (red)`: case, width, spaces and punctuation
   ignored) — how a Shopify line without a SKU is known;
else it is unmapped: it counts in orders and sales like any line, but moves no stock.
Rows marked `suggested` are not used until the owner confirms them.

A listing's Units turn one sold into that many of the SKU (a 2-pack is 2); Units 0 says the
listing takes nothing from the shelf (a gift card, a service): its lines are mapped, and move
no stock. A SKU listed in Kits
is made of its components: selling one takes each component's quantity, each under its own
reference `ORDER#LINE/COMPONENT`, so nothing is counted twice. Every other line's reference is
`ORDER#LINE`, as it always was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shopsheet.core.language import _
from shopsheet.core.ledger import line_reference
from shopsheet.core.membership import among
from shopsheet.core.words import CHANNELS, ListingStatus, say

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# what the rules reading stock lines look at (sales, picking, verifying, slips, availability)
CARRIED = ["order_id", "line", "channel", "created", "paid", "shipped", "status", "sku", "qty",
           "verified", "shipping_method", "customer", "address", "buyer_note", "product"]


def normal_title(text: object) -> str:
    """A title as compared: full-width folded (NFKC), case ignored, only letters and digits."""
    if not isinstance(text, str):
        return ""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _code(text: object) -> str:
    return str(text).strip().casefold() if isinstance(text, str) and text.strip() else ""


def usable(listings: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Listings rows that can resolve a line: confirmed (not `suggested`), naming a SKU that is
    in Products, or taking no stock (Units 0)."""
    no_stock = listings["units"].eq(0).fillna(False).to_numpy()
    confirmed = listings["status"].fillna(ListingStatus.CONFIRMED).ne(ListingStatus.SUGGESTED)
    ok = confirmed.to_numpy() & (
        among(listings["sku"], products["sku"]).to_numpy() | no_stock)
    return listings[ok]


def resolve(orders: pd.DataFrame, products: pd.DataFrame, listings: pd.DataFrame,
            keys: dict | None = None) -> pd.DataFrame:
    """Per order line (same index): `target` (the Products SKU it takes, or NA), `units` per
    one sold, `how` it was found (sku, channel sku, listing id, title; NA: unmapped) and the
    `listing` (Listings row) that mapped it. A listing of Units 0 maps a line to no SKU: `how`
    says so, `target` stays NA. `keys` are `listing_keys(listings, products)` when the caller
    has them already."""
    direct = among(orders["sku"], products["sku"]).to_numpy()
    target = np.where(direct, orders["sku"].to_numpy(dtype=object), None)
    units = direct.astype("int64")
    how = np.where(direct, "sku", None).astype(object)
    row = np.full(len(orders), None, dtype=object)
    rest = np.flatnonzero(~direct)
    if keys is None:
        keys = listing_keys(listings, products) if len(rest) else {}
    if len(rest) and keys:
        said = orders[[c for c in SAID if c in orders]].iloc[rest]
        # a year repeats the same few thousand (channel, code, listing, title): each once
        joined = _joined(said)
        codes, _unused = pd.factorize(joined)
        _unused, first = np.unique(codes, return_index=True)
        seen = said.iloc[first].reindex(columns=SAID)
        found = [_look_up(keys, *(v if isinstance(v, str) else None for v in combo))
                 for combo in zip(*(seen[c].to_numpy(dtype=object) for c in SAID))]
        hit = np.array([f is not None for f in found], dtype=bool)[codes]
        at, picks = rest[hit], [found[c] for c in codes[hit]]
        target[at] = [sku if n else None for sku, n, _unused, _unused in picks]
        units[at] = [n for _unused, n, _unused, _unused in picks]
        how[at] = [kind if n else f"{kind}, no stock" for _unused, n, _unused, kind in picks]
        row[at] = [label for _unused, _unused, label, _unused in picks]
    return pd.DataFrame({"target": pd.Series(target, index=orders.index, dtype="object"),
                         "units": units, "how": how, "listing": row}, index=orders.index)


_BLANK = "\x00"  # stands for a blank cell while lines are grouped
SAID = ["channel", "sku", "listing_id", "product"]  # what a line says of what it sold


def _joined(said: pd.DataFrame) -> pd.Series:
    """One text per line of what it said, joined by Arrow (a year's lines in milliseconds)."""
    text = pd.StringDtype("pyarrow")
    parts = [said[c].astype(text).fillna(_BLANK) for c in said]
    out = parts[0]
    for part in parts[1:]:
        out = out + "\x1f" + part
    return out


def _look_up(keys: dict, channel, sku, listing, product) -> tuple | None:
    """(SKU, units, Listings row, how) for what one line said, or None: by channel SKU, then
    listing id, then title, each of the line's channel first, then of no channel."""
    for kind, value in (("channel sku", _code(sku)), ("listing id", _code(listing)),
                        ("title", normal_title(product))):
        found = value and (keys.get((kind, channel, value)) or keys.get((kind, None, value)))
        if found:
            return (*found, kind)
    return None


def listing_keys(listings: pd.DataFrame, products: pd.DataFrame) -> dict[
        tuple, tuple[str, int, object]]:
    """What the usable Listings rows map: (kind, channel or None, normalised value) → (SKU,
    units, Listings row); the first row wins."""
    return _made_keys(usable(listings, products))


def _made_keys(table: pd.DataFrame) -> dict[tuple, tuple[str, int, object]]:
    if table.empty:
        return {}
    # a row without a channel serves every channel: its key holds None (never NaN, which
    # pandas puts back for None in a column of text)
    channel = np.array([c if isinstance(c, str) and c else None for c in table["channel"]],
                       dtype=object)
    words = (table["title"].fillna("").astype(str) + " " +
             table["variant"].fillna("").astype(str)).str.strip()
    found = pd.concat([
        pd.DataFrame({"kind": kind, "channel": channel, "value": value,
                      "sku": table["sku"].to_numpy(dtype=object, na_value=None),
                      "units": table["units"].astype("Int64").fillna(1).to_numpy("int64"),
                      "row": table.index}, index=table.index)
        for kind, value in (("channel sku", _codes(table["channel_sku"])),
                            ("listing id", _codes(table["listing_id"])),
                            ("title", [normal_title(w) for w in words]))])
    found = found[found["value"].ne("")].drop_duplicates(["kind", "channel", "value"])
    plain = {c: found[c].to_numpy(dtype=object) for c in found}  # not one Arrow scalar a cell
    channels = [c if isinstance(c, str) else None for c in plain["channel"]]
    return dict(zip(zip(plain["kind"], channels, plain["value"]),
                    zip(plain["sku"], found["units"].tolist(), plain["row"])))


def _codes(values: pd.Series) -> list[str]:
    """`_code` of every value of a column: stripped, case ignored, blank as ''."""
    return values.fillna("").astype(str).str.strip().str.casefold().tolist()


def components(kits: pd.DataFrame) -> dict[str, list[tuple[str, int]]]:
    """Kit SKU → [(component SKU, quantity per kit)], in sheet order."""
    found: dict[str, list[tuple[str, int]]] = {}
    for kit, part, qty in zip(kits["kit_sku"], kits["component_sku"], kits["qty"]):
        if isinstance(kit, str) and isinstance(part, str) and not pd.isna(qty):
            found.setdefault(kit, []).append((part, int(qty)))
    return found


def stock_lines(orders: pd.DataFrame, resolved: pd.DataFrame,
                kits: pd.DataFrame) -> pd.DataFrame:
    """What each resolved line takes from the shelf: one row per SKU moved (a kit's
    components each), index the order line's row, with `sku` the SKU moved, `qty` its units
    `reference` the ledger reference of the move and `kit` the kit it is a part of, if any; the
    line's other columns as they are."""
    mapped = resolved["target"].notna().to_numpy()
    lines = orders.loc[mapped, [c for c in CARRIED if c in orders]]  # not all 29 of a year
    got = resolved[mapped]
    units = got["units"].astype("int64").to_numpy()
    qty = lines["qty"].astype("Int64").fillna(0).astype("int64").to_numpy() * units
    base = lines.assign(sku=got["target"].to_numpy(), qty=qty, kit=None,
                        reference=line_reference(lines).to_numpy())
    parts = components(kits)
    is_kit = among(base["sku"], list(parts)).to_numpy() if parts else np.zeros(len(base), bool)
    if not is_kit.any():
        return base
    kit_lines = base[is_kit]
    rows = [(i, part, q * n, f"{ref}/{part}") for i, kit, q, ref in zip(
        range(len(kit_lines)), kit_lines["sku"], kit_lines["qty"], kit_lines["reference"])
        for part, n in parts[kit]]
    at = [r[0] for r in rows]
    taken = kit_lines.iloc[at].assign(sku=[r[1] for r in rows], qty=[r[2] for r in rows],
                                      reference=[r[3] for r in rows],
                                      kit=kit_lines["sku"].iloc[at].to_numpy())
    return pd.concat([base[~is_kit], taken])


def kit_lines(orders: pd.DataFrame, resolved: pd.DataFrame, kits: pd.DataFrame) -> pd.DataFrame:
    """The lines that sold a kit, as the kit itself (`sku` the kit, `qty` kits sold): the
    kit's own sales figures, beside its components' stock lines."""
    parts = components(kits)
    sold_kit = among(resolved["target"], list(parts)).to_numpy() if parts else \
        np.zeros(len(orders), bool)
    got = resolved[sold_kit]
    lines = orders.loc[sold_kit, [c for c in CARRIED if c in orders]]
    return lines.assign(sku=got["target"].to_numpy(),
                        qty=lines["qty"].astype("Int64").fillna(0).astype("int64").to_numpy()
                        * got["units"].astype("int64").to_numpy())


def kit_stock(stock: pd.Series, parts: dict[str, list[tuple[str, int]]]) -> pd.Series:
    """Per kit SKU, how many its components' stock can make (never below 0)."""
    made = {kit: max(0, min(int(stock.get(part, 0)) // n for part, n in mine))
            for kit, mine in parts.items()}
    return pd.Series(made, dtype="int64")


def unmapped(orders: pd.DataFrame, resolved: pd.DataFrame) -> pd.DataFrame:
    """The lines no SKU was found for, with what to add: one row per (channel, code, listing
    id, product text), the lines' count and units."""
    lines = orders[resolved["how"].isna().to_numpy()]
    if lines.empty:
        return pd.DataFrame(columns=["channel", "sku", "listing_id", "product", "lines", "qty"])
    keys = [c for c in ("channel", "sku", "listing_id", "product") if c in lines]
    grouped = lines[keys + ["qty"]].astype({"qty": "Int64"}).fillna({"qty": 0}).groupby(
        keys, dropna=False, sort=True)
    return grouped["qty"].agg(lines="size", qty="sum").reset_index()


def what_to_add(row) -> str:
    """Plain words for an unmapped line: `shopify 'Holiday Gift Box - Red'` (SKU 'X9')."""
    parts = [say(row.channel, CHANNELS) if isinstance(row.channel, str) else "?"]
    if isinstance(row.product, str):
        parts.append(repr(row.product))
    if isinstance(row.sku, str):
        parts.append(_("SKU {sku!r}").format(sku=row.sku))
    if isinstance(getattr(row, "listing_id", None), str):
        parts.append(_("listing {id}").format(id=row.listing_id))
    return " ".join(parts)


@dataclass
class Shelf:
    """The order lines as stock sees them: how each resolved, what each takes from the
    shelf, and the kits' parts."""

    resolved: pd.DataFrame
    lines: pd.DataFrame
    parts: dict[str, list[tuple[str, int]]]

    kit_sales: pd.DataFrame  # lines that sold a kit, as the kit (its own sales figures)

    @property
    def unmapped(self) -> pd.Series:
        """Whether each order line (by row) is mapped by nothing."""
        return self.resolved["how"].isna()

    @property
    def demand(self) -> pd.DataFrame:
        """Units sold per SKU moved (components included) and per kit: what demand reads."""
        return pd.concat([self.lines, self.kit_sales]) if len(self.kit_sales) else self.lines


def shelf(orders: pd.DataFrame, products: pd.DataFrame, listings: pd.DataFrame,
          kits: pd.DataFrame, rows: pd.Series | None = None, keys: dict | None = None) -> Shelf:
    """The Shelf of `orders`, or of the lines `rows` (a mask) picks: a routine that looks at
    the open orders, or at a window of days, resolves only those of a year. `keys` as for
    `resolve`."""
    if rows is not None:
        orders = orders[rows.to_numpy()]
    resolved = resolve(orders, products, listings, keys)
    return Shelf(resolved, stock_lines(orders, resolved, kits), components(kits),
                 kit_lines(orders, resolved, kits))
