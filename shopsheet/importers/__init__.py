"""Order exports in, order lines out: detect each file's format from its headers (or take
`--format`), read it with its profile, and say plainly what could not be understood.

Formats: Xiaohongshu 千帆 (.xlsx); Taobao/Tmall 订单报表 + 宝贝报表 (two CSVs, given together);
the 千牛 workbook (.xlsx, 订单报表 / 销售明细 / 发货报表); Shopify (CSV); any CSV/XLSX with the
Orders sheet's own headers (English or Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from shopsheet.core.problems import Problem
from shopsheet.importers import taobao
from shopsheet.importers.base import LINE_FIELDS
from shopsheet.importers.generic import Generic
from shopsheet.importers.shopify import Shopify
from shopsheet.importers.tabular import FileProblem, read_tables
from shopsheet.importers.xiaohongshu import Xiaohongshu

FORMATS = ("xiaohongshu", "taobao", "qianniu", "shopify", "generic")


@dataclass
class Batch:
    """What a set of files held: order lines, the format of each file, problems, remarks."""

    lines: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def kind_of(tables: dict[str, pd.DataFrame]) -> str | None:
    """The format a file's tables are in, from their headers."""
    def any_match(test) -> bool:
        return any(test(t) for t in tables.values())
    if any_match(Xiaohongshu.matches):
        return "xiaohongshu"
    if any_match(Shopify.matches):
        return "shopify"
    if any_match(taobao.QianniuLines.matches) and any_match(taobao.TaobaoOrders.matches):
        return "qianniu"
    if any_match(taobao.TaobaoItems.matches):
        return "taobao-items"
    if any_match(taobao.TaobaoOrders.matches):
        return "taobao-orders"
    if any_match(taobao.order_level_only):
        return "order-level"
    if any_match(Generic.matches):
        return "generic"
    return None


def read_orders(paths: list[Path], fmt: str | None, zone: ZoneInfo | None) -> Batch:
    batch = Batch(pd.DataFrame(columns=LINE_FIELDS + ["source"]))
    files: dict[Path, tuple[str | None, dict[str, pd.DataFrame]]] = {}
    for path in map(Path, paths):
        try:
            tables = read_tables(path)
        except (FileProblem, OSError) as err:
            batch.problems.append(Problem(path.name, message=str(err)))
            continue
        detected = kind_of(tables)
        if fmt == "taobao" and detected not in ("taobao-items", "taobao-orders"):
            detected = "taobao-orders" if any(taobao.TaobaoOrders.matches(t) for t in
                                              tables.values()) else "taobao-items"
        elif fmt and fmt != "taobao":
            detected = fmt
        files[path] = (detected, tables)
    parts = []
    for path, (kind, tables) in files.items():
        parts += _read_one(path, kind, tables, files, zone, batch)
    lines = pd.concat(parts, ignore_index=True) if parts else batch.lines
    no_sku = lines["sku"].isna()
    for source, product in zip(lines.loc[no_sku, "source"], lines.loc[no_sku, "product"]):
        batch.remarks.append(f"{source}: line {product!r} has no SKU — not imported")
    batch.lines = lines[~no_sku].reset_index(drop=True)
    return batch


def _read_one(path, kind, tables, files, zone, batch) -> list[pd.DataFrame]:
    name = path.name
    profiles = {"xiaohongshu": Xiaohongshu, "shopify": Shopify, "generic": Generic}
    if kind in profiles:
        profile = profiles[kind]
        if not any(profile.matches(t) for t in tables.values()):
            batch.problems.append(Problem(name, message=f"is not a {profile.name}"))
            return []
        lines, problems = profile.lines(tables, name, zone)
        batch.formats[name] = profile.name
        batch.problems += problems
        return [lines]
    if kind == "qianniu":
        orders = next(t for t in tables.values() if taobao.TaobaoOrders.matches(t))
        items = next(t for t in tables.values() if taobao.QianniuLines.matches(t))
        shipping = next((t for t in tables.values() if taobao.QianniuShipping.matches(t)
                         and not taobao.TaobaoOrders.matches(t)), None)
        lines, problems = taobao.lines_from_pair(orders, items, name, name, zone, qianniu=True,
                                                 shipping=shipping)
        batch.formats[name] = "千牛 workbook (订单报表 + 销售明细)"
        batch.problems += problems
        return [lines]
    if kind == "taobao-items":
        partner = next((p for p, (k, _) in files.items() if k == "taobao-orders"), None)
        if partner is None:
            batch.problems.append(Problem(name, message=(
                "is a Taobao/Tmall 宝贝报表 (lines) without its 订单报表 (orders): import both "
                "files together, e.g. shopops import BOOK 订单报表.csv 宝贝报表.csv")))
            return []
        order_tables = files[partner][1]
        lines, problems = taobao.lines_from_pair(next(iter(order_tables.values())),
                                                 next(iter(tables.values())), name, partner.name,
                                                 zone)
        batch.formats[name] = "Taobao/Tmall 宝贝报表"
        batch.formats[partner.name] = "Taobao/Tmall 订单报表"
        batch.problems += problems
        return [lines]
    if kind == "taobao-orders":
        if not any(k == "taobao-items" for k, _ in files.values()):
            batch.problems.append(Problem(name, message=(
                "is a Taobao/Tmall 订单报表 (one row per order, no products): import it together "
                "with its 宝贝报表 so stock can be updated")))
        return []
    if kind == "order-level":
        batch.problems.append(Problem(name, message=(
            "is an order-level report (订单编号, 总金额, 买家实际支付金额 and no products or "
            "quantities): it can feed sales totals but not stock, so it is not imported. Export "
            "已卖出的宝贝 with 宝贝报表 (or the 千牛 workbook with 销售明细) instead")))
        return []
    headers = ", ".join(list(next(iter(tables.values())).columns)[:12]) if tables else "none"
    batch.problems.append(Problem(name, message=(
        f"format not recognised (headers: {headers}); known: Xiaohongshu, Taobao/Tmall, 千牛, "
        "Shopify, or the Orders sheet's own headers. --format can name it")))
    return []
