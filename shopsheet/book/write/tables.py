"""Excel Tables (ListObjects): find a sheet's table and move its range when rows come or go.

A Table's range lives in its own part (`xl/tables/tableN.xml`) as `ref` and in its autoFilter;
both must cover the rows a routine appends, or Excel shows the new rows outside the Table, with
no filter buttons and no banding.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from shopsheet.book.write.package import NS_MAIN
from shopsheet.book.write.sheetxml import col_letter, split_ref
from shopsheet.core.errors import WorkbookDamaged
from shopsheet.core.language import _


class TableError(WorkbookDamaged):
    """A Table this program cannot grow safely (e.g. it has a totals row)."""


@dataclass(frozen=True)
class TableRange:
    part: str
    name: str
    first_row: int  # the header row
    last_row: int
    first_col: int
    last_col: int
    totals: bool

    def covers(self, row: int, col: int) -> bool:
        return self.first_row <= row <= self.last_row and self.first_col <= col <= self.last_col


def read_table(part: str, data: bytes) -> TableRange:
    root = etree.fromstring(data)
    first, last = root.get("ref").split(":")
    (r1, c1), (r2, c2) = split_ref(first), split_ref(last)
    totals = int(root.get("totalsRowCount", "0") or 0) > 0
    return TableRange(part, root.get("displayName") or root.get("name"), r1, r2, c1, c2, totals)


def resize_table(data: bytes, last_row: int) -> bytes:
    """The table part with its range (and autoFilter, sort state) ending at `last_row`."""
    root = etree.fromstring(data)
    if int(root.get("totalsRowCount", "0") or 0) > 0:
        raise TableError(_("Table {table} has a totals row; turn it off (Table Design → Total "
                           "Row) so ShopOps can add rows").format(table=root.get("displayName")))
    root.set("ref", _with_last_row(root.get("ref"), last_row))
    for tag in ("autoFilter", "sortState"):
        for el in root.iter(f"{{{NS_MAIN}}}{tag}"):
            if el.get("ref"):
                el.set("ref", _with_last_row(el.get("ref"), max(last_row, split_ref(
                    el.get("ref").split(":")[0])[0] + (1 if tag == "sortState" else 0))))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_table_columns(data: bytes, labels: list[str]) -> bytes:
    """The table part with `labels` appended as columns on its right (range widened)."""
    root = etree.fromstring(data)
    columns = root.find(f"{{{NS_MAIN}}}tableColumns")
    next_id = max(int(c.get("id")) for c in columns) + 1
    for offset, label in enumerate(labels):
        etree.SubElement(columns, f"{{{NS_MAIN}}}tableColumn", id=str(next_id + offset),
                         name=label)
    columns.set("count", str(len(columns)))
    first, last = root.get("ref").split(":")
    row, col = split_ref(last)
    widened = f"{first}:{col_letter(col + len(labels))}{row}"
    root.set("ref", widened)
    for el in root.iter(f"{{{NS_MAIN}}}autoFilter"):
        el.set("ref", widened)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_last_row(ref: str, last_row: int) -> str:
    first, last = ref.split(":")
    _unused, last_col = split_ref(last)
    return f"{first}:{col_letter(last_col)}{last_row}"
