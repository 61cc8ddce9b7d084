"""LiveBook: the Book interface over the workbook open in Excel, through xlwings' Range and
Table API (the same calls work on Windows, macOS and xlwings' remote engine).

Each sheet is read once into a grid; writes are buffered like FileBook's and applied on `save`,
both to Excel and to the grid, so a routine that reads after writing (the daily routine does)
sees its own changes whatever engine is behind the book. Inside `batch()` (the morning) a save
reaches only the grid; Excel gets every write at the end of the block, and none of them when
the block stops — the same all-or-nothing as a FileBook. Text is written with Excel's leading
apostrophe, so `=HYPERLINK(…)` from a customer or a SKU like `007` stays text.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Callable

import pandas as pd

from shopsheet.book.base import Book, BookError, Layout
from shopsheet.book.write.sheetxml import plain
from shopsheet.core.language import _
from shopsheet.sheetnames import names_for


def excel_value(value: Any) -> Any:
    """A cell value for Excel: text marked as text, missing values as empty cells."""
    value = plain(value)
    if isinstance(value, str):
        return "'" + value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def grid_value(value: Any) -> Any:
    """What the grid holds after a write: what Excel shows."""
    value = plain(value)
    return "" if value is None else value


class LiveBook(Book):
    def __init__(self, xl_book, status: Callable[[str], None] | None = None):
        self.xl = xl_book
        self.name = xl_book.name
        self.status = status or (lambda text: None)
        self._grids: dict[str, list[list[Any]]] = {}
        self._layouts: dict[str, Layout] = {}
        self._ops: list[tuple[str, str, pd.DataFrame]] = []
        self._to_excel: list[Callable[[], None]] = []  # saved to the grids, not yet to Excel
        self._batching = False
        self._title_map: dict[str, str] | None = None

    def sheet_names(self) -> list[str]:
        return list(self._titles())

    def _titles(self) -> dict[str, str]:
        """Each sheet's name here → its title in the book (a Chinese book's Orders is 订单),
        asked of Excel once: every write names its sheet, and each question to Excel costs."""
        if self._title_map is None:
            self._title_map = names_for([sheet.name for sheet in self.xl.sheets])
        return self._title_map

    def _sheet(self, sheet: str):
        return self.xl.sheets[self._titles().get(sheet, sheet)]

    def excel_sheet(self, sheet: str):
        """The xlwings sheet ShopOps calls `sheet` (a Chinese book's Log is 日志)."""
        return self._sheet(sheet)

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            sh = self._sheet(sheet)
            last = sh.used_range.last_cell
            values = sh.range((1, 1), (last.row, last.column)).options(ndim=2).value
            self._grids[sheet] = [["" if v is None else v for v in row] for row in values]
        return self._grids[sheet]

    def patch(self, sheet: str, changes: pd.DataFrame) -> None:
        if len(changes) and len(changes.columns):
            self._queue("patch", sheet, changes)

    def append(self, sheet: str, rows: pd.DataFrame) -> None:
        if len(rows):
            self._queue("append", sheet, rows)

    def replace(self, sheet: str, rows: pd.DataFrame) -> None:
        self._queue("replace", sheet, rows)

    def _queue(self, kind: str, sheet: str, frame: pd.DataFrame) -> None:
        self._ops.append((kind, sheet, self.shown(sheet, frame)))
        if sheet == "Settings":
            self._language = None
        self.op_count += 1

    @property
    def pending(self) -> bool:
        return bool(self._ops)

    def discard(self) -> None:
        """Forget what is buffered or held for Excel: the grids are read again from Excel."""
        self._ops, self._to_excel = [], []
        self._grids.clear()
        self._layouts.clear()

    def save(self) -> None:
        self._save_to_grids()
        if not self._batching:
            actions, self._to_excel = self._to_excel, []
            for act in actions:
                act()
            self.status("")

    def _save_to_grids(self) -> None:
        """Apply the buffered changes to the grids; what Excel must do is held in order."""
        ops, self._ops = self._ops, []
        for kind, sheet, frame in ops:
            self._to_excel.append(lambda sheet=sheet: self.status(
                _("ShopOps: writing {sheet}…").format(sheet=_(sheet))))
            layout = self.layout(sheet)
            cols = self._columns(sheet, layout, frame)
            if kind == "patch":
                for row, values in zip(frame.index, frame.itertuples(index=False)):
                    self._write(sheet, int(row), cols, [list(values)])
                continue
            first = layout.header_row + 1
            if kind == "replace":
                old_end = max(layout.last_row, self._table_end(sheet, layout))
                if old_end >= first:
                    blank = [[None] * len(cols)] * (old_end - first + 1)
                    self._write(sheet, first, cols, blank)
                start = first
            else:
                start = layout.last_row + 1
            self._write(sheet, start, cols, [list(r) for r in frame.itertuples(index=False)])
            end = start + len(frame) - 1 if len(frame) else layout.header_row
            layout.last_row = end if kind == "replace" else max(layout.last_row, end)
            last_row, replace = layout.last_row, kind == "replace"
            self._to_excel.append(lambda sheet=sheet, layout=layout, last_row=last_row,
                                  replace=replace:
                                  self._resize_table(sheet, layout, last_row, replace))

    def _columns(self, sheet: str, layout: Layout, frame: pd.DataFrame) -> list[int]:
        unknown = [c for c in frame.columns if c not in layout.columns]
        if unknown:
            raise BookError(_("{sheet} has no column for {columns}; add the header to the "
                              "sheet's table").format(sheet=_(sheet),
                                                      columns=", ".join(map(str, unknown))))
        return [layout.columns[c] for c in frame.columns]

    def _write(self, sheet: str, first_row: int, cols: list[int], rows: list[list[Any]]) -> None:
        """Write `rows` from `first_row` into the 0-based columns `cols`, one Excel call per
        run of adjacent columns."""
        if not rows:
            return
        order = sorted(range(len(cols)), key=lambda i: cols[i])
        runs: list[list[int]] = []
        for i in order:
            if runs and cols[i] == cols[runs[-1][-1]] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            block = [[excel_value(row[i]) for i in run] for row in rows]
            self._to_excel.append(functools.partial(self._set, sheet, first_row,
                                                    cols[run[0]] + 1, block))
        grid = self.grid(sheet)
        width = max(len(grid[0]) if grid else 0, max(cols) + 1)
        while len(grid) < first_row - 1 + len(rows):
            grid.append([""] * width)
        for r, row in enumerate(rows, start=first_row - 1):
            grid[r].extend([""] * (width - len(grid[r])))
            for i, col in enumerate(cols):
                grid[r][col] = grid_value(row[i])

    def _set(self, sheet: str, row: int, col: int, block: list[list[Any]]) -> None:
        self._sheet(sheet).range((row, col)).value = block

    def _table(self, sheet: str, layout: Layout):
        first_col = min(layout.columns.values()) + 1
        for table in self._sheet(sheet).tables:
            header = table.header_row_range
            if header is not None and header.row == layout.header_row and \
                    header.column <= first_col <= header.column + header.columns.count - 1:
                return table
        return None

    def _table_end(self, sheet: str, layout: Layout) -> int:
        table = self._table(sheet, layout)
        return table.range.last_cell.row if table is not None else layout.header_row

    def _resize_table(self, sheet: str, layout: Layout, last_row: int, replace: bool) -> None:
        table = self._table(sheet, layout)
        if table is None:
            return
        rng = table.range
        end = max(last_row, layout.header_row + 1)
        if not replace:
            end = max(end, rng.last_cell.row)
        if end != rng.last_cell.row:
            sh = self._sheet(sheet)
            table.resize(sh.range((rng.row, rng.column), (end, rng.last_cell.column)))
