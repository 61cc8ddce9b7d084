"""StreamSheet finds rows in a large part without indexing it whole: bisection for one row,
one forward walk per run of nearby rows. Checked here against the full index, on a part with
the shapes real writers produce (attributes in any order, empty rows, rows left out)."""

from __future__ import annotations

import datetime as dt
import random
import zlib

import pytest
from lxml import etree

from shopsheet.book.write import zipcopy
from shopsheet.book.write.sheetstream import StreamSheet

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def part(numbers: list[int], swapped: bool = False) -> bytes:
    rows = []
    for n in numbers:
        if n % 7 == 0:  # an empty row; some writers put `r` after other attributes
            rows.append(f'<row spans="1:2" r="{n}"/>' if swapped else f'<row r="{n}"/>')
        else:
            rows.append(f'<row r="{n}" spans="1:2"><c r="A{n}" t="inlineStr"><is><t>'
                        f'row {n} {"x" * (n % 50)}</t></is></c><c r="B{n}"><v>{n}</v></c></row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
            f'<dimension ref="A1:B{numbers[-1]}"/><sheetData>{"".join(rows)}</sheetData>'
            '</worksheet>').encode()


@pytest.mark.parametrize("swapped", [False, True])
def test_bisection_and_runs_find_what_the_full_index_finds(swapped):
    rng = random.Random(7)
    numbers = sorted(rng.sample(range(1, 60_000), 40_000))  # a third of the rows left out
    data = part(numbers, swapped)
    full = StreamSheet(data).spans
    assert len(full) == len(numbers)
    wanted = rng.sample(range(1, 60_000), 300) + list(range(59_000, 60_010)) + [1, 2]
    one_by_one = StreamSheet(data)
    assert {r: one_by_one._span(r) for r in wanted} == {r: full.get(r) for r in wanted}
    in_runs = StreamSheet(data)
    in_runs.locate(wanted)
    assert (in_runs._spans is None) is not swapped  # the full index only when unsure
    assert {r: in_runs._span(r) for r in wanted} == {r: full.get(r) for r in wanted}


def test_a_value_written_far_down_reads_back_and_the_rest_is_copied_as_is():
    numbers = list(range(1, 20_001))
    data = part(numbers)
    sheet = StreamSheet(data)
    sheet.locate([15_000, 15_001])
    sheet.set(15_000, 1, 42.5)
    sheet.set(20_002, 0, "new last row")
    out = sheet.to_bytes()
    assert sheet._spans is None  # spliced, never indexed whole
    again = StreamSheet(out)
    assert again.cell(15_000, 1).findtext(f"{{{NS}}}v") == "42.5"
    assert "".join(again.cell(20_002, 0).itertext()) == "new last row"
    before, after = data.split(b'<row r="15000"')[0], out.split(b'<row r="15000"')[0]
    assert before[before.index(b"<sheetData>"):] == after[after.index(b"<sheetData>"):]


def test_pieces_deflated_apart_make_one_stream(monkeypatch):
    data = part(list(range(1, 60_000)))
    monkeypatch.setattr(zipcopy, "CHUNK", 1 << 20)
    assert len(data) > 4 * zipcopy.CHUNK  # several pieces, the last one short
    assert zlib.decompress(zipcopy._deflate(data), -15) == data


VALUES = [None, True, False, 0, -7, 12345678901234, 0.1, -2.5e-7, 1e21, float("nan"),
          float("inf"), dt.date(2026, 11, 21), dt.datetime(2026, 11, 21, 7, 30, 15, 250000),
          "", "plain", "  padded ", "a & b < c > d \"q\" 'a'", "line\r\nbreak\ttab",
          "控制\x01字符\x0b", "小园好物 🌱", "=SUM(A1:A9)", "@cmd", "+1"]


