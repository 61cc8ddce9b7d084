"""The files each back end's bulk stock update takes, from `core.availability` rows.

- Shopify: the inventory CSV of Products › Inventory › Import, in its current layout (Handle,
  Title, Option1–3 Name/Value, SKU, HS Code, COO, Location, Bin name, the four "(not
  editable)" columns, On hand (current), On hand (new)). The import sets On hand from "On hand
  (new)"; Shopify then takes its own unfulfilled orders off it, so ShopOps writes what may be
  sold plus those. A listing's Handle is its Listing ID; its Variant, split at " / ", gives the
  option values (a listing without a variant is Shopify's "Title / Default Title").
- Taobao/Tmall (千牛) and Xiaohongshu (千帆): a workbook with the seller's code, the listing's
  id, title, spec and the quantity to set (全量: the stock as it should be).
- generic: a CSV of every listing with its SKU, Units and what it may sell.

Every file is written to a temporary name and renamed into place, so a half-written file is
never left where the owner would upload it. Text is written as text (no formulas).
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pandas as pd
import xlsxwriter

from shopsheet.core.words import Channel
from shopsheet.reports.packing_slips import cell_text

SHOPIFY_COLUMNS = ["Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name",
                   "Option2 Value", "Option3 Name", "Option3 Value", "SKU", "HS Code", "COO",
                   "Location", "Bin name", "Incoming (not editable)",
                   "Unavailable (not editable)", "Committed (not editable)",
                   "Available (not editable)", "On hand (current)", "On hand (new)"]
TAOBAO_COLUMNS = ["宝贝标题", "销售属性", "商家编码", "SKU ID", "可售库存"]
XIAOHONGSHU_COLUMNS = ["商品名称", "规格", "商家编码", "规格ID", "库存"]
GENERIC_COLUMNS = ["Channel", "Listing ID", "Channel SKU", "Title", "Variant", "SKU", "Units",
                   "Available"]
EXTENSIONS = {"shopify": ".csv", "taobao": ".xlsx", "tmall": ".xlsx", "xiaohongshu": ".xlsx",
              "generic": ".csv"}


def shopify_rows(rows: pd.DataFrame, location: str) -> list[list[str]]:
    out = []
    for r in rows.itertuples(index=False):
        options = [v.strip() for v in cell_text(r.variant).split(" / ") if v.strip()][:3]
        pairs = [("Title", "Default Title")] if not options else [("", v) for v in options]
        pairs += [("", "")] * (3 - len(pairs))
        out.append([cell_text(r.listing_id), cell_text(r.title), *[x for p in pairs for x in p],
                    cell_text(r.channel_sku), "", "", location, "", "", "", "", str(r.available),
                    "", str(int(r.available) + int(r.committed_here))])
    return out


def chinese_rows(rows: pd.DataFrame) -> list[list[object]]:
    return [[cell_text(r.title), cell_text(r.variant), cell_text(r.channel_sku) or cell_text(r.sku),
             cell_text(r.listing_id), int(r.available)] for r in rows.itertuples(index=False)]


def generic_rows(rows: pd.DataFrame) -> list[list[object]]:
    return [[cell_text(r.channel), cell_text(r.listing_id), cell_text(r.channel_sku),
             cell_text(r.title), cell_text(r.variant), cell_text(r.sku), int(r.units),
             int(r.available)]
            for r in rows.itertuples(index=False)]


def write_stock_file(path: Path, channel: str, rows: pd.DataFrame, location: str) -> None:
    """Write `rows` as `channel`'s bulk stock file at `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        if channel == Channel.SHOPIFY:
            _csv(temp, SHOPIFY_COLUMNS, shopify_rows(rows, location))
        elif channel == "generic":
            _csv(temp, GENERIC_COLUMNS, generic_rows(rows))
        else:
            headers = XIAOHONGSHU_COLUMNS if channel == Channel.XIAOHONGSHU else TAOBAO_COLUMNS
            _xlsx(temp, headers, chinese_rows(rows))
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _csv(path: str, headers: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
        fh.flush()
        os.fsync(fh.fileno())


def _xlsx(path: str, headers: list[str], rows: list[list]) -> None:
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False,
                                    "strings_to_urls": False})
    ws = wb.add_worksheet("库存")
    bold, text = wb.add_format({"bold": True}), wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, headers, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, int):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value, text)
    ws.set_column(0, 0, 30)
    ws.set_column(1, len(headers) - 1, 16)
    ws.freeze_panes(1, 0)
    wb.close()
