"""Routines on the workbook as a whole: make a new one, validate one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.book.make.create import create_workbook
from shopsheet.core.problems import Problem, reading_order
from shopsheet.routines.common import Result, dated_later, read_sheets
from shopsheet.sheets import SHEETS
from shopsheet.starter import starter_data


def init_workbook(path: Path, today: dt.date) -> Result:
    """A new workbook with every sheet, default Settings and the guide's example products;
    an .xlsm also carries the ShopOps ribbon tab, its VBA and the xlwings.conf sheet."""
    path = Path(path)
    data = starter_data(today)
    macro = path.suffix.lower() == ".xlsm"
    create_workbook(path, data, finish=with_users_face(path.name) if macro else None)
    alerts = [] if macro else [f"{path.name} has no ShopOps tab: an .xlsx cannot hold macros. "
                               f"`shopops upgrade {path.name}` makes an .xlsm with the tab beside it"]
    return Result("init", f"Created {path.name}: {len(SHEETS)} sheets, "
                          f"{len(data['Products'])} example products, default settings"
                          + (", the ShopOps ribbon tab" if macro else ""),
                  figures={"sheets": len(SHEETS), "products": len(data["Products"])},
                  alerts=alerts, changed=True)


def with_users_face(name: str):
    """What `create_workbook` runs on a new .xlsm's package: the ShopOps face, with the
    interpreter paths of the Python running ShopOps."""
    from shopsheet.excel.build import users_face
    from shopsheet.excel.face import with_face

    return lambda data: with_face(data, name, users_face()).data


def formula_errors(book: Book, sheets: dict) -> list[Problem]:
    """Cells of ShopOps' columns showing a formula error: read as blank, they would pass."""
    found = []
    for name, data in sheets.items():
        if data.layout is None:
            continue
        by_letter = {letter: data.spec.column(col).label
                     for col, letter in data.layout.letters.items()
                     if any(c.name == col for c in data.spec.columns)}
        for ref, error in book.error_cells(name):
            letter = ref.rstrip("0123456789")
            if letter in by_letter and int(ref[len(letter):]) > data.layout.header_row:
                found.append(Problem(name, ref, by_letter[letter], error,
                                     "a value, not a formula error: fix the formula or type "
                                     "the value"))
    return found


def validate(book: Book, now: dt.datetime | None = None) -> Result:
    """Every problem in the workbook at once (with `now`, also movements and receipts dated
    after it); writes nothing."""
    sheets, problems = read_sheets(book)
    problems = reading_order(problems + formula_errors(book, sheets)
                             + (dated_later(sheets, now) if now is not None else []),
                             list(SHEETS))
    rows = sum(len(d.frame) for d in sheets.values())
    if problems:
        summary = f"Validation: {len(problems)} problem{'s' * (len(problems) != 1)} found"
    else:
        summary = f"Validation: all {len(sheets)} sheets are valid ({rows} rows checked)"
    return Result("validate", summary, problems, {"sheets": len(sheets), "rows": rows})
