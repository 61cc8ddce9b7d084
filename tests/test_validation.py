"""`shopops validate`: every problem at once, one plain line each, with the real cell."""

from __future__ import annotations

import json

import pandas as pd
import xlsxwriter
from click.testing import CliRunner

from shopsheet.book import FileBook
from shopsheet.cli import cli
from shopsheet.routines import validate


def break_cells(path) -> None:
    """Put typical mistakes into a good workbook (through the writer: it does not validate)."""
    with FileBook.open(path) as book:
        book.patch("Products", pd.DataFrame({
            "current_stock": [-3, 45], "cost": [35.0, "abc"], "sku": ["A001", "A001"],
            "status": ["active", "sold out"], "lead_time": [7, 2.5]}, index=[2, 3]))
        book.append("Orders", pd.DataFrame({
            "order_id": ["P1", None, "P3", "P3"], "line": [1, 1, 1, 1],
            "created": [pd.Timestamp("2026-11-20 21:00"), pd.Timestamp("2026-11-20 21:00"),
                        "yesterday", pd.Timestamp("2026-11-20 22:00")],
            "status": ["shiped", "paid", "paid", "paid"], "sku": ["Z999", "A001", "C003", "C003"],
            "qty": [1, 0, 1, 1]}))
        settings = book.read("Settings").frame
        row = settings.index[settings["key"] == "Sales window days"][0]
        book.patch("Settings", pd.DataFrame({"value": ["thirty"]}, index=[row]))
        book.save()
    return row


def test_every_problem_named_by_cell_column_and_value(new_book):
    settings_row = break_cells(new_book)
    with FileBook.open(new_book) as book:
        lines = [str(p) for p in validate(book).problems]
    assert lines == [
        f"Settings!B{settings_row} (Sales window days): got 'thirty', expected a whole number",
        "Products!B2 (SKU): got 'A001', expected a SKU used only once (also in row 3)",
        "Products!C2 (Current Stock): got -3, expected a whole number ≥ 0",
        "Products!B3 (SKU): got 'A001', expected a SKU used only once (also in row 2)",
        "Products!F3 (Cost): got 'abc', expected an amount of money ≥ 0",
        "Products!J3 (Lead Time): got 2.5, expected a whole number ≥ 0",
        "Products!N3 (Status): got 'sold out', expected one of active, new, paused, discontinued",
        "Orders!H2 (Status): got 'shiped', expected one of pending, paid, shipped, delivered, "
        "cancelled, refunded",
        # Z999 in Orders!R2 is no problem: an order line keeps the code its export gave, and
        # one no Products SKU or Listings row names is flagged unmapped, not refused
        "Orders!A3 (Order ID): got a blank cell, expected a value (Order ID is required)",
        "Orders!T3 (Qty): got 0, expected a whole number ≥ 1",
        "Orders!D4 (Created): got 'yesterday', expected a date and time",
        "Orders!B5 (Line): got 1, expected a line number not used before in order P3",
        # the opening count of B002, whose SKU the user just renamed to A001:
        "StockLedger!B3 (SKU): got 'B002', expected a SKU listed in Products",
    ]


def test_cli_prints_one_line_each_and_exits_1(new_book):
    break_cells(new_book)
    result = CliRunner().invoke(cli, ["validate", str(new_book)])
    assert result.exit_code == 1
    out = result.output.splitlines()
    assert "Products!C2 (Current Stock): got -3, expected a whole number ≥ 0" in out
    assert out[-1] == "Validation: 13 problems found"


