"""Read an export file into raw tables of text cells, whatever its container.

CSV files come from Chinese back ends in UTF-8 (with or without BOM) or GBK/GB18030; spreadsheet
exports as .xlsx/.xls, sometimes with several sheets. Every cell is read as text (order ids must
never become numbers), headers are stripped of the trailing spaces back ends leave.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
from pathlib import Path

import pandas as pd
import python_calamine

from shopsheet.book.write.sheetxml import ILLEGAL_XML
from shopsheet.core.errors import BadInput
from shopsheet.core.language import _
from shopsheet.importers.base import Tables
from shopsheet.importers.limits import DEFAULT_MB, MAX_ROWS, TooBig, check_size, too_many_rows

ENCODINGS = ("utf-8-sig", "gb18030")
csv.field_size_limit(1 << 30)  # a buyer's note may be long; csv's own limit is 128 KiB


class FileProblem(BadInput):
    """A file that cannot be read at all (not a table, wrong encoding...)."""


def decode(data: bytes, name: str) -> str:
    """The text of a CSV: UTF-16 (Excel's "Unicode text"; with a byte-order mark, or told by
    its zero bytes), else UTF-8 (with or without BOM), else GBK/GB18030."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if len(head) >= 16 and head[1::2].count(0) > len(head) // 4:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16-le")
    if len(head) >= 16 and head[0::2].count(0) > len(head) // 4:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16-be")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("{file}: not UTF-8 or GBK text; save it again as CSV (UTF-8)").format(
        file=name))


def read_tables(path: Path, limit_mb: int = DEFAULT_MB) -> Tables:
    """The file's tables of text, headers stripped, each named as problems will call it: the
    file's name (a CSV, or a workbook of one sheet), else `file [sheet]`.

    Each table's index is the row number as the user sees it in the file (header = row 1).
    """
    path = Path(path)
    try:
        check_size(path, limit_mb)
    except TooBig as err:
        raise FileProblem(str(err)) from None
    if path.suffix.lower() in (".csv", ".txt"):
        text = decode(path.read_bytes(), path.name)
        try:
            counted = sum(1 for _unused in itertools.islice(  # counted first: nothing kept
                csv.reader(io.StringIO(text, newline="")), MAX_ROWS + 1))
            if counted > MAX_ROWS:
                raise FileProblem(str(too_many_rows(path.name, counted)))
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as err:  # NUL bytes, a quote left open…
            raise FileProblem(_("{file}: not a CSV file ShopOps can read ({error}); save it again "
                                "as CSV (UTF-8)").format(file=path.name, error=err)) from None
        return Tables({path.name: _table(rows)})
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises several kinds for a file that is not a workbook
        raise FileProblem(_("{file}: cannot be read as a spreadsheet ({error})").format(
            file=path.name, error=err)) from None
    names = book.sheet_names
    tables = {}
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception as err:  # a workbook listing a sheet it does not hold
            raise FileProblem(_("{file}: its sheet {sheet!r} cannot be read ({error}); save it "
                                "again from the back end or Excel").format(
                file=path.name, sheet=name, error=err)) from None
        if sheet.total_height > MAX_ROWS:
            raise FileProblem(str(too_many_rows(path.name, sheet.total_height)))
        tables[path.name if len(names) == 1 else f"{path.name} [{name}]"] = _table(
            [[_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)])
    return Tables(tables)


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return "" if value is None else str(value)


def _comment(row: list) -> bool:
    """A line of one cell beginning with `#`: the title, account and period lines Alipay
    writes above its table and the end and totals lines below it."""
    filled = [c for c in row if str(c).strip()]
    return len(filled) == 1 and str(row[0]).lstrip().startswith("#")


def _table(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text → a table; characters no workbook can hold (control characters) are
    dropped here, so what an import checks is what the workbook will keep."""
    rows = [[ILLEGAL_XML.sub("", c) if isinstance(c, str) else c for c in r] for r in rows]
    rows = [r for r in rows if not _comment(r)]
    while rows and not any(str(c).strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        return pd.DataFrame()
    header = [str(h).strip() for h in rows[0]]
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
    frame = pd.DataFrame([r[:len(header)] for r in body], columns=header, dtype="object")
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    frame = frame.loc[:, [bool(h) for h in header]]
    repeated = list(dict.fromkeys(frame.columns[frame.columns.duplicated()]))
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame.attrs["repeated"] = repeated  # headers written twice: which column counts is unknown
    return frame[frame.apply(lambda r: any(str(v).strip() for v in r), axis=1)] if len(frame) \
        else frame
