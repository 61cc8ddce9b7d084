"""Edit one worksheet part's cells in place, keeping every cell's style and everything else.

Cells are written the way Excel would read them back unchanged: numbers as numbers, dates as
serial numbers (the cell's date format shows them), booleans as booleans, and all text as inline
strings, so a customer's `=HYPERLINK(...)` stays text and the shared-strings part is untouched.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
from typing import Any

import numpy as np
import pandas as pd
from lxml import etree

from shopsheet.book.write.package import NS_MAIN
from shopsheet.core.errors import WorkbookDamaged
from shopsheet.core.language import _

_C = f"{{{NS_MAIN}}}c"
_ROW = f"{{{NS_MAIN}}}row"
_V = f"{{{NS_MAIN}}}v"
_F = f"{{{NS_MAIN}}}f"
_IS = f"{{{NS_MAIN}}}is"
_T = f"{{{NS_MAIN}}}t"
_REF = re.compile(r"^([A-Z]+)(\d+)$")
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=4096)
def col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def split_ref(ref: str) -> tuple[int, int]:
    """`"C7"` → (row 7, column index 2)."""
    match = _REF.match(ref if "$" not in ref else ref.replace("$", ""))
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match.group(2)), col_index(match.group(1))


def excel_serial(value: dt.datetime | dt.date) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


CELL_LIMIT = 32_767  # characters an Excel cell holds


def fit_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with text longer than a cell holds cut to fit (as `plain` cuts it), so what a
    routine keeps in memory is what the workbook will hold."""
    long = []
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            lengths = column.map(lambda v: len(v) if isinstance(v, str) else 0)
            if len(lengths) and lengths.max() > CELL_LIMIT:
                long.append(name)
    if not long:
        return frame
    return frame.assign(**{name: frame[name].map(lambda v: plain(v) if isinstance(v, str)
                                                 else v) for name in long})


def plain(value: Any) -> Any:
    """pandas/numpy scalars to plain Python; every kind of missing to None. Text longer than a
    cell holds (a pick list's orders for a SKU ordered thousands of times) is cut to fit and
    says so: Excel would refuse the whole file otherwise. (Imports refuse such text first.)"""
    if isinstance(value, str) and len(value) > CELL_LIMIT:
        return value[:CELL_LIMIT - 12] + " … (cut)"
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


class FormulaError(WorkbookDamaged):
    """A write would break a shared formula that other cells depend on."""


class CellEdits:
    """Cell edits shared by SheetXml (whole part parsed) and StreamSheet (rows on demand).
    Subclasses provide `row_cells(row)`, `_new_cell(row, col)` and `col_styles`."""

    formulas_removed: bool
    touched: list[int]
    col_styles: dict[int, str]

    def cell(self, row: int, col: int) -> etree._Element | None:
        return self.row_cells(row).get(col)

    def locate(self, rows, parse: bool = True) -> None:
        """Get ready to visit these rows (StreamSheet finds them in one pass and, with
        `parse`, parses them in one go)."""

    def read_cell(self, row: int, col: int) -> etree._Element | None:
        """The cell, to read (not to edit: StreamSheet may parse it alone)."""
        return self.cell(row, col)

    def read_cells(self, keys: list[tuple[int, int]]) -> list[etree._Element | None]:
        """`read_cell` for each (row, col), in order (StreamSheet parses them together)."""
        return [self.read_cell(row, col) for row, col in keys]

    def style_for(self, row: int, col: int, header_row: int = 0) -> str | None:
        """The style a new cell here should wear: its own, the cell above's (unless that is the
        header), or the column's."""
        for r in (row, row - 1) if row - 1 > header_row else (row,):
            c = self.read_cell(r, col)
            if c is not None and c.get("s") is not None:
                return c.get("s")
        return self.col_styles.get(col)

    def set(self, row: int, col: int, value: Any, style: str | None = None) -> None:
        """Write one value, keeping the cell's style (or giving it `style` if it had none)."""
        c = self.cell(row, col)
        if c is None:
            c = self._new_cell(row, col)
        if c.get("s") is None and style is not None:
            c.set("s", style)
        self._empty(c)
        for attr in ("cm", "vm"):
            c.attrib.pop(attr, None)
        _fill(c, value)
        self._touch(row, col)

    def _empty(self, c: etree._Element) -> None:
        f = c.find(_F)
        if f is not None:
            if f.get("t") == "shared" and f.get("ref"):
                raise FormulaError(_("cell {cell} holds a formula shared with {cells}; ShopOps "
                                     "will not overwrite it").format(cell=c.get("r"),
                                                                     cells=f.get("ref")))
            self.formulas_removed = True
        for child in list(c):
            c.remove(child)
        c.attrib.pop("t", None)

    def _touch(self, row: int, col: int) -> None:
        if not self.touched:
            self.touched = [row, row, col, col]
        else:
            t = self.touched
            t[0], t[1], t[2], t[3] = min(t[0], row), max(t[1], row), min(t[2], col), max(t[3], col)


