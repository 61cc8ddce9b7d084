"""StreamSheet finds rows in a large part without indexing it whole: bisection for one row,
one forward walk per run of nearby rows. Checked here against the full index, on a part with
the shapes real writers produce (attributes in any order, empty rows, rows left out)."""

from __future__ import annotations

import datetime as dt
import random
import zlib

import pytest

from shopsheet.book.sheetstream import StreamSheet
from shopsheet.book import zipcopy

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
