"""One function per user action: read → validate → core → write → log.

The CLI, the scheduler and the ribbon macros all call these, with whichever Book they have.
A routine returns a `Result` (a summary line in the operations guide's words, the problems
found, figures for the caller to show); problems in the input mean nothing is written.
"""

from __future__ import annotations

import datetime as dt
import getpass
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from shopsheet.book.base import Book, SheetData
from shopsheet.book.create import create_workbook
from shopsheet.core.problems import Problem, reading_order
from shopsheet.core.references import duplicate_lines, unknown_skus
from shopsheet.settings import read_settings
from shopsheet.sheets import SHEETS
from shopsheet.starter import starter_data

SKU_SHEETS = ("Orders", "StockLedger", "PurchaseOrders", "Returns")


@dataclass
class Result:
    routine: str
    summary: str
    problems: list[Problem] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def init_workbook(path: Path, today: dt.date) -> Result:
    """A new workbook with every sheet, default Settings and the guide's example products."""
    data = starter_data(today)
    create_workbook(Path(path), data)
    return Result("init", f"Created {Path(path).name}: {len(SHEETS)} sheets, "
                          f"{len(data['Products'])} example products, default settings",
                  figures={"sheets": len(SHEETS), "products": len(data["Products"])})


def read_sheets(book: Book, names: tuple[str, ...] = tuple(SHEETS)) -> tuple[
        dict[str, SheetData], list[Problem]]:
    """Read and check the named sheets plus the cross-sheet rules among them."""
    sheets = {name: book.read(name) for name in names}
    problems = [p for data in sheets.values() for p in data.problems]
    settings = sheets.get("Settings")
    if settings is not None and settings.layout is not None and "value" in settings.raw:
        problems += read_settings(settings.raw, settings.layout.letters)[1]
    problems += _cross_sheet_problems(sheets)
    return sheets, reading_order(problems, list(SHEETS))


def _cross_sheet_problems(sheets: dict[str, SheetData]) -> list[Problem]:
    products = sheets.get("Products")
    found = []
    if products is not None and products.layout is not None and "sku" in products.frame:
        for name in SKU_SHEETS:
            data = sheets.get(name)
            if data is not None and data.layout is not None and "sku" in data.layout.columns:
                found.append((data, unknown_skus(products.frame, data.frame)))
    orders = sheets.get("Orders")
    if orders is not None and orders.layout is not None and "line" in orders.layout.columns:
        found.append((orders, duplicate_lines(orders.frame)))
    problems = []
    for data, issues in found:
        for issue in issues.itertuples(index=False):
            col = data.spec.column(issue.column)
            problems.append(Problem(data.spec.name, f"{data.layout.letter(issue.column)}{issue.row}",
                                    col.label, issue.value, issue.expected))
    return problems


def validate(book: Book) -> Result:
    """Every problem in the workbook at once; writes nothing."""
    sheets, problems = read_sheets(book)
    rows = sum(len(d.frame) for d in sheets.values())
    if problems:
        summary = f"Validation: {len(problems)} problem{'s' * (len(problems) != 1)} found"
    else:
        summary = f"Validation: all {len(sheets)} sheets are valid ({rows} rows checked)"
    return Result("validate", summary, problems, {"sheets": len(sheets), "rows": rows})


def log_line(book: Book, result: Result, now: dt.datetime) -> None:
    """Buffer one Log row for `result` (saved with the routine's other changes)."""
    book.append("Log", pd.DataFrame([{
        "time": pd.Timestamp(now).floor("s"),
        "routine": result.routine,
        "summary": result.summary,
        "problems": len(result.problems),
        "run_by": f"{getpass.getuser()}@{platform.node()}",
    }]))
