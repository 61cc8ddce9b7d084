"""Property: whatever an Orders-header CSV holds, an import either refuses it (writing nothing)
or leaves a workbook that `validate` accepts. Hypothesis writes the files: the Orders sheet's
headers (English or Chinese, any subset and order, always the required ones), cells of
arbitrary text mixed with the words, numbers and dates real files carry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shopsheet import routines
from shopsheet.book import FileBook
from shopsheet.sheets import SHEETS

NOW = dt.datetime(2026, 11, 21, 8, 0)
COLUMNS = [c for c in SHEETS["Orders"].columns if not c.computed]
REQUIRED = [c for c in COLUMNS if c.required]
OPTIONAL = [c for c in COLUMNS if not c.required]

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
PLAUSIBLE = st.sampled_from([
    "", " ", "paid", "shipped", "已付款", "待付款", "refunded", "maybe", "xiaohongshu", "RED", "淘宝",
    "generic", "抖音", "shopify", "1", "2", "0", "-3", "1e20", "2.5", "¥1,299.00", "89", "NaN",
    "2026-11-20 21:05", "2026/11/20", "9999-12-31", "0001-01-01", "yesterday", "=1+1", "+86 138",
    "@sum", "A001", "Z999", "#1001", "P778899001122334455",
])
CELL = st.one_of(PLAUSIBLE, TEXT)


GOOD = {  # what each kind of column usually holds; any cell may hold anything else instead
    "whole": st.sampled_from(["1", "2", "3", " 1 "]),
    "money": st.sampled_from(["89", "¥1,299.00", "0", "12.5", ""]),
    "datetime": st.sampled_from(["2026-11-20 21:05", "2026/11/20", "2026-11-20"]),
    "yesno": st.sampled_from(["yes", "是", "no", ""]),
    "text": TEXT,
}
WORDS = {"status": st.sampled_from(["paid", "shipped", "已付款", "待付款", "refunded", "pending"]),
         "order_id": st.sampled_from(["#1001", "P1", "2817334567890123456", "P2"])}


def cell(column) -> st.SearchStrategy[str]:
    """Mostly what the column's kind holds (any text for channel, customer, address…), now
    and then anything at all."""
    good = WORDS.get(column.name, GOOD.get(column.kind.name, TEXT))
    return st.integers(0, 12).flatmap(lambda n: CELL if n == 0 else good)


@st.composite
def orders_csv(draw) -> str:
    extra = draw(st.lists(st.sampled_from(OPTIONAL), unique_by=lambda c: c.name, max_size=8))
    columns = draw(st.permutations(REQUIRED + extra))
    headers = [draw(st.sampled_from([c.label, c.zh])) for c in columns]
    rows = draw(st.lists(st.tuples(*(cell(c) for c in columns)), min_size=1, max_size=4))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ShopOps.xlsm"
    routines.init_workbook(path, NOW.date())
    return path


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=orders_csv())
def test_an_import_that_succeeds_leaves_a_valid_workbook(template, tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("case")
    book_path = folder / "ShopOps.xlsm"
    shutil.copy(template, book_path)
    export = folder / "orders.csv"
    export.write_text(text, encoding="utf-8")
    before = book_path.read_bytes()
    with FileBook.open(book_path) as book:
        result = routines.import_orders(book, NOW, paths=[export])
    event("imported" if result.ok else "refused")
    if not result.ok:
        assert book_path.read_bytes() == before  # refused: nothing written
        assert all(str(p) for p in result.problems)
        return
    with FileBook.open(book_path) as book:
        checked = routines.validate(book)
    assert checked.ok, [str(p) for p in checked.problems]