def test_rows_made_as_text_are_the_rows_made_as_elements():
    data = part([1, 2, 3])
    by_element, by_text = StreamSheet(data), StreamSheet(data)
    cols = list(range(len(VALUES)))
    styles = [None if i % 3 == 0 else str(i) for i in cols]
    for i, (col, value) in enumerate(zip(cols, VALUES)):
        by_element.set(4, col, value, style=styles[i])
    assert by_text.can_add(4) and not by_text.can_add(3)
    by_text.add_rows(4, cols, styles, [VALUES])
    assert by_text.to_bytes() == by_element.to_bytes()
    assert b't="inlineStr"><is><t>=SUM(A1:A9)</t>' in by_text.to_bytes()  # text, not formula


def test_a_row_added_as_text_can_be_edited_again():
    sheet = StreamSheet(part([1, 2, 3]))
    sheet.add_rows(4, [0, 1], ["5", None], [["new", 1.5], ["newer", 2.5]])
    sheet.set(5, 1, 9)  # a routine later in the same run patches a new row
    sheet.set(5, 3, "right")
    sheet.clear_rows(4, 4, range(0, 2))
    assert not sheet.can_add(5)
    out = StreamSheet(sheet.to_bytes())
    assert out.cell(4, 0) is not None and len(out.cell(4, 0)) == 0  # emptied, style kept
    assert out.cell(4, 0).get("s") == "5"
    assert out.cell(5, 0).findtext(f".//{{{NS}}}t") == "newer"
    assert out.cell(5, 1).findtext(f"{{{NS}}}v") == "9"
    assert out.cell(5, 3).findtext(f".//{{{NS}}}t") == "right"
    assert b'<dimension ref="A1:D5"/>' in sheet.to_bytes()


def styled_part(rows: int, width: int) -> bytes:
    """Rows of cells as Excel writes them: shared strings, numbers, booleans, attributes in
    one order or another, empty styled cells, cells without a style, blank cells left out,
    a column with a style of its own."""
    out = []
    for n in range(1, rows + 1):
        cells = []
        for c in range(width):
            ref, shape = f"{chr(65 + c)}{n}", (n * 7 + c * 3) % 11
            if shape == 0:
                continue  # a blank cell Excel leaves out
            if shape == 1:
                cells.append(f'<c r="{ref}" s="{c + 1}"/>')
            elif shape == 2:
                cells.append(f'<c r="{ref}"><v>{n}</v></c>')  # no style of its own
            elif shape < 6:
                cells.append(f'<c r="{ref}" s="{c + 1}" t="s"><v>{n * c}</v></c>')
            elif shape < 8:
                cells.append(f'<c r="{ref}" t="b" s="{c + 1}"><v>1</v></c>')
            else:
                cells.append(f'<c r="{ref}" s="{c + 1}"><v>{n / 7}</v></c>')
        out.append(f'<row r="{n}" spans="1:{width}" x14ac:dyDescent="0.25">'
                   + "".join(cells) + "</row>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" '
            'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
            '<cols><col min="3" max="4" width="9" style="30"/></cols>'
            f'<sheetData>{"".join(out)}</sheetData></worksheet>').encode()


def canonical(row) -> bytes:
    return etree.tostring(row, method="c14n")


@pytest.mark.parametrize("whole_index", [False, True])
def test_cells_patched_as_text_are_the_cells_set_as_elements(whole_index):
    width = len(VALUES) + 1
    data = styled_part(80, width)
    by_element, by_text = StreamSheet(data), StreamSheet(data)
    if whole_index:  # a run that also inserts rows indexes the part whole (`_rebuilt`)
        by_element.spans, by_text.spans
    rng = random.Random(3)
    rows = [*range(2, 30), *range(30, 80, 3)]  # rows below rows patched, and apart
    edits = [(row, col, rng.choice(VALUES)) for row in rows
             for col in rng.sample(range(width), 8)]
    edits += [(row, col, 1.5) for row, col, _ in edits[::5]]  # some cells twice
    for row, col, value in edits:
        by_element.set(row, col, value, style=by_element.style_for(row, col, 1))
        assert by_text.patch_markup(row, col, value, 1)
    assert not by_text.parsed  # nothing parsed
    ours, theirs = StreamSheet(by_text.to_bytes()), StreamSheet(by_element.to_bytes())
    for row in range(1, 81):
        assert canonical(ours._row(row)) == canonical(theirs._row(row)), row
    untouched = data.split(b'<row r="2"')[0]
    assert by_text.to_bytes().startswith(untouched)  # rows before the first edit: as they were
    assert by_text.to_bytes().count(b"<row ") == 80


