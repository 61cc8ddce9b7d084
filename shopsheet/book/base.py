"""What every Book offers routines, and the reading both adapters share.

A Book reads a sheet into a DataFrame indexed by Excel row number, with declared columns under
their snake_case names (found by label or alias, in any column order) and the user's own columns
under their header text. Writes are buffered (`patch`, `append`, `replace`) and land together
in `save()`, so a routine that finds a problem half way writes nothing.
"""

from __future__ import annotations

import contextlib
import functools
import re
import weakref
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, TypeVar

import numpy as np
import pandas as pd

from shopsheet.book.write.sheetxml import col_letter
from shopsheet.core.errors import WorkbookDamaged
from shopsheet.core.language import CHINESE, ENGLISH, _
from shopsheet.core.problems import Problem
from shopsheet.settings import Settings, read_settings
from shopsheet.sheets import SHEETS, SheetSpec, in_language
from shopsheet.validation import check, coerce, is_blank

HEADER_SCAN_ROWS = 20
T = TypeVar("T")


class BookError(WorkbookDamaged):
    """A request the workbook cannot satisfy (unknown sheet, unknown column...)."""


@dataclass
class Layout:
    """Where a sheet's columns are: header row and 0-based column index per column name."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    headers: dict[str, str]  # column name → header text as written in the sheet
    last_row: int  # last row holding any value under the header

    def letter(self, name: str) -> str:
        return col_letter(self.columns[name])

    @property
    def letters(self) -> dict[str, str]:
        return {name: col_letter(idx) for name, idx in self.columns.items()}


@dataclass
class SheetData:
    """A sheet as read: typed frame, raw values, layout, and what is wrong with it."""

    spec: SheetSpec
    frame: pd.DataFrame
    raw: pd.DataFrame
    layout: Layout | None
    problems: list[Problem] = field(default_factory=list)


def normalise_header(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold() if not is_blank(text) else ""


def find_header(spec: SheetSpec, grid: list[list[Any]]
                ) -> tuple[int, dict[str, int], dict[str, str]]:
    """The header row (1-based) and column positions: the row matching most of the labels."""
    wanted = {normalise_header(h): c.name for c in spec.columns for h in c.headers}
    best: tuple[int, int, dict[str, int], dict[str, str]] = (0, 0, {}, {})
    for r, values in enumerate(grid[:HEADER_SCAN_ROWS], start=1):
        found: dict[str, int] = {}
        texts: dict[str, str] = {}
        for idx, value in enumerate(values):
            name = wanted.get(normalise_header(value))
            if name and name not in found:
                found[name], texts[name] = idx, str(value).strip()
        if len(found) > best[1]:
            best = (r, len(found), found, texts)
    header_row, _unused, found, texts = best
    if header_row:
        for idx, value in enumerate(grid[header_row - 1]):
            text = str(value).strip() if not is_blank(value) else ""
            if text and idx not in found.values() and text not in found:
                found[text], texts[text] = idx, text  # a column the user added: kept as is
    return header_row, found, texts


def _cells(body: list[list[Any]], indexes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The body's cells in the given columns as a 2-D object array, blanks as None; and
    which cells were blank."""
    width = max(indexes) + 1
    block = np.array(body, dtype=object) if body else np.empty((0, width), dtype=object)
    if block.ndim != 2 or block.shape[1] < width:  # ragged rows (a live sheet): pad
        block = np.array([list(row[:width]) + [None] * (width - len(row)) for row in body],
                         dtype=object).reshape(len(body), width)
    cells = block if indexes == list(range(block.shape[1])) else block[:, indexes]
    blank = pd.isna(cells) | (cells == "")
    cells[blank] = None
    return cells, blank


def read_layout(spec: SheetSpec, grid: list[list[Any]]) -> tuple[
        Layout | None, list[Problem], pd.DataFrame | None]:
    """Find the header and the last data row; return the rows holding any value, as raw cells
    (blanks as None) indexed by Excel row number."""
    header_row, columns, headers = find_header(spec, grid)
    missing = [c for c in spec.columns if c.required and c.name not in columns]
    problems = [Problem(spec.name, "", c.label, message=(
        _("required column {column!r} is missing (looked for a header {headers} in row {row})")
        if header_row else
        _("required column {column!r} is missing (looked for a header {headers})")).format(
            column=_(c.label), headers=" / ".join(c.headers), row=header_row))
        for c in missing]
    if not header_row:
        return None, problems or [Problem(spec.name, message=_("no header row found"))], None
    body = grid[header_row:]
    if body and columns:
        cells, blank = _cells(body, list(columns.values()))
        filled = ~blank.all(axis=1)
    else:
        cells, filled = np.empty((0, len(columns)), dtype=object), np.zeros(0, dtype=bool)
    index, keep, last_row = filled_rows(filled, header_row)
    raw = pd.DataFrame(cells[keep], columns=list(columns), index=index, dtype="object")
    return Layout(spec.name, header_row, columns, headers, last_row), problems, raw


