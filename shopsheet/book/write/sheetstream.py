"""Edit a large worksheet part without parsing it: rows are found by bisection on their
numbers (they stand in ascending order), new rows and changed cells are written as markup into
the rows' text (`add_rows`, `patch_markup`), only rows edited otherwise are parsed (as small
fragments), and every other row is copied through as it was. Writing a day's 600 new lines into
a year of orders costs the 600 lines, not the year. Same interface as `SheetXml` (which parses
the whole part, and remains for the rare sheet whose rows carry no `r` numbers).
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from lxml import etree

from shopsheet.book.write.package import NS_MAIN
from shopsheet.book.write.sheetxml import (CellEdits, cell_xml, col_index, col_letter, row_xml,
                                           split_ref)

_ROW = re.compile(rb"<row\b[^>]*?>")
_R = re.compile(rb'\br="(\d+)"')
_ROW_R = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_NSDECL = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')
_DIM = re.compile(rb'<dimension\b[^>]*?\bref="([^"]*)"')
_C = f"{{{NS_MAIN}}}c"
_DIGITS = "0123456789"
_V = f"{{{NS_MAIN}}}v"
_F = f"{{{NS_MAIN}}}f"
_IS = f"{{{NS_MAIN}}}is"
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_CELL_REF = re.compile(rb'<c r="([A-Z]+)\d+"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_PLAIN_CELL = {b"r", b"s", b"t", b"cm", b"vm"}  # what `set` keeps or drops, nothing else


class NotStreamable(Exception):
    """The part has rows without `r` numbers: parse it whole instead."""


class StreamSheet(CellEdits):
    def __init__(self, data: bytes):
        self.data = data
        root_end = data.index(b">", data.index(b"<worksheet")) + 1
        self.decls = " ".join(m.group(0).strip() for m in
                              _NSDECL.finditer(data[:root_end].decode("utf-8")))
        self.sd_start = data.find(b"<sheetData")
        if self.sd_start < 0:
            raise NotStreamable("no sheetData")
        tag_end = data.index(b">", self.sd_start) + 1
        self.empty_sd = data[tag_end - 2:tag_end] == b"/>"
        self.body_start = tag_end
        self.body_end = tag_end if self.empty_sd else data.index(b"</sheetData>", tag_end)
        self._spans: dict[int, tuple[int, int]] | None = None  # the full index, if needed
        self._found: dict[int, tuple[int, int] | None] = {}
        self._numbered: bool | None = None  # whether every row starts `<row r="…"`
        self.last_existing = self._last_row_number()
        self.parsed: dict[int, etree._Element] = {}
        self.created: dict[int, etree._Element] = {}
        self.text_rows: dict[int, bytes] = {}  # new rows made as text (`add_rows`)
        self.edited: dict[int, tuple[int, int, bytes]] = {}  # rows patched as text: span, text
        self._index: dict[int, dict[int, etree._Element]] = {}
        self.col_styles = self._col_styles()
        self.formulas_removed = False
        self.touched: list[int] = []
        self.dirty: set[int] = set()  # rows whose markup changed

    def _last_row_number(self) -> int:
        at = self.data.rfind(b"<row", self.body_start, self.body_end)
        if at < 0:
            return 0
        number = _R.search(self.data, at, self.data.index(b">", at))
        if number is None:
            raise NotStreamable("a row without r")
        return int(number.group(1))

    @property
    def spans(self) -> dict[int, tuple[int, int]]:
        """Every row's byte span: one scan, done only when a run needs rows in the middle."""
        if self._spans is None:
            starts = [(m.start(), int(m.group(1))) for m in
                      _ROW_R.finditer(self.data, self.body_start, self.body_end)]
            if len(starts) != self.data.count(b"<row", self.body_start, self.body_end):
                raise NotStreamable("a row without r")
            ends = [start for start, _unused in starts[1:]] + [self.body_end]
            # a row runs to where the next begins (whitespace between rows goes with it)
            self._spans = {number: (start, end) for (start, number), end in zip(starts, ends)}
        return self._spans

    @property
    def order(self) -> list[int]:
        return sorted(self.spans)

    def _span(self, row: int) -> tuple[int, int] | None:
        """Where row `row` is: from the full index if one was built, else by bisection."""
        if self._spans is not None:
            return self._spans.get(row)
        if row > self.last_existing:
            return None
        if row not in self._found:
            found = self._bisect(row)
            if found is not None and int(found.group(1)) == row:
                self._found[row] = self._extent(found.start())
            else:
                self._found[row] = self._absent(row)
        return self._found[row]

    def _absent(self, row: int) -> tuple[int, int] | None:
        """A row not found by number: not written, if every row starts `<row r="…"` (what
        Excel and the libraries write); otherwise the full index must say."""
        if self._numbered is None:
            s, e = self.body_start, self.body_end
            self._numbered = self.data.count(b"<row", s, e) == self.data.count(b'<row r="', s, e)
        return None if self._numbered else self.spans.get(row)

    def _bisect(self, row: int) -> re.Match | None:
        """The first `<row` numbered `row` or more: rows stand in ascending order, so halve
        the byte range on the number of the first row after the middle until a few rows are
        left, then read those. A few dozen short searches, however long the sheet."""
        data, lo, hi = self.data, self.body_start, self.body_end
        while hi - lo > 1 << 15:
            mid = (lo + hi) // 2
            found = _ROW_R.search(data, mid, hi)
            if found is None:
                hi = mid
                continue
            number = int(found.group(1))
            if number == row:
                return found
            lo, hi = (found.end(), hi) if number < row else (lo, found.start())
        for found in _ROW_R.finditer(data, lo, self.body_end):
            if int(found.group(1)) >= row:
                return found
        return None

    def locate(self, rows, parse: bool = True) -> None:
        """Find many rows at once: bisect to the first of each run of nearby rows, then walk
        forward through that run's bytes (a patch of a thousand products, or reading back a
        day's appended lines, costs a few scans instead of a thousand bisections); with
        `parse`, parse them too."""
        if self._spans is not None:
            return
        wanted = sorted({r for r in rows if r <= self.last_existing and r not in self._found})
        i = 0
        while i < len(wanted):
            first = self._bisect(wanted[i])
            at = first.start() if first is not None else self.body_end
            for found in _ROW_R.finditer(self.data, at, self.body_end):
                number = int(found.group(1))
                while i < len(wanted) and wanted[i] < number:
                    self._found[wanted[i]] = self._absent(wanted[i])
                    i += 1
                if i == len(wanted) or wanted[i] - number > 64:
                    break
                if number == wanted[i]:
                    self._found[number] = self._extent(found.start())
                    i += 1
            else:
                for row in wanted[i:]:
                    self._found[row] = self._absent(row)
                i = len(wanted)
            if self._spans is not None:  # the full index was needed after all
                return
        if parse:
            self._parse([r for r in wanted if self._found.get(r)])

    def _parse(self, rows: list[int]) -> None:
        """Parse these rows in one go (one parser call for a thousand rows, not a thousand)."""
        rows = [r for r in rows if r not in self.parsed and r not in self.edited]
        if len(rows) > 1:
            data = self.data
            joined = b"".join(data[self._found[r][0]:self._found[r][1]] for r in rows)
            elements = list(self._fragments(joined))
            if len(elements) == len(rows):  # else (never seen) each is parsed when asked
                self.parsed.update(zip(rows, elements))

    def _extent(self, at: int) -> tuple[int, int]:
        head_end = self.data.index(b">", at)
        if self.data[head_end - 1:head_end] == b"/":
            return at, head_end + 1
        return at, self.data.index(b"</row>", head_end) + len(b"</row>")

    def _fragment(self, xml: bytes) -> etree._Element:
        return self._fragments(xml)[0]

    def _fragments(self, xml: bytes) -> etree._Element:
        """Elements written without their sheet around them, parsed in this part's namespaces
        (as children of a wrapper element)."""
        return etree.fromstring(f"<x {self.decls}>".encode() + xml + b"</x>")

    def _col_styles(self) -> dict[int, str]:
        start, end = self.data.find(b"<cols>", 0, self.sd_start), self.data.find(
            b"</cols>", 0, self.sd_start)
        styles = {}
        if start >= 0 and end > start:
            for col in self._fragment(self.data[start:end + len(b"</cols>")]):
                if col.get("style") is not None:
                    for idx in range(int(col.get("min")) - 1, min(int(col.get("max")), 16384)):
                        styles[idx] = col.get("style")
        return styles

    def _row(self, row: int, create: bool = False) -> etree._Element | None:
        if row in self.parsed:
            return self.parsed[row]
        if row in self.edited:  # patched as text, now edited as an element
            self.parsed[row] = self._fragment(self.edited.pop(row)[2])
            self.dirty.add(row)
            return self.parsed[row]
        if row in self.text_rows:  # a new row edited again: from here on it is an element
            self.created[row] = self._fragment(self.text_rows.pop(row))
            self._index.pop(row, None)
        if row in self.created:
            return self.created[row]
        span = self._span(row)
        if span is not None:
            self.parsed[row] = self._fragment(self.data[span[0]:span[1]])
            return self.parsed[row]
        if not create:
            return None
        # made as a fragment, so it serialises in the default namespace like its neighbours
        self.created[row] = self._fragment(f'<row r="{row}"/>'.encode())
        return self.created[row]

    def row_cells(self, row: int) -> dict[int, etree._Element]:
        if row not in self._index:
            found, col = {}, -1
            for c in self._row(row) if self._row(row) is not None else ():
                if c.tag == _C:
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip(_DIGITS)  # "AB12" → "AB", quicker than a regex
                        col = col_index(letters) if letters.isupper() and letters.isalpha() \
                            else split_ref(ref)[1]
                    else:
                        col += 1
                    found[col] = c
            self._index[row] = found
        return self._index[row]

    def set(self, row: int, col: int, value: Any, style: str | None = None) -> None:
        super().set(row, col, value, style)
        self.dirty.add(row)

    def patch_markup(self, row: int, col: int, value: Any, header_row: int = 0) -> bool:
        """Write `value` (`plain`) into a cell by editing the row's text, without parsing the
        row: a morning moves thousands of Products' figures, and each row parsed, edited and
        serialised costs ten times more. The cell gets what `set(row, col, value,
        style_for(row, col, header_row))` would give it, byte for byte as lxml writes it.
        Only for a row not parsed yet (one of the part's, or new and made as text) and a
        cell with no formula and no attributes beyond `r s t cm vm`; otherwise False,
        nothing changed, and `set` does it."""
        got = self._row_text(row)
        if got is None:
            return False
        start, end, text = got
        ref = f"{col_letter(col)}{row}"
        cell = _cell_span(text, ref)
        if cell is not None:
            at, head_end, cell_end = cell
            attrs = _attributes(text[at + 2:head_end])
            if not attrs.keys() <= _PLAIN_CELL or b"<f" in text[head_end:cell_end]:
                return False
            style = attrs[b"s"].decode() if b"s" in attrs else \
                self.style_for(row, col, header_row)
        else:  # a blank cell Excel left out: made where its column puts it
            at = cell_end = _insertion_point(text, col)
            if at is None:
                return False
            style = self.style_for(row, col, header_row)
            head_end = text.index(b">")  # the row's own tag: its `spans` no longer hold
            head = _SPANS.sub(b"", text[:head_end], count=1)
            shift = len(head) - head_end
            text = head + text[head_end:]
            at, cell_end = at + shift, cell_end + shift
        text = text[:at] + cell_xml(ref, style, value).encode("utf-8") + text[cell_end:]
        if start < 0:
            self.text_rows[row] = text
        else:
            self.edited[row] = (start, end, text)
        self._touch(row, col)
        return True

    def read_cell(self, row: int, col: int) -> etree._Element | None:
        """The cell, parsed alone from its row's text while the row is text: reading back
        thousands of written cells without parsing their rows."""
        return self.read_cells([(row, col)])[0]

    def read_cells(self, keys: list[tuple[int, int]]) -> list[etree._Element | None]:
        """`read_cell` for each (row, col), the cells still in text parsed in one go (one
        lxml parse instead of one per cell: a morning reads back ~15,000 written cells)."""
        found: list[etree._Element | None] = [None] * len(keys)
        texts, where = [], []
        for k, (row, col) in enumerate(keys):
            got = self._row_text(row)
            if got is None:
                found[k] = self.cell(row, col)
                continue
            cell = _cell_span(got[2], f"{col_letter(col)}{row}")
            if cell is None:  # not there, unless a cell not starting `<c r="…"` is it
                found[k] = None if _all_named(got[2]) else self.cell(row, col)
            else:
                texts.append(got[2][cell[0]:cell[2]])
                where.append(k)
        if texts:
            parsed = list(self._fragments(b"".join(texts)))
            if len(parsed) != len(where):
                raise ValueError(f"{len(where)} cells asked for, {len(parsed)} read back")
            for k, element in zip(where, parsed):
                found[k] = element
        return found

    def _row_text(self, row: int) -> tuple[int, int, bytes] | None:
        """The row's span and current markup, while it is still text (not an element); a
        new row made as text has the span (-1, -1)."""
        if row in self.text_rows:
            return -1, -1, self.text_rows[row]
        if row in self.parsed or row in self.created:
            return None
        if row in self.edited:
            return self.edited[row]
        span = self._span(row)
        return None if span is None else (*span, self.data[span[0]:span[1]])

    def can_add(self, first: int) -> bool:
        """Whether rows from `first` on are all new: beyond the part's rows and this run's."""
        return first > max([self.last_existing, *self.created, *self.text_rows])

    def add_rows(self, first: int, cols: list[int], styles: list[str | None], rows) -> None:
        """New rows `first`, `first + 1`… below every other row, each cell in `cols` wearing
        the style in `styles`, values `plain`. Check `can_add(first)` first."""
        row = first - 1
        for row, values in enumerate(rows, start=first):
            self.text_rows[row] = row_xml(row, cols, styles, values)
            self._index.pop(row, None)  # looked up (empty) while finding the styles
        if row >= first:
            self._touch(first, min(cols))
            self._touch(row, max(cols))

    def _new_rows(self) -> list[tuple[int, bytes]]:
        """Rows this run added, in order, as markup."""
        rows = [(n, self._serialise(el)) for n, el in self.created.items()]
        return sorted(rows + list(self.text_rows.items()))

    def clear_rows(self, first: int, last: int, cols: range) -> None:
        for row in [r for r in self.text_rows if first <= r <= last]:
            self._row(row)  # as an element, to be emptied below
        order = self.order
        numbers = order[bisect.bisect_left(order, first):bisect.bisect_right(order, last)]
        for row in [*numbers, *(r for r in self.created if first <= r <= last)]:
            for idx, c in self.row_cells(row).items():
                if idx in cols and len(c):
                    self._empty(c)
                    self.dirty.add(row)

    def _new_cell(self, row: int, col: int) -> etree._Element:
        row_el = self._row(row, create=True)
        row_el.attrib.pop("spans", None)
        c = etree.Element(_C, r=f"{col_letter(col)}{row}")
        cells = self.row_cells(row)
        if not cells or col > max(cells):  # the usual case: cells written left to right
            row_el.append(c)
        else:
            cells[min(idx for idx in cells if idx > col)].addprevious(c)
        cells[col] = c
        return c

    def fix_dimension(self) -> None:
        """Widen `<dimension ref>` to cover the cells written (done in to_bytes)."""

    def _dimension(self, head: bytes) -> bytes:
        match = _DIM.search(head)
        if not match or not self.touched:
            return head
        r1, r2, c1, c2 = self.touched
        parts = match.group(1).decode().split(":")
        try:
            (or1, oc1), (or2, oc2) = split_ref(parts[0]), split_ref(parts[-1])
            r1, r2, c1, c2 = min(r1, or1), max(r2, or2), min(c1, oc1), max(c2, oc2)
        except ValueError:
            pass
        ref = f"{col_letter(c1)}{r1}:{col_letter(c2)}{r2}".encode()
        return head[:match.start(1)] + ref + head[match.end(1):]

    def _serialise(self, row: etree._Element) -> bytes:
        return _NSDECL.sub("", etree.tostring(row, encoding="unicode")).encode("utf-8")

    def to_bytes(self) -> bytes:
        if self._spans is None and all(r > self.last_existing for r in
                                       [*self.created, *self.text_rows]):
            return self._spliced()
        return self._rebuilt()

    def _spliced(self) -> bytes:
        """Changed rows replaced where they stand, new rows added at the end: no full scan.
        Unchanged stretches are joined as views of the old bytes, not copies (memory)."""
        data = memoryview(self.data)
        edits = sorted([(self._found[r][0], self._found[r][1], self._serialise(self.parsed[r]))
                        for r in self.dirty if r in self.parsed and self._found.get(r)]
                       + list(self.edited.values()))
        head = self._dimension(self.data[:self.sd_start])
        out = [head, b"<sheetData>" if self.empty_sd else data[self.sd_start:self.body_start]]
        pos = self.body_start
        for start, end, text in edits:
            out += [data[pos:start], text]
            pos = end
        out.append(data[pos:self.body_end])
        out.extend(text for _unused, text in self._new_rows())
        out.append(b"</sheetData>" + bytes(data[self.body_start:]) if self.empty_sd else
                   data[self.body_end:])
        return b"".join(out)

    def _rebuilt(self) -> bytes:
        data = memoryview(self.data)
        head = self._dimension(self.data[:self.sd_start])
        if self.empty_sd:
            out = [head, b"<sheetData>"]
        else:
            out = [head, data[self.sd_start:self.body_start]]
        new = self._new_rows()
        pos, k = self.body_start, 0
        spans = self.spans
        for number in self.order:
            start, end = spans[number]
            while k < len(new) and new[k][0] < number:
                out.append(new[k][1])
                k += 1
            out.append(data[pos:start])
            if number in self.dirty:
                out.append(self._serialise(self.parsed[number]))
            elif number in self.edited:  # its text runs to the row's end, not the next's start
                _unused, text_end, text = self.edited[number]
                out += [text, data[text_end:end]]
            else:
                out.append(data[start:end])
            pos = end
        out.append(data[pos:self.body_end])
        out.extend(text for _unused, text in new[k:])
        if self.empty_sd:
            out.append(b"</sheetData>")
            out.append(data[self.body_start:])
        else:
            out.append(data[self.body_end:])
        return b"".join(out)