class SheetXml(CellEdits):
    """A parsed worksheet part with row and cell lookup; edits keep styles and unknown markup.

    Rows and cells may omit their `r` attribute (the schema allows it): they are numbered from
    their predecessor, as Excel does.
    """

    def __init__(self, data: bytes):
        self.root = etree.fromstring(data, etree.XMLParser(huge_tree=True, remove_blank_text=False))
        self.sheet_data = self.root.find(f"{{{NS_MAIN}}}sheetData")
        self.rows: dict[int, etree._Element] = {}
        number = 0
        for row_el in self.sheet_data.iterchildren(_ROW):
            number = int(row_el.get("r")) if row_el.get("r") else number + 1
            self.rows[number] = row_el
        self.order = sorted(self.rows)
        self._index: dict[int, dict[int, etree._Element]] = {}
        self.col_styles = self._col_styles()
        self.formulas_removed = False
        self.touched: list[int] = []  # [min row, max row, min col, max col] of edited cells

    def _col_styles(self) -> dict[int, str]:
        styles = {}
        cols = self.root.find(f"{{{NS_MAIN}}}cols")
        for col in cols if cols is not None else ():
            if col.get("style") is not None:
                for idx in range(int(col.get("min")) - 1, min(int(col.get("max")), 16384)):
                    styles[idx] = col.get("style")
        return styles

    def row_cells(self, row: int) -> dict[int, etree._Element]:
        """Column index → cell element, for one row."""
        if row not in self._index:
            found, col = {}, -1
            for c in self.rows.get(row, ()):
                if c.tag == _C:
                    col = split_ref(c.get("r"))[1] if c.get("r") else col + 1
                    found[col] = c
            self._index[row] = found
        return self._index[row]

    def clear_rows(self, first: int, last: int, cols: range) -> None:
        """Blank the values in `cols` of rows first..last, keeping styles and other columns."""
        for row in self.order[bisect.bisect_left(self.order, first):
                              bisect.bisect_right(self.order, last)]:
            for idx, c in self.row_cells(row).items():
                if idx in cols:
                    self._empty(c)

    def _new_cell(self, row: int, col: int) -> etree._Element:
        row_el = self.rows.get(row)
        if row_el is None:
            row_el = etree.Element(_ROW, r=str(row))
            at = bisect.bisect_left(self.order, row)
            if at < len(self.order):
                self.rows[self.order[at]].addprevious(row_el)
            else:
                self.sheet_data.append(row_el)
            self.order.insert(at, row)
            self.rows[row] = row_el
        row_el.attrib.pop("spans", None)  # an optimisation hint only; stale once cells move
        c = etree.Element(_C, r=f"{col_letter(col)}{row}")
        cells = self.row_cells(row)
        later = [idx for idx in cells if idx > col]
        if later:
            cells[min(later)].addprevious(c)
        else:
            row_el.append(c)
        cells[col] = c
        return c

    def fix_dimension(self) -> None:
        """Widen `<dimension ref>` to cover the cells written, as Excel expects."""
        dim = self.root.find(f"{{{NS_MAIN}}}dimension")
        if dim is None or not self.touched:
            return
        r1, r2, c1, c2 = self.touched
        ref = dim.get("ref", "")
        if _REF.match(ref.split(":")[0]) and _REF.match(ref.split(":")[-1]):
            (or1, oc1), (or2, oc2) = split_ref(ref.split(":")[0]), split_ref(ref.split(":")[-1])
            r1, r2, c1, c2 = min(r1, or1), max(r2, or2), min(c1, oc1), max(c2, oc2)
        dim.set("ref", f"{col_letter(c1)}{r1}:{col_letter(c2)}{r2}")

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fill(c: etree._Element, value: Any) -> None:
    if value is None or value is pd.NA or value is pd.NaT:
        return
    if isinstance(value, (bool, np.bool_)):
        c.set("t", "b")
        etree.SubElement(c, _V).text = "1" if value else "0"
    elif isinstance(value, (int, np.integer)):
        etree.SubElement(c, _V).text = str(int(value))
    elif isinstance(value, (float, np.floating)):
        if np.isnan(value) or np.isinf(value):
            return
        etree.SubElement(c, _V).text = repr(float(value))
    elif isinstance(value, (dt.date, np.datetime64)):
        etree.SubElement(c, _V).text = repr(excel_serial(pd.Timestamp(value).to_pydatetime()))
    else:
        text = ILLEGAL_XML.sub("", str(value))
        c.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(c, _IS), _T)
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def row_xml(row: int, cols: list[int], styles: list[str | None], values: list[Any]) -> bytes:
    """A new row's markup as `_fill` on lxml elements serialises it, made as text: a day's
    new lines are thousands of cells, and building each as an element costs 20 times more.
    `values` are `plain` values; `tests/book/write/test_sheetstream.py` holds the two ways equal."""
    cells = "".join(cell_xml(f"{col_letter(col)}{row}", style, value)
                    for col, style, value in zip(cols, styles, values))
    return f'<row r="{row}">{cells}</row>'.encode("utf-8")


def cell_xml(ref: str, style: str | None, value: Any) -> str:
    """One cell's markup, as `_fill` on an lxml element serialises it (`value` is `plain`)."""
    head = f'<c r="{ref}"' + (f' s="{style}"' if style is not None else "")
    if value is None:
        return head + "/>"
    if isinstance(value, bool):
        return f'{head} t="b"><v>{"1" if value else "0"}</v></c>'
    if isinstance(value, int):
        return f"{head}><v>{value}</v></c>"
    if isinstance(value, float):
        finite = not (math.isnan(value) or math.isinf(value))
        return f"{head}><v>{value!r}</v></c>" if finite else head + "/>"
    if isinstance(value, dt.date):
        return f"{head}><v>{excel_serial(value)!r}</v></c>"
    text = ILLEGAL_XML.sub("", str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (f'{head} t="inlineStr"><is><t{space}>{text.translate(_ESCAPES)}</t>'
            "</is></c>")