def filled_rows(filled: np.ndarray, header_row: int) -> tuple[pd.Index, slice | np.ndarray, int]:
    """From which rows under the header hold any value: their Excel row numbers, what to take
    of the body (a slice when there are no gaps, as usual) and the last such row (the header
    row when there is none)."""
    rows = np.flatnonzero(filled)
    last = int(rows[-1]) if len(rows) else -1
    keep = slice(0, last + 1) if len(rows) == last + 1 else rows
    return pd.Index(rows + header_row + 1), keep, header_row + 1 + last


def frame_from_grid(spec: SheetSpec, grid: list[list[Any]]) -> SheetData:
    """Read `grid` (rows of cell values from A1) into typed and raw frames plus problems."""
    layout, problems, raw = read_layout(spec, grid)
    if layout is None:
        empty = pd.DataFrame(columns=[c.name for c in spec.columns])
        return SheetData(spec, empty, empty, None, problems)
    return frame_from_raw(spec, layout, problems, raw)


def frame_from_raw(spec: SheetSpec, layout: Layout, problems: list[Problem],
                   raw: pd.DataFrame) -> SheetData:
    """Type and check the rows found under the header (`raw`, indexed by Excel row); a column
    may come already typed (float64 numbers, datetime64 dates) from a typed reader."""
    if problems:
        return SheetData(spec, raw, raw, layout, problems)
    typed, bad = coerce(raw, spec.columns, spec.name, layout.letters)
    bad += check(spec.model, typed, spec.columns, spec.name, layout.letters,
                 {p.cell for p in bad})
    return SheetData(spec, typed, raw, layout, bad)


