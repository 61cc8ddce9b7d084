"""Row heights for wrapped text in the views ShopOps rewrites (PickList, Dashboard, Problems).

A column formatted to wrap shows long text (a pick list's order ids, a product name) on
several lines — if the row is tall enough. Excel fits such a row when it has no stored height,
but LibreOffice keeps the default height and prints the lines over the next row. So when a
routine rewrites a view, each row with wrapped text longer than its column gets a stored
height for the lines it needs, worked out as the spreadsheet would wrap it: words, the column's
width in characters of the default font, East Asian characters counting two.
"""

from __future__ import annotations

import math
import re
import unicodedata

from lxml import etree

from shopsheet.book.write.package import NS_MAIN

LINE_POINTS = 15.0  # one line of the default 11 pt font
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_ROW = re.compile(rb'<((?:\w+:)?)row r="(\d+)"([^>]*?)(/?)>')


def wrapping_styles(styles_xml: bytes) -> set[str]:
    """Indexes (as cell `s` values) of the cell formats that wrap text."""
    root = etree.fromstring(styles_xml)
    xfs = root.find(f"{{{NS_MAIN}}}cellXfs")
    if xfs is None:
        return set()
    return {str(i) for i, xf in enumerate(xfs)
            if (a := xf.find(f"{{{NS_MAIN}}}alignment")) is not None
            and a.get("wrapText") in ("1", "true")}


def column_widths(sheet_xml: bytes) -> dict[int, float]:
    """0-based column index → width in characters, from the part's `<cols>`."""
    head = sheet_xml[:sheet_xml.find(b"<sheetData")]
    widths = {}
    for match in _COL.finditer(head):
        attrs = dict(_ATTR.findall(match.group(1)))
        if b"width" in attrs and b"min" in attrs and b"max" in attrs:
            for col in range(int(attrs[b"min"]) - 1, int(attrs[b"max"])):
                widths[col] = float(attrs[b"width"])
    return widths


def _width(text: str) -> float:
    """Width in digit widths of the default (proportional) font: a digit or capital one, a
    small letter, space or stop a little less, an East Asian character two."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else
               1.0 if ch.isdigit() or ch.isupper() or ch in "#@%&WMm" else 0.85 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines `text` takes in a column `width` characters wide, wrapped at spaces (a word longer
    than a line is broken)."""
    room = max(width - 1.0, 1.0)
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0.0, 1
        for word in paragraph.split(" "):
            size = _width(word)
            if used and used + 0.85 + size > room:
                count, used = count + 1, 0.0
            if size > room:
                count += math.ceil(size / room) - 1
                size = size % room or room
            used += size + (0.85 if used else 0.0)
        lines += count
    return lines


def with_heights(sheet_xml: bytes, heights: dict[int, float]) -> bytes:
    """The part with each listed row's height stored (points); other rows untouched."""
    if not heights:
        return sheet_xml

    def height(match: re.Match) -> bytes:
        row = int(match.group(2))
        if row not in heights:
            return match.group(0)
        attrs = re.sub(rb'\s(?:ht|customHeight)="[^"]*"', b"", match.group(3))
        return (b"<" + match.group(1) + b'row r="' + match.group(2) + b'"' + attrs
                + f' ht="{heights[row]:g}" customHeight="1"'.encode() + match.group(4) + b">")

    return _ROW.sub(height, sheet_xml)
