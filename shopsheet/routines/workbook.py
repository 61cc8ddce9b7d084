"""Routines on the workbook as a whole: make a new one, validate one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopsheet.book.base import Book
from shopsheet.book.make.create import create_workbook
from shopsheet.core.language import CHINESE, ENGLISH, _, current, language_of, ngettext
from shopsheet.core.problems import Problem, reading_order
from shopsheet.routines.common import Result, dated_later, read_sheets
from shopsheet.sheets import SHEETS
from shopsheet.starter import starter_data


def init_workbook(path: Path, today: dt.date, *, language: str | None = None) -> Result:
    """A new workbook with every sheet, default Settings and the guide's example products;
    an .xlsm also carries the ShopOps ribbon tab, its VBA and the xlwings.conf sheet. In
    Chinese (`language` zh-CN; by default the language spoken now) its sheets, headers,
    drop-downs, settings and examples are Chinese."""
    path = Path(path)
    chinese = (language_of(language) or current()) == CHINESE
    data = starter_data(today, chinese)
    macro = path.suffix.lower() == ".xlsm"
    create_workbook(path, data, finish=with_users_face(path.name, chinese) if macro else None,
                    chinese=chinese)
    alerts = [] if macro else [
        _("{name} has no ShopOps tab: an .xlsx cannot hold macros. `shopops upgrade {name}` "
          "makes an .xlsm with the tab beside it").format(name=path.name)]
    summary = _("Created {name}: {sheets} sheets, {products} example products, default "
                "settings").format(name=path.name, sheets=len(SHEETS),
                                   products=len(data["Products"]))
    if macro:
        summary += _(", the ShopOps ribbon tab")
    return Result("init", summary,
                  figures={"sheets": len(SHEETS), "products": len(data["Products"]),
                           "language": CHINESE if chinese else ENGLISH},
                  alerts=alerts, changed=True)


def with_users_face(name: str, chinese: bool = False):
    """What `create_workbook` runs on a new .xlsm's package: the ShopOps face, with the
    interpreter paths of the Python running ShopOps (the ribbon in the book's language)."""
    from shopsheet.excel.build import users_face
    from shopsheet.excel.face import with_face

    return lambda data: with_face(data, name, users_face(), chinese).data


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
                                     _("a value, not a formula error: fix the formula or type "
                                       "the value")))
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
        summary = ngettext("Validation: {n} problem found", "Validation: {n} problems found",
                           len(problems)).format(n=len(problems))
    else:
        summary = _("Validation: all {sheets} sheets are valid ({rows} rows checked)").format(
            sheets=len(sheets), rows=rows)
    return Result("validate", summary, problems, {"sheets": len(sheets), "rows": rows})
