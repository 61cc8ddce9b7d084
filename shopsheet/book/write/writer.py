"""The package-patch writer: apply a run's buffered edits to the parts they touch, write the new
package, and prove it before it replaces the user's file.

Owned parts: the sheet parts edited, their Table parts, the workbook part (only to ask Excel to
recalculate on open, since formulas elsewhere may read the new values), and — only when a formula
cell was overwritten — the calcChain part, which is dropped (Excel rebuilds it) with its listing.
Every other part must come out byte-identical; `check` verifies that (as stored bytes), inflates
every owned part and compares it with what was meant, and reads every written cell back.

Sheet parts are written in pieces (`pieces.py`): with the plan of the run's rows (`plan`), a
part written so before is edited on the pieces holding those rows only, the others copied as
stored; the check then compares copied pieces as bytes and inflates the new ones.
"""

from __future__ import annotations

import binascii
import datetime as dt
import io
import math
import os
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable

import pandas as pd
from lxml import etree

from shopsheet.book.base import BookError, Layout
from shopsheet.book.write import deflate
from shopsheet.book.write.package import (NS_MAIN, Package, rels_part, without_calc_chain,
                                          write_package)
from shopsheet.book.write.pieces import (Piece, Pieced, crc32_combine, fresh, inflate_piece,
                                         reassemble, window)
from shopsheet.book.write.rowheight import (LINE_POINTS, column_widths, lines_needed, with_heights,
                                            wrapping_styles)
from shopsheet.book.write.sheetstream import NotStreamable, StreamSheet
from shopsheet.book.write.sheetxml import ILLEGAL_XML, SheetXml, excel_serial, plain
from shopsheet.book.write.tables import TableRange, add_table_columns, read_table, resize_table
from shopsheet.book.write.zipcopy import raw_record, stored_data
from shopsheet.core.errors import WorkbookDamaged
from shopsheet.core.language import _
from shopsheet.sheets import SHEETS


class SelfCheckFailed(WorkbookDamaged):
    """The new file is not what was meant; the original was left untouched."""


@dataclass
class Op:
    kind: str  # "patch" | "append" | "replace"
    sheet: str
    layout: Layout
    frame: pd.DataFrame
    start_row: int = 0  # the sheet's last data row when the op was made

    def rows(self) -> set[int] | None:
        """The rows this op writes; None for a replace (the whole body)."""
        if self.kind == "replace":
            return None
        if self.kind == "patch":
            return {int(r) for r in self.frame.index}
        return set(range(self.start_row + 1, self.start_row + 1 + len(self.frame)))


CHECK_BATCH = 20_000  # written cells read back per parse (a day's write is one batch)
FITTED_APPENDS = ("Promotions", "PurchaseOrders")  # small sheets owners print, rows added


class PiecesDoNotFit(Exception):
    """An edit made on some pieces of a part does not cut back into them: write it whole."""