def _cell_span(text: bytes, ref: str) -> tuple[int, int, int] | None:
    """Where cell `ref` stands in a row's markup: its start, the end of its opening tag
    (before `/>` or `>`), its end. Found by `<c r="REF"`, as Excel and the libraries write."""
    at = text.find(f'<c r="{ref}"'.encode())
    if at < 0:
        return None
    head_end = text.index(b">", at)
    if text[head_end - 1:head_end] == b"/":
        return at, head_end - 1, head_end + 1
    close = text.find(b"</c>", head_end)
    return None if close < 0 else (at, head_end, close + len(b"</c>"))


def _attributes(head: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(2) for m in _ATTR.finditer(head)}


def _insertion_point(text: bytes, col: int) -> int | None:
    """Where a new cell of column `col` goes in a row's markup: before the first cell to its
    right, else before `</row>`. None if a cell does not start `<c r="…"` (it might be this
    column's, or its column is unknown) or the row is written `<row …/>`."""
    if not _all_named(text):
        return None
    for m in _CELL_REF.finditer(text):
        if col_index(m.group(1).decode()) > col:
            return m.start()
    close = text.rfind(b"</row>")
    return None if close < 0 else close


def _all_named(text: bytes) -> bool:
    """Whether every cell in a row's markup starts `<c r="…"` (as Excel and the libraries
    write them), so that `_cell_span` finds any cell that is there."""
    return text.count(b"<c") == text.count(b'<c r="')