def test_cli_json(new_book):
    break_cells(new_book)
    result = CliRunner().invoke(cli, ["validate", "--json", str(new_book)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    cost = next(p for p in report["problems"] if p["column"] == "Cost")
    assert (cost["sheet"], cost["cell"], cost["got"], cost["expected"]) == \
        ("Products", "F3", "'abc'", "an amount of money ≥ 0")
    assert report["ok"] is False and len(report["problems"]) == 13


def test_a_missing_required_header_is_named(tmp_path):
    path = tmp_path / "old.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Products")
    ws.write_row(0, 0, ["Product", "Item code", "Current Stock"])
    ws.write_row(1, 0, ["Mug", "B002", 4])
    wb.close()
    with FileBook.open(path) as book:
        problems = [str(p) for p in validate(book).problems]
    assert ("Products (SKU): required column 'SKU' is missing (looked for a "
            "header SKU / 商品编码 / 商家编码 / 货号 in row 1)") in problems
    assert "Orders: the workbook has no Orders sheet" in problems


def test_a_fresh_workbook_is_valid(new_book):
    result = CliRunner().invoke(cli, ["validate", str(new_book)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Validation: all 18 sheets are valid")


def test_text_is_stripped_the_same_in_bulk_as_cell_by_cell():
    """The bulk path skips `strip()` when no text needs it; it must decide exactly as
    stripping each cell would (white space of any kind, empty texts, NUL inside a text)."""
    import random

    from shopsheet.validation import _fast

    rng = random.Random(5)
    alphabet = ["a", "b", " ", "\t", "\u3000", "\xa0", "\x00", "\n", "好", "\x1c", ""]
    for _ in range(3000):
        cells = [None if r < 0.1 else 3.5 if r < 0.15 else
                 "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 4)))
                 for r in (rng.random() for _ in range(rng.randrange(0, 6)))]
        want = [v.strip() or None if type(v) is str else None for v in cells]
        out, _ = _fast(pd.Series(cells, dtype=object), "text")
        assert list(out) == want
        texts = [None if type(v) is not str else v for v in cells]
        for storage in ("pyarrow", "python"):  # text a typed reader gives, or a routine writes
            out, _ = _fast(pd.Series(texts, dtype=pd.StringDtype(storage)), "text")
            assert [None if pd.isna(v) else v for v in out] == want


def test_text_read_as_pandas_strings_is_stripped_as_str_strip_would():
    """Text a typed reader gives (pandas strings) is taken as it is unless a cell is empty or
    its first or last character is white space `str.strip` takes off: every such character is
    known (none lies above U+3000), and each one alone, at either end, is stripped."""
    import sys

    from shopsheet.validation import _SPACES, _fast

    everything = (chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    assert _SPACES == [c for c in everything if c.isspace()]
    cases = [[c + "a", "b"] for c in _SPACES] + [["b", "a" + c] for c in _SPACES] + [
        ["", "b"], ["a b", "a\nb", None], ["\u200ba", "a\ufeff", "好"]]
    for storage in ("pyarrow", "python"):
        for texts in cases:
            out, slow = _fast(pd.Series(texts, dtype=pd.StringDtype(storage)), "text")
            want = [None if t is None else t.strip() or None for t in texts]
            assert [None if pd.isna(v) else v for v in out] == want, (storage, texts)
            assert not slow.any()


def test_settings_typos_are_named_by_cell_and_setting(new_book):
    typed = {"Platform commission %": 5, "Service level": "95%", "Daily routine time": "7.30am",
             "Weekly report time": "noon", "Report recipients": "owner@shop.example, nobody",
             "ABC cut-off A": 80, "Inbox folder": "orders?"}
    with FileBook.open(new_book) as book:
        settings = book.read("Settings").frame
        rows = {k: settings.index[settings["key"] == k][0] for k in typed}
        book.patch("Settings", pd.DataFrame({"value": list(typed.values())},
                                            index=list(rows.values())))
        book.save()
        problems = [str(p) for p in validate(book).problems]
        understood, _ = book.settings()
    assert problems == [
        f"Settings!B{rows['Platform commission %']} (Platform commission %): got 5, expected a "
        "percentage from 0% to 100% — did you mean 5 %? type 5% or 0.05",
        f"Settings!B{rows['ABC cut-off A']} (ABC cut-off A): got 80, expected a percentage from "
        "0% to 100% — did you mean 80 %? type 80% or 0.8",
        f"Settings!B{rows['Inbox folder']} (Inbox folder): got 'orders?', expected a folder, "
        "beside the workbook (inbox) or a full path (D:\\Shop\\inbox), without < > \" | ? *",
        f"Settings!B{rows['Report recipients']} (Report recipients): got 'owner@shop.example, "
        "nobody', expected e-mail addresses separated by commas, such as owner@shop.example",
        f"Settings!B{rows['Weekly report time']} (Weekly report time): got 'noon', expected a "
        "time of day such as 07:30 or 7.30am",
    ]
    assert understood.daily_time == "07:30" and round(understood.service_level, 4) == 0.95


def test_a_formula_error_in_a_cell_is_named(new_book):
    """`#DIV/0!` reads as blank to the readers; validate names it by cell."""
    import re
    import zipfile

    with zipfile.ZipFile(new_book) as zf:
        entries = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(new_book, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if info.filename == "xl/worksheets/sheet2.xml":  # Products
                data = re.sub(rb'<c r="C2"([^>]*?)(/>|>.*?</c>)',
                              lambda m: b'<c r="C2"' + re.sub(rb' t="[^"]*"', b"", m.group(1))
                              + b' t="e"><f>B2/0</f><v>#DIV/0!</v></c>', data, count=1)
            zf.writestr(info, data)
    with FileBook.open(new_book) as book:
        problems = [str(p) for p in validate(book).problems]
    assert problems == ["Products!C2 (Current Stock): got '#DIV/0!', expected a value, not a "
                        "formula error: fix the formula or type the value"]
