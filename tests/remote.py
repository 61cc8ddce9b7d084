"""Drive the ribbon macros through xlwings' remote engine, as an xlwings client would.

`payload(path)` is the JSON a client sends for a workbook (every sheet's values from A1, its
Tables); `apply(path, actions)` plays the actions the engine sends back onto the same cells, as
Excel would, so the result can be compared with what FileBook writes for the same routine.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import python_calamine
import xlwings as xw

from shopsheet.book.write.package import Package
from shopsheet.book.write.sheetxml import col_letter
from shopsheet.book.write.tables import read_table


def _client_value(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    return value


def grids(path: Path) -> dict[str, list[list]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names}


def tables(path: Path) -> dict[str, list[dict]]:
    pkg = Package(path.read_bytes(), path.name)
    found = {}
    for sheet in pkg.sheets.values():  # by the title the client sends (a Chinese book's 订单)
        name = sheet.name
        found[name] = []
        for part in sheet.tables:
            t = read_table(part, pkg.read(part))
            first, last = col_letter(t.first_col), col_letter(t.last_col)
            found[name].append({
                "name": t.name, "range_address": f"{first}{t.first_row}:{last}{t.last_row}",
                "header_row_range_address": f"{first}{t.first_row}:{last}{t.first_row}",
                "data_body_range_address": f"{first}{t.first_row + 1}:{last}{t.last_row}",
                "total_row_range_address": None, "show_headers": True, "show_totals": False,
                "table_style": "TableStyleMedium2", "show_autofilter": True})
    return found


def payload(path: Path) -> dict:
    values, found = grids(path), tables(path)
    return {
        "client": "VBA", "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": name, "values": [[_client_value(v) for v in row] for row in rows],
                    "pictures": [], "tables": found.get(name, [])}
                   for name, rows in values.items()],
    }


def apply(path: Path, actions: list[dict]) -> tuple[dict[str, list[list]], dict[str, str]]:
    """The sheets after Excel ran `actions`, and each Table's range after any resize."""
    sheets = grids(path)
    names = list(sheets)
    ranges = {t["name"]: t["range_address"] for ts in tables(path).values() for t in ts}
    for action in actions:
        sheet = names[action["sheet_position"]] if action.get("sheet_position") is not None \
            else None
        if action["func"] == "setValues":
            grid = sheets[sheet]
            for r, row in enumerate(action["values"], start=action["start_row"]):
                while len(grid) <= r:
                    grid.append([""] * len(grid[0]))
                for c, value in enumerate(row, start=action["start_column"]):
                    grid[r].extend([""] * (c + 1 - len(grid[r])))
                    grid[r][c] = _as_excel_stores(value)
        elif action["func"] == "resizeTable":
            index, address = action["args"]
            name = tables(path)[sheet][index]["name"]
            ranges[name] = address.replace("$", "")
    return sheets, ranges


def _as_excel_stores(value):
    """Excel reads a leading apostrophe as 'text', and date strings as dates."""
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?", value):
            return dt.datetime.fromisoformat(value)
    return value