def test_a_cell_set_would_treat_differently_is_left_to_set():
    data = (f'<worksheet xmlns="{NS}"><sheetData><row r="1">'
            '<c r="A1" s="1"><f>B1*2</f><v>4</v></c>'  # a formula
            '<c r="C1" s="2" ph="1"><v>3</v></c>'  # an attribute `set` would keep
            '<c s="3"><v>5</v></c></row>'  # a cell without `r`: columns after it unknown
            '<row r="2"/><row r="3"><c r="A3" s="1"><v>1</v></c></row>'
            '<row r="4"><c s="2" r="B4"><v>8</v></c></row></sheetData>'  # `r` not first
            '</worksheet>').encode()
    sheet = StreamSheet(data)
    assert not any(sheet.patch_markup(1, col, 9) for col in (0, 2, 3))
    assert not sheet.patch_markup(2, 0, 9)  # a row written `<row …/>`
    assert not sheet.patch_markup(4, 1, 9)  # not found by `<c r="B4"`, yet it is there
    assert sheet.read_cell(4, 1).findtext(f"{{{NS}}}v") == "8" and 4 in sheet.parsed
    sheet = StreamSheet(data)
    assert not sheet.patch_markup(5, 0, 9)  # no such row
    assert sheet.to_bytes() == data  # nothing changed
    assert sheet.patch_markup(3, 0, "three") and sheet.patch_markup(3, 0, 3.5)  # twice
    assert sheet.patch_markup(3, 2, 7)
    sheet.set(3, 1, "B")  # the row is now parsed from its patched text, and edited as elements
    assert not sheet.patch_markup(3, 0, 6)
    out = StreamSheet(sheet.to_bytes())
    assert [out.cell(3, c).findtext(f"{{{NS}}}v") for c in (0, 2)] == ["3.5", "7"]
    assert "".join(out.cell(3, 1).itertext()) == "B"
    assert out.cell(3, 0).get("s") == "1" and out.cell(1, 0).findtext(f"{{{NS}}}f") == "B1*2"


def test_new_rows_patched_as_text_and_cells_read_back_alone():
    data = styled_part(10, 6)
    by_element, by_text = StreamSheet(data), StreamSheet(data)
    cols, styles = [0, 1, 3], ["1", None, "4"]
    rows = [["a", 1.5, None], ["b", None, dt.date(2026, 11, 22)]]
    by_element.add_rows(11, cols, styles, rows)
    by_text.add_rows(11, cols, styles, rows)
    for row, col, value in [(11, 3, True), (12, 1, "flag"), (12, 5, 7), (11, 0, None)]:
        by_element.set(row, col, value, style=by_element.style_for(row, col, 1))
        assert by_text.patch_markup(row, col, value, 1)
    assert not by_text.created and not by_text.parsed  # still text
    ours, theirs = StreamSheet(by_text.to_bytes()), StreamSheet(by_element.to_bytes())
    for row in (11, 12):
        assert canonical(ours._row(row)) == canonical(theirs._row(row))
    again = StreamSheet(by_text.to_bytes())
    again.locate([2, 11, 12, 40], parse=False)
    keys = [(2, 0), (2, 2), (11, 3), (12, 1), (12, 5), (12, 2), (40, 0)]
    together = again.read_cells(keys)  # the way the self-check reads: in one parse
    for (row, col), read in zip(keys, together):
        alone, parsed = again.read_cell(row, col), theirs.cell(row, col)
        assert (alone is None) == (parsed is None) == (read is None)
        if alone is not None:
            assert canonical(alone) == canonical(parsed) == canonical(read)
    assert not again.parsed
