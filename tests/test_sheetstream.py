"""StreamSheet finds rows in a large part without indexing it whole: bisection for one row,
one forward walk per run of nearby rows. Checked here against the full index, on a part with
the shapes real writers produce (attributes in any order, empty rows, rows left out)."""

from __future__ import annotations

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