class PackageWriter:
    def __init__(self, pkg: Package,
                 maps: Callable[[str], tuple[list[Piece], memoryview] | None] | None = None):
        """`maps(part)` gives the piece map of a part, if it has one (`pieces.py`), with the
        deflated bytes it maps: the entry as stored, or the part deflated anew in pieces."""
        self.pkg = pkg
        self.maps = maps or (lambda part: None)
        self.rows: dict[str, set[int] | None] = {}  # sheet → rows its ops touch (None: all)
        self.windows: dict[str, tuple[list[Piece], memoryview, list[int], bytes]] = {}
        self.xml: dict[str, SheetXml] = {}
        self.tables: dict[str, tuple[TableRange, int]] = {}  # sheet → (table, new last row)
        self.new_columns: dict[str, list[str]] = {}  # sheet → headers added to its Table
        self.last_row: dict[str, int] = {}
        self.expected: dict[tuple[str, int, int], Any] = {}
        # rows added below all others: (sheet, first row, columns, frame), checked from the
        # frame a batch at a time rather than kept as one entry per cell (a big import's rows)
        self.appended: list[tuple[str, int, list[int], pd.DataFrame]] = []
        self.replaced: dict[str, bytes] = {}
        self.removed: set[str] = set()
        self.edited: set[str] = set()  # sheets whose parts were serialised by finish()
        self.heights: dict[str, dict[int, float]] = {}  # sheet → row → points (rewritten views)
        self._wrapping: set[str] | None = None

    def plan(self, ops: list[Op]) -> None:
        """Note the rows each sheet's ops will touch, before the first is applied: a part
        written in pieces before is then inflated only where those rows are."""
        for op in ops:
            rows, written = self.rows.setdefault(op.sheet, set()), op.rows()
            if rows is None:
                continue
            if written is None or any(c not in op.layout.columns for c in op.frame.columns):
                self.rows[op.sheet] = None  # the whole body, or the header row too
            else:
                rows.update(written)
                rows.update(r - 1 for r in written)  # the style above

    def apply(self, op: Op) -> None:
        xml = self._sheet(op.sheet)
        layout = op.layout
        self._add_missing_columns(op, xml)
        cols = self._columns(op)
        self.last_row.setdefault(op.sheet, op.start_row)
        if op.kind == "patch":
            rows = [int(r) for r in op.frame.index]
            # cells and the styles above them; rows patched as text are never parsed
            xml.locate(rows + [r - 1 for r in rows], parse=not isinstance(xml, StreamSheet))
            for row, values in zip(op.frame.index, op.frame.itertuples(index=False)):
                if not layout.header_row < int(row) <= self.last_row[op.sheet]:
                    raise BookError(_("{sheet}: row {row} is not a data row").format(
                        sheet=_(op.sheet), row=row))
                self._write_row(op.sheet, xml, int(row), cols, values, layout.header_row,
                                patch=True)
            return
        first = layout.header_row + 1
        if op.kind == "replace":
            end = max(self.last_row[op.sheet], self._table_last(op.sheet, layout))
            xml.clear_rows(first, end, range(min(cols), max(cols) + 1))
            start = first
            self._fit_rows(op, xml, cols, first, max(end, first + len(op.frame) - 1))
        else:
            start = self.last_row[op.sheet] + 1
        if op.kind == "append" and op.sheet in FITTED_APPENDS:
            self._fit_rows(op, xml, cols, start, start + len(op.frame) - 1)
        if op.kind == "append" and isinstance(xml, StreamSheet) and xml.can_add(start):
            self._add_rows(op.sheet, xml, start, cols, op.frame, layout.header_row)
        else:
            for offset, values in enumerate(op.frame.itertuples(index=False)):
                self._write_row(op.sheet, xml, start + offset, cols, values, layout.header_row)
        self.last_row[op.sheet] = start + len(op.frame) - 1 if len(op.frame) else \
            (layout.header_row if op.kind == "replace" else self.last_row[op.sheet])
        self._grow_table(op.sheet, layout, replace=op.kind == "replace")

    def _add_missing_columns(self, op: Op, xml: SheetXml) -> None:
        """A workbook made by an older ShopOps lacks columns added since: append them to the
        right of its Table (header cell, Table column), so routines can fill them."""
        spec = SHEETS.get(op.sheet)
        missing = [c for c in op.frame.columns if c not in op.layout.columns and spec is not None
                   and any(col.name == c for col in spec.columns)]
        if not missing:
            return
        table = self._table(op.sheet, op.layout)
        right = max([*op.layout.columns.values(), table.last_col if table else -1])
        header_style = xml.style_for(op.layout.header_row, right)
        for offset, name in enumerate(missing, start=1):
            label = spec.column(name).label
            xml.set(op.layout.header_row, right + offset, label, style=header_style)
            op.layout.columns[name] = right + offset
            op.layout.headers[name] = label
            self.new_columns.setdefault(op.sheet, []).append(label)
        if table is not None and op.sheet not in self.tables:
            self.tables[op.sheet] = (table, table.last_row)

    def _fit_rows(self, op: Op, xml, cols: list[int], first: int, last: int) -> None:
        """Heights for the rows a view is rewritten into: as many lines as its wrapped text
        needs (`rowheight.py`), one line for the others and for rows left blank."""
        if self._wrapping is None:
            styles = [p for p in self.pkg.cell_parts() if "styles" in p.rsplit("/", 1)[-1]]
            self._wrapping = wrapping_styles(self.pkg.read(styles[0])) if styles else set()
        widths = column_widths(self.pkg.read(self.pkg.sheet(op.sheet).part))
        header = op.layout.header_row
        wrapped = [(i, col) for i, col in enumerate(cols)
                   if xml.style_for(first, col, header) in self._wrapping and col in widths]
        heights = self.heights.setdefault(op.sheet, {})
        heights.update({row: LINE_POINTS for row in range(first, last + 1)})
        for offset, values in enumerate(op.frame.itertuples(index=False)):
            lines = max([lines_needed(values[i], widths[col]) for i, col in wrapped
                         if isinstance(plain(values[i]), str)] or [1])
            heights[first + offset] = LINE_POINTS * lines

    def _columns(self, op: Op) -> list[int]:
        unknown = [c for c in op.frame.columns if c not in op.layout.columns]
        if unknown:
            raise BookError(_("{sheet} has no column for {columns}; add the header to the "
                              "sheet's table").format(sheet=_(op.sheet),
                                                      columns=", ".join(map(str, unknown))))
        return [op.layout.columns[c] for c in op.frame.columns]

    def _write_row(self, sheet: str, xml: SheetXml, row: int, cols: list[int], values,
                   header_row: int, patch: bool = False) -> None:
        """Write one row's values; a patch of existing cells goes in as markup where it can
        (`StreamSheet.patch_markup`), the rest through the row's elements."""
        by_text = patch and isinstance(xml, StreamSheet)
        for col, value in zip(cols, values):
            value = plain(value)
            if not (by_text and xml.patch_markup(row, col, value, header_row)):
                xml.set(row, col, value, style=xml.style_for(row, col, header_row))
            self.expected[(sheet, row, col)] = value

    def _add_rows(self, sheet: str, xml: StreamSheet, start: int, cols: list[int],
                  frame: pd.DataFrame, header_row: int) -> None:
        """Rows below all others, made as markup in one go: each column wears the style
        `_write_row` would give its first cell (and so every cell below it)."""
        styles = [xml.style_for(start, col, header_row) for col in cols]
        rows = [[plain(v) for v in values] for values in frame.itertuples(index=False)]
        xml.add_rows(start, cols, styles, rows)
        self.appended.append((sheet, start, cols, frame))

    def _sheet(self, name: str) -> SheetXml | StreamSheet:
        if name not in self.xml:
            part = self.pkg.sheet(name).part
            data = self._window(name, part)
            try:
                self.xml[name] = StreamSheet(data if data is not None else self.pkg.read(part))
            except NotStreamable:  # rows without numbers: parse the whole part
                self.windows.pop(name, None)
                self.xml[name] = SheetXml(self.pkg.read(part))
        return self.xml[name]

    def _window(self, name: str, part: str) -> bytes | None:
        """The pieces of the part holding the rows this run touches, if it has a map."""
        rows = self.rows.get(name)
        found = self.maps(part) if rows else None
        if not found:
            return None
        pieces, stored = found
        try:
            data, loaded = window(stored, pieces, rows)
        except deflate.ERRORS:  # the map does not fit this part after all
            return None
        self.windows[name] = (pieces, stored, loaded, data)
        return data

    def _table(self, sheet: str, layout: Layout) -> TableRange | None:
        first_col = min(layout.columns.values())
        for part in self.pkg.sheet(sheet).tables:
            table = read_table(part, self.pkg.read(part))
            if table.first_row == layout.header_row and table.covers(layout.header_row, first_col):
                return table
        return None

    def _table_last(self, sheet: str, layout: Layout) -> int:
        table = self._table(sheet, layout)
        return table.last_row if table else layout.header_row

    def _grow_table(self, sheet: str, layout: Layout, replace: bool) -> None:
        """Make the Table end at the last data row (a Table keeps at least one body row)."""
        if sheet not in self.tables:
            table = self._table(sheet, layout)
            if table is None:
                return  # a plain range: nothing to grow
            self.tables[sheet] = (table, table.last_row)
        table, last = self.tables[sheet]
        data_end = max(self.last_row[sheet], layout.header_row + 1)
        self.tables[sheet] = (table, data_end if replace else max(last, data_end))

    def finish(self) -> None:
        """Serialise the edited parts once, before writing."""
        if self.replaced:
            return
        calc_chain = self.pkg.calc_chain_part()
        self.edited = set(self.xml)
        while self.xml:  # each old part's bytes freed as soon as its new part is made (memory)
            name, xml = self.xml.popitem()
            xml.fix_dimension()
            part = self.pkg.sheet(name).part
            data = xml.to_bytes()
            if name in self.heights and name not in self.windows:
                data = with_heights(data, self.heights[name])
            self.replaced[part] = self._pieced(name, part, data)
            if xml.formulas_removed and calc_chain:
                self.removed.add(calc_chain)
            del xml
        for sheet, (table, last_row) in self.tables.items():
            added = self.new_columns.get(sheet, [])
            if last_row != table.last_row or added:
                data = self.pkg.read(table.part)
                if added:
                    data = add_table_columns(data, added)
                self.replaced[table.part] = resize_table(data, last_row)
        if self.removed:
            self.replaced.update(without_calc_chain(self.pkg, calc_chain))
        workbook = _recalc_on_load(self.pkg.read(self.pkg.workbook_part))
        if workbook is not None:
            self.replaced[self.pkg.workbook_part] = workbook

    def _pieced(self, name: str, part: str, out: bytes) -> Pieced | bytes:
        """The new part as pieces: the window's cut back in among the stored ones, or the
        whole part cut anew (bytes only for a part with nothing to cut at)."""
        if name in self.windows:
            found, stored, loaded, window_in = self.windows.pop(name)
            made = reassemble(out, stored, found, loaded, window_in)
            if made is None:
                raise PiecesDoNotFit(part)
            return made
        made = fresh(out)
        return made if made is not None else out

    def owned(self) -> set[str]:
        """The parts this run may change, from what it edited (not from what it wrote)."""
        parts = {self.pkg.sheet(name).part for name in self.edited | set(self.xml)}
        parts |= {table.part for table, _unused in self.tables.values()}
        parts.add(self.pkg.workbook_part)
        if self.removed:
            parts |= {"[Content_Types].xml", rels_part(self.pkg.workbook_part)}
        return parts

    def write(self, fh: BinaryIO) -> None:
        self.finish()
        write_package(self.pkg, fh, self.replaced, self.removed)

    def check(self, path: Path) -> None:
        """Raise SelfCheckFailed unless `path` is the original with exactly our edits.

        Entries we do not own were copied as stored, so their whole local record must be the
        original's, byte for byte (stronger than decompressing them, and faster). Owned
        entries are decompressed, which checks their CRC, and every cell written is read back.
        """
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as new:
            names = set(new.namelist())
            want = set(self.pkg.infos) - self.removed
            if names != want:
                raise SelfCheckFailed(f"parts changed: missing {sorted(want - names)}, "
                                      f"extra {sorted(names - want)}")
            old, owned = self.pkg.infos, self.owned()
            for info in new.infolist():
                name = info.filename
                if name not in owned:
                    was = old[name]
                    if (info.CRC, info.file_size, info.compress_size) != (
                            was.CRC, was.file_size, was.compress_size) or \
                            raw_record(data, info) != raw_record(self.pkg.data, was):
                        raise SelfCheckFailed(f"part {name} would have changed")
                    continue
                meant = self.replaced[name] if name in self.replaced else self.pkg.read(name)
                same = _same_pieces(data, info, meant) if isinstance(meant, Pieced) else \
                    _same_content(new, name, meant)
                if not same:
                    raise SelfCheckFailed(f"part {name} is not what was written")
        del data
        by_sheet: dict[str, list] = {}
        for key, value in self.expected.items():
            by_sheet.setdefault(key[0], []).append((key, value))
        sheets: dict[str, StreamSheet] = {}
        for sheet, written in by_sheet.items():
            self._read_back(sheets, sheet, written)
        for sheet, start, cols, frame in self.appended:
            step = max(CHECK_BATCH // max(len(cols), 1), 1)
            for first in range(0, len(frame), step):  # the rows a batch at a time
                part = frame.iloc[first:first + step]
                batch = [((sheet, row, col), plain(value))
                         for row, values in enumerate(part.itertuples(index=False),
                                                      start=start + first)
                         for col, value in zip(cols, values)
                         if (sheet, row, col) not in self.expected]  # not written again later
                self._read_back(sheets, sheet, batch)

    def _read_back(self, sheets: dict[str, StreamSheet], sheet: str, written: list) -> None:
        """Read `written` ((sheet, row, col), value) cells back from the part made, a batch
        of CHECK_BATCH cells as elements at a time, and compare."""
        if sheet not in sheets:
            sheets[sheet] = StreamSheet(_edited(self.replaced[self.pkg.sheet(sheet).part]))
        xml = sheets[sheet]
        xml.locate((row for (_unused, row, _unused), _unused in written), parse=False)
        for start in range(0, len(written), CHECK_BATCH):
            batch = written[start:start + CHECK_BATCH]
            cells = xml.read_cells([(row, col) for (_unused, row, col), _unused in batch])
            for ((_unused, row, col), value), c in zip(batch, cells):
                got = "" if c is None else cell_value(c)
                if not _same(value, got):
                    raise SelfCheckFailed(f"{sheet} row {row} column {col + 1}: wrote "
                                          f"{value!r}, read back {got!r}")
            del cells


def _edited(made: Pieced | bytes) -> bytes:
    """The XML the run edited: written cells are read back from it."""
    return made.window if isinstance(made, Pieced) else made


def _same_pieces(data: bytes, info: zipfile.ZipInfo, made: Pieced) -> bool:
    """Whether an entry written in pieces holds them: copied pieces byte for byte, new ones
    inflated alone (on every core) to what was meant, by zlib and with CRCs worked out by
    binascii (not by ISA-L, which deflated them: `deflate.py`), and the entry's sizes and CRC
    those of the pieces joined."""
    stored, pos, crc, size = stored_data(data, info), 0, 0, 0
    last = len(made.segments) - 1
    chunks = []
    for segment in made.segments:
        chunks.append(stored[pos:pos + len(segment.packed)])
        crc = crc32_combine(crc, segment.crc, segment.raw_len)
        size, pos = size + segment.raw_len, pos + len(segment.packed)
    if (pos, size, crc) != (info.compress_size, info.file_size, info.CRC):
        return False

    def same(k: int) -> bool:
        segment, chunk = made.segments[k], chunks[k]
        if segment.copied:
            return chunk.tobytes() == bytes(segment.packed)  # memcmp (memoryview == is slow)
        try:
            raw = inflate_piece(chunk, k == last, zlib)  # not by what deflated it
        except deflate.ERRORS:
            return False
        return raw == bytes(segment.raw) and binascii.crc32(raw) == segment.crc

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return all(pool.map(same, range(len(made.segments))))


def _same_content(archive: zipfile.ZipFile, name: str, meant: bytes) -> bool:
    """Whether an entry decompresses to `meant` (and to its CRC: zipfile checks it at the
    end), read in pieces so a large sheet is not held twice."""
    pos = 0
    try:
        with archive.open(name) as entry:
            while piece := entry.read(1 << 22):
                if meant[pos:pos + len(piece)] != piece:
                    return False
                pos += len(piece)
    except (zipfile.BadZipFile, zlib.error, EOFError):  # a bad CRC, a broken stream
        return False
    return pos == len(meant)


def cell_value(c) -> Any:
    """A cell's value as stored in the file: text, number, boolean, or '' when empty."""
    kind = c.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(f"{{{NS_MAIN}}}t"))
    v = c.findtext(f"{{{NS_MAIN}}}v")
    if v is None:
        return ""
    if kind == "b":
        return v == "1"
    if kind in ("str", "e", "s"):
        return v
    return float(v)


