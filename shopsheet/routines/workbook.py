"""Routines on the workbook as a whole: make a new one, validate one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.book.create import create_workbook
from shopsheet.routines.common import Result, read_sheets
from shopsheet.sheets import SHEETS
from shopsheet.starter import starter_data


def init_workbook(path: Path, today: dt.date) -> Result:
    """A new workbook with every sheet, default Settings and the guide's example products."""
    data = starter_data(today)
    create_workbook(Path(path), data)
    return Result("init", f"Created {Path(path).name}: {len(SHEETS)} sheets, "
                          f"{len(data['Products'])} example products, default settings",
                  figures={"sheets": len(SHEETS), "products": len(data["Products"])})


def validate(book: Book) -> Result:
    """Every problem in the workbook at once; writes nothing."""
    sheets, problems = read_sheets(book)
    rows = sum(len(d.frame) for d in sheets.values())
    if problems:
        summary = f"Validation: {len(problems)} problem{'s' * (len(problems) != 1)} found"
    else:
        summary = f"Validation: all {len(sheets)} sheets are valid ({rows} rows checked)"
    return Result("validate", summary, problems, {"sheets": len(sheets), "rows": rows})