class Book(ABC):
    """The interface routines use; FileBook (headless) and LiveBook (xlwings) implement it.

    A routine says what it needs and the Book decides how: `plan` declares the sheets a run
    reads and writes (a Book may start on them early), `read` gives a sheet's typed frame
    (from wherever the Book keeps it), `derived` remembers what a routine works out from
    frames for as long as those frames are current, and `start_routine`/`changed` tell a
    routine whether it wrote anything."""

    name: str

    @abstractmethod
    def sheet_names(self) -> list[str]: ...

    @abstractmethod
    def grid(self, sheet: str) -> list[list[Any]]:
        """Every cell value of `sheet` from A1, rows of equal length, blanks as ''."""

    @abstractmethod
    def patch(self, sheet: str, changes: pd.DataFrame) -> None:
        """Set cells: `changes` indexed by Excel row, columns named as read; NA blanks a cell."""

    @abstractmethod
    def append(self, sheet: str, rows: pd.DataFrame) -> None:
        """Add rows under the last row of the sheet's Table, growing the Table."""

    @abstractmethod
    def replace(self, sheet: str, rows: pd.DataFrame) -> None:
        """Replace the body of a routine-owned sheet (PickList, Dashboard, Problems)."""

    op_count: int = 0  # changes buffered over the book's life
    routine_start: int = 0  # op_count when the routine now running began

    def start_routine(self) -> None:
        """A routine begins: `changed` counts from here."""
        self.routine_start = self.op_count

    @property
    def changed(self) -> bool:
        """Whether the routine now running has buffered any change."""
        return self.op_count > self.routine_start

    def plan(self, reads: Iterable[str], writes: Iterable[str] = ()) -> None:
        """The run will read the sheets `reads` and write the sheets `writes`. A Book may
        start on them now (FileBook reads the biggest on a second core while this thread
        reads the others, and readies big parts for a piecewise write); by default it reads
        them as they are asked for."""

    def derived(self, make: Callable[..., T], *frames: pd.DataFrame) -> T:
        """`make(*frames)`, worked out once while those very frames are the current ones: a
        morning's routines ask the same question of the same year of orders several times,
        and the answer only changes when a sheet does (a write gives a new frame). Frames are
        held weakly, so an old one is not kept alive for its answer."""
        key = (make, *map(id, frames))
        hit = self._derived.get(key)
        if hit is not None and all(ref() is f for ref, f in zip(hit[0], frames)):
            return hit[1]
        value = make(*frames)
        self._derived[key] = ([weakref.ref(f) for f in frames], value)
        return value

    @functools.cached_property
    def _derived(self) -> dict[tuple, tuple[list[weakref.ref], Any]]:
        return {}

    @property
    @abstractmethod
    def pending(self) -> bool:
        """Whether changes are buffered, waiting for `save`."""

    _batching: bool = False  # inside `batch`: a save waits for the end of the block

    @contextlib.contextmanager
    def batch(self) -> Iterator[Book]:
        """Several routines, one write: saves inside wait for the end of the block (each Book's
        `save` looks at `_batching`), and an error inside discards everything the block
        buffered, so the workbook is as it was."""
        self._batching = True
        try:
            yield self
        except BaseException:
            self._batching = False
            self.discard()
            raise
        self._batching = False
        self.save()

    @abstractmethod
    def save(self) -> None:
        """Write everything buffered since the last save, all or nothing."""

    def error_cells(self, sheet: str) -> list[tuple[str, str]]:
        """Cells showing a formula error (`#DIV/0!`, `#REF!`…) as (A1 address, error): the
        readers see them as blank, so `validate` asks for them. None known by default."""
        return []

    def discard(self) -> None:
        """Forget what is buffered and not saved (a book that writes as it goes has nothing)."""

    _layouts: dict[str, Layout]

    def layout(self, sheet: str) -> Layout:
        """Where the sheet's columns are; found from the header alone when not read yet."""
        if sheet not in self._layouts:
            if sheet not in SHEETS or sheet not in self.sheet_names():
                raise BookError(_("{book} has no {sheet} sheet to write to").format(
                    book=self.name, sheet=_(sheet)))
            layout, problems, _raw = read_layout(SHEETS[sheet], self.grid(sheet))
            if layout is None:
                raise BookError(_("{book}: cannot write to {sheet}: {problems}").format(
                    book=self.name, sheet=_(sheet), problems="; ".join(map(str, problems))))
            self._layouts[sheet] = layout
        return self._layouts[sheet]

    def read(self, sheet: str) -> SheetData:
        if sheet not in SHEETS:
            raise BookError(_("ShopOps knows no sheet named {sheet!r}").format(sheet=sheet))
        if sheet not in self.sheet_names():
            spec = SHEETS[sheet]
            empty = pd.DataFrame(columns=[c.name for c in spec.columns])
            if spec.optional:  # a book made before the sheet existed: as if it were empty
                typed, _none = coerce(empty, spec.columns, sheet, {})
                return SheetData(spec, typed, empty, None, [])
            problem = Problem(sheet, message=_("the workbook has no {sheet} sheet").format(
                sheet=_(sheet)))
            return SheetData(spec, empty, empty, None, [problem])
        return frame_from_grid(SHEETS[sheet], self.grid(sheet))

    def prefetch(self, sheets: Iterable[str], writing: Iterable[str] = ()) -> None:
        """A hint that the run will read `sheets` and write `writing` soon: a book may start
        on them early (FileBook does, on another core). By default nothing."""

    _language: str | None = None  # worked out once; forgotten when Settings is written

    @property
    def language(self) -> str:
        """The book's language (`zh-CN` or `en`): its Settings' Language, else the language
        its Settings sheet is headed in (a book made before the setting existed)."""
        if self._language is None:
            settings, _problems = self.settings()
            given = settings.book_language()
            if given is None and "Settings" in self.sheet_names():
                header = self.layout("Settings").headers.get("key", "")
                given = CHINESE if header == SHEETS["Settings"].column("key").zh else ENGLISH
            self._language = given or ENGLISH
        return self._language

    @property
    def chinese(self) -> bool:
        return self.language == CHINESE

    def shown(self, sheet: str, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` as this book writes it: its drop-down words in the book's language."""
        spec = SHEETS.get(sheet)
        return frame if spec is None or not self.chinese else in_language(spec, frame, True)

    def settings(self) -> tuple[Settings, list[Problem]]:
        data = self.read("Settings")
        if data.layout is None or "value" not in data.raw:
            return Settings.defaults(), data.problems
        settings, problems = read_settings(data.raw, data.layout.letters)
        return settings, data.problems + problems