def _same(wrote: Any, got: Any) -> bool:
    if wrote is None:
        return got in ("", None)
    if isinstance(wrote, bool):
        return got is wrote or got == wrote
    if isinstance(wrote, (dt.date, dt.datetime)):
        if isinstance(got, (dt.date, dt.datetime)):
            got = excel_serial(got)
        return isinstance(got, (int, float)) and abs(got - excel_serial(wrote)) < 1e-6
    if isinstance(wrote, (int, float)):
        return isinstance(got, (int, float)) and math.isclose(got, wrote, rel_tol=1e-12,
                                                             abs_tol=1e-9)
    return got == ILLEGAL_XML.sub("", str(wrote))


def _recalc_on_load(data: bytes) -> bytes | None:
    """workbook.xml asking Excel to recalculate formulas on open, or None if it already does."""
    root = etree.fromstring(data)
    calc = root.find(f"{{{NS_MAIN}}}calcPr")
    if calc is not None and calc.get("fullCalcOnLoad") in ("1", "true"):
        return None
    if calc is None:
        calc = etree.SubElement(root, f"{{{NS_MAIN}}}calcPr")
        _place_calc_pr(root, calc)
    calc.set("fullCalcOnLoad", "1")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_AFTER_CALC_PR = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                  "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


def _place_calc_pr(root: etree._Element, calc: etree._Element) -> None:
    """calcPr must precede these elements (the schema's sequence order)."""
    for child in root:
        if etree.QName(child).localname in _AFTER_CALC_PR:
            child.addprevious(calc)
            return
