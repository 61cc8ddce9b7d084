"""Every importer against cells it did not expect: real-format files with any cells replaced by
arbitrary text. Reading never ends in a traceback; it gives problems naming file and row, or
lines that the Orders sheet's own model accepts (so an import can never write a bad book)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopsheet.importers import read_orders, read_settlements
from shopsheet.importers.conform import conform
from tests.test_importers import XHS_HEADERS, XHS_ROWS, xhs_file

DATA = Path(__file__).parent / "data"
ZONE = ZoneInfo("Asia/Shanghai")
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
ODD = st.one_of(TEXT, st.sampled_from(["", "0", "-1", "1e20", "9999-12-31 00:00", "=1+1",
                                       "NaN", "¥-5", "交易关闭", "refunded", "2026/13/40"]))
CSV_EXPORTS = [("shopify_orders_real_layout.csv",), ("generic_orders_zh.csv",),
               ("taobao_订单报表.csv", "taobao_宝贝报表.csv")]


def rows_of(path: Path) -> tuple[list[list[str]], str]:
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "gb18030", raw.decode("gb18030")
    return list(csv.reader(io.StringIO(text, newline=""))), encoding


def mutated(rows: list[list[str]], edits: list[tuple[int, int, str]]) -> list[list[str]]:
    rows = [list(r) for r in rows]
    for r, c, value in edits:
        row = rows[1 + r % (len(rows) - 1)]
        row[c % len(row)] = value
    return rows


def assert_sound(batch) -> None:
    if batch.problems:
        assert all(p.sheet and str(p) for p in batch.problems)
    else:
        assert conform(batch.lines) == []


EDITS = st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99), ODD), min_size=1,
                 max_size=6)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(export=st.sampled_from(CSV_EXPORTS), which=st.integers(0, 1), edits=EDITS)
def test_csv_exports_with_any_cells(tmp_path_factory, export, which, edits):
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for k, name in enumerate(export):
        rows, encoding = rows_of(DATA / name)
        if k == which % len(export):
            rows = mutated(rows, edits)
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        path = folder / name
        path.write_bytes(out.getvalue().encode("utf-8-sig" if encoding == "utf-8-sig" else
                                               "utf-8"))
        paths.append(path)
    assert_sound(read_orders(paths, None, ZONE))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_xiaohongshu_workbook_with_any_cells(tmp_path_factory, edits):
    rows = mutated([XHS_HEADERS] + [list(r) for r in XHS_ROWS], edits)
    path = xhs_file(tmp_path_factory.mktemp("xhs"), rows[1:])
    assert_sound(read_orders([path], None, ZONE))


# Whole files as hostile as a back end or a hand can make them: any encoding a Chinese shop's
# machine writes, mixed line endings, cells past what Excel and pandas hold.
HOSTILE = st.one_of(
    ODD,
    st.sampled_from(["0001-01-01 00:00", "2263-01-01 00:00", "1899-12-31 10:00",
                     "99999999999999999999", "-9223372036854775809", "1e308", "inf",
                     "¥1,2,3", "1,299.00", "=HYPERLINK(\"x\")", "\x00", "\u202e", "　"]),
    st.builds(lambda n: "长" * n, st.sampled_from([10, 32_767, 32_768, 40_000])))
HEADERS = ["Order ID", "Line", "Created", "Status", "Qty", "SKU", "Unit Price", "Customer"]
GOOD = ["H1", "1", "2026-11-20 10:00", "paid", "1", "A001", "10", "王芳"]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 7), HOSTILE), max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       endings=st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
def test_hostile_whole_files(tmp_path_factory, cells, encoding, endings):
    rows = [list(HEADERS)] + [[*GOOD[:1], str(n + 1), *GOOD[2:]] for n in range(3)]
    for r, c, value in cells:
        rows[1 + r][c] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    text = out.getvalue()
    if endings == "mixed":
        parts = text.split("\n")
        text = "".join(p + ("\r\n" if i % 2 else "\r") for i, p in enumerate(parts[:-1]))
    else:
        text = text.replace("\n", endings)
    path = tmp_path_factory.mktemp("hostile") / "orders.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:  # a character GBK has no code for: not a file a shop makes
        return
    batch = read_orders([path], None, ZONE)  # never raises
    assert_sound(batch)
    for problem in batch.problems:  # every problem names the file
        assert problem.sheet == "orders.csv" and str(problem).startswith("orders.csv")
    if not batch.problems:
        longest = batch.lines.map(lambda v: len(v) if isinstance(v, str) else 0)
        assert longest.max().max() <= 32_767 if len(longest) else True


SETTLEMENT_FILES = ["shopify_payment_transactions.csv", "alipay_账务明细.csv",
                    "wechat_pay_交易账单.csv", "xiaohongshu_结算明细.csv"]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(SETTLEMENT_FILES), edits=EDITS)
def test_settlement_files_with_any_cells(tmp_path_factory, name, edits):
    """Any cell of a real-layout settlement file replaced: problems naming the file and row,
    or rows the Settlements sheet's model accepts, each with Net = Gross + Fee exactly."""
    rows, encoding = rows_of(DATA / name)
    table = [i for i, r in enumerate(rows) if len(r) > 3][0]  # below Alipay's `#` lines
    head, body = rows[:table + 1], [r for r in rows[table + 1:] if len(r) > 3]
    edited = mutated([head[-1]] + body, edits)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(head[:-1] + edited)
    path = tmp_path_factory.mktemp("settle") / name
    try:
        path.write_bytes(out.getvalue().encode(encoding))
    except UnicodeEncodeError:
        return
    batch = read_settlements([path], ZONE)
    if batch.problems:
        assert all(p.sheet == name and str(p).startswith(name) for p in batch.problems)
        return
    assert conform(batch.lines, "Settlements") == []
    cents = batch.lines[["gross", "fee", "net"]].map(lambda v: round(v * 100))
    assert (cents["gross"] + cents["fee"] == cents["net"]).all()
