"""A problem found in a sheet or a file, named the way a shop owner finds it: sheet, cell, column.

Routines and checks return problems instead of raising (beancount's `(entries, errors)`), so a
bad workbook gets every problem at once and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from shopsheet.core.language import _


@dataclass(frozen=True)
class Problem:
    """One thing wrong, e.g. `Products!C7 (Current Stock): got -3, expected a whole number ≥ 0`.

    `cell` is an A1 address when the problem sits in one cell, else empty (a missing column, a
    whole sheet). `got` is the offending value as the user typed it, `expected` plain words.
    """

    sheet: str
    cell: str = ""
    column: str = ""
    got: Any = None
    expected: str = ""
    message: str = ""

    @property
    def where(self) -> str:
        """`Products!C7` for a cell (`商品!C7` in Chinese); `orders.csv, row 7` for a line
        of a file."""
        sheet = _(self.sheet) if self.sheet else self.sheet  # a sheet's name, or a file's
        if not self.cell:
            return sheet
        if re.match(r"[A-Z]+\d+$", self.cell):
            return f"{sheet}!{self.cell}"
        row = re.fullmatch(r"row (\d+)", self.cell)  # a line of a file, as importers name it
        if row:
            return _("{file}, row {row}").format(file=sheet, row=row.group(1))
        return f"{sheet}, {self.cell}"

    def __str__(self) -> str:
        column = _(self.column) if self.column else ""
        if self.message:
            if column:
                return _("{where} ({column}): {message}").format(
                    where=self.where, column=column, message=self.message)
            return _("{where}: {message}").format(where=self.where, message=self.message)
        if column:
            return _("{where} ({column}): got {got}, expected {expected}").format(
                where=self.where, column=column, got=show_value(self.got),
                expected=self.expected)
        return _("{where}: got {got}, expected {expected}").format(
            where=self.where, got=show_value(self.got), expected=self.expected)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["got"] = None if self.got is None else show_value(self.got)
        data["text"] = str(self)
        return data


def reading_order(problems: list[Problem], sheets: list[str]) -> list[Problem]:
    """Sheet by sheet in workbook order, then row by row, left to right: how a user reads."""
    def key(problem: Problem) -> tuple:
        match = re.match(r"([A-Z]+)(\d+)$", problem.cell)
        sheet = sheets.index(problem.sheet) if problem.sheet in sheets else len(sheets)
        if not match:
            return (sheet, 0, 0, "")
        letters, row = match.groups()
        return (sheet, int(row), len(letters), letters)
    return sorted(problems, key=key)


def show_value(value: Any) -> str:
    """A value as the user would recognise it: blanks named, text quoted, whole floats as ints."""
    if value is None or (isinstance(value, float) and value != value):
        return _("a blank cell")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value) if value.strip() else _("a blank cell")
    if hasattr(value, "isoformat"):
        text = value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
        return text.removesuffix(" 00:00:00")
    return str(value)


SHOWN_ALIKE = 20  # problems of one kind listed one by one; the rest counted


def summarised(problems: list[Problem], limit: int = SHOWN_ALIKE) -> list[str]:
    """Problems as lines to show, each kind (same file or sheet, column and expectation) at
    most `limit` times and then counted: a million bad rows read as 20 lines and a total,
    not a million lines."""
    lines, seen, more = [], {}, {}
    for problem in problems:
        kind = (problem.sheet, problem.column, problem.expected, problem.message
                if not problem.cell else "")
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= limit:
            lines.append(str(problem))
        else:
            more[kind] = more.get(kind, 0) + 1
    for (sheet, column, expected, message), n in more.items():
        where = _(sheet) + (" ({column})".format(column=_(column)) if column else "")
        line = _("{where} … and {n} more like these").format(where=where, n=f"{n:,}")
        lines.append(line + (_(" (expected {expected})").format(expected=expected)
                             if expected else ""))
    return lines
